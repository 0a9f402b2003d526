"""What a glossary definition may cite: official documents and outlets only.

Fast tier: :mod:`shuzhi.glossary.sources` and :func:`shuzhi.glossary.entries.load` directly, the
real glossary file, and small Sphinx builds (HTML, and LaTeX source without TeX) of
``tests/roots/test-glossary-sources``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from builds import ROOTS, shuzhi_warnings, sphinx_build
from conftest import REPO

from shuzhi.glossary import entries as glossary
from shuzhi.glossary.sources import DEFAULT_OUTLETS, hostname, outlet_of

GLOSSARY = REPO / "docs" / "glossary.yaml"

#: Document-sharing sites, 文库s, blogs, content farms, app and novel sites: never a source.
DENIED = ("xiexiebang.com", "renrendoc.com", "360doc.com", "360docs.net", "doc88.com", "docin.com",
          "wenku.baidu.com", "book118.com", "jianshu.com", "csdn.net", "blog.sohu.com", "wnwk.com",
          "docduoduo.com", "fx361.cc", "fx361.com", "scholarmate.com", "bg3.co", "iosapp77.com",
          "kuaish.com", "zhuangzaijipj.com", "baike.baidu.hk", "newton.com.tw", "lw33.cn", "how234.com")
#: The official outlets the issue names, and the government and 纪委 sites under gov.cn.
ALLOWED = ("people.com.cn", "news.cn", "xinhuanet.com", "12371.cn", "qstheory.cn", "gov.cn", "china.com.cn",
           "china.org.cn")

ENTRY = "- term: 三会一课\n  category: 组织制度\n  definition: 释义。\n  source:\n"


def load(tmp_path: Path, text: str) -> glossary.Glossary:
    path = tmp_path / "glossary.yaml"
    path.write_text(text, encoding="utf-8")
    return glossary.load(path)


def on(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in domains)


# --------------------------------------------------------------------------- allow- and deny-list


def test_the_allow_list_holds_only_official_outlets() -> None:
    assert sorted(domain for domain in DEFAULT_OUTLETS if not on(domain, ALLOWED)) == []
    assert sorted(domain for domain in DEFAULT_OUTLETS if on(domain, DENIED)) == []


def test_every_address_in_the_glossary_file_is_on_an_official_outlet() -> None:
    """Sources and editors' notes alike: no document-sharing site is named anywhere."""
    text = GLOSSARY.read_text(encoding="utf-8")
    addresses = re.findall(r"https?://[^\s\"'）（，。；]+", text)
    hosts = sorted({hostname(address) for address in addresses})
    assert hosts, "the glossary cites no web page at all"
    assert [host for host in hosts if on(host, DENIED)] == []
    assert [host for host in hosts if not on(host, ALLOWED)] == []


def test_every_published_source_is_an_official_document_or_outlet() -> None:
    loaded = glossary.load(GLOSSARY)
    published = [concept for concept in loaded.concepts if concept.verified]
    assert len(published) >= 80
    for concept in published:
        source = concept.source
        if source.is_document:
            assert re.fullmatch(r"《[^《》]+》", source.document), concept.term
            assert source.issuer and re.fullmatch(r"(19|20)\d\d", source.year), concept.term
        if source.url:
            assert on(hostname(source.url), ALLOWED) and source.outlet and source.title, concept.term


@pytest.mark.parametrize("domain", DENIED)
def test_a_denied_site_is_refused_at_its_line_and_the_entry_is_pending(tmp_path: Path, domain: str) -> None:
    loaded = load(tmp_path, ENTRY + f"    title: 三会一课是什么\n    url: https://www.{domain}/a/1.html\n    note: 线索。\n")
    assert [(p.line, p.subtype) for p in loaded.problems] == [(6, "glossary_source")]
    assert "不在官方来源名单中" in loaded.problems[0].message
    concept = loaded.concepts[0]
    assert concept.source.url == "" and not concept.verified


