"""The editors' commands: ``new`` starts a report, ``check`` checks reports without a build.

``check`` must print exactly the lines a Sphinx build prints for the same
files, so the comparisons below build a small root with :mod:`builds` and run
``check`` on the same folder.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from builds import ROOTS, messages, sphinx_build
from conftest import REPO

from shuzhi.editors import check as checking, cli, importer

TITLE = "2024年度**社区党委书记抓基层党建工作述职报告"


def new(out: Path, *extra: str) -> int:
    return cli.main(["new", "--root", str(REPO), "--out", str(out), "--year", "2024", "--unit-kind", "社区",
                     "--title", TITLE, *extra])


def located(text: str, src: Path, skip: tuple[str, ...] = ("toc.",)) -> list[str]:
    """Every located message in *text* (shuzhi's, MyST's, docutils'), as Sphinx prints its first
    line, with paths relative to *src*, sorted; types starting with *skip* left out."""
    return sorted(m.located() for m in messages(text, src)
                  if m.line and m.level in ("WARNING", "ERROR", "CRITICAL") and not m.type.startswith(skip))


def run_check(src: Path, *files: str) -> tuple[int, str]:
    out = io.StringIO()
    status = checking.run(list(files), str(src), out=out)
    return status, out.getvalue()


# --------------------------------------------------------------------------- new


def test_a_new_report_passes_check_apart_from_its_prompts(tmp_path: Path, capsys) -> None:
    assert new(tmp_path / "reports", "--reporter", "社区党委书记") == 0
    path = tmp_path / "reports" / "2024" / "01-shequ.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f'---\ntitle: "{TITLE}"\nyear: 2024\nunit_kind: "社区"\nreporter: "社区党委书记"\nposition: 1\n')
    assert [line for line in text.split("\n") if line.startswith("#")] == [
        "# 2024年度\\*\\*社区党委书记抓基层党建工作述职报告",
        "## 一、工作成效及特色亮点", "## 二、存在问题及原因分析", "## 三、下一步工作思路和措施",
    ]
    index = tmp_path / "reports" / "2024" / "index.md"
    assert index.read_text(encoding="utf-8") == importer.YEAR_INDEX.format(year=2024)
    capsys.readouterr()

    assert cli.main(["check", "--root", str(REPO), str(path)]) == 0
    output = capsys.readouterr().out
    assert "WARNING" not in output
    # Only the prompts: one placeholder in the preamble and one under each part.
    assert len(re.findall(r"^.*01-shequ\.md:\d+: 待补充：", output, re.MULTILINE)) == 4
    assert "检查 1 篇报告" in output


def test_numbering_continues_in_the_year_folder(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    shutil.copytree(REPO / "reports" / "2023", out / "2023")
    index = (out / "2023" / "index.md").read_text(encoding="utf-8")
    assert cli.main(["new", "--root", str(REPO), "--out", str(out), "--year", "2023", "--unit-kind", "学校",
                     "--title", "2023年度**学校党委书记抓基层党建工作述职报告"]) == 0
    assert new(out) == 0
    assert new(out) == 0
    assert (out / "2023" / "06-xuexiao.md").is_file()
    assert "position: 6\n" in (out / "2023" / "06-xuexiao.md").read_text(encoding="utf-8")
    assert (out / "2023" / "index.md").read_text(encoding="utf-8") == index  # left as it was
    assert sorted(path.name for path in (out / "2024").iterdir()) == ["01-shequ.md", "02-shequ.md", "index.md"]
    assert "position: 2\n" in (out / "2024" / "02-shequ.md").read_text(encoding="utf-8")


def test_new_refuses_to_overwrite(tmp_path: Path, capsys) -> None:
    out = tmp_path / "reports"
    assert new(out) == 0
    path = out / "2024" / "01-shequ.md"
    path.write_text("编辑已经写了内容", encoding="utf-8")
    assert new(out, "--position", "1") == 1
    assert "已存在，未覆盖" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "编辑已经写了内容"


def test_new_refuses_an_unknown_unit_kind(tmp_path: Path, capsys) -> None:
    assert cli.main(["new", "--root", str(REPO), "--out", str(tmp_path), "--year", "2024", "--unit-kind", "社团",
                     "--title", TITLE]) == 1
    assert "是否应为“社区”" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


# --------------------------------------------------------------------------- check


def test_check_accepts_the_real_reports(capsys) -> None:
    assert cli.main(["check", "--root", str(REPO)]) == 0
    output = capsys.readouterr().out
    assert "WARNING" not in output
    assert re.search(r"检查 5 篇报告，用时 [0-9.]+ 秒（其中启动 [0-9.]+ 秒：读取配置和术语表、加载解析器；每篇 [0-9.]+ 秒）；没有发现问题。", output)
    assert re.search(r"01-xiangzhen\.md: 术语表概念 [1-9][0-9]* 处，[0-9]+ 个：.*“三会一课”", output)


BROKEN = {
    # A report without its 问题 part.
    "01-missing.md": (
        '---\ntitle: "缺少部分的报告"\nyear: 2023\nunit_kind: "机关"\nreporter: "党组织书记"\nposition: 2\n'
        'source: "测试"\n---\n\n# 缺少部分的报告\n\n## 一、工作成效及特色亮点\n\n一是抓学习。\n\n'
        "## 二、下一步工作打算\n\n一是加强学习。\n"),
    # Broken YAML: the quote opened on line 2 is never closed.
    "02-yaml.md": (
        '---\ntitle: "没有结束的引号\nyear: 2023\n---\n\n# 报告\n\n## 一、工作成效\n\n内容。\n\n'
        "## 二、存在问题\n\n内容。\n\n## 三、下一步打算\n\n内容。\n"),
    # A watermark left in the text, and a placeholder.
    "03-watermark.md": (
        '---\ntitle: "有水印的报告"\nyear: 2023\nunit_kind: "村"\nreporter: "村党支部书记"\nposition: 3\n'
        'source: "测试"\n---\n\n# 有水印的报告\n\n## 一、工作成效及特色亮点\n\n开展学习x次。【更多素材搜索哒哒文库】\n\n'
        "## 二、存在问题及原因分析\n\n一是学习不够。\n\n## 三、下一步工作打算\n\n一是加强学习。\n"),
}
GBK = '---\ntitle: "测试"\n---\n\n# 测试报告\n\n## 一、工作成效\n'


@pytest.fixture(scope="module")
def broken_root(tmp_path_factory) -> tuple[Path, str]:
    """A small site with four broken reports, built as the site is built; (source, build's stderr)."""
    src = tmp_path_factory.mktemp("broken") / "src"
    shutil.copytree(ROOTS / "test-structure-valid", src)
    folder = src / "reports" / "2023"
    for name, text in BROKEN.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "04-gbk.md").write_bytes(GBK.encode("gbk"))
    result = sphinx_build(src, src.parent / "out")
    assert result.returncode == 1
    return src, result.stderr


def test_check_prints_what_the_build_prints(broken_root) -> None:
    src, stderr = broken_root
    status, output = run_check(src)
    assert status == 1
    lines = located(output, src)
    assert lines == located(stderr, src)
    kinds = {(Path(line.split(":", 1)[0]).name, line.rsplit("[", 1)[-1].rstrip("]")) for line in lines}
    assert kinds == {("01-missing.md", "shuzhi.part_missing"), ("02-yaml.md", "myst.topmatter"),
                     ("02-yaml.md", "shuzhi.frontmatter"), ("03-watermark.md", "shuzhi.watermark"),
                     ("04-gbk.md", "shuzhi.encoding")}
    assert not any("01-test.md" in line for line in lines)  # the valid report
    assert re.search(r"03-watermark\.md:14: 待补充：“x次”", output)
    assert "检查 5 篇报告" in output


def test_check_of_one_file_prints_only_its_lines(broken_root) -> None:
    src, stderr = broken_root
    status, output = run_check(src, str(src / "reports" / "2023" / "04-gbk.md"))
    assert status == 1
    assert located(output, src) == [line for line in located(stderr, src) if "04-gbk.md" in line]
    assert run_check(src, str(src / "reports" / "2023" / "01-test.md"))[0] == 0


def test_check_prints_what_the_build_prints_for_every_malformed_report(tmp_path: Path) -> None:
    """The malformed root (over twenty kinds of broken report): the same lines, MyST's own included."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-malformed", src)
    (src / "reports" / "2023" / "binary.md").write_bytes(b"PK\x03\x04\x14\x00\xff\xfe\x00\x00word/document.xml")
    result = sphinx_build(src, tmp_path / "out")
    status, output = run_check(src)
    assert status == 1
    expected = located(result.stderr, src)
    assert len(expected) == 71  # the malformed root's messages (test_malformed checks each file's)
    assert located(output, src) == expected


def test_new_writes_into_the_sites_report_folder_by_default(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text('shuzhi_report_dirs = ["baogao"]\nshuzhi_unit_kinds = ["社区", "协会"]\n',
                                      encoding="utf-8")
    assert cli.main(["new", "--root", str(tmp_path), "--year", "2024", "--unit-kind", "协会", "--title", "协会报告"]) == 0
    path = tmp_path / "baogao" / "2024" / "01-xiehui.md"  # the unit kind in pinyin
    assert 'unit_kind: "协会"' in path.read_text(encoding="utf-8")
    assert run_check(tmp_path)[0] == 0


@pytest.mark.parametrize(("kind", "name"), [("医院", "01-yiyuan.md"), ("街道", "01-jiedao.md"), ("村", "01-cun.md"),
                                            ("社会组织", "01-shehuizuzhi.md"), ("党委（党组）", "01-dangwei.md"),
                                            ("国有企业", "01-guoqi.md")])
def test_new_names_the_file_by_the_pinyin_of_the_unit_kind(tmp_path: Path, kind: str, name: str) -> None:
    assert cli.main(["new", "--root", str(REPO), "--out", str(tmp_path), "--year", "2024", "--unit-kind", kind,
                     "--title", TITLE]) == 0
    assert sorted(path.name for path in (tmp_path / "2024").iterdir()) == [name, "index.md"]


def test_check_and_build_show_placeholders_among_the_findings_in_one_order(tmp_path: Path) -> None:
    """With ``shuzhi_placeholders_fail``, a report's placeholders are findings: the build and
    ``check`` print them with its other findings, sorted by line, in the same order."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-structure-valid", src)
    shutil.copytree(ROOTS / "test-structure-placeholder", src, dirs_exist_ok=True)
    report = src / "reports" / "2023" / "01-test.md"
    # A finding before the placeholders and one after them (each a long line).
    report.write_text(report.read_text(encoding="utf-8").replace("现将履职情况报告如下。", "长" * 10_001)
                      + "\n" + "长" * 10_001 + "\n", encoding="utf-8")
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nshuzhi_placeholders_fail = True\n")
    built = sphinx_build(src, tmp_path / "out", strict=False)
    build_lines = [m.located() for m in messages(built.stderr, src) if m.type.startswith("shuzhi")]
    status, printed = run_check(src)
    check_lines = [m.located() for m in messages(printed, src) if m.type.startswith("shuzhi")]
    assert status == 1
    assert [line.split(": WARNING: ", 1)[0] for line in check_lines] == [
        "reports/2023/01-test.md:12", "reports/2023/01-test.md:18", "reports/2023/01-test.md:18",
        "reports/2023/01-test.md:32"]
    assert check_lines == build_lines


def test_check_skips_a_page_outside_the_report_folders(capsys) -> None:
    """A Markdown page the build does not take for a report (here the guide) is not checked as one."""
    assert cli.main(["check", "--root", str(REPO), str(REPO / "docs" / "guide.md")]) == 0
    assert capsys.readouterr().out.split("\n")[0] == f"{REPO / 'docs' / 'guide.md'}: 不是报告页面，跳过。"
