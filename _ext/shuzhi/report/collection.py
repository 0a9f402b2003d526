"""Rules across the reports of one year: what is wrong with a report only beside the others.

A report's own checks (:mod:`.pipeline`) see one file. Two rules need every report of
the site:

- ``position_duplicate``: two reports of one year with the same ``position``. The
  catalogue and the PDF number a year's reports by it (第01篇…), so each report of a year
  needs its own;
- ``unit_duplicate``: one unit (``unit``) with two reports in one year (a unit reports
  once a year; its reports of other years are linked to this one, :mod:`shuzhi.listings.units`).

Each report brings its :class:`.records.Placement` (year, position, unit and the line of each
field, read from its front matter by :func:`placement`). The build gives the placements of
every report it has read, once per build (:mod:`shuzhi.build.findings`); ``shuzhi check``
gives those of every report of the site (:mod:`shuzhi.editors.check`), so both print the same
findings. Of two reports that clash, the later by name gets the finding, at the line of the
field, naming the earlier.

Pure: imports only ``report/``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from . import controls, kinds
from .frontmatter import FrontMatter
from .records import Finding, Placement


def _text(value: object) -> str:
    """A field's value as text, or "" when it is no single value (a list, a mapping, nothing)."""
    if value is None or isinstance(value, (bool, list, tuple, dict)):
        return ""
    return controls.strip(str(value)).strip()


def _position(value: object) -> int | None:
    """The position a field's value gives, or None when it is not a positive whole number
    (a ``field_invalid`` finding of its own, :func:`.frontmatter.check_fields`)."""
    if isinstance(value, float):
        return None
    text = _text(value)
    return int(text) if text.isdigit() and int(text) >= 1 else None


def placement(front: FrontMatter) -> Placement:
    """The year, position and unit of a report, with their lines, from its front matter."""
    fields = front.fields

    def line(name: str) -> int:
        return fields[name].line if name in fields else 1

    return Placement(_text(fields["year"].value) if "year" in fields else "",
                     _position(fields["position"].value) if "position" in fields else None,
                     _text(fields["unit"].value) if "unit" in fields else "",
                     line("year"), line("position"), line("unit"))


def _free_positions(used: set[int]) -> Iterable[int]:
    """The positive whole numbers not in *used*, smallest first."""
    candidate = 0
    while True:
        candidate += 1
        if candidate not in used:
            yield candidate


def position_duplicates(placements: dict[str, Placement]) -> list[tuple[Finding, str]]:
    """A ``position_duplicate`` finding per report whose year already has its position,
    with the report it clashes with; each suggests a different free position of the year."""
    years: dict[str, list[tuple[int, str]]] = {}
    for docname, place in placements.items():
        if place.year and place.position is not None:
            years.setdefault(place.year, []).append((place.position, docname))
    found = []
    for year, entries in sorted(years.items()):
        entries.sort()
        free = _free_positions({position for position, _ in entries})
        for (position, docname), (previous, other) in zip(entries[1:], entries):
            if position == previous:
                found.append((Finding(docname, placements[docname].position_line, kinds.POSITION_DUPLICATE, (
                    f"position 是 {position}，与同一年度（{year}）的 {other} 相同：汇编、目录和 PDF "
                    f"按 position 给一年的报告排序编号，每篇报告的顺序号应各不相同。"
                    f"请把其中一篇的 position 改为本年度未用的顺序号，如 {next(free)}。")), other))
    return found


def unit_duplicates(placements: dict[str, Placement]) -> list[tuple[Finding, str]]:
    """A ``unit_duplicate`` finding per report whose unit already has a report of its year,
    with that report."""
    units: dict[tuple[str, str], list[str]] = {}
    for docname, place in placements.items():
        if place.unit and place.year:
            units.setdefault((place.unit, place.year), []).append(docname)
    found = []
    for (unit, year), docnames in sorted(units.items()):
        docnames.sort()
        for docname, other in zip(docnames[1:], docnames):
            found.append((Finding(docname, placements[docname].unit_line, kinds.UNIT_DUPLICATE, (
                f"单位“{unit}”在 {year} 年度有两篇报告（另一篇是 {other}）：每个单位每年一篇。"
                "请核对两篇的 unit 字段和年度。")), other))
    return found


def findings(placements: Iterable[tuple[str, Placement]], concerning: Collection[str] | None = None) -> list[Finding]:
    """Every finding across the reports placed by *placements* ((docname, placement) pairs),
    sorted by report and line.

    With *concerning*, only the findings that involve one of those reports: on it, or on
    another report that clashes with it.
    """
    placed = dict(placements)
    found = [*position_duplicates(placed), *unit_duplicates(placed)]
    if concerning is not None:
        wanted = set(concerning)
        found = [(finding, other) for finding, other in found if finding.docname in wanted or other in wanted]
    return sorted((finding for finding, _ in found), key=lambda finding: (finding.docname, finding.line))
