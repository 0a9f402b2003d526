"""The site's search with Pagefind: a chunked index written after the HTML build.

With ``shuzhi_pagefind = True`` (the default), Sphinx writes no ``searchindex.js``
(the theme loaded it on every page: 13.7 MB at 2,000 reports). Instead, on
``build-finished``, Pagefind (``pagefind[extended]``, pinned by the project; its
extended binary segments Chinese) indexes the pages just written and writes
``pagefind/`` into the output: an index split into small chunks, of which a search
downloads only those its words need, and the Pagefind UI's own files (from the
wheel, never a CDN). ``search.html`` (the theme's search box submits to it) shows
the Pagefind UI; no other page loads anything of the search.

What is indexed, and how:

- **Pages.** Each page's ``<article>`` carries ``data-pagefind-body`` (the
  template ``layout.html``), except the search page, the index, the glossary page
  (its entries are indexed one by one, below) and the editors' pages
  (``shuzhi_search_exclude``): they are not in the readers' results. Inside the
  article the report card, the outline (本篇结构) and the tables that list other
  reports (``no-search``) are left out (:data:`EXCLUDE_SELECTORS`): snippets come
  from the text a reader sees.
- **Filters.** A report's year and unit kind (``data-pagefind-filter``: 年度,
  单位类型); the UI shows them as filters.
- **Glossary entries.** Each concept is one record of its own whose URL is its
  entry on the glossary page: the term as title (weighted), its aliases, its
  definition, and, weighted too, its pinyin run together and its initials
  (``sanhuiyike``, ``shyk``), so that typing a concept, an alias or its pinyin
  brings its entry first.

A failure of Pagefind (not installed, the binary missing or failing) is a
warning (``shuzhi.search``) naming what to do; the site is built without search.
"""

from __future__ import annotations

import asyncio
import html
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from .domain import get_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from .glossary import Concept

logger = logging.getLogger(__name__)

#: The folder of the index and the UI's files in the output.
BUNDLE = "pagefind"
SEARCH_TEMPLATE = "shuzhi-search.html"
SEARCH_SCRIPT = "shuzhi-search.js"
#: Inside an indexed article, what is not text a reader reads there: the report card (its
#: year and unit kind are filters), the outline's diagram source, heading anchors (#), tables
#: listing other reports, the glossary's letter bar, print-only copies.
EXCLUDE_SELECTORS = (
    ".report-card", ".report-outline", ".mermaid", "a.headerlink", ".no-search",
    ".glossary-letters", ".only-print", "script", "style",
)
#: Weights (Pagefind's default is 1; an h1 is 7): a concept's own names outweigh any page's text.
TERM_WEIGHT = 10.0
ALIAS_WEIGHT = 8.0
PINYIN_WEIGHT = 8.0
#: Pagefind's filter syntax separates filters by commas and names from values by colons.
_FILTER_UNSAFE = re.compile(r"[,:，：\s]+")


def enabled(app: Sphinx) -> bool:
    return bool(app.config.shuzhi_pagefind) and getattr(app.builder, "format", "") == "html" \
        and app.builder.name in {"html", "dirhtml"}


def disable_sphinx_index(app: Sphinx) -> None:
    """``builder-inited``: no ``searchindex.js``, and so no time spent building it."""
    if enabled(app):
        app.builder.search = False


def glossary_docname(app: Sphinx) -> str | None:
    """The page that shows the glossary (the ``{shuzhi-glossary}`` directive), if any."""
    domain = get_domain(app.env)
    glossary = domain.glossary
    if glossary is None or not glossary.concepts:
        return None
    found = app.env.domains.standard_domain.objects.get(("term", glossary.concepts[0].term.lower()))
    return found[0] if found else None


def _filter_value(value: Any) -> str:
    return _FILTER_UNSAFE.sub(" ", str(value)).strip()


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """``html-page-context``: whether the page is indexed, and its filters (reports)."""
    if not enabled(app):
        return
    context["shuzhi_pagefind"] = True
    excluded = set(app.config.shuzhi_search_exclude) | {glossary_docname(app)}
    context["shuzhi_pagefind_body"] = doctree is not None and pagename not in excluded
    record = get_domain(app.env).reports.get(pagename)
    filters = ["类别:页面"]
    if record is not None:
        for name, key in (("年度", "year"), ("单位类型", "unit_kind")):
            value = _filter_value(record.metadata.get(key, ""))
            if value:
                filters.append(f"{name}:{value}")
    context["shuzhi_pagefind_filters"] = filters


