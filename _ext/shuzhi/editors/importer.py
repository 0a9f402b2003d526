"""Turn a compilation of reports (text, Markdown, Word) into MyST pages under ``reports/``.

The importer is deliberately conservative:

- it removes only the watermark patterns it was given, invisible control characters and a
  sharing site's navigation line, and reports every removal;
- every other line of the input ends up in a page (or is named as the compilation's
  title, its count line, its 目录, or a preface written where the editor says): a line it
  cannot place makes it refuse, naming the line;
- it escapes everything MyST would otherwise interpret, and refuses to write anything
  unless the text MyST will show equals the input minus the reported removals, compared
  with the whole source document (for Word: the text stored in the file, tables and
  footnotes included), not with what the reader kept.

Splitting, recognising headings and guessing metadata are pure; planning and writing
(:mod:`shuzhi.editors.importplan`) never replace an existing file unless asked to.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..report import controls, numbering, watermarks
from . import input_files as sources

#: A 目录 heading: "目录", "目 录", "目  录".
_TOC_HEADING = re.compile(r"^\s*目\s*录\s*$")
#: A 目录 entry: "1.2023年…述职报告", optionally with a page number after a leader ("……3").
_TOC_ENTRY = re.compile(r"^\s*[0-9０-９]{1,3}\s*[.．、]\s*(?P<title>\S.*?)\s*$")
_PAGE_NUMBER = re.compile(r"\s*(?:[.．。…·•\-—_ ]{2,}|\s+)[0-9０-９]{1,4}\s*$")
#: The count line of a compilation: "（5篇）", "共5篇".
_COUNT = re.compile(r"^[（(]?\s*共?\s*(?P<n>[0-9０-９]+|[一二三四五六七八九十]+)\s*篇\s*[）)]?$")
#: A sharing site's navigation line: "当前位置：首页 > 范文 > 述职报告", "首页 › 工作总结".
_SITE_LABEL = re.compile(r"^(?:当前位置[:：]|您的位置[:：])|^首页\s*[>›»/]|(?:\S+\s*[>›»]\s*){2,}\S+$")
#: A page number line of text copied from a PDF.
_PAGE_LINE = re.compile(r"^(?:第\s*[0-9]+\s*页(?:\s*[,，/]?\s*共\s*[0-9]+\s*页)?|[-—–]\s*[0-9]+\s*[-—–]|[0-9]+\s*/\s*[0-9]+)$")
#: Longest line that can still be a heading rather than a paragraph.
MAX_HEADING_CHARS = 60
#: Longest line that can be a report's title.
MAX_TITLE_CHARS = 60
#: Characters that end a sentence (for the plan's sentence count).
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]+[”’」』）)]*|[^。！？!?]+$")


class ImportError_(Exception):
    """The input cannot be imported faithfully; the message says why."""


@dataclass
class Block:
    kind: str  # "title", "h2" … "h6", "para", "table" or "footnote"
    text: str
    line: int  # 1-based line of the input it came from
    lines: list[int] = field(default_factory=list)  # every input line joined into it
    rows: list[list[str]] = field(default_factory=list)  # a table's cells
    label: str = ""  # a footnote's label

    def __post_init__(self) -> None:
        if not self.lines:
            self.lines = [self.line]


@dataclass
class ImportedReport:
    position: int
    title: str
    blocks: list[Block]
    metadata: dict[str, str | int] = field(default_factory=dict)
    guessed: list[str] = field(default_factory=list)
    original_title: tuple[int, str] | None = None  # a title line replaced by --title

    def body_text(self) -> str:
        return "\n".join(block.text for block in self.blocks)

    def lines(self) -> list[int]:
        found = [line for block in self.blocks if block.kind != "footnote" for line in block.lines if line > 0]
        if self.original_title:
            found.append(self.original_title[0])
        return sorted(set(found))

    def sentences(self) -> int:
        return sum(len([part for part in _SENTENCE.findall(block.text) if part.strip()])
                   for block in self.blocks if block.kind in ("para", "footnote"))


@dataclass
class Compilation:
    title: str
    reports: list[ImportedReport]
    removals: list[watermarks.Removal]
    #: lines that are in no page, with what they are ("目录条目"…)
    accounted: dict[int, str] = field(default_factory=dict)
    #: lines that belong to no report (an 编者按, a 说明): they need --preface
    preface: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the editor should know
    source: sources.Source | None = None
    line_count: int = 0


@dataclass
class Options:
    """What the editor may state instead of letting the importer guess."""

    year: int | None = None
    unit_kind: str | None = None
    title: str | None = None
    position: int | None = None
    preface: bool = False


# --------------------------------------------------------------------------- lines


def line_ranges(lines: Sequence[int]) -> str:
    """"第 3、5—7 行" for the line numbers *lines*."""
    numbers = sorted(set(lines))
    groups: list[list[int]] = []
    for number in numbers:
        if groups and number == groups[-1][-1] + 1:
            groups[-1].append(number)
        else:
            groups.append([number])
    return "第 " + "、".join(str(g[0]) if len(g) == 1 else f"{g[0]}—{g[-1]}" for g in groups) + " 行"


def _numbered_lines(text: str) -> list[tuple[int, str]]:
    return [(number, line.strip()) for number, line in enumerate(text.split("\n"), start=1)]


#: A line that reads as a report's title.
_TITLE_LIKE = re.compile(r"(?:报告|总结|述职|汇报)(?:[（(][^）)]{1,12}[）)])?$")
_DIGIT_START = re.compile(r"^[0-9０-９]+\s*[.．、)）]")


def is_title(line: str) -> bool:
    """Whether *line* can be a report's title: short, not a numbered heading, not a sentence."""
    return (0 < len(line) <= MAX_TITLE_CHARS and sources.TABLE_MARK not in line and numbering.parse_number(line) is None
            and not _DIGIT_START.match(line) and "。" not in line.rstrip("。")
            and not line.endswith(("。", "，", "；", "：", ":", ";", ",")))


