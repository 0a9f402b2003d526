"""Pages that list the reports are rewritten when what they show changes, and only then.

An incremental build of the real site: appending a sentence to a report changes its
字数, so the catalogue (home page) is rewritten with the new count; the overview, the
待补充 page and the glossary show nothing that changed and are left as they were.
A new placeholder then rewrites the 待补充 page, and a new mention of a concept the
glossary and the overview.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from builds import REPO, sphinx_build

REPORT = "reports/2023/02-jiguan.md"
PAGES = ("index.html", "docs/overview.html", "docs/placeholders.html", "docs/glossary.html")


def copy_site(target: Path) -> Path:
    ignore = shutil.ignore_patterns("_build", ".tox", ".git", "node_modules", "tests", "__pycache__", ".pytest_cache")
    shutil.copytree(REPO, target, ignore=ignore)
    (target / "node_modules").symlink_to(REPO / "node_modules")
    return target


def mtimes(html: Path) -> dict[str, int]:
    return {page: (html / page).stat().st_mtime_ns for page in PAGES}


def catalogue_length(html: Path, title_part: str) -> str:
    soup = BeautifulSoup((html / "index.html").read_text(encoding="utf-8"), "html.parser")
    for row in soup.select("table.report-catalogue tbody tr"):
        cells = [cell.get_text(strip=True) for cell in row.select("td")]
        if title_part in cells[1]:
            return cells[4]
    raise AssertionError(f"no catalogue row for {title_part}")


@pytest.mark.slow
def test_listing_pages_are_rewritten_only_when_their_view_changes(tmp_path: Path) -> None:
    src = copy_site(tmp_path / "site")
    out = tmp_path / "out"
    first = sphinx_build(src, out)
    assert first.returncode == 0, first.stderr[-3000:]
    html = out / "html"
    before = mtimes(html)
    length_before = catalogue_length(html, "2023年度抓党建工作述职报告")

    report = src / REPORT
    text = report.read_text(encoding="utf-8")
    report.write_text(text.rstrip("\n") + "\n\n以上报告，请予评议。\n", encoding="utf-8")
    second = sphinx_build(src, out)
    assert second.returncode == 0, second.stderr[-3000:]
    assert re.search(r"0 added, 1 changed, 0 removed", second.stdout), second.stdout
    after = mtimes(html)
    rewritten = {page for page in PAGES if after[page] != before[page]}
    assert rewritten == {"index.html"}
    length_after = catalogue_length(html, "2023年度抓党建工作述职报告")
    assert int(length_after.replace(",", "")) == int(length_before.replace(",", "")) + len("以上报告，请予评议。")

    report.write_text(report.read_text(encoding="utf-8") + "\n全年开展专题活动x次。\n", encoding="utf-8")
    third = sphinx_build(src, out)
    assert third.returncode == 0, third.stderr[-3000:]
    rewritten = {page for page in PAGES if mtimes(html)[page] != after[page]}
    assert "docs/placeholders.html" in rewritten and "docs/glossary.html" not in rewritten
    assert "全年开展专题活动" in (html / "docs" / "placeholders.html").read_text(encoding="utf-8")

    before = mtimes(html)
    report.write_text(report.read_text(encoding="utf-8") + "\n坚持落实“三会一课”制度。\n", encoding="utf-8")
    fourth = sphinx_build(src, out)
    assert fourth.returncode == 0, fourth.stderr[-3000:]
    rewritten = {page for page in PAGES if mtimes(html)[page] != before[page]}
    assert {"docs/glossary.html", "docs/overview.html"} <= rewritten
