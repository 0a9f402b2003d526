"""The site's search: a chunked index of its own, so that what a search downloads does not grow with N.

With ``shuzhi_chunked_search = True`` (the default) Sphinx writes no ``searchindex.js`` (the
theme loaded it on every page: 13.7 MB at 2,000 reports) and no page but ``search.html``
loads anything of the search. The index is written into ``_search/`` of the output:

- ``t/<n>.json``: the words (terms) whose first two characters hash to *n*, each with its
  postings ``[document, occurrences, in title (0/1)]``. The browser cuts a query into
  the index's own words (the fewest, longest ones) and the words that can start at a
  position of the query are all in the chunk of the two characters there, so a query of
  *k* characters fetches at most *k* − 1 small files, whatever the number of reports.
- ``d/<n>.json``: one per document: its URL, title and visible text, for the result's
  title and snippet; a search fetches those of the results it shows (at most ten).
- ``meta.json``: the number of documents, the kind of each (report, page, glossary entry:
  one character each) and the filter values; ``f.json``: the documents of each filter
  value (年度, 单位类型), fetched only when a filter is chosen.

Words are those of the tuned Sphinx search (:class:`.jieba_index.SearchChineseJieba`): jieba
(rjieba) with every glossary term and alias in its dictionary, the shorter words jieba finds
inside a glossary word, and two adjacent words as one more term (phrases). Each glossary
entry is a document of its own (its URL is the entry on the glossary page); its terms
include its pinyin run together and its initials (sanhuiyike, shyk). The glossary page
itself, the search page, the index and the editors' pages (``shuzhi_search_exclude``) are not
indexed; inside a page, the report card, the outline and the tables listing other reports
are left out (what a reader sees as the page's text is what is searched and shown).

Incremental and parallel builds: the index of the last build is kept in the doctree folder
(:mod:`.index_files`): a build updates the postings of the pages it wrote, and rewrites only the
chunks of the words whose postings changed. The records of the pages written by the build's own
process are handed to :func:`write_index` in memory; a process that writes pages in parallel
(``-j N``) cannot hand them back that way, so it leaves each page's record in ``shuzhi-search/``
in the doctree folder, where :func:`write_index` finds it by its date. A record file is only
ever the page's latest: the build's own process removes the file of each page it writes.
"""

from __future__ import annotations

import os
import pickle
import re
from itertools import filterfalse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

from ..build.domain import get_domain
from .index_files import KIND_ENTRY, KIND_PAGE, KIND_REPORT, VERSION, ChunkedIndex, Record
from .jieba_index import JS_DIR, REPORT_DIRS_OPTION, WORDS_FILE, WORDS_OPTION, SearchChineseJieba

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from ..glossary.entries import Concept

logger = logging.getLogger(__name__)

FOLDER = "_search"
RECORDS = "shuzhi-search"  # in the doctree folder: a folder per builder (html, dirhtml: their URLs differ)
STATE = "index.state"  # in a builder's folder: the index of its last build (records are <docname>.pickle)
SEARCH_TEMPLATE = "shuzhi-search.html"
SCRIPT = "shuzhi-search.js"  # in _static: js/segment.js and js/search-page.js
#: Elements whose text is not the page's own: the report card (year and unit kind are
#: filters), the outline (本篇结构), tables that list other reports.
SKIP_CLASSES = {"no-search", "report-card", "report-outline", "glossary-letters"}
_WORD = re.compile(r"[^\W_]")


def enabled(app: Sphinx) -> bool:
    return bool(app.config.shuzhi_chunked_search) and getattr(app.builder, "format", "") == "html" \
        and app.builder.name in {"html", "dirhtml"}


def disable_sphinx_index(app: Sphinx) -> None:
    """``builder-inited``: no ``searchindex.js``, and so no time spent building it."""
    if enabled(app):
        app.builder.search = False


def note_build_process(app: Sphinx) -> None:
    """``builder-inited``: the build's own process; the pages written by any other (forked for
    ``-j N``) leave their records in files (:func:`page_context`)."""
    app._shuzhi_search_process = os.getpid()  # type: ignore[attr-defined]


