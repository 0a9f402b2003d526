"""Free each page's document as soon as its HTML is rendered.

A docutils document is a web of reference cycles: every node points to its
parent, the document to itself and to its transformer. When Sphinx drops a
written page, reference counting therefore cannot free it, and the page waits
for one of Python's full garbage collections, each of which scans every object
alive (with hundreds of reports, hundreds of thousands of them). Writing many
pages triggers one every hundred pages or so.

After every other ``html-page-context`` handler has seen the page (this one
runs last), nothing uses the document again: the template is rendered from the
context, which holds strings and functions of the environment, no node. With
its cycles cut, reference counting frees the document's nodes, and everything
added to them while writing, right away.

Each node's links to its parent and to its document are cut, and the document
is emptied. It applies to the HTML builders (``html``, ``dirhtml``), whose
pages are each one document; ``shuzhi_release_doctrees = False`` turns it off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The builders whose ``html-page-context`` document is the page's own and is dropped after rendering.
BUILDERS = frozenset({"html", "dirhtml"})

#: After every other handler (the default priority is 500).
PRIORITY = 990


def release(doctree: nodes.document) -> None:
    """Cut the reference cycles of *doctree*'s nodes and empty the document.

    Its nodes no longer point to their parent or their document, so reference
    counting frees them once the document lets go of them; and it lets go of them
    all (its children, its id and name tables, its footnotes...), so that whatever
    still refers to the empty document (the HTML translator until the next page,
    MyST's renderer) keeps nothing else alive. Each of those lists and tables is
    replaced by an empty one, not emptied: another object may share it (MyST's
    heading slugs are also the environment's ``metadata[docname]["myst_slugs"]``).
    """
    for node in list(doctree.findall(include_self=False)):
        node.parent = None
        node.__dict__.pop("_document", None)
    state = vars(doctree)
    for name, value in list(state.items()):
        if isinstance(value, (list, dict)):
            state[name] = type(value)()
    doctree.transformer = None


def release_page(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                 doctree: nodes.document | None) -> None:
    """``html-page-context``, last: release the page's document; the template no longer needs it."""
    if isinstance(doctree, nodes.document) and app.builder.name in BUILDERS and app.config.shuzhi_release_doctrees:
        release(doctree)


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", release_page, priority=PRIORITY)