@pytest.mark.parametrize(("url", "outlet"), [
    ("http://www.people.com.cn/n1/2023/x.html", "人民网"),
    ("http://big5.news.cn/gate/big5/js.news.cn/x/c.html", "新华网"),
    ("https://www.12371.cn/2019/01/x.shtml", "共产党员网"),
    ("http://qstheory.cn/llwx/2020-03/12/c_1125699745.htm", "求是网"),
    ("https://www.gov.cn/zhengce/x.htm", "中国政府网"),
    ("http://zgjjjc.ccdi.gov.cn/bqml/x.html", "中央纪委国家监委网站"),
    ("https://www.sport.gov.cn:8443/n4/x/content.html", "政府网站"),
    ("http://keywords.china.org.cn/2021-01/11/x.html", "中国网"),
    ("https://gov.cn.xiexiebang.com/x.html", ""),
    ("https://evilgov.cn/x.html", ""),
    ("https://www.12371.cn@www.renrendoc.com/x.html", ""),
    ("javascript://www.gov.cn/%0aalert(1)", ""),
])
def test_the_outlet_is_read_from_the_host_a_browser_would_contact(url: str, outlet: str) -> None:
    assert outlet_of(url) == outlet


def test_a_site_sets_its_own_allow_list(tmp_path: Path) -> None:
    text = ENTRY + "    title: 标题\n    url: https://www.example.org/x.html\n"
    assert load(tmp_path, text).concepts[0].verified is False
    path = tmp_path / "glossary.yaml"
    loaded = glossary.load(path, outlets={"example.org": "示例网"})
    assert loaded.problems == () and loaded.concepts[0].source.outlet == "示例网"


# --------------------------------------------------------------------------- schema


def test_a_document_is_cited_by_title_issuer_and_year(tmp_path: Path) -> None:
    loaded = load(tmp_path, ENTRY + "    document: 《中国共产党支部工作条例（试行）》\n    issuer: 中共中央\n"
                                    "    year: 2018\n    article: 第十九条\n")
    assert loaded.problems == ()
    source = loaded.concepts[0].source
    assert source.reference() == "《中国共产党支部工作条例（试行）》第十九条（中共中央，2018年）"
    assert source.citation() == "《中国共产党支部工作条例（试行）》，中共中央，2018年。"


@pytest.mark.parametrize(("source", "line", "words"), [
    ("    document: 《中国共产党支部工作条例（试行）》\n    year: 2018\n", 5, "缺少 issuer"),
    ("    document: 《中国共产党支部工作条例（试行）》\n    issuer: 中共中央\n", 5, "缺少 year"),
    ("    document: 中国共产党支部工作条例\n    issuer: 中共中央\n    year: 2018\n", 5, "应带书名号"),
    ("    document: 《中国共产党支部工作条例（试行）》\n    issuer: 中共中央\n    year: 二〇一八\n", 7, "不是四位数的年份"),
    ("    document: 《中国共产党支部工作条例（试行）》\n    issuer: 中共中央\n    yaer: 2018\n", 7, "未知字段“yaer”"),
    ("    url: http://www.qstheory.cn/x.htm\n", 5, "没有标题"),
])
def test_a_malformed_source_is_named_at_its_line(tmp_path: Path, source: str, line: int, words: str) -> None:
    loaded = load(tmp_path, ENTRY + source)
    found = [(p.line, p.subtype) for p in loaded.problems if words in p.message]
    assert found == [(line, "glossary_source")], [p.message for p in loaded.problems]


def test_an_entry_without_a_source_is_pending_without_a_warning(tmp_path: Path) -> None:
    loaded = load(tmp_path, ENTRY + "    note: 未找到权威来源。\n")
    assert loaded.problems == ()
    assert loaded.concepts[0].verified is False and loaded.concepts[0].source.note == "未找到权威来源。"


# --------------------------------------------------------------------------- the builds


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("glossary-sources")
    result = sphinx_build(ROOTS / "test-glossary-sources", out)
    return out, result.stderr


def test_the_build_warns_about_a_source_off_the_allow_list(built: tuple[Path, str]) -> None:
    _, stderr = built
    found = [(path, line, kind) for path, line, kind, _ in shuzhi_warnings(stderr, ROOTS / "test-glossary-sources")]
    assert found == [("glossary.yaml", 29, "glossary_source")]


def test_the_pending_list_names_exactly_the_entries_without_an_official_source(built: tuple[Path, str]) -> None:
    out, _ = built
    soup = BeautifulSoup((out / "html" / "pending.html").read_text(encoding="utf-8"), "html.parser")
    items = [item.get_text("", strip=True) for item in soup.select("ul.glossary-pending > li")]
    assert items == ["第一责任人（政治要求，glossary.yaml 第 24 行）：编辑备注丁：文档分享站。",
                     "红色物业（地方提法，glossary.yaml 第 19 行）：编辑备注丙：只找到文档分享站，待核实。"]
    assert "术语表共 4 个条目，其中 2 个已注明权威来源，以下 2 个待核实：" in soup.get_text()