def title_like(line: str) -> bool:
    return is_title(line) and bool(_TITLE_LIKE.search(line))


def _cn_count(text: str) -> int:
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return int(text) if text.isdigit() else numbering.cn_to_int(text)


# --------------------------------------------------------------------------- splitting


def _strip_page_number(title: str) -> tuple[str, bool]:
    stripped = _PAGE_NUMBER.sub("", title)
    return (stripped, True) if stripped != title and stripped else (title, False)


def _toc_split(lines, toc_index, hints, comp: Compilation) -> list[tuple[int, int]]:
    """Report ranges (start, end) by the 目录; accounts for the lines around it."""
    comp.title = lines[0][1]
    comp.accounted[lines[0][0]] = "汇编标题"
    for number, text in lines[1:toc_index]:
        if (match := _COUNT.match(text)) is not None:
            comp.accounted[number] = f"篇数说明（{match['n']}篇）"
        else:
            comp.preface.append((number, text))
    comp.accounted[lines[toc_index][0]] = "目录"
    entries: list[tuple[int, str]] = []
    cursor = toc_index + 1
    while cursor < len(lines) and (match := _TOC_ENTRY.match(lines[cursor][1])):
        title, paged = _strip_page_number(match["title"])
        if paged:
            comp.notes.append(f"第 {lines[cursor][0]} 行：目录条目末尾的页码已去掉（“{match['title']}”→“{title}”）。")
        entries.append((lines[cursor][0], title))
        comp.accounted[lines[cursor][0]] = "目录条目"
        cursor += 1
    if not entries:
        raise ImportError_(f"第 {lines[toc_index][0]} 行有“目录”，但其后没有“1.标题”形式的条目。"
                           "请检查目录，或删去“目录”一行后按标题拆分。")
    starts = []
    for entry_line, title in entries:
        found = next((i for i in range(cursor, len(lines)) if lines[i][1] == title), None)
        if found is None:
            scored = [(difflib.SequenceMatcher(None, title, lines[i][1]).ratio(), lines[i])
                      for i in range(cursor, len(lines)) if is_title(lines[i][1])]
            best = max(scored, default=(0.0, None), key=lambda item: item[0])
            close = best[1] if best[0] >= 0.6 else None
            hint = (f"最接近的是第 {close[0]} 行“{close[1][:40]}”，请让两处写法一致。" if close
                    else "请检查标题在正文中是否单独成行、与目录写法一致。")
            raise ImportError_(f"第 {entry_line} 行：目录中的标题“{title}”在正文中找不到独占一行的同名标题。{hint}")
        starts.append(found)
        cursor = found + 1
    first_body = toc_index + 1 + len(entries)
    comp.preface += [(number, text) for number, text in lines[first_body:starts[0]]]
    return list(zip(starts, [*starts[1:], len(lines)]))


