"""What happens to a report page when it is read: record it, highlight placeholders, link concepts."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes

from . import placeholders
from .linking import link_mentions
from .config import is_report
from .domain import get_domain
from .records import PlaceholderRecord, ReportRecord
from .textnodes import source_line, wrap_matches

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_WHITESPACE = re.compile(r"\s+")


def text_length(doctree: nodes.document) -> int:
    """Characters of text on the page, white space excluded."""
    return len(_WHITESPACE.sub("", doctree.astext()))


def highlight_placeholders(doctree: nodes.document, docname: str) -> tuple[PlaceholderRecord, ...]:
    """Wrap each placeholder in ``<span class="placeholder">`` and record where it is."""
    records = []

    def find(text: str) -> list[tuple[int, int]]:
        return [match.span() for match in placeholders.find(text)]

    def make(text: str, origin: nodes.Text) -> nodes.Node:
        node_id = f"placeholder-{len(records) + 1}"
        node = nodes.inline(text, text, classes=["placeholder"], ids=[node_id])
        records.append(PlaceholderRecord(docname, source_line(origin.parent) or 0, text, node_id))
        return node

    wrap_matches(doctree, find, make)
    return tuple(records)


def process_report(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: collect a report's record and mark up its placeholders."""
    env = app.env
    docname = env.docname
    if not is_report(app.config, docname):
        return
    metadata = {key: str(value) for key, value in env.metadata.get(docname, {}).items()}
    title = env.titles[docname].astext() if docname in env.titles else metadata.get("title", docname)
    length = text_length(doctree)
    found = highlight_placeholders(doctree, docname)
    domain = get_domain(env)
    domain.note_report(ReportRecord(docname, title, metadata, length, found))
    if domain.glossary is not None:
        domain.note_usages(docname, link_mentions(doctree, docname, domain.glossary, app.config.shuzhi_link_policy))


def setup(app: Sphinx) -> None:
    # After Sphinx's own collectors (priority 500), which fill env.metadata and env.titles.
    app.connect("doctree-read", process_report, priority=600)
