"""The report dialect: what a report may contain, enforced while MyST reads it.

Reports come from outside the team. A directive or a role runs code of the build
as the page is parsed: ``{literalinclude}`` and ``{csv-table}`` read files of the
build machine, ``:url:`` fetches from the internet, ``{eval-rst}`` opens all of
reStructuredText (``.. meta::`` refreshes, ``.. include::``), and ``myst:``
settings in the front matter can switch on Jinja substitutions. So a report may
use Markdown (headings, paragraphs, lists, tables, emphasis, quotes, footnotes,
links, images) and only the directives and roles a site allows in ``conf.py``
(``shuzhi_report_directives``, ``shuzhi_report_roles``; none by default).
Everything else is refused *before it runs*: a finding at its line
(``shuzhi.directive``, ``shuzhi.role``, ``shuzhi.myst_settings``), and its text
shown as it was written, inert, in HTML and PDF alike.

The same renderers serve the build (:class:`GuardedMystParser`) and ``shuzhi
check`` (:class:`GuardedDocutilsParser`), so both find the same things.

Links are judged here too, as the browser would read them: markdown-it would leave a
``javascript:`` link as Markdown text without a word, so every link is accepted by the
parser and one that is not http, https, mailto or internal is refused with a finding
(``shuzhi.script-link``), its text kept. HTML in an image's description, which MyST
drops, is a ``shuzhi.raw-html`` finding like HTML anywhere else.

Markup nested deeper than MyST can build (``"*" * 500``) is the other thing no
report may do to the build: instead of a ``RecursionError`` and a lost page, the
page is read again with the crowded lines' markup as text (``shuzhi.nesting``).
Lists and quotes are nested at most :data:`MAX_BLOCK_DEPTH` deep, which the PDF can
set: deeper ones become plain paragraphs, and the lines markdown-it would drop beyond
its own limit are kept (``shuzhi.nesting`` too).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import unquote

import yaml
from docutils import nodes
from myst_parser.config.main import MdParserConfig
from myst_parser.mdit_to_docutils.base import DocutilsRenderer, token_line
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.docutils_ import Parser as DocutilsMystParser
from myst_parser.parsers.docutils_ import create_myst_config
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser
from myst_parser.warnings_ import create_warning

from . import urls
from .config import is_report
from .frontmatter import SAFE_LOADER, keys_with_aliases
from .sanitize import SCRIPT_LINK_MESSAGE

if TYPE_CHECKING:
    from markdown_it.tree import SyntaxTreeNode
    from sphinx.application import Sphinx


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

    def _refuse(self, line: int, subtype: str, message: str) -> None:
        create_warning(self.document, message, subtype, wtype="shuzhi", line=line)

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
        self._refuse(position, "directive", _directive_message(name))
        text = block_text or f"```{{{name}}} {first_line}\n{content}\n```"
        return [self._inert_block(text.rstrip("\n"), position)]

    def render_restructuredtext(self, token: SyntaxTreeNode) -> None:
        line = token_line(token, 0)
        if "eval-rst" in self._dialect.directives:
            super().render_restructuredtext(token)  # type: ignore[misc]
            return
        self._refuse(line, "directive", _directive_message("eval-rst"))
        self.current_node += self._inert_block(f"{token.markup}{token.info}\n{token.content}{token.markup}", line)

    def render_link(self, token: SyntaxTreeNode) -> None:
        href = token.attrGet("href") or ""
        if report_link_allowed(str(href)):
            super().render_link(token)  # type: ignore[misc]
            return
        self._refuse(token_line(token, 0), "script-link", SCRIPT_LINK_MESSAGE % urls.visible(str(href))[:40])
        self.render_children(token)  # type: ignore[attr-defined]

    def render_image(self, token: SyntaxTreeNode) -> None:
        html = "".join(child.content for child in token.children or () if child.type == "html_inline")
        if html:
            self._refuse(token_line(token, 0), "raw-html", ALT_HTML_MESSAGE % urls.visible(html)[:40])
        super().render_image(token)  # type: ignore[misc]

    def render_myst_role(self, token: SyntaxTreeNode) -> None:
        name = token.meta["name"]
        if name in self._dialect.roles:
            super().render_myst_role(token)  # type: ignore[misc]
            return
        line = token_line(token, 0)
        self._refuse(line, "role", _role_message(name))
        text = f"{{{name}}}`{token.content}`"
        self.current_node += nodes.literal(text, text, classes=["refused-markup"])


class ReportSphinxRenderer(_DialectRenderer, SphinxRenderer):
    """The build's renderer for reports."""


class ReportDocutilsRenderer(_DialectRenderer, DocutilsRenderer):
    """``shuzhi check``'s renderer for reports."""


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
        create_warning(document, MYST_SETTINGS_MESSAGE, "myst_settings", wtype="shuzhi", line=settings_line)
    parser = create_md_parser(config, renderer)
    parser.validateLink = _every_link
    parser.options["document"] = document
    parser.options["shuzhi_dialect"] = dialect
    tokens, env, dropped = _parse_every_line(parser, text)
    parser.renderer.render(tokens, parser.options, env)
    # Once per page: where the nesting was first flattened, or else (all of it on one line)
    # where markdown-it gave up.
    for line in (sorted(_flatten_deep_blocks(document)) or dropped)[:1]:
        create_warning(document, BLOCK_NESTING_MESSAGE, "nesting", wtype="shuzhi", line=line)


