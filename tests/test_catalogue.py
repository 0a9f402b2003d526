"""The report catalogue is generated from the reports' front matter."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO
from sphinx.deprecation import RemovedInSphinx11Warning

#: The extension's own source files, where a deprecation warning about them points.
SHUZHI = (REPO / "_ext" / "shuzhi").resolve()


@pytest.mark.sphinx("html", testroot="catalogue")
def test_catalogue_lists_reports_newest_year_first_then_by_position(app) -> None:
    app.build()
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in soup.select("table.report-catalogue tbody tr")]
    assert rows == [
        # 字数: title and body, without white space ("2023年第一篇" + "子丑。" = 11).
        ["1", "2023年第一篇", "国有企业", "2023", "11"],
        ["2", "2023年第二篇", "机关", "2023", "12"],
        ["3", "2022年旧年度报告", "乡镇", "2022", "16"],
    ]
    hrefs = [a["href"] for a in soup.select("table.report-catalogue a")]
    assert hrefs == ["reports/2023/01-c.html", "reports/2023/02-b.html", "reports/2022/01-a.html"]
    assert app.warning.getvalue() == ""


@pytest.mark.sphinx("html", testroot="catalogue", freshenv=True)
def test_catalogue_follows_a_new_report_in_an_incremental_build(app) -> None:
    app.build()
    new = app.srcdir / "reports" / "2023" / "03-d.md"
    new.write_text("---\nyear: 2023\nunit_kind: 社区\nposition: 3\n---\n\n# 2023年第三篇\n\n新增。\n", encoding="utf-8")
    try:
        app.build()
        html = (app.outdir / "index.html").read_text(encoding="utf-8")
        assert "2023年第三篇" in html and "社区" in html
    finally:
        new.unlink()


@pytest.mark.parametrize("buildername", ["html", "latex"])
@pytest.mark.sphinx(testroot="listings", freshenv=True)
def test_listings_use_no_deprecated_sphinx_api(make_app, app_params, buildername: str) -> None:
    """Every listing and the PDF's front matter are built without an API Sphinx 11 removes.

    The root puts the catalogue, the 待补充 list and the overview tables on one page, which
    is also the PDF's front matter, so the LaTeX build inserts it into the compilation too.
    """
    _, kwargs = app_params
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app = make_app(buildername, **kwargs)
        app.build()
    ours = [f"{Path(w.filename).name}:{w.lineno}: {w.message}" for w in caught
            if issubclass(w.category, RemovedInSphinx11Warning) and Path(w.filename).resolve().is_relative_to(SHUZHI)]
    assert ours == []
    assert app.warning.getvalue() == ""
    # The listings were built (and the checks above are not vacuous).
    if buildername == "html":
        soup = BeautifulSoup((app.outdir / "about.html").read_text(encoding="utf-8"), "html.parser")
        for selector in ("table.report-catalogue", "ul.placeholder-list a.placeholder-link",
                         "table.report-structure", "table.placeholder-counts"):
            assert soup.select(selector), selector
    else:
        tex = (app.outdir / "listings-2023.tex").read_text(encoding="utf-8")  # one document per year
        assert tex.index(r"\shuzhiFrontMatter") < tex.index(r"\shuzhiMainMatter") < tex.index(r"\shuzhiReportMeta")
        assert r"\hyperref[\detokenize{reports/2023/01-test:placeholder-1}]" in tex
        assert r"\hyperref[\detokenize{reports/2023/01-test:part-wen-ti}]" in tex


@pytest.mark.sphinx("html", testroot="catalogue", srcdir="catalogue-years", freshenv=True)
def test_years_list_links_each_year_page_with_its_count(app) -> None:
    # The catalogue's reports, under a year page each, and a home page that lists the years.
    (app.srcdir / "index.md").write_text(
        "# 汇编\n\n```{report-years}\n```\n\n```{toctree}\n:glob:\n:reversed:\n:hidden:\n\nreports/*/index\n```\n",
        encoding="utf-8")
    for year in ("2022", "2023"):
        (app.srcdir / "reports" / year / "index.md").write_text(
            f"# {year}年度\n\n```{{toctree}}\n:glob:\n\n*\n```\n", encoding="utf-8")
    app.build()
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    items = soup.select("ul.report-years > li")
    assert [item.get_text() for item in items] == ["2023年度（2 篇）", "2022年度（1 篇）"]
    assert [item.a["href"] for item in items] == ["reports/2023/index.html", "reports/2022/index.html"]
    # The hidden toctree still makes the years the home page's children (navigation, PDF).
    assert soup.select("article div.toctree-wrapper li") == []
    assert app.env.toctree_includes["index"] == ["reports/2023/index", "reports/2022/index"]
    assert app.warning.getvalue() == ""

    new = app.srcdir / "reports" / "2022" / "02-d.md"
    new.write_text("---\nyear: 2022\nunit_kind: 社区\nposition: 2\n---\n\n# 2022年第二篇\n\n新增。\n", encoding="utf-8")
    try:
        app.build()
        soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert [item.get_text() for item in soup.select("ul.report-years > li")] == ["2023年度（2 篇）", "2022年度（2 篇）"]
    finally:
        new.unlink()
