"""shuzhi: a Sphinx extension for compilations of 抓党建工作述职报告.

``setup()`` registers:

- configuration values (:mod:`.config`);
- ``SOURCE_DATE_EPOCH`` from the last commit when unset, so that the PDF's dates and
  ``/ID`` are the source's and the same in every clone (:mod:`.sourcedate`);
- the ``shuzhi`` domain holding per-document records (:mod:`.domain`);
- the glossary, loaded and validated once per build, with change tracking
  (:mod:`.glossary_env`, data in :mod:`.glossary`);
- a guard that leaves out (and reports) source files that are not UTF-8 text
  (:mod:`.unreadable`);
- raw HTML and script links in reports shown as text, with a warning
  (:mod:`.sanitize`);
- the report dialect: reports parsed with only the directives and roles a site
  allows (none by default), everything else refused before it runs and shown as
  text; markup nested too deeply read as text instead of crashing (:mod:`.dialect`);
- Chinese line breaks joined without a space, on every page (:mod:`.cjk_breaks`);
- the ``doctree-read`` handler that records each report: its front matter,
  parts and findings (:mod:`.frontmatter`, :mod:`.structure`, :mod:`.schema`),
  highlighted placeholders and the concepts it mentions (:mod:`.reading`);
- when a report page is written, its mentions linked to the glossary
  (:mod:`.linking`) and, in HTML, its card and outline diagram (:mod:`.card`);
- the ``build-finished`` handler that reports every finding as a
  ``shuzhi.<kind>`` warning (:mod:`.findings`);
- the ``shuzhi-glossary`` directive: entries A–Z by pinyin, backlinks,
  hover definitions (:mod:`.glossary_page`);
- a unit's reports linked across years (``unit`` in the front matter): 上一年度 and
  下一年度 on each report's card, and the ``unit-reports`` directive (:mod:`.units`);
- each report's review record (点评意见, 问题清单) read from the file beside it and
  shown after the report, marked as the reviewer's (:mod:`.reviews`);
- the 对照 view of each report against its unit's year before, and the
  ``rectification-tracking`` table (:mod:`.rectification`);
- the ``glossary-search`` directive: a box that filters the glossary by
  characters, pinyin and initials (:mod:`.glossary_search`);
- the ``shuzhi-doctree-resolving`` event, emitted before each page's references are
  resolved, whose handlers fill the listings below and structure the PDF (:mod:`.resolving`);
- the ``report-catalogue`` directive and the table it becomes (:mod:`.catalogue`);
- pages that list reports rewritten when, and only when, what they show changes
  (:mod:`.listings`);
- the ``placeholder-list`` directive for the 待补充 page (:mod:`.review`);
- the overview directives: structure and concept matrices, concept map, placeholder
  counts, findings (:mod:`.overview`), and each report's outline diagram (:mod:`.card`,
  :mod:`.diagrams`);
- the sidebar's navigation, read once per build and a constant size on every page
  (:mod:`.navigation`, also an extension on its own);
- static assets: CSS, and mermaid served from the build output (:mod:`.assets`);
- the compilation PDF on the site, with download links (:mod:`.downloads`);
- the printed compilation: LaTeX settings, the year's reports as chapters, the cover
  (:mod:`.latex`);
- Chinese search: jieba with the glossary's words, query segmentation in the
  browser, glossary entries as results (:mod:`.search`);
- the theme's compiled templates kept between builds (:mod:`.template_cache`);
- each HTML page's document freed as soon as the page is rendered (:mod:`.doctree_release`);
- pages whose inline scripts are the same on every page, so that the server's
  Content-Security-Policy allows them by a few hashes (:mod:`.csp`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

__version__ = "0.1.0"


def setup(app: Sphinx) -> ExtensionMetadata:
    # Imported here so that the command line (python -m shuzhi) works without Sphinx.
    from . import (
        assets,
        card,
        catalogue,
        cjk_breaks,
        chunked_search,
        config,
        csp,
        diagrams,
        dialect,
        doctree_release,
        downloads,
        findings,
        glossary_env,
        glossary_page,
        glossary_search,
        icons,
        latex,
        linking,
        listings,
        overview,
        reading,
        resolving,
        rectification,
        review,
        reviews,
        sanitize,
        search,
        sourcedate,
        template_cache,
        units,
        unreadable,
    )
    from .domain import ReportDomain

    app.setup_extension("myst_parser")
    app.setup_extension("sphinxcontrib.mermaid")
    app.setup_extension("shuzhi.navigation")
    config.setup(app)
    sourcedate.setup(app)
    app.add_domain(ReportDomain)
    resolving.setup(app)  # before the modules that connect to its event
    glossary_env.setup(app)
    unreadable.setup(app)
    dialect.setup(app)
    sanitize.setup(app)
    cjk_breaks.setup(app)
    reading.setup(app)
    linking.setup(app)
    card.setup(app)
    findings.setup(app)
    glossary_page.setup(app)
    glossary_search.setup(app)
    catalogue.setup(app)
    review.setup(app)
    reviews.setup(app)
    rectification.setup(app)
    overview.setup(app)
    listings.setup(app)
    units.setup(app)
    assets.setup(app)
    diagrams.setup(app)
    downloads.setup(app)
    latex.setup(app)
    search.setup(app)
    chunked_search.setup(app)
    icons.setup(app)
    template_cache.setup(app)
    doctree_release.setup(app)
    csp.setup(app)
    return {
        "version": __version__,
        # Bump when the shape of the records stored in the environment changes, or what
        # reading leaves in the stored doctrees (6: Chinese line breaks joined, the
        # placeholder class namespaced).
        "env_version": 6,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
