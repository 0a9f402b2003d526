"""Pages that list the reports: rewritten when what they show changes, and only then.

The catalogue, the overview's tables and map, the 待补充 list and the glossary's
使用情况 are made when the page is written, from the records of every report
(:mod:`shuzhi.build.domain`). Such a page never needs re-reading when a report changes; it
needs rewriting when the part of the records it shows changed. Each listing
directive notes the kind of view it shows (:meth:`.ReportDomain.note_listing`);
after reading, ``env-updated`` digests each view over all reports, compares it
with the last build's digest, and returns the listing pages to rewrite.

So appending a sentence to a report rewrites the catalogue (its 字数 changed) but
not the overview, the 待补充 page or the glossary, and fixing a typo in a glossary
definition rewrites none of them.

:class:`ListingDirective` is the directive that leaves a placeholder node for such
a listing and notes its kind; :func:`fill_list` replaces those placeholders with a
bulleted list when the page is written.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ..build.domain import get_domain
from ..build.resolving import holds

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from ..build.domain import ReportDomain
    from ..report.records import ReportRecord


#: Each kind of view: what it shows of the reports (in listing order) besides their order,
#: docnames, titles and front matter, which every listing shows.
VIEWS: dict[str, Callable[[ReportDomain, list[ReportRecord]], Any]] = {
    "catalogue": lambda domain, records: [r.length for r in records],
    "structure": lambda domain, records: [tuple((p.key, p.heading, p.node_id) for p in r.parts) for r in records],
    # What the glossary's 使用情况 and the concept matrix show: not the line or the form,
    # so that text added above a mention does not rewrite them.
    "usages": lambda domain, records: sorted(
        (doc, [(u.term, u.part, u.target_id) for u in usages]) for doc, usages in domain.usages.items()),
    "placeholders": lambda domain, records: [r.placeholders for r in records],
    "findings": lambda domain, records: [r.findings for r in records],
    # The units page shows the front matter (unit, year) only, which every view includes.
    "units": lambda domain, records: (),
    # 整改跟踪 shows last year's problem lists against the text of the reports that follow them.
    "tracking": lambda domain, records: _tracked(domain, records),
}


def _tracked(domain: ReportDomain, records: list[ReportRecord]) -> Any:
    """What 整改跟踪 shows: the problem lists, and the length of each report that answers one."""
    from .units import index

    reviews = domain.reviews
    answering = {after for entries in index(records).values() for (_, before), (_, after) in zip(entries, entries[1:])
                 if reviews.get(before) is not None and reviews[before].problems}
    return (sorted((doc, review.problems) for doc, review in reviews.items()),
            [(r.docname, r.length) for r in records if r.docname in answering])


class ListingDirective(SphinxDirective):
    """A listing: a placeholder node (*node_class*), replaced when the page is written.

    Notes that the page shows the view *kind* (a key of :data:`VIEWS`), so that the page
    is rewritten when that view changes.
    """

    has_content = False
    option_spec: ClassVar[dict] = {}
    kind: ClassVar[str]
    node_class: ClassVar[type[nodes.Element]]

    def make_node(self) -> nodes.Element:
        return self.node_class()

    def run(self) -> list[nodes.Node]:
        get_domain(self.env).note_listing(self.env.docname, self.kind)
        node = self.make_node()
        self.set_source_info(node)
        return [node]


Row = TypeVar("Row")


def fill_list(doctree: nodes.document, node_class: type[nodes.Element], rows: Callable[[], Sequence[Row]],
              item: Callable[[Row], nodes.list_item], classes: str, empty: str) -> None:
    """Replace each *node_class* placeholder in *doctree* with a bulleted list (class *classes*)
    of *item* of each row, or, without rows, with a paragraph saying *empty*.

    *rows* is called once, and only when the page holds a placeholder; the list is made
    anew for each placeholder (a node has one parent).
    """
    placeholders = list(doctree.findall(node_class)) if holds(doctree, node_class) else []
    if not placeholders:
        return
    found = rows()
    for placeholder in placeholders:
        if not found:
            placeholder.replace_self(nodes.paragraph("", empty))
            continue
        listing = nodes.bullet_list(classes=[classes])
        listing.extend(item(row) for row in found)
        placeholder.replace_self(listing)


def digest(view: Any) -> str:
    return hashlib.sha256(repr(view).encode("utf-8")).hexdigest()


def outdated_listings(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: the listing pages whose view of the reports changed since the last build."""
    domain = get_domain(env)
    # Per builder: the LaTeX and HTML builds of one site share the environment.
    previous = domain.view_digests(app.builder.name)
    kinds = {kind for shown in domain.listing_docs.values() for kind in shown}
    records = domain.sorted_reports()
    heads = [(record.docname, record.title, record.metadata) for record in records]
    current = {kind: digest((heads, VIEWS[kind](domain, records))) for kind in sorted(kinds)}
    domain.set_view_digests(app.builder.name, current)
    changed = {kind for kind in kinds if previous.get(kind) != current[kind]}
    return sorted(doc for doc, shown in domain.listing_docs.items() if shown & changed and doc in env.found_docs)


def setup(app: Sphinx) -> None:
    app.connect("env-updated", outdated_listings)
