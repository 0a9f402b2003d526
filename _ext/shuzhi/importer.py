"""Turn a plain-text compilation of reports into MyST pages under ``reports/``.

The importer is deliberately conservative: it removes only the watermark
patterns it was given (and reports every removal), escapes everything MyST
would otherwise interpret, and refuses to write anything unless the text of
the pages it produced equals the input minus the reported removals.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import controls, numbering, sources, watermarks

#: A 目录 heading: "目录", "目 录", "目  录".
_TOC_HEADING = re.compile(r"^\s*目\s*录\s*$")
#: A 目录 entry: "1.2023年…述职报告".
_TOC_ENTRY = re.compile(r"^\s*[0-9０-９]{1,3}\s*[.．、]\s*(?P<title>\S.*?)\s*$")
#: Longest line that can still be a heading rather than a paragraph.
MAX_HEADING_CHARS = 60


class ImportError_(Exception):
    """The input cannot be imported faithfully; the message says why."""


@dataclass
class Block:
    kind: str  # "title", "h2", "h3", "h4" or "para"
    text: str
    line: int  # 1-based line of the input it came from


@dataclass
class ImportedReport:
    position: int
    title: str
    blocks: list[Block]
    metadata: dict[str, str | int] = field(default_factory=dict)
    guessed: list[str] = field(default_factory=list)

    def body_text(self) -> str:
        return "\n".join(block.text for block in self.blocks)


@dataclass
class Compilation:
    title: str
    reports: list[ImportedReport]
    removals: list[watermarks.Removal]


# --------------------------------------------------------------------------- splitting


def _numbered_lines(text: str) -> list[tuple[int, str]]:
    return [(number, line.strip()) for number, line in enumerate(text.split("\n"), start=1)]


#: A line that reads as a report's title when a compilation has no 目录.
_TITLE_LIKE = re.compile(r"述职报告$|工作总结$|述职$")


def _titles_without_toc(lines: list[tuple[int, str]], hints: dict[int, int]) -> list[int]:
    """Indexes of the lines that start reports: Word title styles, or lines that read as titles."""
    starts = [i for i, (number, line) in enumerate(lines)
              if hints.get(number) == 1 or (len(line) <= MAX_HEADING_CHARS and _TITLE_LIKE.search(line)
                                            and numbering.parse_number(line) is None)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    return starts


def split_compilation(text: str, patterns: Sequence[str] = watermarks.DEFAULT_PATTERNS,
                      hints: dict[int, int] | None = None) -> Compilation:
    """Split a compilation into reports by its 目录, or by its titles."""
    hints = hints or {}
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    # Invisible control characters (pasted from Word or the web) are removed and reported like
    # watermarks, before anything else looks at the text (U+2028 would split a line).
    invisible = [watermarks.Removal(line, column, f"U+{ord(char):04X}", "控制字符")
                 for line, column, char in controls.positions(text)]
    clean, removals = watermarks.strip(controls.strip(text), patterns)
    removals = sorted([*invisible, *removals])
    lines = [(number, line) for number, line in _numbered_lines(clean) if line]
    if not lines:
        raise ImportError_("输入为空：没有可导入的文字。")

    toc_index = next((i for i, (_, line) in enumerate(lines) if _TOC_HEADING.match(line)), None)
    if toc_index is None:
        starts = _titles_without_toc(lines, hints)
        reports = [ImportedReport(position, lines[start][1], recognise(lines[start:end], hints))
                   for position, (start, end) in enumerate(zip(starts, [*starts[1:], len(lines)]), start=1)]
        return Compilation(reports[0].title, reports, removals)

    compilation_title = lines[0][1]
    titles = []
    cursor = toc_index + 1
    while cursor < len(lines) and (match := _TOC_ENTRY.match(lines[cursor][1])):
        titles.append(match["title"])
        cursor += 1
    if not titles:
        raise ImportError_(f"第 {lines[toc_index][0]} 行有“目录”，但其后没有“1.标题”形式的条目。")

    starts = []
    for title in titles:
        found = next((i for i in range(cursor, len(lines)) if lines[i][1] == title), None)
        if found is None:
            raise ImportError_(f"目录中的标题“{title}”在正文中找不到独占一行的同名标题。")
        starts.append(found)
        cursor = found + 1
    reports = []
    for position, (start, end) in enumerate(zip(starts, [*starts[1:], len(lines)]), start=1):
        reports.append(ImportedReport(position, lines[start][1], recognise(lines[start:end], hints)))
    return Compilation(compilation_title, reports, removals)


# --------------------------------------------------------------------------- headings


def _split_run_in(text: str) -> tuple[str, str]:
    """Split "（一）标题。正文…" into heading and body at the first 。 (if short enough)."""
    end = text.find("。")
    if 0 < end < MAX_HEADING_CHARS and end + 1 < len(text):
        return text[: end + 1], text[end + 1:]
    return text, ""


def recognise(lines: Sequence[tuple[int, str]], hints: dict[int, int] | None = None) -> list[Block]:
    """Classify the lines of one report: its title, part headings and paragraphs.

    Numbering (一、 / （一） / 1、) decides a heading's level; a line the input
    itself marks as a heading (*hints*: Word heading styles, bold, Markdown #)
    without numbering takes the level the input gives it.
    """
    hints = hints or {}
    (title_line, title), *rest = lines
    blocks = [Block("title", title, title_line)]
    kinds = {1: "h2", 2: "h3", 3: "h4"}
    for line_no, text in rest:
        number = numbering.parse_number(text)
        if number is None:
            hint = hints.get(line_no)
            if hint is not None and len(text) <= MAX_HEADING_CHARS:
                blocks.append(Block({0: "h2", 1: "h2", 2: "h2", 3: "h3"}.get(hint, "h4"), text, line_no))
            else:
                blocks.append(Block("para", text, line_no))
            continue
        heading, body = _split_run_in(text)
        if len(heading) > MAX_HEADING_CHARS or (number.level == 3 and body):
            # A long numbered line, or "1、…。…" inside a paragraph list: text, not a heading.
            blocks.append(Block("para", text, line_no))
            continue
        blocks.append(Block(kinds[number.level], heading, line_no))
        if body:
            blocks.append(Block("para", body, line_no))
    return blocks


# --------------------------------------------------------------------------- metadata

_UNIT_RULES_TITLE = (
    ("国有企业", "国有企业"),
    ("国企", "国有企业"),
    ("党委（党组）", "党委（党组）"),
    ("机关", "机关"),
    ("乡镇", "乡镇"),
    ("社区", "社区"),
    ("学校", "学校"),
)
_UNIT_RULES_BODY = (
    ("我镇", "乡镇"),
    ("我乡", "乡镇"),
    ("公司", "国有企业"),
    ("机关党建", "机关"),
    ("我单位", "机关"),
    ("社区", "社区"),
)
_ROLE = re.compile(r"(党委（党组）书记|党组织书记|党支部书记|党总支书记|党委书记|党组书记)")


def guess_metadata(report: ImportedReport, source: str) -> None:
    """Fill *report.metadata*; keys whose value is inferred go into *report.guessed*."""
    body = report.body_text()
    meta: dict[str, str | int] = {"title": report.title}
    if match := re.search(r"(20\d{2})年", report.title) or re.search(r"(20\d{2})年", body):
        meta["year"] = int(match.group(1))
    else:
        meta["year"] = 0
        report.guessed.append("year")
    unit = next((kind for word, kind in _UNIT_RULES_TITLE if word in report.title), None)
    if unit is None:
        unit = next((kind for word, kind in _UNIT_RULES_BODY if word in body), "其他")
        report.guessed.append("unit_kind")
    meta["unit_kind"] = unit
    if match := _ROLE.search(report.title):
        meta["reporter"] = match.group(1)
    else:
        match = _ROLE.search(body)
        meta["reporter"] = match.group(1) if match else "党组织书记"
        report.guessed.append("reporter")
    meta["position"] = report.position
    meta["source"] = source
    report.metadata = meta


# --------------------------------------------------------------------------- MyST output

#: ASCII punctuation that MyST (CommonMark plus its extensions) may interpret inline.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~$#{}!])")
#: Block syntax at the start of a line: lists, quotes, comments, fences, targets.
_LINE_START = re.compile(r"^(?:[-+=:%>(]|[0-9]+(?=[.)]))")


def escape(text: str) -> str:
    """Escape *text* so that MyST renders it literally."""
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    if match := _LINE_START.match(text):
        if match.group(0).isdigit():
            digits = match.group(0)
            return digits + "\\" + text[len(digits):]
        return "\\" + text
    return text


def _yaml_scalar(value: str | int) -> str:
    if isinstance(value, int):
        return str(value)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(report: ImportedReport) -> str:
    """The MyST page for *report*."""
    out = ["---"]
    for key, value in report.metadata.items():
        comment = "  # 导入时推断，请核实" if key in report.guessed else ""
        out.append(f"{key}: {_yaml_scalar(value)}{comment}")
    out.append("---")
    out.append("")
    prefixes = {"title": "# ", "h2": "## ", "h3": "### ", "h4": "#### ", "para": ""}
    for block in report.blocks:
        out.append(prefixes[block.kind] + escape(block.text))
        out.append("")
    return "\n".join(out)


def rendered_text(markdown: str) -> list[str]:
    """The text blocks MyST sees in *markdown*: headings and paragraphs, markup-free.

    Uses MyST's own parser, so anything it would interpret (emphasis, HTML,
    roles, links) shows up as a difference.
    """
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    parser = create_md_parser(MdParserConfig(), RendererHTML)
    texts = []
    for token in parser.parse(markdown):
        if token.type != "inline":
            continue
        parts = []
        for child in token.children or []:
            if child.type == "text":
                parts.append(child.content)
            else:
                parts.append(f"\x00{child.type}\x00")  # never equal to the source text
        texts.append("".join(parts))
    return texts


def check_fidelity(report: ImportedReport, markdown: str) -> None:
    """Raise unless MyST will render exactly the text of *report*'s blocks."""
    expected = [block.text for block in report.blocks]
    actual = rendered_text(markdown)
    if actual != expected:
        for index, (want, got) in enumerate(zip(expected, actual)):
            if want != got:
                line = report.blocks[index].line
                raise ImportError_(
                    f"第 {line} 行：转换后的文字与原文不一致（原文“{want[:40]}…”，"
                    f"转换后“{got[:40]}…”）。未写入任何文件。"
                )
        raise ImportError_(f"转换后有 {len(actual)} 个段落，原文有 {len(expected)} 个。未写入任何文件。")


