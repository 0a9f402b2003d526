"""Link every mention of a glossary concept in a report to its glossary entry.

Mentions become standard ``std:term`` cross-references (``pending_xref``), so
Sphinx resolves them in every builder and reports dangling ones.

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
"""

from __future__ import annotations

from collections.abc import Container
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

from ..build.domain import get_domain
from ..build.resolving import report_doctrees
from ..build.textnodes import LITERAL_NODES
from ..report.mentions import scan
from ..report.records import TermUsage
from ..report.textnodes import replace_spans

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from .entries import Glossary

#: Besides literal text and headings (:data:`.mentions.NOT_PROSE`), never link inside
#: another document assembled into this one (the PDF, single-page HTML).
SKIP_NODES = (*LITERAL_NODES, addnodes.start_of_file)


def term_reference(form: str, term: str, ids: list[str] | None = None, *,
                   bare: bool = False) -> addnodes.pending_xref:
    """A ``:term:`` reference to *term*, shown as *form*: what the ``{term}`` role creates.

    *bare*: the text goes straight into the reference, with the anchor *ids* on the
    reference itself (docutils moves them to the link that replaces it), instead of
    into an ``inline`` that carries them. Two nodes fewer per link, and the same page;
    only for a term the standard domain knows, since an unresolved reference is
    replaced by its text, which cannot take the ids or the class (docutils asserts).

    A bare reference's text does not point back to it: ``ReferencesResolver`` puts a
    copy of the text into the link that replaces the reference, and the reference,
    dropped, is then freed at once instead of remaining a cycle (reference ↔ text)
    for the garbage collector, tens of thousands of them on a large site. Only the
    resolver reads the reference between the moment it is made and its replacement.
    """
    ref = addnodes.pending_xref(
        "", refdomain="std", reftype="term", reftarget=term.lower(),
        refexplicit=True, refwarn=True, classes=["shuzhi-term"],
    )
    if bare:
        ref["ids"] = ids or []
        ref.children.append(nodes.Text(form))  # not ``ref += …``, which links the text to ref
    else:
        ref += nodes.inline(form, form, classes=["xref", "std", "std-term"], ids=ids or [])
    return ref


def link_mentions(root: nodes.Element, docname: str, glossary: Glossary, policy: str,
                  *, anchor_on_link: bool = False,
                  known: Container[tuple[str, str]] = ()) -> tuple[TermUsage, ...]:
    """Turn mentions into term references per *policy*, each part's first one anchored; return them all.

    The anchor is a target node before the mention, which HTML and LaTeX both anchor.
    With *anchor_on_link* (HTML), a linked mention carries its anchor itself (the id of
    the link), one node fewer for every part of every report. Terms in *known* (the
    standard domain's objects, keyed ``("term", key)``) get bare links.
    """
    edits, usages = scan(root, docname, glossary.terms(), policy, SKIP_NODES)
    for text_node, node_edits in edits:
        spans: list[tuple[int, int, nodes.Node]] = []
        for edit in node_edits:
            bare = edit.link and ("term", edit.term.lower()) in known
            if edit.link and (anchor_on_link or not edit.target_id):
                ids = [edit.target_id] if edit.target_id else None
                spans.append((edit.start, edit.end, term_reference(edit.form, edit.term, ids, bare=bare)))
                continue
            spans.append((edit.start, edit.start, nodes.target("", "", ids=[edit.target_id])))
            if edit.link:
                spans.append((edit.start, edit.end, term_reference(edit.form, edit.term, bare=bare)))
        replace_spans(text_node, spans)
    return usages


def insert_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``shuzhi-doctree-resolving``: link the mentions in every report on the page being written."""
    glossary = get_domain(app.env).glossary
    if glossary is None:
        return
    html = app.builder.format == "html"
    # LaTeX marks a term link up as one (\sphinxtermref) only with the inline inside.
    known = app.env.domains["std"].objects if html else ()
    for report, root in report_doctrees(app, doctree, docname):
        link_mentions(root, report, glossary, app.config.shuzhi_link_policy, anchor_on_link=html, known=known)


def setup(app: Sphinx) -> None:
    from ..build.resolving import EVENT

    # Before the handlers that fill listings (default priority 500).
    app.connect(EVENT, insert_links, priority=300)
