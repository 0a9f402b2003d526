"""Reporting what is wrong with the reports: one warning per finding, with its place.

Findings are stored in the records while reading; they are reported here,
once per build, at ``build-finished``, from the records of every report in the
environment, with the findings across the reports of one year (two reports with one
``position`` or one unit, :mod:`shuzhi.report.collection`, from the records' placements),
sorted by file and line. So a ``-j`` build, an incremental build
and a fresh build report exactly the same findings, and an incremental ``-W``
build still fails while any report has one.

Every warning has ``type="shuzhi"`` and a subtype per kind, so a site can
silence a kind with ``suppress_warnings = ["shuzhi.<kind>"]``. The kinds, with
what each means, are listed once, in :mod:`shuzhi.report.kinds`; the
``shuzhi-finding-kinds`` directive (below) makes that list the table of
docs/guide.md, so the guide names every kind and no other.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..report import collection, kinds
from ..report.pipeline import reported
from ..report.records import Finding
from .domain import get_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


def emit(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: one warning per finding of every report."""
    if exception is not None:
        return
    records = sorted(get_domain(app.env).reports.values(), key=lambda record: record.docname)
    across: dict[str, list[Finding]] = {}
    for finding in collection.findings((record.docname, record.placement) for record in records):
        across.setdefault(finding.docname, []).append(finding)
    for record in records:
        for finding in reported(record, app.config.shuzhi_placeholders_fail, across.get(record.docname, ())):
            logger.warning("%s", finding.message, type="shuzhi", subtype=finding.kind,
                           location=(finding.docname, finding.line))
    marked = [placeholder for record in records for placeholder in record.placeholders]
    if marked and not app.config.shuzhi_placeholders_fail:
        logger.info("待补充：%d 篇报告中共有 %d 处未填写的占位符，见“待补充”页面。",
                    len({placeholder.docname for placeholder in marked}), len(marked))


#: Code in a meaning, as in Markdown: between backticks, or between double backticks and spaces.
_CODE = re.compile(r"``\s(.+?)\s``|`([^`]+)`")


def _meaning(text: str) -> list[nodes.Node]:
    """*text* as inline nodes: plain text, and code where it is between backticks."""
    out: list[nodes.Node] = []
    position = 0
    for match in _CODE.finditer(text):
        if match.start() > position:
            out.append(nodes.Text(text[position:match.start()]))
        code = match[1] or match[2]
        out.append(nodes.literal(code, code))
        position = match.end()
    if position < len(text):
        out.append(nodes.Text(text[position:]))
    return out


def _row(*cells: list[nodes.Node]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        row += nodes.entry("", nodes.paragraph("", "", *cell))
    return row


class FindingKinds(SphinxDirective):
    """``shuzhi-finding-kinds``: the table of every kind of finding and what it means.

    Made from :data:`shuzhi.report.kinds.MEANINGS`, in its order, as a Markdown table
    of two columns would be (with the names' column wide enough for the longest), so
    the editors' guide cannot leave a kind out.
    """

    has_content = False

    def run(self) -> list[nodes.Node]:
        # Widths given: left to the browser, the names would wrap in the middle of a word.
        table = nodes.table(classes=["colwidths-given", "shuzhi-finding-kinds"])
        self.set_source_info(table)
        group = nodes.tgroup(cols=2)
        table += group
        group += nodes.colspec(colwidth=30)
        group += nodes.colspec(colwidth=70)
        group += nodes.thead("", _row([nodes.Text("类别")], [nodes.Text("含义")]))
        body = nodes.tbody()
        group += body
        for kind, meaning in kinds.MEANINGS.items():
            body += _row([nodes.literal(kind, kind)], _meaning(meaning))
        return [table]


def setup(app: Sphinx) -> None:
    app.connect("build-finished", emit)
    app.add_directive("shuzhi-finding-kinds", FindingKinds)
