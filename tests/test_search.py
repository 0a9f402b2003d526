"""Chinese search in Chromium: the query set against our search and Sphinx's stock one; the glossary box.

The query set is ``tests/data/search_queries.yaml``. Each query is typed as a
reader would (``search.html?q=…``, what the theme's search box submits); recall@3
counts the expected pages among the first three results. Our search (Pagefind's
index of its own, :mod:`shuzhi.search.chunked`) must reach 99%; the stock figure (the
same sources built with Sphinx's own Chinese search: ``shuzhi_chunked_search = False``,
``shuzhi_search_enhanced = False``) is printed for the record.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from conftest import REPO, OfflinePage

QUERIES = yaml.safe_load((Path(__file__).parent / "data" / "search_queries.yaml").read_text(encoding="utf-8"))
FIRST_ENTRY_KINDS = {"concept", "alias"}
TARGET_RECALL = 0.99

#: Sphinx's search page (the stock build) has finished.
FINISHED = ("() => { const s = document.querySelector('#search-results .search-summary');"
            " return s !== null && s.innerText.trim().length > 0; }")
#: Our search page (shuzhi.search.chunked) has finished: its status says what it found.
DONE = "() => /找到|不可用/.test(document.querySelector('.shuzhi-search-status').innerText)"
RESULT_LINKS = ".shuzhi-search-results li > a"


@dataclass
class Outcome:
    query: str
    kind: str
    expect: list[str]
    results: list[str]

    @property
    def recall(self) -> float:
        top = set(self.results[:3])
        return sum(page in top for page in self.expect) / min(3, len(self.expect))

    @property
    def entry_first(self) -> bool:
        return bool(self.results) and self.results[0] == self.expect[0]


def page_id(href: str) -> str:
    """``reports/2023/01-xiangzhen.html`` → ``reports/2023/01-xiangzhen``; anchors are kept."""
    path, _, anchor = href.partition("#")
    path = re.sub(r"\.html$", "", path) or "index"
    return f"{path}#{anchor}" if anchor else path


def search(page: OfflinePage, query: str) -> list[str]:
    """Open ``search.html?q=…`` as the theme's search box does; the result pages, best first."""
    page.page.goto(f"{page.base_url}/search.html?q={quote(query)}", wait_until="domcontentloaded")
    page.page.wait_for_function(DONE, timeout=15000)
    return [page_id(href) for href in page.page.eval_on_selector_all(RESULT_LINKS, "els => els.map(a => a.getAttribute('href'))")]


def stock_search(page: OfflinePage, query: str) -> list[str]:
    """The same on Sphinx's own search page (the stock build)."""
    page.page.goto(f"{page.base_url}/search.html?q={quote(query)}", wait_until="domcontentloaded")
    page.page.wait_for_function(FINISHED, timeout=15000)
    hrefs = page.page.eval_on_selector_all("#search-results ul.search li > a", "els => els.map(a => a.getAttribute('href'))")
    return [page_id(href) for href in hrefs]


def run_query_set(browser, base_url: str, searcher=search) -> tuple[list[Outcome], OfflinePage]:
    page = OfflinePage(browser, base_url)
    outcomes = [Outcome(q["query"], q["kind"], q["expect"], searcher(page, q["query"])) for q in QUERIES["search"]]
    return outcomes, page


def summary(name: str, outcomes: list[Outcome]) -> str:
    recall = sum(o.recall for o in outcomes) / len(outcomes)
    firsts = [o for o in outcomes if o.kind in FIRST_ENTRY_KINDS]
    first = sum(o.entry_first for o in firsts)
    by_kind = {}
    for outcome in outcomes:
        by_kind.setdefault(outcome.kind, []).append(outcome.recall)
    kinds = ", ".join(f"{kind} {sum(v) / len(v):.0%}" for kind, v in by_kind.items())
    return (f"{name}: recall@3 {recall:.1%} over {len(outcomes)} queries ({kinds}); "
            f"glossary entry first for {first}/{len(firsts)} concept and alias queries")


def test_query_set_has_enough_queries() -> None:
    assert len(QUERIES["search"]) >= 40
    kinds = {q["kind"] for q in QUERIES["search"]}
    assert {"concept", "alias", "phrase", "fact", "words"} <= kinds
    for q in QUERIES["search"]:
        assert q["expect"], q
        if q["kind"] in FIRST_ENTRY_KINDS:
            assert q["expect"][0].startswith("docs/glossary#term-"), q


