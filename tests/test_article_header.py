"""The article header's buttons (html/templates/article-header-buttons.html), fast tier.

The site turns the book theme's own buttons off; the template imports their macros only
for a page that has some. A site that keeps them (the navigation's test root: the theme's
defaults) still shows them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup


@pytest.mark.sphinx("html", testroot="navigation", srcdir="header-buttons")
def test_the_themes_own_buttons_are_shown_where_a_site_keeps_them(app) -> None:
    app.build()
    page = BeautifulSoup((Path(app.outdir) / "about.html").read_text(encoding="utf-8"), "html.parser")
    buttons = page.select_one(".article-header-buttons")
    assert [" ".join(element["class"]) for element in buttons.find_all(recursive=False)] == [
        "dropdown dropdown-download-buttons", "btn btn-sm btn-fullscreen-button pst-navbar-icon",
        "theme-switch-container dropdown pst-js-only",
        "btn btn-sm pst-navbar-icon search-button search-button__button pst-js-only"]
    assert [name for button in buttons.select(".dropdown-item") for name in button["class"]
            if name.startswith("btn-download")] == ["btn-download-source-button", "btn-download-pdf-button"]


@pytest.mark.sphinx("html", testroot="navigation", srcdir="header-no-buttons",
                    confoverrides={"html_theme_options": {"use_download_button": False, "use_fullscreen_button": False}})
def test_without_them_the_header_has_the_sites_buttons_only(app) -> None:
    app.build()
    page = BeautifulSoup((Path(app.outdir) / "about.html").read_text(encoding="utf-8"), "html.parser")
    buttons = page.select_one(".article-header-buttons")
    assert [" ".join(element["class"]) for element in buttons.find_all(recursive=False)] == [
        "theme-switch-container dropdown pst-js-only",
        "btn btn-sm pst-navbar-icon search-button search-button__button pst-js-only"]
