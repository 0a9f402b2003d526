"""The sidebar's navigation (shuzhi.html.navigation): what readers see, and that it stays small."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from builds import ROOTS, sphinx_build

KINDS = ("乡镇", "机关")


def write_reports(src: Path, count: int, *, year: int = 2023) -> list[str]:
    """*count* reports in *year*: every third one a 机关, the others 乡镇. Returns their docnames."""
    docnames = []
    for number in range(1, count + 1):
        kind = KINDS[1] if number % 3 == 0 else KINDS[0]
        title = f"{year}年度第{number}号{kind}党组织书记述职报告"
        path = src / "reports" / str(year) / f"{number:03d}.md"
        path.write_text(f"---\ntitle: {title}\nunit_kind: {kind}\n---\n# {title}\n\n正文。\n", encoding="utf-8")
        docnames.append(f"reports/{year}/{number:03d}")
    return docnames


def build(tmp_path: Path, count: int, name: str = "site") -> Path:
    src = tmp_path / name
    shutil.copytree(ROOTS / "test-navigation", src)
    write_reports(src, count)
    result = sphinx_build(src, tmp_path / f"{name}-out")
    assert result.returncode == 0, result.stderr
    return tmp_path / f"{name}-out" / "html"


@pytest.fixture(scope="module")
def thirteen(tmp_path_factory) -> Path:
    """The HTML of a site of 13 reports in 2023 (9 乡镇, 4 机关), more than a sidebar lists; built once."""
    return build(tmp_path_factory.mktemp("thirteen"), 13)


def sidebar(page: Path) -> BeautifulSoup:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    nav = soup.select_one("nav.bd-docs-nav[data-shuzhi-page]")
    assert nav is not None, f"no shuzhi sidebar in {page}"
    return nav


def link_texts(nav: BeautifulSoup) -> list[str]:
    return [a.get_text(strip=True) for a in nav.select("a")]


def test_site_sidebar_lists_the_year_and_marks_the_current_report(site_html: Path) -> None:
    """The real site (five reports): the current year lists every report, the current one marked."""
    page = site_html / "reports" / "2023" / "03-guoqi.html"
    nav = sidebar(page)
    year = nav.select_one("li.toctree-l1.current")
    assert year is not None and year.a.get_text(strip=True) == "2023年度"
    reports = year.select("li.toctree-l2 > a")
    assert len(reports) == 5
    current = year.select("li.toctree-l2.current > a")
    assert [a["href"] for a in current] == ["#"]
    assert "国有企业" in current[0].get_text()
    assert "术语表" in link_texts(nav)  # the 说明 caption's pages are there too
    assert nav.select_one("ul[data-shuzhi-nav]") is None  # short lists are not grouped


def test_short_year_lists_every_report(tmp_path: Path) -> None:
    html = build(tmp_path, 4)
    nav = sidebar(html / "reports" / "2023" / "002.html")
    assert len(nav.select("li.toctree-l1.current li.toctree-l2 > a")) == 4
    assert not nav.select(".shuzhi-nav-group, .shuzhi-nav-more")


def test_long_year_is_grouped_by_unit_kind_around_the_current_report(thirteen: Path) -> None:
    """13 reports, at most 4 listed: 乡镇 (9) open around report 007, 机关 (4) closed."""
    nav = sidebar(thirteen / "reports" / "2023" / "007.html")
    groups = nav.select("li.shuzhi-nav-group")
    labels = [group.select_one(".shuzhi-nav-label").get_text("", strip=True) for group in groups]
    assert labels == ["乡镇9篇", "机关4篇"]
    township, office = groups
    assert township.details.has_attr("open") and not office.details.has_attr("open")
    shown = [a.get_text(strip=True) for a in township.select("li.toctree-l3:not(.shuzhi-nav-more) > a")]
    # 乡镇 reports are 1 2 4 5 7 8 10 11 13; the window of 4 around 7 is 4 5 7 8.
    assert shown == [f"2023年度第{n}号乡镇党组织书记述职报告" for n in (4, 5, 7, 8)]
    more = [(a.get_text(strip=True), a["href"]) for a in township.select("li.shuzhi-nav-more > a")]
    assert more == [("前面还有2篇", "index.html"), ("后面还有3篇", "index.html")]
    assert township.select_one("li.current > a")["href"] == "#"
    assert [a.get_text(strip=True) for a in office.select("a")] == ["查看本组4篇"]
    # Other years stay collapsed.
    assert [a.get_text(strip=True) for a in nav.select("li.toctree-l1:not(.current) > a")][-1] == "关于"


@pytest.mark.slow
def test_sidebar_size_does_not_grow_with_the_reports(thirteen: Path, tmp_path: Path) -> None:
    """The same report's sidebar at 13 and at 60 reports: the same number of links."""
    small = sidebar(thirteen / "reports" / "2023" / "007.html")
    large = sidebar(build(tmp_path, 60, "large") / "reports" / "2023" / "007.html")
    assert len(link_texts(small)) == len(link_texts(large))
    # Home, the year, the window of 4 around 007 between its "more" links, the other group, the other year, 关于.
    assert link_texts(large) == ["汇编", "2023年度", "前面还有2篇",
                                 *[f"2023年度第{n}号乡镇党组织书记述职报告" for n in (4, 5, 7, 8)],
                                 "后面还有34篇", "查看本组20篇", "2022年度", "关于"]


