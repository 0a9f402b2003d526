"""A unit's reports across years: 上一年度 and 下一年度 on each report, and a page of every unit.

述职评议 is a yearly cycle, so a unit's 2023 report is read beside its 2022 one. A report
names its unit in the front matter (``unit``: the organisation as written, redactions such
as ``**镇党委`` included; the same text every year); reports naming the same unit are that
unit's reports, one per year. The front-matter check validates the value
(:mod:`shuzhi.report.frontmatter`); here:

- after reading (``env-updated``), the index unit → ((year, docname), …) is made once per
  build and kept in the domain; the report pages whose neighbours changed are rewritten
  (a unit with two reports in one year is a finding across reports, ``shuzhi.unit_duplicate``:
  :mod:`shuzhi.report.collection`, reported with the others by :mod:`shuzhi.build.findings`);
- each report's card (:mod:`shuzhi.listings.card`, HTML) shows 单位, 上一年度 and 下一年度, and links to
  the unit's entry on the page that holds ``{unit-reports}``;
- ``{unit-reports}`` lists every unit with the years of its reports.

Reports without ``unit`` take part in nothing here: nothing is guessed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.nodes import make_refnode

from ..build.domain import get_domain
from ..build.resolving import EVENT
from .invalidation import ListingDirective, fill_list

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from ..report.records import ReportRecord


Entries = tuple[tuple[str, str], ...]  # (year, docname), oldest first


# --------------------------------------------------------------------------- the index (pure)


def index(records: Iterable[ReportRecord]) -> dict[str, Entries]:
    """unit → its reports as (year, docname), oldest year first."""
    found: dict[str, list[tuple[str, str]]] = {}
    for record in records:
        unit, year = record.metadata.get("unit", "").strip(), record.metadata.get("year", "").strip()
        if unit and year:
            found.setdefault(unit, []).append((year, record.docname))
    return {unit: tuple(sorted(entries)) for unit, entries in sorted(found.items())}


def anchor(unit: str) -> str:
    """The unit's anchor on the units page: stable, whatever the other units are."""
    return "unit-" + hashlib.sha1(unit.encode("utf-8")).hexdigest()[:10]


def neighbours(entries: Entries, docname: str) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """The unit's reports of the year before and of the year after *docname*'s."""
    docnames = [doc for _, doc in entries]
    if docname not in docnames:
        return None, None
    at = docnames.index(docname)
    return (entries[at - 1] if at > 0 else None), (entries[at + 1] if at + 1 < len(entries) else None)


# --------------------------------------------------------------------------- build


def update_index(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: the index, kept for the pages; the reports whose neighbours changed."""
    domain = get_domain(env)
    current = index(domain.sorted_reports())
    previous = domain.units
    domain.set_units(current)
    changed = {unit for unit in {*previous, *current} if previous.get(unit) != current.get(unit)}
    return sorted({doc for unit in changed for _, doc in (*previous.get(unit, ()), *current.get(unit, ()))
                   if doc in env.found_docs})


def units_page(app: Sphinx) -> str | None:
    """The page that holds ``{unit-reports}``, if any (the first, by name)."""
    pages = sorted(doc for doc, kinds in get_domain(app.env).listing_docs.items() if "units" in kinds)
    return pages[0] if pages else None


def card_fields(app: Sphinx, fromdoc: str, record: ReportRecord) -> list[tuple[str, list[nodes.Node | str]]]:
    """The card's 单位, 上一年度 and 下一年度 for *record*: (label, content) pairs."""
    unit = record.metadata.get("unit", "").strip()
    if not unit:
        return []
    entries = get_domain(app.env).units.get(unit, ())
    page = units_page(app)
    name: list[nodes.Node | str] = [unit]
    if page is not None:
        name = [make_refnode(app.builder, fromdoc, page, anchor(unit), nodes.inline(unit, unit),
                             "本单位历年的报告")]
    fields: list[tuple[str, list[nodes.Node | str]]] = [("单位", name)]
    before, after = neighbours(entries, record.docname)
    for label, entry in (("上一年度", before), ("下一年度", after)):
        if entry is not None:
            text = f"{entry[0]}年度"
            ref = make_refnode(app.builder, fromdoc, entry[1], "", nodes.inline(text, text), f"{unit} {text}的报告")
            ref["classes"].append("unit-" + ("previous" if entry is before else "next"))
            fields.append((label, [ref]))
    return fields


class unit_reports(nodes.General, nodes.Element):
    """Placeholder for the list of units, replaced at write time."""


class UnitReports(ListingDirective):
    """``{unit-reports}``: every unit that names itself in its reports, with each year's report."""

    kind = "units"
    node_class = unit_reports


def resolve_unit_reports(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``shuzhi-doctree-resolving``: fill ``{unit-reports}`` from the index."""
    domain = get_domain(app.env)

    def item(row: tuple[str, Entries]) -> nodes.list_item:
        unit, entries = row
        para = nodes.paragraph()
        para += nodes.strong(unit, unit)
        para += nodes.Text(f"（{len(entries)} 篇）：")
        for index_, (year, doc) in enumerate(entries):
            if index_:
                para += nodes.Text("；")
            text = f"{year}年度"
            title = domain.reports[doc].title if doc in domain.reports else doc
            para += make_refnode(app.builder, docname, doc, "", nodes.inline(text, text), title)
        return nodes.list_item("", para, ids=[anchor(unit)])

    fill_list(doctree, unit_reports, lambda: list(domain.units.items()), item, "unit-reports",
              "本汇编的报告都还没有填写 unit（单位）字段，因此无法把同一单位的历年报告联系起来。填写方法见《编辑指南》。")


def setup(app: Sphinx) -> None:
    app.add_node(unit_reports)
    app.add_directive("unit-reports", UnitReports)
    app.connect(EVENT, resolve_unit_reports)
    app.connect("env-updated", update_index)
