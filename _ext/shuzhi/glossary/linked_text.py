"""One node for a report text and its glossary links, on the website, and how HTML writes it.

:func:`.linking.link_mentions` cuts a report's Text node into the text between its
mentions and, for each, a link (``reference`` holding the mention's Text) or an anchor
(``target``): about four nodes per link. Every later step walks every node of the page
(the post-transforms, the translator, the search's text, the theme's and mermaid's page
handlers, releasing the page). On the HTML builders a text whose links all resolve is
one :class:`linked_text` instead, carrying its links and anchors as spans
(:class:`LinkSpan`): at 500 reports the pages hold 113k nodes at ``doctree-resolved``
instead of 164k.

The translator writes the pieces it stands for as its own methods write them, the same
HTML byte for byte: with Sphinx's HTML5 translator, each page's :class:`PieceWriter` has
the translator write each kind of link tag once and reuses it, and encodes the text as
``visit_Text`` does; with any other translator, or a text it does not write, the pieces
are walked (:func:`walk_pieces`). Builders that need the nodes themselves (LaTeX, and
Sphinx's own search index, which cuts each Text node into words) do not get it
(:func:`compact_links`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.writers.html5 import HTML5Translator

from ..report.textnodes import split_spans

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder


class LinkSpan(NamedTuple):
    """What one mention of a :class:`linked_text` puts at *start*–*end* of its text.

    A link to a glossary entry (*refuri*, another page's, or *refid*, an anchor on this
    page) with the anchor *ids*; or, with neither, an anchor alone (*start* = *end*).
    """

    start: int
    end: int
    ids: tuple[str, ...]
    refuri: str | None = None
    refid: str | None = None

    def node(self, text: str) -> nodes.Element:
        """The node the span stands for, in the text *text* of its Text node."""
        if self.refuri is None and self.refid is None:
            return nodes.target("", "", ids=list(self.ids))
        ref = nodes.reference("", "", internal=True, ids=list(self.ids), classes=["shuzhi-term"])
        if self.refid is not None:
            ref["refid"] = self.refid
        else:
            ref["refuri"] = self.refuri
        ref += nodes.Text(text[self.start:self.end])
        return ref


class linked_text(nodes.Text):
    """A text of a report with its glossary links and anchors (website only): one node.

    It stands for what :func:`.linking.link_mentions` otherwise cuts the Text node into: the
    text between the mentions (Text nodes) and, for each :class:`LinkSpan`, its
    ``reference`` (holding the mention's Text) or ``target``. Every node of a page is
    walked by each later step (the post-transforms, the translator, the search's text,
    the theme's handlers): one node instead of about four per link. As a Text node its
    ``astext()`` is the whole text, so everything that reads text sees the same.

    The translator writes :meth:`pieces` with its own ``visit_``/``depart_`` methods
    (:func:`visit_linked_text`), so the HTML is the node path's, byte for byte.
    """

    spans: tuple[LinkSpan, ...]

    def __new__(cls, data: str, spans: tuple[LinkSpan, ...] = ()) -> linked_text:
        node = super().__new__(cls, data)
        node.spans = tuple(spans)
        return node

    def copy(self) -> linked_text:
        # docutils' Text.copy makes a new node of the text alone: the spans would be lost.
        return self.__class__(str(self), self.spans)

    def deepcopy(self) -> linked_text:
        return self.copy()

    def pieces(self) -> list[nodes.Node]:
        """The nodes it stands for, new and detached: what the node path puts in its place."""
        text = str(self)
        return split_spans(text, [(span.start, span.end, span.node(text)) for span in self.spans])


def visit_linked_text(translator: nodes.NodeVisitor, node: linked_text) -> None:
    """HTML: write the node's pieces as the translator writes them in the node path.

    With Sphinx's HTML5 translator (or a subclass that writes text and links with its
    methods) the :class:`PieceWriter` of the page writes them; otherwise, or for a text
    it does not write (an anchor alone, say), they are walked (:func:`walk_pieces`).
    """
    writer = piece_writer(translator)
    if writer is None or not writer.write(node):
        walk_pieces(translator, node)
    raise nodes.SkipNode


def walk_pieces(translator: nodes.NodeVisitor, node: linked_text) -> None:
    """Walk the node's pieces with the translator, as the node path does.

    Each piece gets the node's parent (Sphinx's ``visit_reference`` asks whether it is in
    a ``TextElement``) and is walked by the translator itself, so that its own and its
    theme's ``visit_Text``, ``visit_reference``, ``visit_target`` and ``starttag`` apply.
    """
    parent = node.parent
    for piece in node.pieces():
        piece.parent = parent
        piece.walkabout(translator)


def depart_linked_text(translator: nodes.NodeVisitor, node: linked_text) -> None:
    """Never called: :func:`visit_linked_text` skips the departure."""


#: The translator's methods the node path writes a text and its links with, which a
#: :class:`PieceWriter` stands for: they must be those of Sphinx's ``HTML5Translator``.
WRITING_METHODS = ("dispatch_visit", "dispatch_departure", "visit_Text", "depart_Text",
                   "visit_reference", "depart_reference")

#: Characters that ``starttag`` writes into an attribute as they are (``attval`` encodes
#: only whitespace, ``&<>"@`` and, in a ``mailto:`` link, ``.``): a link's URI, anchor and id.
PLAIN = re.compile(r"[A-Za-z0-9_.~/#%:+-]+\Z")

#: Two links no page has, to learn where a link's URI (or anchor) and id go in its start
#: tag: every character of :data:`PLAIN` in each, so that a tag that changed one would show.
PROBES = ({"uri": "shuzhi-probe-uri_a.~/#%:+0189", "id": "shuzhi-probe-id_a.~/#%:+0189"},
          {"uri": "SHUZHI-PROBE-URI_B.~/#%:+7254", "id": "SHUZHI-PROBE-ID_B.~/#%:+7254"})

#: The :class:`PieceWriter` of each translator (one per page written), or None.
_writers: WeakKeyDictionary[nodes.NodeVisitor, PieceWriter | None] = WeakKeyDictionary()


def piece_writer(translator: nodes.NodeVisitor) -> PieceWriter | None:
    """The page's :class:`PieceWriter`, if *translator* writes text and links with the
    methods of Sphinx's ``HTML5Translator`` (the theme's ``starttag`` may differ)."""
    try:
        return _writers[translator]
    except KeyError:
        pass
    own = isinstance(translator, HTML5Translator) and all(
        getattr(getattr(translator, name, None), "__func__", None) is getattr(HTML5Translator, name)
        for name in WRITING_METHODS)
    writer = _writers[translator] = PieceWriter(translator) if own else None
    return writer


#: A link's start tag with its URI (or anchor) and id left out: the text before, after
#: and between them, and which goes where ("uri" or "id"), in order.
Template = tuple[str, ...]


class PieceWriter:
    """Writes :class:`linked_text` nodes for one HTML5 translator, as its walk of the pieces would.

    Walking the pieces appends to the translator's ``body``, for each: a text, what
    ``visit_Text`` appends, ``encode(text)`` (when it protects no literal text and
    cloaks no e-mail address); a link, the start tag ``visit_reference`` writes, its
    text and the end tag ``depart_reference`` writes. Those tags depend on the link's
    URI (``refuri``) or anchor (``refid``) and its id, each written by ``starttag`` as
    it is when it is :data:`PLAIN` (no section number, no ``mailto:``): each link of a
    page has its own id, and most link to another term. So for each kind of link (URI
    or anchor, with or without an id) the translator itself writes, once a page, a
    detached link with the same attributes and a probe URI and id (:data:`PROBES`), in
    the first text's parent; the tag of another link is that tag with its URI and id
    in place of the probe's, checked against a second probe. The same strings are
    appended, one for each the walk would.
    """

    def __init__(self, translator: HTML5Translator) -> None:
        self.translator = translator
        # (by URI, with an id) → (start tag template, end tag), or None: walk such links
        self._tags: dict[tuple[bool, bool], tuple[Template, str] | None] = {}

    def write(self, node: linked_text) -> bool:
        """Append *node*'s pieces to the body; False (and nothing written) if it cannot."""
        translator = self.translator
        if translator.protect_literal_text or translator.in_mailto or not isinstance(node.parent, nodes.TextElement):
            return False
        spans = sorted(node.spans, key=lambda span: span.start)  # as split_spans orders them
        tags = []
        for span in spans:
            tag = self._tag(span, node.parent)
            if tag is None:
                return False
            tags.append(tag)
        encode = translator.encode
        text = str(node)
        out = []
        cursor = 0
        for span, (template, end_tag) in zip(spans, tags):
            if span.start > cursor:
                out.append(encode(text[cursor:span.start]))
            values = {"uri": span.refid if span.refuri is None else span.refuri, "id": span.ids[0] if span.ids else ""}
            out.append("".join(values[part] if index % 2 else part for index, part in enumerate(template)))
            out.append(encode(text[span.start:span.end]))
            out.append(end_tag)
            cursor = span.end
        if cursor < len(text):
            out.append(encode(text[cursor:]))
        translator.body.extend(out)
        return True

    def _tag(self, span: LinkSpan, parent: nodes.Element) -> tuple[Template, str] | None:
        """The tags of *span*'s link, or None if the translator must write it itself."""
        target = span.refid if span.refuri is None else span.refuri
        if (target is None or not PLAIN.match(target) or target.startswith("mailto:")  # an anchor alone, or cloaked
                or len(span.ids) > 1 or (span.ids and not PLAIN.match(span.ids[0]))):
            return None
        key = (span.refuri is not None, bool(span.ids))
        try:
            return self._tags[key]
        except KeyError:
            pass
        tag = self._tags[key] = self._learn(*key, parent)
        return tag

    def _learn(self, by_uri: bool, with_id: bool, parent: nodes.Element) -> tuple[Template, str] | None:
        written = [self._written(probe, by_uri, with_id, parent) for probe in PROBES]
        if None in written or written[0][1] != written[1][1]:
            return None
        template = _template(written[0][0], PROBES[0] if with_id else {"uri": PROBES[0]["uri"]})
        if template is None or written[1][0] != "".join(
                PROBES[1][part] if index % 2 else part for index, part in enumerate(template)):
            return None  # the URI or id is not simply written into the tag
        return template, written[0][1]

    def _written(self, probe: dict[str, str], by_uri: bool, with_id: bool,
                 parent: nodes.Element) -> tuple[str, str] | None:
        """The start and end tags the translator writes for a link like the probe, in *parent*."""
        translator = self.translator
        ids = (probe["id"],) if with_id else ()
        span = LinkSpan(0, 0, ids, refuri=probe["uri"]) if by_uri else LinkSpan(0, 0, ids, refid=probe["uri"])
        link = span.node("")
        link.parent = parent  # detached, as a walked piece is
        body = translator.body
        mark = len(body)
        translator.dispatch_visit(link)
        start = body[mark:]
        del body[mark:]
        in_mailto = translator.in_mailto
        translator.dispatch_departure(link)
        end = body[mark:]
        del body[mark:]
        if in_mailto or len(start) != 1 or len(end) != 1:
            return None
        return start[0], end[0]


def _template(tag: str, values: dict[str, str]) -> Template | None:
    """*tag* cut at each of *values* (each written once): the text between, and the names."""
    found = sorted((tag.find(value), name, value) for name, value in values.items())
    if any(tag.count(value) != 1 for value in values.values()):
        return None
    parts: list[str] = []
    cursor = 0
    for position, name, value in found:
        if position < cursor:
            return None
        parts += [tag[cursor:position], name]
        cursor = position + len(value)
    parts.append(tag[cursor:])
    return tuple(parts)


def compact_links(builder: Builder) -> bool:
    """Whether the pages *builder* writes get :class:`linked_text` nodes: the HTML builders,
    which have its visitor, unless Sphinx's own search index is fed from the pages (with
    ``shuzhi_chunked_search = False``): it cuts each text node into words on its own, and
    would cut a whole text where it cuts pieces today. The others (LaTeX) get the nodes."""
    return builder.format == "html" and getattr(builder, "indexer", None) is None


def setup(app: Sphinx) -> None:
    app.add_node(linked_text, html=(visit_linked_text, depart_linked_text))
