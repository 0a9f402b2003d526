"""The PDF's format (GB/T 9704-2012) and text, measured from the PDF itself.

Slow tier like tests/test_pdf.py: the real site's PDF (``site_pdf``, built with xelatex once per
session), read with pdfminer.six (each character's font, size, position and colour), pypdf
and pdftotext. The standard: A4, a 156 x 225 mm text area 37 mm from the top and 28 mm from
the left (±1 mm), 3号 (16 bp) 仿宋 body on a grid of 22 lines x 28 characters, 2号 (22 bp) title,
3号 黑体 / 楷体 headings, 4号 (14 bp) page numbers "— 1 —" 7 mm below the text area, one
character in from its outer edge (odd pages right, even pages left), no running head.
"""

from __future__ import annotations

import functools
import logging
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from statistics import median

import pytest
from builds import ROOTS, site_build, sphinx_build
from conftest import sentences
from sphinx.util.console import strip_colors
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTContainer, LTCurve, LTLine, LTRect
from pypdf import PdfReader
from test_pdf import CHAPTERS, outline_titles, page_count, squeeze, titles

#: Every test reads the PDF or needs TeX's fonts (kpsewhich).
pytestmark = pytest.mark.pdf

logging.getLogger("pdfminer").setLevel(logging.ERROR)  # the diagrams' Type 3 fonts have no FontBBox

MM = 72 / 25.4  # PDF points (bp) in a millimetre
PITCH = 225 / 22  # mm: 22 lines in the 225 mm text area
CJK = re.compile(r"[\u4e00-\u9fff]")
PAGE_NUMBER = re.compile(r"—\s*([0-9]+|[IVXLC]+)\s*—")


@dataclass(frozen=True)
class Char:
    text: str
    font: str  # without the subset tag: FandolFang-Regular
    size: float  # bp
    x0: float  # mm from the left edge
    x1: float
    baseline: float  # mm from the top edge
    top: float  # mm from the top edge (the em box's top, as pdfminer reports it)
    colour: tuple


@dataclass(frozen=True)
class Line:
    chars: tuple[Char, ...]

    @property
    def text(self) -> str:
        return "".join(char.text for char in self.chars)

    @property
    def baseline(self) -> float:
        return median(char.baseline for char in self.chars)

    @property
    def x0(self) -> float:
        return min(char.x0 for char in self.chars)

    @property
    def x1(self) -> float:
        return max(char.x1 for char in self.chars)


def _chars(items):
    for item in items:
        if isinstance(item, LTChar):
            yield item
        elif isinstance(item, LTContainer):  # text boxes and lines, figures
            yield from _chars(item)


@functools.cache
def _layout(pdf: Path) -> tuple:
    """Every page's characters and rules, read once per PDF."""
    pages = []
    for page in extract_pages(pdf, laparams=None):
        height = page.height
        chars = tuple(
            Char(char.get_text(), char.fontname.split("+")[-1], round(char.size, 2), char.x0 / MM, char.x1 / MM,
                 (height - char.matrix[5]) / MM, (height - char.y1) / MM, _colour(char.graphicstate.ncolor))
            for char in _chars(page) if char.get_text().strip())
        shapes = tuple((type(item).__name__, item.x0 / MM, item.x1 / MM, (height - item.y1) / MM,
                        (height - item.y0) / MM, _colour(item.non_stroking_color), bool(item.fill))
                       for item in page if isinstance(item, (LTRect, LTLine, LTCurve)))
        pages.append((chars, shapes))
    return tuple(pages)


def _colour(value) -> tuple:
    if value is None:
        return (0.0,)
    if isinstance(value, (int, float)):
        return (float(value),)
    return tuple(float(part) for part in value)


def chars(pdf: Path, page: int) -> tuple[Char, ...]:
    return _layout(pdf)[page - 1][0]


def lines(pdf: Path, page: int) -> list[Line]:
    """The text lines of *page* (1-based), top to bottom: characters grouped by baseline."""
    rows: dict[float, list[Char]] = {}
    for char in chars(pdf, page):
        key = next((base for base in rows if abs(base - char.baseline) < 1.0), char.baseline)
        rows.setdefault(key, []).append(char)
    return [Line(tuple(sorted(row, key=lambda char: char.x0))) for _, row in sorted(rows.items())]