def _plain_split(lines, hints, comp: Compilation, options: Options) -> tuple[list[tuple[int, int]], set[int]]:
    """Report ranges by their titles (Word title style, or lines that read as titles)."""
    def starts_report(i: int) -> bool:
        number, text = lines[i]
        return (hints.get(number) == 1 and is_title(text)) or title_like(text)

    candidates = [i for i in range(len(lines)) if starts_report(i)]
    # An outline: title lines one after another with no text of their own, each naming a
    # report that follows (a 目录 without the word), perhaps under the compilation's title.
    # Its lines are accounted as 目录 entries.
    outline: list[int] = []
    if candidates:
        run = [candidates[0]]
        for i in candidates[1:]:
            if i != run[-1] + 1:
                break
            run.append(i)

        def again(i: int) -> bool:
            return any(lines[c][1] == lines[i][1] for c in candidates if c > i)

        entries = run
        if len(run) > 2 and run[0] == 0 and not again(run[0]) and again(run[1]):
            entries = run[1:]
        for i in entries:
            if not again(i):
                break
            outline.append(i)
        if len(outline) >= 2:
            if entries is not run:
                comp.title = lines[0][1]
                comp.accounted[lines[0][0]] = "汇编标题"
        else:
            outline = []
    for i in outline:
        comp.accounted[lines[i][0]] = "篇目列表（没有“目录”二字的目录）"
    starts = [i for i in candidates if i not in outline and lines[i][0] not in comp.accounted]
    # A repeated title line (a page header of a flattened PDF, or the title printed twice)
    # is not a new report: it is accounted to the report of that title.
    seen: dict[str, int] = {}
    kept = []
    for i in starts:
        text = lines[i][1]
        if text in seen:
            comp.accounted[lines[i][0]] = f"与第 {seen[text]} 行重复的标题行"
            continue
        seen[text] = lines[i][0]
        kept.append(i)
    # A title line right after another (a subtitle) belongs to the report above.
    starts = [i for index, i in enumerate(kept) if index == 0 or kept[index - 1] != i - 1]
    first = outline[-1] + 1 if outline else 0
    while first < len(lines) and lines[first][0] in comp.accounted:
        first += 1
    if not starts:
        starts = [first]
    elif starts[0] > first:
        lead_number, lead = lines[first]
        if _PREFACE_START.match(lead) or not is_title(lead):
            comp.preface += [item for item in lines[first:starts[0]] if item[0] not in comp.accounted]
        else:
            starts.insert(0, first)  # a title that does not say 述职报告
    skip = set(comp.accounted)
    return [(start, end) for start, end in zip(starts, [*starts[1:], len(lines)]) if start < end], skip


#: A line that opens an editor's note of a compilation.
_PREFACE_START = re.compile(r"^(?:编者按|编者的话|编辑说明|说明|前言|导读|按语)\s*[:：]?")


