"""The importer turns the seed into the committed pages, faithfully."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, SEED

from shuzhi.editors import cli, importer

from shuzhi.report import watermarks


def test_committed_reports_are_what_import_produces(tmp_path: Path, seed_text: str) -> None:
    out = tmp_path / "reports"
    status = cli.main(["import", str(SEED), "--out", str(out), "--source-label", "reports/2023/source.txt"])
    assert status == 0
    produced = sorted(path.relative_to(out) for path in out.rglob("*.md"))
    committed = sorted(path.relative_to(REPO / "reports") for path in (REPO / "reports").rglob("*.md"))
    assert produced == committed
    for relative in produced:
        assert (out / relative).read_text(encoding="utf-8") == (REPO / "reports" / relative).read_text(encoding="utf-8"), relative


def test_every_watermark_form_is_removed_and_reported(seed_text: str) -> None:
    clean, removals = watermarks.strip(seed_text)
    assert [removal.text for removal in removals] == [
        "##paidbegin##",
        "【更多#素~材搜索哒&哒文#库*~】",
        "%【更多素#材搜索哒哒%文*库】",
        "【更多素@材搜索哒哒文库】",
        "*【更多素材搜索哒^#哒文库】",
        "##paidend##",
    ]
    assert [removal.line for removal in removals] == [47, 64, 66, 70, 76, 97]
    for fragment in ("哒", "paid", "文库"):
        assert fragment not in clean


@pytest.mark.parametrize(
    "text",
    [
        "我镇**村通过着力发展特色产业，**村获评示范村。",  # would be bold
        "《关于印发<**区开展基层党建“五基三化”提升年行动实施方案>的通知》",  # would be HTML
        "主动联系**有限公司，*公司和*次都照原样。",
        "1.2023年开头的数字和句点",  # would be a list
        "% 百分号开头",  # would be a MyST comment
        "[x] 方括号与 `反引号` 和 _下划线_ 与 {term}`三会一课`",
        "# 井号、\\反斜杠、&amp; 实体、$公式$、|竖线|、~删除~",
        "- 短横开头",
        "(target)=",
    ],
)
def test_escaped_text_renders_literally(text: str) -> None:
    markdown = importer.escape(text)
    assert importer.rendered_text(markdown) == [text]


def test_run_in_heading_is_split_from_its_paragraph() -> None:
    blocks = importer.recognise([(1, "标题"), (2, "（一）强化理论武装，深入推进党的政治建设。认真学习贯彻。一是坚持。")])
    assert [(block.kind, block.text) for block in blocks] == [
        ("title", "标题"),
        ("h3", "（一）强化理论武装，深入推进党的政治建设。"),
        ("para", "认真学习贯彻。一是坚持。"),
    ]


def test_heading_levels_and_yishi_stay_in_text() -> None:
    blocks = importer.recognise([(1, "标题"), (2, "一、工作成效"), (3, "(二)ASCII 括号"),
                                 (4, "〔三〕六角括号"), (5, "1、小标题"), (6, "一是抓学习。二是抓落实。")])
    assert [block.kind for block in blocks] == ["title", "h2", "h3", "h3", "h4", "para"]


def test_import_refuses_to_write_when_text_would_change(tmp_path: Path, monkeypatch, capsys) -> None:
    source = tmp_path / "one.txt"
    source.write_text("2023年度述职报告\n一、成效\n**村和**村的工作。\n", encoding="utf-8")
    monkeypatch.setattr(importer, "escape", lambda text: text)  # a broken escaper
    status = cli.main(["import", str(source), "--out", str(tmp_path / "out")])
    assert status == 1
    assert "不一致" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_gbk_input_is_imported_and_its_encoding_reported(tmp_path: Path, capsys) -> None:
    source = tmp_path / "gbk.txt"
    source.write_bytes("2023年度**镇党委书记述职报告\n一、工作成效\n我镇抓学习。\n".encode("gbk"))
    assert cli.main(["import", str(source), "--out", str(tmp_path / "out")]) == 0
    assert f"{source}: 读取为 GB18030（GBK），1 篇报告" in capsys.readouterr().out
    page = (tmp_path / "out" / "2023" / "01-xiangzhen.md").read_text(encoding="utf-8")
    assert page.endswith("# 2023年度\\*\\*镇党委书记述职报告\n\n## 一、工作成效\n\n我镇抓学习。\n")


def test_undecodable_bytes_are_refused_with_their_position(tmp_path: Path, capsys) -> None:
    source = tmp_path / "broken.txt"
    source.write_bytes("2023年度述职报告\n正文".encode("utf-8") + b"\xff\xff\xff" + "。\n".encode("utf-8"))
    assert cli.main(["import", str(source), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "第 2 行第 7 个字节（文件中的第 30 个字节，ff ff ff e3）" in err
    assert not (tmp_path / "out").exists()


def test_utf8_with_one_broken_byte_is_refused_not_read_as_gbk(tmp_path: Path, capsys) -> None:
    source = tmp_path / "broken.txt"
    text = "2023年度**镇党委书记抓基层党建工作述职报告\n一、工作成效\n我镇全年召开党委会议研究党建工作十二次。\n"
    data = text.encode("utf-8")
    cut = data.index("研".encode("utf-8"))
    source.write_bytes(data[:cut] + data[cut:cut + 2] + data[cut + 3:])  # the last byte of 研 lost
    assert cli.main(["import", str(source), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "无法解码（试过 UTF-8）：第 3 行" in err and "不是 UTF-8 文字" in err
    assert not (tmp_path / "out").exists()


def test_a_file_of_page_numbers_only_is_refused_without_a_traceback(tmp_path: Path, capsys) -> None:
    source = tmp_path / "pages.txt"
    source.write_text("第 1 页\n\x0b\n- 2 -\n", encoding="utf-8")
    assert cli.main(["import", str(source), "--out", str(tmp_path / "out")]) == 1
    assert "第 1—3 行只有页码、水印或控制字符，没有可导入的文字。" in capsys.readouterr().err