def test_the_website_glossary_shows_sources_but_never_the_editors_notes(built: tuple[Path, str]) -> None:
    out, _ = built
    soup = BeautifulSoup((out / "html" / "glossary.html").read_text(encoding="utf-8"), "html.parser")
    lines = [line.get_text("", strip=True) for line in soup.select("p.glossary-source")]
    assert lines == ["依据：待核实（尚未找到权威来源，本条不印入 PDF）",
                     "依据：待核实（尚未找到权威来源，本条不印入 PDF）",
                     "依据：西咸新区网站：做深做细警示教育这项长期性经常性基础性工作",
                     "依据：《中国共产党支部工作条例（试行）》第十九条（中共中央，2018年）"]
    assert "编辑备注" not in soup.get_text()
    assert soup.select_one("p.glossary-source a")["href"].startswith("http://fxxc.xixianxinqu.gov.cn/")


@pytest.fixture(scope="module")
def latex_source(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("glossary-sources-latex")
    src = out / "src"
    shutil.copytree(ROOTS / "test-glossary-sources", src)
    result = sphinx_build(src, out, "-b", "latex")
    assert "Traceback" not in result.stderr
    return next((out / "html").glob("*.tex")).read_text(encoding="utf-8")


def test_the_printed_glossary_cites_by_number_and_ends_with_the_works(latex_source: str) -> None:
    glossary_part = latex_source[latex_source.index(r"\chapter{术语表}"):]
    assert r"\sphinxstylestrong{依据：}{[}1{]}" in glossary_part  # 警示教育
    assert r"\sphinxstylestrong{依据：}{[}2{]} 第十九条" in glossary_part  # 三会一课
    works = glossary_part[glossary_part.index(r"\subsubsection*{参考依据}"):glossary_part.index(r"\end{enumerate}")]
    assert re.findall(r"\\item \{\} \n\\sphinxAtStartPar\n(.+)", works) == [
        r"西咸新区网站：做深做细警示教育这项长期性经常性基础性工作。 "
        r"\sphinxnolinkurl{http://fxxc.xixianxinqu.gov.cn/fxlz/xxyd/ywll/1738132432180830209.html}",
        "《中国共产党支部工作条例（试行）》，中共中央，2018年。",
    ]


def test_the_printed_glossary_leaves_out_pending_entries_notes_and_url_footnotes(latex_source: str) -> None:
    assert r"\sphinxlineitem{红色物业" not in latex_source and r"\sphinxlineitem{第一责任人" not in latex_source
    # Mentions of pending entries stay as text, not links to an entry the PDF does not hold.
    assert r"\DUrole{shuzhi-term}{红色物业}" in latex_source
    assert "glossary:term-hong-se-wu-ye" not in latex_source and "glossary:term-di-yi-ze-ren-ren" not in latex_source
    assert "编辑备注" not in latex_source and "待核实" not in latex_source
    assert r"\footnote" not in latex_source and r"\sphinxhref" not in latex_source


def test_the_check_command_warns_about_the_source_as_the_build_does(tmp_path: Path) -> None:
    import io

    from shuzhi.editors import check as checking

    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-glossary-sources", src)
    build = sphinx_build(src, tmp_path / "out")
    out = io.StringIO()
    status = checking.run([], str(src), out=out)
    expected = [(path, line, kind) for path, line, kind, _ in shuzhi_warnings(build.stderr, src)]
    assert expected == [("glossary.yaml", 29, "glossary_source")]
    assert [(path, line, kind) for path, line, kind, _ in shuzhi_warnings(out.getvalue(), src)] == expected
    assert status == 1


def test_an_invalid_allow_list_in_conf_py_warns_and_the_default_applies(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-glossary-sources", src)
    conf = src / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + 'shuzhi_glossary_outlets = ["gov.cn"]\n', encoding="utf-8")
    line = conf.read_text(encoding="utf-8").count("\n")
    result = sphinx_build(src, tmp_path / "out")
    found = [(path, at, kind) for path, at, kind, _ in shuzhi_warnings(result.stderr, src)]
    assert found == [("conf.py", line, "config"), ("glossary.yaml", 29, "glossary_source")]
    assert "配置项 shuzhi_glossary_outlets 无效" in result.stderr