def search_page(app: Sphinx) -> list[tuple[str, dict, str]]:
    """``html-collect-pages``: ``search.html`` with the Pagefind UI (Sphinx's own is not written)."""
    if not enabled(app):
        return []
    glossary = glossary_docname(app)
    page = app.builder.get_relative_uri("search", glossary) if glossary else ""
    return [("search", {"title": "搜索", "shuzhi_pagefind": True, "shuzhi_glossary_page": page}, SEARCH_TEMPLATE)]


def entry_html(concept: Concept, url: str) -> str:
    """A glossary entry as Pagefind indexes it (a file never served: its result links to *url*)."""
    e = html.escape
    aliases = "、".join(concept.aliases)
    pinyin = "".join(concept.syllables)
    parts = [
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>', e(concept.term),
        '</title></head><body data-pagefind-body data-pagefind-filter="类别:术语">',
        f'<span data-pagefind-meta="url:{e(url)}"></span>',
        f'<h1 data-pagefind-weight="{TERM_WEIGHT}">', e(concept.term), "</h1>",
        "<p>术语表 · ", e(concept.category), "</p>",
        "<p>", e(concept.definition), "</p>",
    ]
    if aliases:
        parts += [f'<p data-pagefind-weight="{ALIAS_WEIGHT}">又作：', e(aliases), "</p>"]
    if pinyin:
        parts += [f'<p data-pagefind-weight="{PINYIN_WEIGHT}">', e(pinyin), " ", e(concept.initials), "</p>"]
    parts.append("</body></html>\n")
    return "".join(parts)


def write_glossary_entries(app: Sphinx, folder: Path) -> int:
    """Each glossary entry as a small HTML file in *folder* (outside the site); how many.

    Pagefind's service takes a tenth of a second for each file sent to it, but indexes a
    folder at once: the entries are files, and their results link to the glossary page.
    """
    docname = glossary_docname(app)
    glossary = get_domain(app.env).glossary
    if docname is None or glossary is None:
        return 0
    page = app.builder.get_target_uri(docname)
    count = 0
    for concept in glossary.concepts:
        if concept.anchor:
            (folder / f"{concept.anchor}.html").write_text(entry_html(concept, f"{page}#{concept.anchor}"),
                                                           encoding="utf-8")
            count += 1
    return count


async def _index(site: Path, entries: Path, output: Path) -> int:
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(root_selector="html", exclude_selectors=list(EXCLUDE_SELECTORS),
                         force_language="zh", output_path=str(output))
    async with PagefindIndex(config) as index:
        pages = await index.add_directory(str(site), glob="**/*.html")
        terms = await index.add_directory(str(entries), glob="*.html")
        # Leaving the context writes the files (to output_path), once.
    return int(pages.get("page_count", 0)) + int(terms.get("page_count", 0))


def build_index(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: index the written site with Pagefind into ``pagefind/``.

    Written to a temporary folder first, then swapped in, so that a failed run leaves the
    previous index in place.
    """
    if exception is not None or not enabled(app):
        return
    site = Path(app.outdir)
    target = site / BUNDLE
    staging = site / f".{BUNDLE}-new"
    shutil.rmtree(staging, ignore_errors=True)
    start = time.perf_counter()
    try:
        import pagefind.index  # noqa: F401
    except ImportError:
        logger.warning("未安装 Pagefind，网站没有站内搜索。请安装 pagefind[extended]（见 pyproject.toml），"
                       "例如：pip install 'pagefind[extended]'，然后重新构建。",
                       type="shuzhi", subtype="search")
        return
    try:
        with tempfile.TemporaryDirectory(prefix="shuzhi-glossary-") as entries:
            write_glossary_entries(app, Path(entries))
            count = asyncio.run(_index(site, Path(entries), staging))
    except Exception as error:  # noqa: BLE001 (the binary's failures are of many kinds)
        shutil.rmtree(staging, ignore_errors=True)
        logger.warning("Pagefind 建立搜索索引失败（%s: %s），网站的站内搜索不可用。"
                       "请确认已安装 pagefind[extended]，其程序能在本机运行，然后重新构建。",
                       type(error).__name__, error, type="shuzhi", subtype="search")
        return
    if not (staging / "pagefind.js").is_file():
        shutil.rmtree(staging, ignore_errors=True)
        logger.warning("Pagefind 没有写出搜索索引（%s 中没有 pagefind.js），网站的站内搜索不可用。"
                       "请确认已安装 pagefind[extended]，然后重新构建。", staging,
                       type="shuzhi", subtype="search")
        return
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    logger.info("Pagefind：已为 %d 个页面和术语条目建立搜索索引（%.1f 秒）", count, time.perf_counter() - start)


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", disable_sphinx_index)
    app.connect("html-page-context", page_context)
    app.connect("html-collect-pages", search_page)
    app.connect("build-finished", build_index)
