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

from builds import ROOTS, shuzhi_warnings, sphinx_build

FOLDER = "reports/2023"


def test_parallel_and_incremental_builds_report_the_same_findings(tmp_path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-malformed", src)
    (src / FOLDER / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

    serial = sphinx_build(src, tmp_path / "serial", "-j", "1")
    clean = shuzhi_warnings(serial.stderr, src)
    assert len({path for path, *_ in clean}) >= 20, serial.stderr[-2000:]

    parallel = sphinx_build(src, tmp_path / "parallel", "-j", "2")
    assert shuzhi_warnings(parallel.stderr, src) == clean

    # Touch one report: only it (and pages that list reports) is re-read, all findings are reported.
    touched = src / FOLDER / "order.md"
    # Now, not in the future: a future mtime would make the file look changed in later builds too.
    now = time.time()
    os.utime(touched, (now, now))
    incremental = sphinx_build(src, tmp_path / "serial", "-j", "1")
    changed = re.search(r"(\d+) added, (\d+) changed, (\d+) removed", incremental.stdout)
    assert changed is not None and int(changed[2]) < len(clean), incremental.stdout
    assert shuzhi_warnings(incremental.stderr, src) == clean

    # Fix one report: exactly its finding disappears, in a parallel incremental build.
    fixed = src / FOLDER / "numbering-gap.md"
    fixed.write_text(fixed.read_text(encoding="utf-8").replace("## 四、", "## 三、"), encoding="utf-8")
    after_fix = sphinx_build(src, tmp_path / "parallel", "-j", "2")
    expected = [warning for warning in clean if warning[0] != f"{FOLDER}/numbering-gap.md"]
    assert shuzhi_warnings(after_fix.stderr, src) == expected

    # Nothing to read at all (the unreadable file, never read, is gone): the findings are
    # still reported, so an incremental -W build keeps failing until the reports are fixed.
    (src / FOLDER / "binary.md").unlink()
    noop = sphinx_build(src, tmp_path / "parallel", "-j", "2")
    assert "0 added, 0 changed, 0 removed" in noop.stdout
    assert shuzhi_warnings(noop.stderr, src) == [
        warning for warning in expected if warning[0] != f"{FOLDER}/binary.md"
    ]
    assert noop.returncode == 1
