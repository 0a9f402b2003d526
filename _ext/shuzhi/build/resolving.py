"""The ``shuzhi-doctree-resolving`` event: ``doctree-resolved``, but before references are resolved.

The listings (catalogue, 待补充 list, overview tables) and the printed compilation's
structure are built when a page is written, once every report has been read. They need
the builder: its format (the PDF lists only the printed year's reports), its relative
URIs (links to an anchor on a report page) and, in the PDF, the set of documents it is
assembling. And the nodes they create include cross-references (``pending_xref``) that
Sphinx's ``ReferencesResolver`` post-transform (priority 10) must still resolve.

So they cannot be ``doctree-resolved`` handlers, which run after every post-transform;
and a post-transform has no public way to the builder since Sphinx 9 deprecated
``SphinxTransform.app`` (sphinx-doc/sphinx#13627, #14136). The post-transform below does
nothing but emit this event, early among the post-transforms, through the environment's
public event manager; its handlers receive the application, as ``doctree-resolved``
handlers do, with the same arguments ``(app, doctree, docname)``. Handlers run in the
order of their ``app.connect`` priority (lower first, default 500).

It is the one way the extension writes output at write time: links to documents are
made with the builder (``make_refnode``, ``builder.get_relative_uri``) and links to files
at the output's root with :func:`file_uri`, so they are right under ``html``, ``dirhtml``
and ``singlehtml`` alike.

Most handlers replace a placeholder that a directive put in when the page was read (a
catalogue, a 待补充 list, an entry's 使用情况), and almost every page holds none. Instead
of one pass over the page per handler, :func:`holds` answers "is there any?" from the
node types of the page, gathered in one pass the first time a handler asks.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.osutil import relative_uri

from .domain import get_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from ..report.records import ReportRecord

EVENT = "shuzhi-doctree-resolving"


class EmitDoctreeResolving(SphinxPostTransform):
    """Emit :data:`EVENT` for the document being resolved (a page; in the PDF, the assembled document)."""

    # Before ReferencesResolver (10), so the cross-references the handlers create get
    # resolved, and before the LaTeX builder's citation and math references (5), so that
    # those in the front matter inserted into the PDF are handled like every other.
    default_priority = 4

    def run(self, **kwargs) -> None:
        global _page  # noqa: PLW0603 - the page being resolved, for holds()
        outer, _page = _page, _PageTypes(self.document)
        try:
            self.env.events.emit(EVENT, self.document, self.env.docname)
        finally:
            _page = outer


class _PageTypes:
    """The classes of the nodes of one page, gathered in one pass when first asked for."""

    def __init__(self, doctree: nodes.document) -> None:
        self.doctree = doctree
        self._types: set[type] | None = None

    def holds(self, node_class: type[nodes.Node]) -> bool:
        if self._types is None:
            types: set[type] = set()
            stack: list[nodes.Node] = [self.doctree]
            while stack:
                node = stack.pop()
                types.add(type(node))
                stack.extend(node.children)
            self._types = types
        return any(issubclass(found, node_class) for found in self._types)


#: The page whose :data:`EVENT` is being emitted.
_page: _PageTypes | None = None


def holds(doctree: nodes.document, node_class: type[nodes.Node]) -> bool:
    """Whether *doctree* may hold a *node_class* node: ``False`` only when it held none as
    :data:`EVENT` began for it (one pass over the page for every handler and node class).

    For the nodes the page held when it was read (a directive's placeholder, a document
    assembled into the page): a handler that puts such nodes in (the PDF's front matter)
    calls :func:`page_changed`. Outside the event it is always ``True``: look.
    """
    return _page is None or _page.doctree is not doctree or _page.holds(node_class)


def page_changed(doctree: nodes.document) -> None:
    """A handler put new kinds of nodes into *doctree*: :func:`holds` looks again."""
    if _page is not None and _page.doctree is doctree:
        _page._types = None


def file_uri(builder: Builder, docname: str, filename: str) -> str:
    """The URI of *filename*, a file at the output's root, from the page *docname* is written to.

    As Sphinx's own ``pathto(filename, resource=True)``: relative to the page's target URI
    (``a/b.html``; ``a/b/`` under ``dirhtml``), without the anchor that ``singlehtml`` gives
    every document (``#document-a/b``: all of them are written to the root's page).
    """
    return relative_uri(builder.get_target_uri(docname).rsplit("#", 1)[0], filename)


def listed_reports(app: Sphinx, env: BuildEnvironment) -> list[ReportRecord]:
    """The reports a listing (catalogue, overview, 使用情况) shows: every report on the website;
    in a PDF only those the document being assembled holds (its year's), so that every link
    in the listing has its target."""
    records = get_domain(env).sorted_reports()
    if app.builder.format != "latex":
        return records
    held = getattr(app.builder, "docnames", set())
    return [record for record in records if record.docname in held]


def report_doctrees(app: Sphinx, doctree: nodes.document, docname: str) -> Iterator[tuple[str, nodes.Element]]:
    """(docname, root) of each report in *doctree*: the page, or each report assembled into it."""
    reports = get_domain(app.env).reports
    if docname in reports:
        yield docname, doctree
    if not holds(doctree, addnodes.start_of_file):
        return
    for sof in doctree.findall(addnodes.start_of_file):
        if sof.get("docname") in reports:
            yield sof["docname"], sof


def setup(app: Sphinx) -> None:
    app.add_event(EVENT)
    app.add_post_transform(EmitDoctreeResolving)