def split_compilation(text_or_source, patterns: Sequence[str] = watermarks.DEFAULT_PATTERNS,
                      hints: dict[int, int] | None = None, options: Options | None = None) -> Compilation:
    """Split a compilation into reports by its 目录, or by its titles."""
    options = options or Options()
    if isinstance(text_or_source, sources.Source):
        source = text_or_source
    else:
        source = sources.Source(text_or_source, hints or {})
    hints = source.hints
    text = source.text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    # Invisible control characters (pasted from Word or the web) are removed and reported like
    # watermarks, before anything else looks at the text (U+2028 would split a line).
    invisible = [watermarks.Removal(line, column, f"U+{ord(char):04X}", "控制字符")
                 for line, column, char in controls.positions(text)]
    clean, removals = watermarks.strip(controls.strip(text), patterns)
    removals = sorted([*invisible, *removals])
    raw_lines = clean.split("\n")
    lines = [(number, line) for number, line in _numbered_lines(clean) if line]
    comp = Compilation("", [], removals, source=source, line_count=len(raw_lines))
    if not lines:
        raise ImportError_("输入为空：没有可导入的文字。")
    # Page numbers of a flattened PDF ("第 2 页", "- 2 -", "2/10") are not text.
    kept_lines = []
    for number, line in lines:
        if _PAGE_LINE.match(line):
            removals.append(watermarks.Removal(number, 1, line, "页码"))
        else:
            kept_lines.append((number, line))
    lines = kept_lines
    if not lines:
        raise ImportError_(f"{line_ranges([removal.line for removal in removals])}只有页码、水印或控制字符，"
                           "没有可导入的文字。")
    # A sharing site's navigation line before the first title.
    while len(lines) > 1 and _SITE_LABEL.search(lines[0][1]):
        number, label = lines.pop(0)
        comp.removals.append(watermarks.Removal(number, 1, label, "网站导航"))
    comp.removals.sort()

    toc_index = next((i for i, (_, line) in enumerate(lines) if _TOC_HEADING.match(line)), None)
    if toc_index is not None:
        ranges = _toc_split(lines, toc_index, hints, comp)
        skip: set[int] = set()
    else:
        ranges, skip = _plain_split(lines, hints, comp, options)
    wrap = wrap_width(raw_lines)
    if wrap:
        comp.notes.append(f"输入像是从 PDF 复制的定宽文字（每行约 {wrap} 字）：断开的行已接成段落。")
    if not ranges:
        listed = sorted({*comp.accounted, *(number for number, _ in comp.preface)})
        raise ImportError_(f"没有找到任何一篇报告的正文（{line_ranges(listed)}是汇编标题、目录或说明）。"
                           "请检查文件是否完整。" if listed else "没有找到任何一篇报告的正文。")
    for position, (start, end) in enumerate(ranges, start=1):
        chunk = [item for item in lines[start:end] if item[0] not in skip]
        if not chunk:
            continue
        title_given = options.title is not None and len(ranges) == 1
        if title_given:
            first_number, first_text = chunk[0]
            if is_title(first_text) and (title_like(first_text) or hints.get(first_number) == 1):
                report_lines = [(first_number, options.title), *chunk[1:]]
                original = (first_number, first_text) if first_text != options.title else None
            else:
                report_lines = [(0, options.title), *chunk]
                original = None
        else:
            first_number, first_text = chunk[0]
            if not is_title(first_text):
                raise ImportError_(
                    f"第 {first_number} 行应是报告标题，但它{_why_not_title(first_text)}。"
                    "请用 --title 写出这篇报告的标题（原来的各行都保留为正文），或在文件中给报告加一行标题。")
            report_lines, original = chunk, None
        blocks = recognise(report_lines, hints, raw=raw_lines, wrap=wrap, source=source)
        report = ImportedReport(position, report_lines[0][1], blocks, original_title=original)
        if original:
            comp.accounted[original[0]] = "原标题（已换为 --title，写入 source 字段）"
        comp.reports.append(report)
    if not comp.reports:
        raise ImportError_("没有找到任何一篇报告的正文。请检查文件是否完整。")
    if not comp.title:
        comp.title = comp.reports[0].title
    return comp


def _why_not_title(text: str) -> str:
    if sources.TABLE_MARK in text:
        return "是一个表格"
    if len(text) > MAX_TITLE_CHARS:
        return f"有 {len(text)} 个字，是一段正文（标题不超过 {MAX_TITLE_CHARS} 个字）"
    if numbering.parse_number(text) is not None or _DIGIT_START.match(text):
        return "以序号开头，是一个小标题"
    return "像一句正文，不像标题"


# --------------------------------------------------------------------------- hard-wrapped text


def wrap_width(lines: Sequence[str]) -> int:
    """The line width of hard-wrapped text (copied from a PDF), or 0 when the lines are paragraphs."""
    lengths = [len(line.strip()) for line in lines if len(line.strip()) >= 10]
    if len(lengths) < 6:
        return 0
    best, best_count = 0, 0
    for width in sorted(set(lengths)):
        if width > 100:
            break
        count = sum(1 for length in lengths if width - 3 <= length <= width)
        if count > best_count or (count == best_count and width > best):
            best, best_count = width, count
    if best_count < max(5, 0.5 * len(lengths)) or best < 15:
        return 0
    # Wrapped lines end mid-sentence; paragraphs of similar length end with a full stop.
    full = [line.strip() for line in lines if best - 3 <= len(line.strip()) <= best]
    open_ended = sum(1 for line in full if not line.endswith(_SENTENCE_END))
    return best if open_ended >= 0.5 * len(full) else 0


_SENTENCE_END = ("。", "！", "？", "；", "：", "”", "）", "…")


def _continues(line: str, width: int) -> bool:
    """Whether a hard-wrapped *line* runs on into the next line."""
    return width > 0 and len(line) >= width - 3


def _join(left: str, right: str) -> str:
    if left and right and left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return left + " " + right
    return left + right


# --------------------------------------------------------------------------- headings