def glossary_docname(app: Sphinx) -> str | None:
    """The page that shows the glossary (the ``{shuzhi-glossary}`` directive), if any."""
    glossary = get_domain(app.env).glossary
    if glossary is None or not glossary.concepts:
        return None
    found = app.env.domains.standard_domain.objects.get(("term", glossary.concepts[0].term.lower()))
    return found[0] if found else None


# --------------------------------------------------------------------------- text of a page


#: What the walk does with a node of each class (:func:`_action`), looked up by the node's class.
_TEXT, _SKIP, _ONLY, _ELEMENT, _BLOCK = range(5)
_SKIPPED = (nodes.comment, nodes.raw, nodes.system_message, nodes.substitution_definition)
#: Elements whose text is set apart from what is around it (a space before it).
_BLOCKS = (nodes.paragraph, nodes.title, nodes.term, nodes.entry, nodes.list_item)


def _action(cls: type) -> int:
    if issubclass(cls, _SKIPPED):
        return _SKIP
    if issubclass(cls, addnodes.only):
        return _ONLY
    if issubclass(cls, nodes.Element):
        return _BLOCK if issubclass(cls, _BLOCKS) else _ELEMENT
    return _TEXT if issubclass(cls, nodes.Text) else _SKIP


_ACTIONS: dict[type, int] = {}


def page_text(doctree: nodes.Node) -> str:
    """The visible text of a resolved doctree, without what :data:`SKIP_CLASSES` marks.

    Comments, raw HTML, system messages, substitution definitions, ``only`` blocks not for
    HTML and mermaid diagrams have no text here; each paragraph, title, term, table cell and
    list item starts after a space. A walk over a stack of the nodes: a page holds a few
    hundred nodes, a site some hundred thousand, and a ``NodeVisitor`` walk costs three times more.
    """
    parts: list[str] = []
    append = parts.append
    actions = _ACTIONS
    stack = [doctree]
    pop, push = stack.pop, stack.extend
    while stack:
        node = pop()
        action = actions.get(node.__class__)
        if action is None:
            action = actions[node.__class__] = _action(node.__class__)
        if action == _TEXT:
            append(node)
            continue
        if action == _SKIP:
            continue
        attributes = node.attributes
        if action == _ONLY and "html" not in str(attributes.get("expr", "")):
            continue
        classes = attributes.get("classes", ())
        if (classes and not SKIP_CLASSES.isdisjoint(classes)) or node.tagname == "mermaid":
            continue
        if action == _BLOCK:
            append(" ")
        push(reversed(node.children))
    text = "".join(parts)
    if "\x00" in text:  # backslash-escapes (docutils keeps them as NUL): gone, as in Text.astext()
        text = "".join(part.astext() if isinstance(part, nodes.Text) else part for part in parts)
    return re.sub(r"\s+", " ", text).strip()


class Indexer:
    """The terms of a text: what :class:`.jieba_index.SearchChineseJieba` indexes (one per build)."""

    def __init__(self, app: Sphinx) -> None:
        options = {**app.config.html_search_options,
                   WORDS_OPTION: str(Path(app.doctreedir) / WORDS_FILE),
                   REPORT_DIRS_OPTION: list(app.config.shuzhi_report_dirs)}
        self.language = SearchChineseJieba(options)
        #: Each word met (as the tokenizer gives it) → its term, or None where it is not one.
        self._normal: dict[str, str | None] = {}
        #: The words whose term is not the word itself (no term, or another spelling).
        self._renamed: set[str] = set()

    def terms(self, text: str) -> dict[str, int]:
        """Each term of *text* (a word of two or more characters, lower case) and its occurrences."""
        counts = self.language.split_counts(text)
        normal, renamed = self._normal, self._renamed
        for word in list(filterfalse(normal.__contains__, counts)):  # words not met before in this build
            term = word.strip().lower()
            normal[word] = term = term if len(term) > 1 and _WORD.search(term) else None
            if term != word:
                renamed.add(word)
        terms = dict(counts)
        for word in sorted(terms.keys() & renamed):  # sorted: the same order at every build
            occurrences = terms.pop(word)
            term = normal[word]
            if term is not None:
                terms[term] = terms.get(term, 0) + occurrences
        return terms


