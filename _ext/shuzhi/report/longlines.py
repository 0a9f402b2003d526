"""Lines, headings and words too long for the PDF: found with their line.

Pure: no Sphinx. The PDF (:mod:`shuzhi.pdf.compilation`) breaks or shortens what is
found here; each case is a ``long_line`` finding so the editor mends the source.
"""

from __future__ import annotations

import re

from . import kinds
from .records import Finding

#: A line longer than this (in characters) is text copied without its line breaks: a real
#: paragraph is a few hundred. The PDF breaks such a line itself.
LONG_LINE = 10_000
#: A heading is set in the PDF's contents, bookmarks and running heads too, where XeTeX takes
#: minutes over a few thousand characters: a longer heading is cut short there.
LONG_HEADING = 1000
#: A run of letters, digits or signs without a space longer than this is pasted code or an
#: address: XeTeX crashes on a word this wide, so the PDF breaks it.
LONG_WORD = 2000
_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
_WORD = re.compile(r"[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]{%d,}" % (LONG_WORD + 1))


def findings(text: str, docname: str) -> list[Finding]:
    """A finding for each line longer than :data:`LONG_LINE`, heading longer than
    :data:`LONG_HEADING` or line with a word longer than :data:`LONG_WORD`."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > LONG_HEADING and _HEADING.match(line):
            found.append(Finding(docname, number, kinds.LONG_LINE, (
                f"这个标题有 {len(line):,} 个字符，PDF 中只印出前 {LONG_HEADING} 个字符。"
                "请把标题缩短，把其余文字写成正文。")))
        elif len(line) > LONG_LINE:
            found.append(Finding(docname, number, kinds.LONG_LINE, (
                f"这一行有 {len(line):,} 个字符，可能是复制时丢失了换行；PDF 中已自动断行。"
                "请在段落之间空一行，把它分成段落。")))
        elif len(line) > LONG_WORD and (word := _WORD.search(line)):
            found.append(Finding(docname, number, kinds.LONG_LINE, (
                f"这一行有一串 {len(word.group()):,} 个字母、数字或符号连在一起（没有空格），"
                "可能是粘贴的代码或网址；PDF 中已在其中断开。请删除它，或改写成文字。")))
    return found
