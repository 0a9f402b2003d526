"""Where a report mentions a glossary concept, and which mentions a policy links.

Pure (docutils and pyahocorasick): the glossary arrives as plain data, :class:`Terms`
(every linkable form → its concept's term, each term → its entry's anchor), made by
:meth:`shuzhi.glossary.entries.Glossary.terms`. Matching uses one Aho–Corasick
automaton over all forms (longest match wins), so its cost grows with the text, not
with terms × text.

:func:`scan` is the one reading of a report's mentions: the report pipeline records
them when a report is read (:func:`find_mentions`), and the glossary's linking turns
the same ones into links when the page is written (:mod:`shuzhi.glossary.linking`),
so the two always agree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from docutils import nodes

from .records import TermUsage
from .textnodes import LITERAL_NODES, source_line

#: The values of ``shuzhi_link_policy`` (the one definition: build/config.py checks against it).
LINK_FIRST_PER_SECTION = "first-per-section"
LINK_ALL = "all"
POLICIES = (LINK_FIRST_PER_SECTION, LINK_ALL)

#: Never link inside headings, captions, the glossary's own terms or field names, besides
#: the literal text the caller names.
NOT_PROSE: tuple[type[nodes.Node], ...] = (nodes.title, nodes.subtitle, nodes.rubric, nodes.caption,
                                           nodes.term, nodes.field_name, nodes.docinfo)


class Terms:
    """The glossary as the report pipeline needs it: plain data, and a matcher over it.

    *forms*: every linkable string (a term or an alias) → its concept's term;
    *anchors*: each term → the id of its glossary entry (``term-…``).
    """

    def __init__(self, forms: Mapping[str, str], anchors: Mapping[str, str]) -> None:
        self.forms = dict(forms)
        self.anchors = dict(anchors)
        self._automaton: Any = None

    def __getstate__(self) -> dict[str, Any]:
        # The automaton is rebuilt lazily in each process; it is not pickled with the environment.
        return {**self.__dict__, "_automaton": None}

    def automaton(self):
        """One Aho–Corasick automaton over every form, built once per process."""
        if self._automaton is None:
            import ahocorasick

            automaton = ahocorasick.Automaton()
            for form, term in self.forms.items():
                automaton.add_word(form, (form, term))
            if len(automaton):
                automaton.make_automaton()
            self._automaton = automaton
        return self._automaton

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """Longest, leftmost, non-overlapping mentions: (start, end, form, term)."""
        automaton = self.automaton()
        if not len(automaton):
            return []
        return [(end - len(form) + 1, end + 1, form, term) for end, (form, term) in automaton.iter_long(text)]


class Edit(NamedTuple):
    """A mention at *start*–*end* of a text node that gets an anchor, a link, or both."""

    start: int
    end: int
    target_id: str  # the anchor before it ("" for none)
    link: bool
    form: str
    term: str


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


def _explicit_term_link(node: nodes.Node) -> bool:
    """A ``{term}`` reference the author wrote (Sphinx's ``pending_xref``, told by its attributes)."""
    return isinstance(node, nodes.Element) and node.get("reftype") == "term" and "reftarget" in node.attributes


def _prose_and_term_links(root: nodes.Element, skip: tuple[type[nodes.Node], ...]) -> tuple[
        list[tuple[nodes.Text, nodes.section | None]], list[tuple[nodes.Element, nodes.section | None]]]:
    """In one pass over *root*: the Text nodes of its children outside *skip* nodes (as
    :func:`.textnodes.text_nodes` of each child), and every explicit term link, wherever it is;
    each with its section (:func:`_section`), followed as the pass goes down."""
    texts: list[tuple[nodes.Text, nodes.section | None]] = []
    links: list[tuple[nodes.Element, nodes.section | None]] = []
    Text, section_class = nodes.Text, nodes.section

    def walk(node: nodes.Element, skipped: bool, section: nodes.section | None) -> None:
        for child in node.children:
            if isinstance(child, Text):
                if not skipped:
                    texts.append((child, section))
                continue
            if _explicit_term_link(child):
                links.append((child, section))
            walk(child, skipped or isinstance(child, skip),
                 child if isinstance(child, section_class) else section)

    top = root if isinstance(root, section_class) else None  # _section() stops at *root*
    for child in root.children:  # text right under *root* is not prose of a child
        if not isinstance(child, Text):
            if _explicit_term_link(child):
                links.append((child, top))
            walk(child, isinstance(child, skip), child if isinstance(child, section_class) else top)
    return texts, links


def _part_titles(root: nodes.Element) -> Callable[[nodes.section | None], str]:
    """:func:`_part_title` under *root*, worked out once per section (and each section's
    part, from its parent section's)."""
    parts: dict[int, nodes.section | None] = {}  # id of a section → its part; None: it is the top
    titles: dict[int, str] = {}

    def part_of(section: nodes.section) -> nodes.section | None:
        """The second-to-last of :func:`_part_title`'s chain of *section*, None if the chain has one."""
        key = id(section)
        if key not in parts:
            above = _section(section.parent, root)
            parts[key] = None if above is None else (part_of(above) or section)
        return parts[key]

    def part_title(section: nodes.section | None) -> str:
        if section is None:
            return ""
        key = id(section)
        if key not in titles:
            part = part_of(section)
            titles[key] = part[0].astext() if part is not None else ""
        return titles[key]

    return part_title


def scan(root: nodes.Element, docname: str, terms: Terms, policy: str,
         skip: tuple[type[nodes.Node], ...] = LITERAL_NODES, *,
         with_edits: bool = True) -> tuple[list[tuple[nodes.Text, list[Edit]]], tuple[TermUsage, ...]]:
    """Every mention under *root* (one report), and the edits that link them per *policy*.

    Text inside *skip* nodes (literal text; the host's cross-references) and in headings is
    not searched. Without *with_edits* only the mentions are made (the edits are empty).
    """
    skip = (*skip, *NOT_PROSE)
    prose, explicit = _prose_and_term_links(root, skip)
    linked: set[tuple[int, str]] = set()  # (id of the section node, term)
    for ref, section in explicit:  # explicit {term} roles count as links
        linked.add((id(section), ref["reftarget"]))
    part_title = _part_titles(root)

    usages: list[TermUsage] = []
    edits: list[tuple[nodes.Text, list[Edit]]] = []
    targets: dict[tuple[str, str], str] = {}  # (term, part) → anchor id
    numbers: dict[str, int] = {}  # term → anchors so far
    link_all = policy == LINK_ALL
    lowered: dict[str, str] = {}  # term → term.lower(), once per term
    for text_node, section in prose:
        mentions = terms.find(str(text_node))
        if not mentions:
            continue
        part = part_title(section)
        line = source_line(text_node.parent) or 0
        section_id = id(section)
        node_edits = []
        for start, end, form, term in mentions:
            lower = lowered.get(term)
            if lower is None:
                lower = lowered[term] = term.lower()
            key = (section_id, lower)
            make_link = link_all or key not in linked
            place = (term, part)
            target = targets.get(place)
            target_id = ""
            if target is None:
                # Numbered per concept, so another concept's mentions never shift this id.
                numbers[term] = numbers.get(term, 0) + 1
                target = target_id = targets[place] = f"use-{terms.anchors[term].removeprefix('term-')}-{numbers[term]}"
            if make_link:
                linked.add(key)
            if with_edits and (target_id or make_link):
                node_edits.append(Edit(start, end, target_id, make_link, form, term))
            usages.append(TermUsage(docname, term, form, line, part, target, make_link))
        if with_edits:
            edits.append((text_node, node_edits))
    return edits, tuple(usages)


def find_mentions(root: nodes.Element, docname: str, terms: Terms, policy: str,
                  skip: tuple[type[nodes.Node], ...] = LITERAL_NODES) -> tuple[TermUsage, ...]:
    """Every mention of a concept in one report, and whether *policy* links it; nothing is changed."""
    return scan(root, docname, terms, policy, skip, with_edits=False)[1]
