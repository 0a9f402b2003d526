"""The privacy check before publishing: ID numbers, mobile numbers, e-mail addresses and 密级 marks,
with file:line, as ``shuzhi.privacy`` warnings in the build (so ``-W`` fails) and in ``check``;
a line an editor has checked is accepted by a comment above it."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from builds import ROOTS, shuzhi_warnings, sphinx_build

from shuzhi.editors import check as checking

from shuzhi.report import privacy

HEAD = ('---\ntitle: "2023年度测试单位党组织书记抓基层党建工作述职报告"\nyear: 2023\nunit_kind: "机关"\n'
        'reporter: "党组织书记"\nposition: 2\nsource: "测试用例"\n---\n\n'
        "# 2023年度测试单位党组织书记抓基层党建工作述职报告\n\n")
BODY = [
    "现将履职情况报告如下。",  # 12
    "## 一、工作成效及特色亮点",  # 14
    "走访困难党员王某（身份证号110101199003074514），为其申请补助。",  # 16
    "联系人：李某，手机13800138000，邮箱 lisi@example.com。",  # 18
    "秘密★1年",  # 20
    "% 隐私：已核实（党群服务中心公开的值班电话，见门口公示牌）",  # 22
    "服务热线 13900139000，全天有人值守。",  # 24
    "教育党员保守党的秘密，创建五星级★★★★★党支部，统计编号110101199003074515。",  # 26
    "## 二、存在问题及原因分析",  # 28
    "一是学习不够深入。出现上述问题的原因是重视不够。",
    "## 三、下一步工作打算",
    "一是加强学习。",
]


@pytest.mark.parametrize(("line", "found"), [
    ("身份证号110101199003074514。", ["身份证号“1101**********4514”"]),
    ("末位是X：11010519491231002X", ["身份证号“1101**********002X”"]),
    ("校验位不对：110101199003074515", []),
    ("手机 138 0013 8000，+86 139-1234-5678", ["手机号码“138****8000”", "手机号码“139****5678”"]),
    ("固定电话 0771-1234567，金额12345678901234567元", []),
    ("邮箱 zhangsan@example.com", ["电子邮件地址“z*******@example.com”"]),
    ("机密★5年", ["密级标志“机密★”"]),
    ("★长期", ["密级标志“★长期”"]),
    ("【绝密】", ["密级标志“【绝密】”"]),
    ("密级：秘密", ["密级标志“密级：”"]),
    ("保守党的秘密，五星级★★★★★党支部", []),
])
def test_what_the_privacy_rule_finds(line: str, found: list[str]) -> None:
    assert privacy.found_in(line) == found


@pytest.fixture(scope="module")
def private_root(tmp_path_factory) -> tuple[Path, str]:
    src = tmp_path_factory.mktemp("privacy") / "src"
    shutil.copytree(ROOTS / "test-structure-valid", src)
    (src / "reports" / "2023" / "02-privacy.md").write_text(HEAD + "\n\n".join(BODY) + "\n", encoding="utf-8")
    result = sphinx_build(src, src.parent / "out")
    return src, result


def test_the_build_flags_each_line_and_W_fails(private_root) -> None:
    src, result = private_root
    assert result.returncode == 1
    found = [(path, line, kind) for path, line, kind, _ in shuzhi_warnings(result.stderr, src)]
    assert found == [("reports/2023/02-privacy.md", 16, "privacy"), ("reports/2023/02-privacy.md", 18, "privacy"),
                     ("reports/2023/02-privacy.md", 20, "privacy")]
    messages = [message for *_, message in shuzhi_warnings(result.stderr, src)]
    assert messages[1].startswith("这一行有不应公开发布的内容：手机号码“138****8000”、电子邮件地址“l***@example.com”。")
    assert "13800138000" not in result.stderr and "110101199003074514" not in result.stderr


def test_check_prints_the_same_privacy_lines(private_root) -> None:
    src, result = private_root
    out = io.StringIO()
    assert checking.run([str(src / "reports" / "2023" / "02-privacy.md")], str(src), out=out) == 1
    lines = [line for line in out.getvalue().splitlines() if "[shuzhi.privacy]" in line]
    assert [line.split(": WARNING")[0].rsplit(":", 1)[1] for line in lines] == ["16", "18", "20"]


def test_a_site_can_accept_privacy_findings_wholesale(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-structure-valid", src)
    (src / "reports" / "2023" / "02-privacy.md").write_text(HEAD + "\n\n".join(BODY) + "\n", encoding="utf-8")
    (src / "conf.py").write_text((src / "conf.py").read_text(encoding="utf-8")
                                 + 'suppress_warnings = ["shuzhi.privacy"]\n', encoding="utf-8")
    result = sphinx_build(src, tmp_path / "out")
    assert result.returncode == 0, result.stderr
