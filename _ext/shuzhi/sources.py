"""Read the files editors receive (.txt, .md, .docx) as lines of text plus heading hints.

A hint is the heading level an input states itself (a Word heading style, a
Markdown ``#``), keyed by the line number in the text returned. Numbering
(一、 / （一）) still decides levels where the input states none.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

#: Word's built-in heading styles, in English and Chinese Word.
_HEADING_STYLE = re.compile(r"^(?:Heading|标题)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLES = {"title", "标题"}
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
#: A bold paragraph this short, without a sentence end, reads as a heading.
MAX_BOLD_HEADING = 40


class SourceError(Exception):
    """The file cannot be read; the message says why and what to do."""


def read(path: Path) -> tuple[str, dict[int, int]]:
    """Text of *path* (one paragraph per line) and heading hints.

    Hints map a line number to a Markdown heading level: 1 the title, 2 a part
    (一、), 3 a sub-part (（一）), 4 below; 0 a heading whose level is unknown.
    """
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _read_docx(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise SourceError(f"{path}：不是 UTF-8 编码的文本（{error.reason}，字节 {error.start}）。请另存为 UTF-8 后重试。") from None
    if "\x00" in text:
        raise SourceError(f"{path}：含有 NUL 字符，可能是二进制文件或 UTF-16 编码。请另存为 UTF-8 文本后重试。")
    if suffix == ".md":
        return _read_markdown(text)
    return text, {}


def _read_markdown(text: str) -> tuple[str, dict[int, int]]:
    hints = {}
    lines = text.replace("\r\n", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if match := _MD_HEADING.match(line):
            hints[number] = len(match.group(1))
            lines[number - 1] = match.group(2)
    return "\n".join(lines), hints


def _paragraph_level(paragraph) -> int | None:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style.strip().lower() in _TITLE_STYLES:
        return 1
    if match := _HEADING_STYLE.match(style.strip()):
        # Word's "Heading 1" is the first level below the title: a part (Markdown ##).
        return min(int(match.group(1)) + 1, 4)
    text = paragraph.text.strip()
    runs = [run for run in paragraph.runs if run.text.strip()]
    if runs and all(run.bold for run in runs) and len(text) <= MAX_BOLD_HEADING and not text.endswith("。"):
        return 0  # bold: a heading whose level the numbering (or position) decides
    return None


#: A .docx is a zip: what it may unpack to. A report is a few hundred KB; this leaves room
#: for pictures and refuses a "zip bomb" before python-docx inflates it.
DOCX_MAX_ENTRIES = 2_000
DOCX_MAX_BYTES = 200 * 1024 * 1024


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


def _read_docx(path: Path) -> tuple[str, dict[int, int]]:
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:
        raise SourceError("读取 .docx 需要 python-docx：pip install python-docx") from None
    _check_package(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as error:
        raise SourceError(f"{path}：无法作为 Word 文档（.docx）打开（{error}）。如果是旧的 .doc 格式，请在 Word 中另存为 .docx。") from None
    lines, hints = [], {}
    for paragraph in document.paragraphs:
        text = paragraph.text.replace("\n", " ").strip()
        lines.append(text)
        if text:
            level = _paragraph_level(paragraph)
            if level is not None:
                hints[len(lines)] = level
    return "\n".join(lines), hints
