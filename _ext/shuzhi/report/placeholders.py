"""Unfilled template placeholders: x次, *次, XX元, X元以上, xx次, ＸＸ名, ××同志.

Authors leave them when they copy a template and forget to fill in a number.
They are content and are published as written; the site highlights them and
lists them on the 待补充 page. Redactions such as ``**村`` or ``*公司`` name a
place or a company and are not placeholders.
"""

from __future__ import annotations

import re

#: Measure words that follow a missing number in a placeholder.
MEASURE_WORDS = "次|人次|人|名|个|篇|场|期|项|家|条|件|户|元|万元|亿元|天|批|份|本|节|堂|轮|组"

#: The letters a placeholder is written with, in every width and case: X x, full-width Ｘ ｘ,
#: and the multiplication sign × that Chinese templates often use.
X_CHARS = "XxＸｘ×"
#: Latin letters (ASCII and full-width) around a match mean a word, not a placeholder.
_LATIN = "A-Za-zＡ-Ｚａ-ｚ"

#: One pattern for every placeholder form:
#: - ``XX`` (two or more of the letters above), wherever it stands: XX元, xx上, ＸＸ金, ××同志;
#: - a single one of them, or one or two asterisks, followed by a measure word: x次, Ｘ元以上, ×个, *次, *个.
#: Latin letters around the match exclude Latin words (e.g. "XXL", "Xbox", "xx@example"), and a digit
#: before a single × is a product ("3×4个"), not a placeholder.
PATTERN = re.compile(
    rf"(?<![{_LATIN}@])(?:[{X_CHARS}]{{2,}}(?![{_LATIN}@])(?:{MEASURE_WORDS})?"
    rf"|(?<![0-9０-９])[{X_CHARS}](?:{MEASURE_WORDS})"
    rf"|(?<!\*)\*{{1,2}}(?:{MEASURE_WORDS}))"
)

#: Words that, after asterisks, mark a redaction rather than a placeholder.
#: They are checked on the character after the asterisks (``**村``, ``*公司``);
#: a measure word wins only when it is not the start of such a word.
REDACTED_NOUNS = ("公司", "有限公司", "村", "区", "县", "市", "镇", "党委", "局")


def find(text: str) -> list[re.Match[str]]:
    """Every placeholder in *text*."""
    matches = []
    for match in PATTERN.finditer(text):
        if match.group(0).startswith("*"):
            rest = text[match.end() - len(match.group(0).lstrip("*")):]
            if rest.startswith(REDACTED_NOUNS):
                continue
        matches.append(match)
    return matches
