"""A report's front matter, read from the source file with the line of every field.

MyST parses the front matter too (into ``env.metadata``), but without line
numbers and silently dropping what it cannot use. Here the YAML is *composed*
(PyYAML's node graph keeps each node's position), so a bad field is reported
at its own line, and broken YAML at the line of the error.

The front matter is untrusted like the rest of the report: a field that uses a YAML
alias is refused (aliases nest into exponentially large values, and a report has no use
for them), as is one whose value cannot be built (an integer of 5000 digits); HTML
and control characters in a value (``"\\v"`` and ``"\\0"`` are YAML escapes) are findings.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

import yaml

from . import controls, kinds
from .records import Finding
from .schema import FIELD_HELP, Schema

_YEAR = re.compile(r"^[0-9]{4}$")
_DELIMITER = "---"
#: The safe loader, libyaml's when PyYAML has it (its wheels do): the same nodes, values and
#: marks, several times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def aliases(text: str) -> list[tuple[int, str]]:
    """Line (0-based) and name of every YAML alias (``*name``) in *text*.

    Reports and the glossary have no use for aliases, and nested aliases expand
    exponentially when a value is turned into text ("billion laughs"): they are refused
    before anything is constructed. Parsing events builds nothing. Syntax errors are left
    to the caller's own parse (the aliases before the error are returned).
    """
    if "*" not in text:
        return []  # an alias is written with "*": without one, nothing to parse for
    found = []
    try:
        for event in yaml.parse(text, Loader=SAFE_LOADER):
            if isinstance(event, yaml.AliasEvent):
                found.append((event.start_mark.line, event.anchor))
    except yaml.YAMLError:
        pass
    return found


def first_alias(text: str) -> tuple[int, str] | None:
    """Line (1-based) and name of the first YAML alias in *text*, or None."""
    found = aliases(text)
    return (found[0][0] + 1, found[0][1]) if found else None


def keys_with_aliases(node: yaml.MappingNode, text: str) -> set[str]:
    """The keys of the mapping *node* (composed from *text*) whose value uses an alias.

    A key's lines run to the next key: the marks of an alias's node are those of the
    node it names, elsewhere.
    """
    lines = [line for line, _ in aliases(text)]
    if not lines:
        return set()
    starts = [key.start_mark.line for key, _ in node.value]
    ends = [*[start - 1 for start in starts[1:]], node.end_mark.line]
    return {str(key.value) for (key, _), start, end in zip(node.value, starts, ends)
            if any(start <= line <= max(start, end) for line in lines)}


def strings(value: Any, limit: int = 100_000) -> Iterator[str]:
    """Every text in a constructed YAML *value* (keys too), without recursion; at most *limit* items."""
    stack = [value]
    while stack and limit > 0:
        limit -= 1
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif item is not None:
            yield str(item)


#: The longest unit identity (``unit``): a name, not a paragraph.
UNIT_MAX_LENGTH = 40


class Field(NamedTuple):
    name: str
    value: Any  # the constructed Python value
    line: int  # 1-based line in the source file


class FrontMatter(NamedTuple):
    present: bool  # whether fields could be read (a block that is a YAML mapping)
    fields: dict[str, Field]
    end_line: int  # line of the closing ---, or 1 when there is no front matter block


def _block(lines: list[str]) -> tuple[int, int] | None:
    """(first, closing) 0-based indexes of the front matter's delimiters."""
    if not lines or lines[0].rstrip() != _DELIMITER:
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() == _DELIMITER:
            return 0, index
    return 0, -1


