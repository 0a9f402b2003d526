"""The overview pages: tables and a concept map across reports, built from the records.

Directives (each leaves a placeholder node while reading; one
``shuzhi-doctree-resolving`` handler, see :mod:`.resolving`, replaces them when the
page is written, once every report has been read):

- ``{report-structure}``: report × part, the heading each report used for each
  required part (and each optional part some report has), linked to the part;
- ``{concept-matrix}``: the most-used glossary concepts × reports, with counts
  (option ``:top:``, default 10);
- ``{concept-map}``: the same concepts linked to the reports that use them, as a
  mermaid diagram;
- ``{placeholder-counts}``: unfilled placeholders per report, pointing to the 待补充 page;
- ``{report-findings}``: every finding of the structure checks ("无" when none).

The numbers are the ones the checks, the links and the 待补充 page use: the
domain's :class:`~.records.ReportRecord` (parts, placeholders, findings) and
:class:`~.records.TermUsage` records. Reports are numbered as in the catalogue
(序号). In the PDF only the printed year's reports are listed (see
:func:`.latex.listed_reports`), so every link has a target in the PDF.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes

from . import diagrams
from .catalogue import doc_link, table
from .config import report_schema
from .domain import get_domain
from .latex import listed_reports
from .linking import term_reference
from .listings import ListingDirective
from .resolving import EVENT

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from .domain import ReportDomain
    from .records import ReportRecord

#: How many concepts the matrix and the map show by default: enough to see what the
#: reports lean on, few enough for a readable diagram and a table that fits an A4 page.
TOP_CONCEPTS = 10

#: The 待补充 page (``{placeholder-list}``), linked from the per-report counts.
PLACEHOLDER_PAGE = "docs/placeholders"

#: Each directive, and the view of the reports it shows (see :mod:`.listings`).
KINDS = {
    "report-structure": "structure",
    "concept-matrix": "usages",
    "concept-map": "usages",
    "placeholder-counts": "placeholders",
    "report-findings": "findings",
}


class overview(nodes.General, nodes.Element):
    """Placeholder for one overview table or diagram (``kind``), replaced at write time."""


class OverviewDirective(ListingDirective):
    """One of the overview's directives (:data:`KINDS`); its name says which."""

    option_spec: ClassVar[dict] = {"top": directives.positive_int}

    @property
    def kind(self) -> str:  # type: ignore[override]
        return KINDS[self.name]

    def make_node(self) -> nodes.Element:
        return overview(kind=self.name, top=self.options.get("top", TOP_CONCEPTS))


def top_concepts(domain: ReportDomain, records: list[ReportRecord], top: int) -> list[tuple[str, Counter]]:
    """The *top* concepts by mentions in *records*: (term, {docname: count}), most used first.

    Ties go to the concept used in more reports, then to the term in code-point order,
    so the choice is the same at every build.
    """
    docnames = {record.docname for record in records}
    counts: dict[str, Counter] = {}
    for docname in docnames:
        for usage in domain.usages.get(docname, ()):
            counts.setdefault(usage.term, Counter())[docname] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1].total(), -len(item[1]), item[0]))
    return ranked[:top]


def report_label(number: int, record: ReportRecord) -> str:
    """Short name of a report in a diagram: 序号 and unit kind, e.g. "3 国有企业"."""
    return f"{number} {record.metadata.get('unit_kind') or record.title}"


