"""Word files read as Word shows them: the body in order (paragraphs and tables), automatic
numbering written out, tables as MyST tables, footnotes and text boxes; and the fidelity check
compares the pages with the text stored in the file, not with what the reader kept."""

from __future__ import annotations

import html
import re
import shutil
import zipfile
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from shuzhi.editors import cli, input_files as sources

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TITLE = "2024年度**街道党工委书记抓基层党建工作述职报告"

CHINESE_LIST = f"""
<w:abstractNum {nsdecls('w')} w:abstractNumId="90">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
</w:abstractNum>"""
NUM = f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'
TEXTBOX = (f'<w:r {nsdecls("w")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
           'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
           '<w:txbxContent><w:p><w:r><w:t>文本框：全年发展党员21名。</w:t></w:r></w:p></w:txbxContent>'
           '</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r>'
           '<w:t>文本框：全年发展党员21名。</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict>'
           '</mc:Fallback></mc:AlternateContent></w:r>')


def numbered(document, text: str, level: int) -> None:
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))


def add_footnote(path: Path, anchor: str, note: str) -> None:
    """Give the paragraph containing *anchor* a footnote (python-docx cannot write footnotes)."""
    work = path.with_suffix(".dir")
    with zipfile.ZipFile(path) as package:
        package.extractall(work)
    body = (work / "word" / "document.xml").read_text(encoding="utf-8")
    body = body.replace(f"<w:t>{anchor}</w:t></w:r>",
                        f'<w:t>{anchor}</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>', 1)
    (work / "word" / "document.xml").write_text(body, encoding="utf-8")
    (work / "word" / "footnotes.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        f'<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>{note}</w:t></w:r></w:p></w:footnote>'
        '</w:footnotes>', encoding="utf-8")
    rels = work / "word" / "_rels" / "document.xml.rels"
    rels.write_text(rels.read_text(encoding="utf-8").replace(
        "</Relationships>",
        '<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"'
        ' Target="footnotes.xml"/></Relationships>'), encoding="utf-8")
    types = work / "[Content_Types].xml"
    types.write_text(types.read_text(encoding="utf-8").replace(
        "</Types>", '<Override PartName="/word/footnotes.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>'), encoding="utf-8")
    path.unlink()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for file in sorted(work.rglob("*")):
            if file.is_file():
                package.write(file, file.relative_to(work).as_posix())
    shutil.rmtree(work)


