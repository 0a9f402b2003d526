"""The shape of a 述职报告, as data: its parts, their heading patterns, its metadata fields.

A report is a title (``#``), an optional preamble, then parts (``##``) in a
fixed order: what was achieved (成效), the problems (问题), and the plans
(打算). Optional parts (原因 as a part of its own, 上年度问题整改) may appear
too. Each part is recognised by regular expressions searched in its heading
(numbering such as "一、" removed), because every unit words its headings its
own way: 工作成效及特色亮点, 履职尽责情况, 主要做法和成效 … are all 成效.

The defaults below cover the headings of the five 2023 reports and of
published 述职报告 (tests/data/part_headings.yaml lists them with their sources); ``conf.py`` replaces them (``shuzhi_report_parts``) or adds
patterns to a part (``shuzhi_part_patterns``). This module has no Sphinx
dependency, so the command line can use it too.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from .numbering import PART_LEVEL, parse_number  # noqa: F401 - PART_LEVEL: the part heading level, re-exported

#: The official style of each numbering level (GB/T 9704): what mixed styles are unified to.
#: Level 3 has no single convention (1、 and 1. are both common): the report's first style wins.
CANONICAL_STYLES = {1: "一、", 2: "（一）", 4: "（1）"}

#: The default parts, in the order they must appear. ``patterns`` are regular
#: expressions searched in the heading without its number; when several parts
#: match, the match that starts first wins, then the longer match, then the
#: part listed first. ``examples`` are typical headings: they are suggested for
#: headings that match no part. ``ordered`` parts must follow the order of this
#: list; unordered optional parts may stand anywhere.
DEFAULT_PARTS: tuple[dict[str, Any], ...] = (
    {
        "key": "整改",
        "label": "上年度问题整改情况",
        "required": False,
        "ordered": False,
        "patterns": (
            r"(?:上一?年度?|去年|往年|前期|上次)(?:述职)?(?:评议)?(?:考核)?(?:反馈|点评|指出)?的?(?:问题|意见)?的?整改",
            r"(?:问题|意见)整改(?:落实)?(?:情况|成效)",
            r"整改(?:落实)?情况",
        ),
        "examples": ("上年度述职评议问题整改情况", "整改落实情况", "上年度点评问题整改情况"),
    },
    {
        "key": "成效",
        "label": "工作成效",
        "required": True,
        "ordered": True,
        "patterns": (
            r"成效|成绩|实绩|亮点|特色|特点",
            r"履职|尽责|履行.{0,8}职责|履行情况|(?:主体)?(?:责任|职责)落实情况",
            r"(?:主要|重点|基本|日常)工作|工作(?:开展|完成|落实)?情况|开展的?(?:主要)?工作|所做的?工作",
            r"做法|经验",
            r"工作回顾|回顾|总结",
        ),
        "examples": (
            "工作成效及特色亮点", "履职尽责情况", "履职特色和特点", "开展的主要工作",
            "主要做法和成效", "履职情况和工作亮点", "经验做法", "主要工作及成效",
            "工作开展情况", "履职工作特色和亮点", "主要工作内容与特色做法",
        ),
    },
    {
        "key": "问题",
        "label": "存在问题",
        "required": True,
        "ordered": True,
        "patterns": (
            r"存在.{0,6}?(?:问题|不足|差距|短板|薄弱)",
            r"问题|不足|差距|短板|弱项|薄弱环节",
            r"对标检视|检视|查摆|剖析|反思",
        ),
        "examples": (
            "存在问题及原因分析", "存在的主要问题及原因", "存在主要问题", "存在的主要问题",
            "对标检视", "问题与不足", "存在的问题和不足", "存在的突出问题",
        ),
    },
    {
        "key": "原因",
        "label": "原因分析",
        "required": False,
        "ordered": True,
        "patterns": (r"(?:(?:存在的?)?(?:问题|不足)(?:产生|存在|形成)?的?)?(?:原因|根源|根子|症结)",),
        "examples": ("原因分析", "问题产生的原因"),
    },
    {
        "key": "打算",
        "label": "下一步打算",
        "required": True,
        "ordered": True,
        "patterns": (
            r"下一?步|下阶段|今后|未来|明年|来年|新的一年|展望",
            r"^[0-9]{4}年度?(?:工作)?(?:打算|计划|思路|安排|重点|目标|谋划)",
            r"打算|计划|思路|设想|举措|措施|方向|目标|安排|努力|改进",
        ),
        "examples": (
            "下一步工作思路和措施", "下一步工作打算", "下一步工作思路", "2024年工作打算",
            "下一步工作思路和主要举措", "下一步改进措施", "展望未来", "努力方向",
            "今后努力方向", "下一步工作计划",
        ),
    },
)

#: Front-matter fields every report must have.
DEFAULT_REQUIRED_FIELDS: tuple[str, ...] = ("title", "year", "unit_kind", "reporter", "position", "source")

#: Allowed values of ``unit_kind``.
DEFAULT_UNIT_KINDS: tuple[str, ...] = (
    "乡镇", "街道", "村", "社区", "机关", "党委（党组）", "国有企业", "学校", "医院",
    "事业单位", "非公企业", "社会组织", "其他",
)

#: What a problems part must contain to count as analysing causes.
DEFAULT_CAUSE_PATTERNS: tuple[str, ...] = (r"原因", r"根源", r"根子", r"症结", r"究其", r"剖析")

#: What each field holds, for the messages (field → description with an example).
FIELD_HELP: dict[str, str] = {
    "title": "报告标题，例如 title: \"2023年度**社区党委书记抓基层党建工作述职报告\"",
    "year": "年度，四位数字，例如 year: 2023",
    "unit_kind": "单位类型，例如 unit_kind: \"社区\"",
    "reporter": "述职人，例如 reporter: \"社区党委书记\"",
    "position": "在汇编中的顺序，正整数，例如 position: 6",
    "source": "来源说明，例如 source: \"2023年12月报送的 Word 文件\"",
    "unit": "单位（可选；同一单位各年度写法相同，用于链接其历年报告），例如 unit: \"**镇党委\"",
}

_TRAILING = re.compile(r"[\s。．.：:；;，,！!]+$")


class PartSpec(NamedTuple):
    key: str
    label: str
    patterns: tuple[str, ...]
    examples: tuple[str, ...]
    required: bool
    ordered: bool


class PartMatch(NamedTuple):
    spec: PartSpec
    start: int
    length: int


class SchemaError(ValueError):
    """An invalid schema in the configuration (the message is in Chinese)."""


def heading_text(title: str) -> str:
    """A heading without its number ("二、") and trailing punctuation."""
    text = title.strip()
    number = parse_number(text)
    if number is not None:
        text = text[len(number.marker):]
    return _TRAILING.sub("", text.strip())


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise SchemaError(f"{what} 应是字符串列表")
    items = tuple(value)
    if not all(isinstance(item, str) and item for item in items):
        raise SchemaError(f"{what} 应是非空字符串的列表")
    return items


def compile_pattern(pattern: str, what: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as error:
        raise SchemaError(f"{what} 中的正则表达式 {pattern!r} 无效：{error}") from None


def parse_parts(value: Any) -> tuple[PartSpec, ...]:
    """Parts from the configuration (a list of dicts); raises SchemaError when invalid."""
    if isinstance(value, (str, Mapping)) or not isinstance(value, Iterable):
        raise SchemaError("shuzhi_report_parts 应是由字典组成的列表")
    parts = []
    for index, item in enumerate(value, start=1):
        if not isinstance(item, Mapping):
            raise SchemaError(f"shuzhi_report_parts 的第 {index} 项应是字典")
        key = item.get("key")
        if not isinstance(key, str) or not key:
            raise SchemaError(f"shuzhi_report_parts 的第 {index} 项缺少 key")
        unknown = set(item) - {"key", "label", "patterns", "examples", "required", "ordered"}
        if unknown:
            raise SchemaError(f"部分“{key}”有未知的设置：{'、'.join(sorted(unknown))}")
        patterns = _strings(item.get("patterns", ()), f"部分“{key}”的 patterns")
        if not patterns:
            raise SchemaError(f"部分“{key}”至少要有一个 patterns")
        for pattern in patterns:
            compile_pattern(pattern, f"部分“{key}”的 patterns")
        parts.append(PartSpec(
            key=key,
            label=str(item.get("label") or key),
            patterns=patterns,
            examples=_strings(item.get("examples", ()), f"部分“{key}”的 examples"),
            required=bool(item.get("required", True)),
            ordered=bool(item.get("ordered", True)),
        ))
    keys = [part.key for part in parts]
    if len(set(keys)) != len(keys):
        raise SchemaError("shuzhi_report_parts 中有重复的 key")
    if not parts:
        raise SchemaError("shuzhi_report_parts 至少要有一个部分")
    return tuple(parts)


def add_patterns(parts: Sequence[PartSpec], extra: Mapping[str, Any]) -> tuple[PartSpec, ...]:
    """*parts* with the site's extra patterns (``shuzhi_part_patterns``) appended."""
    keys = {part.key for part in parts}
    for key, patterns in extra.items():
        if key not in keys:
            raise SchemaError(f"shuzhi_part_patterns 中的“{key}”不是已定义的部分（{'、'.join(sorted(keys))}）")
        for pattern in _strings(patterns, f"shuzhi_part_patterns[{key!r}]"):
            compile_pattern(pattern, f"shuzhi_part_patterns[{key!r}]")
    return tuple(
        part._replace(patterns=part.patterns + tuple(extra.get(part.key, ())))
        for part in parts
    )


