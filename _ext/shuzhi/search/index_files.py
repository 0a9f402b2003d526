"""The files of the chunked search index (``_search/``), and their update from one build to the next.

No Sphinx here: the adapter (:mod:`.chunked`) hands in the documents' records, in order, and
says which of them may have changed since the last build. The files are those described in
:mod:`.chunked`; what they are made of is kept between builds (:class:`IndexState`, pickled in
the doctree folder): each document's postings, the text of each chunk, a digest of each file.

An edit of one report then costs what that report changes: its old and new postings are
compared, and only the chunks of the terms whose postings differ are read back (from the
state), changed and rewritten, with the report's own ``d/<n>.json``. The result is the same,
byte for byte, as the index made afresh from every record (:meth:`ChunkedIndex.update` falls
back to that when documents were added, removed or reordered, when the number of chunks
changes, or when many documents changed at once).
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import pickle
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

#: The version of the index's files (``meta.json``) and of the pages' records.
VERSION = 1
#: Bump when :class:`IndexState` changes shape (an older state is then ignored).
STATE_VERSION = 2
KIND_REPORT, KIND_PAGE, KIND_ENTRY = "r", "p", "g"
#: Above this share of changed documents, the index is made afresh (it is then cheaper).
FRESH_SHARE = 0.25

Postings = dict[str, tuple[int, int]]  # term → (occurrences, in title)


class Record(NamedTuple):
    url: str  # from the site's root, with the anchor for a glossary entry
    title: str
    kind: str
    filters: tuple[tuple[str, str], ...]
    text: str
    terms: dict[str, int]  # term → occurrences
    title_terms: frozenset[str]


def chunk_key(term: str, buckets: int) -> int:
    """The chunk a term is in: a hash of its first two characters (the same in shuzhi-search.js).

    Every chunk file exists (empty when no term falls in it), so that a search never asks for
    a file that is not there, and the browser needs no list of them.
    """
    first, second = (term.lower() + " ")[:2]
    return (ord(first) * 31 + ord(second)) % buckets


def bucket_count(prefixes: int) -> int:
    """About two prefixes a chunk: a power of two, at least 64."""
    count = 64
    while count * 2 < prefixes:
        count *= 2
    return count


#: ``json.dumps(data, ensure_ascii=False, separators=(",", ":"))``: the encoder ``json.dumps``
#: makes for these options at each call, made once (an index dumps some ten thousand terms).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dump(data: Any) -> str:
    return _ENCODER.encode(data)


def _digest(text: bytes) -> str:
    return hashlib.blake2b(text, digest_size=16).hexdigest()


def postings_of(terms: Mapping[str, int], title: Set[str]) -> Postings:
    return {term: (count, 1 if term in title else 0) for term, count in terms.items()}


def _terms_blob(record: Record) -> bytes:
    """A record's terms, pickled in an order that is the same at every build (its digest tells a change)."""
    return pickle.dumps((record.terms, sorted(record.title_terms)), pickle.HIGHEST_PROTOCOL)


def _postings_of_blob(blob: bytes) -> Postings:
    terms, title = pickle.loads(blob)
    return postings_of(terms, set(title))


def document_file(record: Record) -> str:
    """``d/<n>.json``: what a result shows."""
    return dump({"u": record.url, "t": record.title, "k": record.kind, "x": record.text})


@dataclass
class Document:
    """What the state keeps of a document: enough to update the index when it changes."""

    key: str
    url: str
    kind: str
    filters: tuple[tuple[str, str], ...]
    terms: bytes  # the record's terms and title terms (:func:`_terms_blob`; unpickled only when it changed)
    digest: str  # of the terms and the document's file

    @classmethod
    def of(cls, key: str, record: Record) -> tuple[Document, str]:
        blob = _terms_blob(record)
        text = document_file(record)
        return cls(key, record.url, record.kind, record.filters, blob, _digest(blob + text.encode())), text


@dataclass
class IndexState:
    """The index of the last build: its documents in order, its chunks' text, its files' digests."""

    documents: list[Document] = field(default_factory=list)
    buckets: int = 0
    prefixes: Counter[str] = field(default_factory=Counter)  # first two characters → number of terms
    chunks: list[str] = field(default_factory=list)  # text of t/<n>.json
    digests: dict[str, str] = field(default_factory=dict)  # file name → digest of its text
    #: The adapter's own notes per document (when its record was last written).
    stamps: dict[str, Any] = field(default_factory=dict)
    #: The folder the files are in (two builders may share a doctree folder, not an output one).
    root: str = ""


