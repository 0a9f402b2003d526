"""Glossary input at its edges, in real builds (``-W --keep-going``) of a small site.

Valid but tricky entries are accepted and link correctly (a one-character
term, a term that is a prefix of another, regular-expression characters,
related concepts that point at each other); each entry-level problem gets
one message at ``glossary.yaml:LINE``; a glossary that is not YAML or not
UTF-8 gets one message and the reports are still built, unlinked. Never a
traceback.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from builds import ROOTS, shuzhi_warnings, sphinx_build

BROKEN_YAML = "- term: 三会一课\n  category: 组织制度\n  definition: 三会加上党课。\n- term: [未闭合\n  category: 组织制度\n"
NOT_UTF8 = "- term: 三会一课\n  category: 组织制度\n  definition: 三会加上党课。\n"


def build(base: Path, glossary: bytes | None = None):
    src = base / "src"
    shutil.copytree(ROOTS / "test-glossary-malformed", src)
    if glossary is not None:
        (src / "glossary.yaml").write_bytes(glossary)
    result = sphinx_build(src, base / "out")
    for sign in ("Traceback", "Exception occurred", "Extension error", "[shuzhi.internal]"):
        assert sign not in result.stderr, result.stderr[-3000:]
    html = base / "out" / "html"
    # Every page is built: index, glossary and the two reports, plus genindex and search.
    sources = [path for path in src.rglob("*.md")]
    assert len(sources) == 4 and len(list(html.rglob("*.html"))) == len(sources) + 2
    located = {(path, line, kind) for path, line, kind, _ in shuzhi_warnings(result.stderr, src)}
    return src, html, result, located


@pytest.fixture(scope="module")
def edges(tmp_path_factory):
    return build(tmp_path_factory.mktemp("glossary-edges"))


def test_each_problem_gets_one_message_at_its_line(edges) -> None:
    _, _, result, located = edges
    assert result.returncode == 1  # the warnings, as errors, after a complete build
    assert located == {
        ("glossary.yaml", 1, "glossary_term"),  # 党: one character
        ("glossary.yaml", 15, "glossary_related"),  # 党建+机关文化 → itself
        ("glossary.yaml", 19, "glossary_alias"),  # 主题党日's alias 三会 is another term
    }
    assert "build finished with problems" in result.stdout + result.stderr


def links(page: Path) -> list[tuple[str, str]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [(a["href"].split("#")[1], a.get_text()) for a in soup.select("a.reference") if "glossary.html#" in a["href"]]


def test_longest_match_literal_match_and_no_one_character_links(edges) -> None:
    _, html, _, _ = edges
    found = links(html / "reports" / "a.html")
    assert ("term-san-hui-yi-ke", "三会一课") in found and ("term-san-hui", "三会") in found  # prefix: both valid
    assert ("term-dang-jian-ji-guan-wen-hua", "党建+机关文化") in found  # "+" is a character, not a regex
    assert sum(1 for _, text in found if text == "(a|b)*c") == 1  # "aaac" is not a mention
    assert ("term-zhu-ti-dang-ri", "固定党日") in found  # its valid alias still links
    assert all(text != "党" for _, text in found)
    assert not any(text == "党" for _, text in links(html / "reports" / "b.html"))


def test_circular_related_concepts_link_both_ways(edges) -> None:
    from bs4 import BeautifulSoup

    _, html, _, _ = edges
    soup = BeautifulSoup((html / "glossary.html").read_text(encoding="utf-8"), "html.parser")
    entries = {dt["id"]: dt for dt in soup.select("dl.shuzhi-glossary > dt[id]")}
    assert {"term-dang", "term-san-hui", "term-san-hui-yi-ke", "term-dang-jian-ji-guan-wen-hua",
            "term-zhu-ti-dang-ri"} <= set(entries)

    def related(anchor: str) -> set[str]:
        dd = entries[anchor].find_next_sibling("dd")
        return {a["href"].split("#")[-1] for a in dd.select("a[href*='#term-']")}

    assert "term-san-hui-yi-ke" in related("term-san-hui") and "term-san-hui" in related("term-san-hui-yi-ke")
    assert "term-dang-jian-ji-guan-wen-hua" not in related("term-dang-jian-ji-guan-wen-hua")


@pytest.mark.parametrize(("name", "glossary", "line", "words"), [
    ("broken-yaml", BROKEN_YAML.encode(), 5, "问题始于第 4 行"),  # where PyYAML notices it; where it began
    ("not-utf8", NOT_UTF8.encode("gbk"), 1, "不是 UTF-8 编码"),
])
def test_an_unreadable_glossary_gets_one_message_and_the_reports_build(tmp_path, name, glossary, line, words) -> None:
    src, html, result, located = build(tmp_path, glossary)
    assert located == {("glossary.yaml", line, "glossary_syntax")}, result.stderr[-2000:]
    assert words in result.stderr
    assert links(html / "reports" / "a.html") == []  # no glossary: nothing is linked, the text is there
    assert "落实三会一课制度" in (html / "reports" / "a.html").read_text(encoding="utf-8")
