"""Link every mention of a glossary concept in a report to its glossary entry.

Mentions become standard ``std:term`` cross-references (``pending_xref``), so
Sphinx resolves them in every builder and reports dangling ones. Matching uses
one Aho–Corasick automaton over all terms and aliases (longest match wins),
so its cost grows with the text, not with terms × text.

Two passes over the same text, by the same function (:func:`_scan`), so they
always agree:

- when a report is read, :func:`find_mentions` records every mention (the
  glossary's 使用情况 and the site-wide checks need them) and changes nothing;
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

from collections.abc import Container, Iterator
from typing import TYPE_CHECKING, NamedTuple

from docutils import nodes
from sphinx import addnodes

from ..build.config import LINK_ALL
from ..build.domain import get_domain
from ..report.records import TermUsage
from ..build.textnodes import LITERAL_NODES, replace_spans, source_line, text_nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from .entries import Glossary

#: Never link inside headings, captions, the glossary's own terms, or literal text;
#: nor inside another document assembled into this one (the PDF, single-page HTML).
SKIP_NODES = (*LITERAL_NODES, nodes.title, nodes.subtitle, nodes.rubric, nodes.caption,
              nodes.term, nodes.field_name, nodes.docinfo, addnodes.start_of_file)

class _Edit(NamedTuple):
    """A mention at *start*–*end* of a text node that gets an anchor, a link, or both."""

    start: int
    end: int
    target_id: str  # the anchor before it ("" for none)
    link: bool
    form: str
    term: str


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


def _section(node: nodes.Node, root: nodes.Element) -> nodes.section | None:
    while node is not None and node is not root and not isinstance(node, nodes.section):
        node = node.parent
    return node if isinstance(node, nodes.section) else None


def _part_title(section: nodes.section | None, root: nodes.Element) -> str:
    """The title of the part (second-level section of the report) that *section* is in."""
    chain = []
    while section is not None:
        chain.append(section)
        section = _section(section.parent, root)
    # chain[-1] is the report (H1); chain[-2], if any, is the part (H2).
    if len(chain) >= 2:
        return chain[-2][0].astext()
    return ""


def _scan(root: nodes.Element, docname: str, glossary: Glossary,
          policy: str) -> tuple[list[tuple[nodes.Text, list[_Edit]]], tuple[TermUsage, ...]]:
    """Every mention under *root* (one report), and the edits that link them per *policy*."""
    concepts = glossary.by_term()
    linked: set[tuple[int, str]] = set()  # (id of the section node, term)
    for ref in root.findall(addnodes.pending_xref):  # explicit {term} roles count as links
        if ref.get("reftype") == "term":
            linked.add((id(_section(ref, root)), ref["reftarget"]))

    usages: list[TermUsage] = []
    edits: list[tuple[nodes.Text, list[_Edit]]] = []
    targets: dict[tuple[str, str], str] = {}  # (term, part) → anchor id
    numbers: dict[str, int] = {}  # term → anchors so far
    for text_node in [text for child in root.children for text in text_nodes(child, SKIP_NODES)]:
        mentions = glossary.find(str(text_node))
        if not mentions:
            continue
        section = _section(text_node, root)
        part = _part_title(section, root)
        line = source_line(text_node.parent) or 0
        node_edits = []
        for start, end, form, term in mentions:
            key = (id(section), term.lower())
            make_link = policy == LINK_ALL or key not in linked
            target_id = ""
            if (term, part) not in targets:
                # Numbered per concept, so another concept's mentions never shift this id.
                numbers[term] = numbers.get(term, 0) + 1
                target_id = targets[(term, part)] = f"use-{concepts[term].anchor.removeprefix('term-')}-{numbers[term]}"
            if make_link:
                linked.add(key)
            if target_id or make_link:
                node_edits.append(_Edit(start, end, target_id, make_link, form, term))
            usages.append(TermUsage(docname, term, form, line, part, targets[(term, part)], make_link))
        edits.append((text_node, node_edits))
    return edits, tuple(usages)


def find_mentions(root: nodes.Element, docname: str, glossary: Glossary, policy: str) -> tuple[TermUsage, ...]:
    """Every mention of a concept in one report, and whether *policy* links it; nothing is changed."""
    return _scan(root, docname, glossary, policy)[1]


def link_mentions(root: nodes.Element, docname: str, glossary: Glossary, policy: str,
                  *, anchor_on_link: bool = False,
                  known: Container[tuple[str, str]] = ()) -> tuple[TermUsage, ...]:
    """Turn mentions into term references per *policy*, each part's first one anchored; return them all.

    The anchor is a target node before the mention, which HTML and LaTeX both anchor.
    With *anchor_on_link* (HTML), a linked mention carries its anchor itself (the id of
    the link), one node fewer for every part of every report. Terms in *known* (the
    standard domain's objects, keyed ``("term", key)``) get bare links.
    """
    edits, usages = _scan(root, docname, glossary, policy)
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


def report_roots(app: Sphinx, doctree: nodes.document, docname: str) -> Iterator[tuple[str, nodes.Element]]:
    """(docname, root) of each report in *doctree*: the page, or each report assembled into it."""
    reports = get_domain(app.env).reports
    if docname in reports:
        yield docname, doctree
    for sof in doctree.findall(addnodes.start_of_file):
        if sof.get("docname") in reports:
            yield sof["docname"], sof


def insert_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``shuzhi-doctree-resolving``: link the mentions in every report on the page being written."""
    glossary = get_domain(app.env).glossary
    if glossary is None:
        return
    html = app.builder.format == "html"
    # LaTeX marks a term link up as one (\sphinxtermref) only with the inline inside.
    known = app.env.domains["std"].objects if html else ()
    for report, root in report_roots(app, doctree, docname):
        link_mentions(root, report, glossary, app.config.shuzhi_link_policy, anchor_on_link=html, known=known)


def setup(app: Sphinx) -> None:
    from ..build.resolving import EVENT

    # Before the handlers that fill listings (default priority 500).
    app.connect(EVENT, insert_links, priority=300)