def test_query_set_recall_ours_and_stock(browser, site_server, stock_search_server) -> None:
    ours, ours_page = run_query_set(browser, site_server)
    stock, stock_page = run_query_set(browser, stock_search_server, stock_search)
    try:
        lines = [summary("ours ", ours), summary("stock", stock)]
        misses = [f"  {o.query}: expected {o.expect}, got {o.results[:3]}" for o in ours if o.recall < 1]
        print("\n" + "\n".join(lines + (["ours, queries below 100%:", *misses] if misses else [])), file=sys.__stdout__)
        recall = sum(o.recall for o in ours) / len(ours)
        assert recall >= TARGET_RECALL, "\n".join(misses)
        not_first = [o.query for o in ours if o.kind in FIRST_ENTRY_KINDS and not o.entry_first]
        assert not_first == [], not_first
        # The three phrases find their reports; stock Sphinx finds none of them.
        by_query = {o.query: o for o in ours}
        stock_by_query = {o.query: o for o in stock}
        for phrase in ("党建工作", "乡村振兴", "村集体经济"):
            assert by_query[phrase].recall == 1, by_query[phrase]
            assert not any(r.startswith("reports/") for r in stock_by_query[phrase].results), stock_by_query[phrase]
        for page in (ours_page, stock_page):
            assert page.blocked == [] and page.errors == []
    finally:
        ours_page.page.close()
        stock_page.page.close()


def test_results_show_highlighted_snippets_of_visible_text(offline_page) -> None:
    search(offline_page, "沃柑")
    page = offline_page.page
    first = page.locator(".shuzhi-search-results li").first
    assert first.locator("a").inner_text() == "2023年党组织书记抓基层党建工作述职报告"
    assert first.locator("p.shuzhi-search-excerpt mark", has_text="沃柑").count() >= 1
    # A glossary result: the entry (term, 术语表, its definition) first.
    results = search(offline_page, "八项规定")
    assert results[0] == "docs/glossary#term-zhong-yang-ba-xiang-gui-ding"
    first = page.locator(".shuzhi-search-results li").first
    assert first.locator("a").inner_text() == "中央八项规定"
    assert "术语表" in first.inner_text() and "2012年12月中央政治局" in first.inner_text()
    # The outline's diagram source and the report card are not searched: nodeSpacing is only there.
    assert search(offline_page, "nodeSpacing") == []
    assert offline_page.blocked == [] and offline_page.errors == []


@pytest.mark.parametrize("query", ["shyk", "sanhuiyike", "三会一课", "SanHuiYiKe"])
def test_typing_a_concept_its_pinyin_or_initials_brings_its_entry_first(offline_page, query) -> None:
    offline_page.goto("search.html")
    page = offline_page.page
    box = page.get_by_label("搜索词语")
    box.fill(query)
    box.press("Enter")
    page.wait_for_function(DONE)
    first = page.locator(".shuzhi-search-results li > a").first
    assert page_id(first.get_attribute("href")) == "docs/glossary#term-san-hui-yi-ke"
    assert first.inner_text() == "三会一课"
    assert f"q={quote(query)}" in page.url  # the query stays in the address, for the back button
    assert offline_page.blocked == [] and offline_page.errors == []


def test_dangjian_finds_the_entries_whose_pinyin_starts_with_it(offline_page) -> None:
    results = search(offline_page, "dangjian")
    # The four concepts whose pinyin starts with dangjian (党建带团建, 党建第一责任人, 党建联建, 党建引领);
    # no page has the word: the entries are the results, two of them at most.
    starting = {"docs/glossary#term-dang-jian-dai-tuan-jian", "docs/glossary#term-dang-jian-di-yi-ze-ren-ren",
                "docs/glossary#term-dang-jian-lian-jian", "docs/glossary#term-dang-jian-yin-ling"}
    assert len(results) == 2 and set(results) <= starting
    assert offline_page.blocked == [] and offline_page.errors == []


def test_one_result_per_page_and_no_editors_pages(offline_page) -> None:
    for query in ("三会一课", "三会", "搜索", "构建", "编辑"):
        results = search(offline_page, query)
        assert len(results) == len(set(results)), (query, results)
        # The glossary page is searched through its entries only; the editors' pages not at all.
        assert not {"docs/glossary", "docs/guide", "docs/search", "docs/performance", "docs/publish"} & set(results), \
            (query, results)
    assert search(offline_page, "三会")[0] != "docs/glossary#term-san-hui-yi-ke"  # not the concept's name
    assert offline_page.blocked == [] and offline_page.errors == []


def test_filters_by_year_and_unit_kind(offline_page) -> None:
    search(offline_page, "党建工作")
    page = offline_page.page
    assert page.get_by_label("年度").locator("option").all_inner_texts() == ["全部", "2023"]
    kinds = page.get_by_label("单位类型").locator("option").all_inner_texts()
    assert kinds == ["全部", "机关", "国有企业", "党委（党组）", "乡镇"]  # as meta.json lists them
    page.get_by_label("单位类型").select_option("乡镇")
    page.wait_for_function("() => document.querySelectorAll('.shuzhi-search-results li').length === 1")
    page.wait_for_function(DONE)
    links = page.eval_on_selector_all(RESULT_LINKS, "els => els.map(a => a.getAttribute('href'))")
    assert [page_id(href) for href in links] == ["reports/2023/01-xiangzhen"]
    assert offline_page.blocked == [] and offline_page.errors == []


