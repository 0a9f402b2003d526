"""The ``shuzhi`` domain: per-document records of reports, purged and merged by docname."""

from __future__ import annotations

from collections.abc import Set
from typing import Any

from sphinx.domains import Domain

from .records import ReportRecord


class ReportDomain(Domain):
    """Holds what the extension learns about each document while reading.

    ``reports`` maps a report's docname to its :class:`ReportRecord`;
    ``listing_docs`` maps docnames of pages that list other reports (catalogue,
    待补充 list) to True, so they are rewritten whenever a report changes.
    """

    name = "shuzhi"
    label = "述职报告"
    initial_data: dict[str, dict[str, Any]] = {"reports": {}, "listing_docs": {}}
    # Bump when ReportRecord changes shape (2: parts, findings, placeholder context).
    data_version = 2

    @property
    def reports(self) -> dict[str, ReportRecord]:
        return self.data["reports"]

    @property
    def listing_docs(self) -> dict[str, bool]:
        return self.data["listing_docs"]

    def note_report(self, record: ReportRecord) -> None:
        self.reports[record.docname] = record

    def note_listing(self, docname: str) -> None:
        self.listing_docs[docname] = True

    def sorted_reports(self) -> list[ReportRecord]:
        """Reports newest year first, then by their position in the compilation."""

        def key(record: ReportRecord) -> tuple[int, int, str]:
            meta = record.metadata
            year = int(meta["year"]) if str(meta.get("year", "")).isdigit() else 0
            position = int(meta["position"]) if str(meta.get("position", "")).isdigit() else 10**6
            return (-year, position, record.docname)

        return sorted(self.reports.values(), key=key)

    def clear_doc(self, docname: str) -> None:
        self.reports.pop(docname, None)
        self.listing_docs.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["reports"]:
                self.reports[docname] = otherdata["reports"][docname]
            if docname in otherdata["listing_docs"]:
                self.listing_docs[docname] = True

    def resolve_any_xref(self, *args: Any) -> list:
        return []


def get_domain(env) -> ReportDomain:
    return env.domains["shuzhi"]
