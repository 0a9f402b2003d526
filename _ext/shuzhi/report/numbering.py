"""Official Chinese heading numbering: 一、 / （一） / 1、 and friends.

Shared by the importer (to recognise headings in plain text) and the
structure checks (to verify that numbering runs 一、二、三 without gaps).
"""

from __future__ import annotations

import re
from typing import NamedTuple

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMERAL = "[一二三四五六七八九十〇零]+"

#: Level 1 (part headings): 一、
LEVEL1 = re.compile(rf"^(?P<num>{CN_NUMERAL})、")
#: Level 2 (sub-part headings): （一） in full-width parentheses, and the variants
#: (一) with ASCII parentheses and 〔一〕 with tortoise-shell brackets.
LEVEL2 = re.compile(rf"^(?P<open>[（(〔])(?P<num>{CN_NUMERAL})(?P<close>[）)〕])")
#: Level 3: 1、 or 1. (full-width dot too).
LEVEL3 = re.compile(r"^(?P<num>[0-9０-９]{1,3})(?P<sep>[、.．])(?![0-9０-９])")
#: Level 4: （1） or (1).
LEVEL4 = re.compile(r"^(?P<open>[（(])(?P<num>[0-9０-９]{1,3})(?P<close>[）)])")
#: The deepest numbering level.
DEEPEST = 4
#: Markdown level of a part heading (``##``), the level "一、" is written at.
PART_LEVEL = 2

#: The bracket style of each level-2 variant, by its opening character.
LEVEL2_STYLES = {"（": "（一）", "(": "(一)", "〔": "〔一〕"}


class Number(NamedTuple):
    level: int
    value: int
    marker: str  # the literal marker, e.g. "（三）"
    style: str  # e.g. "一、", "（一）", "(一)", "〔一〕", "1、", "1."


def cn_to_int(text: str) -> int:
    """Convert a Chinese numeral up to 99 (一, 十, 十二, 二十三) to an int."""
    if not text:
        raise ValueError("empty numeral")
    if "十" in text:
        tens, _, units = text.partition("十")
        value = (_DIGITS[tens] if tens else 1) * 10
        return value + (_DIGITS[units] if units else 0)
    value = 0
    for char in text:
        value = value * 10 + _DIGITS[char]
    return value


def int_to_cn(value: int) -> str:
    """Convert 1..99 to a Chinese numeral as used in headings (十一, 二十)."""
    names = "零一二三四五六七八九"
    if value < 10:
        return names[value]
    tens, units = divmod(value, 10)
    return ("" if tens == 1 else names[tens]) + "十" + (names[units] if units else "")


def parse_number(text: str) -> Number | None:
    """Return the heading number that *text* starts with, if any."""
    text = text.lstrip()
    if match := LEVEL1.match(text):
        return Number(1, cn_to_int(match["num"]), match.group(0), "一、")
    if match := LEVEL2.match(text):
        style = LEVEL2_STYLES[match["open"]]
        return Number(2, cn_to_int(match["num"]), match.group(0), style)
    if match := LEVEL3.match(text):
        digits = match["num"].translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        return Number(3, int(digits), match.group(0), "1" + match["sep"])
    if match := LEVEL4.match(text):
        digits = match["num"].translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        return Number(4, int(digits), match.group(0), match["open"] + "1" + match["close"])
    return None


def heading_level(level: int, open_levels: set[int] | frozenset[int]) -> int:
    """The Markdown level (number of ``#``) of a heading numbered at *level*.

    "一、" is a part (``##``); every other numbered heading is one level below the
    nearest numbered heading above it in its part: *open_levels* are the numbering
    levels (2 for （一）, 3 for 1、, 4 for （1）) seen since the part began. So "1、" is
    ``###`` directly under "一、" and ``####`` under "（一）"; "（1）" is ``###`` to
    ``#####``. The importer writes these levels and the checks expect them.
    """
    if level == 1:
        return PART_LEVEL
    return PART_LEVEL + 1 + sum(1 for each in open_levels if 1 < each < level)
