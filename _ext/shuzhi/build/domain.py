"""The ``shuzhi`` domain: per-document records of reports, purged and merged by docname."""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

from sphinx.domains import Domain

from ..glossary.entries import Glossary, syllables
from ..report.records import ReportRecord, TermUsage


class ReportDomain(Domain):
    """Holds what the extension learns about each document while reading.

    Every key has an accessor here and its writers, called by the features that own it:

    - ``reports``: a report's docname → its :class:`ReportRecord`; :meth:`note_report`,
      by :mod:`shuzhi.build.reading`;
    - ``usages``: a report's docname → its glossary mentions; :meth:`note_usages`, by
      :mod:`shuzhi.build.reading`;
    - ``glossary``: the glossary loaded for this build (the same in every process);
      :meth:`set_glossary`, by :mod:`shuzhi.glossary.loading`;
    - ``listing_docs``: a page that lists reports (catalogue, overview, 待补充 list, glossary
      backlinks) → the kinds of view it shows, so that it is rewritten when what it shows
      changes; :meth:`note_listing`, by :mod:`shuzhi.listings.invalidation` (the listing
      directives) and by :mod:`shuzhi.glossary.page` (the glossary page, whose backlinks show
      the ``usages`` above);
    - ``view_digests``: builder name → the digest of each kind of view at its last build;
      :meth:`set_view_digests`, by :mod:`shuzhi.listings.invalidation`;
    - ``units``: unit → its reports as (year, docname), made once per build after reading;
      :meth:`set_units`, by :mod:`shuzhi.listings.units`;
    - ``reviews``: a report's docname → its review record (:class:`shuzhi.review.comments.Review`);
      :meth:`note_review`, by :mod:`shuzhi.review.comments`;
    - ``pdf_present``: the years whose compilation PDF existed at the last HTML build;
      :meth:`set_pdf_present`, by :mod:`shuzhi.pdf.downloads`;
    - ``syllables``: the pinyin of the part keys, which name the parts' anchors (a pure
      function of the key, kept so that re-reading a report does not load pypinyin's
      dictionaries, about half a second); :meth:`syllables` itself.

    The per-document keys (``reports``, ``usages``, ``listing_docs``, ``reviews``) are purged
    by :meth:`clear_doc` and merged by docname in :meth:`merge_domaindata`; the others are
    made once all documents are read (``env-updated``, ``env-get-outdated``), in the main
    process, so they have nothing to merge.
    """

    name = "shuzhi"
    label = "述职报告"
    initial_data: dict[str, Any] = {"reports": {}, "listing_docs": {}, "usages": {}, "glossary": None,
                                    "pdf_present": None, "units": {}, "reviews": {}, "view_digests": {}, "syllables": {}}
    # Bump when the records change shape (3: parts, findings, placeholder context; usages; glossary;
    # 4: listing kinds, view digests; 5: title ids, part key syllables; 6: per-year PDFs; 7: units, reviews;
    # 8: placements).
    data_version = 8

    # -- accessors ------------------------------------------------------------

    @property
    def reports(self) -> Mapping[str, ReportRecord]:
        return self.data["reports"]

    @property
    def usages(self) -> Mapping[str, tuple[TermUsage, ...]]:
        return self.data["usages"]

    @property
    def glossary(self) -> Glossary | None:
        return self.data["glossary"]

    @property
    def listing_docs(self) -> Mapping[str, frozenset[str]]:
        return self.data["listing_docs"]

    def view_digests(self, builder: str) -> Mapping[str, str]:
        """Each kind of view's digest at *builder*'s last build (empty before its first)."""
        return self.data["view_digests"].get(builder, {})

    @property
    def units(self) -> Mapping[str, tuple[tuple[str, str], ...]]:
        return self.data["units"]

    @property
    def reviews(self) -> Mapping[str, Any]:
        return self.data["reviews"]

    @property
    def pdf_present(self) -> frozenset[str]:
        return self.data["pdf_present"] or frozenset()

    # -- writers (each called by the one feature that owns the key) ----------------

    def note_report(self, record: ReportRecord) -> None:
        self.data["reports"][record.docname] = record

    def note_usages(self, docname: str, usages: tuple[TermUsage, ...]) -> None:
        if usages:
            self.data["usages"][docname] = usages
        else:
            self.data["usages"].pop(docname, None)

    def set_glossary(self, glossary: Glossary | None) -> None:
        self.data["glossary"] = glossary

    def note_listing(self, docname: str, kind: str) -> None:
        """*docname* shows the view *kind* of every report (see :data:`.listings.invalidation.VIEWS`)."""
        self.data["listing_docs"][docname] = self.listing_docs.get(docname, frozenset()) | {kind}

    def set_view_digests(self, builder: str, digests: dict[str, str]) -> None:
        self.data["view_digests"][builder] = digests

    def set_units(self, units: dict[str, tuple[tuple[str, str], ...]]) -> None:
        self.data["units"] = units

    def note_review(self, docname: str, review: Any) -> None:
        """*docname*'s review record, or None: the report has no review file."""
        if review is None:
            self.data["reviews"].pop(docname, None)
        else:
            self.data["reviews"][docname] = review

    def set_pdf_present(self, years: frozenset[str]) -> None:
        self.data["pdf_present"] = years

    # -- derived ------------------------------------------------------------------

    def usages_by_term(self) -> dict[str, list[TermUsage]]:
        """Every mention of each concept, in document order of the sorted reports."""
        order = {record.docname: index for index, record in enumerate(self.sorted_reports())}
        result: dict[str, list[TermUsage]] = {}
        for docname in sorted(self.usages, key=lambda doc: (order.get(doc, len(order)), doc)):
            for usage in self.usages[docname]:
                result.setdefault(usage.term, []).append(usage)
        return result

    def syllables(self, text: str) -> tuple[str, ...]:
        """Pinyin of *text* without tones (:func:`shuzhi.glossary.entries.syllables`), computed once per environment."""
        known = self.data["syllables"]
        if text not in known:
            known[text] = syllables(text)[0]
        return known[text]

    def sorted_reports(self) -> list[ReportRecord]:
        """Reports newest year first, then by their position in the compilation."""

        def key(record: ReportRecord) -> tuple[int, int, str]:
            meta = record.metadata
            year = int(meta["year"]) if str(meta.get("year", "")).isdigit() else 0
            position = int(meta["position"]) if str(meta.get("position", "")).isdigit() else 10**6
            return (-year, position, record.docname)

        return sorted(self.reports.values(), key=key)

    #: The keys that hold one entry per document, purged and merged by docname.
    PER_DOCUMENT = ("reports", "listing_docs", "usages", "reviews")

    def clear_doc(self, docname: str) -> None:
        for key in self.PER_DOCUMENT:
            self.data[key].pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for key in self.PER_DOCUMENT:
            theirs = otherdata[key]
            self.data[key].update((docname, theirs[docname]) for docname in docnames if docname in theirs)
        self.data["syllables"].update(otherdata["syllables"])

    def resolve_any_xref(self, *args: Any) -> list:
        return []


def get_domain(env) -> ReportDomain:
    return env.domains["shuzhi"]