def _indexer(app: Sphinx) -> Indexer:
    indexer = getattr(app, "_shuzhi_search_indexer", None)
    if indexer is None:
        indexer = Indexer(app)
        app._shuzhi_search_indexer = indexer  # type: ignore[attr-defined]
    return indexer


def _records(app: Sphinx) -> dict[str, Record]:
    """The records made by this process in this build (the pages it wrote)."""
    records = getattr(app, "_shuzhi_search_records", None)
    if records is None:
        records = app._shuzhi_search_records = {}  # type: ignore[attr-defined]
    return records


def _record_path(app: Sphinx, docname: str) -> Path:
    return _folder(app) / f"{docname}.pickle"


def _folder(app: Sphinx) -> Path:
    """Where this builder keeps its records and its index state (builders may share a doctree folder)."""
    return Path(app.doctreedir) / RECORDS / app.builder.name


def _load_record(app: Sphinx, docname: str) -> Record | None:
    try:
        version, record = pickle.loads(_record_path(app, docname).read_bytes())
    except (OSError, ValueError, pickle.UnpicklingError, EOFError, TypeError, AttributeError):
        return None
    return record if version == VERSION else None


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """``html-page-context``: the record of each written page (its terms, text and filters)."""
    if not enabled(app):
        return
    context["shuzhi_chunked_search"] = True
    # sphinx_highlight.js marks the words of Sphinx's own search (?highlight=…) in the page a
    # result opens; this search links to pages without them: no page needs the script.
    scripts = context.get("script_files")
    if isinstance(scripts, list):
        scripts[:] = [script for script in scripts if str(script) != "_static/sphinx_highlight.js"
                      and getattr(script, "filename", "") != "_static/sphinx_highlight.js"]
    records = _records(app)
    excluded = set(app.config.shuzhi_search_exclude) | {glossary_docname(app)}
    if doctree is None or pagename in excluded:
        records.pop(pagename, None)
        return
    record = records[pagename] = make_record(app, pagename, doctree)
    path = _record_path(app, pagename)
    if getattr(app, "_shuzhi_search_process", None) == os.getpid():
        path.unlink(missing_ok=True)  # handed over in memory; a file from an earlier -j N build is stale
        return
    # Written in parallel (-j N): the build's own process reads it in write_index.
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps((VERSION, record), pickle.HIGHEST_PROTOCOL))


def make_record(app: Sphinx, pagename: str, doctree: nodes.document) -> Record:
    """A page's record: its URL, title, kind, filters (year and unit kind of a report), text and terms."""
    text = page_text(doctree)
    title = app.env.titles[pagename].astext() if pagename in app.env.titles else pagename
    report = get_domain(app.env).reports.get(pagename)
    filters: list[tuple[str, str]] = []
    if report is not None:
        for name, key in (("年度", "year"), ("单位类型", "unit_kind")):
            value = str(report.metadata.get(key, "")).strip()
            if value:
                filters.append((name, value))
    indexer = _indexer(app)
    terms = indexer.terms(text)
    title_terms = frozenset(indexer.terms(title))
    for term in sorted(title_terms):
        terms.setdefault(term, 1)
    kind = KIND_REPORT if report is not None else KIND_PAGE
    return Record(app.builder.get_target_uri(pagename), title, kind, tuple(filters), text, dict(terms), title_terms)


def entry_records(app: Sphinx) -> list[Record]:
    """One record per glossary entry: its term and aliases as title words, its pinyin and initials."""
    docname = glossary_docname(app)
    glossary = get_domain(app.env).glossary
    if docname is None or glossary is None:
        return []
    page = app.builder.get_target_uri(docname)
    indexer = _indexer(app)
    result = []
    for concept in glossary.concepts:
        if not concept.anchor:
            continue
        result.append(_entry(indexer, page, concept))
    return result


