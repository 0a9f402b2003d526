"""The overview pages: tables and a concept map across reports, built from the records.

Directives (each leaves a placeholder node while reading; one
``shuzhi-doctree-resolving`` handler, see :mod:`shuzhi.build.resolving`, replaces them when the
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
:func:`shuzhi.build.resolving.listed_reports`), so every link has a target in the PDF.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes

from ..build.config import report_schema
from ..build.domain import get_domain
from ..build.resolving import EVENT, holds, listed_reports
from ..glossary.linking import term_reference
from . import diagrams
from .catalogue import doc_link, table
from .invalidation import ListingDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from ..build.domain import ReportDomain
    from ..report.records import ReportRecord

#: How many concepts the matrix and the map show by default: enough to see what the
#: reports lean on, few enough for a readable diagram and a table that fits an A4 page.
TOP_CONCEPTS = 10

#: The 待补充 page (``{placeholder-list}``), linked from the per-report counts.
PLACEHOLDER_PAGE = "docs/placeholders"

#: Each directive, and the view of the reports it shows (see :mod:`shuzhi.listings.invalidation`).
DIRECTIVES = {
    "report-structure": "structure",
    "concept-matrix": "usages",
    "concept-map": "usages",
    "placeholder-counts": "placeholders",
    "report-findings": "findings",
}


class overview(nodes.General, nodes.Element):
    """Placeholder for one overview table or diagram (``kind``), replaced at write time."""


class OverviewDirective(ListingDirective):
    """One of the overview's directives (:data:`DIRECTIVES`); its name says which."""

    option_spec: ClassVar[dict] = {"top": directives.positive_int}

    @property
    def kind(self) -> str:  # type: ignore[override]
        return DIRECTIVES[self.name]

    def make_node(self) -> nodes.Element:
        return overview(kind=self.name, top=self.options.get("top", TOP_CONCEPTS))


def top_concepts(domain: ReportDomain, records: list[ReportRecord], top: int | None) -> list[tuple[str, Counter]]:
    """The *top* concepts (all if None) by mentions in *records*: (term, {docname: count}), most used first.

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


#: Reports one concept map shows at most: a year with more gets one map per concept
#: category (a few concepts each), so that the lines between them stay few enough to follow.
MAP_REPORTS = 8
#: Concepts one category's map shows at most.
CATEGORY_CONCEPTS = 5


def concept_maps(domain: ReportDomain, records: list[ReportRecord], top: int, category_order: tuple[str, ...],
                 categories: dict[str, str]) -> list[tuple[str, list[ReportRecord], list[tuple[str, Counter]]]]:
    """The concept maps to draw: (caption, reports, concepts) each, in order; no map without concepts.

    One map for the *top* concepts when the reports are of one year and at most
    :data:`MAP_REPORTS`; else one per year ("2023年"), and within a year of more reports one
    per category of *category_order* (a concept's from *categories*), "2023年 · 组织制度",
    each with that category's first :data:`CATEGORY_CONCEPTS` (at most *top*). The counts are the map's reports' own.
    """
    years: dict[str, list[ReportRecord]] = {}
    for record in records:
        years.setdefault(str(record.metadata.get("year") or ""), []).append(record)
    maps = []
    for year, group in years.items():
        year_caption = f"{year}年" if year else "未填年度"
        if len(group) <= MAP_REPORTS:
            maps.append((year_caption if len(years) > 1 else "", group, top_concepts(domain, group, top)))
            continue
        ranked = top_concepts(domain, group, None)
        for category in category_order:
            concepts = [(term, counts) for term, counts in ranked if categories.get(term) == category][:min(top, CATEGORY_CONCEPTS)]
            maps.append((f"{year_caption} · {category}", group, concepts))
    return [(caption, group, concepts) for caption, group, concepts in maps if concepts]


def report_label(number: int, record: ReportRecord) -> str:
    """Short name of a report in a diagram: 序号 and unit kind, e.g. "3 国有企业"."""
    return f"{number} {record.metadata.get('unit_kind') or record.title}"


def resolve_overviews(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``shuzhi-doctree-resolving``: replace each overview placeholder with its table or diagram.

    Before references are resolved, so that the doc and term links it creates get resolved.
    """
    placeholders = list(doctree.findall(overview)) if holds(doctree, overview) else []
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
        domain = get_domain(self.env)
        categories = {concept.term: concept.category for concept in domain.glossary.concepts} if domain.glossary else {}
        maps = concept_maps(domain, records, node["top"], tuple(self.config.shuzhi_glossary_categories), categories)
        if not maps:
            return [nodes.paragraph(text="报告中没有出现术语表中的概念。")]
        numbers = {record.docname: number for number, record in enumerate(records, start=1)}
        result: list[nodes.Node] = []
        for caption, group, concepts in maps:
            code = diagrams.concept_map_code(
                [(term, sum(counts[record.docname] for record in group)) for term, counts in concepts],
                [(report_label(numbers[record.docname], record), {term: counts.get(record.docname, 0)
                                                                  for term, counts in concepts})
                 for record in group],
                title=f"概念图：{caption}" if caption else "概念图",
            )
            box = nodes.container(classes=["shuzhi-concept-map"])
            if caption:
                box += nodes.rubric(text=caption)
            box += diagrams.node(code, ["concept-map"])
            result.append(box)
        return result
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
    for kind in DIRECTIVES:
        app.add_directive(kind, OverviewDirective)
    app.connect(EVENT, resolve_overviews)
