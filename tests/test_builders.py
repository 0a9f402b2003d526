"""The site under Sphinx's other HTML builders: ``dirhtml`` (a folder per page) and ``singlehtml``
(every page in one). Links made at write time come from the builder, so each resolves to a file
the build wrote; the PDF download links too (a stand-in PDF: no TeX needed).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import REPO

from builds import ROOTS, sphinx_build, stand_in_pdfs

SITE_PDF = "dangjian-shuzhi-2023.pdf"


def build(src: Path, builder: str, out: Path, pdfs: Path) -> Path:
    """*src* built with *builder* into *out*, the PDFs taken from *pdfs* (``shuzhi_pdf_source``)."""
    result = sphinx_build(src, out, "-q", "-D", f"shuzhi_pdf_source={pdfs}", builder=builder, cwd=src)
    assert result.returncode == 0, result.stderr
    return out / builder


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> dict[str, Path]:
    """The real site under ``dirhtml`` and ``singlehtml``, with a stand-in of its PDF."""
    tmp = tmp_path_factory.mktemp("builders")
    pdfs = stand_in_pdfs(tmp / "pdfs", "dangjian-shuzhi", ["2023"])
    return {builder: build(REPO, builder, tmp / "out", pdfs) for builder in ("dirhtml", "singlehtml")} | {"pdfs": pdfs}


@pytest.fixture(scope="module")
def two_years(tmp_path_factory) -> dict[str, Path]:
    """The root ``two-years`` (units across years, 整改跟踪, reviews, a PDF per year), likewise."""
    tmp = tmp_path_factory.mktemp("two-years")
    src = tmp / "src"
    shutil.copytree(ROOTS / "test-two-years", src)
    pdfs = stand_in_pdfs(tmp / "pdfs", "two-years", ["2022", "2023"])
    return {builder: build(src, builder, tmp / "out", pdfs) for builder in ("dirhtml", "singlehtml")} | {"pdfs": pdfs}


@pytest.fixture(params=["site", "two_years"])
def built(request) -> dict[str, Path]:
    return request.getfixturevalue(request.param)


def pages(out: Path) -> list[Path]:
    """The pages the build wrote (not the theme's templates copied into ``_static``)."""
    return sorted(path for path in out.rglob("*.html") if "_static" not in path.relative_to(out).parts)


def target_of(page: Path, href: str) -> Path:
    """The file *href* (relative, fragment dropped) names, from *page*: a folder's ``index.html``."""
    path = unquote(urlsplit(href).path)
    target = page.parent / path if path else page
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def internal(soup: BeautifulSoup, selectors: str) -> list[tuple[str, str]]:
    """(tag, URL) of every relative link under *selectors*."""
    found = []
    for tag in soup.select(selectors):
        url = tag.get("href") or tag.get("src")
        if url and not urlsplit(url).scheme and not url.startswith("//"):
            found.append((tag.name, url))
    return found


def ids(page: Path, cache: dict[Path, set[str]]) -> set[str]:
    if page not in cache:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        cache[page] = {tag["id"] for tag in soup.find_all(id=True)}
    return cache[page]


def test_dirhtml_every_internal_link_and_anchor_resolves(built: dict[str, Path]) -> None:
    out = built["dirhtml"]
    broken, cache, reached = [], {}, set()
    for page in pages(out):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, url in internal(soup, "a[href], link[href], script[src], img[src]"):
            target = target_of(page, url).resolve()
            reached.add(target)
            fragment = unquote(urlsplit(url).fragment)
            if not target.is_file():
                broken.append((page.relative_to(out).as_posix(), tag, url, "no file"))
            elif fragment and target.suffix == ".html" and fragment not in ids(target, cache):
                broken.append((page.relative_to(out).as_posix(), tag, url, "no anchor"))
    assert broken == []
    # What was checked: a link to every page (but the search page, reached by a form) and to each PDF.
    assert {page.resolve() for page in pages(out)} - reached <= {(out / "search" / "index.html").resolve()}
    assert {(out / pdf.name).resolve() for pdf in built["pdfs"].iterdir()} <= reached


def test_singlehtml_every_link_in_the_page_leads_to_a_file(built: dict[str, Path]) -> None:
    """Every link in the page's body (the reports, listings, sidebar and PDF links) names a file
    the build wrote. Not the anchors: Sphinx 9's singlehtml joins a document's anchor to a
    target's (``#document-docs/glossary#term-…``, sphinx-doc/sphinx#14221), for its own term
    references as for every ``make_refnode``; nor the ``<head>``, whose ``rel="search"`` and
    ``rel="index"`` name pages singlehtml does not write."""
    out = built["singlehtml"]
    assert pages(out) == [out / "index.html"]
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = internal(soup.body, "a[href], img[src]")
    broken = [url for _, url in links if not target_of(out / "index.html", url).resolve().is_file()]
    assert broken == []
    # Every link stays on the page but those to the PDFs.
    assert {target_of(out / "index.html", url).resolve() for _, url in links} == {
        (out / "index.html").resolve(), *((out / pdf.name).resolve() for pdf in built["pdfs"].iterdir())}


def pdf_links(page: Path) -> list[tuple[str, str]]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [(link.get_text(), link["href"]) for link in soup.select("a.pdf-download-link")]


def test_dirhtml_each_report_links_the_pdf_at_the_site_root(site: dict[str, Path]) -> None:
    out = site["dirhtml"]
    assert (out / SITE_PDF).read_bytes() == b"%PDF-1.4 stand-in for the 2023 compilation\n"
    page = out / "reports" / "2023" / "03-guoqi" / "index.html"
    assert pdf_links(page) == [("下载 PDF 汇编（本报告为第三篇）", f"../../../{SITE_PDF}")]
    assert target_of(page, f"../../../{SITE_PDF}").resolve() == (out / SITE_PDF).resolve()


def test_singlehtml_each_report_in_the_page_links_the_pdf(site: dict[str, Path]) -> None:
    """The home page, the year's page and each of the five reports, in the page's order."""
    out = site["singlehtml"]
    assert (out / SITE_PDF).is_file()
    numbers = "一二三四五"
    assert pdf_links(out / "index.html") == [
        ("下载2023年度汇编的 PDF 印刷版", SITE_PDF), ("下载2023年度汇编的 PDF 印刷版", SITE_PDF),
        *((f"下载 PDF 汇编（本报告为第{n}篇）", SITE_PDF) for n in numbers)]


def test_singlehtml_two_years_each_report_links_its_own_year_s_pdf(two_years: dict[str, Path]) -> None:
    out = two_years["singlehtml"]
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    # Each link right under its page's title (the heading before the link's paragraph).
    found = [(link.find_parent("p").find_previous_sibling().get_text().rstrip("¶"), link.get_text(), link["href"])
             for link in soup.select("a.pdf-download-link")]
    assert found == [
        ("测试汇编", "下载2023年度汇编的 PDF 印刷版", "two-years-2023.pdf"),
        ("2023年度", "下载2023年度汇编的 PDF 印刷版", "two-years-2023.pdf"),
        ("2023年度青山镇党委书记抓基层党建工作述职报告", "下载 PDF 汇编（本报告为第一篇）", "two-years-2023.pdf"),
        ("2023年度绿水街道党委书记抓基层党建工作述职报告", "下载 PDF 汇编（本报告为第二篇）", "two-years-2023.pdf"),
        ("2022年度", "下载2022年度汇编的 PDF 印刷版", "two-years-2022.pdf"),
        ("2022年度青山镇党委书记抓基层党建工作述职报告", "下载 PDF 汇编（本报告为第一篇）", "two-years-2022.pdf"),
    ]
    assert (out / "two-years-2022.pdf").is_file() and (out / "two-years-2023.pdf").is_file()


def test_dirhtml_icon_font_keeps_every_icon_the_pages_show(site: dict[str, Path]) -> None:
    """The icon font is cut to the icons the pages use (shuzhi.html.icons): under dirhtml it must
    read the pages where dirhtml writes them (``search/index.html``…), or the sidebar's
    expand toggle and the previous-page arrow lose their glyphs."""
    from fontTools.ttLib import TTFont
    from shuzhi.html import icons

    out = site["dirhtml"]
    table = icons.icon_table((out / icons.STYLESHEET).read_text(encoding="utf-8"))
    shown = {name for name in icons.used_names(out, pages(out)) if name in table}
    assert {"fa-chevron-down", "fa-angle-left", "fa-magnifying-glass"} <= shown
    [font] = (out / icons.FONTS).glob(icons.SUBSET)
    glyphs = set(TTFont(font).getBestCmap())
    assert sorted(name for name in shown if table[name] not in glyphs) == []