class Learnt(dict):
    """A dict that makes a missing key's value with *make*, once, and keeps it."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.make(key)
        return value


class Result(NamedTuple):
    written: list[str]  # files (re)written, names relative to the index's folder
    removed: list[str]
    fresh: bool  # made from every record rather than updated


class ChunkedIndex:
    """The index in *root*, its state kept in *state_path* between builds."""

    def __init__(self, root: Path, state_path: Path) -> None:
        self.root = root
        self.state_path = state_path
        self.state = self._load_state()

    def _load_state(self) -> IndexState | None:
        try:
            version, state = pickle.loads(self.state_path.read_bytes())
        except (OSError, ValueError, pickle.UnpicklingError, EOFError, TypeError, AttributeError, ImportError):
            return None
        if version != STATE_VERSION or not isinstance(state, IndexState) or state.root != str(self.root):
            return None
        return state

    def update(self, keys: Sequence[str], fresh: Mapping[str, Record], load: Callable[[str], Record],
               stamps: Mapping[str, Any] | None = None) -> Result:
        """Bring the files up to date for the documents *keys*, in this order.

        *fresh*: the records of the documents that may have changed since the last build (every
        other one is taken to be as it was); *load*: the record of any other document, needed
        when the index is made afresh.
        """
        existing = self._existing_files()
        # Written anew below: a build that stops half-way leaves no state, and the next one starts afresh.
        self.state_path.unlink(missing_ok=True)
        result = None
        if self.state is not None and [d.key for d in self.state.documents] == list(keys):
            result = self._update(fresh, existing)
        if result is None:
            result = self._fresh(keys, fresh, load, existing)
        assert self.state is not None
        self.state.stamps = dict(stamps or {})
        self.state.root = str(self.root)
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        self.state_path.write_bytes(pickle.dumps((STATE_VERSION, self.state), pickle.HIGHEST_PROTOCOL))
        return result

    # ------------------------------------------------------------------ made afresh

    def _fresh(self, keys: Sequence[str], fresh: Mapping[str, Record], load: Callable[[str], Record],
               existing: set[str]) -> Result:
        before = self.state.digests if self.state is not None else {}
        state = IndexState()
        files: dict[str, str] = {}
        # Each term's postings, already as JSON text ("[document,occurrences,in title]"): about
        # three times faster than lists of lists given to json.dumps, and the same bytes.
        postings: defaultdict[str, list[str]] = defaultdict(list)
        tails = Learnt(lambda count: f"{count},0]")  # occurrences → the end of a posting not in the title
        for number, key in enumerate(keys):
            record = fresh[key] if key in fresh else load(key)
            document, text = Document.of(key, record)
            state.documents.append(document)
            files[f"d/{number}.json"] = text
            terms = record.terms
            head = f"[{number},"
            # Each term's posting appended to its list, as if not in the title (the loop in C:
            # an index holds some hundred thousand postings); then the title's terms corrected.
            deque(map(list.append, map(postings.__getitem__, terms),
                      map(head.__add__, map(tails.__getitem__, terms.values()))), 0)
            for term in record.title_terms:
                if term in terms:
                    postings[term][-1] = f"{head}{terms[term]},1]"
        state.prefixes = Counter(term[:2] for term in postings)
        state.buckets = bucket_count(len(state.prefixes))
        chunks: list[list[str]] = [[] for _ in range(state.buckets)]
        encode = _ENCODER.encode
        for term in sorted(postings):  # sorted: the same bytes whatever the order pages came in
            chunks[chunk_key(term, state.buckets)].append(f"{encode(term)}:[{','.join(postings[term])}]")
        state.chunks = ["{" + ",".join(members) + "}" for members in chunks]
        for key, text in enumerate(state.chunks):
            files[f"t/{key}.json"] = text
        files.update(self._summary(state))
        self.state = state
        written = [name for name, text in files.items() if self._write(name, text, before, existing)]
        return Result(written, self._remove_others(set(files), existing), True)

    # ------------------------------------------------------------------ updated

    def _update(self, fresh: Mapping[str, Record], existing: set[str]) -> Result | None:
        state = self.state
        assert state is not None
        numbers = {document.key: number for number, document in enumerate(state.documents)}
        changed: dict[int, tuple[Document, Postings, str]] = {}
        for key, record in fresh.items():
            number = numbers[key]
            document, text = Document.of(key, record)
            if document.digest != state.documents[number].digest:
                changed[number] = (document, postings_of(record.terms, record.title_terms), text)
        if len(changed) > FRESH_SHARE * len(state.documents) + 1:
            return None
        # The terms whose postings changed, by chunk: term → [(document, new posting or None)].
        edits: dict[int, dict[str, list[tuple[int, tuple[int, int] | None]]]] = {}
        for number, (_document, new, _text) in changed.items():
            old = _postings_of_blob(state.documents[number].terms)
            for term in old.keys() | new.keys():
                value = new.get(term)
                if old.get(term) != value:
                    edits.setdefault(chunk_key(term, state.buckets), {}).setdefault(term, []).append((number, value))
        prefixes = Counter(state.prefixes)
        chunks: dict[int, str] = {}
        for key, terms in edits.items():
            data: dict[str, list[list[int]]] = json.loads(state.chunks[key])
            for term, changes in terms.items():
                found = data.get(term)
                postings = found if found is not None else []
                for number, value in changes:
                    at = bisect.bisect_left(postings, [number])
                    if at < len(postings) and postings[at][0] == number:
                        del postings[at]
                    if value is not None:
                        postings.insert(at, [number, *value])
                if postings:
                    data[term] = postings
                    if found is None:
                        prefixes[term[:2]] += 1
                elif found is not None:
                    del data[term]
                    prefixes[term[:2]] -= 1
                    if not prefixes[term[:2]]:
                        del prefixes[term[:2]]
            chunks[key] = dump({term: data[term] for term in sorted(data)})
        if bucket_count(len(prefixes)) != state.buckets:
            return None  # every term moves to another chunk
        expected = {f"d/{n}.json" for n in range(len(state.documents))} \
            | {f"t/{key}.json" for key in range(state.buckets)} | {"f.json", "meta.json"}
        if expected - existing - {f"d/{n}.json" for n in changed} - {f"t/{key}.json" for key in chunks}:
            return None  # files removed from the output: made afresh
        before = state.digests
        files: dict[str, str] = {}
        for number, (document, _own, text) in changed.items():
            state.documents[number] = document
            files[f"d/{number}.json"] = text
        for key, text in chunks.items():
            state.chunks[key] = text
            files[f"t/{key}.json"] = text
        state.prefixes = prefixes
        files.update(self._summary(state))
        written = [name for name, text in files.items() if self._write(name, text, before, existing)]
        return Result(written, self._remove_others(expected, existing), False)

    # ------------------------------------------------------------------ files

    @staticmethod
    def _summary(state: IndexState) -> dict[str, str]:
        """``f.json`` (the documents of each filter value) and ``meta.json``."""
        filters: dict[str, dict[str, list[int]]] = {}
        for number, document in enumerate(state.documents):
            for name, value in document.filters:
                filters.setdefault(name, {}).setdefault(value, []).append(number)
        meta = {
            "version": VERSION, "documents": len(state.documents), "chunks": state.buckets,
            "kinds": "".join(document.kind for document in state.documents),
            # The anchor of each glossary entry: the page tells the concept it shows first from the rest.
            "anchors": {number: document.url.rpartition("#")[2]
                        for number, document in enumerate(state.documents) if document.kind == KIND_ENTRY},
            "filters": {name: sorted(values, reverse=True) for name, values in filters.items()},
        }
        return {"f.json": dump(filters), "meta.json": dump(meta)}

    def _write(self, name: str, text: str, before: Mapping[str, str], existing: set[str]) -> bool:
        data = text.encode("utf-8")
        digest = _digest(data)
        assert self.state is not None
        unchanged = before.get(name) == digest and name in existing
        self.state.digests[name] = digest
        if unchanged:
            return False
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        existing.add(name)
        return True

    def _existing_files(self) -> set[str]:
        found: set[str] = set()
        for folder, _dirs, names in os.walk(self.root):
            relative = Path(folder).relative_to(self.root).as_posix()
            prefix = "" if relative == "." else relative + "/"
            found.update(prefix + name for name in names if name.endswith(".json"))
        return found

    def _remove_others(self, expected: set[str], existing: set[str]) -> list[str]:
        """Remove the files no longer in the index (and those of a build that did not finish)."""
        removed = sorted(existing - expected)
        for name in removed:
            (self.root / name).unlink(missing_ok=True)
            existing.discard(name)
        assert self.state is not None
        for name in set(self.state.digests) - expected:
            del self.state.digests[name]
        return removed
