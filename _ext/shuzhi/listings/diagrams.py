"""Mermaid diagrams generated from the records: a report's outline, the concept map.

The code is built here as text and wrapped in sphinxcontrib.mermaid's own
``mermaid`` node, so the HTML renders it in the browser (mermaid served from
``_static``) and the LaTeX builder renders it with mermaid-cli, like a diagram
typed in a page. Every label is quoted and escaped with mermaid's entity codes
(``#34;``), so no heading an author wrote can change the diagram's syntax.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from docutils import nodes
from sphinx.util import logging
from sphinxcontrib.mermaid import Mermaid, mermaid

from ..report import kinds
from ..untrusted import files
from ..build.config import is_report

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: Characters that mean something to mermaid even inside a quoted label.
_SPECIAL = re.compile(r'["#&<>`\\|{}\[\]();:*_~]')
_WHITESPACE = re.compile(r"\s+")

#: Longest label, in characters; longer headings are cut with "…".
LABEL_LENGTH = 18


def label(text: str, limit: int = LABEL_LENGTH) -> str:
    """*text* as a quoted mermaid label: one line, at most *limit* characters, escaped."""
    text = _WHITESPACE.sub(" ", text).strip()
    if len(text) > limit:
        text = text[:limit - 1].rstrip() + "…"
    return '"' + _SPECIAL.sub(lambda match: f"#{ord(match.group())};", text) + '"'


def node(code: str, classes: Sequence[str] = ()) -> mermaid:
    """A ``mermaid`` node for *code*, as the ``{mermaid}`` directive makes one."""
    diagram = mermaid(classes=list(classes))
    diagram["code"] = code
    diagram["options"] = {}
    return diagram


class outline_diagram(nodes.General, nodes.Element):
    """A report's outline (HTML only): mermaid code that ``shuzhi-outline.mjs`` renders.

    Not sphinxcontrib.mermaid's node: that extension compiles its templates again for
    every page with a diagram, which at one outline per report was a tenth of a large
    site's build. The page loads the same local copy of mermaid, once, as a module.
    """


def visit_outline_diagram(translator: Any, node: outline_diagram) -> None:
    config = html.escape(json.dumps(node["config"], ensure_ascii=False, sort_keys=True))
    pre = (f'<pre class="mermaid shuzhi-outline" data-mermaid-config="{config}">'
           f"{html.escape(node['code'])}</pre>")
    if node.get("summary"):
        # Closed: shuzhi-outline.mjs loads mermaid (about 230 KB) and draws the diagram when
        # a reader first opens it, so a report page costs the same whether or not anyone
        # looks at its outline (the card above already links each part). Its own box
        # scrolls sideways on a phone, where the diagram keeps a legible size.
        pre = (f'<details class="shuzhi-outline-details"><summary>{html.escape(node["summary"])}</summary>'
               f'<div class="shuzhi-outline-scroll">{pre}</div></details>')
    translator.body.append(pre + "\n")
    raise nodes.SkipNode


def skip(translator: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


class OutlineItem(NamedTuple):
    title: str
    children: tuple[OutlineItem, ...]


def outline_items(section: nodes.section, depth: int = 2) -> tuple[OutlineItem, ...]:
    """The sub-sections of *section*, *depth* levels deep (parts, then their sub-parts)."""
    items = []
    for child in section.children:
        if isinstance(child, nodes.section) and child.children and isinstance(child[0], nodes.title):
            below = outline_items(child, depth - 1) if depth > 1 else ()
            items.append(OutlineItem(child[0].astext(), below))
    return tuple(items)


def outline_code(title: str, items: Sequence[OutlineItem]) -> str:
    """``flowchart LR``: the report, its parts, and each part's sub-parts."""
    lines = ["flowchart LR", f"    r[{label(title, 24)}]"]
    for index, item in enumerate(items, start=1):
        lines.append(f"    r --> p{index}[{label(item.title)}]")
        for sub, child in enumerate(item.children, start=1):
            lines.append(f"    p{index} --> p{index}s{sub}[{label(child.title)}]")
    return "\n".join(lines)


def concept_map_code(concepts: Sequence[tuple[str, int]], reports: Sequence[tuple[str, dict[str, int]]],
                     title: str = "概念图") -> str:
    """``flowchart LR``: each concept (with its total count) linked to the reports that use it,
    the heavier the line the more mentions (see :func:`link`).

    *concepts* are (term, total) pairs; *reports* are (label, {term: count}) pairs; *title*
    is the diagram's accessible name (mermaid's ``accTitle``, the SVG's ``<title>``). Reports
    that use none of the concepts are left out.
    """
    # Drawn at its own size (labels at the page's text size), not stretched or squeezed
    # to the column: the page's stylesheet lets its box scroll sideways on a phone. The two
    # columns (concepts, reports) well apart, so that the lines between them fan out.
    lines = ["---", "config:", "  flowchart:", "    useMaxWidth: false", "    rankSpacing: 160", "---",
             "flowchart LR", f"    accTitle: {_accessible(title)}"]
    for index, (term, total) in enumerate(concepts, start=1):
        lines.append(f"    c{index}({label(f'{term}（{total}）', 30)})")
    terms = {term for term, _ in concepts}
    for number, (name, counts) in enumerate(reports, start=1):
        if any(counts.get(term) for term in terms):
            lines.append(f"    r{number}[{label(name)}]")
    for index, (term, _) in enumerate(concepts, start=1):
        for number, (_, counts) in enumerate(reports, start=1):
            if counts.get(term):
                lines.append(f"    c{index} {link(counts[term])} r{number}")
    return "\n".join(lines)


def _accessible(text: str) -> str:
    """*text* on one line for ``accTitle``, which ends at the line's end and takes no entity codes."""
    return _WHITESPACE.sub(" ", text).strip()


