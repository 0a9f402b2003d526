"""Link every mention of a glossary concept in a report to its glossary entry.

Mentions become standard ``std:term`` cross-references (``pending_xref``), so
Sphinx resolves them in every builder and reports dangling ones. On the website, a
mention of a term the standard domain knows becomes at once the link Sphinx would
resolve it to (:class:`TermLinks`): tens of thousands of them on a large site, each
otherwise looked up, copied and replaced by the resolver.

The mentions are found by one function (:func:`shuzhi.report.mentions.scan`),
in two passes over the same text, so they always agree:

- when a report is read, the report pipeline (:mod:`shuzhi.report.pipeline`)
  records every mention (the glossary's 使用情况 and the site-wide checks need
  them) and changes nothing;
- when a page is written, :func:`insert_links` puts the links and their
  anchors into the page, early among the post-transforms
  (``shuzhi-doctree-resolving``), so Sphinx's ``ReferencesResolver`` resolves
  them in HTML and LaTeX alike.

The links are not stored with the read document: they are about 60 % of a
report's nodes, and Sphinx keeps every document read in a build in memory until
it is written. Without them a 500-report build holds half the objects, and the
garbage collector, which scans them all each time it runs, costs a fraction.

On the website a text node whose links all go to terms the standard domain knows
becomes one :class:`.linked_text.linked_text` node instead of its pieces (a quarter of
the nodes every later step walks), written by the translator as the pieces would be.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

from ..build.domain import get_domain
from ..build.resolving import report_doctrees
from ..build.textnodes import LITERAL_NODES
from ..report.mentions import Edit, scan
from ..report.records import TermUsage
from ..report.textnodes import replace_child, replace_spans
from . import linked_text as one_node
from .linked_text import LinkSpan, compact_links, linked_text

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from .entries import Glossary

#: Besides literal text and headings (:data:`.mentions.NOT_PROSE`), never link inside
#: another document assembled into this one (the PDF, single-page HTML).
SKIP_NODES = (*LITERAL_NODES, addnodes.start_of_file)


def term_reference(form: str, term: str, ids: list[str] | None = None) -> addnodes.pending_xref:
    """A ``:term:`` reference to *term*, shown as *form*: what the ``{term}`` role creates."""
    ref = addnodes.pending_xref(
        "", refdomain="std", reftype="term", reftarget=term.lower(),
        refexplicit=True, refwarn=True, classes=["shuzhi-term"],
    )
    ref += nodes.inline(form, form, classes=["xref", "std", "std-term"], ids=ids or [])
    return ref


class TermLinks:
    """The website's links to the glossary entries the standard domain knows, from the page *fromdoc*.

    Each is the node Sphinx's ``ReferencesResolver`` makes of a term reference whose text
    goes straight into it (no ``inline``), with the anchor *ids* and the ``shuzhi-term``
    class the resolver moves over from the reference (docutils' ``replace_self``): the
    standard domain's ``make_refnode(builder, fromdoc, docname, labelid, text)`` for the
    term's ``(docname, labelid)``. Two nodes fewer per link than with the ``inline``, the
    same page, and no reference left to resolve. The URI of each target page is asked of
    the builder once.
    """

    def __init__(self, builder: Builder, fromdoc: str, objects: Mapping[tuple[str, str], tuple[str, str]]) -> None:
        self.builder = builder
        self.fromdoc = fromdoc
        self.objects = objects
        self._uris: dict[str, str] = {}

    def __contains__(self, term: str) -> bool:
        return ("term", term.lower()) in self.objects

    def span(self, start: int, end: int, term: str, ids: tuple[str, ...]) -> LinkSpan:
        """The link to *term* at *start*–*end*, with the anchor *ids*."""
        docname, labelid = self.objects["term", term.lower()]
        if docname == self.fromdoc and labelid:
            return LinkSpan(start, end, ids, refid=labelid)
        uri = self._uris.get(docname)
        if uri is None:
            uri = self._uris[docname] = self.builder.get_relative_uri(self.fromdoc, docname)
        return LinkSpan(start, end, ids, refuri=uri + "#" + labelid if labelid else uri)

    def link(self, form: str, term: str, ids: list[str] | None) -> nodes.reference:
        return self.span(0, len(form), term, tuple(ids or ())).node(form)


def _placements(node_edits: list[Edit], anchor_on_link: bool) -> list[tuple[int, int, Edit | None, tuple[str, ...]]]:
    """(start, end, edit or None for an anchor alone, anchor ids) of each node the edits put in."""
    placed = []
    for edit in node_edits:
        if edit.link and (anchor_on_link or not edit.target_id):
            placed.append((edit.start, edit.end, edit, (edit.target_id,) if edit.target_id else ()))
            continue
        placed.append((edit.start, edit.start, None, (edit.target_id,)))
        if edit.link:
            placed.append((edit.start, edit.end, edit, ()))
    return placed


def link_mentions(root: nodes.Element, docname: str, glossary: Glossary, policy: str,
                  *, anchor_on_link: bool = False, known: TermLinks | None = None,
                  compact: bool = False) -> tuple[TermUsage, ...]:
    """Turn mentions into term references per *policy*, each part's first one anchored; return them all.

    The anchor is a target node before the mention, which HTML and LaTeX both anchor.
    With *anchor_on_link* (HTML), a linked mention carries its anchor itself (the id of
    the link), one node fewer for every part of every report. The terms in *known* get
    their resolved link at once; with *compact*, a Text node whose links all go to terms
    in *known* becomes one :class:`linked_text` instead of its pieces.
    """
    edits, usages = scan(root, docname, glossary.terms(), policy, SKIP_NODES)
    for text_node, node_edits in edits:
        if not node_edits:
            continue
        placed = _placements(node_edits, anchor_on_link)
        if compact and known is not None and all(edit.term in known for _, _, edit, _ in placed if edit):
            replace_child(text_node, linked_text(str(text_node), tuple(
                known.span(start, end, edit.term, ids) if edit else LinkSpan(start, end, ids)
                for start, end, edit, ids in placed)))
            continue
        spans: list[tuple[int, int, nodes.Node]] = []
        for start, end, edit, ids in placed:
            if edit is None:
                node = nodes.target("", "", ids=list(ids))
            elif known is not None and edit.term in known:
                node = known.link(edit.form, edit.term, list(ids))
            else:
                node = term_reference(edit.form, edit.term, list(ids))
            spans.append((start, end, node))
        replace_spans(text_node, spans)
    return usages


def insert_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``shuzhi-doctree-resolving``: link the mentions in every report on the page being written."""
    glossary = get_domain(app.env).glossary
    if glossary is None:
        return
    html = app.builder.format == "html"
    # LaTeX marks a term link up as one (\sphinxtermref) only with the inline inside.
    known = TermLinks(app.builder, docname, app.env.domains["std"].objects) if html else None
    compact = compact_links(app.builder)
    for report, root in report_doctrees(app, doctree, docname):
        link_mentions(root, report, glossary, app.config.shuzhi_link_policy, anchor_on_link=html, known=known,
                      compact=compact)


def setup(app: Sphinx) -> None:
    from ..build.resolving import EVENT

    # Before the handlers that fill listings (default priority 500).
    app.connect(EVENT, insert_links, priority=300)
    one_node.setup(app)
