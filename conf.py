"""Sphinx configuration of the 抓党建工作述职报告汇编 site.

The repository root is Sphinx's source folder: reports live in ``reports/``,
the site's own pages in ``docs/``, and the project's extension in ``_ext/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).parent.resolve()
sys.path.insert(0, str(HERE / "_ext"))

# -- Project ------------------------------------------------------------------
project = "抓党建工作述职报告汇编"
author = "组织部"
copyright = "2023–2026，组织部"  # noqa: A001 (Sphinx's name)
language = "zh_CN"
root_doc = "index"

extensions = [
    "myst_parser",
    "sphinxcontrib.mermaid",
    "shuzhi",
]

source_suffix = {".md": "markdown"}
exclude_patterns = [
    "_build", "_ext", ".tox", ".ci", ".git", ".github", ".pytest_cache",
    "node_modules", "requirements", "tests", "README.md",
]

# Reproducible output: no build date in the pages.
html_last_updated_fmt = None
today_fmt = "%Y年%m月%d日"

# -- MyST ---------------------------------------------------------------------
# Reports are plain text with headings; no extra syntax is enabled, so that
# nothing an author typed is silently interpreted.
myst_enable_extensions: list[str] = []
myst_heading_anchors = 0

# -- HTML ---------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = project
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {
    "show_navbar_depth": 1,
    "max_navbar_depth": 3,
    "collapse_navbar": True,
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "search_bar_text": "搜索……",
    # No top bar: pydata-sphinx-theme 0.20 would add one holding a second search box (the
    # sidebar has one; on a phone the article header's magnifier opens the search).
    "navbar_persistent": [],
    # The theme rewrites the text of a github.com / gitlab.com link that shows its own address
    # ("owner/repo#12"): no page of an intranet's reports has one, and looking for them
    # visits every link of every page (0.3 s of a build at 500 reports).
    "shorten_urls": False,
    # The theme renders every template of its sections on every page to drop those that come out
    # empty; its default end of the primary sidebar is an empty placeholder for Read the Docs' ads.
    "primary_sidebar_end": [],
}
# The book theme's sidebar, with the navigation of the shuzhi extension: read once per
# build and of constant size on every page (the theme's own resolves the whole toctree
# on every page, which is quadratic in the number of reports). No "icon-links.html": without
# "icon_links" it is empty, and the theme would render it on every page only to drop it.
html_sidebars = {
    "**": ["navbar-logo.html", "search-button-field.html", "shuzhi-sidebar-nav.html"],
}
html_search_language = "zh"
# pydata-sphinx-theme logs a console error without an explicit default mode.
html_context = {"default_mode": "light"}

# -- Mermaid (served from the build output; see shuzhi_mermaid_dist) ----------
mermaid_init_config = {"startOnLoad": False, "securityLevel": "strict"}
# The PDF's diagrams are rendered by mermaid-cli (npm) in Debian's Chromium,
# cropped to size, with a CJK font. A diagram that fails to render is a
# warning, and so fails the -W build. docs/mermaid-config.json fixes
# handDrawnSeed: mermaid draws node outlines through rough.js, whose curve
# points are random without a seed (in the classic look too), and the PDF
# would change at every build.
mermaid_cmd = str(HERE / "node_modules" / ".bin" / "mmdc")
mermaid_params = [
    "--puppeteerConfigFile", str(HERE / "docs" / "puppeteer-config.json"),
    "--configFile", str(HERE / "docs" / "mermaid-config.json"),
    "--pdfFit",
]
# The fullscreen button's glyph is missing from common CJK fonts.
mermaid_fullscreen = False

# -- shuzhi (the project's extension; defaults documented in docs/guide.md) ---
shuzhi_report_dirs = ["reports"]
# The editors' pages are not in the readers' search results (docs/search.md).
shuzhi_search_exclude = ["docs/guide", "docs/publish", "docs/search", "docs/performance"]
shuzhi_mermaid_dist = "node_modules/mermaid/dist"

# -- LaTeX / PDF ----------------------------------------------------------------
# Each PDF is the printed compilation of one year (shuzhi_pdf_year; default every
# year): cover, 目 录, 说明, one chapter per report, 附录. The entry below starts at
# root_doc, which stands for "the compilations": the shuzhi extension replaces it by
# one document per year, dangjian-shuzhi-<year>.tex starting at reports/<year>/index,
# and prints only that page's toctree, because the home page's content (toctree of
# years, catalogue) is for the website.
# Typography is in _ext/shuzhi/pdf/latex/shuzhi.sty; the latex_elements it needs are defaults
# set by _ext/shuzhi/pdf/compilation.py. By default the PDF follows GB/T 9704-2012 (official documents:
# 3号 仿宋, 22 lines x 28 characters, — 1 — page numbers); for a thick compilation, set
# shuzhi_pdf_style = "compact" (12 pt, about 34 lines a page, a running head: half the pages).
latex_engine = "xelatex"
latex_use_xindy = False
latex_toplevel_sectioning = "chapter"
latex_domain_indices = False
latex_show_urls = "footnote"
# The overview (structure and concept matrices, concept map) is a reviewer's tool at the
# 述职评议会: printed as the first appendix, before the glossary, which stays last.
latex_appendices = ["docs/overview", "docs/glossary"]
latex_documents = [
    (root_doc, "dangjian-shuzhi.tex", project, author, "manual", True),
]
shuzhi_organisation = "组织部"
shuzhi_pdf_year = ""  # every year found in the reports: dangjian-shuzhi-<year>.pdf each
shuzhi_pdf_style = "gongwen"  # or "compact"
# 关于本汇编 explains the redactions (**村) and the unfilled placeholders (x次) a reader
# meets in the reports, and shows the review process: it is the compilation's 说明.
# The editors' guide is not for readers and is left out of the PDF.
shuzhi_pdf_front_matter = ["docs/about"]