# --------------------------------------------------------------------------- writing

_SLUGS = {"乡镇": "xiangzhen", "机关": "jiguan", "国有企业": "guoqi", "党委（党组）": "dangwei",
          "社区": "shequ", "学校": "xuexiao", "村": "cun"}

YEAR_INDEX = """\
# {year}年度

{year}年度的述职报告。本页的目录自动列出 `reports/{year}/` 下的全部报告，按文件名排序。

```{{toctree}}
:glob:
:titlesonly:

*
```
"""


def file_name(position: int, unit_kind: str) -> str:
    """``NN-<slug>.md``: the file name of the report at *position* of a year."""
    return f"{position:02d}-{_SLUGS.get(unit_kind, 'baogao')}.md"


def page_name(report: ImportedReport) -> str:
    return file_name(report.position, str(report.metadata.get("unit_kind")))


def import_compilation(
    source_path: Path,
    out_dir: Path,
    *,
    patterns: Sequence[str] = watermarks.DEFAULT_PATTERNS,
    source_label: str | None = None,
) -> tuple[Compilation, dict[Path, str]]:
    """Import *source_path*; return the compilation and the pages to write (path → text)."""
    try:
        text, hints = sources.read(source_path)
    except sources.SourceError as error:
        raise ImportError_(str(error)) from None
    compilation = split_compilation(text, patterns, hints)
    pages: dict[Path, str] = {}
    label = source_label or source_path.name
    for report in compilation.reports:
        source = f"《{compilation.title}》第{report.position}篇（{label}），已去除分享网站水印"
        guess_metadata(report, source)
        markdown = render(report)
        check_fidelity(report, markdown)
        year_dir = out_dir / str(report.metadata["year"])
        pages[year_dir / page_name(report)] = markdown
        index = year_dir / "index.md"
        if not index.exists():
            pages[index] = YEAR_INDEX.format(year=report.metadata["year"])
    return compilation, pages
