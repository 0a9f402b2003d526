"""What a reader downloads: no search index but on the search page, no icon script, a small icon font.

The budgets of issue 24 are checked on the project's own site (five reports) in Chromium,
with a cold cache and gzip as nginx serves the pages (``tests/benchmarks/reader.py``, which
``tox -e bench`` runs at 500 and 2,000 reports too).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
import reader  # noqa: E402

FONT = Path("_static") / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.woff2"


def test_pages_load_no_icon_script_and_no_search_index(site_html: Path) -> None:
    for page in ("index.html", "reports/2023/01-xiangzhen.html", "docs/glossary.html", "search.html"):
        html = (site_html / page).read_text(encoding="utf-8")
        assert "fontawesome.js" not in html, page
        assert "searchindex.js" not in html, page
    # The search page has no diagram, and so no mermaid (sphinxcontrib-mermaid added it to every generated page).
    assert "mermaid" not in (site_html / "search.html").read_text(encoding="utf-8")


def test_icon_font_holds_the_icons_the_pages_show(site_html: Path) -> None:
    from fontTools.ttLib import TTFont

    font = TTFont(site_html / FONT)
    codes = set(font.getBestCmap())
    # ☰, the magnifier, light/dark/auto, the page's contents, back to top, the sidebar's ▾.
    assert {0xF0C9, 0xF002, 0xF185, 0xF186, 0xF042, 0xF03A, 0xF062, 0xF078} <= codes
    assert len(codes) < 40  # of some two thousand
    assert (site_html / FONT).stat().st_size < 5000


def test_icons_are_drawn_with_the_cut_font(offline_page) -> None:
    offline_page.goto("reports/2023/01-xiangzhen.html")
    page = offline_page.page
    page.evaluate("document.fonts.ready")
    # The ☰ button's icon is drawn by the theme's CSS in the icon font: the font has loaded and has the glyph.
    drawn = page.evaluate("""() => {
        const icon = document.querySelector('.fa-bars');
        const style = getComputedStyle(icon, '::before');
        return [style.fontFamily, document.fonts.check('900 16px "Font Awesome 7 Free"', '\\uf0c9'),
                icon.getBoundingClientRect().width > 0];
    }""")
    assert "Font Awesome 7 Free" in drawn[0] and drawn[1:] == [True, True]
    assert offline_page.blocked == [] and offline_page.errors == []


@pytest.mark.bench
def test_a_report_page_and_the_home_page_stay_within_budget(browser, site_html: Path) -> None:
    loads = reader.measure_site(site_html, browser)
    assert loads["report"].kilobytes <= reader.REPORT_KB, loads["report"]
    assert loads["home"].kilobytes <= reader.HOME_KB, loads["home"]
    search = loads["search"]
    assert search.kilobytes <= reader.SEARCH_KB and search.requests <= reader.SEARCH_REQUESTS, search
    # 三会一课's entry and the two whose definitions name it (党课, 党小组), the three reports that
    # use it, and the home page (its catalogue): "找到 4 个页面、3 个术语条目".
    assert search.results == 7


@pytest.mark.slow
def test_home_page_lists_the_newest_reports_and_links_the_years_for_the_rest(tmp_path: Path) -> None:
    from bs4 import BeautifulSoup

    from builds import site_build

    result = site_build(tmp_path, "-D", "shuzhi_catalogue_max=3")
    assert result.returncode == 0, result.stderr[-2000:]
    soup = BeautifulSoup((tmp_path / "html" / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = soup.select("table.report-catalogue tbody tr")
    assert [row.find_all("td")[0].get_text() for row in rows] == ["1", "2", "3"]
    note = soup.select_one("p.report-catalogue-more")
    assert note.get_text() == "以上是最新的 3 篇，共 5 篇；全部报告按年度列在：2023年度（5 篇）。"
    assert note.find("a")["href"] == "reports/2023/index.html"
