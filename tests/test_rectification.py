"""整改: last year's problems and plans against this year's report, every match shown with its reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import OfflinePage, serve

from shuzhi.glossary import entries as glossary

from shuzhi.review import rectification


@pytest.fixture(scope="module")
def concepts(tmp_path_factory) -> glossary.Glossary:
    path = tmp_path_factory.mktemp("glossary") / "glossary.yaml"
    path.write_text("- term: 三会一课\n  category: 组织制度\n  definition: 释义。\n", encoding="utf-8")
    return glossary.load(path)


def test_a_shared_concept_matches_and_says_so(concepts: glossary.Glossary) -> None:
    GLOSSARY = concepts
    found = rectification.matches("“三会一课”质量不高", [("坚持“三会一课”，召开党员大会4次。", "成效", "p1"),
                                                     ("新建党群服务中心1个。", "成效", "p1")], GLOSSARY)
    assert found == [rectification.Match("坚持“三会一课”，召开党员大会4次。", "成效", "p1", ("三会一课",), ())]


def test_two_shared_words_match_and_common_words_do_not() -> None:
    candidates = [("今年发展青年党员3名，青年人才储备明显增加。", "整改", "p2"), ("加强工作，推进落实。", "成效", "p1")]
    found = rectification.matches("青年党员发展偏少，人才储备不足", candidates, None)
    assert [(match.sentence, match.words) for match in found] == [
        ("今年发展青年党员3名，青年人才储备明显增加。", ("人才", "储备", "发展", "青年"))]
    assert rectification.matches("加强工作，推进落实", candidates, None) == []


@pytest.fixture
def built(two_years_html: Path) -> Path:
    return two_years_html


def test_the_report_page_compares_with_the_year_before(built: Path) -> None:
    soup = BeautifulSoup((built / "reports/2023/01-xiangzhen.html").read_text(encoding="utf-8"), "html.parser")
    view = soup.select_one("div.rectification")
    rows = [(term.get_text(strip=True), definition.get_text(" ", strip=True))
            for term, definition in zip(view.select("dl.rectification-list dt"), view.select("dl.rectification-list dd"))]
    assert [term for term, _ in rows] == [
        "上年度问题清单：“三会一课”质量不高，有的流于形式", "上年度问题清单：青年党员发展偏少",
        "上年度报告“问题”部分：一是“三会一课”质量不高，有的流于形式。", "上年度报告“问题”部分：二是青年党员发展偏少。",
        "上年度报告“打算”部分：一是提高“三会一课”质量，每季度讲党课一次。", "上年度报告“打算”部分：二是做好发展党员工作。"]
    assert "共同概念：三会一课" in rows[0][1] and "没有找到对应的句子" in rows[1][1]
    assert "上年度点评意见：" in view.get_text() and soup.select_one("div.report-review") is None
    assert BeautifulSoup((built / "reports/2022/01-xiangzhen.html").read_text(encoding="utf-8"),
                         "html.parser").select_one("div.rectification") is None


def test_the_tracking_table_lists_each_problem_of_last_year(built: Path) -> None:
    soup = BeautifulSoup((built / "tracking.html").read_text(encoding="utf-8"), "html.parser")
    rows = [item.get_text("", strip=True) for item in soup.select("ul.rectification-tracking > li")]
    assert len(rows) == 2
    assert rows[0].startswith("青山镇党委（2022→2023）：“三会一课”质量不高，有的流于形式——本年度报告有 1 句提到")
    assert rows[1] == "青山镇党委（2022→2023）：青年党员发展偏少——2023年度报告的成效、整改部分中没有找到对应的句子（请人工核对）"


def test_a_reader_follows_a_match_to_this_year_s_part(built: Path, browser) -> None:
    with serve(built) as base_url:
        page = OfflinePage(browser, base_url)
        page.goto("reports/2023/01-xiangzhen.html")
        link = page.page.locator("div.rectification ul.rectification-matches a").first
        assert link.inner_text() == "本年度“成效”部分"
        link.click()
        page.page.wait_for_load_state("networkidle")
        assert page.page.url.endswith("/reports/2023/01-xiangzhen.html#part-cheng-xiao")
        assert page.page.locator("#part-cheng-xiao").is_visible()
        page.page.close()
