"""Personal data and classification marks that must not be published: found with their line.

Reports are published to a whole organisation. Before that, every line of a report is
searched for what an editor must look at:

- an 18-digit 居民身份证号 whose check digit is right (GB 11643: a mistyped number or a
  long statistic does not count);
- a mainland mobile number (11 digits starting 13–19, also with +86 or spaces);
- an e-mail address;
- a 密级 mark: 绝密/机密/秘密 with ★ or a 保密期限 (秘密★1年), a line that is only a 密级
  word, ★ followed by a period (★5年, ★长期), or “密级：”. A bare 秘密 in a sentence
  (“保守党的秘密”) and ★ in a star rating (“★★★★★党支部”) are ordinary words.

Each is a finding (``privacy``) naming the line, with the value partly masked so the
warning itself does not spread it. A line an editor has checked is accepted by a MyST
comment on the line above it: ``% 隐私：已核实（理由）``; MyST does not show comments.
Pure: no Sphinx.
"""

from __future__ import annotations

import re

from . import kinds
from .records import Finding

_ID = re.compile(r"(?<![0-9A-Za-z])([1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
                 r"[0-9]{3}[0-9Xx])(?![0-9A-Za-z])")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_MOBILE = re.compile(r"(?<![0-9])(?:(?:\+|00)?86[- ]?)?(1[3-9][0-9](?:[- ]?[0-9]{4}){2})(?![0-9])")
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_LEVEL = "绝密|机密|秘密"
_PERIOD = r"(?:[0-9０-９一二三四五六七八九十]+\s*(?:年|个月|月)|长期)"
_SECRET = re.compile(
    rf"(?:{_LEVEL})\s*★|★\s*{_PERIOD}|密级\s*[:：]|^\s*[【\[（(]?\s*(?:{_LEVEL})\s*[】\]）)]?\s*$")
#: The comment that accepts the next line.
ACCEPT = re.compile(r"^\s*%.*(?:隐私|保密|密级).*已核实")
#: What each of the patterns above needs somewhere on the line: 17 digits in a row (an
#: 身份证号), 1 followed by 3–9 and a digit (a mobile number), @ (an e-mail address), 密 or ★
#: (a 密级 mark). Most lines of a report have none and are not searched further.
_MAY_HOLD = re.compile(r"[0-9]{17}|1[3-9][0-9]|@|密|★")


def valid_id(number: str) -> bool:
    """Whether the 18-digit *number* has the right check digit (GB 11643)."""
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _WEIGHTS))
    return _CHECK[total % 11] == number[17].upper()


def _mask(text: str, keep_start: int, keep_end: int) -> str:
    hidden = max(len(text) - keep_start - keep_end, 0)
    return text[:keep_start] + "*" * hidden + (text[-keep_end:] if keep_end else "")


def found_in(line: str) -> list[str]:
    """What *line* holds that must not be published, each described (masked) for the editor."""
    found = []
    for match in _ID.finditer(line):
        if valid_id(match.group(1)):
            found.append(f"身份证号“{_mask(match.group(1), 4, 4)}”")
    for match in _MOBILE.finditer(line):
        digits = re.sub(r"[- ]", "", match.group(1))
        if not any(id_match.start() <= match.start() < id_match.end() for id_match in _ID.finditer(line)):
            found.append(f"手机号码“{_mask(digits, 3, 4)}”")
    for match in _EMAIL.finditer(line):
        local, _, domain = match.group(0).partition("@")
        found.append(f"电子邮件地址“{_mask(local, 1, 0)}@{domain}”")
    if match := _SECRET.search(line):
        found.append(f"密级标志“{match.group(0).strip()}”")
    return found


def findings(source: str, docname: str) -> list[Finding]:
    """One finding per line of *source* that holds personal data or a 密级 mark, unless accepted."""
    out = []
    previous = ""
    for number, line in enumerate(source.split("\n"), start=1):
        if line.strip():
            items = found_in(line) if _MAY_HOLD.search(line) else []
            if items and not ACCEPT.match(previous):
                out.append(Finding(docname, number, kinds.PRIVACY, (
                    f"这一行有不应公开发布的内容：{'、'.join(items)}。报告会发布给全单位阅读：请删除或改写"
                    "（例如只写姓名和职务）；如果核实后可以公开（例如公开的办公电话），请在这一行之前加一行注释"
                    "“% 隐私：已核实（理由）”。")))
            previous = line
    return out
