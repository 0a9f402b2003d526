"""Link every mention of a glossary concept in a report to its glossary entry.

Mentions become standard ``std:term`` cross-references (``pending_xref``), so
Sphinx resolves them in every builder and reports dangling ones. Matching uses
one Aho–Corasick automaton over all terms and aliases (longest match wins),
so its cost grows with the text, not with terms × text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

from .records import TermUsage
from .textnodes import LITERAL_NODES, replace_spans, source_line, text_nodes

if TYPE_CHECKING:
    from .glossary import Glossary

#: Never link inside headings, captions, the glossary's own terms, or literal text.
SKIP_NODES = (*LITERAL_NODES, nodes.title, nodes.subtitle, nodes.rubric, nodes.caption,
              nodes.term, nodes.field_name, nodes.docinfo)

POLICIES = ("first-per-section", "all")


def term_reference(form: str, term: str) -> addnodes.pending_xref:
    """A ``:term:`` reference to *term*, shown as *form*: what the ``{term}`` role creates."""
    ref = addnodes.pending_xref(
        "", refdomain="std", reftype="term", reftarget=term.lower(),
        refexplicit=True, refwarn=True, classes=["shuzhi-term"],
    )
    ref += nodes.inline(form, form, classes=["xref", "std", "std-term"])
    return ref


def _section(node: nodes.Node) -> nodes.section | None:
    while node is not None and not isinstance(node, nodes.section):
        node = node.parent
    return node


def _part_title(section: nodes.section | None) -> str:
    """The title of the part (second-level section) that *section* is in."""
    chain = []
    while section is not None:
        chain.append(section)
        section = _section(section.parent)
    # chain[-1] is the report (H1); chain[-2], if any, is the part (H2).
    if len(chain) >= 2:
        return chain[-2][0].astext()
    return ""


def link_mentions(doctree: nodes.document, docname: str, glossary: Glossary, policy: str) -> tuple[TermUsage, ...]:
    """Turn mentions into term references per *policy*; return every mention found."""
    concepts = glossary.by_term()
    linked: set[tuple[int, str]] = set()  # (id of the section node, term)
    for ref in doctree.findall(addnodes.pending_xref):  # explicit {term} roles count as links
        if ref.get("reftype") == "term":
            linked.add((id(_section(ref)), ref["reftarget"]))

    usages: list[TermUsage] = []
    targets: dict[tuple[str, str], str] = {}  # (term, part) → paragraph id
    for text_node in list(text_nodes(doctree, SKIP_NODES)):
        mentions = glossary.find(str(text_node))
        if not mentions:
            continue
        section = _section(text_node)
        part = _part_title(section)
        line = source_line(text_node.parent) or 0
        spans = []
        for start, end, form, term in mentions:
            concept = concepts[term]
            key = (id(section), term.lower())
            make_link = policy == "all" or key not in linked
            if (term, part) not in targets:
                # Numbered per concept, so another concept's mentions never shift this id.
                number = sum(1 for known, _ in targets if known == term) + 1
                target_id = f"use-{concept.anchor.removeprefix('term-')}-{number}"
                # A target node (not an id on the paragraph): HTML and LaTeX both anchor it.
                spans.append((start, start, nodes.target("", "", ids=[target_id])))
                targets[(term, part)] = target_id
            if make_link:
                linked.add(key)
                spans.append((start, end, term_reference(form, term)))
            usages.append(TermUsage(docname, term, form, line, part, targets[(term, part)], make_link))
        replace_spans(text_node, spans)
    return tuple(usages)
