"""The ``report-catalogue`` directive: a table of every report, built from the records.

The directive leaves a placeholder node while reading; a
``shuzhi-doctree-resolving`` handler (:mod:`.resolving`) replaces it with the table
when the page is written, so the table always reflects every report read in this
build. Links are made as the standard domain makes ``doc`` references
(``make_refnode``), so they work in every builder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

from .domain import get_domain
from .latex import listed_reports
from .resolving import EVENT

if TYPE_CHECKING:
    from sphinx.builders import Builder

    from sphinx.application import Sphinx

    from .records import ReportRecord


class report_catalogue(nodes.General, nodes.Element):
    """Placeholder for the catalogue table, replaced at write time."""


class ReportCatalogue(SphinxDirective):
    """``{report-catalogue}``: 序号, 标题, 单位类型, 年度, 字数 for every report."""

    has_content = False
    option_spec: ClassVar[dict] = {}

    def run(self) -> list[nodes.Node]:
        get_domain(self.env).note_listing(self.env.docname, "catalogue")
        node = report_catalogue()
        self.set_source_info(node)
        return [node]


COLUMNS = ("序号", "标题", "单位类型", "年度", "字数")


def doc_link(builder: Builder, fromdoc: str, record: ReportRecord, text: str | None = None,
             title: str | None = None) -> nodes.reference:
    """A link to a report, made as the standard domain resolves a ``doc`` reference.

    Listings link to reports read in this build, so there is nothing to look up: made
    directly, the thousands of links of a large site's listings cost nothing to resolve.
    """
    text = record.title if text is None else text
    return make_refnode(builder, fromdoc, record.docname, "", nodes.inline(text, text, classes=["doc"]), title)


def table(headers: tuple[str, ...], rows: list[list[nodes.Node | str]], widths: list[int], classes: list[str]) -> nodes.table:
    """A plain docutils table (renders in HTML and LaTeX alike).

    Generated tables repeat what the reports say (titles, counts): they are left out
    of the search index (Sphinx's ``no-search`` class), so a search finds the reports.
    """
    tbl = nodes.table(classes=[*classes, "no-search"])
    group = nodes.tgroup(cols=len(headers))
    tbl += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head += nodes.row("", *(nodes.entry("", nodes.paragraph(text=text)) for text in headers))
    body = nodes.tbody()
    group += body
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            para = nodes.paragraph()
            para += nodes.Text(cell) if isinstance(cell, str) else cell
            row += nodes.entry("", para)
        body += row
    return tbl


def resolve_catalogues(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``shuzhi-doctree-resolving``: replace each catalogue placeholder with the table.

    Before references are resolved, so that the ``doc`` links it creates get resolved.
    """
    for node in list(doctree.findall(report_catalogue)):
        rows = []
        for number, record in enumerate(listed_reports(app, app.env), start=1):
            meta = record.metadata
            rows.append([str(number), doc_link(app.builder, docname, record),
                         meta.get("unit_kind", ""), meta.get("year", ""), f"{record.length:,}"])
        if rows:
            node.replace_self(table(COLUMNS, rows, [6, 50, 14, 8, 10], ["report-catalogue"]))
        else:
            node.replace_self(nodes.paragraph(text="尚无述职报告。"))


def setup(app: Sphinx) -> None:
    app.add_node(report_catalogue)
    app.add_directive("report-catalogue", ReportCatalogue)
    app.connect(EVENT, resolve_catalogues)
