"""The ``report-catalogue`` directive: a table of every report, built from the records;
and ``report-years``: the pages that list each year's reports, with their counts.

The directive leaves a placeholder node while reading; a
``shuzhi-doctree-resolving`` handler (:mod:`shuzhi.build.resolving`) replaces it with the table
when the page is written, so the table always reflects every report read in this
build. Links are made as the standard domain makes ``doc`` references
(``make_refnode``), so they work in every builder.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.util.nodes import make_refnode

from ..build.domain import get_domain
from ..pdf.compilation import listed_reports
from .invalidation import ListingDirective, fill_list
from ..build.resolving import EVENT

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from ..report.records import ReportRecord


class report_catalogue(nodes.General, nodes.Element):
    """Placeholder for the catalogue table, replaced at write time."""


class ReportCatalogue(ListingDirective):
    """``{report-catalogue}``: 序号, 标题, 单位类型, 年度, 字数 for every report."""

    kind = "catalogue"
    node_class = report_catalogue


class report_years(nodes.General, nodes.Element):
    """Placeholder for the list of year pages, replaced at write time."""


class ReportYears(ListingDirective):
    """``{report-years}``: a link to each page that lists reports (a year's index), with its count.

    What a visible ``toctree`` of the year pages shows, at a constant cost: to show a
    toctree, Sphinx copies the contents of every page below it (every report of every
    year) and only then cuts the copy to ``:maxdepth:``, which costs a home page half a
    second at 500 reports. The site's toctree of years stays, hidden, for the navigation.
    """

    kind = "catalogue"
    node_class = report_years


COLUMNS = ("序号", "标题", "单位类型", "年度", "字数")


def doc_link(builder: Builder, fromdoc: str, record: ReportRecord, text: str | None = None,
             title: str | None = None) -> nodes.reference:
    """A link to a report, made as the standard domain resolves a ``doc`` reference.

    Listings link to reports read in this build, so there is nothing to look up: made
    directly, the thousands of links of a large site's listings cost nothing to resolve.
    """
    text = record.title if text is None else text
    return make_refnode(builder, fromdoc, record.docname, "", nodes.inline(text, text, classes=["doc"]), title)


Cell = nodes.Node | str


def table(headers: Sequence[Cell], rows: list[list[Cell]], widths: list[int], classes: list[str],
          builder: Builder | None = None, fromdoc: str = "") -> nodes.Element:
    """A plain table of *rows* under *headers* (cells: text, or inline nodes and links).

    For LaTeX (and any builder but HTML) a docutils table. For HTML (*builder* given)
    the table's markup itself, as docutils and the theme would write it: a listing of
    thousands of reports is then one node rather than tens of thousands, which every
    post-transform, the translator and the search indexer would otherwise walk.

    Generated tables repeat what the reports say (titles, counts): they are left out
    of the search index (Sphinx's ``no-search`` class), so a search finds the reports.
    """
    classes = [*classes, "no-search"]
    if builder is not None and builder.format == "html":
        return _html_table(headers, rows, classes, builder, fromdoc)
    tbl = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(headers))
    tbl += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head += nodes.row("", *(nodes.entry("", _paragraph(cell)) for cell in headers))
    body = nodes.tbody()
    group += body
    for cells in rows:
        body += nodes.row("", *(nodes.entry("", _paragraph(cell)) for cell in cells))
    return tbl


def _paragraph(cell: Cell) -> nodes.paragraph:
    para = nodes.paragraph()
    para += nodes.Text(cell) if isinstance(cell, str) else cell
    return para


def _html_table(headers: Sequence[Cell], rows: list[list[Cell]], classes: list[str], builder: Builder,
                fromdoc: str) -> nodes.raw:
    def cell(tag: str, value: Cell) -> str:
        attrs = ' class="head"' if tag == "th" else ""
        return f"<{tag}{attrs}><p>{_html(value, builder, fromdoc)}</p></{tag}>"

    out = [f'<div class="pst-scrollable-table-container"><table class="{" ".join(classes)} table">',
           '<thead>\n<tr class="row-odd">' + "\n".join(cell("th", value) for value in headers) + "\n</tr>\n</thead>",
           "<tbody>"]
    for number, cells in enumerate(rows):
        parity = "even" if number % 2 == 0 else "odd"
        out.append(f'<tr class="row-{parity}">' + "\n".join(cell("td", value) for value in cells) + "\n</tr>")
    out.append("</tbody>\n</table>\n</div>\n")
    return nodes.raw("", "\n".join(out), format="html", classes=["no-search"])


def _html(value: Cell, builder: Builder, fromdoc: str) -> str:
    """The HTML of a cell: text, ``inline`` spans, references and (resolved) ``pending_xref``."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, nodes.Text):
        return html.escape(value.astext(), quote=False)
    if isinstance(value, addnodes.pending_xref):
        domain = builder.env.get_domain(value["refdomain"])
        content = value.children[0] if value.children else nodes.Text(value["reftarget"])
        resolved = domain.resolve_xref(builder.env, fromdoc, builder, value["reftype"], value["reftarget"],
                                       value, content)
        if resolved is None:
            return _html(content, builder, fromdoc)
        resolved["classes"] = [*value.get("classes", []), *resolved.get("classes", [])]  # as Sphinx's resolver
        return _html(resolved, builder, fromdoc)
    inner = "".join(_html(child, builder, fromdoc) for child in value.children)
    classes = " ".join(value.get("classes", []))
    if isinstance(value, nodes.reference):
        kind = "internal" if value.get("internal") or not value.get("refuri", "").startswith(("http:", "https:")) else "external"
        href = value.get("refuri") or "#" + value.get("refid", "")
        title = f' title="{html.escape(value["reftitle"])}"' if value.get("reftitle") else ""
        return f'<a class="reference {kind}{" " + classes if classes else ""}" href="{html.escape(href)}"{title}>{inner}</a>'
    if isinstance(value, nodes.inline):
        return f'<span class="{html.escape(classes)}">{inner}</span>' if classes else f"<span>{inner}</span>"
    return inner


def resolve_catalogues(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``shuzhi-doctree-resolving``: replace each catalogue placeholder with the table.

    Before references are resolved, so that the ``doc`` links it creates get resolved.
    """
    limit = app.config.shuzhi_catalogue_max if app.builder.format == "html" else 0
    for node in list(doctree.findall(report_catalogue)):
        rows = []
        records = listed_reports(app, app.env)
        for number, record in enumerate(records[:limit] if limit > 0 else records, start=1):
            meta = record.metadata
            rows.append([str(number), doc_link(app.builder, docname, record),
                         meta.get("unit_kind", ""), meta.get("year", ""), f"{record.length:,}"])
        if not rows:
            node.replace_self(nodes.paragraph(text="尚无述职报告。"))
            continue
        result: list[nodes.Node] = [table(COLUMNS, rows, [6, 50, 14, 8, 10], ["report-catalogue"], app.builder, docname)]
        if len(rows) < len(records):
            # A page of constant size: the rest is on the year pages (and in the search).
            note = nodes.paragraph(classes=["report-catalogue-more"])
            note += nodes.Text(f"以上是最新的 {len(rows)} 篇，共 {len(records)} 篇；全部报告按年度列在：")
            for index, (page, count) in enumerate(year_pages(app)):
                title = app.env.titles[page].astext() if page in app.env.titles else page
                if index:
                    note += nodes.Text("、")
                note += make_refnode(app.builder, docname, page, "", nodes.inline(title, title, classes=["doc"]))
                note += nodes.Text(f"（{count} 篇）")
            note += nodes.Text("。")
            result.append(note)
        node.replace_self(result)


def year_pages(app: Sphinx) -> list[tuple[str, int]]:
    """(docname, number of reports) of each page whose toctree lists reports, newest year first."""
    env = app.env
    parent = {child: page for page, children in env.toctree_includes.items() for child in children}
    counts: dict[str, int] = {}
    for record in get_domain(env).sorted_reports():
        if record.docname in parent:
            counts[parent[record.docname]] = counts.get(parent[record.docname], 0) + 1
    return list(counts.items())


def resolve_years(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``shuzhi-doctree-resolving``: replace each list-of-years placeholder with the list."""

    def item(row: tuple[str, int]) -> nodes.list_item:
        page, count = row
        title = app.env.titles[page].astext() if page in app.env.titles else page
        para = nodes.paragraph()
        para += make_refnode(app.builder, docname, page, "", nodes.inline(title, title, classes=["doc"]))
        para += nodes.Text(f"（{count} 篇）")
        return nodes.list_item("", para)

    fill_list(doctree, report_years, lambda: year_pages(app), item, "report-years", "尚无述职报告。")


def setup(app: Sphinx) -> None:
    app.add_node(report_catalogue)
    app.add_node(report_years)
    app.add_directive("report-catalogue", ReportCatalogue)
    app.add_directive("report-years", ReportYears)
    app.connect(EVENT, resolve_catalogues)
    app.connect(EVENT, resolve_years)
