"""Sphinx's own Chinese search, for sites that set ``shuzhi_search_enhanced = False``.

Imported only then: ``sphinx.search.zh`` imports jieba when it is installed.
"""

from __future__ import annotations

import logging as std_logging
from typing import Any

import sphinx
from sphinx.search.zh import SearchChinese


class SearchChineseStock(SearchChinese):
    """Sphinx's Chinese search language, with two fixes.

    The JavaScript stemmer's name, as :class:`.jieba_index.SearchChineseJieba` (Sphinx 9.0
    and 9.1 emit ``window.Stemmer = ChineseStemmer``, which does not exist); and jieba
    kept quiet: it logs "Building prefix dict…" on stderr, which is not the build's
    business.
    """

    if sphinx.version_info < (9, 2):
        language_name = "English"

    def __init__(self, options: dict[str, Any]) -> None:
        try:
            import jieba
        except ImportError:  # Sphinx then splits Latin words only
            pass
        else:
            jieba.setLogLevel(std_logging.WARNING)
        super().__init__(options)
