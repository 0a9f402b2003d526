"""A year page stays bounded on the website, however many reports the year has.

Above ``shuzhi_catalogue_max`` reports, a year page shows its reports counted by unit kind,
each kind linking to pages that list at most that many reports. The roots are generated
(tiny reports, HTML only): 23 reports of 2023 in three unit kinds, with a bound of 5.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from builds import sphinx_build

CONF = '''extensions = ["shuzhi"]
language = "zh_CN"
html_theme = "sphinx_book_theme"
shuzhi_mermaid_dist = ""
shuzhi_glossary_file = ""
suppress_warnings = ["shuzhi.frontmatter", "shuzhi.field_missing", "shuzhi.title", "shuzhi.part_missing",
                     "shuzhi.heading_unknown", "shuzhi.part_empty", "shuzhi.heading_level", "shuzhi.numbering",
                     "shuzhi.part_order"]
'''
#: (unit kind, number of reports) in file order: 乡镇 12 (three pages of 5), 村 3, 社区 8 (two pages).
KINDS = [("社区", 4), ("乡镇", 12), ("村", 3), ("社区", 4)]


def make_root(root: Path, kinds: list[tuple[str, int]] = KINDS) -> Path:
    (root / "reports" / "2023").mkdir(parents=True)
    (root / "conf.py").write_text(CONF, encoding="utf-8")
    (root / "index.md").write_text("# 汇编\n\n```{toctree}\n:hidden:\n\nreports/2023/index\n```\n\n"
                                   "```{report-years}\n```\n", encoding="utf-8")
    (root / "reports" / "2023" / "index.md").write_text(
        "# 2023年度\n\n2023年度的述职报告。\n\n```{toctree}\n:glob:\n:titlesonly:\n\n*\n```\n", encoding="utf-8")
    number = 0
    for kind, count in kinds:
        for _ in range(count):
            number += 1
            (root / "reports" / "2023" / f"{number:02d}.md").write_text(
                f"---\ntitle: 第{number}篇\nyear: 2023\nunit_kind: {kind}\nposition: {number}\n---\n\n"
                f"# 第{number}篇报告\n\n{'一' * number}。\n", encoding="utf-8")
    return root


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def build(tmp_path: Path, bound: int = 5, src: Path | None = None) -> Path:
    src = src or make_root(tmp_path / "src")
    result = sphinx_build(src, tmp_path / "out", "-D", f"shuzhi_catalogue_max={bound}")
    assert result.returncode == 0, result.stderr[-3000:]
    return tmp_path / "out" / "html"


def kind_table(html: Path) -> list[list[str]]:
    page = soup(html / "reports" / "2023" / "index.html")
    return [[cell.get_text(" ", strip=True) for cell in row.find_all("td")]
            for row in page.select("main table.report-year-kinds tbody tr")]


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("paged"))


def test_a_year_above_the_bound_shows_its_unit_kinds_with_counts_and_pages(paged_site) -> None:
    html = paged_site
    page = soup(html / "reports" / "2023" / "index.html")
    article = page.select_one("main article")
    assert article.select_one("p.report-year-summary").get_text() == (
        "本年度共 23 篇报告，按单位类型分列如下，每页最多 5 篇；也可在站内搜索中按年度和单位类型筛选。")
    # In the order of shuzhi_unit_kinds: 乡镇, 村, 社区.
    assert kind_table(html) == [["乡镇", "12", "第 1 页 · 第 2 页 · 第 3 页"], ["村", "3", "第 1 页"],
                                ["社区", "8", "第 1 页 · 第 2 页"]]
    # No report is linked from the page itself: the page is the same size with 23 or 2,000 reports.
    assert not [a["href"] for a in article.select("a[href]") if a["href"].startswith("0")]


def test_the_summary_is_not_searched_and_kind_pages_are_not_indexed(paged_site) -> None:
    import json

    documents = [json.loads(path.read_text(encoding="utf-8")) for path in (paged_site / "_search" / "d").glob("*.json")]
    year = next(document for document in documents if document["u"] == "reports/2023/index.html")
    assert year["x"] == "2023年度 2023年度的述职报告。"
    assert not [document["u"] for document in documents if "kind-" in document["u"]]


def test_each_kind_page_lists_at_most_the_bound_and_links_its_other_pages(paged_site) -> None:
    html = paged_site
    year = soup(html / "reports" / "2023" / "index.html")
    links = {a.get_text(): a["href"] for a in year.select("table.report-year-kinds tbody tr")[0].select("a")}
    second = soup(html / "reports" / "2023" / links["第 2 页"])
    assert second.select_one("main article h1").get_text() == "2023年度 · 乡镇（第 2/3 页）"
    rows = [[cell.get_text() for cell in row.find_all("td")] for row in second.select("table.report-kind-list tbody tr")]
    # 乡镇 are reports 5–16; the second page holds the sixth to tenth of them.
    # 字数: the title's six characters, n times 一 and the full stop.
    assert rows == [[str(n - 4), f"第{n}篇报告", str(n + 7)] for n in range(10, 15)]
    assert [a["href"] for a in second.select("table.report-kind-list a")] == [f"{n:02d}.html" for n in range(10, 15)]
    assert [node.get_text() for node in second.select("nav.report-kind-pages > *")] == ["第 1 页", "第 2 页", "第 3 页"]
    assert second.select_one("nav.report-kind-pages [aria-current=page]").get_text() == "第 2 页"
    count = second.select_one("p.report-kind-count")
    assert count.get_text() == "2023年度单位类型为“乡镇”的报告共 12 篇，本页列出第 6–10 篇。 返回2023年度"
    assert count.a["href"] == "index.html"
    for name in links.values():
        assert len(soup(html / "reports" / "2023" / name).select("table.report-kind-list tbody tr")) <= 5


def test_a_year_within_the_bound_lists_its_reports_as_before(tmp_path) -> None:
    html = build(tmp_path, bound=23)
    page = soup(html / "reports" / "2023" / "index.html")
    assert page.select_one("table.report-year-kinds") is None
    assert len(page.select("main article .toctree-wrapper a")) == 23
    assert not list((html / "reports" / "2023").glob("kind-*.html"))


def test_kind_pages_follow_the_reports_in_an_incremental_build(tmp_path) -> None:
    src = make_root(tmp_path / "src")
    html = build(tmp_path, src=src)
    pages = sorted(path.name for path in (html / "reports" / "2023").glob("kind-*.html"))
    assert len(pages) == 6  # 乡镇 3, 村 1, 社区 2
    old = 1_000_000_000
    for name in pages:
        os.utime(html / "reports" / "2023" / name, (old, old))

    # A 村 report becomes a 社区 one: 村 has two reports left, 社区 nine; the 乡镇 pages are not rewritten.
    report = src / "reports" / "2023" / "17.md"
    report.write_text(report.read_text(encoding="utf-8").replace("unit_kind: 村", "unit_kind: 社区"), encoding="utf-8")
    build(tmp_path, src=src)
    assert kind_table(html) == [["乡镇", "12", "第 1 页 · 第 2 页 · 第 3 页"], ["村", "2", "第 1 页"],
                                ["社区", "9", "第 1 页 · 第 2 页"]]
    rewritten = sorted(path.name for path in (html / "reports" / "2023").glob("kind-*.html")
                       if path.stat().st_mtime != old)
    village = soup(html / "reports" / "2023" / "index.html").select("table.report-year-kinds tbody tr")[1]
    community = soup(html / "reports" / "2023" / "index.html").select("table.report-year-kinds tbody tr")[2]
    assert rewritten == sorted([village.a["href"], *(a["href"] for a in community.select("a")[1:])])

    # Within the bound again: the kind pages are removed, the toctree lists every report.
    shutil.rmtree(src / "reports" / "2023")
    make_root(tmp_path / "small", [("乡镇", 3)])
    shutil.copytree(tmp_path / "small" / "reports" / "2023", src / "reports" / "2023")
    build(tmp_path, src=src)
    assert not list((html / "reports" / "2023").glob("kind-*.html"))


def test_a_page_listing_reports_of_several_years_says_so(tmp_path) -> None:
    from builds import ROOTS

    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-catalogue", src)  # its home page's toctree lists 2022 and 2023
    html = build(tmp_path, bound=2, src=src)
    note = soup(html / "index.html").select_one("p.report-year-summary")
    assert note.get_text() == "本页共 3 篇报告，按单位类型分列如下，每页最多 2 篇；也可在站内搜索中按年度和单位类型筛选。"
