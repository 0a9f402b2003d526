"""Watermarks and adverts that document-sharing sites inject into reports.

They are not content: the importer removes them (reporting each removal) and
the structure checks flag any that reach a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from . import kinds
from .records import Finding

#: Characters the sharing site sprinkles into its advert to defeat filters.
_GARBLE = "[#~&%@^*＊]*"


def garbled(phrase: str) -> str:
    """A regex for *phrase* with garbling characters allowed around every character."""
    return _GARBLE + _GARBLE.join(re.escape(char) for char in phrase) + _GARBLE


#: Default patterns (regular expressions). A site extends them with the
#: ``shuzhi_watermark_patterns`` config value or the importer's ``--watermark``.
DEFAULT_PATTERNS: tuple[str, ...] = (
    garbled("【更多素材搜索哒哒文库】"),
    r"##paid(?:begin|end)##",
)


class Removal(NamedTuple):
    line: int  # 1-based line in the input
    column: int  # 1-based column in the input line
    text: str
    what: str = "水印"  # what was removed, as the importer reports it


def compile_patterns(patterns: Iterable[str]) -> re.Pattern[str]:
    """One compiled alternation for all patterns (one pass over the text)."""
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


def find(text: str, patterns: Sequence[str] = DEFAULT_PATTERNS) -> list[Removal]:
    """Every watermark in *text*, with its line and column."""
    regex = compile_patterns(patterns)
    found = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        for match in regex.finditer(line):
            found.append(Removal(lineno, match.start() + 1, match.group(0)))
    return found


#: Markdown backslash escapes of ASCII punctuation (``\*`` for ``*``), as the importer writes them.
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def find_in_markdown(text: str, patterns: Sequence[str] = DEFAULT_PATTERNS) -> list[Removal]:
    """Every watermark in Markdown source *text*, read with its backslash escapes undone.

    Lines are those of the source; columns are those of the unescaped line.
    """
    return find(_MARKDOWN_ESCAPE.sub(r"\1", text), patterns)


def strip(text: str, patterns: Sequence[str] = DEFAULT_PATTERNS) -> tuple[str, list[Removal]]:
    """Remove every watermark from *text*; return the clean text and the removals."""
    regex = compile_patterns(patterns)
    removals = find(text, patterns)
    clean = "\n".join(regex.sub("", line) for line in text.split("\n"))
    return clean, removals


def findings(text: str, docname: str, patterns: Sequence[str] = DEFAULT_PATTERNS) -> list[Finding]:
    """One finding per watermark left in a report's Markdown source *text*."""
    return [
        Finding(docname, removal.line, kinds.WATERMARK, (
            f"第 {removal.line} 行有文档分享网站加入的水印或广告文字“{removal.text}”。"
            "请删除它（用导入工具导入的文本会自动删除）。"))
        for removal in find_in_markdown(text, patterns)
    ]