def test_pages_that_do_not_search_load_no_index(browser, site_server) -> None:
    page = OfflinePage(browser, site_server)
    requested: list[str] = []
    page.page.on("request", lambda request: requested.append(request.url))
    try:
        for path in ("index.html", "reports/2023/01-xiangzhen.html", "docs/glossary.html"):
            page.goto(path)
        assert not [url for url in requested if "searchindex" in url or "/_search/" in url]
        page.goto("search.html?q=" + quote("三会一课"))
        page.page.wait_for_function(DONE)
        fetched = [url.split("/_search/", 1)[1] for url in requested if "/_search/" in url]
        # meta.json; the chunks of 三会, 会一, 一课 (the query's positions); the text of each result
        # shown but the first: the concept's entry is drawn from the glossary data every page has.
        shown = page.page.locator(".shuzhi-search-results li").count()
        assert fetched.count("meta.json") == 1
        assert len([name for name in fetched if name.startswith("t/")]) == 3
        assert len([name for name in fetched if name.startswith("d/")]) == shown - 1
        assert page.blocked == [] and page.errors == []
    finally:
        page.page.close()


def test_site_has_no_sphinx_search_index(site_html) -> None:
    assert not (site_html / "searchindex.js").exists()
    assert (site_html / "_search" / "meta.json").is_file()
    html = (site_html / "reports" / "2023" / "01-xiangzhen.html").read_text(encoding="utf-8")
    assert "searchindex.js" not in html and "searchtools.js" not in html


def test_sphinx_search_with_the_tuned_splitter_cuts_a_query_into_glossary_words(browser, tmp_path) -> None:
    # shuzhi_chunked_search = False with shuzhi_search_enhanced: Sphinx's search page, whose
    # splitQuery (splitter.js) cuts with the segmentation it shares with ours (segment.js).
    import shutil

    from builds import ROOTS, sphinx_build
    from conftest import serve

    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-two-years", src)
    built = sphinx_build(src, tmp_path / "out", "-D", "shuzhi_chunked_search=0")
    assert built.returncode == 0, built.stderr[-2000:]
    assert "function shuzhiCheapestCut" in (tmp_path / "out" / "html" / "_static" / "language_data.js").read_text(
        encoding="utf-8")
    with serve(tmp_path / "out" / "html") as base_url:
        page = OfflinePage(browser, base_url)
        try:
            results = stock_search(page, "三会一课一岗双责")
            assert page.page.evaluate("splitQuery('三会一课一岗双责')") == ["三会一课", "一岗双责"]
            assert results  # both words, in one page at least
            assert page.blocked == [] and page.errors == []
        finally:
            page.page.close()


# --------------------------------------------------------------------------- the glossary box


def visible_terms(page) -> list[str]:
    return page.eval_on_selector_all(
        "dl.shuzhi-glossary > dt[id^='term-']",
        "els => els.filter(el => el.checkVisibility()).map(el => el.firstChild.textContent)",
    )


@pytest.mark.parametrize("case", QUERIES["glossary_box"], ids=lambda case: case["query"])
def test_glossary_box_filters_by_characters_pinyin_initials_and_alias(offline_page, case) -> None:
    offline_page.goto("docs/glossary.html")
    page = offline_page.page
    box = page.get_by_label("筛选术语")
    box.fill(case["query"])
    assert sorted(visible_terms(page)) == sorted(case["expect"])
    count = page.locator("#shuzhi-glossary-count")
    assert count.get_attribute("aria-live") == "polite"
    assert f"匹配 {len(case['expect'])} 个" in count.inner_text()
    assert page.locator(".shuzhi-glossary-none").is_visible() == (not case["expect"])
    assert offline_page.blocked == [] and offline_page.errors == []


def test_glossary_box_hides_empty_letters_and_is_keyboard_accessible(offline_page) -> None:
    offline_page.goto("docs/glossary.html")
    page = offline_page.page
    total = len(visible_terms(page))
    # Every entry of the glossary, as many as the file has.
    entries = yaml.safe_load((REPO / "docs" / "glossary.yaml").read_text(encoding="utf-8"))
    assert total == len(entries) > 85
    assert f"共 {total} 个术语" in page.locator("#shuzhi-glossary-count").inner_text()
    # Reach the box with the keyboard and type into it.
    page.locator("#shuzhi-glossary-query").focus()
    page.keyboard.type("shyk")
    letters = page.eval_on_selector_all("p.rubric.glossary-letter", "els => els.filter(el => el.checkVisibility()).map(el => el.id)")
    assert letters == ["letter-s"]
    assert page.locator("#term-san-hui-yi-ke + dd").is_visible()
    assert page.locator("#term-si-bu-liang-zhi + dd").is_hidden()
    page.keyboard.type("xyz")
    assert page.locator(".shuzhi-glossary-none").is_visible()
    assert page.locator(".shuzhi-glossary-none").inner_text() == "没有匹配的术语。"
    page.keyboard.press("Escape")
    assert len(visible_terms(page)) == total
    assert page.locator(".shuzhi-glossary-none").is_hidden()
    assert offline_page.blocked == [] and offline_page.errors == []
