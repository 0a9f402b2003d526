"""Unit tests of the schema and the structure analysis, without a Sphinx build."""

from __future__ import annotations

import pytest
from docutils.frontend import get_default_settings
from docutils.utils import new_document
from myst_parser.parsers.docutils_ import Parser
from shuzhi.report import schema, structure

SCHEMA = schema.Schema(schema.default_parts())

#: Headings of published 述职报告, beyond the examples in the schema itself.
VARIANTS = {
    "成效": ["一、工作成效及特色亮点", "一、履职尽责情况", "一、履职特色和特点", "一、开展的主要工作",
             "一、主要做法和成效", "一、履职情况和工作亮点", "一、履职工作特色和亮点", "二、经验做法",
             "一、主要工作及成效", "一、工作开展情况", "一、2023年工作开展情况", "一、取得的成绩",
             "一、主要工作内容与特色做法", "一、抓党建工作情况", "一、工作回顾"],
    "问题": ["二、存在问题及原因分析", "二、存在的主要问题及原因", "二、存在主要问题", "二、存在的主要问题",
             "二、对标检视", "二、问题与不足", "二、存在的问题和不足", "二、存在的差距和不足",
             "二、存在的突出问题", "二、查摆问题", "二、存在问题及整改情况"],
    "原因": ["三、原因分析", "三、问题产生的原因", "三、存在问题的根源"],
    "整改": ["一、上年度述职评议问题整改情况", "一、整改落实情况", "一、问题整改情况",
             "一、上年度点评问题整改情况", "一、去年述职评议反馈问题整改"],
    "打算": ["三、下一步工作思路和措施", "三、下一步工作打算", "三、下一步工作思路", "三、2024年工作打算",
             "三、下一步工作思路和主要举措", "四、下一步改进措施", "四、展望未来", "四、努力方向",
             "四、今后努力方向与整改措施", "四、下步打算", "四、下一步工作计划", "四、2024年重点工作",
             "四、整改措施", "四、明年工作安排"],
}


@pytest.mark.parametrize(("key", "heading"), [(key, heading) for key, items in VARIANTS.items() for heading in items])
def test_heading_variants_are_recognised(key: str, heading: str) -> None:
    assert SCHEMA.classify(heading).key == key


def test_every_example_in_the_schema_is_recognised_as_its_part() -> None:
    for spec in SCHEMA.parts:
        for example in spec.examples:
            assert SCHEMA.classify(example) is spec, example


@pytest.mark.parametrize("heading", ["一、基本情况", "二、其他事项", "一、党建工作的几点体会", "三、"])
def test_headings_that_are_no_part(heading: str) -> None:
    assert SCHEMA.classify(heading) is None


def test_closest_prefers_a_missing_part() -> None:
    assert SCHEMA.closest("三、", missing={"打算"})[1].key == "打算"
    assert SCHEMA.closest("一、党建工作的几点体会")[1].key == "成效"


def test_invalid_schema_values_are_rejected() -> None:
    with pytest.raises(schema.SchemaError):
        schema.parse_parts([{"key": "成效", "patterns": ["(未闭合"]}])
    with pytest.raises(schema.SchemaError):
        schema.parse_parts([{"key": "成效", "patterns": ["x"]}, {"key": "成效", "patterns": ["y"]}])
    with pytest.raises(schema.SchemaError):
        schema.add_patterns(SCHEMA.parts, {"没有这一部分": ["x"]})


def analyse(text: str) -> list[tuple[int, str]]:
    document = new_document("x.md", get_default_settings(Parser))
    Parser().parse(text, document)
    result = structure.analyse(document, "x", text.split("\n"), SCHEMA)
    return [(finding.line, finding.kind) for finding in result.findings]


REPORT = "# 标题\n\n## 一、工作成效\n\n{sub}\n\n## 二、存在问题\n\n内容\n\n## 三、下一步打算\n\n内容\n"


def test_numbered_sub_headings_directly_under_a_part_use_h3() -> None:
    assert analyse(REPORT.format(sub="### 1.落实责任\n\n内容\n\n### 2.强化基础\n\n内容")) == []
    assert analyse(REPORT.format(sub="### （一）责任\n\n内容\n\n#### 1.落实责任\n\n内容")) == []
    assert analyse(REPORT.format(sub="### （一）责任\n\n内容\n\n### 1.落实责任\n\n内容")) == [(9, "heading_level")]


def test_numbering_restarts_in_every_part() -> None:
    sub = "### （一）甲\n\n内容\n\n### （二）乙\n\n内容"
    text = REPORT.format(sub=sub).replace("## 二、存在问题\n\n内容", "## 二、存在问题\n\n### （一）丙\n\n内容")
    assert analyse(text) == []
