"""The theme's icon font, cut down to the icons the site shows.

pydata-sphinx-theme draws its icons (☰, the magnifier, the light/dark switch…) with the
Font Awesome web font: ``fa-solid-900.woff2`` alone is 150 KB for some two thousand icons,
of which the site uses about ten, and every page loads it. After an HTML build, the
solid Font Awesome font in the output is replaced by a subset (fontTools) holding the glyphs of
the icons that the written pages and the theme's scripts name (``fa-bars``, ``fa-sun``…),
found through the theme's own table of icon names and code points in its stylesheet. The
file keeps its name and format, so the stylesheet is unchanged. The cut font is kept in the
doctree folder and reused while the theme's font and the icons stay the same.

A font or stylesheet that is not where this theme version puts it is left as it is.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from ..report import kinds

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

STYLESHEET = Path("_static") / "styles" / "pydata-sphinx-theme.css"
FONTS = Path("_static") / "vendor" / "fontawesome" / "webfonts"
#: Scripts of the theme and the site that may add icons to a page after it loads.
SCRIPTS = ("_static/scripts/pydata-sphinx-theme.js", "_static/scripts/sphinx-book-theme.js", "_static/*.js")
#: ``.fa-bars,.fa-navicon{--fa:"\f0c9"}``: the theme's table of icon names.
_TABLE = re.compile(r'((?:\.fa-[a-z0-9-]+,?)+)\{--fa:"\\([0-9a-f]+)')
_NAME = re.compile(r"\bfa-[a-z0-9-]+")
#: The fonts cut down.
SUBSET = "fa-solid-*.woff2"
#: Cut fonts kept between builds, by a digest of the theme's font and the code points.
CACHE = "shuzhi-icons"
#: Pages whose icons stand for all: every page has the same header and sidebars.
SAMPLE_PAGES = 12


def icon_table(css: str) -> dict[str, int]:
    """Icon name (``fa-bars``) → code point, from the theme's stylesheet."""
    table: dict[str, int] = {}
    for names, code in _TABLE.findall(css):
        for name in names.split(","):
            table[name.lstrip(".")] = int(code, 16)
    return table


def used_names(site: Path, pages: list[Path]) -> set[str]:
    names: set[str] = set()
    for path in pages:
        names |= set(_NAME.findall(path.read_text(encoding="utf-8", errors="replace")))
    for pattern in SCRIPTS:
        for path in site.glob(pattern):
            names |= set(_NAME.findall(path.read_text(encoding="utf-8", errors="replace")))
    return names


def _sample(app: Sphinx, site: Path) -> list[Path]:
    """The root, the search page, the index and the first pages of each kind: the files the
    builder wrote for them (``get_outfilename``, right under ``html`` and ``dirhtml`` alike)."""
    builder = app.builder
    docnames = sorted(app.env.all_docs)
    deepest = sorted(app.env.all_docs, key=lambda name: name.count("/"), reverse=True)
    pagenames = [app.config.root_doc, "search", "genindex", *docnames[:SAMPLE_PAGES], *deepest[:SAMPLE_PAGES]]
    pages = [Path(builder.get_outfilename(pagename)) for pagename in dict.fromkeys(pagenames)]
    return [page for page in pages if page.is_file()]


def _theme_fonts(app: Sphinx) -> dict[str, Path]:
    """The theme's original font files, by name."""
    found: dict[str, Path] = {}
    theme = getattr(app.builder, "theme", None)
    for folder in (theme.get_theme_dirs() if theme is not None else []):
        for path in (Path(folder) / "static" / "vendor" / "fontawesome" / "webfonts").glob("fa-*.woff2"):
            found.setdefault(path.name, path)
    return found


def subset_fonts(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: each Font Awesome font of the output, cut to the icons used."""
    if exception is not None or app.builder.format != "html" or not app.config.shuzhi_subset_icons:
        return
    site = Path(app.outdir)
    stylesheet = site / STYLESHEET
    # The theme's icons are all of the solid style (fa-solid); the regular and brand fonts are
    # downloaded only by a page that shows one of theirs, and are left as they are.
    fonts = sorted((site / FONTS).glob(SUBSET))
    if not stylesheet.is_file() or not fonts:
        return
    table = icon_table(stylesheet.read_text(encoding="utf-8", errors="replace"))
    codes = sorted({table[name] for name in used_names(site, _sample(app, site)) if name in table})
    if not codes:
        return
    originals = _theme_fonts(app)
    cache = Path(app.doctreedir) / CACHE
    for font_path in fonts:
        # From the theme's own file: the output's may be a subset made by an earlier build.
        source = originals.get(font_path.name, font_path)
        digest = hashlib.sha256(source.read_bytes() + repr(codes).encode()).hexdigest()[:20]
        cached = cache / f"{digest}.woff2"
        if cached.is_file():  # brotli at its best compression takes a second a font
            shutil.copyfile(cached, font_path)
            continue
        try:  # imported only here: fontTools takes half a second to import
            from fontTools import subset
            from fontTools.ttLib import TTFont
        except ImportError:
            logger.warning("未安装 fontTools，图标字体未精简（每页多下载约 110 KB）。请安装 fonttools[woff]（见 pyproject.toml）。",
                           type="shuzhi", subtype=kinds.ICONS)
            return
        try:
            font = TTFont(source, recalcTimestamp=False)  # the same bytes at every build
            if "glyf" not in font and "CFF " not in font:
                continue
            options = subset.Options()
            options.flavor = "woff2"
            options.layout_features = ["*"]
            options.notdef_outline = True
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=codes)
            subsetter.subset(font)
            font.flavor = "woff2"
            cache.mkdir(parents=True, exist_ok=True)
            font.save(cached)
            shutil.copyfile(cached, font_path)
        except Exception as error:  # noqa: BLE001 (a font fontTools cannot read is left as it is)
            logger.warning("图标字体 %s 未能精简（%s），保留原文件。", font_path.name, error,
                           type="shuzhi", subtype=kinds.ICONS)


def setup(app: Sphinx) -> None:
    app.connect("build-finished", subset_fonts)