def read(text: str, docname: str) -> tuple[FrontMatter, list[Finding]]:
    """Parse the front matter of *text*; findings for what is wrong with its form."""
    lines = text.split("\n")
    empty = FrontMatter(False, {}, 1)
    block = _block(lines)
    if block is None:
        return empty, [Finding(docname, 1, kinds.FRONTMATTER, (
            "文件开头没有元数据（front matter）。请在第一行写 ---，接着逐行写 "
            "title、year、unit_kind、reporter、position、source，再以 --- 结束。"))]
    _, closing = block
    if closing == -1:
        return empty, [Finding(docname, 1, kinds.FRONTMATTER,
                               "元数据以 --- 开始，却没有结束的 --- 行。请在最后一个字段之后加一行 ---。")]
    source = "\n".join(lines[1:closing])
    offset = 2  # the YAML's first line is the file's line 2
    unusable = FrontMatter(False, {}, closing + 1)  # a block is there, but gives no fields

    try:
        node = yaml.compose(source, Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        # "while scanning a quoted scalar" points (context_mark) at the quote that was never closed,
        # which is where the editor must look; other errors only have a problem_mark.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        line = min(mark.line + offset, closing) if mark is not None else 1
        problem = "，".join(part for part in (getattr(error, "context", None), getattr(error, "problem", None)) if part)
        problem = problem or str(error).split("\n", 1)[0]
        return unusable, [Finding(docname, line, kinds.FRONTMATTER, (
            f"元数据不是有效的 YAML（{problem}）。请检查这一行的引号、冒号和缩进，"
            "例如 title: \"……\"，字段名与值之间用英文冒号加空格分隔。"))]
    if node is None:
        return unusable, [Finding(docname, closing + 1, kinds.FRONTMATTER,
                                                            "元数据是空的。请在两行 --- 之间写上 title、year 等字段。")]
    if not isinstance(node, yaml.MappingNode):
        what = "列表" if isinstance(node, yaml.SequenceNode) else "一段文字"
        return unusable, [Finding(docname, node.start_mark.line + offset, kinds.FRONTMATTER, (
            f"元数据是{what}，应是“字段: 值”的形式。请把每个字段写成一行，例如 year: 2023。"))]

    loader = yaml.SafeLoader("")
    fields: dict[str, Field] = {}
    findings: list[Finding] = []
    refused = keys_with_aliases(node, source)
    if refused:
        line, name = aliases(source)[0]
        findings.append(Finding(docname, line + offset, kinds.FRONTMATTER, (
            f"元数据中使用了 YAML 别名“*{name}”：元数据不接受别名（会被展开成巨大的文字），"
            f"含别名的字段（{'、'.join(sorted(refused))}）已忽略。请把要重复的内容直接写出来。")))
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + offset
        if not isinstance(key_node, yaml.ScalarNode):
            findings.append(Finding(docname, line, kinds.FIELD_INVALID, "字段名应是一个词，例如 year。请删除或改正这一行。"))
            continue
        name = str(key_node.value)
        if name in refused:
            continue
        try:
            value = loader.construct_object(value_node, deep=True)
        except (yaml.YAMLError, ValueError, RecursionError) as error:
            # ValueError: an integer of more than sys.get_int_max_str_digits() digits.
            reason = getattr(error, "problem", None) or str(error)
            findings.append(Finding(docname, line, kinds.FIELD_INVALID,
                                    f"字段 {name} 的值无法读取（{reason}）。请改为加引号的文字。"))
            continue
        if name in fields:
            findings.append(Finding(docname, line, kinds.FIELD_INVALID, (
                f"字段 {name} 重复（第 {fields[name].line} 行已有）。请删除多余的一行。")))
            continue
        fields[name] = Field(name, value, line)
    return FrontMatter(True, fields, closing + 1), findings


def _describe(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, (list, tuple)):
        return "列表"
    if isinstance(value, dict):
        return "字典"
    return f"“{value}”"


def _is_text(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip() != ""


def check_fields(front: FrontMatter, docname: str, schema: Schema) -> list[Finding]:
    """Findings for missing and invalid fields."""
    if not front.present:
        return []
    findings = []
    for name in schema.required_fields:
        if name not in front.fields:
            help_text = FIELD_HELP.get(name, "")
            findings.append(Finding(docname, front.end_line, kinds.FIELD_MISSING, (
                f"元数据缺少 {name} 字段。请在结束的 --- 之前加上一行" + (f"：{help_text}。" if help_text else "。"))))
    for field in front.fields.values():
        message = _field_problem(field, docname, schema)
        if message:
            findings.append(Finding(docname, field.line, kinds.FIELD_INVALID, message))
        findings += _untrusted_text(field, docname)
    return findings


#: The start of an HTML tag, comment or declaration.
HTML_TAG = re.compile(r"<\s*[A-Za-z!/?]")


def _untrusted_text(field: Field, docname: str) -> list[Finding]:
    """HTML and control characters in a field's value: shown as text, removed (see pipeline.py)."""
    texts = list(strings(field.value))
    findings = []
    html = next((text for text in texts if HTML_TAG.search(text)), None)
    if html is not None:
        findings.append(Finding(docname, field.line, kinds.RAW_HTML, (
            f"元数据字段 {field.name} 中的 HTML 代码“{html[:40]}”不会被执行，已按文字显示："
            "报告应为纯文字，请删除这段代码。")))
    chars = [char for text in texts for char in controls.CONTROL.findall(text)]
    if chars:
        names = "、".join(dict.fromkeys(f"U+{ord(char):04X}" for char in chars))
        findings.append(Finding(docname, field.line, kinds.CONTROL_CHARACTER, (
            f"元数据字段 {field.name} 中有 {len(chars)} 个看不见的控制字符（{names}），发布时已删除。"
            "请删除它们（也包括 \\v、\\0 这样的 YAML 转义）。")))
    return findings


def _field_problem(field: Field, docname: str, schema: Schema) -> str | None:
    name, value = field.name, field.value
    if name == "year":
        if isinstance(value, bool) or not _YEAR.match(str(value).strip()) or isinstance(value, (list, dict, float)):
            return f"year 应是四位数字的年度，例如 year: 2023；现在是{_describe(value)}。"
        folders = [part for part in docname.split("/")[:-1] if _YEAR.match(part)]
        if folders and folders[-1] != str(value).strip():
            return (f"year 是 {value}，但文件在 {folders[-1]} 年度的目录下。"
                    f"请改正年度，或把文件移到 {str(value).strip()} 年度的目录。")
        return None
    if name == "position":
        text = str(value).strip()
        if isinstance(value, (bool, float, list, dict)) or not text.isdigit() or int(text) < 1:
            return f"position 应是正整数（在汇编中的顺序，从 1 开始），例如 position: 6；现在是{_describe(value)}。"
        return None
    if name == "unit_kind":
        if not isinstance(value, str) or value.strip() not in schema.unit_kinds:
            allowed = "、".join(schema.unit_kinds)
            close = difflib.get_close_matches(str(value), schema.unit_kinds, n=1, cutoff=0.3) if isinstance(value, str) else []
            hint = f"是否应为“{close[0]}”？" if close else ""
            return (f"unit_kind 是{_describe(value)}，不是允许的单位类型。{hint}请从 {allowed} 中选一个，"
                    "或在 conf.py 的 shuzhi_unit_kinds 中增加新的类型。")
        return None
    if name == "unit":
        text = str(value).strip() if _is_text(value) else ""
        if not text or "\n" in text or len(text) > UNIT_MAX_LENGTH:
            return (f"unit 应是单位名称（照报告原文写，含“**”等隐去的字），同一单位各年度写法相同，"
                    f"不超过 {UNIT_MAX_LENGTH} 个字，例如 unit: \"**镇党委\"；现在是{_describe(value)}。")
        return None
    if name in schema.required_fields and not _is_text(value):
        return f"{name} 应是一段文字，现在是{_describe(value)}。请写成 {name}: \"……\"。"
    return None


def check_title(front: FrontMatter, heading: str | None, docname: str) -> list[Finding]:
    """The front matter's title should read as the page's ``#`` title."""
    field = front.fields.get("title")
    if field is None or heading is None or not _is_text(field.value):
        return []
    if str(field.value).strip() != heading.strip():
        return [Finding(docname, field.line, kinds.TITLE, (
            f"元数据的 title（“{field.value}”）与正文的一级标题（“{heading}”）不一致。请把两者改成相同的文字。"))]
    return []
