"""Pages that list the reports: rewritten when what they show changes, and only then.

The catalogue, the overview's tables and map, the 待补充 list and the glossary's
使用情况 are made when the page is written, from the records of every report
(:mod:`.domain`). Such a page never needs re-reading when a report changes; it
needs rewriting when the part of the records it shows changed. Each listing
directive notes the kind of view it shows (:meth:`.ReportDomain.note_listing`);
after reading, ``env-updated`` digests each view over all reports, compares it
with the last build's digest, and returns the listing pages to rewrite.

So appending a sentence to a report rewrites the catalogue (its 字数 changed) but
not the 待补充 page or the glossary, and fixing a typo in a glossary definition
rewrites neither.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from .domain import get_domain

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from .domain import ReportDomain


def _heads(domain: ReportDomain) -> list[tuple[str, str, Any]]:
    """What every listing shows of a report: its order, docname, title and front matter."""
    return [(record.docname, record.title, record.metadata) for record in domain.sorted_reports()]


#: Each kind of view: what of the records it shows.
VIEWS: dict[str, Callable[[ReportDomain], Any]] = {
    "catalogue": lambda domain: (_heads(domain), [r.length for r in domain.sorted_reports()]),
    "structure": lambda domain: (_heads(domain), [
        tuple((part.key, part.heading, part.node_id) for part in r.parts) for r in domain.sorted_reports()]),
    "usages": lambda domain: (_heads(domain), sorted(domain.usages.items())),
    "placeholders": lambda domain: (_heads(domain), [r.placeholders for r in domain.sorted_reports()]),
    "findings": lambda domain: (_heads(domain), [r.findings for r in domain.sorted_reports()]),
}


def digest(view: Any) -> str:
    return hashlib.sha256(repr(view).encode("utf-8")).hexdigest()


def outdated_listings(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: the listing pages whose view of the reports changed since the last build."""
    domain = get_domain(env)
    # Per builder: the LaTeX and HTML builds of one site share the environment.
    previous: dict[str, str] = domain.data["view_digests"].get(app.builder.name, {})
    kinds = {kind for shown in domain.listing_docs.values() for kind in shown}
    current = {kind: digest(VIEWS[kind](domain)) for kind in sorted(kinds)}
    domain.data["view_digests"][app.builder.name] = current
    changed = {kind for kind in kinds if previous.get(kind) != current[kind]}
    return sorted(doc for doc, shown in domain.listing_docs.items() if shown & changed and doc in env.found_docs)


def setup(app: Sphinx) -> None:
    app.connect("env-updated", outdated_listings)