# --------------------------------------------------------------------------- nesting

#: Lists and block quotes nested deeper than this are flattened: LaTeX sets at most six levels
#: of list-like environments (four of one kind) and stops the PDF beyond; a report needs three.
MAX_BLOCK_DEPTH = 4
_CONTAINERS = (nodes.block_quote, nodes.bullet_list, nodes.enumerated_list)
BLOCK_NESTING_MESSAGE = (f"列表或引用嵌套超过 {MAX_BLOCK_DEPTH} 层，打印时无法排版：更深的各层已改为普通段落。"
                         "请减少嵌套层次（“一、”“（一）”等层次请用标题）。")
#: The markers of block quotes and list items at the start of a line.
_CONTAINER_MARKERS = re.compile(r"^(?:[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))+[ \t]*")


def _parse_every_line(parser: Any, text: str) -> tuple[list, dict, list[int]]:
    """markdown-it's tokens for *text*, their environment, and the (1-based) lines it dropped.

    markdown-it stops nesting blocks at ``maxNesting`` and *drops* the lines below, without
    a word. Those lines are read again without their quote and list markers, as paragraphs
    (the nesting is then reported and flattened: :func:`_flatten_deep_blocks`).
    """
    dropped: list[int] = []
    skipped: list[tuple[int, int]] = []
    tokenize = parser.block.tokenize

    def watched(state: Any, start: int, end: int, *args: Any) -> None:
        line = state.skipEmptyLines(start)
        if state.level >= parser.options.maxNesting and line < end and state.sCount[line] >= state.blkIndent:
            skipped.append((line, end))
        tokenize(state, start, end, *args)

    parser.block.tokenize = watched
    for _ in range(3):
        env: dict = {}
        tokens = parser.parse(text, env)
        if not skipped:
            break
        dropped += [start + 1 for start, _ in skipped]
        lines = text.split("\n")
        for start, end in skipped:
            for index in range(start, min(end, len(lines))):
                lines[index] = _CONTAINER_MARKERS.sub("", lines[index])
        text = "\n".join(lines)
        skipped.clear()
    return tokens, env, sorted(dropped)


def _line_of(node: nodes.Element) -> int | None:
    return node.line or next((child.line for child in node.findall(nodes.Element) if child.line), None)


def _contents(node: nodes.Element) -> list[nodes.Node]:
    """The blocks inside the quote or list *node*, without any quote or list around them."""
    found: list[nodes.Node] = []
    for child in node.children:
        if isinstance(child, (*_CONTAINERS, nodes.list_item)):
            found.extend(_contents(child))
        else:
            found.append(child)
    return found


def _flatten_deep_blocks(document: nodes.document) -> list[int]:
    """Replace quotes and lists deeper than :data:`MAX_BLOCK_DEPTH` by their contents; their lines."""
    lines: list[int] = []

    def walk(node: nodes.Element, depth: int) -> None:
        for child in list(node.children):
            if not isinstance(child, nodes.Element):
                continue
            if isinstance(child, _CONTAINERS):
                if depth >= MAX_BLOCK_DEPTH:
                    lines.append(_line_of(child) or 1)
                    child.replace_self(_contents(child))
                    continue
                walk(child, depth + 1)
            else:
                walk(child, depth)

    walk(document, 0)
    return lines

#: Characters that open or close inline markup; a line with more of them than this is
#: read as plain text when the parser gives up on the nesting.
_INLINE_MARKUP = re.compile(r"[*_\[\]<>`]")
_CROWDED = 64
NESTING_MESSAGE = ("这一行的强调、链接等标记（*、_、[ 等）嵌套过深，无法解析：本页的这些标记已按文字显示。"
                   "请删去多余的符号。")


def _deepest_line(text: str) -> int:
    """1-based line with the most inline markup characters: where the nesting is."""
    counts = [len(_INLINE_MARKUP.findall(line)) for line in text.split("\n")]
    return counts.index(max(counts)) + 1 if counts else 1


def _escape_markup(text: str, *, every_line: bool) -> str:
    """*text* with the inline markup of its crowded lines (or of every line) backslash-escaped."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if every_line or len(_INLINE_MARKUP.findall(line)) > _CROWDED:
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

    def parse(self, inputstring: str, document: nodes.document) -> None:
        try:
            self._parse_once(inputstring, document)
            return
        except RecursionError:
            pass
        create_warning(document, NESTING_MESSAGE, "nesting", wtype="shuzhi", line=_deepest_line(inputstring))
        for every_line in (False, True):
            del document[:]
            try:
                self._parse_once(_escape_markup(inputstring, every_line=every_line), document)
                return
            except RecursionError:
                continue


class GuardedMystParser(_NestingGuard, MystParser):
    """The build's parser for Markdown: reports in the dialect, every page guarded."""

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
