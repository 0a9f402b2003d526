"""``python -m shuzhi new``: start a report from a template that already has the required shape.

The template has the front matter (every required field), the title, a
preamble and one ``##`` heading per required part of the site's schema (the
part's first example heading), each with a short prompt. Every prompt holds
one ``XX`` placeholder, so ``check`` and the 待补充 page list what is still to
be written; apart from those, a new report passes every structure check.
"""

from __future__ import annotations

import datetime
import difflib
import re
from pathlib import Path

from ..report import frontmatter
from ..report.numbering import int_to_cn
from ..report.schema import Schema
from . import importer

#: The prompt under each default part (by key); other parts get a generic one.
PROMPTS: dict[str, str] = {
    "整改": "（请填写：上年度述职评议指出的问题逐条整改的情况。）一是……问题，已整改XX。",
    "成效": ("（请填写：本年度抓基层党建工作的主要做法和成效，可用“### （一）……”小标题分条写，"
             "尽量用数字说明。）一是……。二是……。全年召开党建专题会议XX次。"),
    "问题": "（请填写：对照职责查摆的主要问题，并分析原因。）一是……。二是……。出现上述问题的原因主要有：XX。",
    "原因": "（请填写：问题产生的原因。）一是……。二是……。XX。",
    "打算": "（请填写：下一年度的工作思路和具体措施。）一是……。二是……。XX。",
}
GENERIC_PROMPT = "（请填写这一部分。）XX。"
PREAMBLE = "根据XX要求，现将{year}年度抓基层党建工作情况报告如下："

_YEAR = re.compile(r"^[0-9]{4}$")
_NUMBERED = re.compile(r"^([0-9]+)-")


class NewReportError(Exception):
    """The report cannot be created; the message (Chinese) says why."""


def next_position(folder: Path) -> int:
    """One more than the highest position in *folder* (file names ``NN-…`` and ``position`` fields)."""
    highest = 0
    if folder.is_dir():
        for path in folder.glob("*.md"):
            if match := _NUMBERED.match(path.name):
                highest = max(highest, int(match.group(1)))
            try:
                front, _ = frontmatter.read(path.read_text(encoding="utf-8-sig"), path.stem)
            except (OSError, UnicodeDecodeError):
                continue
            position = front.fields.get("position")
            if position is not None and str(position.value).strip().isdigit():
                highest = max(highest, int(str(position.value).strip()))
    return highest + 1


def render(schema: Schema, *, title: str, year: int, unit_kind: str, reporter: str, position: int,
           source: str, unit: str | None = None) -> str:
    """The text of a new report."""
    known = {"title": title, "year": year, "unit_kind": unit_kind, "reporter": reporter,
             "position": position, "source": source, **({"unit": unit} if unit else {})}
    fields = [*known, *(name for name in schema.required_fields if name not in known)]
    out = ["---"]
    for name in fields:
        out.append(f"{name}: {importer._yaml_scalar(known.get(name, '待填写'))}")
    out += ["---", "", f"# {importer.escape(title)}", "", PREAMBLE.format(year=year), ""]
    required = [spec for spec in schema.parts if spec.required]
    for number, spec in enumerate(required, start=1):
        out += [f"## {int_to_cn(number)}、{schema.example(spec)}", "", PROMPTS.get(spec.key, GENERIC_PROMPT), ""]
    return "\n".join(out)


def create(out_dir: Path, schema: Schema, *, title: str, year: str, unit_kind: str,
           reporter: str | None = None, source: str | None = None,
           position: int | None = None, unit: str | None = None) -> tuple[Path, Path | None]:
    """Write a new report under *out_dir*/<year>/; return its path and the year index if it was created."""
    title = title.strip()
    if not title:
        raise NewReportError("标题不能为空：请用 --title 写报告的完整标题。")
    if not _YEAR.match(str(year)):
        raise NewReportError(f"年度应是四位数字，例如 --year 2024；现在是“{year}”。")
    if unit_kind not in schema.unit_kinds:
        close = difflib.get_close_matches(unit_kind, schema.unit_kinds, n=1, cutoff=0.3)
        hint = f"是否应为“{close[0]}”？" if close else ""
        raise NewReportError(f"“{unit_kind}”不是允许的单位类型。{hint}请从 {'、'.join(schema.unit_kinds)} 中选一个。")
    folder = out_dir / str(year)
    if position is None:
        position = next_position(folder)
    elif position < 1:
        raise NewReportError(f"顺序应是正整数，例如 --position 6；现在是 {position}。")
    path = folder / importer.file_name(position, unit_kind)
    text = render(schema, title=title, year=int(year), unit_kind=unit_kind,
                  reporter=reporter or "党组织书记", position=position,
                  source=source or f"{datetime.date.today():%Y年%m月%d日}用模板新建", unit=(unit or "").strip() or None)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as file:  # never overwrite
            file.write(text)
    except FileExistsError:
        raise NewReportError(f"{path} 已存在，未覆盖。") from None
    index = folder / "index.md"
    if index.exists():
        return path, None
    index.write_text(importer.YEAR_INDEX.format(year=year), encoding="utf-8")
    return path, index