def test_full_lists_are_written_once_for_the_browser(thirteen: Path) -> None:
    data = (thirteen / "_static" / "shuzhi-navigation-data.js").read_text(encoding="utf-8")
    assert data.startswith("window.SHUZHI_NAV = ")
    assert data.count("党组织书记述职报告") == 13


@pytest.mark.slow
def test_renamed_report_updates_its_neighbours_sidebars(tmp_path: Path) -> None:
    """Incremental build: a changed title reaches the sidebars of the pages that show it."""
    src = tmp_path / "site"
    shutil.copytree(ROOTS / "test-navigation", src)
    write_reports(src, 13)
    assert sphinx_build(src, tmp_path / "out").returncode == 0
    report = src / "reports" / "2023" / "008.md"
    report.write_text(report.read_text(encoding="utf-8").replace("第8号", "第八号"), encoding="utf-8")
    result = sphinx_build(src, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    neighbour = sidebar(tmp_path / "out" / "html" / "reports" / "2023" / "007.html")
    assert "2023年度第八号乡镇党组织书记述职报告" in link_texts(neighbour)
    other_year = sidebar(tmp_path / "out" / "html" / "reports" / "2022" / "001.html")
    assert "2023年度第八号乡镇党组织书记述职报告" not in link_texts(other_year)


@pytest.mark.slow
def test_parallel_build_writes_the_same_sidebars(tmp_path: Path) -> None:
    """``-j 2`` (documents read and pages written in forked processes): the navigation made in
    the main process after reading is the one every page is written with."""
    src = tmp_path / "site"
    shutil.copytree(ROOTS / "test-navigation", src)
    write_reports(src, 13)
    outs = {}
    for jobs in ("1", "2"):
        result = sphinx_build(src, tmp_path / f"out-{jobs}", "-j", jobs, isolated=True)
        assert result.returncode == 0, result.stderr
        outs[jobs] = tmp_path / f"out-{jobs}" / "html"
    pages = sorted(path.relative_to(outs["1"]) for path in outs["1"].rglob("*.html") if "_static" not in path.parts)
    assert len(pages) == 20  # home, about, genindex, search, two year pages, 2022's report and the 13 reports
    for page in pages:
        assert str(sidebar(outs["2"] / page)) == str(sidebar(outs["1"] / page)), page


def test_opening_a_group_lists_all_its_reports(thirteen: Path, browser) -> None:
    """In Chromium: the current group shows all its reports, a closed one fills in when opened."""
    html = thirteen
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto((html / "reports" / "2023" / "007.html").as_uri())
    township = page.locator("li.shuzhi-nav-group").nth(0)
    assert township.locator("ul[data-shuzhi-filled='9'] > li > a").count() == 9
    assert township.locator("li.current > a").inner_text() == "2023年度第7号乡镇党组织书记述职报告"
    office = page.locator("li.shuzhi-nav-group").nth(1)
    office.locator(".shuzhi-nav-label").click()
    links = office.locator("ul[data-shuzhi-filled] > li > a")
    links.first.wait_for()
    assert links.all_inner_texts() == [f"2023年度第{n}号机关党组织书记述职报告" for n in (3, 6, 9, 12)]
    links.nth(1).click()
    page.wait_for_url("**/reports/2023/006.html")
    assert errors == []


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_sidebar_links_are_the_builders_relative_uris(make_app, tmp_path: Path, builder: str) -> None:
    # The sidebar computes a document's URI once per folder of pages (shuzhi.html.navigation._uris).
    from shuzhi.html import navigation

    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-navigation", src)
    write_reports(src, 3)
    write_reports(src, 2, year=2022)
    app = make_app(builder, srcdir=src)
    app.build()
    docnames = sorted(app.env.found_docs)
    for pagename in docnames:
        uri = navigation._uris(app.builder, pagename)
        assert [uri(docname) for docname in docnames] == [
            app.builder.get_relative_uri(pagename, docname) for docname in docnames], pagename