def _split_run_in(text: str) -> tuple[str, str]:
    """Split "（一）标题。正文…" into heading and body at the first 。 (if short enough)."""
    end = text.find("。")
    if 0 < end < MAX_HEADING_CHARS and end + 1 < len(text):
        return text[: end + 1], text[end + 1:]
    return text, ""


def recognise(lines: Sequence[tuple[int, str]], hints: dict[int, int] | None = None, *,
              raw: Sequence[str] | None = None, wrap: int = 0, source: sources.Source | None = None) -> list[Block]:
    """Classify the lines of one report: its title, part headings, paragraphs, tables, footnotes.

    Numbering (一、 / （一） / 1、 / (1)) decides a heading's level, relative to the numbered
    headings above it in its part (:func:`.numbering.heading_level`), as the guide documents
    and the checks expect; a line the input itself marks as a heading (*hints*: Word heading
    styles, bold, Markdown #) without numbering takes the level the input gives it.
    Hard-wrapped lines (*wrap* > 0) are joined into paragraphs.
    """
    hints = hints or {}
    tables = source.tables if source else {}
    (title_line, title), *rest = lines
    blocks = [Block("title", title, title_line, [title_line] if title_line else [])]
    open_levels: set[int] = set()
    footnotes: list[str] = []
    previous: Block | None = None
    for line_no, text in rest:
        if line_no in tables:
            blocks.append(Block("table", "", line_no, rows=tables[line_no]))
            previous = None
            continue
        for ref in sources.FOOTNOTE_REF.findall(text):
            if ref not in footnotes:
                footnotes.append(ref)
        number = numbering.parse_number(text)
        if (previous is not None and previous.kind == "para" and wrap and number is None
                and not title_like(text) and hints.get(line_no) is None
                and raw is not None and _continues(raw[previous.lines[-1] - 1].strip(), wrap)):
            previous.text = _join(previous.text, text)
            previous.lines.append(line_no)
            continue
        if number is None:
            hint = hints.get(line_no)
            if hint is not None and len(text) <= MAX_HEADING_CHARS:
                level = {0: 2, 1: 2, 2: 2}.get(hint, min(hint, 6))
                if level == 2:
                    open_levels.clear()
                previous = Block(f"h{level}", text, line_no)
            else:
                previous = Block("para", text, line_no)
            blocks.append(previous)
            continue
        heading, body = _split_run_in(text)
        if len(heading) > MAX_HEADING_CHARS or (number.level >= 3 and body):
            # A long numbered line, or "1、…。…" inside a paragraph list: text, not a heading.
            previous = Block("para", text, line_no)
            blocks.append(previous)
            continue
        level = numbering.heading_level(number.level, open_levels)
        if number.level == 1:
            open_levels.clear()
        else:
            open_levels.add(number.level)
            for deeper in [each for each in open_levels if each > number.level]:
                open_levels.discard(deeper)
        blocks.append(Block(f"h{level}", heading, line_no))
        previous = None
        if body:
            previous = Block("para", body, line_no)
            blocks.append(previous)
    if source is not None:
        for ref in footnotes:
            if ref in source.footnotes:
                blocks.append(Block("footnote", source.footnotes[ref], 0, [], label=ref))
    return blocks


# --------------------------------------------------------------------------- metadata

_CN_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")
_FULL_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_YEAR_ANY = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")
_YEAR_CN = re.compile(r"([〇零○Ｏ一二三四五六七八九]{4})\s*年")
_YEAR_WITH_NIAN = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*年")


def year_in(text: str, *, strict: bool = False) -> int | None:
    """The year *text* names: 2023年度, 2023年, a year run into the text, ２０２３, 二〇二三年.

    *strict* (for body text): only a year followed by 年.
    """
    text = text.translate(_FULL_DIGITS)
    if match := _YEAR_CN.search(text):
        value = int(match.group(1).translate(_CN_DIGITS))
        if 1949 <= value <= 2100:
            return value
    match = (_YEAR_WITH_NIAN if strict else _YEAR_ANY).search(text)
    return int(match.group(1)) if match else None


