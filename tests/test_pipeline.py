"""The report pipeline: pure, and the one reading of a report behind the build and ``shuzhi check``.

``report/`` holds the rules of what a report is and what is wrong with it; the build
(``build/reading.py``) and ``shuzhi check`` (``editors/check.py``) are adapters over
``report/pipeline.py`` (that ``report/`` imports no Sphinx is checked in test_layers.py),
and the two adapters give one verdict on the same report.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from builds import REPO, ROOTS, messages, shuzhi_warnings, sphinx_build

from shuzhi.editors import check as checking

def test_the_pipeline_finds_mentions_with_the_glossary_as_plain_data() -> None:
    from shuzhi.report import pipeline, schema
    from shuzhi.report.mentions import Terms

    source = (REPO / "tests" / "roots" / "test-structure-valid" / "reports" / "2023" / "01-test.md").read_text(
        encoding="utf-8").replace("一是抓学习。二是抓制度。", "一是抓学习，落实三会一课。二是抓制度，三会一课常态化。")
    site = checking.load_site(ROOTS / "test-structure-valid")
    doctree, messages = checking.parse(source, site)
    terms = Terms({"三会一课": "三会一课"}, {"三会一课": "term-san-hui-yi-ke"})
    outcome = pipeline.read(doctree, source, "reports/2023/01-test",
                            pipeline.Settings(schema.Schema(schema.default_parts()), terms=terms))
    assert messages == []
    assert outcome.findings == ()
    assert [part.key for part in outcome.record.parts] == ["成效", "问题", "打算"]
    assert [(usage.term, usage.line, usage.part, usage.target_id, usage.linked) for usage in outcome.mentions] == [
        ("三会一课", 18, "一、工作成效及特色亮点", "use-san-hui-yi-ke-1", True),
        ("三会一课", 18, "一、工作成效及特色亮点", "use-san-hui-yi-ke-1", False),
    ]


def test_a_check_that_fails_is_an_internal_finding_not_an_exception() -> None:
    from shuzhi.report import pipeline, schema
    from shuzhi.report.mentions import Terms

    source = (ROOTS / "test-structure-valid" / "reports" / "2023" / "01-test.md").read_text(encoding="utf-8")
    doctree, _ = checking.parse(source.replace("一是抓学习。", "一是抓三会一课。"), checking.load_site(ROOTS / "test-structure-valid"))
    broken = Terms({"三会一课": "三会一课"}, {})  # a term without its entry's anchor
    outcome = pipeline.read(doctree, source, "reports/2023/01-test",
                            pipeline.Settings(schema.Schema(schema.default_parts()), terms=broken))
    assert [(finding.line, finding.kind) for finding in outcome.findings] == [(1, "internal")]
    assert outcome.findings[0].message.startswith("检查这篇报告时出错（KeyError: '三会一课'）")
    assert outcome.mentions == ()


def _site_with_an_included_file(tmp_path: Path) -> Path:
    """A site that allows ``{include}`` in reports, with a report that includes a file of its folder."""
    src = tmp_path / "site"
    shutil.copytree(ROOTS / "test-structure-valid", src)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('shuzhi_report_directives = ["include"]\n')
    (src / "reports" / "2023" / "part.txt").write_text("三是抓落实。\n", encoding="utf-8")
    report = src / "reports" / "2023" / "01-test.md"
    report.write_text(report.read_text(encoding="utf-8").replace(
        "一是建阵地。二是强队伍。\n", "一是建阵地。二是强队伍。\n\n```{include} part.txt\n```\n"), encoding="utf-8")
    return src


def test_check_and_the_build_agree_on_a_directive_the_site_allows(tmp_path: Path) -> None:
    """``check`` parses with the build's docutils settings: an allowed {include} reads its file in both."""
    src = _site_with_an_included_file(tmp_path)
    build = sphinx_build(src, tmp_path / "out")
    out = io.StringIO()
    status = checking.run([str(src / "reports" / "2023" / "01-test.md")], str(src), quiet=True, out=out)
    assert (build.returncode, [line for line in build.stderr.splitlines() if "WARNING" in line]) == (0, [])
    assert (status, [line for line in out.getvalue().splitlines() if "WARNING" in line]) == (0, [])
    assert "三是抓落实。" in (tmp_path / "out" / "html" / "reports" / "2023" / "01-test.html").read_text(encoding="utf-8")


