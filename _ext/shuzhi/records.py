"""Small typed records that the extension keeps per document in the environment.

They are plain, picklable values (never docutils nodes), so the environment
stays small and ``-j`` builds can merge them.
"""

from __future__ import annotations

from typing import NamedTuple


class PlaceholderRecord(NamedTuple):
    docname: str
    line: int
    text: str
    node_id: str  # id of the highlighted inline node on the report page


class ReportRecord(NamedTuple):
    docname: str
    title: str
    metadata: dict[str, str]
    length: int  # characters of text, without white space
    placeholders: tuple[PlaceholderRecord, ...]


class TermUsage(NamedTuple):
    """One mention of a glossary concept in a report's body text."""

    docname: str
    term: str  # the concept's canonical term
    form: str  # the text as written (the term or an alias)
    line: int
    part: str  # the title of the part (H2) the mention is in; "" in the preamble
    target_id: str  # id of the target before the first mention in this part
    linked: bool  # whether this mention became a link (see shuzhi_link_policy)