#: Unit kinds recognised in a title or a reporter line, in order of precedence.
UNIT_RULES: tuple[tuple[str, str], ...] = (
    (r"国有企业|国企|国资", "国有企业"),
    (r"党委（党组）|党组(?!织)", "党委（党组）"),
    (r"街道|党工委", "街道"),
    (r"乡镇|[乡镇]党委|[乡镇]人民政府|^[^，。]{0,10}[乡镇](?:党|$)", "乡镇"),
    (r"社区", "社区"),
    (r"(?<![农乡])村(?:党|“两委”|两委|委|级|$)|村党组织", "村"),
    (r"医院|卫生院|卫生服务中心|妇幼保健", "医院"),
    (r"学校|中学|小学|大学|学院|幼儿园|职校|中专", "学校"),
    (r"非公|民营|私营|个体", "非公企业"),
    (r"协会|商会|学会|社会组织|联合会", "社会组织"),
    (r"事业单位|中心党", "事业单位"),
    (r"机关|(?<!格)局|委员会|办公室|[^党]委(?:党|机关)", "机关"),
)
#: How a report speaks of its own unit ("我镇"), for reports whose title and reporter line say nothing.
UNIT_RULES_BODY: tuple[tuple[str, str], ...] = (
    (r"我镇|我乡|全镇|全乡", "乡镇"),
    (r"我街道|全街道|街道党工委", "街道"),
    (r"我村|全村", "村"),
    (r"我社区|全社区", "社区"),
    (r"我院|全院", "医院"),
    (r"我校|全校", "学校"),
    (r"我公司|公司党委|集团党委", "国有企业"),
    (r"机关党建|我单位|我局|我委|机关党委", "机关"),
)
_ROLE = re.compile(r"(党委（党组）书记|党组织书记|党支部书记|党总支书记|党工委书记|党委书记|党组书记)")
_REPORTER_LINE = re.compile(r"书记|述职人|汇报人|报告人")


def unit_kind_in(text: str) -> str | None:
    return next((kind for pattern, kind in UNIT_RULES if re.search(pattern, text)), None)


def _reporter_line(report: ImportedReport) -> str | None:
    """The short line under the title naming who reports ("**街道党工委书记 张三")."""
    for block in report.blocks[1:4]:
        if block.kind == "para" and len(block.text) <= 40 and _REPORTER_LINE.search(block.text) and "。" not in block.text:
            return block.text
    return None


def guess_metadata(report: ImportedReport, source: str, options: Options | None = None) -> None:
    """Fill *report.metadata*; keys whose value is inferred go into *report.guessed*."""
    options = options or Options()
    body = report.body_text()
    meta: dict[str, str | int] = {"title": report.title}
    if options.year is not None:
        meta["year"] = options.year
    elif (year := year_in(report.title)) is not None:
        meta["year"] = year
    elif (year := year_in(body, strict=True)) is not None:
        meta["year"] = year
        report.guessed.append("year")
    else:
        raise ImportError_(f"第 {report.blocks[0].line} 行的报告“{report.title}”：标题和正文中都找不到年度。"
                           "请用 --year 指定年度，例如 --year 2023。")
    reporter_line = _reporter_line(report)
    if options.unit_kind is not None:
        unit = options.unit_kind
    elif (unit := unit_kind_in(report.title)) is None:
        unit = unit_kind_in(reporter_line) if reporter_line else None
        if unit is None:
            counts = {kind: len(re.findall(pattern, body)) for pattern, kind in UNIT_RULES_BODY}
            best = max(counts.items(), key=lambda item: item[1])
            unit = best[0] if best[1] else "其他"
        report.guessed.append("unit_kind")
    meta["unit_kind"] = unit
    if match := _ROLE.search(report.title):
        meta["reporter"] = match.group(1)
    else:
        match = _ROLE.search(reporter_line or "") or _ROLE.search(body)
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


def _inline(text: str) -> str:
    """*text* escaped, its footnote references written as MyST footnote references."""
    parts = sources.FOOTNOTE_REF.split(text)
    out = []
    for index, part in enumerate(parts):
        out.append(escape(part) if index % 2 == 0 else f"[^{part}]")
    return "".join(out)


def _yaml_scalar(value: str | int) -> str:
    if isinstance(value, int):
        return str(value)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _cell(text: str) -> str:
    return escape(text).replace("\n", " ") if text else " "


def table_lines(rows: list[list[str]]) -> list[str]:
    """A MyST (GitHub-style) table of *rows*; the first row is its header."""
    header, *rest = rows
    out = ["| " + " | ".join(_cell(cell) for cell in header) + " |", "|" + "---|" * len(header)]
    return out + ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rest]