def test_check_leaves_a_directive_only_sphinx_defines_to_the_build(tmp_path: Path) -> None:
    """An allowed {mermaid} is no "unknown directive" warning in check, as it is none in the build; check says so."""
    src = tmp_path / "site"
    shutil.copytree(ROOTS / "test-structure-valid", src)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('shuzhi_report_directives = ["mermaid"]\n')
    report = src / "reports" / "2023" / "01-test.md"
    report.write_text(report.read_text(encoding="utf-8").replace(
        "一是建阵地。二是强队伍。\n", "一是建阵地。二是强队伍。\n\n```{mermaid}\nflowchart LR\n  A --> B\n```\n"),
        encoding="utf-8")
    build = sphinx_build(src, tmp_path / "out")
    out = io.StringIO()
    status = checking.run([str(report)], str(src), out=out)
    assert (build.returncode, [line for line in build.stderr.splitlines() if "WARNING" in line]) == (0, [])
    assert status == 0
    assert out.getvalue().splitlines()[:-1] == [f"{report}:24: {{mermaid}} 指令只在构建网站时运行，其内容由构建检查。"]


def test_check_suppresses_warnings_by_the_builds_rule(tmp_path: Path) -> None:
    """``suppress_warnings = ["shuzhi.*"]`` silences every shuzhi warning in check, as it does in the build."""
    src = tmp_path / "site"
    shutil.copytree(ROOTS / "test-structure-part-missing", src)
    report = next((src / "reports").rglob("*.md"))
    out = io.StringIO()
    assert checking.run([str(report)], str(src), quiet=True, out=out) == 1
    assert "[shuzhi.part_missing]" in out.getvalue()
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('suppress_warnings = ["shuzhi.*"]\n')
    out = io.StringIO()
    assert checking.run([str(report)], str(src), quiet=True, out=out) == 0
    assert [line for line in out.getvalue().splitlines() if "WARNING" in line] == []


def test_check_and_the_build_confine_an_allowed_csv_table_alike(tmp_path: Path) -> None:
    """With files inserted as in the build, check reads a table only from the report folders, as the build does."""
    src = tmp_path / "site"
    shutil.copytree(ROOTS / "test-structure-valid", src)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('shuzhi_report_directives = ["csv-table"]\n')
    (tmp_path / "outside.csv").write_text("CANARY-outside,1\n", encoding="utf-8")
    (src / "reports" / "2023" / "table.csv").write_text("党员大会,4\n", encoding="utf-8")
    report = src / "reports" / "2023" / "01-test.md"
    tables = ("```{csv-table}\n:file: table.csv\n```\n\n```{csv-table}\n:file: ../../../outside.csv\n```\n\n"
              "```{csv-table}\n:url: http://127.0.0.1:9/a.csv\n```\n")
    report.write_text(report.read_text(encoding="utf-8").replace(
        "一是建阵地。二是强队伍。\n", "一是建阵地。二是强队伍。\n\n" + tables), encoding="utf-8")
    build = sphinx_build(src, tmp_path / "out")
    out = io.StringIO()
    status = checking.run([str(report)], str(src), quiet=True, out=out)
    expected = [(28, "outside_file"), (32, "external_resource")]
    assert [(line, kind) for _, line, kind, _ in shuzhi_warnings(build.stderr, src)] == expected
    assert [(int(line.split(":")[1]), line.rsplit("[shuzhi.", 1)[1].rstrip("]"))
            for line in out.getvalue().splitlines() if "WARNING" in line] == expected
    assert status == 1
    page = (tmp_path / "out" / "html" / "reports" / "2023" / "01-test.html").read_text(encoding="utf-8")
    assert "党员大会" in page and "CANARY-outside" not in page


def test_check_and_the_build_find_raw_html_and_script_links_alike(tmp_path: Path) -> None:
    """Raw HTML and a script link: the same finding at the same line from the build and from check."""
    src = tmp_path / "site"
    shutil.copytree(ROOTS / "test-structure-valid", src)
    report = src / "reports" / "2023" / "01-test.md"
    lines = report.read_text(encoding="utf-8").split("\n")
    at = lines.index("现将履职情况报告如下。") + 1
    lines[at:at] = ["", "见<b>通知</b>。", "", "详见[附件](javascript:alert(1))。"]
    report.write_text("\n".join(lines), encoding="utf-8")
    expected = [("reports/2023/01-test.md", at + 2, "shuzhi.raw_html"), ("reports/2023/01-test.md", at + 2, "shuzhi.raw_html"),
                ("reports/2023/01-test.md", at + 4, "shuzhi.script_link")]
    build = sphinx_build(src, tmp_path / "out", strict=False)
    assert [(m.path, m.line, m.type) for m in messages(build.stderr, src)] == expected
    out = io.StringIO()
    status = checking.run([str(report)], str(src), quiet=True, out=out)
    assert status == 1
    assert [(m.path, m.line, m.type) for m in messages(out.getvalue(), src)] == expected
