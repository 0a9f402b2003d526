"""Small typed records that the extension keeps per document in the environment.

They are plain, picklable values (never docutils nodes), so the environment
stays small and ``-j`` builds can merge them.
"""

from __future__ import annotations

from typing import NamedTuple

from . import kinds


class PlaceholderRecord(NamedTuple):
    docname: str
    line: int
    text: str
    node_id: str  # id of the highlighted inline node on the report page
    context: str  # the surrounding text, for the 待补充 page


class PartRecord(NamedTuple):
    """One recognised part of a report (成效, 问题, 打算, …)."""

    key: str  # the part's key in the schema, e.g. "问题"
    heading: str  # the heading as written, e.g. "二、存在问题及原因分析"
    line: int
    node_id: str  # id of the part's section on the report page
    length: int  # characters of text in the part, heading and white space excluded


class Finding(NamedTuple):
    """A problem in a report that the editor should fix.

    ``kind`` is the warning subtype (``shuzhi.<kind>``); ``message`` says, in
    Chinese, what is wrong and what to do.
    """

    docname: str
    line: int
    kind: kinds.Kind
    message: str


class Placement(NamedTuple):
    """Where a report stands in the compilation, from its front matter: what the rules
    across the reports of one year need (:mod:`shuzhi.report.collection`).

    A value the front matter lacks, or whose form is wrong (a finding of its own), is
    empty: ``""``, or ``None`` for the position. Each line is the field's in the source
    file (1 when the field is absent).
    """

    year: str = ""
    position: int | None = None
    unit: str = ""
    year_line: int = 1
    position_line: int = 1
    unit_line: int = 1


class ReportRecord(NamedTuple):
    docname: str
    title: str
    metadata: dict[str, str]
    length: int  # characters of text, without white space
    placeholders: tuple[PlaceholderRecord, ...]
    parts: tuple[PartRecord, ...] = ()
    findings: tuple[Finding, ...] = ()
    title_id: str = ""  # id of the title's section; "" when the report has no proper title
    placement: Placement = Placement()  # year, position and unit, with their lines


class TermUsage(NamedTuple):
    """One mention of a glossary concept in a report's body text."""

    docname: str
    term: str  # the concept's canonical term
    form: str  # the text as written (the term or an alias)
    line: int
    part: str  # the title of the part (H2) the mention is in; "" in the preamble
    target_id: str  # id of the target before the first mention in this part
    linked: bool  # whether this mention became a link (see shuzhi_link_policy)
