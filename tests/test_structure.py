"""The structure checks: one small scenario per kind of finding.

Every folder ``tests/roots/test-structure-<scenario>`` holds one report with one kind of
defect, built by the ``structure_app`` fixture over ``test-structure-valid`` (no defect). Each
test asserts the exact ``reports/…:LINE:`` location and the ``[shuzhi.<kind>]`` subtype of every
warning the report gets, so an extra or a missing finding fails the test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import builds
from sphinx.util.console import strip_colors

REPORT = "reports/2023/01-test.md"
#: A site adds its own watermark patterns (the watermark scenario's line 26).
SITE_WATERMARK = {"shuzhi_watermark_patterns": [r"本文来自某某文库网"]}


def warnings(app) -> list[tuple[str, int, str, str]]:
    """(path relative to the source folder, line, type, message) of every warning."""
    return [(m.path, m.line, m.type, m.text)
            for m in builds.messages(strip_colors(app.warning.getvalue()), Path(app.srcdir)) if m.level == "WARNING"]


def findings(app) -> set[tuple[str, int, str]]:
    """(path, line, type) of every warning, which must all be located shuzhi warnings."""
    located = warnings(app)
    assert all(path and line and kind.startswith("shuzhi.") for path, line, kind, _ in located), located
    assert len(located) == strip_colors(app.warning.getvalue()).count("WARNING:"), app.warning.getvalue()
    return {(path, line, kind) for path, line, kind, _ in located}


def message(app, kind: str) -> str:
    (text,) = [msg for _, _, found, msg in warnings(app) if found == f"shuzhi.{kind}"]
    return text


@pytest.mark.sphinx("html", testroot="structure-valid")
def test_a_well_formed_report_has_no_finding(app) -> None:
    app.build()
    assert strip_colors(app.warning.getvalue()) == ""
    record = app.env.domains["shuzhi"].reports["reports/2023/01-test"]
    assert [part.key for part in record.parts] == ["成效", "问题", "打算"]
    assert [part.line for part in record.parts] == [14, 24, 28]
    assert record.findings == ()


def test_missing_front_matter(structure_app) -> None:
    app = structure_app("frontmatter")
    app.build()
    assert findings(app) == {(REPORT, 1, "shuzhi.frontmatter")}
    assert "没有元数据" in message(app, "frontmatter")


def test_missing_field_is_reported_at_the_closing_delimiter(structure_app) -> None:
    app = structure_app("field-missing")
    app.build()
    assert findings(app) == {(REPORT, 7, "shuzhi.field_missing")}
    assert "缺少 source 字段" in message(app, "field_missing")


def test_invalid_fields_are_reported_at_their_own_lines(structure_app) -> None:
    app = structure_app("field-invalid")
    app.build()
    assert findings(app) == {
        (REPORT, 3, "shuzhi.field_invalid"),
        (REPORT, 4, "shuzhi.field_invalid"),
        (REPORT, 6, "shuzhi.field_invalid"),
    }
    messages = {line: msg for _, line, _, msg in warnings(app)}
    assert "year 应是四位数字" in messages[3]
    assert "“街道办”" in messages[4] and "是否应为“街道”" in messages[4]
    assert "position 应是正整数" in messages[6]


def test_front_matter_title_must_match_the_heading(structure_app) -> None:
    app = structure_app("title")
    app.build()
    assert findings(app) == {(REPORT, 2, "shuzhi.title")}


def test_missing_part_is_reported_where_it_belongs(structure_app) -> None:
    app = structure_app("part-missing")
    app.build()
    assert findings(app) == {(REPORT, 24, "shuzhi.part_missing")}
    text = message(app, "part_missing")
    assert "缺少“问题”部分" in text and "之前" in text and "## 存在问题及原因分析" in text


def test_parts_out_of_order(structure_app) -> None:
    app = structure_app("part-order")
    app.build()
    assert findings(app) == {(REPORT, 28, "shuzhi.part_order")}
    assert "成效 → 问题 → 打算" in message(app, "part_order")


def test_repeated_part(structure_app) -> None:
    app = structure_app("part-repeated")
    app.build()
    assert findings(app) == {(REPORT, 32, "shuzhi.part_repeated")}
    assert "第 14 行" in message(app, "part_repeated")


def test_empty_part(structure_app) -> None:
    app = structure_app("part-empty")
    app.build()
    assert findings(app) == {(REPORT, 24, "shuzhi.part_empty")}


def test_unknown_heading_gets_the_closest_part(structure_app) -> None:
    app = structure_app("heading-unknown")
    app.build()
    # The heading is not a part, so the 成效 part is missing too (reported before 问题).
    assert findings(app) == {(REPORT, 14, "shuzhi.heading_unknown"), (REPORT, 24, "shuzhi.part_missing")}
    text = message(app, "heading_unknown")
    assert "最接近的是“成效”部分" in text and "shuzhi_part_patterns" in text


def test_a_site_adds_its_own_heading_pattern(structure_app) -> None:
    app = structure_app("heading-unknown", confoverrides={"shuzhi_part_patterns": {"成效": [r"几点体会"]}})
    app.build()
    assert findings(app) == set()
    record = app.env.domains["shuzhi"].reports["reports/2023/01-test"]
    assert record.parts[0].key == "成效" and record.parts[0].heading == "一、党建工作的几点体会"


def test_a_site_replaces_the_parts(structure_app) -> None:
    app = structure_app("heading-unknown", confoverrides={"shuzhi_report_parts": [
                        {"key": "体会", "label": "几点体会", "patterns": [r"体会"], "examples": ["几点体会"]},
                        {"key": "问题", "label": "存在问题", "patterns": [r"问题"]},
                        {"key": "打算", "label": "下一步打算", "patterns": [r"下一步"]},
                    ]})
    app.build()
    assert findings(app) == set()
    record = app.env.domains["shuzhi"].reports["reports/2023/01-test"]
    assert [part.key for part in record.parts] == ["体会", "问题", "打算"]


def test_heading_levels(structure_app) -> None:
    app = structure_app("heading-level")
    app.build()
    assert findings(app) == {(REPORT, 20, "shuzhi.heading_level"), (REPORT, 24, "shuzhi.heading_level")}
    messages = {line: msg for _, line, _, msg in warnings(app)}
    assert "### （二）夯实基层基础" in messages[20]
    assert "## 二、存在问题及原因分析" in messages[24]
    # A part heading written one level too deep is still recognised as its part.
    record = app.env.domains["shuzhi"].reports["reports/2023/01-test"]
    assert [part.key for part in record.parts] == ["成效", "问题", "打算"]


def test_numbering_gaps(structure_app) -> None:
    app = structure_app("numbering")
    app.build()
    assert findings(app) == {(REPORT, 20, "shuzhi.numbering"), (REPORT, 28, "shuzhi.numbering")}
    messages = {line: msg for _, line, _, msg in warnings(app)}
    assert "应为“（二）”" in messages[20]
    assert "应为“三、”" in messages[28]


def test_mixed_numbering_styles(structure_app) -> None:
    app = structure_app("numbering-mixed")
    app.build()
    assert findings(app) == {(REPORT, 20, "shuzhi.numbering_mixed"), (REPORT, 24, "shuzhi.numbering_mixed")}
    messages = {line: msg for _, line, _, msg in warnings(app)}
    assert "请把“(二)”改为“（二）”" in messages[20]
    assert "请把“〔三〕”改为“（三）”" in messages[24]


def test_cause_analysis_is_not_required_by_default(structure_app) -> None:
    app = structure_app("cause")
    app.build()
    assert findings(app) == set()


def test_cause_analysis_when_required(structure_app) -> None:
    app = structure_app("cause", confoverrides={"shuzhi_require_cause_analysis": True})
    app.build()
    assert findings(app) == {(REPORT, 24, "shuzhi.cause_missing")}


def test_preamble_when_required(structure_app) -> None:
    app = structure_app("preamble", confoverrides={"shuzhi_require_preamble": True})
    app.build()
    assert findings(app) == {(REPORT, 10, "shuzhi.preamble_missing")}


def test_watermarks_built_in_and_configured(structure_app) -> None:
    app = structure_app("watermark", confoverrides=SITE_WATERMARK)
    app.build()
    assert findings(app) == {
        (REPORT, 18, "shuzhi.watermark"),
        (REPORT, 24, "shuzhi.watermark"),
        (REPORT, 26, "shuzhi.watermark"),  # the site's own (SITE_WATERMARK)
    }


def test_placeholders_do_not_fail_the_build_by_default(structure_app) -> None:
    app = structure_app("placeholder")
    app.build()
    assert findings(app) == set()
    record = app.env.domains["shuzhi"].reports["reports/2023/01-test"]
    assert [(p.text, p.line) for p in record.placeholders] == [("x次", 18), ("*个", 18)]
    assert "1 篇报告中共有 2 处未填写的占位符" in strip_colors(app.status.getvalue())


def test_placeholders_fail_the_build_when_configured(structure_app) -> None:
    app = structure_app("placeholder", confoverrides={"shuzhi_placeholders_fail": True})
    app.build()
    assert [(path, line, kind) for path, line, kind, _ in warnings(app)] == [
        (REPORT, 18, "shuzhi.placeholder"), (REPORT, 18, "shuzhi.placeholder"),
    ]


def test_a_kind_can_be_suppressed(structure_app) -> None:
    app = structure_app("watermark", confoverrides={**SITE_WATERMARK, "suppress_warnings": ["shuzhi.watermark"]})
    app.build()
    assert findings(app) == set()


@pytest.mark.sphinx("html", testroot="structure-valid", srcdir="structure-encoding")
def test_a_binary_file_is_reported_and_left_out(app) -> None:
    binary = Path(app.srcdir) / "reports" / "2023" / "02-binary.md"
    binary.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\n\n\xff\xfe\x00word/document.xml")
    app.build()
    assert findings(app) == {("reports/2023/02-binary.md", 3, "shuzhi.encoding")}
    assert "二进制文件" in message(app, "encoding")
    assert (Path(app.outdir) / "reports" / "2023" / "01-test.html").is_file()
    assert not (Path(app.outdir) / "reports" / "2023" / "02-binary.html").exists()


@pytest.mark.sphinx("html", testroot="structure-valid", srcdir="structure-config",
                    confoverrides={"shuzhi_report_parts": ["成效", "问题", "打算"],
                                   "shuzhi_part_patterns": {"成效": ["(未闭合"], "不存在": ["x"]},
                                   "shuzhi_watermark_patterns": ["[坏"]})
def test_invalid_configuration_falls_back_to_defaults(app) -> None:
    app.build()
    text = strip_colors(app.warning.getvalue())
    assert text.count("[shuzhi.config]") == 3, text
    # Set with confoverrides, so there is no line in conf.py to point at.
    assert "WARNING: 配置项 shuzhi_report_parts 无效：shuzhi_report_parts 的第 1 项应是字典。已改用默认值。" in text
    record = app.env.domains["shuzhi"].reports["reports/2023/01-test"]
    assert [part.key for part in record.parts] == ["成效", "问题", "打算"]
    assert record.findings == ()


@pytest.mark.sphinx("html", testroot="structure-valid", srcdir="structure-card")
def test_report_card_links_to_the_parts(app) -> None:
    app.build()
    html = (Path(app.outdir) / "reports" / "2023" / "01-test.html").read_text(encoding="utf-8")
    card = html[html.index('<div class="report-card'):]
    card = card[:card.index("</div>")]
    assert "机关" in card and "2023" in card and "党组织书记" in card
    links = re.findall(r'<a class="reference internal" href="#([^"]+)" title="([^"]+)">([^<]+)</a>', card)
    assert [(title, text) for _, title, text in links] == [
        ("一、工作成效及特色亮点", "成效"), ("二、存在问题及原因分析", "问题"), ("三、下一步工作打算", "打算"),
    ]
    for anchor, _, _ in links:
        assert f'id="{anchor}"' in html
    # The card is HTML-only: the text builder (like LaTeX) drops it.
    assert html.index('<div class="report-card') < html.index("现将履职情况报告如下")


@pytest.mark.sphinx("html", testroot="structure-valid", srcdir="structure-internal")
def test_an_unexpected_error_is_a_warning_not_a_traceback(app, monkeypatch) -> None:
    from shuzhi.report import structure

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(structure, "analyse", broken)
    app.build()
    assert findings(app) == {(REPORT, 1, "shuzhi.internal")}
    assert "RuntimeError: boom" in message(app, "internal")
    assert (Path(app.outdir) / "reports" / "2023" / "01-test.html").is_file()
