"""Chinese line breaks: a newline in a paragraph's source that falls between two Chinese
characters, or after Chinese punctuation, joins without a space.

Markdown (and HTML, and LaTeX) turn a line break inside a paragraph into a space: right
for English, wrong for Chinese, where "阅读，\\n并可" then reads "阅读， 并可". The join is
made in the doctree, once, when a page is read: the HTML, the PDF and the search index
all get the joined text. A break between a Chinese and a Latin character ("的\\nPDF") stays
a space, as a writer would type it; code and literal text are never touched.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

#: Chinese and full-width punctuation: CJK symbols and punctuation, full-width forms,
#: and the curly quotes, ellipsis and dash that Chinese text uses.
PUNCTUATION = "\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d\u2026\u2014\u00b7"
#: Chinese characters (the CJK unified ideographs with extension A and the compatibility block).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CHINESE = re.compile(f"[{HAN}{PUNCTUATION}]")
_PUNCTUATION = re.compile(f"[{PUNCTUATION}]")
#: A line break and the blanks around it (indentation of a continued line).
_BREAK = re.compile(r"[ \t]*\n[ \t]*")

#: Text that is never rewritten: code, raw markup, comments.
SKIP = (nodes.FixedTextElement, nodes.literal, nodes.raw, nodes.comment, nodes.system_message,
        nodes.substitution_definition, nodes.math)


def joins(before: str, after: str) -> bool:
    """Whether a line break between the characters *before* and *after* is dropped."""
    if not before:
        return False
    if _PUNCTUATION.match(before):
        return True
    return bool(_CHINESE.match(before)) and bool(after) and bool(_CHINESE.match(after))


def _texts(block: nodes.Element) -> list[nodes.Text]:
    out: list[nodes.Text] = []

    def walk(node: nodes.Element) -> None:
        for child in node.children:
            if isinstance(child, nodes.Text):
                out.append(child)
            elif not isinstance(child, SKIP) and not (isinstance(child, nodes.TextElement)
                                                      and not isinstance(child, nodes.Inline)):
                walk(child)

    walk(block)
    return out


def join_block(block: nodes.TextElement) -> int:
    """Join the Chinese line breaks of one block (a paragraph, a title, a term); the count."""
    texts = _texts(block)
    strings = [str(text) for text in texts]
    joined = 0
    for index, (text, string) in enumerate(zip(texts, strings)):
        if "\n" not in string:
            continue

        def before(position: int) -> str:
            if position > 0:
                return string[position - 1]
            previous = "".join(strings[:index])
            return previous[-1:] if previous else ""

        def after(position: int) -> str:
            if position < len(string):
                return string[position]
            return "".join(strings[index + 1:])[:1]

        def replace(match: re.Match[str]) -> str:
            nonlocal joined
            if joins(before(match.start()), after(match.end())):
                joined += 1
                return ""
            return match.group()

        new = _BREAK.sub(replace, string)
        if new != string:
            strings[index] = new
            text.parent.replace(text, nodes.Text(new))
    return joined


def join_breaks(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: join the Chinese line breaks of every block of the page."""
    for block in _blocks(doctree):
        join_block(block)


def _blocks(root: nodes.Element) -> list[nodes.TextElement]:
    """Every block (a text element that is not inline) under *root* outside :data:`SKIP` nodes,
    in document order: one walk that does not enter what it skips."""
    found: list[nodes.TextElement] = []

    def walk(node: nodes.Element) -> None:
        for child in node.children:
            if isinstance(child, nodes.Element) and not isinstance(child, SKIP):
                if isinstance(child, nodes.TextElement) and not isinstance(child, nodes.Inline):
                    found.append(child)
                walk(child)

    if not isinstance(root, SKIP):
        walk(root)
    return found


def setup(app: Sphinx) -> ExtensionMetadata:
    # Before the reading of reports (priority 400 and later): glossary concepts are then
    # found across a joined line break too.
    app.connect("doctree-read", join_breaks, priority=300)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
