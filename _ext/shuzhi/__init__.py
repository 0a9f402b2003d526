"""shuzhi: a Sphinx extension for compilations of 抓党建工作述职报告.

``setup()`` registers:

- configuration values (:mod:`shuzhi.build.config`);
- docutils' settings made once per build, not twice for every page read
  (:mod:`shuzhi.build.docutils_settings`);
- ``SOURCE_DATE_EPOCH`` from the last commit when unset, so that the PDF's dates and
  ``/ID`` are the source's and the same in every clone (:mod:`shuzhi.build.sourcedate`);
- the ``shuzhi`` domain holding per-document records (:mod:`shuzhi.build.domain`);
- the glossary, loaded and validated once per build, with change tracking
  (:mod:`shuzhi.glossary.loading`, data in :mod:`shuzhi.glossary.entries`);
- a guard that leaves out (and reports) source files that are not UTF-8 text
  (:mod:`shuzhi.untrusted.unreadable`);
- raw HTML and script links in reports shown as text, with a warning
  (:mod:`shuzhi.untrusted.sanitize`);
- the report dialect: reports parsed with only the directives and roles a site
  allows (none by default), everything else refused before it runs and shown as
  text; markup nested too deeply read as text instead of crashing (:mod:`shuzhi.untrusted.dialect`);
- Chinese line breaks joined without a space, on every page (:mod:`shuzhi.build.cjk_breaks`);
- the ``doctree-read`` handler that records each report: its front matter,
  parts and findings (:mod:`shuzhi.report.frontmatter`, :mod:`shuzhi.report.structure`, :mod:`shuzhi.report.schema`),
  highlighted placeholders and the concepts it mentions (:mod:`shuzhi.build.reading`);
- when a report page is written, its mentions linked to the glossary
  (:mod:`shuzhi.glossary.linking`) and, in HTML, its card and outline diagram (:mod:`shuzhi.listings.card`);
- the ``build-finished`` handler that reports every finding as a
  ``shuzhi.<kind>`` warning, and the ``shuzhi-finding-kinds`` directive that lists
  the kinds (:mod:`shuzhi.build.findings`, the kinds in :mod:`shuzhi.report.kinds`);
- the ``shuzhi-glossary`` directive: entries A–Z by pinyin, backlinks,
  hover definitions (:mod:`shuzhi.glossary.page`);
- a unit's reports linked across years (``unit`` in the front matter): 上一年度 and
  下一年度 on each report's card, and the ``unit-reports`` directive (:mod:`shuzhi.listings.units`);
- each report's review record (点评意见, 问题清单) read from the file beside it and
  shown after the report, marked as the reviewer's (:mod:`shuzhi.review.comments`);
- the 对照 view of each report against its unit's year before, and the
  ``rectification-tracking`` table (:mod:`shuzhi.review.rectification`);
- the ``glossary-search`` directive: a box that filters the glossary by
  characters, pinyin and initials (:mod:`shuzhi.glossary.search_box`);
- the ``shuzhi-doctree-resolving`` event, emitted before each page's references are
  resolved, whose handlers fill the listings below and structure the PDF (:mod:`shuzhi.build.resolving`);
- the ``report-catalogue`` directive and the table it becomes (:mod:`shuzhi.listings.catalogue`);
- pages that list reports rewritten when, and only when, what they show changes
  (:mod:`shuzhi.listings.invalidation`);
- the ``placeholder-list`` directive for the 待补充 page (:mod:`shuzhi.listings.placeholder_list`);
- the overview directives: structure and concept matrices, concept map, placeholder
  counts, findings (:mod:`shuzhi.listings.overview`), and each report's outline diagram (:mod:`shuzhi.listings.card`,
  :mod:`shuzhi.listings.diagrams`); reports' own mermaid diagrams, where a site allows
  them, refused when they would load or run something (:mod:`shuzhi.untrusted.mermaid`);
- the sidebar's navigation, read once per build and a constant size on every page
  (:mod:`shuzhi.html.navigation`, also an extension on its own);
- static assets: CSS, and mermaid served from the build output (:mod:`shuzhi.html.assets`);
- the compilation PDF on the site, with download links (:mod:`shuzhi.pdf.downloads`);
- the printed compilation: LaTeX settings, the year's reports as chapters, the cover
  (:mod:`shuzhi.pdf.compilation`);
- Chinese search: jieba with the glossary's words, query segmentation in the
  browser, glossary entries as results (:mod:`shuzhi.search.jieba_index`);
- the theme's compiled templates kept between builds (:mod:`shuzhi.html.template_cache`);
- the page's table of contents made without BeautifulSoup, as the theme makes it (:mod:`shuzhi.html.page_toc`);
- each HTML page's document freed as soon as the page is rendered (:mod:`shuzhi.html.free_doctrees`);
- pages whose inline scripts are the same on every page, so that the server's
  Content-Security-Policy allows them by a few hashes (:mod:`shuzhi.html.csp`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

__version__ = "0.1.0"


def setup(app: Sphinx) -> ExtensionMetadata:
    # Imported here so that the command line (python -m shuzhi) works without Sphinx.
    from .build import cjk_breaks, collector, config, docutils_settings, findings, reading, resolving, sourcedate
    from .build.domain import ReportDomain
    from .glossary import search_box as glossary_search_box
    from .glossary import linking, loading as glossary_loading, page as glossary_page
    from .html import assets, csp, free_doctrees, icons, page_toc, template_cache
    from .listings import card, catalogue, invalidation, overview, placeholder_list, units
    from .pdf import compilation, downloads
    from .review import comments, rectification
    from .search import chunked, jieba_index
    from .untrusted import dialect, mermaid, sanitize, unreadable

    app.setup_extension("myst_parser")
    app.setup_extension("sphinxcontrib.mermaid")
    app.setup_extension("shuzhi.html.navigation")
    config.setup(app)
    collector.setup(app)
    docutils_settings.setup(app)
    sourcedate.setup(app)
    app.add_domain(ReportDomain)
    resolving.setup(app)  # before the modules that connect to its event
    glossary_loading.setup(app)
    unreadable.setup(app)
    dialect.setup(app)
    sanitize.setup(app)
    cjk_breaks.setup(app)
    reading.setup(app)
    linking.setup(app)
    card.setup(app)
    findings.setup(app)
    glossary_page.setup(app)
    glossary_search_box.setup(app)
    catalogue.setup(app)
    placeholder_list.setup(app)
    comments.setup(app)
    rectification.setup(app)
    overview.setup(app)
    invalidation.setup(app)
    units.setup(app)
    assets.setup(app)
    mermaid.setup(app)
    downloads.setup(app)
    compilation.setup(app)
    jieba_index.setup(app)
    chunked.setup(app)
    icons.setup(app)
    template_cache.setup(app)
    page_toc.setup(app)
    free_doctrees.setup(app)
    csp.setup(app)
    return {
        "version": __version__,
        # Bump when the shape of the records stored in the environment changes, or what
        # reading leaves in the stored doctrees (6: Chinese line breaks joined, the
        # placeholder class namespaced; 7: the records moved to shuzhi.report.records;
        # 8: kinds of finding named with underscores, raw_html not raw-html).
        "env_version": 8,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
