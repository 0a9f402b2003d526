"""Which URLs may become links, decided as a browser reads them.

A browser strips leading and trailing C0 controls and spaces from a URL and removes
tabs and line breaks anywhere in it before it looks for the scheme, so
``"\\x01javascript:…"`` and ``"java\\tscript:…"`` are script links. The same is
done here, and the scheme is then checked against an allowlist: a list of
forbidden schemes always misses one. Pure: no Sphinx.
"""

from __future__ import annotations

import re
from collections.abc import Collection

#: A link that is not http, https, mailto or internal (with the URL as the author wrote it).
SCRIPT_LINK_MESSAGE = "链接“%s”不是 http、https、mailto 或站内链接（可能指向脚本），已去掉链接只保留文字：请删除或改正该链接。"
#: What a report or glossary link may point to, besides pages of the site itself.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})

_EDGES = re.compile(r"^[\x00-\x20]+|[\x00-\x20]+$")
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\ufeff]")


def scheme(url: str) -> str:
    """The scheme a browser sees in *url*, lower-case; "" for a relative URL."""
    match = _SCHEME.match(_TAB_OR_NEWLINE.sub("", _EDGES.sub("", url)))
    return match.group(1).lower() if match else ""


def is_safe_link(url: str, *, relative: bool = True, schemes: Collection[str] = LINK_SCHEMES) -> bool:
    """Whether *url* may be a link: a scheme in *schemes*, or relative when *relative* allows it."""
    found = scheme(url)
    return found in schemes if found else relative


def visible(text: str) -> str:
    """*text* with control and invisible characters shown as ``\\xNN`` / ``\\uNNNN``, for messages."""
    return _INVISIBLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)
