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
