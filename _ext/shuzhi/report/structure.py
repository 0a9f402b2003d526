"""Recognise the parts of a report in its doctree, and find what is wrong with them.

The input is the doctree MyST produced and the source lines (for the ``#``
level each heading was written with); the output is data: the parts found
(:class:`~.records.PartRecord`) and the findings (:class:`~.records.Finding`),
each with a line and a Chinese sentence saying what to change. Nothing here
logs or changes the doctree.

Headings play three roles:

- the first heading, written with ``#``, is the report's title;
- *part headings* are the other ``#``/``##`` headings without a sub-numbering,
  and every heading numbered "一、" whatever its level; each should match one
  part of the schema;
- every other heading is a sub-heading inside a part.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from docutils import nodes

from . import kinds
from .numbering import DEEPEST, Number, heading_level, int_to_cn, parse_number
from .records import Finding, PartRecord
from .schema import CANONICAL_STYLES, PART_LEVEL, Schema

_WHITESPACE = re.compile(r"\s+")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]|$)")

#: Parts whose text is searched for a cause analysis (``shuzhi_require_cause_analysis``).
PROBLEM_KEYS = ("问题", "原因")

_LEVEL_NAMES = {1: "一级标题（#）", 2: "二级标题（##）", 3: "三级标题（###）", 4: "四级标题（####）",
                5: "五级标题（#####）", 6: "六级标题（######）"}
#: Unknown part headings reported one by one; the rest get one finding (a pasted outline can have thousands).
MAX_UNKNOWN_HEADINGS = 10

#: Below this similarity to every example, an unknown heading is not said to resemble a part.
SIMILAR = 0.34

_NUMBER_NAMES = {1: "“一、”", 2: "“（一）”", 3: "“1、”", 4: "“（1）”"}


def _level_name(level: int) -> str:
    return _LEVEL_NAMES.get(level, f"{level} 级标题")


class Heading(NamedTuple):
    text: str
    line: int
    level: int  # the Markdown level as written (number of #)
    node_id: str
    number: Number | None
    section: nodes.section


class Structure(NamedTuple):
    title: Heading | None
    parts: tuple[PartRecord, ...]
    findings: tuple[Finding, ...]


def text_length(node: nodes.Node) -> int:
    return len(_WHITESPACE.sub("", node.astext()))


def _headings(doctree: nodes.document, lines: list[str]) -> list[Heading]:
    found = []
    for section in doctree.findall(nodes.section):
        if not section.children or not isinstance(section[0], nodes.title):
            continue
        title = section[0]
        line = section.line or title.line or 0
        depth = sum(1 for ancestor in _ancestors(section) if isinstance(ancestor, nodes.section)) + 1
        level = depth
        if 1 <= line <= len(lines) and (match := _ATX.match(lines[line - 1])):
            level = len(match.group(1))
        text = title.astext().strip()
        node_id = section["ids"][0] if section["ids"] else ""
        found.append(Heading(text, line, level, node_id, parse_number(text), section))
    return found


def _ancestors(node: nodes.Node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def _marker(number: Number, value: int) -> str:
    """*value* written in the style of *number*, e.g. "（三）" or "3、"."""
    if number.level == 1:
        return int_to_cn(value) + "、"
    if number.level == 2:
        return number.style[0] + int_to_cn(value) + number.style[-1]
    if number.level == 4:
        return number.style[0] + str(value) + number.style[-1]
    return str(value) + number.style[-1]


def _section_length(heading: Heading) -> int:
    return text_length(heading.section) - text_length(heading.section[0])


def _last_line(lines: list[str]) -> int:
    for index in range(len(lines), 0, -1):
        if lines[index - 1].strip():
            return index
    return 1


class _Analysis:
    def __init__(self, docname: str, lines: list[str], schema: Schema) -> None:
        self.docname = docname
        self.lines = lines
        self.schema = schema
        self.findings: list[Finding] = []
        self.title_line = 0
        self._lengths: dict[int, int] = {}  # id of a heading's section → its text length

    def section_length(self, heading: Heading) -> int:
        """:func:`_section_length`, worked out once per section (a part's is needed twice)."""
        key = id(heading.section)
        if key not in self._lengths:
            self._lengths[key] = _section_length(heading)
        return self._lengths[key]

    def add(self, line: int, kind: kinds.Kind, message: str) -> None:
        self.findings.append(Finding(self.docname, line or 1, kind, message))

    # -- the title ------------------------------------------------------------
    def title(self, headings: list[Heading], first_line: int) -> Heading | None:
        if not headings:
            self.add(first_line, kinds.TITLE, (
                "报告没有任何标题。请在正文最前面写一级标题（# 报告标题），"
                "再用二级标题（##）写出各部分，例如 ## 一、工作成效及特色亮点。"))
            return None
        first = headings[0]
        if first.level == 1 and (first.number is None or first.number.level != 1):
            return first
        self.add(first.line, kinds.TITLE, (
            f"报告的第一个标题“{first.text}”不是报告标题。请在它前面加上一级标题（# 报告标题），"
            "例如 # 2023年度抓基层党建工作述职报告。"))
        return None

    # -- heading levels -------------------------------------------------------
    def levels(self, heading: Heading, is_part: bool, open_levels: frozenset[int]) -> None:
        """*open_levels*: the numbering levels of the numbered headings above *heading* in its part."""
        number = heading.number
        if number is not None:
            # One level below the nearest numbered heading above: "1、" is ### directly under
            # "一、" and #### under "（一）" (numbering.heading_level, as the importer writes it).
            expected = heading_level(number.level, open_levels)
            if heading.level != expected:
                self.add(heading.line, kinds.HEADING_LEVEL, (
                    f"标题“{heading.text}”用了{_level_name(heading.level)}，"
                    f"{_NUMBER_NAMES[number.level]}级的标题在这里应使用{_level_name(expected)}。"
                    f"请改为 {'#' * expected} {heading.text}。"))
        elif is_part and heading.level != PART_LEVEL:
            self.add(heading.line, kinds.HEADING_LEVEL, (
                f"标题“{heading.text}”用了{_level_name(heading.level)}；除报告标题外，各部分的标题应使用"
                f"{_level_name(PART_LEVEL)}。请改为 ## {heading.text}。"))

    # -- numbering --------------------------------------------------------------
    def numbering(self, headings: list[Heading], title: Heading | None) -> None:
        last: dict[int, tuple[int, Heading | None]] = {level: (0, None) for level in range(1, DEEPEST + 1)}
        numbered: dict[int, list[Heading]] = {level: [] for level in range(1, DEEPEST + 1)}
        for heading in headings:
            if heading is title:
                continue
            number = heading.number
            if number is None:
                if heading.level <= PART_LEVEL:  # an unnumbered part heading starts a new level 2
                    for deeper in range(2, DEEPEST + 1):
                        last[deeper] = (0, None)
                continue
            previous, previous_heading = last[number.level]
            if number.value != previous + 1:
                expected = _marker(number, previous + 1)
                after = (f"上一个同级标题是“{previous_heading.text}”（第 {previous_heading.line} 行）"
                         if previous_heading else "这是这一级的第一个标题")
                self.add(heading.line, kinds.NUMBERING, (
                    f"序号不连续：标题“{heading.text}”的序号是“{number.marker}”，{after}，"
                    f"应为“{expected}”。请改正序号（或补上漏掉的部分）。"))
            last[number.level] = (number.value, heading)
            for deeper in range(number.level + 1, DEEPEST + 1):
                last[deeper] = (0, None)
            numbered[number.level].append(heading)
        for level, same_level in numbered.items():
            self.mixed_styles(level, same_level)

    def mixed_styles(self, level: int, headings: list[Heading]) -> None:
        """Headings of one level whose numbering style differs from the others'."""
        styles = list(dict.fromkeys(heading.number.style for heading in headings))
        if len(styles) < 2:
            return
        target = CANONICAL_STYLES.get(level, styles[0])
        used = "”“".join(dict.fromkeys(heading.number.marker for heading in headings))
        for heading in headings:
            number = heading.number
            if number.style == target:
                continue
            wanted = _marker(number._replace(style=target), number.value)
            self.add(heading.line, kinds.NUMBERING_MIXED, (
                f"同级标题序号的写法不统一（本篇混用了“{used}”）。请把“{number.marker}”改为“{wanted}”，"
                f"全篇统一用“{target}”这种写法。"))

    # -- parts ------------------------------------------------------------------
    def parts(self, candidates: list[Heading]) -> list[tuple[Heading, str]]:
        schema = self.schema
        classified = [(heading, schema.classify(heading.text)) for heading in candidates]
        present = {spec.key for _, spec in classified if spec is not None}
        missing = {spec.key for spec in schema.parts if spec.required and spec.key not in present}
        parts: list[tuple[Heading, str]] = []
        first_of: dict[str, Heading] = {}
        latest: tuple[int, Heading, str] | None = None  # (rank, heading, key) of the furthest ordered part
        unknown = [heading for heading, spec in classified if spec is None]
        for heading in unknown[:MAX_UNKNOWN_HEADINGS]:
            self.unknown(heading, missing)
        if len(unknown) > MAX_UNKNOWN_HEADINGS:
            rest = unknown[MAX_UNKNOWN_HEADINGS:]
            self.add(rest[0].line, kinds.HEADING_UNKNOWN, (
                f"另有 {len(rest)} 个标题（第 {rest[0].line} 行至第 {rest[-1].line} 行）也不对应述职报告的任何部分，"
                "不再逐一列出。述职报告通常只有三到五个部分：如果这些是某一部分中的小标题，请改为三级标题（###）。"))
        for heading, spec in classified:
            if spec is None:
                continue
            parts.append((heading, spec.key))
            if spec.key in first_of:
                first = first_of[spec.key]
                self.add(heading.line, kinds.PART_REPEATED, (
                    f"“{spec.key}”部分重复：第 {first.line} 行的“{first.text}”已是这一部分，"
                    f"这里的“{heading.text}”又是。请把两处合并为一个部分，或改正其中一个标题。"))
                continue
            first_of[spec.key] = heading
            if self.section_length(heading) == 0:
                self.add(heading.line, kinds.PART_EMPTY, (
                    f"“{spec.key}”部分（标题“{heading.text}”）下面没有内容。请补写这一部分，或删除这个标题。"))
            if not spec.ordered:
                continue
            rank = schema.rank[spec.key]
            if latest is not None and rank < latest[0]:
                _, later, later_key = latest
                self.add(heading.line, kinds.PART_ORDER, (
                    f"“{spec.key}”部分（“{heading.text}”）应写在“{later_key}”部分"
                    f"（第 {later.line} 行“{later.text}”）之前。各部分的顺序应为：{schema.order_text()}。"
                    "请调整顺序并重新编号。"))
            elif latest is None or rank > latest[0]:
                latest = (rank, heading, spec.key)
        self.missing(first_of)
        return parts

    def unknown(self, heading: Heading, missing: set[str]) -> None:
        example, closest, similarity = self.schema.closest_with_score(heading.text, missing)
        if heading.number is not None and heading.text == heading.number.marker:
            what = f"标题“{heading.text}”只有序号，没有文字。"
        else:
            what = f"标题“{heading.text}”不对应述职报告的任何部分。"
        if similarity < SIMILAR and heading.number is None:
            # A theme heading ("共学共建，让基层组织“强”起来") resembles no part: most likely a
            # sub-heading whose part heading is missing above it.
            examples = "、".join(f"“{self.schema.example(spec)}”" for spec in self.schema.parts if spec.required)
            self.add(heading.line, kinds.HEADING_UNKNOWN, (
                f"{what}它像是某一部分之中的小标题（主题句），而不是部分的标题。请把它改为三级标题"
                f"（### {heading.text}），放在它所属部分的二级标题之下（例如 {examples}）；"
                "如果这是本单位固定的部分写法，请在 conf.py 的 shuzhi_part_patterns 中为相应的部分增加一个模式。"))
            return
        self.add(heading.line, kinds.HEADING_UNKNOWN, (
            f"{what}最接近的是“{closest.key}”部分（例如“{example}”）。请改用这类标题；"
            "如果它只是某一部分中的小标题，请改为三级标题（###）；"
            f"如果这是本单位的固定写法，请在 conf.py 的 shuzhi_part_patterns 中为“{closest.key}”增加一个模式。"))

    def missing(self, first_of: dict[str, Heading]) -> None:
        schema = self.schema
        for spec in schema.parts:
            if not spec.required or spec.key in first_of:
                continue
            rank = schema.rank[spec.key]
            following = sorted(
                (heading.line, heading.text) for key, heading in first_of.items()
                if schema.part(key).ordered and schema.rank[key] > rank
            )
            example = schema.example(spec)
            preceding = sorted(
                (heading.line, heading.text) for key, heading in first_of.items()
                if schema.part(key).ordered and schema.rank[key] < rank
            )
            if following:
                line, text = following[0]
                where = f"请在“{text}”之前加上这一部分"
            elif preceding:
                # After the last part that must come before it (not "at the end": optional parts may follow).
                line, text = preceding[-1]
                where = f"请在“{text}”这一部分之后加上这一部分"
            elif self.title_line:
                line, where = self.title_line, "请在报告标题和导语之后加上这一部分"
            else:
                line, where = _last_line(self.lines), "请在报告末尾加上这一部分"
            self.add(line, kinds.PART_MISSING, (
                f"缺少“{spec.key}”部分（{spec.label}）。{where}，用二级标题，例如 ## {example}。"))

    def cause(self, parts: list[tuple[Heading, str]]) -> None:
        problems = [heading for heading, key in parts if key in PROBLEM_KEYS]
        if not self.schema.require_cause or not problems:
            return
        # The part's own heading does not count: "存在问题及原因分析" promises causes, the text must give them.
        body = "\n".join(child.astext() for heading in problems for child in heading.section.children[1:])
        if self.schema.cause.search(body):
            return
        first = problems[0]
        self.add(first.line, kinds.CAUSE_MISSING, (
            f"“{first.text}”只列出了问题，没有分析原因。请在问题之后写明原因，"
            "例如“出现上述问题的原因主要有……”，或加一个三级标题“### 原因分析”。"))

    def preamble(self, title: Heading | None) -> None:
        if not self.schema.require_preamble or title is None:
            return
        intro = sum(text_length(child) for child in title.section.children[1:]
                    if not isinstance(child, nodes.section))
        if intro == 0:
            self.add(title.line, kinds.PREAMBLE_MISSING, (
                "报告标题之后、第一部分之前没有导语。请写一段开头，说明述职的依据和范围，"
                "例如“现将2023年度抓基层党建工作情况报告如下：”。"))


def analyse(doctree: nodes.document, docname: str, lines: list[str], schema: Schema,
            first_line: int = 1) -> Structure:
    """The parts of the report in *doctree* and the findings about its structure.

    *lines* are the source lines (for heading levels and line numbers);
    *first_line* is where the body starts (after the front matter).
    """
    analysis = _Analysis(docname, lines, schema)
    headings = _headings(doctree, lines)
    title = analysis.title(headings, first_line)
    analysis.title_line = title.line if title is not None else 0
    candidates = []
    open_levels: set[int] = set()
    for heading in headings:
        if heading is title:
            continue
        number = heading.number
        is_part = (number is None and heading.level <= PART_LEVEL) or (number is not None and number.level == 1)
        if is_part:
            open_levels.clear()
        analysis.levels(heading, is_part, frozenset(open_levels))
        if is_part:
            candidates.append(heading)
        elif number is not None:
            open_levels -= {level for level in open_levels if level > number.level}
            open_levels.add(number.level)
    analysis.numbering(headings, title)
    found = analysis.parts(candidates)
    analysis.cause(found)
    analysis.preamble(title)
    parts = tuple(
        PartRecord(key, heading.text, heading.line, heading.node_id, analysis.section_length(heading))
        for heading, key in found
    )
    findings = tuple(sorted(analysis.findings, key=lambda finding: finding.line))
    return Structure(title, parts, findings)
