"""Raw HTML and script links in reports never reach readers.

Reports come from many authors. Whatever HTML an author typed or pasted
(``<script>``, ``onerror=``, ``<iframe>``, ``<style>``, the ``{raw}`` directive)
is shown as literal text instead of being passed through, and links with a
script scheme (``javascript:``, ``vbscript:``, ``data:``) lose their link.
Each case is a warning with the file and line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import markupsafe
from docutils import nodes
from myst_parser.parsers.docutils_ import Parser as DocutilsMystParser
from myst_parser.parsers.sphinx_ import MystParser
from sphinx.util import logging

from . import urls
from .config import is_report

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)



def _escaped(raw: nodes.raw) -> nodes.Node:
    text = raw.astext()
    literal = nodes.literal(text, text, classes=["escaped-html"])
    if isinstance(raw.parent, nodes.TextElement):  # inline HTML inside a paragraph
        return literal
    return nodes.paragraph("", "", literal, classes=["escaped-html"])


def neutralise(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: escape raw markup and unlink script links in report pages."""
    if not is_report(app.config, app.env.docname):
        return
    for raw in list(doctree.findall(nodes.raw)):
        logger.warning(
            "报告中的 HTML 代码“%s”不会被执行，已按文字显示：报告应为纯文字，请删除这段代码。",
            raw.astext().strip()[:40], type="shuzhi", subtype="raw-html", location=raw,
        )
        raw.replace_self(_escaped(raw))
    for reference in list(doctree.findall(nodes.reference)):
        uri = reference.get("refuri", "")
        if not urls.is_safe_link(uri):
            logger.warning(
                "链接“%s”不是 http、https、mailto 或站内链接（可能指向脚本），已去掉链接只保留文字：请删除或改正该链接。",
                urls.visible(uri)[:40], type="shuzhi", subtype="script-link", location=reference,
            )
            reference.replace_self(nodes.inline(reference.astext(), reference.astext()))


def escape_theme_titles(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context``, after sphinx-book-theme: its page titles are plain text, not HTML.

    The theme sets ``pagetitle`` (printed as the ``<h1>`` of the print view) and
    ``root_title`` from ``title.astext()`` and its templates print them unescaped, so a
    title's ``<img onerror=…>``, shown as text on the page, would run there.
    ``markupsafe.escape`` leaves a value that is already markup as it is.
    """
    for key in ("pagetitle", "root_title"):
        if isinstance(context.get(key), str):
            context[key] = markupsafe.escape(context[key])


#: Characters that open or close inline markup; a line with more of them than this is
#: read as plain text when the parser gives up on the nesting.
_INLINE_MARKUP = re.compile(r"[*_\[\]<>`]")
_DEEP_LINE = 64


def _deepest_line(text: str) -> int:
    """1-based line with the most inline markup characters: where the nesting is."""
    counts = [len(_INLINE_MARKUP.findall(line)) for line in text.split("\n")]
    return counts.index(max(counts)) + 1 if counts else 1


def _escape_markup(text: str, *, every_line: bool) -> str:
    """*text* with the inline markup of its crowded lines (or of every line) backslash-escaped."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if every_line or len(_INLINE_MARKUP.findall(line)) > _DEEP_LINE:
            lines[index] = _INLINE_MARKUP.sub(lambda match: "\\" + match.group(), line)
    return "\n".join(lines)


NESTING_MESSAGE = ("这一行的强调、链接等标记（*、_、[ 等）嵌套过深，无法解析：本页的这些标记已按文字显示。"
                   "请删去多余的符号。")


class _NestingGuard:
    """A MyST parser that never stops on markup nested too deeply.

    markdown-it nests emphasis as deep as the text asks ("*" * 500), and building its
    syntax tree then exceeds Python's recursion limit: a traceback, and no page. Here
    the page is read again with the markup of its crowded lines shown as text (or, if
    that is not enough, of every line), with a warning at the line. The build and
    ``shuzhi check`` each mix this into the MyST parser they use.
    """

    def _warn_nesting(self, document: nodes.document, line: int) -> None:
        raise NotImplementedError

    def parse(self, inputstring: str, document: nodes.document) -> None:
        try:
            super().parse(inputstring, document)
            return
        except RecursionError:
            pass
        self._warn_nesting(document, _deepest_line(inputstring))
        for every_line in (False, True):
            del document[:]
            try:
                super().parse(_escape_markup(inputstring, every_line=every_line), document)
                return
            except RecursionError:
                continue


class GuardedMystParser(_NestingGuard, MystParser):
    """The build's parser for Markdown pages."""

    def _warn_nesting(self, document: nodes.document, line: int) -> None:
        logger.warning(NESTING_MESSAGE, type="shuzhi", subtype="nesting", location=(document.settings.env.docname, line))


class GuardedDocutilsParser(_NestingGuard, DocutilsMystParser):
    """``shuzhi check``'s parser: the warning goes to the stream that check reads."""

    def _warn_nesting(self, document: nodes.document, line: int) -> None:
        document.reporter.warning(f"{NESTING_MESSAGE} [shuzhi.nesting]", line=line)


def setup(app: Sphinx) -> None:
    app.add_source_parser(GuardedMystParser, override=True)
    app.connect("html-page-context", escape_theme_titles, priority=900)
    # Before Sphinx's own collectors (priority 500), which copy the first heading into
    # env.titles: a raw node left there reaches every toctree, the sidebar and the page's
    # <title> unescaped. And so before the report is recorded and linked (reading.py, 600).
    app.connect("doctree-read", neutralise, priority=400)
