"""Chinese full-text search: jieba with the glossary's words, query segmentation, ranking.

With ``shuzhi_search_enhanced = False`` the site uses Sphinx's own Chinese
search (:mod:`shuzhi.search.stock` only fixes its JavaScript stemmer name on
Sphinx < 9.2 and keeps jieba quiet). With the default ``True``
(:class:`SearchChineseJieba`, which never imports jieba itself: Sphinx's Chinese
language imports it, and jieba imports ``pkg_resources``, which costs every
build, even one that re-reads a single page, a quarter of a second):

- **Index.** Each HTML build writes the glossary's terms and aliases to a
  jieba user dictionary in the doctree folder (``env-updated``, only for
  builders that have a search index). The search language segments text with a
  private ``rjieba.Jieba`` (jieba-rs: jieba's dictionary and algorithm in Rust,
  the same words, about 15 times faster) made on the first page it indexes:
  the dictionary is loaded once per build, never for LaTeX, and nothing is
  shared between builds in one process.
  A glossary word is indexed together with the shorter words the stock
  dictionary splits it into, so 三会 still finds what 三会一课 finds.
- **Query.** ``splitQuery`` (``js/splitter.js`` after ``js/segment.js``, the
  segmentation the site's own search page shares, embedded in
  ``language_data.js``) segments the query in the browser by the longest
  words the index and the glossary know, with ``Intl.Segmenter`` for the
  rest, so 党建工作 is searched as 党建 + 工作.
- **Ranking.** ``html_search_scorer`` (``search/js/scorer.js``) puts a
  concept's glossary entry first, then the reports that use it.
- **Results.** A glossary entry is found through its index entries (Sphinx
  scores an index entry that is the query 100); the glossary page adds one for
  each alias too (:mod:`shuzhi.glossary.page`), so 八项规定 finds 中央八项规定.
- **Phrases.** Two adjacent words are indexed as one more term (意识形态 +
  工作 → 意识形态工作), so an unspaced query matches the reports that
  contain it as written before those that merely contain its words.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import snowballstemmer
import sphinx
from sphinx.search import SearchLanguage
from sphinx.search.en import SearchEnglish
from sphinx.util import logging

from ..build.domain import get_domain
from .index_files import Learnt

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from ..glossary.entries import Glossary

logger = logging.getLogger(__name__)

JS_DIR = Path(__file__).parent / "js"
#: html_search_options keys this module sets (a site may set jieba's own "dict" too).
WORDS_OPTION = "shuzhi_words"
REPORT_DIRS_OPTION = "shuzhi_report_dirs"
WORDS_FILE = "shuzhi-search-words.txt"

#: What jieba treats as one run of text (its ``re_han_default``); other characters split words.
_HAN_WORD = re.compile(r"[\u4E00-\u9FD5]+")
_JIEBA_RUN = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")


def index_words(glossary: Glossary | None) -> list[str]:
    """The words to add to jieba: every term and alias, cut at characters jieba splits on.

    村“两委” gives 两委 (村 alone is too short to be a word); 学思想、强党性 gives 学思想 and 强党性.
    """
    words: dict[str, None] = {}
    for concept in glossary.concepts if glossary else ():
        for form in concept.forms:
            for run in _JIEBA_RUN.findall(form):
                if len(run) >= 2:
                    words[run] = None
    return list(words)


class SearchChineseJieba(SearchLanguage):
    """Chinese search with a private tokenizer that knows the glossary's words.

    What Sphinx's Chinese language (``sphinx.search.zh``) declares, it declares
    too: the English stemmer and stop words for Latin words, words of two
    characters or more. Its own word splitting and query splitter
    (``js/splitter.js``) are described in the module's docstring.

    The JavaScript stemmer: Sphinx 9.0 and 9.1 emit ``window.Stemmer =
    ChineseStemmer`` although the Chinese language ships the English stemmer,
    so every page logs a ReferenceError and search breaks. The stemmer's class
    is named after ``language_name``, so it must be "English" there; Sphinx 9.2
    derives the class from the stemmer file instead.
    """

    lang = "zh"
    language_name = "English" if sphinx.version_info < (9, 2) else "Chinese"
    js_stemmer_rawcode = "english-stemmer.js"
    stopwords = SearchEnglish.stopwords  # what sphinx.search.zh uses
    latin1_letters = re.compile(r"[a-zA-Z0-9_]+")

    def __init__(self, options: dict[str, Any]) -> None:
        super().__init__(options)
        self.latin_terms: set[str] = set()
        self.stemmer = snowballstemmer.stemmer("english")
        self._user_dict = options.get("dict") or ""
        self._words_file = Path(options.get(WORDS_OPTION) or "")
        self._tokenizer: Any = None
        self._pieces: dict[str, tuple[str, ...]] = {}
        # Per word, whether it is Chinese only (no stemming; may join a phrase): a site
        # has some ten thousand distinct words and indexes them some million times.
        self._chinese: dict[str, bool] = {}
        self._han: dict[str, bool] = Learnt(_is_han)
        #: Per word of the precise cut, what cut_for_search gives for it (:meth:`_words_for_search`).
        self._search_words: dict[str, tuple[str, ...]] = Learnt(self._words_for_search)
        settings = {"reportDirs": [d.strip("/") + "/" for d in options.get(REPORT_DIRS_OPTION, ())]}
        self.js_splitter_code = (
            f"var SHUZHI_SEARCH = {json.dumps(settings, ensure_ascii=False)};\n"
            + (JS_DIR / "segment.js").read_text(encoding="utf-8")
            + (JS_DIR / "splitter.js").read_text(encoding="utf-8")
        )

    def tokenizer(self) -> Any:
        """The segmenter of this build, made (and its dictionary loaded) on first use.

        rjieba binds jieba-rs, the Rust port of jieba: the same dictionary and the
        same algorithm (identical segmentation of Chinese text), about 15 times faster,
        which is most of the cost of indexing a Chinese site.
        """
        if self._tokenizer is None:
            import rjieba

            tokenizer = rjieba.Jieba()
            words = []
            if self._words_file.is_file():
                words = [w for w in self._words_file.read_text(encoding="utf-8").split("\n") if w]
            # What the stock dictionary makes of each word (before the words are added),
            # and the other glossary words inside it (八项规定 in 中央八项规定).
            self._pieces = {
                word: tuple(dict.fromkeys(
                    [p for p in tokenizer.cut_for_search(word) if p != word and len(p) > 1]
                    + [other for other in words if other != word and other in word]
                ))
                for word in words
            }
            for word in words:
                tokenizer.add_word(word, None, None)
            for word, freq, tag in _user_dictionary(self._user_dict):
                tokenizer.add_word(word, freq, tag)
            self._tokenizer = tokenizer
        return self._tokenizer

    def word_filter(self, stemmed_word: str) -> bool:
        return len(stemmed_word) > 1

    def stem(self, word: str) -> str:
        # Sphinx runs the English stemmer on every word, Chinese included, where it
        # changes nothing: skipping it halves the time spent indexing a Chinese site.
        chinese = self._chinese.get(word)
        if chinese is None:
            chinese = self._chinese[word] = not word.isascii() and not self.latin1_letters.search(word)
        if chinese:
            return word
        # As sphinx.search.zh: a Latin word of 3+ letters that stemming would make
        # shorter than 3 (an acronym, say) is kept as it is.
        stemmed = self.stemmer.stemWord(word.lower())
        if len(word) >= 3 > len(stemmed) and word in self.latin_terms:
            return word.lower()
        return stemmed

    def split(self, input: str) -> list[str]:
        return list(self.split_counts(input).elements())

    def split_counts(self, input: str) -> Counter[str]:
        """The words of *input* (what :meth:`split` returns), each with its number of occurrences.

        Counted rather than listed: the chunked index needs only the counts, and counting in C
        first leaves a Python loop over each distinct word rather than over every occurrence.
        One segmentation serves both the words and the phrases: the words are those of jieba's
        ``cut_for_search`` (the precise cut, and inside each word of three characters or more
        its two- and three-character runs that are in the dictionary), computed from the
        precise cut instead of a second segmentation, the runs of each word learnt once.
        """
        tokenizer = self.tokenizer()
        cut = tokenizer.cut(input)
        counts = Counter(chain.from_iterable(map(self._search_words.__getitem__, cut)))
        pieces = self._pieces
        # The glossary words found, with their occurrences, before any piece is counted (a
        # piece's own pieces are not added).
        found = [(word, counts[word]) for word in sorted(pieces.keys() & counts.keys())]
        for word, occurrences in found:
            for piece in pieces[word]:
                counts[piece] += occurrences
        # Phrases: adjacent Chinese words joined (jieba's precise cut; punctuation separates).
        han = list(map(self._han.__getitem__, cut))
        phrases = [a + b for a, b, first, second in zip(cut, cut[1:], han, han[1:]) if first and second]
        latin1 = self.latin1_letters.findall(input)  # no need to strip: the runs have no space
        self.latin_terms.update(latin1)
        counts.update(phrases + latin1)
        return counts

    def _words_for_search(self, word: str) -> tuple[str, ...]:
        """What ``cut_for_search`` gives for a *word* of the precise cut, in its order.

        For a Chinese word: its runs of two characters that are in the dictionary, then (from
        four characters) those of three, then the word itself (jieba-rs ``cut_for_search``).
        Any other word of three characters or more (``Node.js``, ``unit_kind``) is given to
        ``cut_for_search`` alone, which splits it at its punctuation as it does in a sentence.
        """
        length = len(word)
        if length < 3:
            return (word,)
        if not self._han[word]:
            return tuple(self._tokenizer.cut_for_search(word))
        has_word = self._tokenizer.has_word
        runs = [word[i:i + 2] for i in range(length - 1) if has_word(word[i:i + 2])]
        if length > 3:
            runs += [word[i:i + 3] for i in range(length - 2) if has_word(word[i:i + 3])]
        return (*runs, word)


def _is_han(word: str) -> bool:
    return _HAN_WORD.fullmatch(word) is not None


def _user_dictionary(path: str) -> list[tuple[str, int | None, str | None]]:
    """A jieba user dictionary's entries: ``word [freq] [tag]`` per line (jieba's format)."""
    if not path or not Path(path).is_file():
        return []
    entries: list[tuple[str, int | None, str | None]] = []
    for line in Path(path).read_text(encoding="utf-8-sig").splitlines():
        fields = line.split()
        if not fields:
            continue
        freq = int(fields[1]) if len(fields) > 1 and fields[1].isdigit() else None
        tag = fields[-1] if len(fields) > 1 and not fields[-1].isdigit() else None
        entries.append((fields[0], freq, tag))
    return entries


def configure(app: Sphinx, config: Config) -> None:
    """``config-inited``: the search language, and the scorer (enhanced only).

    A site's own ``html_search_scorer`` wins; its ``html_search_options["dict"]``
    (a jieba user dictionary) is loaded into the private tokenizer too.
    """
    if not config.shuzhi_search_enhanced:
        from .stock import SearchChineseStock

        app.add_search_language(SearchChineseStock)
        return
    app.add_search_language(SearchChineseJieba)
    config.html_search_options = {
        **config.html_search_options,
        WORDS_OPTION: str(Path(app.doctreedir) / WORDS_FILE),
        REPORT_DIRS_OPTION: list(config.shuzhi_report_dirs),
    }
    if not config.html_search_scorer:
        config.html_search_scorer = str(JS_DIR / "scorer.js")


def write_words(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: the glossary's words for jieba, for builders that build a search index."""
    chunked = app.config.shuzhi_chunked_search and app.builder.name in {"html", "dirhtml"}
    if not (app.config.shuzhi_search_enhanced and app.builder.format == "html"
            and (getattr(app.builder, "search", False) or chunked)):
        return
    path = Path(app.config.html_search_options[WORDS_OPTION])
    text = "".join(word + "\n" for word in index_words(get_domain(env).glossary))
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def restore_index_entries(app: Sphinx) -> list[Any]:
    """``html-collect-pages`` (before the search index is written): every page's index entries.

    Sphinx's search index drops the index entries of the pages a build does not write
    (sphinx-doc/sphinx#12599, open): after any incremental or no-op build, 三会一课 would
    no longer find its glossary entry (the glossary page holds an entry for each term and
    alias). They are put back from the environment's index domain, computed as
    ``IndexBuilder.feed`` computes them, for the pages the index holds. Private attributes
    of the index builder are used, guarded: if they change, nothing is done.
    """
    from sphinx.util.index_entries import split_index_msg

    indexer = getattr(app.builder, "indexer", None)
    entries = getattr(indexer, "_index_entries", None)
    titles = getattr(indexer, "_titles", None)
    if not isinstance(entries, dict) or not isinstance(titles, dict):
        return []
    for docname, index_entries in app.env.get_domain("index").entries.items():
        if docname not in titles:  # not in the search index (removed, or nosearch)
            continue
        found: set[tuple[str, str, str]] = set()
        for entry_type, value, target_id, main, _key in index_entries:
            try:
                result = split_index_msg(entry_type, value)
            except ValueError:
                continue
            if entry_type in {"see", "seealso"}:
                found.add((result[0], target_id or "", main))
            found |= {(word, target_id or "", main) for word in result}
        entries[docname] = sorted(found)
    return []


def setup(app: Sphinx) -> None:
    app.connect("config-inited", configure)
    app.connect("env-updated", write_words)
    app.connect("html-collect-pages", restore_index_entries)
