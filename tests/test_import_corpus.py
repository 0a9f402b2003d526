"""The import corpus: messy inputs written for these tests (tests/data/import/), each imported
into a project that already has the five 2023 reports, as an editor would.

Every case asserts either a lossless import (each input line, minus the watermarks and
other reported removals, is in the new pages as MyST renders them, in order) or a refusal
that names the lines; and in every case no file that was there before changes, unless the
editor said --replace (then the old file is backed up).
"""

from __future__ import annotations

import hashlib
import html
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import REPO

from shuzhi.editors import cli

DATA = REPO / "tests" / "data" / "import"
_TAG = re.compile(r"<[^>]+>")
_WHITE = re.compile(r"\s+")
#: The watermark and control characters the corpus holds (removed and reported by the importer).
_NOISE = re.compile("[#~&%@^*＊]*【[^】]*哒[^】]*】[#~&%@^*＊]*|[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class Case:
    name: str
    status: int
    new: list[str] = field(default_factory=list)  # files written, relative to reports/
    args: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    not_in_pages: list[int] = field(default_factory=list)  # input lines reported as 目录, 页码, …
    says: list[str] = field(default_factory=list)  # in stdout (status 0) or stderr (status 1)


CASES = [
    Case("01-township-into-existing-year.txt", 0, ["2023/06-xiangzhen.md"]),
    Case("02-no-year.txt", 1, says=["第 1 行的报告“**局党组书记抓基层党建工作述职报告”：标题和正文中都找不到年度。请用 --year 指定年度"]),
    Case("02-no-year.txt", 0, ["2022/01-dangwei.md", "2022/index.md"], args=["--year", "2022"]),
    Case("03-year-run-into-text.txt", 0, ["2023/06-yiyuan.md"]),
    Case("04-year-in-chinese-numerals.txt", 0, ["2023/06-jiedao.md"]),
    Case("05-year-only-in-body.txt", 0, ["2024/01-shequ.md", "2024/index.md"],
         says=["请核实“**社区党委书记抓党建工作述职报告”的推断字段：year"]),
    Case("06-full-width-year.txt", 0, ["2024/01-xuexiao.md", "2024/index.md"]),
    Case("07-village-from-reporter-line.txt", 0, ["2023/06-cun.md"]),
    Case("08-school-second-report-of-2023.txt", 0, ["2023/06-xuexiao.md"]),
    Case("09-compilation-with-preface.txt", 1, says=["第 2 行不属于任何一篇报告", "请加 --preface"]),
    Case("09-compilation-with-preface.txt", 0, ["2024/01-jiedao.md", "2024/02-cun.md", "2024/index.md"],
         args=["--preface"], not_in_pages=[1, 3, 4, 5]),
    Case("10-toc-with-page-numbers.txt", 0, ["2024/01-yiyuan.md", "2024/02-yiyuan.md", "2024/index.md"],
         not_in_pages=[1, 2, 3, 4], says=["注意：第 3 行：目录条目末尾的页码已去掉"]),
    Case("11-toc-entry-missing-in-body.txt", 1,
         says=["第 4 行：目录中的标题“2024年度**乡党委书记述职报告”在正文中找不到独占一行的同名标题。"
               "最接近的是第 16 行“2024年度**乡党委书记抓党建述职报告”"]),
    Case("12-note-between-toc-and-first-report.txt", 1, says=["第 4 行不属于任何一篇报告（“说明：以下报告按单位笔画排序"]),
    Case("13-site-navigation-line.txt", 0, ["2023/06-jiedao.md"], not_in_pages=[1],
         says=["13-site-navigation-line.txt:1:1: 已删除网站导航 '当前位置：首页 > 范文大全 > 述职报告 > 党建述职'"]),
    Case("14-outline-of-titles-without-toc.txt", 0, ["2024/01-dangwei.md", "2024/02-dangwei.md", "2024/index.md"],
         not_in_pages=[1, 2, 3], says=["14-outline-of-titles-without-toc.txt:2: 不写入报告页面：篇目列表"]),
    Case("15-repeated-title-page-header.txt", 0, ["2023/06-xiangzhen.md"], not_in_pages=[6, 7],
         says=["15-repeated-title-page-header.txt:6: 不写入报告页面：与第 1 行重复的标题行",
               "15-repeated-title-page-header.txt:7:1: 已删除页码 '第 2 页'"]),
    Case("16-first-line-is-a-paragraph.txt", 1, says=["第 1 行应是报告标题，但它有 245 个字，是一段正文", "请用 --title"]),
    Case("16-first-line-is-a-paragraph.txt", 0, ["2023/06-jiguan.md"],
         args=["--title", "2023年度**局党组书记抓基层党建工作述职报告", "--unit-kind", "机关"]),
    Case("17-hard-wrapped-pdf-text.txt", 0, ["2023/06-xiangzhen.md"], says=["断开的行已接成段落"]),
    Case("18-numbering-at-every-depth.txt", 0, ["2023/06-jiguan.md"]),
    Case("19-gbk-encoded.txt", 0, ["2023/06-cun.md"], encoding="gb18030", says=["读取为 GB18030（GBK），1 篇报告"]),
    Case("20-utf16-with-bom.txt", 0, ["2023/06-shequ.md"], encoding="utf-16", says=["读取为 UTF-16，1 篇报告"]),
    Case("21-utf16-without-bom.txt", 0, ["2023/06-jiedao.md"], encoding="utf-16-be", says=["读取为 UTF-16BE，1 篇报告"]),
    Case("22-undecodable-bytes.txt", 1, says=["第 2 行第 22 个字节（文件中的第 62 个字节，ff fe fd e6）"]),
    Case("23-revised-version-of-seed-report.txt", 0, ["2023/06-jiguan.md"],
         says=["02-jiguan.md 已有同名报告（正文不同），这篇作为新的一篇写入（顺序 6）。如果这是修订稿，请改用 --replace"]),
    Case("24-old-word.doc", 1, says=["这是旧版 Word 文档（.doc），导入工具只能读取 .docx、.txt 和 .md 文件。请在 Word 或 WPS 中打开，另存为 .docx"]),
    Case("25-scanned.pdf", 1, says=["这是PDF 文件，导入工具只能读取 .docx、.txt 和 .md 文件"]),
    Case("26-wps-document.wps", 1, says=["这是WPS 文字文档（.wps）"]),
    Case("27-watermarked-and-pasted.txt", 0, ["2023/06-yiyuan.md"], not_in_pages=[3],
         says=["27-watermarked-and-pasted.txt:2:10: 已删除水印", "27-watermarked-and-pasted.txt:5:12: 已删除控制字符 'U+000B'"]),
    Case("28-title-too-long-and-numbered.txt", 1, says=["第 1 行应是报告标题，但它以序号开头，是一个小标题"]),
    Case("29-clean-report-for-the-build.txt", 0, ["2023/06-jiedao.md"]),
    Case("30-one-sentence-per-line.txt", 0, ["2023/06-shequ.md"]),
]


def checksums(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def page_text(markdown: str) -> str:
    """What MyST shows of a page, white space removed (front matter left out)."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    body = markdown.split("\n---\n", 1)[1]
    rendered = create_md_parser(MdParserConfig(), RendererHTML).render(body)
    return _WHITE.sub("", html.unescape(_TAG.sub("", rendered)))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project that already has the five committed 2023 reports."""
    out = tmp_path / "reports"
    shutil.copytree(REPO / "reports", out)
    return out


@pytest.mark.parametrize("case", CASES, ids=[f"{case.name}{' ' + ' '.join(case.args) if case.args else ''}" for case in CASES])
def test_corpus_case(case: Case, project: Path, capsys) -> None:
    before = checksums(project)
    source = DATA / case.name
    status = cli.main(["import", str(source), "--out", str(project), *case.args])
    out, err = capsys.readouterr()
    assert status == case.status, (out, err)
    after = checksums(project)
    # Nothing that was there changes.
    assert {name: digest for name, digest in after.items() if name in before} == before
    assert sorted(set(after) - set(before)) == sorted(case.new)
    for text in case.says:
        assert text in (out if status == 0 else err), (out, err)
    if status:
        assert "未写入任何文件" in err
        return
    # Lossless: every input line (minus the reported removals) is in the new pages, in order.
    shown = "".join(page_text((project / name).read_text(encoding="utf-8")) for name in case.new
                    if not name.endswith("index.md"))
    shown += "".join(page_text("---\n---\n" + (project / name).read_text(encoding="utf-8"))
                     for name in case.new if name.endswith("index.md"))
    lines = source.read_bytes().decode(case.encoding).lstrip("\ufeff").splitlines()
    cursor = 0
    for number, line in enumerate(lines, start=1):
        expected = _WHITE.sub("", _NOISE.sub("", line))
        if not expected or number in case.not_in_pages:
            continue
        found = shown.find(expected, cursor)
        if found < 0:
            found = shown.find(expected)  # an --title line or a preface in the index (checked below)
        assert found >= 0, f"line {number} lost: {line!r}"
        cursor = found + len(expected) if found >= cursor else cursor


def test_the_corpus_has_every_case() -> None:
    files = sorted(path.name for path in DATA.iterdir())
    assert files == sorted({case.name for case in CASES})
    assert len(files) >= 25


def headings(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").split("\n") if line.startswith("#")]


def test_heading_levels_follow_the_numbering_at_every_depth(project: Path) -> None:
    assert cli.main(["import", str(DATA / "18-numbering-at-every-depth.txt"), "--out", str(project)]) == 0
    assert headings(project / "2023" / "06-jiguan.md") == [
        "# 2023年度\\*\\*区机关工委书记抓基层党建工作述职报告",
        "## 一、主要做法和成效",
        "### 1、强化责任落实",  # 1、 directly under 一、
        "### 2、夯实基层基础",
        "## 二、存在问题及原因分析",
        "### \\(一)理论武装方面",
        "#### 1\\.学习不够系统",  # 1. under (一)
        "##### \\(1)集中学习偏少",  # (1) under 1.
        "### 〔二〕基层基础方面",
        "## 三、下一步工作打算",
        "### （一）加强理论武装",
        "#### （1）健全学习制度",  # （1） directly under （一）
    ]


def test_the_checks_accept_the_levels_the_importer_writes(project: Path, capsys) -> None:
    assert cli.main(["import", str(DATA / "18-numbering-at-every-depth.txt"), "--out", str(project)]) == 0
    capsys.readouterr()
    assert cli.main(["check", "--root", str(REPO), str(project / "2023" / "06-jiguan.md")]) == 1
    warnings = [line for line in capsys.readouterr().out.splitlines() if "WARNING" in line]
    # Only the mixed styles the author wrote ((一) and 〔二〕 beside （一）, 1. beside 1、, (1) beside （1）),
    # no heading-level finding.
    assert [line.rsplit("[", 1)[1] for line in warnings] == ["shuzhi.numbering_mixed]"] * 4
    assert [re.search(r"06-jiguan\.md:(\d+):", line)[1] for line in warnings] == ["26", "28", "32", "36"]


def test_a_clean_import_builds_with_W(tmp_path: Path) -> None:
    from builds import sphinx_build

    src = tmp_path / "site"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["shuzhi"]\nlanguage = "zh_CN"\nshuzhi_mermaid_dist = ""\n'
                                 'exclude_patterns = ["_build"]\n', encoding="utf-8")
    (src / "index.md").write_text("# 汇编\n\n```{toctree}\n:glob:\n\nreports/*/index\n```\n", encoding="utf-8")
    assert cli.main(["import", str(DATA / "29-clean-report-for-the-build.txt"), "--out", str(src / "reports")]) == 0
    assert headings(src / "reports" / "2023" / "01-jiedao.md") == [
        "# 2023年度\\*\\*街道党工委书记抓基层党建工作述职报告", "## 一、主要做法和成效", "### （一）强化政治引领",
        "#### 1、压实责任", "##### （1）建立清单", "#### 2、健全制度", "### （二）夯实基层基础",
        "## 二、存在问题及原因分析", "### 1、学习不够深入", "## 三、下一步工作打算"]
    result = sphinx_build(src, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr


def test_the_same_text_imported_twice_is_recognised(project: Path, capsys) -> None:
    source = str(DATA / "01-township-into-existing-year.txt")
    assert cli.main(["import", source, "--out", str(project)]) == 0
    written = checksums(project)
    capsys.readouterr()
    assert cli.main(["import", source, "--out", str(project)]) == 0
    out = capsys.readouterr().out
    assert f"第06篇 乡镇 “2023年度**镇党委书记抓基层党建工作述职报告”" in out  # the page's own position
    assert f"→ {project / '2023' / '06-xiangzhen.md'}（已导入过，跳过）" in out
    assert f"与 {project / '2023' / '06-xiangzhen.md'} 的正文完全相同（同一篇报告导入过），不再写入" in out
    assert checksums(project) == written


def test_the_seed_compilation_imported_again_writes_nothing(project: Path, capsys) -> None:
    before = checksums(project)
    assert cli.main(["import", str(REPO / "reports" / "2023" / "source.txt"), "--out", str(project)]) == 0
    assert capsys.readouterr().out.count("（已导入过，跳过）") == 5
    assert checksums(project) == before


def test_reports_imported_one_after_another_each_get_a_page(project: Path) -> None:
    names = ["01-township-into-existing-year.txt", "03-year-run-into-text.txt", "04-year-in-chinese-numerals.txt",
             "07-village-from-reporter-line.txt", "08-school-second-report-of-2023.txt", "13-site-navigation-line.txt",
             "20-utf16-with-bom.txt", "17-hard-wrapped-pdf-text.txt", "19-gbk-encoded.txt",
             "27-watermarked-and-pasted.txt"]
    for name in names:
        assert cli.main(["import", str(DATA / name), "--out", str(project)]) == 0
    pages = sorted(path.name for path in (project / "2023").glob("*.md") if path.name != "index.md")
    assert len(pages) == 5 + 10
    assert [int(name[:2]) for name in pages] == list(range(1, 16))


def test_dry_run_prints_the_plan_and_writes_nothing(project: Path, capsys) -> None:
    before = checksums(project)
    assert cli.main(["import", str(DATA / "10-toc-with-page-numbers.txt"), "--out", str(project), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert checksums(project) == before
    assert (f"计划：2024年度 第01篇 医院 “2024年度**医院党委书记述职报告” 15句 → {project / '2024' / '01-yiyuan.md'}（新建）"
            in out.splitlines())
    assert f"计划：{project / '2024' / 'index.md'}（新建年度目录页）" in out.splitlines()
    assert out.rstrip().endswith("（试运行）以上是导入计划，未写入任何文件。")


def test_replace_shows_the_change_and_keeps_the_old_file(project: Path, capsys) -> None:
    old = (project / "2023" / "02-jiguan.md").read_bytes()
    assert cli.main(["import", str(DATA / "23-revised-version-of-seed-report.txt"), "--out", str(project), "--replace"]) == 0
    out = capsys.readouterr().out
    assert f"→ {project / '2023' / '02-jiguan.md'}（替换）" in out
    assert re.search(rf"替换 {re.escape(str(project / '2023' / '02-jiguan.md'))}：增加 \d+ 行，删除 \d+ 行：", out)
    backups = list((project.parent / "_build" / "import-backup").rglob("02-jiguan.md"))
    assert len(backups) == 1 and backups[0].read_bytes() == old
    assert f"原文件已备份为 {backups[0]}" in out
    assert "position: 2\n" in (project / "2023" / "02-jiguan.md").read_text(encoding="utf-8")


def test_a_taken_position_is_refused_without_replace(project: Path, capsys) -> None:
    before = checksums(project)
    source = str(DATA / "08-school-second-report-of-2023.txt")
    assert cli.main(["import", source, "--out", str(project), "--position", "1"]) == 1
    assert f"2023年度的顺序 1 已被 {project / '2023' / '01-xiangzhen.md'} 占用，未写入任何文件。" in capsys.readouterr().err
    assert checksums(project) == before
    assert cli.main(["import", source, "--out", str(project), "--position", "1", "--replace"]) == 0
    assert "学校" in (project / "2023" / "01-xiangzhen.md").read_text(encoding="utf-8")


def test_preface_with_an_existing_year_page_needs_replace(project: Path, capsys) -> None:
    (project / "2024").mkdir()
    (project / "2024" / "index.md").write_text("# 2024年度\n\n```{toctree}\n:glob:\n\n*\n```\n", encoding="utf-8")
    before = checksums(project)
    source = str(DATA / "09-compilation-with-preface.txt")
    assert cli.main(["import", source, "--out", str(project), "--preface"]) == 1
    assert "index.md 已存在：编者按（第 2 行）要写入它" in capsys.readouterr().err
    assert checksums(project) == before
    assert cli.main(["import", source, "--out", str(project), "--preface", "--replace"]) == 0
    index = (project / "2024" / "index.md").read_text(encoding="utf-8")
    assert index.startswith("# 2024年度\n\n编者按：为做好2024年度述职评议考核工作")


def test_lines_of_similar_length_that_end_sentences_stay_paragraphs(project: Path, capsys) -> None:
    assert cli.main(["import", str(DATA / "30-one-sentence-per-line.txt"), "--out", str(project)]) == 0
    assert "断开的行已接成段落" not in capsys.readouterr().out
    page = (project / "2023" / "06-shequ.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    paragraphs = [block for block in page.split("\n\n") if block.strip() and not block.strip().startswith("#")]
    assert len(paragraphs) == 9


def test_hard_wrapped_lines_are_joined_into_their_paragraphs(project: Path) -> None:
    assert cli.main(["import", str(DATA / "17-hard-wrapped-pdf-text.txt"), "--out", str(project)]) == 0
    page = (project / "2023" / "06-xiangzhen.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    paragraphs = [block for block in page.split("\n\n") if block.strip() and not block.strip().startswith("#")]
    source = (DATA / "17-hard-wrapped-pdf-text.txt").read_text(encoding="utf-8").splitlines()
    assert paragraphs[0] == "".join(source[1:6])  # five wrapped lines, one paragraph
    assert len(paragraphs) == 4
