"""Anchors stay put: adding a concept or a report renames no glossary entry and no report part.

Links into the site (bookmarks, links in other documents, the report card)
point at ``glossary.html#term-…`` and at the sections of report pages. The
test builds a small site, records those ids with their text, adds a concept
that sorts before every other one and a report that sorts before every
other one, builds again from scratch, and expects every id on the same page
with the same text.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from builds import ROOTS, sphinx_build

NEW_CONCEPT = ("- term: 安全生产\n  category: 工作方法\n  definition: 保障生产安全的各项工作。\n"
               "  related: [三会一课]\n")
NEW_REPORT = """# 新增的报告

坚持安全生产，落实三会一课。

## 一、工作成效及特色亮点

### （一）安全生产

安全生产和四风问题一起抓。

## 二、存在问题及原因分析

问题。

## 三、下一步工作打算

打算。
"""


def _text(node) -> str:
    return node.get_text().replace("¶", "").strip()


def anchors(html: Path) -> dict[str, dict[str, str]]:
    """page → {id: text}: glossary entries, report part sections, and the report card's links."""
    found: dict[str, dict[str, str]] = {}
    soup = BeautifulSoup((html / "glossary.html").read_text(encoding="utf-8"), "html.parser")
    found["glossary.html"] = {dt["id"]: _text(dt) for dt in soup.select("dl.shuzhi-glossary > dt[id]")}
    for page in sorted((html / "reports").glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        ids = {h2.parent["id"]: _text(h2) for h2 in soup.select("section > h2") if h2.parent.get("id")}
        card = {a["href"]: _text(a) for a in soup.select("div.report-card a[href^='#']")}
        assert set(card) <= {f"#{part}" for part in ids}, (page.name, card, ids)  # the card links to recognised parts
        found[page.relative_to(html).as_posix()] = ids | {f"card{href}": text for href, text in card.items()}
    return found


@pytest.mark.slow
def test_ids_survive_a_new_concept_and_a_new_report(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-glossary-link", src)
    # A report with parts and sub-parts, from the structure tests, beside the root's own two.
    shutil.copy(ROOTS / "test-structure-valid" / "reports" / "2023" / "01-test.md", src / "reports" / "c.md")
    with (src / "reports" / "c.md").open("a", encoding="utf-8") as report:
        report.write("\n落实三会一课，反对四风。\n")
    first = sphinx_build(src, tmp_path / "first", "-q")
    assert "Traceback" not in first.stderr, first.stderr[-2000:]
    before = anchors(tmp_path / "first" / "html")

    parts = before["reports/c.html"]
    assert [key for key in parts if not key.startswith("card")] == ["part-cheng-xiao", "part-wen-ti", "part-da-suan"]
    assert parts["part-cheng-xiao"] == "一、工作成效及特色亮点" and parts["card#part-wen-ti"] == "问题"
    assert before["reports/a.html"] == {"section-1": "一、三会一课的落实"}  # not a part of the schema
    assert len(before["glossary.html"]) == 5 and "term-san-hui-yi-ke" in before["glossary.html"]

    glossary = src / "glossary.yaml"
    glossary.write_text(NEW_CONCEPT + glossary.read_text(encoding="utf-8"), encoding="utf-8")
    (src / "reports" / "0-new.md").write_text(NEW_REPORT, encoding="utf-8")
    second = sphinx_build(src, tmp_path / "second", "-q")
    assert "Traceback" not in second.stderr, second.stderr[-2000:]
    after = anchors(tmp_path / "second" / "html")

    assert after["glossary.html"]["term-an-quan-sheng-chan"].startswith("安全生产")  # then its pinyin
    assert list(after["glossary.html"])[0] == "term-an-quan-sheng-chan"  # it sorts before the others
    assert "reports/0-new.html" in after
    for page, ids in before.items():
        assert {key: after[page].get(key) for key in ids} == ids, page


@pytest.mark.slow
def test_part_ids_survive_headings_added_above_them(tmp_path: Path) -> None:
    """Docutils' ids (id2, id5, …) shifted when an editor added any heading; a part's id is its key's pinyin."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-structure-valid", src)
    report = src / "reports" / "2023" / "01-test.md"
    sphinx_build(src, tmp_path / "first", "-q")
    page = Path("reports/2023/01-test.html")

    def part_ids(out: Path) -> dict[str, str]:
        soup = BeautifulSoup((out / "html" / page).read_text(encoding="utf-8"), "html.parser")
        return {h2.parent["id"]: _text(h2) for h2 in soup.select("section > h2")}

    before = part_ids(tmp_path / "first")
    text = report.read_text(encoding="utf-8")
    text = text.replace("现将履职情况报告如下。", "现将履职情况报告如下。\n\n## 说明\n\n说明。")
    text = text.replace("### （二）夯实基层基础", "### （二）新增的小标题\n\n内容。\n\n### （三）夯实基层基础")
    report.write_text(text, encoding="utf-8")
    sphinx_build(src, tmp_path / "second", "-q")
    after = part_ids(tmp_path / "second")
    assert {key: after.get(key) for key in before} == before
    assert after["section-1"] == "说明"