class Schema:
    """The parts and fields a report must have, with compiled patterns."""

    def __init__(
        self,
        parts: Sequence[PartSpec],
        required_fields: Sequence[str] = DEFAULT_REQUIRED_FIELDS,
        unit_kinds: Sequence[str] = DEFAULT_UNIT_KINDS,
        cause_patterns: Sequence[str] = DEFAULT_CAUSE_PATTERNS,
        require_cause: bool = False,
        require_preamble: bool = False,
    ) -> None:
        self.parts = tuple(parts)
        self.required_fields = tuple(required_fields)
        self.unit_kinds = tuple(unit_kinds)
        self.require_cause = require_cause
        self.require_preamble = require_preamble
        self._regexes = [
            (spec, [compile_pattern(pattern, spec.key) for pattern in spec.patterns]) for spec in self.parts
        ]
        self.cause = re.compile("|".join(f"(?:{pattern})" for pattern in cause_patterns))
        self.rank = {spec.key: index for index, spec in enumerate(self.parts)}

    def part(self, key: str) -> PartSpec:
        return self.parts[self.rank[key]]

    def classify(self, title: str) -> PartSpec | None:
        """The part whose patterns match the heading *title* best, if any."""
        text = heading_text(title)
        best: PartMatch | None = None
        for spec, regexes in self._regexes:
            for regex in regexes:
                match = regex.search(text)
                if match is None:
                    continue
                candidate = PartMatch(spec, match.start(), match.end() - match.start())
                if best is None or (candidate.start, -candidate.length) < (best.start, -best.length):
                    best = candidate
        return best.spec if best else None

    def closest(self, title: str, missing: Collection[str] = ()) -> tuple[str, PartSpec]:
        example, spec, _ = self.closest_with_score(title, missing)
        return example, spec

    def closest_with_score(self, title: str, missing: Collection[str] = ()) -> tuple[str, PartSpec, float]:
        """The example heading most similar to *title*, its part, and the similarity (0 to 1).

        Ties (common for short headings) go to a part in *missing* (the
        report lacks it), then to a required part, then to the earlier part.
        """
        text = heading_text(title)
        scored = []
        for spec in self.parts:
            for example in (*spec.examples, spec.label):
                ratio = round(difflib.SequenceMatcher(None, text, example, autojunk=False).ratio(), 3)
                scored.append(((ratio, spec.key in missing, spec.required, -self.rank[spec.key]), example, spec))
        score, example, spec = max(scored, key=lambda item: item[0])
        return example, spec, score[0]

    def example(self, spec: PartSpec) -> str:
        return spec.examples[0] if spec.examples else spec.label

    def order_text(self) -> str:
        """The required order, e.g. "成效 → 问题 → 打算"."""
        return " → ".join(spec.key for spec in self.parts if spec.ordered and spec.required)


def default_parts() -> tuple[PartSpec, ...]:
    return parse_parts(DEFAULT_PARTS)
