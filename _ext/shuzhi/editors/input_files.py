"""Read the files editors receive (.txt, .md, .docx) as lines of text plus heading hints.

A hint is the heading level an input states itself (a Word heading style, a
Markdown ``#``), keyed by the line number in the text returned. Numbering
(一、 / （一）) still decides levels where the input states none.

Text files are decoded as UTF-8, UTF-16 (with a byte-order mark, or recognised by
its zero bytes) or GB18030 (which includes GBK and GB2312), and the encoding is
reported; bytes that decode in none of them are refused with their position.

A Word file is read as Word shows it: the body in order (paragraphs, tables,
content controls), with automatic list numbering ("一、" that Word draws but does
not store as text) written out, tables kept as tables, text boxes and footnotes.
Besides the lines, :func:`read` returns the document's whole text as Word stores it
(every ``w:t`` of the body and the footnotes, read straight from the XML), so the
importer can prove that nothing of the document was left out.
"""

from __future__ import annotations

import codecs
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..report.numbering import int_to_cn

#: Word's built-in heading styles, in English and Chinese Word.
_HEADING_STYLE = re.compile(r"^(?:Heading|标题)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLES = {"title", "标题"}
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
#: A bold paragraph this short, without a sentence end, reads as a heading.
MAX_BOLD_HEADING = 40
#: A table's line in the text: the importer writes the table kept in :attr:`Source.tables` there.
TABLE_MARK = "\ue010"
#: A footnote reference inside a line's text: FOOTNOTE_OPEN + id + FOOTNOTE_CLOSE.
FOOTNOTE_OPEN, FOOTNOTE_CLOSE = "\ue000", "\ue001"
FOOTNOTE_REF = re.compile(f"{FOOTNOTE_OPEN}([^{FOOTNOTE_CLOSE}]*){FOOTNOTE_CLOSE}")
#: Seconds LibreOffice may take to convert one file.
CONVERT_TIMEOUT = 120


class SourceError(Exception):
    """The file cannot be read; the message says why and what to do."""


@dataclass
class Source:
    """What the importer reads from one file."""

    text: str  # one paragraph per line
    hints: dict[int, int] = field(default_factory=dict)
    encoding: str = "UTF-8"
    #: line → rows of cells, for the lines that hold a table (TABLE_MARK)
    tables: dict[int, list[list[str]]] = field(default_factory=dict)
    #: footnote id → its text
    footnotes: dict[str, str] = field(default_factory=dict)
    #: line → the automatic numbering written in front of its text ("一、")
    numbering: dict[int, str] = field(default_factory=dict)
    #: line → the text Word stores for it (XML), for the fidelity check; None for text files
    stored: dict[int, str] | None = None
    #: footnote id → the text Word stores for it (XML)
    stored_footnotes: dict[str, str] = field(default_factory=dict)
    #: a note for the editor about how the file was read (conversion), or ""
    note: str = ""


# --------------------------------------------------------------------------- text files



def _position(data: bytes, offset: int) -> str:
    line = data[:offset].count(b"\n") + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return f"第 {line} 行第 {column} 个字节（文件中的第 {offset + 1} 个字节，{data[offset:offset + 4].hex(' ')}）"


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """The text of *data* and the name of its encoding; SourceError naming the first bad byte."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", "UTF-8（带 BOM）")]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", "UTF-16")]
    else:
        candidates = [("utf-8", "UTF-8")]
        # UTF-16 without a byte-order mark: line breaks (and ASCII) are a byte and a zero byte
        # at even offsets, in one order or the other; GBK text has no zero bytes.
        pairs = [data[index:index + 2] for index in range(0, len(data) - 1, 2)]
        little = sum(1 for pair in pairs if pair in (b"\n\x00", b"\r\x00"))
        big = sum(1 for pair in pairs if pair in (b"\x00\n", b"\x00\r"))
        if len(data) % 2 == 0 and (little or big) and max(little, big) > 4 * min(little, big):
            candidates.append(("utf-16-le", "UTF-16LE") if little > big else ("utf-16-be", "UTF-16BE"))
        candidates.append(("gb18030", "GB18030（GBK）"))
    furthest: tuple[int, str] | None = None
    if candidates[0][0] == "utf-8":
        # UTF-8 text with a few broken bytes is not GBK: GB18030 would decode it into nonsense.
        # (GBK text read as UTF-8 breaks on nearly every Chinese character.)
        loose = data.decode("utf-8", errors="replace")
        broken = loose.count("\ufffd")
        if 0 < broken <= max(3, len(loose) // 200) and sum(1 for char in loose if ord(char) > 0x7F) > 4 * broken:
            candidates = [("utf-8", "UTF-8")]
    for codec, name in candidates:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as error:
            if furthest is None or error.start > furthest[0]:
                furthest = (error.start, name)
            continue
        if "\x00" in text:
            offset = text.index("\x00")
            raise SourceError(f"{path}：按 {name} 读取后第 {text[:offset].count(chr(10)) + 1} 行有 NUL 字符，"
                              "可能是二进制文件。请把正文另存为文本文件后重试。")
        return text, name
    offset, name = furthest
    tried = "、".join(name for _, name in candidates)
    raise SourceError(f"{path}：无法解码（试过 {tried}）：{_position(data, offset)}不是 {name} 文字。"
                      "请在原来的程序中把它另存为 UTF-8 文本后重试；如果这里是乱码，请先改正这一处。")


#: Files the importer cannot read, by signature or suffix, and what they are.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FOREIGN_SUFFIXES = {".doc": "旧版 Word 文档（.doc）", ".wps": "WPS 文字文档（.wps）", ".pdf": "PDF 文件",
                     ".rtf": "RTF 文档", ".odt": "OpenDocument 文档（.odt）", ".wpt": "WPS 模板", ".dot": "Word 模板"}


def foreign_kind(path: Path, head: bytes) -> str | None:
    """What *path* is when it is a document the importer does not read itself, else None."""
    suffix = path.suffix.lower()
    if suffix in _FOREIGN_SUFFIXES:
        return _FOREIGN_SUFFIXES[suffix]
    if head.startswith(_OLE):
        return "旧版 Word 或 WPS 文档（OLE 格式）"
    if head.startswith(b"%PDF"):
        return "PDF 文件"
    if head.startswith(b"{\\rtf"):
        return "RTF 文档"
    return None


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_command(path: Path, outdir: str = "<目录>") -> list[str]:
    return [soffice() or "soffice", "--headless", "--convert-to", "docx", "--outdir", str(outdir), str(path)]


def foreign_message(path: Path, kind: str) -> str:
    if kind == "PDF 文件":
        advice = ("请在 WPS 或 Word 中打开原始的 Word 文件另存为 .docx；只有 PDF 时，复制全部文字粘贴到记事本，"
                  "另存为 .txt 后导入（导入工具会把 PDF 断开的行接成段落）")
    else:
        advice = "请在 Word 或 WPS 中打开，另存为 .docx（Word 文档）后导入"
    if soffice():
        advice += (f"；本机已安装 LibreOffice，也可以加 --convert 让导入工具自动转换"
                   f"（即 {' '.join(convert_command(path))}，限时 {CONVERT_TIMEOUT} 秒）")
    return f"{path}：这是{kind}，导入工具只能读取 .docx、.txt 和 .md 文件。{advice}。"


def convert(path: Path, workdir: Path) -> Path:
    """*path* converted to .docx by LibreOffice (headless, with a timeout), in *workdir*."""
    program = soffice()
    if program is None:
        raise SourceError(f"{path}：没有找到 LibreOffice（soffice），无法自动转换。请在 Word 或 WPS 中另存为 .docx。")
    try:
        result = subprocess.run(convert_command(path, str(workdir)), capture_output=True, text=True,
                                timeout=CONVERT_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise SourceError(f"{path}：LibreOffice 在 {CONVERT_TIMEOUT} 秒内没有完成转换，已停止。"
                          "请在 Word 或 WPS 中另存为 .docx。") from None
    target = workdir / (path.stem + ".docx")
    if result.returncode != 0 or not target.is_file():
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise SourceError(f"{path}：LibreOffice 转换失败（{detail[-1] if detail else f'退出码 {result.returncode}'}）。"
                          "请在 Word 或 WPS 中另存为 .docx。")
    return target


def read(path: Path, *, convert_foreign: bool = False) -> Source:
    """Text of *path* (one paragraph per line), heading hints and what else the importer needs.

    Hints map a line number to a Markdown heading level: 1 the title, 2 a part
    (一、), 3 a sub-part (（一）), 4 below; 0 a heading whose level is unknown.
    """
    suffix = path.suffix.lower()
    with path.open("rb") as file:
        head = file.read(8)
    kind = foreign_kind(path, head)
    if kind is not None:
        if not convert_foreign:
            raise SourceError(foreign_message(path, kind))
        with tempfile.TemporaryDirectory(prefix="shuzhi-convert-") as workdir:
            source = _read_docx(convert(path, Path(workdir)))
        source.note = f"已用 LibreOffice 把{kind}转换为 .docx 后读取，请核对导入结果"
        return source
    if suffix == ".docx" or head.startswith(b"PK\x03\x04"):
        return _read_docx(path)
    text, encoding = decode(path.read_bytes(), path)
    if suffix in (".md", ".markdown"):
        text, hints = _read_markdown(text)
        return Source(text, hints, encoding)
    return Source(text, {}, encoding)


def _read_markdown(text: str) -> tuple[str, dict[int, int]]:
    hints = {}
    lines = text.replace("\r\n", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if match := _MD_HEADING.match(line):
            hints[number] = len(match.group(1))
            lines[number - 1] = match.group(2)
    return "\n".join(lines), hints


# --------------------------------------------------------------------------- Word

#: A .docx is a zip: what it may unpack to. A report is a few hundred KB; this leaves room
#: for pictures and refuses a "zip bomb" before python-docx inflates it.
DOCX_MAX_ENTRIES = 2_000
DOCX_MAX_BYTES = 200 * 1024 * 1024

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _check_package(path: Path) -> None:
    """Refuse a .docx whose zip holds too many entries or unpacks too large.

    The sizes checked are the ones the zip declares; :mod:`zipfile` never inflates an entry
    beyond its declared size, so they bound what python-docx can read.
    """
    try:
        with zipfile.ZipFile(path) as package:
            entries = package.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise SourceError(f"{path}：无法作为 Word 文档（.docx）打开（{error}）。如果是旧的 .doc 格式，请在 Word 中另存为 .docx。") from None
    size = sum(entry.file_size for entry in entries)
    if len(entries) > DOCX_MAX_ENTRIES or size > DOCX_MAX_BYTES:
        raise SourceError(f"{path}：这个 Word 文件解压后有 {len(entries)} 个部分、{size / 1024 / 1024:.0f} MB，"
                          f"超过了导入的上限（{DOCX_MAX_ENTRIES} 个、{DOCX_MAX_BYTES // 1024 // 1024} MB），"
                          "可能已损坏或不是正常的报告。请在 Word 中打开，删除大图片后另存为 .docx，或把文字复制到 .txt 文件导入。")


def _skipped(element) -> bool:
    """Whether *element* lies in content Word does not show as text: deleted revisions,
    the fallback copy of a drawing (mc:Fallback), or a text box (read as lines of its own)."""
    for ancestor in element.iterancestors():
        tag = ancestor.tag
        if tag in (_w("del"), _w("moveFrom"), f"{{{MC}}}Fallback"):
            return True
    return False


def _in_textbox(element, paragraph) -> bool:
    for ancestor in element.iterancestors():
        if ancestor is paragraph:
            return False
        if ancestor.tag == _w("txbxContent"):
            return True
    return False


def stored_text(element) -> str:
    """Every ``w:t`` under *element* as Word stores it (deleted text and fallbacks excluded)."""
    return "".join(node.text or "" for node in element.iter(_w("t")) if not _skipped(node))


def _paragraph_text(paragraph) -> str:
    """The text of a ``w:p`` as Word shows it: its runs, tabs and breaks; footnote references
    as markers; text boxes left out (they become lines of their own)."""
    parts = []
    for node in paragraph.iter(_w("t"), _w("tab"), _w("br"), _w("cr"), _w("footnoteReference"), _w("noBreakHyphen")):
        if _skipped(node) or _in_textbox(node, paragraph):
            continue
        tag = node.tag
        if tag == _w("t"):
            parts.append(node.text or "")
        elif tag == _w("footnoteReference"):
            parts.append(f"{FOOTNOTE_OPEN}{node.get(_w('id'))}{FOOTNOTE_CLOSE}")
        elif tag == _w("noBreakHyphen"):
            parts.append("-")
        elif tag in (_w("tab"),) and node.getparent().tag == _w("r"):
            parts.append(" ")
        elif tag in (_w("br"), _w("cr")):
            parts.append(" ")
    return "".join(parts).strip()


# Word's number formats, as the numbering part names them.
def _format(value: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional",
               "taiwaneseCounting", "taiwaneseCountingThousand"):
        return int_to_cn(value) if value < 100 else str(value)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(value).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalEnclosedCircle" and 1 <= value <= 20:
        return chr(0x2460 + value - 1)
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        numerals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        out, rest = "", value
        for amount, letters in numerals:
            while rest >= amount:
                out, rest = out + letters, rest - amount
        return out.upper() if fmt == "upperRoman" else out
    if fmt in ("bullet", "none"):
        return ""
    return str(value)


class _Numbering:
    """Word's automatic list numbering, computed as Word draws it."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId → ilvl → (fmt, text, start)
        self.counters: dict[str, dict[int, int]] = {}  # numId (one list) → ilvl → value
        self.style_numbering: dict[str, tuple[str, int]] = {}
        try:
            part = document.part.numbering_part
        except (NotImplementedError, KeyError, AttributeError):
            part = None
        if part is not None:
            root = part.element
            abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
            for node in root.findall(_w("abstractNum")):
                levels = {}
                for lvl in node.findall(_w("lvl")):
                    fmt = lvl.find(_w("numFmt"))
                    text = lvl.find(_w("lvlText"))
                    start = lvl.find(_w("start"))
                    levels[int(lvl.get(_w("ilvl"), "0"))] = (
                        fmt.get(_w("val"), "decimal") if fmt is not None else "decimal",
                        text.get(_w("val"), "") if text is not None else "",
                        int(start.get(_w("val"), "1")) if start is not None else 1)
                abstract[node.get(_w("abstractNumId"))] = levels
            for num in root.findall(_w("num")):
                ref = num.find(_w("abstractNumId"))
                if ref is not None and ref.get(_w("val")) in abstract:
                    levels = dict(abstract[ref.get(_w("val"))])
                    # A list that restarts: the same levels with another start (w:startOverride).
                    for override in num.findall(_w("lvlOverride")):
                        start = override.find(_w("startOverride"))
                        ilvl = int(override.get(_w("ilvl"), "0"))
                        if start is not None and ilvl in levels:
                            fmt, text, _ = levels[ilvl]
                            levels[ilvl] = (fmt, text, int(start.get(_w("val"), "1")))
                    self.levels[num.get(_w("numId"))] = levels
        for style in document.styles:
            element = getattr(style, "element", None)
            ppr = element.find(_w("pPr")) if element is not None else None
            numpr = ppr.find(_w("numPr")) if ppr is not None else None
            if numpr is not None:
                num_id = numpr.find(_w("numId"))
                ilvl = numpr.find(_w("ilvl"))
                if num_id is not None:
                    self.style_numbering[style.style_id] = (num_id.get(_w("val")),
                                                            int(ilvl.get(_w("val"))) if ilvl is not None else 0)

    def label(self, paragraph) -> str:
        """The number Word draws in front of *paragraph* (a ``w:p``), or ""."""
        ppr = paragraph.find(_w("pPr"))
        numpr = ppr.find(_w("numPr")) if ppr is not None else None
        num_id, ilvl = None, 0
        if numpr is not None:
            node = numpr.find(_w("numId"))
            level = numpr.find(_w("ilvl"))
            num_id = node.get(_w("val")) if node is not None else None
            ilvl = int(level.get(_w("val"))) if level is not None else 0
        elif ppr is not None and (style := ppr.find(_w("pStyle"))) is not None:
            num_id, ilvl = self.style_numbering.get(style.get(_w("val")), (None, 0))
        if not num_id or num_id == "0" or num_id not in self.levels:
            return ""
        levels = self.levels[num_id]
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        fmt, _, start = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [key for key in counters if key > ilvl]:
            del counters[deeper]
        if fmt in ("bullet", "none"):
            return ""

        def value(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            if level not in levels:
                return ""
            level_fmt, _, level_start = levels[level]
            return _format(counters.get(level, level_start), level_fmt)

        return re.sub(r"%([1-9])", value, levels[ilvl][1]).strip()


def _paragraph_level(paragraph, text: str) -> int | None:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style.strip().lower() in _TITLE_STYLES:
        return 1
    if match := _HEADING_STYLE.match(style.strip()):
        # Word's "Heading 1" is the first level below the title: a part (Markdown ##).
        return min(int(match.group(1)) + 1, 4)
    runs = [run for run in paragraph.runs if run.text.strip()]
    if runs and all(run.bold for run in runs) and len(text) <= MAX_BOLD_HEADING and not text.endswith("。"):
        return 0  # bold: a heading whose level the numbering (or position) decides
    return None


def _table_rows(table) -> list[list[str]]:
    """The cells of a ``w:tbl``, row by row; a merged cell's text once, the cells it covers empty."""
    rows = []
    for tr in table.findall(_w("tr")):
        row = []
        for tc in tr.findall(_w("tc")):
            text = " ".join(part for part in (_paragraph_text(p) for p in tc.iter(_w("p"))) if part)
            row.append(text)
            span = tc.find(f"{_w('tcPr')}/{_w('gridSpan')}")
            if span is not None:
                row.extend([""] * (int(span.get(_w("val"), "1")) - 1))
        rows.append(row)
    width = max((len(row) for row in rows), default=0)
    return [row + [""] * (width - len(row)) for row in rows]


def _footnotes(document) -> tuple[dict[str, str], dict[str, str]]:
    """Footnote id → text as shown, and id → text as stored; separators left out."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    shown, stored = {}, {}
    for rel in document.part.rels.values():
        if rel.reltype != RT.FOOTNOTES or rel.is_external:
            continue
        from docx.oxml import parse_xml  # python-docx's parser: no entities resolved, no network

        root = parse_xml(rel.target_part.blob)
        for note in root.findall(_w("footnote")):
            if note.get(_w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            note_id = note.get(_w("id"))
            shown[note_id] = " ".join(part for part in (_paragraph_text(p) for p in note.iter(_w("p"))) if part)
            stored[note_id] = stored_text(note)
    return shown, stored


def _body_elements(body):
    """The paragraphs and tables of the body in order, content controls opened."""
    for child in body.iterchildren():
        if child.tag in (_w("p"), _w("tbl")):
            yield child
        elif child.tag == _w("sdt"):
            content = child.find(_w("sdtContent"))
            if content is not None:
                yield from _body_elements(content)


def _read_docx(path: Path) -> Source:
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
        from docx.text.paragraph import Paragraph
    except ImportError:
        raise SourceError("读取 .docx 需要 python-docx：pip install python-docx") from None
    _check_package(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as error:
        raise SourceError(f"{path}：无法作为 Word 文档（.docx）打开（{error}）。如果是旧的 .doc 格式，请在 Word 中另存为 .docx。") from None
    numbering = _Numbering(document)
    source = Source("", encoding="Word", stored={})
    lines: list[str] = []

    def add(text: str, stored: str) -> int:
        lines.append(text)
        source.stored[len(lines)] = stored
        return len(lines)

    for element in _body_elements(document.element.body):
        if element.tag == _w("tbl"):
            rows = _table_rows(element)
            if any(cell for row in rows for cell in row):
                line = add(TABLE_MARK, stored_text(element))
                source.tables[line] = rows
            else:
                add("", "")
            continue
        text = _paragraph_text(element)
        label = numbering.label(element) if text else ""
        boxes = [p for box in element.iter(_w("txbxContent")) if not _skipped(box) for p in box.iter(_w("p"))]
        own = "".join(node.text or "" for node in element.iter(_w("t"))
                      if not _skipped(node) and not _in_textbox(node, element))
        line = add(f"{label}{text}" if label else text, own)
        if label:
            source.numbering[line] = label
        if text:
            level = _paragraph_level(Paragraph(element, document), text)
            if level is not None:
                source.hints[line] = level
        for box in boxes:
            add(_paragraph_text(box), stored_text(box))
    source.text = "\n".join(lines)
    source.footnotes, source.stored_footnotes = _footnotes(document)
    return source
