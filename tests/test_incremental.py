"""Parallel and incremental builds report exactly the findings of a clean serial build.

Findings are computed when a document is read, stored in the environment
and reported from there at the end of every build, so ``-j 2``, a rebuild
after touching one file, and a rebuild with nothing to do all print the
same warnings, in the same order, as a clean ``-j 1`` build.
"""

from __future__ import annotations

import os
import re
import shutil
import time

import pytest
from builds import ROOTS, shuzhi_warnings, sphinx_build

FOLDER = "reports/2023"


@pytest.mark.slow
def test_parallel_and_incremental_builds_report_the_same_findings(tmp_path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-malformed", src)
    (src / FOLDER / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

    serial = sphinx_build(src, tmp_path / "serial", "-j", "1", isolated=True)
    clean = shuzhi_warnings(serial.stderr, src)
    # Every report of the root is malformed: each has its findings.
    reports = {path.relative_to(src).as_posix() for path in (src / FOLDER).glob("*.md")}
    assert {path for path, *_ in clean} == reports, serial.stderr[-2000:]
    assert len(reports) >= 20

    parallel = sphinx_build(src, tmp_path / "parallel", "-j", "2", isolated=True)
    assert shuzhi_warnings(parallel.stderr, src) == clean

    # Touch one report: only it (and pages that list reports) is re-read, all findings are reported.
    touched = src / FOLDER / "order.md"
    # Now, not in the future: a future mtime would make the file look changed in later builds too.
    now = time.time()
    os.utime(touched, (now, now))
    incremental = sphinx_build(src, tmp_path / "serial", "-j", "1", isolated=True)
    changed = re.search(r"(\d+) added, (\d+) changed, (\d+) removed", incremental.stdout)
    assert changed is not None and int(changed[2]) < len(clean), incremental.stdout
    assert shuzhi_warnings(incremental.stderr, src) == clean

    # Fix one report: exactly its finding disappears, in a parallel incremental build.
    fixed = src / FOLDER / "numbering-gap.md"
    fixed.write_text(fixed.read_text(encoding="utf-8").replace("## 四、", "## 三、"), encoding="utf-8")
    after_fix = sphinx_build(src, tmp_path / "parallel", "-j", "2", isolated=True)
    expected = [warning for warning in clean if warning[0] != f"{FOLDER}/numbering-gap.md"]
    assert shuzhi_warnings(after_fix.stderr, src) == expected

    # Nothing to read at all (the unreadable file, never read, is gone): the findings are
    # still reported, so an incremental -W build keeps failing until the reports are fixed.
    (src / FOLDER / "binary.md").unlink()
    noop = sphinx_build(src, tmp_path / "parallel", "-j", "2", isolated=True)
    assert "0 added, 0 changed, 0 removed" in noop.stdout
    assert shuzhi_warnings(noop.stderr, src) == [
        warning for warning in expected if warning[0] != f"{FOLDER}/binary.md"
    ]
    assert noop.returncode == 1


def _imported(stderr: str) -> set[str]:
    """Top-level modules imported, from ``PYTHONPROFILEIMPORTTIME``'s lines on stderr."""
    return {line.rsplit("|", 1)[1].strip().split(".")[0] for line in stderr.splitlines() if line.startswith("import time:")}


@pytest.mark.slow
def test_re_reading_a_report_loads_neither_pypinyin_nor_jieba(tmp_path, monkeypatch) -> None:
    # pypinyin's dictionaries take half a second to load and hold 200,000 objects that
    # every garbage collection rescans; the part anchors' pinyin is kept in the
    # environment instead. jieba (and pkg_resources, which it imports) is not needed at
    # all with the site's own search, which segments with rjieba.
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-structure-valid", src)
    monkeypatch.setenv("PYTHONPROFILEIMPORTTIME", "1")
    first = sphinx_build(src, tmp_path / "out", isolated=True)
    assert first.returncode == 0, first.stderr[-2000:]
    assert "pypinyin" in _imported(first.stderr)
    assert "jieba" not in _imported(first.stderr)

    report = next((src / FOLDER).glob("0*.md"))
    report.write_text(report.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    again = sphinx_build(src, tmp_path / "out", isolated=True)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "reading sources... [100%]" in again.stdout
    assert not {"pypinyin", "jieba"} & _imported(again.stderr)
