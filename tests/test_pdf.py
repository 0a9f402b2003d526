"""The PDF compilation, read from the PDF itself (text, fonts), not from the build's exit code."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from builds import ROOTS, messages, site_build, sphinx_build
from conftest import REPO, sentences
from pypdf import PdfReader

#: Chapter labels of the first reports, as the PDF prints them.
CHAPTERS = ("第一篇", "第二篇", "第三篇", "第四篇", "第五篇")


def page_size(pdf: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    return float(match.group(1)), float(match.group(2))


def pdf_text(pdf: Path, top: float = 0.09, bottom: float = 0.08) -> str:
    """The body text of every page: the running header and footer bands are cropped off.

    On A4 (842 pt) the header's text sits at 57-69 pt from the top and the page number
    at 781-793 pt; the body runs from about 85 pt to 757 pt.
    """
    width, height = page_size(pdf)
    crop = ["-x", "0", "-y", str(int(height * top)), "-W", str(int(width)),
            "-H", str(int(height * (1 - top - bottom)))]
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", *crop, str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def page_text(pdf: Path, page: int, *, raw: bool = False) -> str:
    """The whole text of one page (1-based), header and footer included; *raw*: in the order
    it was printed (pdftotext -raw), not rearranged into columns (a table's cells, 目录's lines)."""
    mode = ["-raw"] if raw else []
    return subprocess.run(["pdftotext", *mode, "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def squeeze(text: str) -> str:
    """Drop all white space: the PDF breaks lines anywhere and spaces CJK from Latin."""
    return re.sub(r"\s+", "", text)


def test_every_seed_sentence_reaches_the_pdf(site_pdf: Path, seed_reports: list[str]) -> None:
    text = squeeze(pdf_text(site_pdf))
    wanted = [squeeze(sentence) for report in seed_reports for sentence in sentences(report)]
    missing = [sentence for sentence in wanted if sentence not in text]
    assert missing == []


def test_pdf_has_no_missing_glyphs_and_embeds_every_font(site_pdf: Path) -> None:
    log = site_pdf.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log
    # Every link inside the PDF (concepts, backlinks, 目录) has its destination.
    assert "Hyper reference" not in log and "There were undefined references" not in log
    fonts = subprocess.run(["pdffonts", str(site_pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not_embedded == []


def titles(seed_reports: list[str]) -> list[str]:
    return [report.split("\n", 1)[0] for report in seed_reports]


def test_pdf_is_a4_with_a_sensible_page_count(site_pdf: Path, seed_reports: list[str]) -> None:
    width, height = page_size(site_pdf)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    # About 700 characters of 12 pt text on an A4 page, plus cover, 目录, 说明, and the
    # glossary appendix at two to four entries a page.
    from shuzhi.glossary import entries as glossary

    characters = sum(len(squeeze(report)) for report in seed_reports)
    entries = len(glossary.load(Path(__file__).parent.parent / "docs" / "glossary.yaml").concepts)
    assert characters // 900 + entries // 4 <= page_count(site_pdf) <= characters // 400 + entries // 2 + 12


def outline_titles(pdf: Path) -> list[tuple[str, int]]:
    """Top-level bookmarks: (title, 1-based page)."""
    reader = PdfReader(pdf)
    return [(item.title, reader.get_destination_page_number(item) + 1)
            for item in reader.outline if not isinstance(item, list)]


def test_bookmarks_are_the_compilation_s_structure(site_pdf: Path, seed_reports: list[str]) -> None:
    bookmarks = [squeeze(title) for title, _ in outline_titles(site_pdf)]
    expected = ["目录", "关于本汇编",
                *(label + title for label, title in zip(CHAPTERS, titles(seed_reports), strict=True)),
                "附录一报告总览", "附录二术语表"]
    assert bookmarks == expected


def test_every_report_is_a_chapter_that_starts_a_page(site_pdf: Path, seed_reports: list[str]) -> None:
    starts = dict(outline_titles(site_pdf))
    pages = [page for title, page in starts.items() if title.startswith(CHAPTERS)]
    assert len(pages) == 5 and pages == sorted(pages)
    for (label, title), page, report in zip(zip(CHAPTERS, titles(seed_reports)), pages, seed_reports):
        text = squeeze(pdf_text_page(site_pdf, page))
        assert text.startswith(squeeze(label + title)), text[:80]
        # Metadata under the title, the length counted here from the seed itself.
        assert f"字数：{len(squeeze(report)):,}" in text
        assert "年度：2023" in text and "单位类型：" in text and "述职人：" in text


def pdf_text_page(pdf: Path, page: int) -> str:
    """The body text of one page (header and footer cropped)."""
    width, height = page_size(pdf)
    crop = ["-x", "0", "-y", str(int(height * 0.09)), "-W", str(int(width)), "-H", str(int(height * 0.83))]
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), *crop, str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_first_pages_are_cover_contents_and_front_matter(site_pdf: Path, seed_reports: list[str]) -> None:
    cover = squeeze(page_text(site_pdf, 1))
    assert "2023年度抓党建工作述职报告汇编" in cover
    assert "共5篇" in cover
    assert "组织部" in cover
    assert not re.search(r"\d+月\d+日|20\d\d-\d\d-\d\d", cover)  # no build date
    contents = page_text(site_pdf, 2, raw=True)
    assert squeeze(contents).startswith("目录")
    positions = [squeeze(contents).find(squeeze(label + title))
                 for label, title in zip(CHAPTERS, titles(seed_reports))]
    assert -1 not in positions and positions == sorted(positions)
    assert "附录" in contents and "术语表" in contents
    # Page 3: the front matter (说明), then the first report on the page after it ends.
    assert squeeze(pdf_text_page(site_pdf, 3)).startswith("关于本汇编")
    first = dict(outline_titles(site_pdf))[f"第一篇 {titles(seed_reports)[0]}"]
    # No running head names it (GB/T 9704): the page before the first report ends the front
    # matter, with its last element, the review process's diagram.
    assert first > 3
    assert "图1：抓党建工作述职评议的一般流程" in squeeze(page_text(site_pdf, first - 1))


def test_no_english_banners_and_no_sphinx_section_numbers(site_pdf: Path) -> None:
    text = pdf_text(site_pdf, top=0, bottom=0)
    assert not re.search(r"chapter|contents", text, re.IGNORECASE)
    # Sphinx numbering in front of the reports' own: "1.1 一、", "1.1.1 （一）", "1 2023年…".
    assert not re.search(r"\d+(?:\.\d+)+\s*[一二三四五六七八九十（]", text)
    assert not re.search(r"^\s*\d+\s+(?:一、|（一）)", text, re.MULTILINE)


def fonts_by_line(pdf: Path, page: int) -> list[tuple[float, str]]:
    """(baseline from the top of the page, font name) of every text run on *page*."""
    reader = PdfReader(pdf)
    pdf_page = reader.pages[page - 1]
    height = float(pdf_page.mediabox.height)
    runs = []

    def visit(text, cm, tm, font, size) -> None:
        if font and text.strip():
            runs.append((height - (cm[3] * tm[5] + cm[5]), str(font.get("/BaseFont"))))

    pdf_page.extract_text(visitor_text=visit)
    return runs


def fonts_of(pdf: Path, page: int, text: str) -> set[str]:
    """The fonts of the text runs on the line of *page* that starts with *text*."""
    layout = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                            capture_output=True, text=True, check=True).stdout
    words = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', layout)
    top, bottom = next((float(y0), float(y1)) for y0, y1, word in words if word.startswith(text))
    fonts = {re.sub(r"^/[A-Z]{6}\+|-Identity-H$", "", font) for y, font in fonts_by_line(pdf, page)
             if top - 1 <= y <= bottom + 1}
    return fonts - {"FreeSerif", "FreeSerifBold"}  # digits and Latin letters


def test_headings_and_body_use_the_official_document_fonts(site_pdf: Path, seed_reports: list[str]) -> None:
    first = dict(outline_titles(site_pdf))[f"第一篇 {titles(seed_reports)[0]}"]
    assert fonts_of(site_pdf, first, "一、工作成效及特色亮点") == {"FandolHei-Regular"}
    assert fonts_of(site_pdf, first, "（一）强化履职担当") == {"FandolKai-Regular"}
    assert fonts_of(site_pdf, first, "一是抓实党建责任落实") == {"FandolFang-Regular"}
    assert fonts_of(site_pdf, first, "2023年党组织书记抓基层党建工作述职报告") == {"NotoSerifCJKjp-Bold"}  # 思源宋体 for 小标宋


def test_links_inside_the_pdf_are_clickable(site_pdf: Path) -> None:
    reader = PdfReader(site_pdf)
    contents = reader.pages[1]
    links = [annot.get_object() for annot in contents.get("/Annots", [])
             if annot.get_object().get("/Subtype") == "/Link"]
    assert len(links) >= 7  # 说明, five reports, 附录
    assert all("/Dest" in link or "/A" in link for link in links)


def test_the_about_page_s_diagram_is_vector_text(site_pdf: Path) -> None:
    start = dict(outline_titles(site_pdf))["关于本汇编"]
    page = next(page for page in range(start, start + 3) if "抓党建工作述职评议的一般流程" in page_text(site_pdf, page))
    text = squeeze(page_text(site_pdf, page))
    for label in ("组织部门印发述职评议工作方案", "召开述职评议会议", "限期整改并纳入下年度述职"):
        assert label in text
    images = subprocess.run(["pdfimages", "-list", "-f", str(page), "-l", str(page), str(site_pdf)],
                            capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert images == []  # drawn, not a bitmap


def test_the_overview_appendix_has_the_tables_and_a_vector_concept_map(site_pdf: Path) -> None:
    start = dict(outline_titles(site_pdf))["附录一 报告总览"]
    end = dict(outline_titles(site_pdf))["附录二 术语表"]
    text = squeeze("".join(page_text(site_pdf, page, raw=True) for page in range(start, end)))
    for heading in ("结构对照", "常用概念", "待补充", "结构检查发现的问题"):
        assert heading in text
    assert "三会一课" in text and "合计33" in text  # the concept matrix; the placeholder total
    # The concept map: labels drawn as text (report nodes "序号 单位类型"), no bitmap.
    assert "1乡镇" in text and "3国有企业" in text
    images = subprocess.run(["pdfimages", "-list", "-f", str(start), "-l", str(end - 1), str(site_pdf)],
                            capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert images == []


VALID_DIAGRAM = "```{mermaid}\nflowchart TD\n    A[组织部门印发方案] --> B[党组织书记撰写报告]\n```\n"


@pytest.mark.pdf
def test_a_diagram_that_fails_to_render_fails_the_build(tmp_path: Path) -> None:
    """The LaTeX builder renders diagrams (mermaid-cli in Chromium) when it writes the .tex; no TeX run."""
    import shutil

    source = tmp_path / "src"
    shutil.copytree(ROOTS / "test-mermaid-broken", source)

    broken = sphinx_build(source, tmp_path / "out", "-q", builder="latex")
    assert broken.returncode != 0
    assert "Mermaid exited with error" in broken.stderr
    assert not list((tmp_path / "out" / "latex").glob("mermaid-*.pdf"))
    # The same page with a valid diagram builds, and the diagram is a PDF for LaTeX.
    index = source / "index.md"
    index.write_text(index.read_text(encoding="utf-8").split("```", 1)[0] + VALID_DIAGRAM, encoding="utf-8")
    fixed = sphinx_build(source, tmp_path / "out", "-q", builder="latex")
    assert fixed.returncode == 0, fixed.stderr
    assert len(list((tmp_path / "out" / "latex").glob("mermaid-*.pdf"))) == 1


@pytest.mark.pdf
def test_a_year_without_reports_is_reported_at_its_line_in_conf_py(tmp_path: Path) -> None:
    """The LaTeX build, no TeX run; but its diagrams are drawn by mermaid-cli in Chromium."""
    result = site_build(tmp_path, "-D", "shuzhi_pdf_year=1999", builder="latex")
    assert result.returncode != 0
    conf = (REPO / "conf.py").read_text(encoding="utf-8").split("\n")
    line = next(number for number, text in enumerate(conf, 1) if text.startswith("shuzhi_pdf_year = "))
    found = [(m.path, m.line, m.type) for m in messages(result.stderr, REPO)]
    assert found == [("conf.py", line, "shuzhi.pdf_year")]


def glossary_appendix(pdf: Path) -> str:
    """The glossary appendix's text, from its bookmark to the end of the PDF, white space dropped."""
    start = dict((squeeze(title), page) for title, page in outline_titles(pdf))["附录二术语表"]
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(start), "-l", str(page_count(pdf)), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    return squeeze(text)


