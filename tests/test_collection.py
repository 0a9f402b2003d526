"""Rules across the reports of one year (``position_duplicate``, ``unit_duplicate``): the same
findings, word for word and at the same line, in the build (fresh, incremental, ``-j``) and in
``shuzhi check`` (the whole site, or some files beside the others).

The root ``two-years`` holds 2022/01-xiangzhen (position 1), 2023/01-xiangzhen (position 1) and
2023/02-jiedao (position 2, line 6; unit on line 7).
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from builds import ROOTS, shuzhi_warnings, sphinx_build

from shuzhi.editors import check as checking
from shuzhi.report import collection, kinds
from shuzhi.report.records import Placement

JIEDAO = "reports/2023/02-jiedao.md"
POSITION_MESSAGE = ("position 是 1，与同一年度（2023）的 reports/2023/01-xiangzhen 相同：汇编、目录和 PDF "
                    "按 position 给一年的报告排序编号，每篇报告的顺序号应各不相同。"
                    "请把其中一篇的 position 改为本年度未用的顺序号，如 2。")
UNIT_MESSAGE = ("单位“青山镇党委”在 2023 年度有两篇报告（另一篇是 reports/2023/01-xiangzhen）：每个单位每年一篇。"
                "请核对两篇的 unit 字段和年度。")
WARNING = re.compile(r"^(?P<path>.+?):(?P<line>\d+): WARNING: (?P<message>.*) \[(?P<type>[a-z_.-]+)\]$", re.MULTILINE)


def root(tmp_path: Path, old: str = "", new: str = "") -> Path:
    """A copy of ``two-years`` with *old* replaced by *new* in 2023/02-jiedao.md."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-two-years", src)
    report = src / JIEDAO
    report.write_text(report.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return src


def shared_position(tmp_path: Path) -> Path:
    return root(tmp_path, "position: 2\n", "position: 1\n")


def built(src: Path, out: Path, *options: str, isolated: bool = False) -> list[tuple[str, int, str, str]]:
    return shuzhi_warnings(sphinx_build(src, out, *options, isolated=isolated).stderr, src)


def checked(src: Path, *files: str) -> tuple[int, list[tuple[str, int, str, str]]]:
    """``shuzhi check``'s status and warnings, as ``shuzhi_warnings`` gives the build's."""
    out = io.StringIO()
    status = checking.run([str(src / name) for name in files], str(src), out=out)
    found = []
    for match in WARNING.finditer(out.getvalue()):
        path = Path(match["path"])
        path = path.resolve().relative_to(src.resolve()) if path.is_absolute() else path
        found.append((path.as_posix(), int(match["line"]), match["type"].removeprefix("shuzhi."), match["message"]))
    return status, found


# --------------------------------------------------------------------------- the build


def test_two_reports_of_one_year_sharing_a_position_are_a_finding_at_the_later_one(tmp_path: Path) -> None:
    src = shared_position(tmp_path)
    assert built(src, tmp_path / "out") == [(JIEDAO, 6, kinds.POSITION_DUPLICATE, POSITION_MESSAGE)]


def test_a_parallel_build_reports_the_same(tmp_path: Path) -> None:
    src = shared_position(tmp_path)
    # -j 2 forks: in a process of its own, not in the test's (which may run threads).
    assert built(src, tmp_path / "out", "-j", "2", isolated=True) == [(JIEDAO, 6, kinds.POSITION_DUPLICATE, POSITION_MESSAGE)]


def test_an_incremental_build_keeps_reporting_then_stops_once_fixed(tmp_path: Path) -> None:
    src = shared_position(tmp_path)
    out = tmp_path / "out"
    assert built(src, out) == [(JIEDAO, 6, kinds.POSITION_DUPLICATE, POSITION_MESSAGE)]
    # Nothing changed: nothing is read again, and the finding is still there (-W still fails).
    assert built(src, out) == [(JIEDAO, 6, kinds.POSITION_DUPLICATE, POSITION_MESSAGE)]
    report = src / JIEDAO
    report.write_text(report.read_text(encoding="utf-8").replace("position: 1\n", "position: 2\n"), encoding="utf-8")
    result = sphinx_build(src, out)
    assert result.returncode == 0, result.stderr
    assert shuzhi_warnings(result.stderr, src) == []


def test_reports_of_different_years_may_share_a_position(tmp_path: Path) -> None:
    src = root(tmp_path)  # 2022/01 and 2023/01 both have position 1
    result = sphinx_build(src, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert checked(src) == (0, [])


# --------------------------------------------------------------------------- shuzhi check


def test_check_of_the_site_prints_the_builds_line(tmp_path: Path) -> None:
    src = shared_position(tmp_path)
    assert checked(src) == (1, [(JIEDAO, 6, kinds.POSITION_DUPLICATE, POSITION_MESSAGE)])


def test_check_of_the_later_report_compares_it_with_the_others(tmp_path: Path) -> None:
    src = shared_position(tmp_path)
    assert checked(src, JIEDAO) == (1, [(JIEDAO, 6, kinds.POSITION_DUPLICATE, POSITION_MESSAGE)])


def test_check_of_the_earlier_report_prints_the_clash_on_the_other(tmp_path: Path) -> None:
    src = shared_position(tmp_path)
    assert checked(src, "reports/2023/01-xiangzhen.md") == (1, [(JIEDAO, 6, kinds.POSITION_DUPLICATE, POSITION_MESSAGE)])


def test_check_of_a_report_of_another_year_prints_nothing(tmp_path: Path) -> None:
    src = shared_position(tmp_path)
    assert checked(src, "reports/2022/01-xiangzhen.md") == (0, [])


def test_one_unit_twice_in_a_year_is_the_same_line_in_build_and_check(tmp_path: Path) -> None:
    src = root(tmp_path, "绿水街道党工委", "青山镇党委")
    expected = [(JIEDAO, 7, kinds.UNIT_DUPLICATE, UNIT_MESSAGE)]
    assert built(src, tmp_path / "out") == expected
    assert checked(src) == (1, expected)
    assert checked(src, JIEDAO) == (1, expected)


def test_check_honours_suppress_warnings_for_the_rules_across_reports(tmp_path: Path) -> None:
    src = shared_position(tmp_path)
    conf = src / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + 'suppress_warnings = ["shuzhi.position_duplicate"]\n',
                    encoding="utf-8")
    assert built(src, tmp_path / "out") == []
    assert checked(src) == (0, [])


# --------------------------------------------------------------------------- the rules (pure)


def place(year: str, position: int | None, unit: str = "", line: int = 6) -> Placement:
    return Placement(year, position, unit, 3, line, 7)


def test_each_later_report_of_a_shared_position_gets_its_own_free_position() -> None:
    found = collection.findings([("r/2023/c", place("2023", 1)), ("r/2023/a", place("2023", 1)),
                                 ("r/2023/b", place("2023", 1)), ("r/2023/d", place("2023", 2)),
                                 ("r/2023/e", place("2023", 4))])
    assert [(finding.docname, finding.kind, finding.message[-5:]) for finding in found] == [
        ("r/2023/b", kinds.POSITION_DUPLICATE, "，如 3。"), ("r/2023/c", kinds.POSITION_DUPLICATE, "，如 5。")]
    assert "与同一年度（2023）的 r/2023/a 相同" in found[0].message
    assert "与同一年度（2023）的 r/2023/b 相同" in found[1].message


@pytest.mark.parametrize("placements", [
    [("r/2022/a", place("2022", 1)), ("r/2023/a", place("2023", 1))],  # different years
    [("r/2023/a", place("2023", None)), ("r/2023/b", place("2023", None))],  # no valid position
    [("r/x/a", place("", 1)), ("r/x/b", place("", 1))],  # no year
])
def test_no_finding_without_a_shared_year_and_position(placements: list[tuple[str, Placement]]) -> None:
    assert collection.findings(placements) == []


def test_findings_concerning_some_reports_include_the_clashes_found_on_others() -> None:
    placements = [("r/2023/a", place("2023", 1)), ("r/2023/b", place("2023", 1)),
                  ("r/2023/c", place("2023", 2)), ("r/2023/d", place("2023", 2))]
    assert [finding.docname for finding in collection.findings(placements, {"r/2023/a"})] == ["r/2023/b"]
    assert [finding.docname for finding in collection.findings(placements, {"r/2023/d"})] == ["r/2023/d"]


@pytest.mark.parametrize(("text", "expected"), [
    ("position: 3", 3), ("position: \"3\"", 3), ("position: 0", None), ("position: -1", None),
    ("position: 1.0", None), ("position: [1]", None), ("position: true", None), ("title: x", None),
])
def test_a_placement_takes_only_a_positive_whole_position(text: str, expected: int | None) -> None:
    from shuzhi.report import frontmatter

    front, _ = frontmatter.read(f"---\nyear: 2023\n{text}\n---\n", "r/2023/a")
    placed = collection.placement(front)
    assert (placed.year, placed.position) == ("2023", expected)
    assert placed.position_line == (3 if text.startswith("position") else 1)
