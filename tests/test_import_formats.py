"""Importing Word and Markdown files, and compilations without a 目录."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.shared import Pt

from shuzhi.editors import cli, importer

BODY = "一是抓学习。**村和**村的工作，开展x次。二是抓落实。"


def word_file(tmp_path: Path, *, styles: bool) -> Path:
    """A report as Word users write it: headings as heading styles, or as bold paragraphs."""
    document = docx.Document()
    if styles:
        document.add_heading("2024年度**社区党委书记抓基层党建工作述职报告", level=0)
    else:
        run = document.add_paragraph().add_run("2024年度**社区党委书记抓基层党建工作述职报告")
        run.bold, run.font.size = True, Pt(18)
    document.add_paragraph("今年以来，社区党委【更多素@材搜索哒哒文库】认真履行职责。")
    for part, sub in (("一、主要做法和成效", "（一）强化政治引领"), ("二、存在的主要问题及原因", None),
                      ("三、下一步工作打算", None)):
        if styles:
            document.add_heading(part, level=1)
        else:
            document.add_paragraph().add_run(part).bold = True
        if sub:
            if styles:
                document.add_heading(sub, level=2)
            else:
                document.add_paragraph().add_run(sub).bold = True
        document.add_paragraph(BODY)
    if styles:
        document.add_heading("附：工作台账", level=1)  # a heading without numbering
        document.add_paragraph("台账略。")
    path = tmp_path / ("styled.docx" if styles else "bold.docx")
    document.save(str(path))
    return path


@pytest.mark.parametrize("styles", [True, False], ids=["heading-styles", "bold-paragraphs"])
def test_word_report_becomes_a_page_with_its_headings(tmp_path: Path, styles: bool, capsys) -> None:
    source = word_file(tmp_path, styles=styles)
    assert cli.main(["import", str(source), "--out", str(tmp_path / "reports")]) == 0
    out = capsys.readouterr().out
    assert "已删除水印 '【更多素@材搜索哒哒文库】'" in out
    page = (tmp_path / "reports" / "2024" / "01-shequ.md").read_text(encoding="utf-8")
    headings = [line for line in page.splitlines() if line.startswith("#")]
    expected = ["# 2024年度\\*\\*社区党委书记抓基层党建工作述职报告", "## 一、主要做法和成效", "### （一）强化政治引领",
                "## 二、存在的主要问题及原因", "## 三、下一步工作打算"]
    if styles:
        expected.append("## 附：工作台账")
    assert headings == expected
    assert 'unit_kind: "社区"' in page and "year: 2024" in page
    assert page.count(importer.escape(BODY)) == 3
    assert (tmp_path / "reports" / "2024" / "index.md").exists()


def test_doc_file_that_is_not_docx_gets_a_clear_message(tmp_path: Path, capsys) -> None:
    fake = tmp_path / "old.docx"
    fake.write_bytes(b"\xd0\xcf\x11\xe0 not a zip")
    assert cli.main(["import", str(fake), "--out", str(tmp_path / "out")]) == 1
    assert "另存为 .docx" in capsys.readouterr().err


def test_markdown_input_keeps_its_heading_levels(tmp_path: Path) -> None:
    source = tmp_path / "r.md"
    source.write_text("# 2024年度机关党支部书记述职报告\n\n前言。\n\n## 主要成效\n\n一是……。\n\n### 具体做法\n\n正文。\n", encoding="utf-8")
    compilation, pages = importer.import_compilation(source, tmp_path / "out")
    kinds = [(block.kind, block.text) for block in compilation.reports[0].blocks]
    assert kinds == [("title", "2024年度机关党支部书记述职报告"), ("para", "前言。"), ("h2", "主要成效"),
                     ("para", "一是……。"), ("h3", "具体做法"), ("para", "正文。")]


def test_compilation_without_a_toc_is_split_at_its_titles(tmp_path: Path) -> None:
    source = tmp_path / "two.txt"
    source.write_text("2023年度甲镇党委书记抓党建工作述职报告\n一、成效\n甲。\n"
                      "2023年度乙局党组书记抓党建工作述职报告\n一、成效\n乙。\n", encoding="utf-8")
    compilation, pages = importer.import_compilation(source, tmp_path / "out")
    assert [report.title for report in compilation.reports] == [
        "2023年度甲镇党委书记抓党建工作述职报告", "2023年度乙局党组书记抓党建工作述职报告"]
    assert len([path for path in pages if path.name != "index.md"]) == 2


def test_extra_watermark_pattern_from_the_command_line(tmp_path: Path, capsys) -> None:
    source = tmp_path / "ad.txt"
    source.write_text("2023年度述职报告\n一、成效\n正文（本文来自某某网）继续。\n", encoding="utf-8")
    assert cli.main(["import", str(source), "--out", str(tmp_path / "out"), "--watermark", r"（本文来自[^）]*）"]) == 0
    assert "ad.txt:3:3: 已删除水印 '（本文来自某某网）'" in capsys.readouterr().out
    page = next((tmp_path / "out").rglob("01-*.md")).read_text(encoding="utf-8")
    assert "正文继续。" in page


def test_control_characters_are_removed_and_reported(tmp_path: Path, capsys) -> None:
    source = tmp_path / "pasted.txt"
    source.write_text("2023年度述职报告\n一、成效\n正文\x01继续\u2028同一段。\n", encoding="utf-8")
    assert cli.main(["import", str(source), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "pasted.txt:3:3: 已删除控制字符 'U+0001'" in out and "pasted.txt:3:6: 已删除控制字符 'U+2028'" in out
    page = next((tmp_path / "out").rglob("01-*.md")).read_text(encoding="utf-8")
    assert "正文继续同一段。" in page


def test_a_docx_that_unpacks_too_large_is_refused_before_reading(tmp_path: Path, capsys) -> None:
    import zipfile

    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b"\0" * (201 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024
    assert cli.main(["import", str(bomb), "--out", str(tmp_path / "out")]) == 1
    assert "超过了导入的上限" in capsys.readouterr().err
