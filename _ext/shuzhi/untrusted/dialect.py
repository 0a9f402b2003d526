"""The report dialect: what a report may contain, enforced while MyST reads it.

Reports come from outside the team. A directive or a role runs code of the build
as the page is parsed: ``{literalinclude}`` and ``{csv-table}`` read files of the
build machine, ``:url:`` fetches from the internet, ``{eval-rst}`` opens all of
reStructuredText (``.. meta::`` refreshes, ``.. include::``), and ``myst:``
settings in the front matter can switch on Jinja substitutions. So a report may
use Markdown (headings, paragraphs, lists, tables, emphasis, quotes, footnotes,
links, images) and only the directives and roles a site allows in ``conf.py``
(``shuzhi_report_directives``, none by default; ``shuzhi_report_roles``, by default
only the cross-references ``term``, ``doc`` and ``ref``).
Everything else is refused *before it runs*: a finding at its line
(``shuzhi.directive``, ``shuzhi.role``, ``shuzhi.myst_settings``), recorded on the
document and reported with the report's other findings, and its text shown as it
was written, inert, in HTML and PDF alike.

The same renderers serve the build (:class:`GuardedMystParser`) and ``shuzhi
check`` (:class:`GuardedDocutilsParser`), so both find the same things.

Links are judged here too, as the browser would read them: markdown-it would leave a
``javascript:`` link as Markdown text without a word, so every link is accepted by the
parser and one that is not http, https, mailto or internal is refused with a finding
(``shuzhi.script_link``), its text kept. HTML in an image's description, which MyST
drops, is a ``shuzhi.raw_html`` finding like HTML anywhere else.

Markup nested deeper than MyST can build (``"*" * 500``) is the other thing no
report may do to the build: instead of a ``RecursionError`` and a lost page, the
page is read again with the crowded lines' markup as text (``shuzhi.nesting``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import unquote

import yaml
from docutils import nodes
from docutils.parsers.rst import directives
from myst_parser.config.main import MdParserConfig
from myst_parser.mdit_to_docutils.base import DocutilsRenderer, token_line
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.docutils_ import Parser as DocutilsMystParser
from myst_parser.parsers.docutils_ import create_myst_config
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser
from sphinx.util import logging

from ..build.config import is_report
from ..report import kinds, urls
from ..report.frontmatter import SAFE_LOADER, keys_with_aliases
from ..report.pipeline import FINDINGS, note
from ..report.urls import SCRIPT_LINK_MESSAGE

if TYPE_CHECKING:
    from markdown_it.tree import SyntaxTreeNode
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


class Dialect(NamedTuple):
    """The directives and roles a report may use, besides Markdown itself."""

    directives: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()

    @classmethod
    def of(cls, config: Any) -> Dialect:
        return cls(frozenset(config.shuzhi_report_directives), frozenset(config.shuzhi_report_roles))


_ADVICE = "述职报告只应包含标题、段落、列表、表格、链接等正文：请删除它，把需要的文字直接写进报告"
_WIDEN = "；网站确需使用时，可在 conf.py 的 {option} 中加入（见《编辑指南》）。"


def _directive_message(name: str) -> str:
    return f"报告中不能使用 {{{name}}} 指令，已按原文显示为文字。{_ADVICE}" + _WIDEN.format(option="shuzhi_report_directives")


def _role_message(name: str) -> str:
    return f"报告中不能使用 {{{name}}} 角色，已按原文显示为文字。{_ADVICE}" + _WIDEN.format(option="shuzhi_report_roles")


MYST_SETTINGS_MESSAGE = ("报告的元数据中不能有 myst 设置（它会改变解析方式），已忽略。请删除元数据中的 myst 部分。")
ALT_HTML_MESSAGE = "图片说明中的 HTML 代码“%s”不会被执行，已删除：报告应为纯文字，请删除这段代码。"

#: Front-matter keys that change how MyST parses the page: ``myst``, and the two it still reads
#: at the top level for backwards compatibility.
PARSER_SETTINGS = ("myst", "html_meta", "substitutions")
#: Link schemes MyST resolves itself, to a page or a file of the site (files are confined later).
_INTERNAL_SCHEMES = frozenset({"project", "path"})


# --------------------------------------------------------------------------- findings

# What the parser refuses is noted on the document (:func:`.pipeline.note`); the report
# pipeline takes it into the report's findings, in the build and in ``shuzhi check``.


# --------------------------------------------------------------------------- block nesting

#: Lists and quotes nest at most this deep in a report: LaTeX stops at four levels of
#: itemize or enumerate and six of all lists (a quote is one), and the PDF build fails.
MAX_BLOCK_DEPTH = 4
#: How deep markdown-it may nest while reading a report (see :func:`_render_report`).
MAX_PARSE_NESTING = 200
_BLOCKS = (nodes.bullet_list, nodes.enumerated_list, nodes.block_quote, nodes.definition_list)
BLOCK_NESTING_MESSAGE = (f"列表或引用嵌套超过 {MAX_BLOCK_DEPTH} 层，PDF 无法排版：更深的层次已并为一段文字。"
                         "请减少嵌套层次。")


def _block_depth(node: nodes.Node, document: nodes.document) -> int | None:
    """How many lists and quotes enclose *node*; None when it is no longer in *document*."""
    depth, child, parent = 0, node, node.parent
    while parent is not None:
        if not any(sibling is child for sibling in parent.children):
            return None  # inside a block already flattened
        if isinstance(parent, _BLOCKS):
            depth += 1
        if parent is document:
            return depth
        child, parent = parent, parent.parent
    return None


def _blocks(root: nodes.Element) -> list[nodes.Element]:
    """The lists and quotes under *root*, in document order (``findall``'s, without a call per node)."""
    found: list[nodes.Element] = []

    def walk(node: nodes.Element) -> None:
        for child in node.children:
            if isinstance(child, nodes.Element):
                if isinstance(child, _BLOCKS):
                    found.append(child)
                walk(child)

    if isinstance(root, _BLOCKS):
        found.append(root)
    walk(root)
    return found


def flatten_deep_blocks(document: nodes.document) -> None:
    """Lists and quotes deeper than :data:`MAX_BLOCK_DEPTH` become one paragraph of their text
    (every word kept), each a ``nesting`` finding. Pure: the build and ``shuzhi check`` call it."""
    for node in _blocks(document):
        depth = _block_depth(node, document)
        if depth is None or depth < MAX_BLOCK_DEPTH:
            continue
        text = " ".join(node.astext().split())
        paragraph = nodes.paragraph(text, text)
        paragraph.source, paragraph.line = node.source, node.line
        note(document, node.line or 1, kinds.NESTING, BLOCK_NESTING_MESSAGE)
        node.replace_self(paragraph)


# --------------------------------------------------------------------------- front matter


def without_parser_settings(text: str) -> tuple[str, int | None]:
    """*text* with the front matter's parser settings (:data:`PARSER_SETTINGS`) and the fields
    that use YAML aliases commented out, and the line of the first parser setting.

    Lines are kept (each becomes a YAML comment), so every other line keeps its number.
    Pure: no Sphinx.
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return text, None
    try:
        closing = next(index for index in range(1, len(lines)) if lines[index].rstrip() in ("---", "..."))
    except StopIteration:
        return text, None
    try:
        node = yaml.compose("\n".join(lines[1:closing]), Loader=SAFE_LOADER)
    except yaml.YAMLError:
        return text, None  # reported as a front-matter finding; MyST ignores it too
    if not isinstance(node, yaml.MappingNode):
        return text, None
    found = None
    # Fields with YAML aliases are refused too (frontmatter.py): MyST would expand them.
    refused = keys_with_aliases(node, "\n".join(lines[1:closing]))
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode) or not (key.value in PARSER_SETTINGS or key.value in refused):
            continue
        # Marks count from the line after the opening ---, which is lines[1].
        first = key.start_mark.line + 1
        last = value.end_mark.line + (1 if value.end_mark.column else 0)
        if node.flow_style:  # {title: …, myst: …}: comment out the whole block
            first, last = 1, closing - 1
        for index in range(first, max(first, last) + 1):
            if not lines[index].startswith("# "):
                lines[index] = "# " + lines[index]
        if key.value in PARSER_SETTINGS:
            found = found or key.start_mark.line + 2
    return "\n".join(lines), found


# --------------------------------------------------------------------------- refusing


class _DialectRenderer:
    """A MyST renderer that runs only the directives and roles of the report dialect."""

    md_options: dict[str, Any]
    document: nodes.document

    @property
    def _dialect(self) -> Dialect:
        return self.md_options.get("shuzhi_dialect") or Dialect()

    def _refuse(self, line: int, subtype: kinds.Kind, message: str) -> None:
        note(self.document, line, subtype, message)

    def _inert_block(self, text: str, line: int) -> nodes.literal_block:
        block = nodes.literal_block(text, text, classes=["refused-markup"], language="text")
        block.source, block.line = self.document["source"], line
        return block

    def run_directive(self, name: str, first_line: str, content: str, position: int,
                      additional_options: dict[str, str] | None = None, *,
                      block_text: str | None = None) -> list[nodes.Element]:
        if name in self._dialect.directives:
            return super().run_directive(name, first_line, content, position,  # type: ignore[misc]
                                         additional_options, block_text=block_text)
        self._refuse(position, kinds.DIRECTIVE, _directive_message(name))
        text = block_text or f"```{{{name}}} {first_line}\n{content}\n```"
        return [self._inert_block(text.rstrip("\n"), position)]

    def render_restructuredtext(self, token: SyntaxTreeNode) -> None:
        line = token_line(token, 0)
        if "eval-rst" in self._dialect.directives:
            super().render_restructuredtext(token)  # type: ignore[misc]
            return
        self._refuse(line, kinds.DIRECTIVE, _directive_message("eval-rst"))
        self.current_node += self._inert_block(f"{token.markup}{token.info}\n{token.content}{token.markup}", line)

    def render_link(self, token: SyntaxTreeNode) -> None:
        href = token.attrGet("href") or ""
        if report_link_allowed(str(href)):
            super().render_link(token)  # type: ignore[misc]
            return
        self._refuse(token_line(token, 0), kinds.SCRIPT_LINK, SCRIPT_LINK_MESSAGE % urls.visible(str(href))[:40])
        self.render_children(token)  # type: ignore[attr-defined]

    def render_image(self, token: SyntaxTreeNode) -> None:
        html = "".join(child.content for child in token.children or () if child.type == "html_inline")
        if html:
            self._refuse(token_line(token, 0), kinds.RAW_HTML, ALT_HTML_MESSAGE % urls.visible(html)[:40])
        super().render_image(token)  # type: ignore[misc]

    def render_myst_role(self, token: SyntaxTreeNode) -> None:
        name = token.meta["name"]
        if name in self._dialect.roles:
            super().render_myst_role(token)  # type: ignore[misc]
            return
        line = token_line(token, 0)
        self._refuse(line, kinds.ROLE, _role_message(name))
        text = f"{{{name}}}`{token.content}`"
        self.current_node += nodes.literal(text, text, classes=["refused-markup"])


class ReportSphinxRenderer(_DialectRenderer, SphinxRenderer):
    """The build's renderer for reports."""


#: The document attribute listing, as (line, name), the directives ``shuzhi check`` left unrun
#: (:class:`ReportDocutilsRenderer`): check says so, as a note.
NOT_RUN = "shuzhi-directives-not-run"


class ReportDocutilsRenderer(_DialectRenderer, DocutilsRenderer):
    """``shuzhi check``'s renderer for reports.

    A directive the site allows that only Sphinx or one of its extensions defines
    (``{mermaid}``, ``{toctree}``…) cannot run without Sphinx: it is kept as its text, not
    an "unknown directive" warning the build would not give, and listed (:data:`NOT_RUN`)
    so that check can say its content was left to the build.
    """

    def run_directive(self, name: str, first_line: str, content: str, position: int,
                      additional_options: dict[str, str] | None = None, *,
                      block_text: str | None = None) -> list[nodes.Element]:
        if name in self._dialect.directives and directives.directive(
                name, self.language_module_rst, self.document)[0] is None:
            self.document.setdefault(NOT_RUN, []).append((position, name))
            text = block_text or f"```{{{name}}} {first_line}\n{content}\n```"
            return [self._inert_block(text.rstrip("\n"), position)]
        return super().run_directive(name, first_line, content, position, additional_options, block_text=block_text)


def report_link_allowed(href: str) -> bool:
    """Whether a report may link to *href*: http, https, mailto, a page or file of the site.

    Judged on the URL as written and as decoded (``java%0Ascript:``), as a browser reads it.
    """
    for form in {href, unquote(href)}:
        scheme = urls.scheme(form)
        if scheme and scheme not in urls.LINK_SCHEMES | _INTERNAL_SCHEMES:
            return False
    return True


def _every_link(url: str) -> bool:
    """markdown-it's ``validateLink``: every link is made, and judged by the renderer."""
    return True


def _render_report(text: str, document: nodes.document, config: MdParserConfig, renderer: type,
                   dialect: Dialect) -> None:
    """Parse report *text* into *document* with *renderer*, under *dialect*, ignoring ``myst:`` settings."""
    text, settings_line = without_parser_settings(text)
    if settings_line is not None:
        note(document, settings_line, kinds.MYST_SETTINGS, MYST_SETTINGS_MESSAGE)
    parser = create_md_parser(config, renderer)
    # markdown-it stops reading the page where blocks nest deeper than maxNesting (20 in the
    # CommonMark preset) and drops the rest without a word; deep blocks are flattened after
    # parsing instead (flatten_deep_blocks), and a depth Python cannot build is caught below.
    parser.options["maxNesting"] = MAX_PARSE_NESTING
    parser.validateLink = _every_link
    parser.options["document"] = document
    parser.options["shuzhi_dialect"] = dialect
    parser.render(text)


# --------------------------------------------------------------------------- nesting

#: Characters that open or close inline markup; a line with more of them than this is
#: read as plain text when the parser gives up on the nesting.
_INLINE_MARKUP = re.compile(r"[*_\[\]<>`]")
_CROWDED = 64
NESTING_MESSAGE = ("这一行的强调、链接等标记（*、_、[ 等）嵌套过深，无法解析：本页的这些标记已按文字显示。"
                   "请删去多余的符号。")


#: A run of this many unescaped emphasis or bracket characters opens nesting no report
#: needs; such a line is read as text from the start, whatever Python's recursion limit
#: (3.11 and 3.13 differ in how deep markdown-it's tree gets before it fails).
_DEEP_RUN = re.compile(r"(?<!\\)(?:[*_]{40,}|\[{40,})")


#: A line opening this many quote levels at once would nest past MAX_PARSE_NESTING, where
#: markdown-it drops text: its markers are cut to MAX_BLOCK_DEPTH before parsing.
_DEEP_QUOTE = re.compile(r"^(?:[ \t]*>){50,}")


def _shallow_quotes(text: str) -> str:
    """*text* with every run of 50+ quote markers at a line's start cut to MAX_BLOCK_DEPTH."""
    return "\n".join(_DEEP_QUOTE.sub("> " * MAX_BLOCK_DEPTH, line) for line in text.split("\n"))


def _deep_lines(text: str) -> list[int]:
    """1-based lines holding a run of :data:`_DEEP_RUN`."""
    return [number for number, line in enumerate(text.split("\n"), start=1)
            if _DEEP_RUN.search(line) or _DEEP_QUOTE.match(line)]


def _deepest_line(text: str) -> int:
    """1-based line with the most inline markup characters: where the nesting is."""
    counts = [len(_INLINE_MARKUP.findall(line)) for line in text.split("\n")]
    return counts.index(max(counts)) + 1 if counts else 1


def _escape_markup(text: str, *, every_line: bool, also: frozenset[int] = frozenset()) -> str:
    """*text* with the inline markup of its crowded lines (and of the lines numbered in *also*,
    or of every line) backslash-escaped."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if every_line or index + 1 in also or len(_INLINE_MARKUP.findall(line)) > _CROWDED:
            lines[index] = _INLINE_MARKUP.sub(lambda match: "\\" + match.group(), line)
    return "\n".join(lines)


class _NestingGuard:
    """A parser that never stops on markup nested too deeply for MyST.

    markdown-it nests emphasis as deep as the text asks, and building its syntax tree
    then exceeds Python's recursion limit. The page is read again with the markup of
    its crowded lines shown as text (or, if that is not enough, of every line), with a
    warning at the line.
    """

    def _parse_once(self, text: str, document: nodes.document) -> None:
        raise NotImplementedError

    def _warn_nesting(self, document: nodes.document, line: int) -> None:
        note(document, line, kinds.NESTING, NESTING_MESSAGE)

    def parse(self, inputstring: str, document: nodes.document) -> None:
        deep = _deep_lines(inputstring)
        if deep:
            self._warn_nesting(document, deep[0])
            inputstring = _escape_markup(_shallow_quotes(inputstring), every_line=False, also=frozenset(deep))
        try:
            self._parse_once(inputstring, document)
            return
        except RecursionError:
            pass
        document.attributes.pop(FINDINGS, None)  # the failed attempt's, found again below
        self._warn_nesting(document, deep[0] if deep else _deepest_line(inputstring))
        for every_line in (False, True):
            del document[:]
            try:
                self._parse_once(_escape_markup(inputstring, every_line=every_line), document)
                return
            except RecursionError:
                continue
        # Block markup nested beyond what can be built (quotes 500 deep): the whole page as
        # text, every word kept.
        del document[:]
        document += nodes.literal_block(inputstring, inputstring, language="text")


class GuardedMystParser(_NestingGuard, MystParser):
    """The build's parser for Markdown: reports in the dialect, every page guarded."""

    def _warn_nesting(self, document: nodes.document, line: int) -> None:
        env = document.settings.env
        if is_report(env.config, env.docname):
            super()._warn_nesting(document, line)
        else:  # not a report: no record to keep the finding in
            logger.warning(NESTING_MESSAGE, type="shuzhi", subtype=kinds.NESTING, location=(env.docname, line))

    def _parse_once(self, text: str, document: nodes.document) -> None:
        env = document.settings.env
        if not is_report(env.config, env.docname):
            MystParser.parse(self, text, document)
            return
        _render_report(text, document, env.myst_config, ReportSphinxRenderer, Dialect.of(env.config))


class GuardedDocutilsParser(_NestingGuard, DocutilsMystParser):
    """``shuzhi check``'s parser: every file it is given is a report."""

    def __init__(self, dialect: Dialect = Dialect()) -> None:
        super().__init__()
        self.dialect = dialect

    def _parse_once(self, text: str, document: nodes.document) -> None:
        self.setup_parse(text, document)
        _render_report(text, document, create_myst_config(document.settings), ReportDocutilsRenderer, self.dialect)
        self.finish_parse()


def setup(app: Sphinx) -> None:
    app.add_source_parser(GuardedMystParser, override=True)
