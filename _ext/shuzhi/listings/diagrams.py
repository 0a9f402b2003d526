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
from typing import Any, NamedTuple

from docutils import nodes
from sphinxcontrib.mermaid import mermaid


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