def body_lines(pdf: Path, page: int) -> list[Line]:
    """The lines of the text area: the page number's line below it left out."""
    return [line for line in lines(pdf, page) if not PAGE_NUMBER.fullmatch(line.text)]


def report_pages(pdf: Path) -> range:
    """The pages of the five reports: from the first report's first page to the appendix."""
    starts = dict(outline_titles(pdf))
    first = next(page for title, page in starts.items() if title.startswith(CHAPTERS[0]))
    appendix = next(page for title, page in starts.items() if title.startswith("附录"))
    return range(first, appendix)


def full_pages(pdf: Path) -> list[int]:
    """Report pages whose text runs to the foot of the page (not a report's last page)."""
    return [page for page in report_pages(pdf) if len(body_lines(pdf, page)) == 22]


# -- Format ---------------------------------------------------------------------------------


def test_pages_are_a4(site_pdf: Path) -> None:
    reader = PdfReader(site_pdf)
    sizes = {(round(float(page.mediabox.width) / MM), round(float(page.mediabox.height) / MM))
             for page in reader.pages}
    assert sizes == {(210, 297)}


def test_the_text_area_is_156_by_225_mm_37_mm_from_the_top_and_28_mm_from_the_left(site_pdf: Path) -> None:
    pages = full_pages(site_pdf)
    assert len(pages) >= 10
    # Ideographs only: a punctuation mark's box at a line's start or end may reach into the
    # margin by its blank half (xeCJK compresses it there; what is printed stays inside).
    ideographs = [char for page in pages for line in body_lines(site_pdf, page) for char in line.chars
                  if CJK.match(char.text)]
    left, right = min(char.x0 for char in ideographs), max(char.x1 for char in ideographs)
    assert abs(left - 28) <= 1 and abs(right - left - 156) <= 1, (left, right)
    # The lines sit in 22 slots of 225/22 mm, each character centred in its slot: the text area's
    # top is the first line's top less half the space between two lines.
    for page in pages:
        first, last = body_lines(site_pdf, page)[0], body_lines(site_pdf, page)[-1]
        size = 16 / MM
        area_top = min(char.top for char in first.chars) - (PITCH - size) / 2
        area_bottom = area_top + 22 * PITCH
        assert abs(area_top - 37) <= 1, (page, area_top)
        assert last.baseline <= area_bottom, (page, last.baseline, area_bottom)


def test_the_body_is_3hao_fangsong_on_22_lines(site_pdf: Path) -> None:
    for page in full_pages(site_pdf):
        body = body_lines(site_pdf, page)
        assert len(body) == 22, page
        gaps = [after.baseline - before.baseline for before, after in zip(body, body[1:], strict=False)]
        assert max(abs(gap - PITCH) for gap in gaps) < 0.05, (page, gaps)
        ideographs = [char for line in body for char in line.chars if CJK.match(char.text)]
        fonts = {(char.font, char.size) for char in ideographs}
        # The body in 仿宋 16 bp; a part's heading, on the same grid, in 黑体 or 楷体 16 bp.
        assert ("FandolFang-Regular", 16.0) in fonts
        assert fonts <= {("FandolFang-Regular", 16.0), ("FandolHei-Regular", 16.0), ("FandolKai-Regular", 16.0)}


def test_a_full_line_holds_28_characters(site_pdf: Path) -> None:
    """Lines of ideographs and at most two punctuation marks that fill the measure: 28 characters.

    (A line with three or more marks may take a 29th character: xeCJK then narrows the marks'
    blank halves, as Chinese typesetting does.)
    """
    counted = []
    for page in full_pages(site_pdf):
        for line in body_lines(site_pdf, page):
            plain = re.fullmatch(r"(?:[\u4e00-\u9fff][，。、；：]?)+", line.text)
            if (plain and len(re.findall(r"[，。、；：]", line.text)) <= 2
                    and abs(line.x0 - 28) < 0.5 and abs(line.x1 - 184) < 0.5):
                counted.append(len(line.chars))
    assert len(counted) >= 40
    assert set(counted) == {28}


def title_chars(pdf: Path, seed_reports: list[str]) -> list[Char]:
    first = dict(outline_titles(pdf))[f"第一篇 {titles(seed_reports)[0]}"]
    title = titles(seed_reports)[0]
    return next([char for char in line.chars] for line in lines(pdf, first) if line.text == title)