def link(count: int) -> str:
    """The line between a concept and a report: dotted for one mention, thick for three or more."""
    return "-.-" if count == 1 else "---" if count == 2 else "==="


# --------------------------------------------------------------------------- the mermaid directive


def _json_object(argument: str) -> str:
    """``:config:``: a JSON object, or a docutils option error (sphinxcontrib-mermaid raises on it)."""
    try:
        value = json.loads(argument or "")
    except ValueError as error:
        raise ValueError(f"不是有效的 JSON（{error}）；请写成 JSON 对象，例如 {{\"theme\": \"neutral\"}}") from None
    if not isinstance(value, dict):
        raise ValueError("应是 JSON 对象，例如 {\"theme\": \"neutral\"}")
    return argument


def _one_line(argument: str) -> str:
    """``:title:``: one line (sphinxcontrib-mermaid writes it into the diagram's YAML front matter)."""
    if "\n" in (argument or ""):
        raise ValueError("标题只能有一行")
    return argument or ""


#: What makes a diagram load something when it is drawn: a URL (absolute, scheme-relative,
#: or a web scheme without slashes), CSS that fetches, and CSS escapes that could spell either.
_EXTERNAL = re.compile(r"url\s*\(|image-set|@import|//|\b(?:https?|ftps?|wss?|file|blob)\s*:|\\", re.IGNORECASE)
#: Script in a diagram: script URLs, and interactions (mermaid's click), which call or link.
_SCRIPT = re.compile(r"\b(?:java|vb)script\s*:|\bdata\s*:\s*[\w.+-]+/|^\s*click\b", re.IGNORECASE | re.MULTILINE)
#: HTML in a label, other than a line break.
_HTML = re.compile(r"(?<!<)<\s*(?!br\s*/?\s*>)[A-Za-z!/?]", re.IGNORECASE)
_PROBLEMS = (
    (kinds.EXTERNAL_RESOURCE, _EXTERNAL, "报告中的 mermaid 图表含有网址或会加载外部资源的样式（url()、@import、图片等），"
                                     "读者打开时会向外网发出请求，已按原文显示为文字：请删除图表中的网址和样式。"),
    (kinds.SCRIPT_LINK, _SCRIPT, "报告中的 mermaid 图表含有脚本链接或交互（javascript:、click 等），已按原文显示为文字："
                             "请删除它们。"),
    (kinds.RAW_HTML, _HTML, "报告中的 mermaid 图表含有 HTML 代码，已按原文显示为文字：请删除图表中的 HTML（换行可写 <br>）。"),
)


def untrusted_diagram_problems(*texts: str) -> list[tuple[str, str]]:
    """(subtype, message) of every kind of problem in a report's diagram code and options."""
    text = "\n".join(texts)
    return [(subtype, message) for subtype, pattern, message in _PROBLEMS if pattern.search(text)]


class ConfinedMermaid(Mermaid):
    """sphinxcontrib-mermaid's directive, safe with untrusted input.

    - ``:config:`` that is not JSON is an error at the directive's line, not a traceback;
    - no ``:zoom:``: it loads d3 from a CDN, and the site works offline;
    - ``:title:`` is one line: it is written into the diagram's YAML front matter;
    - a diagram file (the directive's argument) is read only from inside the site's source
      folder, after resolving symlinks, and in a report only from the report folders;
    - in a report (where a site allows the directive), a diagram with a URL, CSS that
      loads something, script links, interactions or HTML (see :func:`untrusted_diagram_problems`)
      is not drawn: mermaid would load or run it in the reader's browser and in
      mermaid-cli's Chromium at build time. It is shown as the author wrote it, with a
      finding per kind at the directive's line.
    """

    option_spec: ClassVar[dict] = {**{name: spec for name, spec in Mermaid.option_spec.items() if name != "zoom"},
                                   "config": _json_object, "title": _one_line}

    def _in_report(self) -> bool:
        env = self.state.document.settings.env
        return is_report(env.config, env.docname)

    def get_mm_code(self):
        if self.arguments:
            env = self.state.document.settings.env
            path = env.relfn2path(self.arguments[0])[1]
            if self._in_report():
                if not files.confined(path, files.report_roots(env.srcdir, env.config.shuzhi_report_dirs)):
                    logger.warning("mermaid 图表文件“%s”不在报告目录中，不会读取：请把图表代码直接写在指令中。",
                                   self.arguments[0], type="shuzhi", subtype=kinds.OUTSIDE_FILE,
                                   location=(env.docname, self.lineno))
                    return []
            elif not files.confined(path, [Path(env.srcdir).resolve()]):
                logger.warning("mermaid 图表文件“%s”在网站目录之外，不会读取：请把图表代码直接写在指令中。",
                               self.arguments[0], type="shuzhi", subtype=kinds.OUTSIDE_FILE,
                               location=(env.docname, self.lineno))
                return []
        return super().get_mm_code()

    def run(self, **kwargs):
        if not self._in_report():
            return super().run(**kwargs)
        code = self.get_mm_code()
        if not isinstance(code, str):
            return code
        options = [str(self.options.get(name, "")) for name in ("config", "title", "alt", "caption")]
        problems = untrusted_diagram_problems(code, *options)
        if not problems:
            return super().run(**kwargs)
        env = self.state.document.settings.env
        for subtype, message in problems:
            logger.warning(message, type="shuzhi", subtype=subtype, location=(env.docname, self.lineno))
        return [nodes.literal_block(self.block_text, self.block_text, classes=["refused-markup"], language="text")]


def setup(app: Sphinx) -> None:
    app.add_directive("mermaid", ConfinedMermaid, override=True)
