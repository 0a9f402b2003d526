"""The PDF's Chinese fonts, made copyable: Fandol with an Identity character collection.

TeX Live's Fandol fonts (宋 黑 仿宋 楷; the only free 仿宋 in Debian) are CID-keyed
OpenType fonts of the Adobe-GB1 character collection. For such fonts xdvipdfmx writes no
ToUnicode map into the PDF (it expects readers to map the CIDs through Adobe-GB1 themselves),
so pypdf, and every tool that relies on ToUnicode, extracts garbage from them. For a font whose
collection is Adobe-Identity, xdvipdfmx builds the ToUnicode map from the font's own Unicode
``cmap``. :func:`derive` therefore writes a copy of a Fandol font whose CFF table names the
collection Adobe-Identity-0; glyphs and metrics are those of the original.

A ToUnicode map gives each glyph one character. xdvipdfmx takes the highest code point that
the ``cmap`` maps to a glyph, so the glyph of · (U+00B7) would be copied as ・ (U+30FB), and
that of … (U+2026) as ⋯ (U+22EF). The copy's ``cmap`` therefore keeps, for a glyph that
several characters share, only the lowest (:func:`shared_code_points`); a text with one of the
others (•, ・, ⋯, ︙) gets it from the fallback font (shuzhi.sty: xeCJK's AutoFallBack).

No Sphinx here: the LaTeX adapter (:mod:`shuzhi.pdf.compilation`) finds the fonts and says where to put the copies.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

#: The Fandol fonts the style file loads (file names as TeX Live installs them).
FANDOL = (
    "FandolSong-Regular.otf", "FandolSong-Bold.otf",
    "FandolHei-Regular.otf", "FandolHei-Bold.otf",
    "FandolFang-Regular.otf", "FandolKai-Regular.otf",
)

IDENTITY = ("Adobe", "Identity", 0)


def secondary(code: int) -> bool:
    """Code points xdvipdfmx maps a glyph back to only when it has no other (private use,
    Kangxi radicals, compatibility ideographs, presentation forms, the soft hyphen)."""
    return (0x2E80 <= code <= 0x2EF3 or 0x2F00 <= code <= 0x2FD5 or 0xE000 <= code <= 0xF8FF
            or 0xF900 <= code <= 0xFAFF or 0xFB00 <= code <= 0xFB4F or 0x2F800 <= code <= 0x2FA1F
            or code >= 0xF0000 or code == 0xAD)


def shared_code_points(mapping: dict[int, str]) -> set[int]:
    """The code points of *mapping* (a ``cmap``: code point to glyph name) that share their glyph
    with a lower one; control characters and spaces, never typeset as glyphs, are left alone."""
    lowest: dict[str, int] = {}
    shared = set()
    for code in sorted(mapping):
        if code <= 0x20 or code == 0xA0 or secondary(code):
            continue
        glyph = mapping[code]
        if glyph in lowest:
            shared.add(code)
        else:
            lowest[glyph] = code
    return shared


def find(name: str) -> Path | None:
    """The installed font *name* (through kpsewhich, as XeTeX finds it), or None."""
    kpsewhich = shutil.which("kpsewhich")
    if kpsewhich is None:
        return None
    found = subprocess.run([kpsewhich, name], capture_output=True, text=True, check=False).stdout.strip()
    return Path(found) if found else None


def collection(path: Path) -> tuple[str, str, int] | None:
    """The CFF Registry-Ordering-Supplement of the OpenType font at *path* (None if not CID-keyed)."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        if "CFF " not in font:
            return None
        ros = getattr(font["CFF "].cff.topDictIndex[0], "ROS", None)
        return tuple(ros) if ros else None


def derive(source: Path, target: Path) -> None:
    """Write *source* to *target* with the Adobe-Identity-0 collection (a plain copy if it has it).

    Only the CFF top dictionary changes: the charstrings are copied as they are (lazy
    loading, no bounding box recomputed), which takes about a second for a Fandol font.
    The copy is written only when *target* is missing or older than *source*.
    """
    from fontTools.ttLib import TTFont

    if target.is_file() and target.stat().st_mtime >= source.stat().st_mtime:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    with TTFont(source, lazy=True, recalcBBoxes=False, recalcTimestamp=False) as font:
        top = font["CFF "].cff.topDictIndex[0] if "CFF " in font else None
        if top is not None and getattr(top, "ROS", None) and tuple(top.ROS) != IDENTITY:
            top.ROS = IDENTITY
            for table in font["cmap"].tables:
                if table.isUnicode():
                    for code in shared_code_points(table.cmap):
                        del table.cmap[code]
            font.save(partial)
        else:
            shutil.copyfile(source, partial)
    partial.replace(target)