def render(report: ImportedReport) -> str:
    """The MyST page for *report*."""
    out = ["---"]
    for key, value in report.metadata.items():
        comment = "  # 导入时推断，请核实" if key in report.guessed else ""
        out.append(f"{key}: {_yaml_scalar(value)}{comment}")
    out.append("---")
    out.append("")
    for block in report.blocks:
        if block.kind == "table":
            out += table_lines(block.rows)
        elif block.kind == "footnote":
            out.append(f"[^{block.label}]: {_inline(block.text) if block.text else escape('（空脚注）')}")
        elif block.kind == "para":
            out.append(_inline(block.text))
        else:
            level = 1 if block.kind == "title" else int(block.kind[1:])
            out.append("#" * level + " " + _inline(block.text))
        out.append("")
    return "\n".join(out)


def rendered_text(markdown: str) -> list[str]:
    """The text blocks MyST sees in *markdown*: headings, paragraphs, table cells, markup-free.

    Uses MyST's own parser, so anything it would interpret (emphasis, HTML,
    roles, links) shows up as a difference. A footnote reference is shown as
    the importer's marker for it.
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
            elif child.type == "footnote_ref":
                parts.append(f"{sources.FOOTNOTE_OPEN}{child.meta.get('label')}{sources.FOOTNOTE_CLOSE}")
            else:
                parts.append(f"\x00{child.type}\x00")  # never equal to the source text
        texts.append("".join(parts))
    return texts


def _expected_texts(report: ImportedReport) -> list[tuple[str, int]]:
    expected = []
    for block in report.blocks:
        if block.kind == "table":
            expected += [(cell, block.line) for row in block.rows for cell in row]
        elif block.kind == "footnote" and not block.text:
            expected.append(("（空脚注）", 0))
        else:
            expected.append((block.text, block.line))
    return expected


def check_fidelity(report: ImportedReport, markdown: str) -> None:
    """Raise unless MyST will render exactly the text of *report*'s blocks."""
    expected = [(text, line) for text, line in _expected_texts(report) if text.strip()]
    actual = [text for text in rendered_text(markdown) if text.strip()]
    for (want, line), got in zip(expected, actual):
        if want.strip() != got.strip():
            raise ImportError_(
                f"第 {line} 行：转换后的文字与原文不一致（原文“{want[:40]}…”，"
                f"转换后“{got[:40]}…”）。未写入任何文件。"
            )
    if len(actual) != len(expected):
        raise ImportError_(f"第 {report.blocks[0].line} 行起的报告“{report.title}”：转换后有 {len(actual)} 个段落，"
                           f"原文有 {len(expected)} 个。未写入任何文件。")


_WHITE = re.compile(r"\s+")


