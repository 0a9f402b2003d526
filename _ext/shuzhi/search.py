"""Chinese full-text search: jieba segmentation for Sphinx's search index."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sphinx
from sphinx.search.zh import SearchChinese

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class SearchChineseJieba(SearchChinese):
    """Sphinx's Chinese search language, with its JavaScript stemmer fixed on Sphinx < 9.2.

    Sphinx 9.0 and 9.1 emit ``window.Stemmer = ChineseStemmer`` although the
    Chinese language ships the English stemmer, so every page logs a
    ReferenceError and search breaks. The stemmer's JavaScript class is named
    after ``language_name``, so it must be "English" there; Sphinx 9.2 derives
    the class from the stemmer file instead.
    """

    if sphinx.version_info < (9, 2):
        language_name = "English"

    def __init__(self, options: dict[str, str]) -> None:
        import logging

        import jieba

        # jieba logs "Building prefix dict…" on stderr, which is not the build's business.
        jieba.setLogLevel(logging.WARNING)
        super().__init__(options)


def setup(app: Sphinx) -> None:
    app.add_search_language(SearchChineseJieba)