def resolve_overviews(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``shuzhi-doctree-resolving``: replace each overview placeholder with its table or diagram.

    Before references are resolved, so that the doc and term links it creates get resolved.
    """
    placeholders = list(doctree.findall(overview))
    if not placeholders:
        return
    tables = OverviewTables(app, docname)
    records = listed_reports(app, app.env)
    for node in placeholders:
        build = getattr(tables, node["kind"].replace("-", "_"))
        result = build(records, node) if records else [nodes.paragraph(text="尚无述职报告。")]
        node.replace_self(result)


class OverviewTables:
    """The overview tables and the concept map, for the page *docname* in this build."""

    def __init__(self, app: Sphinx, docname: str) -> None:
        self.builder = app.builder
        self.env = app.env
        self.config = app.config
        self.docname = docname
        self._uris: dict[str, str] = {}

    # -- helpers ----------------------------------------------------------------
    def report_uri(self, docname: str) -> str:
        """The URI of a report relative to this page, computed once per report (a report has several parts)."""
        uri = self._uris.get(docname)
        if uri is None:
            uri = self._uris[docname] = self.builder.get_relative_uri(self.docname, docname)
        return uri

    def part_link(self, record: ReportRecord, node_id: str, text: str) -> nodes.reference:
        uri = self.report_uri(record.docname) + "#" + node_id
        ref = nodes.reference("", "", internal=True, refuri=uri)
        ref += nodes.Text(text)
        return ref

    def number_link(self, number: int, record: ReportRecord) -> nodes.reference:
        return doc_link(self.builder, self.docname, record, str(number), record.title)

    # -- the tables and the map -----------------------------------------------------
    def report_structure(self, records: list[ReportRecord], node: overview) -> list[nodes.Node]:
        schema = report_schema(self.config)
        used = {part.key for record in records for part in record.parts}
        columns = [spec for spec in schema.parts if spec.required or spec.key in used]
        rows = []
        for number, record in enumerate(records, start=1):
            cells: list[nodes.Node | str] = [str(number), doc_link(self.builder, self.docname, record)]
            for spec in columns:
                parts = [part for part in record.parts if part.key == spec.key]
                if not parts:
                    cells.append("（缺）" if spec.required else "—")
                    continue
                cell = nodes.inline()
                for index, part in enumerate(parts):
                    if index:
                        cell += nodes.Text("；")
                    cell += self.part_link(record, part.node_id, part.heading)
                cells.append(cell)
            rows.append(cells)
        headers = ("序号", "报告", *(spec.key for spec in columns))
        widths = [5, 30, *(65 // max(len(columns), 1) for _ in columns)]
        return [table(headers, rows, widths, ["report-structure"], self.builder, self.docname)]

    def concept_matrix(self, records: list[ReportRecord], node: overview) -> list[nodes.Node]:
        concepts = top_concepts(get_domain(self.env), records, node["top"])
        if not concepts:
            return [nodes.paragraph(text="报告中没有出现术语表中的概念。")]
        # Concepts as rows, reports as numbered columns: the table stays narrow with many reports.
        return [table(
            ("概念", *(self.number_link(number, record) for number, record in enumerate(records, start=1)), "合计"),
            [[term_reference(term, term), *(str(counts.get(record.docname, 0)) for record in records),
              str(counts.total())] for term, counts in concepts],
            [24, *(6 for _ in records), 8], ["concept-matrix"], self.builder, self.docname,
        )]

    def concept_map(self, records: list[ReportRecord], node: overview) -> list[nodes.Node]:
        concepts = top_concepts(get_domain(self.env), records, node["top"])
        if not concepts:
            return [nodes.paragraph(text="报告中没有出现术语表中的概念。")]
        code = diagrams.concept_map_code(
            [(term, counts.total()) for term, counts in concepts],
            [(report_label(number, record), {term: counts.get(record.docname, 0) for term, counts in concepts})
             for number, record in enumerate(records, start=1)],
        )
        return [diagrams.node(code, ["concept-map"])]

    def placeholder_counts(self, records: list[ReportRecord], node: overview) -> list[nodes.Node]:
        rows: list[list[nodes.Node | str]] = [
            [str(number), doc_link(self.builder, self.docname, record), str(len(record.placeholders))]
            for number, record in enumerate(records, start=1)
        ]
        total = sum(len(record.placeholders) for record in records)
        rows.append(["", "合计", str(total)])
        note = nodes.paragraph()
        if self.builder.format == "html" and PLACEHOLDER_PAGE in self.env.all_docs:
            note += nodes.Text(f"共 {total} 处。逐处的位置和上下文见")
            ref = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget="/" + PLACEHOLDER_PAGE,
                                        refdoc=self.docname, refexplicit=True, refwarn=True)
            ref += nodes.inline("待补充", "待补充")
            note += ref
            note += nodes.Text("页面。")
        else:  # the 待补充 page is not printed
            note += nodes.Text(f"共 {total} 处。逐处的位置和上下文见网站上的“待补充”页面。")
        return [table(("序号", "报告", "待补充（处）"), rows, [6, 60, 14], ["placeholder-counts"], self.builder,
                      self.docname), note]

    def report_findings(self, records: list[ReportRecord], node: overview) -> list[nodes.Node]:
        numbers = {record.docname: number for number, record in enumerate(records, start=1)}
        rows: list[list[nodes.Node | str]] = [
            [str(numbers[record.docname]), doc_link(self.builder, self.docname, record), str(finding.line),
             finding.kind, finding.message]
            for record in records for finding in record.findings
        ]
        if not rows:
            return [nodes.paragraph(text="无。", classes=["report-findings-none"])]
        return [table(("序号", "报告", "行", "类型", "问题和修改方法"), rows, [5, 22, 5, 12, 56], ["report-findings"],
                      self.builder, self.docname)]


def setup(app: Sphinx) -> None:
    app.add_node(overview)
    for kind in KINDS:
        app.add_directive(kind, OverviewDirective)
    app.connect(EVENT, resolve_overviews)
