"""What the checker says about real reports: placeholders in every width and case, sensible
suggestions for theme headings and missing parts, a line number on every message."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from builds import messages
from conftest import REPO

from shuzhi.editors import check as checking

from shuzhi.report import placeholders

HEAD = ('---\ntitle: "2024年度**村党支部书记抓基层党建工作述职报告"\nyear: 2024\nunit_kind: "村"\n'
        'reporter: "村党支部书记"\nposition: 1\nsource: "测试用例"\n---\n\n'
        "# 2024年度\\*\\*村党支部书记抓基层党建工作述职报告\n\n现将履职情况报告如下。\n\n")


REPORT = "reports/2024/01-cun.md"


def check(tmp_path: Path, body: str) -> list[str]:
    path = tmp_path / REPORT
    path.parent.mkdir(parents=True)
    path.write_text(HEAD + body, encoding="utf-8")
    out = io.StringIO()
    checking.run([str(path)], str(REPO), out=out)
    return out.getvalue().splitlines()


@pytest.mark.parametrize(("text", "found"), [
    ("全年开展xx次活动", ["xx次"]),
    ("发展党员ＸＸ名", ["ＸＸ名"]),
    ("表彰××同志", ["××"]),
    ("慰问ｘ户", ["ｘ户"]),
    ("投入XX万元", ["XX万元"]),
    ("3×4个方阵、XXL 号服装、Xbox、xx@example.com", []),
])
def test_placeholders_in_every_width_and_case(text: str, found: list[str]) -> None:
    assert [match.group(0) for match in placeholders.find(text)] == found


def test_theme_headings_are_called_sub_headings(tmp_path: Path) -> None:
    lines = check(tmp_path, "## 共学共建，让基层组织“强”起来\n\n一是抓学习。\n\n## 二、存在的问题和不足\n\n学习不够。\n\n"
                            "## 三、下一步工作思路和措施\n\n加强学习。\n")
    unknown = [line for line in lines if "[shuzhi.heading_unknown]" in line]
    assert len(unknown) == 1 and ":14: WARNING: " in unknown[0]
    assert "它像是某一部分之中的小标题（主题句），而不是部分的标题。请把它改为三级标题（### 共学共建，让基层组织“强”起来）" in unknown[0]
    assert "最接近的是" not in unknown[0]
    missing = [line for line in lines if "[shuzhi.part_missing]" in line]
    assert len(missing) == 1 and ":18: WARNING: 缺少“成效”部分" in missing[0] and "请在“二、存在的问题和不足”之前加上" in missing[0]


def test_a_missing_last_part_goes_after_the_part_before_it(tmp_path: Path) -> None:
    lines = check(tmp_path, "## 一、特色和亮点\n\n一是抓学习。\n\n## 二、存在不足\n\n学习不够。\n\n## 附：工作台账\n\n略。\n")
    missing = [line for line in lines if "[shuzhi.part_missing]" in line]
    assert len(missing) == 1
    assert ":18: WARNING: 缺少“打算”部分（下一步打算）。请在“二、存在不足”这一部分之后加上这一部分，用二级标题" in missing[0]


def test_a_report_without_parts_is_told_where_they_start(tmp_path: Path) -> None:
    lines = check(tmp_path, "一是抓学习。二是抓落实。\n")
    missing = [line for line in lines if "[shuzhi.part_missing]" in line]
    assert [line.split(": WARNING: ")[1].split(" [shuzhi")[0] for line in missing] == [
        "缺少“成效”部分（工作成效）。请在报告标题和导语之后加上这一部分，用二级标题，例如 ## 工作成效及特色亮点。",
        "缺少“问题”部分（存在问题）。请在报告标题和导语之后加上这一部分，用二级标题，例如 ## 存在问题及原因分析。",
        "缺少“打算”部分（下一步打算）。请在报告标题和导语之后加上这一部分，用二级标题，例如 ## 下一步工作思路和措施。"]
    assert [(m.line, m.type) for m in messages("\n".join(lines), tmp_path)] == [(10, "shuzhi.part_missing")] * 3


def test_every_warning_has_a_line_number(tmp_path: Path) -> None:
    lines = check(tmp_path, "## 共学共建\n\n开展xx次。\n\n### 1、小标题\n\n## 五、问题\n\n内容。\n")
    found = [(m.path, m.line, m.type) for m in messages("\n".join(lines), tmp_path)]
    assert found == [(REPORT, 14, "shuzhi.heading_unknown"), (REPORT, 20, "shuzhi.numbering"),
                     (REPORT, 20, "shuzhi.part_missing"), (REPORT, 20, "shuzhi.part_missing")]
    assert len(found) == len([line for line in lines if "WARNING" in line])
