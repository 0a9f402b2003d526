"""A unit's reports across years: 上一年度 / 下一年度 on each report and the units page.

The root ``two-years`` holds fictional units: 青山镇党委 (2022, 2023) and 绿水街道党工委 (2023).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from builds import ROOTS, shuzhi_warnings, sphinx_build
from conftest import OfflinePage, serve

from shuzhi.listings import units


def card(html: Path, page: str) -> dict[str, tuple[str, list[str]]]:
    """The report card's fields: label → (text, link targets)."""
    soup = BeautifulSoup((html / page).read_text(encoding="utf-8"), "html.parser")
    fields = soup.select_one(".report-card").find_all(["dt", "dd"])
    return {dt.get_text(strip=True).rstrip(":："): (dd.get_text(strip=True), [a["href"] for a in dd.find_all("a")])
            for dt, dd in zip(fields[::2], fields[1::2])}


@pytest.fixture
def built(two_years_html: Path) -> Path:
    return two_years_html


def test_each_report_links_the_unit_s_other_years(built: Path) -> None:
    anchor = units.anchor("青山镇党委")
    newer = card(built, "reports/2023/01-xiangzhen.html")
    older = card(built, "reports/2022/01-xiangzhen.html")
    assert newer["单位"] == ("青山镇党委", [f"../../units.html#{anchor}"])
    assert newer["上一年度"] == ("2022年度", ["../2022/01-xiangzhen.html"]) and "下一年度" not in newer
    assert older["下一年度"] == ("2023年度", ["../2023/01-xiangzhen.html"]) and "上一年度" not in older
    alone = card(built, "reports/2023/02-jiedao.html")
    assert alone["单位"][0] == "绿水街道党工委" and "上一年度" not in alone and "下一年度" not in alone


def test_the_units_page_lists_every_unit_with_its_years(built: Path) -> None:
    soup = BeautifulSoup((built / "units.html").read_text(encoding="utf-8"), "html.parser")
    rows = [(item["id"], item.get_text("", strip=True), [a["href"] for a in item.find_all("a")])
            for item in soup.select("ul.unit-reports > li")]
    assert rows == [
        (units.anchor("绿水街道党工委"), "绿水街道党工委（1 篇）：2023年度", ["reports/2023/02-jiedao.html"]),
        (units.anchor("青山镇党委"), "青山镇党委（2 篇）：2022年度；2023年度",
         ["reports/2022/01-xiangzhen.html", "reports/2023/01-xiangzhen.html"]),
    ]


@pytest.mark.slow
def test_a_new_year_rewrites_the_previous_year_s_report(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-two-years", src)
    assert sphinx_build(src, tmp_path / "out").returncode == 0
    (src / "reports" / "2024").mkdir()
    shutil.copy(src / "reports" / "2023" / "index.md", src / "reports" / "2024" / "index.md")
    report = (src / "reports" / "2023" / "01-xiangzhen.md").read_text(encoding="utf-8").replace("2023", "2024")
    (src / "reports" / "2024" / "01-xiangzhen.md").write_text(report, encoding="utf-8")
    result = sphinx_build(src, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    html = tmp_path / "out" / "html"
    assert card(html, "reports/2023/01-xiangzhen.html")["下一年度"] == ("2024年度", ["../2024/01-xiangzhen.html"])
    assert card(html, "reports/2024/01-xiangzhen.html")["上一年度"] == ("2023年度", ["../2023/01-xiangzhen.html"])


def test_two_reports_of_one_unit_in_one_year_are_a_finding(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-two-years", src)
    other = src / "reports" / "2023" / "02-jiedao.md"
    other.write_text(other.read_text(encoding="utf-8").replace("绿水街道党工委", "青山镇党委"), encoding="utf-8")
    result = sphinx_build(src, tmp_path / "out")
    found = [(path, line, kind) for path, line, kind, _ in shuzhi_warnings(result.stderr, src)]
    assert found == [("reports/2023/02-jiedao.md", 7, "unit_duplicate")]


def test_a_unit_that_is_not_a_name_is_a_field_finding(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-two-years", src)
    report = src / "reports" / "2023" / "02-jiedao.md"
    report.write_text(report.read_text(encoding="utf-8").replace('unit: "绿水街道党工委"', "unit: [绿水, 街道]"),
                      encoding="utf-8")
    result = sphinx_build(src, tmp_path / "out")
    found = [(path, line, kind) for path, line, kind, _ in shuzhi_warnings(result.stderr, src)]
    assert found == [("reports/2023/02-jiedao.md", 7, "field_invalid")]


def test_a_reader_follows_the_year_links_both_ways(built: Path, browser) -> None:
    with serve(built) as base_url:
        page = OfflinePage(browser, base_url)
        page.goto("reports/2023/01-xiangzhen.html")
        page.page.click(".report-card a.unit-previous")
        page.page.wait_for_load_state("networkidle")
        assert page.page.url.endswith("/reports/2022/01-xiangzhen.html")
        assert page.page.locator("h1").first.inner_text().startswith("2022年度青山镇党委书记")
        page.page.click(".report-card a.unit-next")
        page.page.wait_for_load_state("networkidle")
        assert page.page.url.endswith("/reports/2023/01-xiangzhen.html")
        page.page.click(".report-card dd a[href*='units.html']")
        page.page.wait_for_load_state("networkidle")
        assert page.page.url.endswith(f"/units.html#{units.anchor('青山镇党委')}")
        page.page.close()


def test_new_writes_the_unit_it_is_given(tmp_path: Path, capsys) -> None:
    from conftest import REPO

    from shuzhi.editors import cli

    status = cli.main(["new", "--root", str(REPO), "--out", str(tmp_path), "--year", "2024", "--unit-kind", "乡镇",
                       "--title", "2024年度青山镇党委书记抓基层党建工作述职报告", "--unit", "青山镇党委"])
    assert status == 0
    text = next(tmp_path.rglob("01-*.md")).read_text(encoding="utf-8")
    assert '\nunit: "青山镇党委"\n' in text