def word_report(tmp_path: Path) -> Path:
    """A report as Word users write it: list numbering for 一、, a table between paragraphs,
    a merged header cell, a text box and a footnote."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(CHINESE_LIST))
    numbering.append(parse_xml(NUM))
    document.add_heading(TITLE, level=0)
    document.add_paragraph("现将履职情况报告如下：")
    numbered(document, "主要做法和成效", 0)
    numbered(document, "强化政治引领", 1)
    document.add_paragraph("全年召开党工委会议12次。")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "指标"
    table.cell(0, 2).text = "完成"
    for row, (name, value) in enumerate((("发展党员", "21名"), ("培训|党员", "300人次")), start=1):
        table.cell(row, 0).text = name
        table.cell(row, 1).text = "计划"
        table.cell(row, 2).text = value
    document.add_paragraph("表中数字截至12月底。")._p.append(parse_xml(TEXTBOX))
    numbered(document, "存在问题及原因分析", 0)
    document.add_paragraph("学习不够深入。")
    numbered(document, "下一步工作打算", 0)
    document.add_paragraph("一是加强学习。")
    path = tmp_path / "word.docx"
    document.save(str(path))
    add_footnote(path, "学习不够深入。", "据2024年12月的问卷调查。")
    return path


def test_word_numbering_tables_textboxes_and_footnotes_are_kept(tmp_path: Path, capsys) -> None:
    source = word_report(tmp_path)
    assert cli.main(["import", str(source), "--out", str(tmp_path / "reports")]) == 0
    out = capsys.readouterr().out
    assert f"{source}: 读取为 Word，1 篇报告" in out
    assert f"{source}:3: Word 自动编号“一、”已写入正文" in out and f"{source}:4: Word 自动编号“（一）”已写入正文" in out
    page = (tmp_path / "reports" / "2024" / "01-jiedao.md").read_text(encoding="utf-8")
    body = page.split("---\n", 2)[2]
    assert body == (
        "\n# 2024年度\\*\\*街道党工委书记抓基层党建工作述职报告\n\n现将履职情况报告如下：\n\n"
        "## 一、主要做法和成效\n\n### （一）强化政治引领\n\n全年召开党工委会议12次。\n\n"
        "| 指标 |   | 完成 |\n|---|---|---|\n| 发展党员 | 计划 | 21名 |\n| 培训\\|党员 | 计划 | 300人次 |\n\n"
        "表中数字截至12月底。\n\n文本框：全年发展党员21名。\n\n"
        "## 二、存在问题及原因分析\n\n学习不够深入。[^1]\n\n## 三、下一步工作打算\n\n一是加强学习。\n\n"
        "[^1]: 据2024年12月的问卷调查。\n")


def test_the_word_page_builds_with_its_table_and_footnote(tmp_path: Path) -> None:
    from builds import sphinx_build

    src = tmp_path / "site"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["shuzhi"]\nlanguage = "zh_CN"\nshuzhi_mermaid_dist = ""\n',
                                 encoding="utf-8")
    (src / "index.md").write_text("# 汇编\n\n```{toctree}\n:glob:\n\nreports/*/index\n```\n", encoding="utf-8")
    assert cli.main(["import", str(word_report(tmp_path)), "--out", str(src / "reports")]) == 0
    result = sphinx_build(src, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "html" / "reports" / "2024" / "01-jiedao.html").read_text(encoding="utf-8")
    cells = [html.unescape(cell) for cell in re.findall(r"<t[hd](?:\s[^>]*)?>\s*(?:<p>)?(.*?)(?:</p>)?\s*</t[hd]>", page, re.S)]
    assert cells == ["指标", "", "完成", "发展党员", "计划", "21名", "培训|党员", "计划", "300人次"]
    assert "据2024年12月的问卷调查。" in html.unescape(page)


def test_a_reader_that_loses_a_table_cell_is_caught(tmp_path: Path, monkeypatch, capsys) -> None:
    source = word_report(tmp_path)
    real = sources._table_rows

    def losing(table):
        rows = real(table)
        rows[2][2] = ""  # what a careless reader would do: the cell's text never reaches the page
        return rows

    monkeypatch.setattr(sources, "_table_rows", losing)
    assert cli.main(["import", str(source), "--out", str(tmp_path / "reports")]) == 1
    err = capsys.readouterr().err
    assert "第 6 行：页面的文字与Word 文件中的文字不一致（Word 文件中的文字“300人次" in err
    assert not (tmp_path / "reports").exists()


def test_a_doc_file_is_converted_with_libreoffice_when_asked(tmp_path: Path, monkeypatch, capsys) -> None:
    """``--convert`` runs ``soffice --headless --convert-to docx`` (here a stand-in that writes a .docx)."""
    made = word_report(tmp_path)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "soffice"
    fake.write_text(f"#!/bin/sh\n# soffice --headless --convert-to docx --outdir DIR FILE\n"
                    f'cp {made} "$5/$(basename "$6" .doc).docx"\n', encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    old = tmp_path / "old.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    assert cli.main(["import", str(old), "--out", str(tmp_path / "a")]) == 1
    err = capsys.readouterr().err
    assert f"也可以加 --convert 让导入工具自动转换（即 {fake} --headless --convert-to docx --outdir <目录> {old}，限时 120 秒）" in err
    assert cli.main(["import", str(old), "--out", str(tmp_path / "b"), "--convert"]) == 0
    assert "注意：已用 LibreOffice 把旧版 Word 文档（.doc）转换为 .docx 后读取，请核对导入结果" in capsys.readouterr().out
    assert (tmp_path / "b" / "2024" / "01-jiedao.md").is_file()


def test_a_hung_conversion_is_stopped(tmp_path: Path, monkeypatch, capsys) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "soffice").write_text("#!/bin/sh\nsleep 30\n", encoding="utf-8")
    (bin_dir / "soffice").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setattr(sources, "CONVERT_TIMEOUT", 1)
    old = tmp_path / "old.wps"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    assert cli.main(["import", str(old), "--out", str(tmp_path / "out"), "--convert"]) == 1
    assert "LibreOffice 在 1 秒内没有完成转换，已停止。" in capsys.readouterr().err


def test_a_restarted_list_counts_from_its_own_start(tmp_path: Path) -> None:
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(CHINESE_LIST))
    numbering.append(parse_xml(NUM))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="90"/>'
                               '<w:lvlOverride w:ilvl="1"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
    document.add_paragraph(TITLE, style="Title")
    numbered(document, "主要做法和成效", 0)
    numbered(document, "强化政治引领", 1)
    numbered(document, "夯实基层基础", 1)
    numbered(document, "存在问题", 0)
    paragraph = document.add_paragraph("学习不够深入")  # a second list (numId 91) restarting at （一）
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="1"/><w:numId w:val="91"/></w:numPr>'))
    path = tmp_path / "restart.docx"
    document.save(str(path))
    source = sources.read(path)
    assert source.text.split("\n") == [TITLE, "一、主要做法和成效", "（一）强化政治引领", "（二）夯实基层基础",
                                        "二、存在问题", "（一）学习不够深入"]


def test_a_document_that_starts_with_a_table_needs_a_title(tmp_path: Path, capsys) -> None:
    document = docx.Document()
    document.add_table(rows=1, cols=2).cell(0, 0).text = "单位"
    document.add_paragraph("一是抓学习。")
    path = tmp_path / "table-first.docx"
    document.save(str(path))
    assert cli.main(["import", str(path), "--out", str(tmp_path / "reports"), "--year", "2024"]) == 1
    assert "第 1 行应是报告标题，但它是一个表格。请用 --title" in capsys.readouterr().err
    assert cli.main(["import", str(path), "--out", str(tmp_path / "reports"), "--year", "2024",
                     "--title", TITLE]) == 0
    page = (tmp_path / "reports" / "2024" / "01-jiedao.md").read_text(encoding="utf-8")
    assert page.endswith("# 2024年度\\*\\*街道党工委书记抓基层党建工作述职报告\n\n| 单位 |   |\n|---|---|\n\n一是抓学习。\n")


def test_a_preface_with_a_table_goes_to_the_year_page_as_a_table(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("编者按：本汇编收录以下单位的报告。")
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {(0, 0): "单位", (0, 1): "篇数", (1, 0): "街道", (1, 1): "1"}.items():
        table.cell(row, col).text = text
    document.add_heading(TITLE, level=0)
    document.add_paragraph("一是抓学习。")
    path = tmp_path / "preface.docx"
    document.save(str(path))
    assert cli.main(["import", str(path), "--out", str(tmp_path / "reports"), "--preface"]) == 0
    index = (tmp_path / "reports" / "2024" / "index.md").read_text(encoding="utf-8")
    assert index.startswith("# 2024年度\n\n编者按：本汇编收录以下单位的报告。\n\n| 单位 | 篇数 |\n|---|---|\n| 街道 | 1 |\n\n")
