"""Unfilled template placeholders: x次, *次, XX元, X元以上, xx次, ＸＸ名, ××同志.

Authors leave them when they copy a template and forget to fill in a number.
They are content and are published as written; the site highlights them
(:func:`highlight`) and lists them on the 待补充 page. Redactions such as
``**村`` or ``*公司`` name a place or a company and are not placeholders.
"""

from __future__ import annotations

import re
from collections import deque

from docutils import nodes

from . import textnodes
from .records import PlaceholderRecord

#: Measure words that follow a missing number in a placeholder.
MEASURE_WORDS = "次|人次|人|名|个|篇|场|期|项|家|条|件|户|元|万元|亿元|天|批|份|本|节|堂|轮|组"

#: The letters a placeholder is written with, in every width and case: X x, full-width Ｘ ｘ,
#: and the multiplication sign × that Chinese templates often use.
X_CHARS = "XxＸｘ×"
#: Latin letters (ASCII and full-width) around a match mean a word, not a placeholder.
_LATIN = "A-Za-zＡ-Ｚａ-ｚ"

#: One pattern for every placeholder form:
#: - ``XX`` (two or more of the letters above), wherever it stands: XX元, xx上, ＸＸ金, ××同志;
#: - a single one of them, or one or two asterisks, followed by a measure word: x次, Ｘ元以上, ×个, *次, *个.
#: Latin letters around the match exclude Latin words (e.g. "XXL", "Xbox", "xx@example"), and a digit
#: before a single × is a product ("3×4个"), not a placeholder.
PATTERN = re.compile(
    rf"(?<![{_LATIN}@])(?:[{X_CHARS}]{{2,}}(?![{_LATIN}@])(?:{MEASURE_WORDS})?"
    rf"|(?<![0-9０-９])[{X_CHARS}](?:{MEASURE_WORDS})"
    rf"|(?<!\*)\*{{1,2}}(?:{MEASURE_WORDS}))"
)

#: Words that, after asterisks, mark a redaction rather than a placeholder.
#: They are checked on the character after the asterisks (``**村``, ``*公司``);
#: a measure word wins only when it is not the start of such a word.
REDACTED_NOUNS = ("公司", "有限公司", "村", "区", "县", "市", "镇", "党委", "局")


#: Every placeholder holds one of these characters: a text without any is not searched further.
_MARKS = re.compile(rf"[{X_CHARS}*]")


def find(text: str) -> list[re.Match[str]]:
    """Every placeholder in *text*."""
    if not _MARKS.search(text):
        return []
    matches = []
    for match in PATTERN.finditer(text):
        if match.group(0).startswith("*"):
            rest = text[match.end() - len(match.group(0).lstrip("*")):]
            if rest.startswith(REDACTED_NOUNS):
                continue
        matches.append(match)
    return matches


def message(text: str) -> str:
    """What a placeholder's warning says (``shuzhi_placeholders_fail``), in the build and in ``shuzhi check``."""
    return f"“{text}”是未填写的模板占位符。请填上实际内容。"


_WHITESPACE = re.compile(r"\s+")
_CONTEXT = 12  # characters of context on each side of a placeholder


def highlight(doctree: nodes.document, docname: str,
              skip: tuple[type[nodes.Node], ...] = textnodes.LITERAL_NODES) -> tuple[PlaceholderRecord, ...]:
    """Wrap each placeholder in ``<span class="shuzhi-placeholder">`` and record where it is.

    Text inside *skip* nodes (literal text; the host's cross-references) is left alone.
    """
    records = []
    pending: deque[tuple[str, int, int]] = deque()  # spans found in the current text node, in order

    def spans(text: str) -> list[tuple[int, int]]:
        found = [match.span() for match in find(text)]
        pending.extend((text, start, end) for start, end in found)
        return found

    def make(text: str, origin: nodes.Text) -> nodes.Node:
        whole, start, end = pending.popleft()
        before = _WHITESPACE.sub(" ", whole[max(0, start - _CONTEXT):start])
        after = _WHITESPACE.sub(" ", whole[end:end + _CONTEXT])
        context = ("…" if start > _CONTEXT else "") + before + text + after + ("…" if end + _CONTEXT < len(whole) else "")
        node_id = f"placeholder-{len(records) + 1}"
        node = nodes.inline(text, text, classes=["shuzhi-placeholder"], ids=[node_id])
        records.append(PlaceholderRecord(docname, textnodes.source_line(origin.parent) or 0, text, node_id, context))
        return node

    textnodes.wrap_matches(doctree, spans, make, skip)
    return tuple(records)