def test_the_title_is_2hao_in_the_xiaobiaosong_substitute(site_pdf: Path, seed_reports: list[str]) -> None:
    found = title_chars(site_pdf, seed_reports)
    assert {(char.font, char.size) for char in found if CJK.match(char.text)} == {("NotoSerifCJKjp-Bold", 22.0)}
    # Centred in the text area.
    middle = (found[0].x0 + found[-1].x1) / 2
    assert abs(middle - (28 + 156 / 2)) < 1


def heading(pdf: Path, page: int, start: str) -> Line:
    return next(line for line in lines(pdf, page) if line.text.startswith(start))


def test_headings_are_3hao_heiti_and_kaishu_indented_two_characters(site_pdf: Path, seed_reports: list[str]) -> None:
    first = dict(outline_titles(site_pdf))[f"第一篇 {titles(seed_reports)[0]}"]
    level1 = heading(site_pdf, first, "一、工作成效及特色亮点")
    level2 = heading(site_pdf, first, "（一）强化履职担当")
    assert {(char.font, char.size) for char in level1.chars} == {("FandolHei-Regular", 16.0)}
    assert {(char.font, char.size) for char in level2.chars} == {("FandolKai-Regular", 16.0)}
    # Indented like a paragraph: two characters of the grid.
    assert abs(level1.x0 - 28 - 2 * 156 / 28) < 0.3


def footer(pdf: Path, page: int) -> Line | None:
    return next((line for line in lines(pdf, page) if PAGE_NUMBER.fullmatch(line.text)), None)


def test_page_numbers_are_4hao_on_the_outer_side_7_mm_below_the_text(site_pdf: Path) -> None:
    checked = 0
    for page in range(3, page_count(site_pdf) + 1):
        number = footer(site_pdf, page)
        assert number is not None, page
        value = PAGE_NUMBER.fullmatch(number.text).group(1)
        assert value == str(page - 2)  # cover and 目录 before page 1
        assert {char.size for char in number.chars} == {14.0}
        assert number.text.startswith("—") and number.text.endswith("—")
        one_character = 14 / MM
        if int(value) % 2:
            assert abs(number.x1 - (184 - one_character)) < 0.5, (page, number.x1)
        else:
            assert abs(number.x0 - (28 + one_character)) < 0.5, (page, number.x0)
        top = min(char.top for char in number.chars if char.text == "—")
        assert abs(top - (37 + 225 + 7)) <= 1, (page, top)
        checked += 1
    assert checked >= 30


def test_there_is_no_running_head(site_pdf: Path) -> None:
    above = [(page, char.text) for page in range(2, page_count(site_pdf) + 1)
             for char in chars(site_pdf, page) if char.baseline < 37]
    assert above == []


def test_text_is_black_and_nothing_is_highlighted(site_pdf: Path) -> None:
    black = {(0.0,), (0.0, 0.0, 0.0), (0.0, 0.0, 0.0, 1.0)}
    coloured = {(page, char.text, char.colour) for page in range(1, page_count(site_pdf) + 1)
                for char in chars(site_pdf, page)
                if char.colour not in black and not char.font.startswith("NotoSansCJK")}  # the diagrams' labels
    assert coloured == set()
    # Fills are grey (table rows) or black (rules); the yellow placeholder background is gone.
    fills = {shape[5] for page in range(1, page_count(site_pdf) + 1) for shape in _layout(site_pdf)[page - 1][1]
             if shape[6]}
    assert all(len(fill) == 1 for fill in fills), fills


def test_placeholders_are_underlined(site_pdf: Path) -> None:
    first = report_pages(site_pdf)[0]
    page = next(page for page in report_pages(site_pdf) if "增收XX上" in "".join(
        line.text for line in lines(site_pdf, page)))
    assert page >= first
    line = next(line for line in lines(site_pdf, page) if "增收XX上" in line.text)
    start = line.text.index("增收XX上") + 2
    xx = line.chars[start:start + 2]
    rules = [shape for shape in _layout(site_pdf)[page - 1][1]
             if shape[1] <= xx[0].x0 + 0.1 and shape[2] >= xx[1].x1 - 0.1
             and 0 < shape[3] - line.baseline < 2 and shape[2] - shape[1] < 10]
    assert len(rules) == 1, rules


def test_link_text_and_table_digits_are_upright(site_pdf: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(site_pdf)], capture_output=True, text=True, check=True).stdout
    assert not re.search(r"Italic|Oblique", fonts)