def _entry(indexer: Indexer, page: str, concept: Concept) -> Record:
    names = " ".join(concept.forms)
    pinyin = "".join(concept.syllables)
    text = f"术语表 · {concept.category} · {concept.definition}"
    if concept.aliases:
        text += f" 又作：{'、'.join(concept.aliases)}"
    terms = indexer.terms(text)
    title_terms = set(indexer.terms(names))
    for form in concept.forms:  # the whole name, even where jieba would cut it
        title_terms |= {run.lower() for run in re.findall(r"[\w]+", form) if len(run) > 1}
    if pinyin:
        title_terms |= {pinyin, concept.initials} - {""}
    for term in sorted(title_terms):
        terms[term] = terms.get(term, 0) + 1
    return Record(f"{page}#{concept.anchor}", concept.term, KIND_ENTRY, (), text, dict(terms), frozenset(title_terms))


# --------------------------------------------------------------------------- writing the index


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size


def write_index(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: the chunked index in ``_search/``, from the records of every page.

    Only what changed since the last build is redone (:class:`.index_files.ChunkedIndex`): the
    records of the pages written since the last index (here, or in a parallel process, or in a
    build stopped before it wrote its index: their output files are new), of the pages the last
    index does not know, and the glossary's entries, are compared with the last build's.
    """
    if exception is not None or not enabled(app):
        return
    made = _records(app)
    excluded = set(app.config.shuzhi_search_exclude) | {glossary_docname(app)}
    docnames = [docname for docname in sorted(app.env.all_docs) if docname not in excluded]
    entries = entry_records(app)
    index = ChunkedIndex(Path(app.outdir) / FOLDER, _folder(app) / STATE)
    before = index.state.stamps if index.state is not None else {}

    def load(docname: str) -> Record:
        # Made while writing the page (here, or in a parallel process of this or an earlier build).
        record = made.get(docname) or _load_record(app, docname)
        if record is None:
            record = make_record(app, docname, app.env.get_and_resolve_doctree(docname, app.builder))
        return record

    stamps: dict[str, tuple[Any, Any]] = {}
    fresh: dict[str, Record] = {}
    for docname in docnames:
        # A page's stamp: the date and size of its output file and of its record file (None where
        # it has none). Whenever the page is written, in this build or in one stopped before it
        # wrote the index, its output file changes, and so does its record file if a forked -j N
        # process wrote it: a page whose stamp is the last index's own is as that index has it.
        stamp = stamps[docname] = (_stamp(Path(app.builder.get_outfilename(docname))),
                                   _stamp(_record_path(app, docname)))
        if docname in made or docname not in before or before[docname] != stamp:
            fresh[docname] = load(docname)
    fresh.update((record.url, record) for record in entries)
    index.update([*docnames, *(record.url for record in entries)], fresh, load, stamps)


def write_search_script(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: ``_static/shuzhi-search.js``, the search page's script.

    The query's segmentation (``js/segment.js``) is shared with Sphinx's search
    (:class:`.jieba_index.SearchChineseJieba`); here it is written in front of the page's own
    code (``js/search-page.js``), so that the page still loads one script.
    """
    if exception is not None or not enabled(app):
        return
    text = "".join((JS_DIR / name).read_text(encoding="utf-8") for name in ("segment.js", "search-page.js"))
    path = Path(app.outdir) / "_static" / SCRIPT
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def search_page(app: Sphinx) -> list[tuple[str, dict, str]]:
    """``html-collect-pages``: ``search.html`` for this index (Sphinx's own is not written)."""
    if not enabled(app):
        return []
    glossary = glossary_docname(app)
    page = app.builder.get_relative_uri("search", glossary) if glossary else ""
    return [("search", {"title": "搜索", "shuzhi_chunked_search": True, "shuzhi_glossary_page": page},
             SEARCH_TEMPLATE)]


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", disable_sphinx_index)
    app.connect("builder-inited", note_build_process)
    app.connect("html-page-context", page_context)
    app.connect("html-collect-pages", search_page)
    app.connect("build-finished", write_index)
    app.connect("build-finished", write_search_script)
