"""The report catalogue is generated from the reports' front matter."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup


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
