"""The glossary page: A–Z groups, backlinks with counts, correct under -j and incremental builds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from builds import ROOTS, sphinx_build

#: 四风's usage in test-glossary-link: report 甲 mentions it twice in its preamble; report 乙 once in each of two parts.
SI_FENG = "使用情况： 共 4 处，见于 2 篇报告： 报告甲 （2 处）： 开头部分 2 处 报告乙 （2 处）： 一、成效 1 处； 二、问题 1 处"


def usage_of(html: str) -> dict[str, str]:
    """Anchor of each glossary entry → the text of its "使用情况" block."""
    soup = BeautifulSoup(html, "html.parser")
    result = {}
    for term in soup.select("dl.shuzhi-glossary > dt"):
        definition = term.find_next_sibling("dd")
        usage = definition.select_one(".glossary-usage") or definition.select_one("p.glossary-usage")
        result[term["id"]] = " ".join(usage.get_text(" ", strip=True).split()) if usage else ""
    return result


@pytest.mark.sphinx("html", testroot="glossary-link")
def test_entries_are_grouped_a_to_z_with_pinyin(app) -> None:
    app.build()
    soup = BeautifulSoup((app.outdir / "glossary.html").read_text(encoding="utf-8"), "html.parser")
    letters = [rubric.get_text(strip=True) for rubric in soup.select("p.rubric.glossary-letter")]
    assert letters == ["C", "S", "Y", "Z"]
    terms = [dt.contents[0].strip() for dt in soup.select("dl.shuzhi-glossary > dt")]
    assert terms == ["村“两委”", "三会一课", "四风", "一岗双责", "中央八项规定"]
    assert soup.select_one("#term-san-hui-yi-ke .glossary-pinyin").get_text() == "san hui yi ke"


@pytest.mark.sphinx("html", testroot="glossary-link")
def test_backlinks_count_every_mention_per_report_and_part(app) -> None:
    app.build()
    usage = usage_of((app.outdir / "glossary.html").read_text(encoding="utf-8"))
    assert usage["term-si-feng"] == SI_FENG
    assert usage["term-yi-gang-shuang-ze"].startswith("使用情况： 共 1 处")  # the explicit {term} role is not a mention in text
    soup = BeautifulSoup((app.outdir / "glossary.html").read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in soup.select("#term-si-feng ~ dd .glossary-usage a")][:4]
    assert links[0] == "reports/a.html"
    for href in links:
        page, _, anchor = href.partition("#")
        if anchor:
            assert f'id="{anchor}"' in (app.outdir / page).read_text(encoding="utf-8")


def _build(src: Path, out: Path, *options: str) -> str:
    """Build *src* into ``out/html`` in a process of its own; its log (which documents are read)."""
    result = sphinx_build(src, out, *options, strict=False, isolated=True)  # builds compared: nothing shared
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


@pytest.mark.slow
def test_backlinks_are_identical_with_j2_and_after_incremental_builds(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-glossary-link", src)
    _build(src, tmp_path / "j1", "-q", "-j", "1", "-E")
    _build(src, tmp_path / "j2", "-q", "-j", "2", "-E")
    serial = usage_of((tmp_path / "j1" / "html" / "glossary.html").read_text(encoding="utf-8"))
    parallel = usage_of((tmp_path / "j2" / "html" / "glossary.html").read_text(encoding="utf-8"))
    assert serial == parallel and serial["term-si-feng"] == SI_FENG

    # Incremental: add a mention to one report; only the counts it changes move.
    report = src / "reports" / "b.md"
    report.write_text(report.read_text(encoding="utf-8") + "\n再次强调四风。\n", encoding="utf-8")
    _build(src, tmp_path / "j2", "-q", "-j", "2")
    after = usage_of((tmp_path / "j2" / "html" / "glossary.html").read_text(encoding="utf-8"))
    assert after["term-si-feng"] == SI_FENG.replace("共 4 处", "共 5 处").replace("报告乙 （2 处）", "报告乙 （3 处）").replace(
        "二、问题 1 处", "二、问题 2 处")
    assert after["term-san-hui-yi-ke"] == serial["term-san-hui-yi-ke"]
    _build(src, tmp_path / "fresh", "-q", "-E")
    assert usage_of((tmp_path / "fresh" / "html" / "glossary.html").read_text(encoding="utf-8")) == after


@pytest.mark.slow
def test_editing_the_glossary_rereads_only_what_depends_on_it(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-glossary-link", src)
    out = tmp_path / "out"
    _build(src, out, "-q")
    glossary = src / "glossary.yaml"
    text = glossary.read_text(encoding="utf-8")

    # A definition changes: only the glossary page is re-read.
    glossary.write_text(text.replace("支部党员大会", "支部党员大会（修订）"), encoding="utf-8")
    log = _build(src, out)
    assert _reread(log) == ["glossary"]

    # A new alias that only report 乙 contains: the glossary page and report 乙 are re-read.
    glossary.write_text(text.replace("- term: 四风\n", "- term: 四风\n  aliases: [四风问题]\n"), encoding="utf-8")
    log = _build(src, out)
    assert _reread(log) == ["glossary", "reports/b"]


def _reread(log: str) -> list[str]:
    """Docnames in the "reading sources..." lines of a Sphinx log."""
    import re

    return sorted(re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", log))


@pytest.mark.sphinx("html", testroot="glossary-invalid")
def test_glossary_problems_are_warnings_with_file_and_line(app) -> None:
    app.build()
    warnings = app.warning.getvalue()
    assert "glossary.yaml:5: WARNING: 术语“三会一课”重复" in warnings and "[shuzhi.glossary_duplicate]" in warnings
    assert "glossary.yaml:9: WARNING:" in warnings and "[shuzhi.glossary_definition]" in warnings
    assert "glossary.yaml:10: WARNING:" in warnings and "[shuzhi.glossary_alias]" in warnings
    assert "glossary.yaml:11: WARNING:" in warnings and "[shuzhi.glossary_related]" in warnings
    # The valid entries still make a glossary page, and the report still links to them.
    assert 'id="term-san-hui-yi-ke"' in (app.outdir / "glossary.html").read_text(encoding="utf-8")
    assert "Traceback" not in warnings


@pytest.mark.sphinx("html", testroot="glossary-link", confoverrides={"shuzhi_backlinks_max": 1})
def test_backlinks_are_capped_but_counted_in_full(app) -> None:
    app.build()
    usage = usage_of((app.outdir / "glossary.html").read_text(encoding="utf-8"))
    assert usage["term-si-feng"] == "使用情况： 共 4 处，见于 2 篇报告： 报告甲 （2 处）： 开头部分 2 处 ……另有 1 篇报告（只列前 1 篇）。"
