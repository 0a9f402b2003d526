"""Unfilled template placeholders: x次, *次, XX元, X元以上.

Authors leave them when they copy a template and forget to fill in a number.
They are content and are published as written; the site highlights them and
lists them on the 待补充 page. Redactions such as ``**村`` or ``*公司`` name a
place or a company and are not placeholders.
"""

from __future__ import annotations

import re

#: Measure words that follow a missing number in a placeholder.
MEASURE_WORDS = "次|人次|人|名|个|篇|场|期|项|家|条|件|户|元|万元|亿元|天|批|份|本|节|堂|轮|组"

#: One pattern for every placeholder form:
#: - ``XX`` (two or more capital X), wherever it stands: XX元, XX上, XX金;
#: - a single ``x``/``X`` or one or two asterisks followed by a measure word: x次, X元以上, *次, *个.
#: ASCII letters around the match exclude Latin words (e.g. "XXL", "Xbox").
PATTERN = re.compile(
    rf"(?<![A-Za-z])(?:X{{2,}}(?![A-Za-z])(?:{MEASURE_WORDS})?"
    rf"|[xX](?:{MEASURE_WORDS})"
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
