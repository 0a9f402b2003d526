"""The PDF's titles are set in the simplified-Chinese forms of 思源宋体 Bold.

Slow tier (the real site's PDF, ``site_pdf``). Debian ships Noto Serif CJK Bold as one
collection (``NotoSerifCJK-Bold.ttc``) whose five faces (JP, KR, SC, TC, HK) share one CFF
table, so the embedded font is named ``NotoSerifCJKjp-Bold`` whichever face XeTeX picked.
What tells the faces apart is the character map: 关, 委, 度, 建, 本, 表 and 述 have their own
glyph in the Japanese face. This test reads the glyph each printed title character uses (the
font's ToUnicode map: glyph id → character; the font is Identity-H, so CIDs are glyph ids)
and checks it is the SC face's glyph, never the JP one.
"""

from __future__ import annotations

import re
from pathlib import Path

from fontTools.ttLib import TTCollection
from pypdf import PdfReader

COLLECTION = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc")
#: Characters of the site's titles whose Japanese glyph differs from the simplified one.
REGIONAL = set("关委度建本表述")


def title_glyphs(pdf: Path) -> dict[int, str]:
    """Glyph id → character, for every glyph the PDF uses from Noto Serif CJK Bold."""
    glyphs: dict[int, str] = {}
    for page in PdfReader(pdf).pages:
        for ref in page.get("/Resources", {}).get("/Font", {}).values():
            font = ref.get_object()
            if "NotoSerifCJK" not in font["/BaseFont"]:
                continue
            cmap = font["/ToUnicode"].get_object().get_data().decode("ascii")
            for gid, code in re.findall(r"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4})>", cmap):
                if code.upper() != "FFFF":
                    glyphs[int(gid, 16)] = chr(int(code, 16))
    return glyphs


def face_glyph(face: str, char: str) -> int:
    """The glyph id *char* maps to in the collection's *face* (``SC``, ``JP``…)."""
    collection = TTCollection(str(COLLECTION))
    font = next(font for font in collection.fonts if f"CJK {face} " in font["name"].getDebugName(4))
    name = font.getBestCmap()[ord(char)]
    return int(name.removeprefix("cid")) if name.startswith("cid") else font.getGlyphID(name)


def test_title_characters_use_the_simplified_chinese_glyphs(site_pdf: Path) -> None:
    glyphs = title_glyphs(site_pdf)
    printed = {char: gid for gid, char in glyphs.items() if char in REGIONAL}
    assert set(printed) == REGIONAL
    assert printed == {char: face_glyph("SC", char) for char in REGIONAL}
    assert all(printed[char] != face_glyph("JP", char) for char in REGIONAL)