def check_whole_source(comp: Compilation, markdowns: Sequence[str], patterns: Sequence[str],
                       preface_markdown: str | None = None) -> None:
    """Raise unless the pages show the whole source document, line by line, minus what was reported.

    The expected text is the source's own (for Word: the text stored in the file, read
    from its XML, tables and footnotes included; automatic numbering in front), not the
    lines the reader produced; the actual text is what MyST renders of the pages.
    """
    source = comp.source or sources.Source("")
    text_lines = source.text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")

    def clean(text: str) -> str:
        return _WHITE.sub("", watermarks.strip(controls.strip(text), patterns)[0])

    def expected_line(number: int) -> str:
        if source.stored is not None:
            return clean(source.numbering.get(number, "") + source.stored.get(number, ""))
        return clean(sources.FOOTNOTE_REF.sub("", text_lines[number - 1]))

    groups: list[tuple[list[int], list[str], str]] = []
    if preface_markdown is not None:
        groups.append(([number for number, _ in comp.preface], [], preface_markdown, False))
    for report, markdown in zip(comp.reports, markdowns):
        notes = [block.label for block in report.blocks if block.kind == "footnote"]
        lines = [line for line in report.lines() if not (report.original_title and line == report.original_title[0])]
        # A title the editor gave (--title) is not in the source.
        given = report.blocks[0].line == 0 or report.original_title is not None
        groups.append((lines, notes, markdown, given))
    for lines, notes, markdown, given in groups:
        want_parts = [(number, expected_line(number)) for number in lines]
        want_parts += [(0, clean(source.stored_footnotes.get(note, source.footnotes.get(note, "")) or "（空脚注）"))
                       for note in notes]
        want = "".join(part for _, part in want_parts)
        shown = rendered_text(markdown)
        got = _WHITE.sub("", sources.FOOTNOTE_REF.sub("", "".join(shown[1:] if given else shown)))
        if want == got:
            continue
        index = next((i for i, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
        offset, line = 0, lines[0] if lines else 0
        for number, part in want_parts:
            if offset + len(part) > index:
                line = number
                break
            offset += len(part)
        what = "Word 文件中的文字" if source.stored is not None else "原文"
        raise ImportError_(f"第 {line} 行：页面的文字与{what}不一致（{what}“{want[index:index + 30]}”，"
                           f"页面中是“{got[index:index + 30]}”）。未写入任何文件。")


def unaccounted(comp: Compilation) -> list[int]:
    """Non-empty lines of the input (after the reported removals) that are in no page and not explained."""
    source = comp.source or sources.Source("")
    text = source.text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    placed = {line for report in comp.reports for line in report.lines()}
    placed |= set(comp.accounted) | {number for number, _ in comp.preface}
    placed |= {removal.line for removal in comp.removals if removal.what in ("网站导航", "页码")}
    missing = []
    for number, line in enumerate(text.split("\n"), start=1):
        if number in placed:
            continue
        rest = controls.strip(line)
        for removal in comp.removals:
            if removal.line == number and removal.what in ("水印", "页码"):
                rest = rest.replace(removal.text, "", 1)
        if rest.strip():
            missing.append(number)
    return missing


def sentence_count(report: ImportedReport) -> int:
    return report.sentences()


# --------------------------------------------------------------------------- file names

#: Common short forms of unit kinds used in file names (the committed pages use them).
SHORT_FORMS = {"国有企业": "国企"}
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")

YEAR_INDEX = """\
# {year}年度

{year}年度的述职报告。本页的目录自动列出 `reports/{year}/` 下的全部报告，按文件名排序。

```{{toctree}}
:glob:
:titlesonly:

*
```
"""


def slug(unit_kind: str) -> str:
    """The pinyin of *unit_kind* for file names: 街道 → jiedao, 医院 → yiyuan, 党委（党组） → dangwei."""
    from pypinyin import Style, lazy_pinyin

    name = SHORT_FORMS.get(unit_kind, _BRACKETED.sub("", unit_kind)) or unit_kind
    letters = re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(name, style=Style.NORMAL, errors="ignore")).lower())
    return letters or "baogao"


def file_name(position: int, unit_kind: str) -> str:
    """``NN-<pinyin>.md``: the file name of the report at *position* of a year."""
    return f"{position:02d}-{slug(unit_kind)}.md"


def page_name(report: ImportedReport) -> str:
    return file_name(report.position, str(report.metadata.get("unit_kind")))


def preface_text(comp: Compilation) -> str:
    """The preface lines as MyST paragraphs (for the year's index page)."""
    tables = comp.source.tables if comp.source else {}
    return "".join(("\n".join(table_lines(tables[number])) if number in tables else _inline(text)) + "\n\n"
                   for number, text in comp.preface)


# --------------------------------------------------------------------------- reading one input


def read_compilation(source_path: Path, *, patterns: Sequence[str] = watermarks.DEFAULT_PATTERNS,
                     options: Options | None = None, convert: bool = False) -> Compilation:
    """Read and split *source_path*; raises ImportError_ with a Chinese message naming lines."""
    options = options or Options()
    try:
        source = sources.read(source_path, convert_foreign=convert)
    except sources.SourceError as error:
        raise ImportError_(str(error)) from None
    except OSError as error:
        raise ImportError_(f"{source_path}：无法读取（{error.strerror or error}）。") from None
    comp = split_compilation(source, patterns, options=options)
    if source.note:
        comp.notes.append(source.note)
    if options.title is not None and len(comp.reports) > 1:
        raise ImportError_(f"--title 只能用于一篇报告，这个文件拆出了 {len(comp.reports)} 篇。")
    if options.position is not None and len(comp.reports) > 1:
        raise ImportError_(f"--position 只能用于一篇报告，这个文件拆出了 {len(comp.reports)} 篇。")
    return comp


def import_compilation(
    source_path: Path,
    out_dir: Path,
    *,
    patterns: Sequence[str] = watermarks.DEFAULT_PATTERNS,
    source_label: str | None = None,
    options: Options | None = None,
) -> tuple[Compilation, dict[Path, str]]:
    """Import *source_path*; return the compilation and the new pages it would write (path → text).

    A thin wrapper around :func:`.importplan.make_plan` for one file.
    """
    from . import importplan

    plan = importplan.make_plan([source_path], out_dir, patterns=patterns, source_label=source_label,
                                options=options or Options())
    return plan.compilations[0], {page.path: page.text for page in plan.pages if page.action != "skip"}
