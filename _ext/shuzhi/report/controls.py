"""Invisible control characters in report text: found with their line, removed before parsing.

Text copied from Word or web pages brings characters no reader sees and XeLaTeX
cannot print: C0 controls other than tab and line breaks, DEL and C1 controls,
the Unicode line and paragraph separators, and byte-order marks inside the text.
Each line that has them is a finding; the build and ``shuzhi check`` parse the text
without them, so the page and the PDF never fail on them. Pure: no Sphinx.
"""

from __future__ import annotations

import re

from . import kinds
from .records import Finding

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def _shown(char: str) -> str:
    return f"U+{ord(char):04X}"


def findings(source: str, docname: str) -> list[Finding]:
    """One finding per line of *source* that holds control characters."""
    found = []
    for number, line in enumerate(source.split("\n"), start=1):
        chars = CONTROL.findall(line)
        if chars:
            names = "、".join(dict.fromkeys(_shown(char) for char in chars))
            found.append(Finding(docname, number, kinds.CONTROL_CHARACTER, (
                f"这一行有 {len(chars)} 个看不见的控制字符（{names}），通常是从 Word 或网页复制时带进来的；"
                "发布时已删除。请在编辑器中删除它们。")))
    return found


def positions(source: str) -> list[tuple[int, int, str]]:
    """(line, column, character) of every control character in *source*, 1-based."""
    return [(number, match.start() + 1, match.group())
            for number, line in enumerate(source.split("\n"), start=1) for match in CONTROL.finditer(line)]


def strip(source: str) -> str:
    """*source* without control characters (line breaks kept, so every line keeps its number)."""
    return CONTROL.sub("", source)