def test_glossary_appendix_prints_entries_with_official_sources_only(site_pdf: Path) -> None:
    from shuzhi.glossary import entries as glossary

    text = glossary_appendix(site_pdf)
    concepts = glossary.load(REPO / "docs" / "glossary.yaml").concepts
    heading = {concept.term: concept.term + concept.pinyin.replace(" ", "") for concept in concepts}
    assert [c.term for c in concepts if c.verified and heading[c.term] not in text] == []
    assert [c.term for c in concepts if not c.verified and heading[c.term] in text] == []


def test_glossary_appendix_cites_a_reference_list_not_url_footnotes(site_pdf: Path) -> None:
    text = glossary_appendix(site_pdf)
    works = text.rindex("参考依据")
    # Every address is in the 参考依据 list at the end; none is a footnote under an entry.
    assert [match.start() for match in re.finditer("http", text) if match.start() < works] == []
    cited = {int(number) for number in re.findall(r"依据：\[(\d+)\]", text[:works])}
    listed = [int(number) for number in re.findall(r"\[(\d+)\](?=[《\w])", text[works:])]
    assert listed == list(range(1, len(listed) + 1)) and cited == set(listed)
    assert "《中国共产党支部工作条例（试行）》，中共中央，2018年。" in text[works:]


def test_glossary_appendix_prints_no_reliability_notes(site_pdf: Path) -> None:
    from shuzhi.glossary import entries as glossary

    text = glossary_appendix(site_pdf)
    notes = [squeeze(c.source.note) for c in glossary.load(REPO / "docs" / "glossary.yaml").concepts if c.source.note]
    assert notes and [note for note in notes if note in text] == []
    # Phrases only the editors' notes use.
    for phrase in ("待核实", "未找到权威来源", "条款未逐条核对", "检索核实", "弱—中", "（弱）"):
        assert phrase not in text, phrase
