"""The ``shuzhi`` domain: per-document records of reports, purged and merged by docname."""

from __future__ import annotations

from collections.abc import Set
from typing import Any

from sphinx.domains import Domain

from ..glossary.entries import Glossary, syllables
from ..report.records import ReportRecord, TermUsage


class ReportDomain(Domain):
    """Holds what the extension learns about each document while reading.

    ``reports`` maps a report's docname to its :class:`ReportRecord`;
    ``listing_docs`` maps docnames of pages that list other reports (catalogue,
    overview, 待补充 list, glossary backlinks) to the kinds of view they show, so
    that they are rewritten when what they show changes (:mod:`shuzhi.listings.invalidation`);
    ``view_digests`` holds the digest of each kind of view at the last build;
    ``usages`` maps a report's docname to its glossary mentions; ``glossary`` is
    the glossary loaded for this build (the same in every process);
    ``pdf_present`` the years whose compilation PDF existed at the last HTML build;
    ``units`` each unit's reports by year (:mod:`shuzhi.listings.units`, set once per build); ``reviews`` each report's review record
    by docname (:mod:`shuzhi.review.comments`)
    (see :mod:`shuzhi.pdf.downloads`); ``syllables`` the pinyin of the part keys, which name
    the parts' anchors (a pure function of the key, kept so that re-reading a
    report does not load pypinyin's dictionaries, about half a second).
    """

    name = "shuzhi"
    label = "述职报告"
    initial_data: dict[str, Any] = {"reports": {}, "listing_docs": {}, "usages": {}, "glossary": None,
                                    "pdf_present": None, "units": {}, "reviews": {}, "view_digests": {}, "syllables": {}}
    # Bump when the records change shape (3: parts, findings, placeholder context; usages; glossary;
    # 4: listing kinds, view digests; 5: title ids, part key syllables; 6: per-year PDFs; 7: units, reviews).
    data_version = 7

    @property
    def reports(self) -> dict[str, ReportRecord]:
        return self.data["reports"]

    @property
    def listing_docs(self) -> dict[str, frozenset[str]]:
        return self.data["listing_docs"]

    @property
    def usages(self) -> dict[str, tuple[TermUsage, ...]]:
        return self.data["usages"]

    @property
    def glossary(self) -> Glossary | None:
        return self.data["glossary"]

    def set_glossary(self, glossary: Glossary | None) -> None:
        self.data["glossary"] = glossary

    def note_usages(self, docname: str, usages: tuple[TermUsage, ...]) -> None:
        if usages:
            self.usages[docname] = usages
        else:
            self.usages.pop(docname, None)

    def usages_by_term(self) -> dict[str, list[TermUsage]]:
        """Every mention of each concept, in document order of the sorted reports."""
        order = {record.docname: index for index, record in enumerate(self.sorted_reports())}
        result: dict[str, list[TermUsage]] = {}
        for docname in sorted(self.usages, key=lambda doc: (order.get(doc, len(order)), doc)):
            for usage in self.usages[docname]:
                result.setdefault(usage.term, []).append(usage)
        return result

    def syllables(self, text: str) -> tuple[str, ...]:
        """Pinyin of *text* without tones (:func:`.glossary.syllables`), computed once per environment."""
        known = self.data["syllables"]
        if text not in known:
            known[text] = syllables(text)[0]
        return known[text]

    def note_report(self, record: ReportRecord) -> None:
        self.reports[record.docname] = record

    def note_listing(self, docname: str, kind: str) -> None:
        """*docname* shows the view *kind* of every report (see :data:`.listings.VIEWS`)."""
        self.listing_docs[docname] = self.listing_docs.get(docname, frozenset()) | {kind}

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
        self.usages.pop(docname, None)
        self.data["reviews"].pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["reports"]:
                self.reports[docname] = otherdata["reports"][docname]
            if docname in otherdata["listing_docs"]:
                self.listing_docs[docname] = otherdata["listing_docs"][docname]
            if docname in otherdata["usages"]:
                self.usages[docname] = otherdata["usages"][docname]
            if docname in otherdata["reviews"]:
                self.data["reviews"][docname] = otherdata["reviews"][docname]
        self.data["syllables"].update(otherdata["syllables"])

    def resolve_any_xref(self, *args: Any) -> list:
        return []


def get_domain(env) -> ReportDomain:
    return env.domains["shuzhi"]