def test_a_table_header_such_as_序号_stays_on_one_line(site_pdf: Path) -> None:
    start = dict(outline_titles(site_pdf))["附录一 报告总览"]
    end = dict(outline_titles(site_pdf))["附录二 术语表"]
    headers = [line for page in range(start, end) for line in lines(site_pdf, page) if line.text.startswith("序号")]
    assert len(headers) >= 2  # the structure table and the 待补充 table


def test_figure_captions_have_a_full_width_colon(site_pdf: Path) -> None:
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(site_pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "图 1：抓党建工作述职评议的一般流程" in text
    assert not re.search(r"图 \d+:", text)


def drawn_bold(pdf: Path, page: int) -> set[str]:
    """The fonts of the text *page* draws thickened (xeCJK's AutoFakeBold: text render mode 2)."""
    from pypdf.generic import ContentStream

    reader = PdfReader(pdf)
    pdf_page = reader.pages[page - 1]
    fonts = pdf_page["/Resources"]["/Font"]
    mode, font, bold = 0, None, set()
    for operands, operator in ContentStream(pdf_page.get_contents(), reader).operations:
        if operator == b"Tr":
            mode = int(operands[0])
        elif operator == b"Tf":
            font = re.sub(r"^/[A-Z]{6}\+|-Identity-H$", "", str(fonts[operands[0]].get_object()["/BaseFont"]))
        elif operator in (b"TJ", b"Tj") and mode == 2:
            bold.add(font)
    return bold


def test_the_third_heading_level_is_3hao_fangsong_bold(tmp_path: Path) -> None:
    """The seed has no 1. headings: a report that has, in a root of its own."""
    result = sphinx_build(ROOTS / "test-pdf-headings", tmp_path, "-q", builder="latexpdf")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    pdf = tmp_path / "latex" / "headings-2023.pdf"
    page = dict(outline_titles(pdf))["第一篇 2023年度测试单位党组织书记抓基层党建工作述职报告"]
    level3 = heading(pdf, page, "1.坚持理论学习")
    assert {(char.font, char.size) for char in level3.chars if CJK.match(char.text)} == {("FandolFang-Regular", 16.0)}
    assert abs(level3.x0 - 28 - 2 * 156 / 28) < 0.3
    assert drawn_bold(pdf, page) == {"FandolFang-Regular"}  # the heading, and nothing else on the page


# -- Text ---------------------------------------------------------------------------------


def test_every_font_has_a_tounicode_map(site_pdf: Path) -> None:
    rows = subprocess.run(["pdffonts", str(site_pdf)], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]
    assert rows
    assert [row for row in rows if row.split()[-3] != "yes"] == []


def wanted(seed_reports: list[str]) -> list[str]:
    return [squeeze(sentence) for report in seed_reports for sentence in sentences(report)]


def without_page_numbers(text: str) -> str:
    return PAGE_NUMBER.sub("", text)


def test_pypdf_extracts_every_seed_sentence(site_pdf: Path, seed_reports: list[str]) -> None:
    reader = PdfReader(site_pdf)
    text = squeeze("".join(without_page_numbers(page.extract_text()) for page in reader.pages))
    assert [sentence for sentence in wanted(seed_reports) if sentence not in text] == []


def test_pdfminer_extracts_every_seed_sentence(site_pdf: Path, seed_reports: list[str]) -> None:
    from pdfminer.high_level import extract_text

    pages = extract_text(site_pdf).split("\f")
    text = squeeze("".join(without_page_numbers(page) for page in pages))
    assert [sentence for sentence in wanted(seed_reports) if sentence not in text] == []


def test_pdftotext_extracts_every_seed_sentence(site_pdf: Path, seed_reports: list[str]) -> None:
    pages = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(site_pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    text = squeeze("".join(without_page_numbers(page) for page in pages))
    assert [sentence for sentence in wanted(seed_reports) if sentence not in text] == []


def test_no_space_is_added_between_chinese_and_digits_or_redactions(site_pdf: Path, seed_reports: list[str]) -> None:
    """Each seed sentence is printed with exactly its own spaces: 主题党日26次, **村, 2023年."""
    pages = report_pages(site_pdf)
    raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-f", str(pages[0]), "-l", str(pages[-1]),
                          str(site_pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = "".join(without_page_numbers(page).replace("\n", "") for page in raw.split("\f"))
    spaced = [sentence for report in seed_reports for sentence in sentences(report)
              if re.search(r"[\u4e00-\u9fff*][0-9A-Za-z*]|[0-9A-Za-z*][\u4e00-\u9fff]", sentence)]
    assert len(spaced) >= 50
    assert "主题党日26次" in text and "我镇**村" in text
    assert [sentence for sentence in spaced if sentence not in text] == []


WEB_AND_EDITOR_TEXT = ("鼠标悬停", "键盘聚焦", "glossary.yaml", "编辑指南", "点击标题", "MyST", "Markdown",
                       "reports/", "文档分享网站", "提醒编辑", "黄色底色")


def test_the_pdf_prints_no_instructions_for_the_web_or_for_editors(site_pdf: Path) -> None:
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(site_pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert [phrase for phrase in WEB_AND_EDITOR_TEXT if phrase in squeeze(text)] == []
    # What the print says instead.
    assert "加下划线标出" in squeeze(text)


# -- The compact style ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def compact_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("compact")
    result = site_build(out, "-D", "shuzhi_pdf_style=compact", builder="latexpdf")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    return out / "latex" / "dangjian-shuzhi-2023.pdf"


def test_the_compact_style_keeps_the_denser_layout(compact_pdf: Path, site_pdf: Path) -> None:
    page = report_pages(compact_pdf)[1]  # a report's second page: full of text
    body = [line for line in lines(compact_pdf, page) if line.baseline > 30 and not PAGE_NUMBER.fullmatch(line.text)]
    sizes = {round(char.size) for line in body for char in line.chars if char.font == "FandolFang-Regular"}
    assert sizes == {12}  # TeX's 12 pt
    assert len(body) >= 30
    # A running head above the text, the page number centred below it.
    assert any(char.baseline < 30 for char in chars(compact_pdf, page))
    number = footer(compact_pdf, page)
    assert abs((number.x0 + number.x1) / 2 - (28 + 156 / 2)) < 1
    assert page_count(compact_pdf) < page_count(site_pdf) * 0.8
    # Copies as correctly as the default.
    rows = subprocess.run(["pdffonts", str(compact_pdf)], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]
    assert [row for row in rows if row.split()[-3] != "yes"] == []


# -- Fast: the style option and the fonts, without TeX runs -------------------------------


@pytest.mark.sphinx("latex", testroot="structure-valid", srcdir="pdf-style-unknown",
                    confoverrides={"shuzhi_pdf_style": "gongwenn"})
def test_an_unknown_pdf_style_is_reported_and_the_default_used(app) -> None:
    app.build()
    assert ("配置项 shuzhi_pdf_style 无效：'gongwenn' 应为 gongwen、compact 之一。已改用默认值。"
            in strip_colors(app.warning.getvalue()))
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    assert r"\usepackage[gongwen]{shuzhi}" in tex


@pytest.mark.sphinx("latex", testroot="structure-valid", srcdir="pdf-style-compact",
                    confoverrides={"shuzhi_pdf_style": "compact"})
def test_the_compact_style_is_passed_to_the_style_file(app) -> None:
    app.build()
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    assert r"\usepackage[compact]{shuzhi}" in tex
    assert "linespread=1.3" in tex and "vmargin={32mm,30mm}" in tex


def test_the_fandol_copies_name_the_identity_collection_and_one_character_a_glyph(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont
    from shuzhi.pdf import fonts

    source = fonts.find("FandolFang-Regular.otf")
    assert source is not None, "TeX Live's Fandol fonts (texlive-lang-chinese) are needed"
    assert fonts.collection(source) == ("Adobe", "GB1", 5)
    target = tmp_path / "FandolFang-Regular.otf"
    fonts.derive(source, target)
    assert fonts.collection(target) == fonts.IDENTITY
    with TTFont(source) as original, TTFont(target) as copy:
        before, after = original.getBestCmap(), copy.getBestCmap()
        # · keeps its glyph; ・ and •, which shared it, are left to the fallback font.
        assert after[0xB7] == before[0xB7] == before[0x30FB] == before[0x2022]
        assert 0x30FB not in after and 0x2022 not in after and 0x22EF not in after
        assert {code: glyph for code, glyph in before.items() if code not in (0x30FB, 0x2022, 0x22EF, 0xFE19)} == after
        assert original.getGlyphOrder() == copy.getGlyphOrder()
