"""The ``placeholder-list`` directive: the 待补充 review page, built from the records.

Like the catalogue, the directive leaves a node while reading and a
``shuzhi-doctree-resolving`` handler (:mod:`shuzhi.build.resolving`) replaces it when the page
is written, so the list reflects every report of this build. Each placeholder links
to its highlighted span (``placeholder-N``) on the report page; the link is
``builder.get_relative_uri(page, report) + "#" + id``, as ``sphinx.ext.todo``
builds its back-links, which works in HTML and LaTeX alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from ..build.domain import get_domain
from ..build.resolving import EVENT, holds
from .catalogue import doc_link
from .invalidation import ListingDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from ..report.records import PlaceholderRecord


class placeholder_list(nodes.General, nodes.Element):
    """Placeholder for the 待补充 list, replaced at write time."""


class PlaceholderList(ListingDirective):
    """``{placeholder-list}``: every unfilled placeholder of every report, with links."""

    kind = "placeholders"
    node_class = placeholder_list


def _item(builder: Builder, fromdoc: str, placeholder: PlaceholderRecord, uris: dict[str, str]) -> nodes.list_item:
    """One placeholder; *uris* keeps each page's relative address, worked out once per page."""
    if placeholder.docname not in uris:
        uris[placeholder.docname] = builder.get_relative_uri(fromdoc, placeholder.docname)
    uri = uris[placeholder.docname] + "#" + placeholder.node_id
    link = nodes.reference("", "", internal=True, refuri=uri, classes=["placeholder-link"])
    link += nodes.inline(placeholder.text, placeholder.text, classes=["shuzhi-placeholder"])
    paragraph = nodes.paragraph()
    paragraph += nodes.Text(f"第 {placeholder.line} 行：")
    paragraph += link
    paragraph += nodes.Text(f"　{placeholder.context}")
    return nodes.list_item("", paragraph)


def resolve_placeholder_lists(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``shuzhi-doctree-resolving``: replace each ``placeholder-list`` node with the 待补充 list.

    Before references are resolved, so that the report links (``pending_xref``) get resolved.
    """
    if not holds(doctree, placeholder_list):
        return
    for node in list(doctree.findall(placeholder_list)):
        records = [record for record in get_domain(app.env).sorted_reports() if record.placeholders]
        if not records:
            node.replace_self(nodes.paragraph(text="各篇报告都没有未填写的占位符。"))
            continue
        total = sum(len(record.placeholders) for record in records)
        uris: dict[str, str] = {}
        content: list[nodes.Node] = [
            nodes.paragraph(text=f"共 {total} 处，分布在 {len(records)} 篇报告中。")
        ]
        for record in records:
            heading = nodes.paragraph(classes=["placeholder-report"])
            heading += doc_link(app.builder, docname, record)
            heading += nodes.Text(f"（{len(record.placeholders)} 处）")
            items = nodes.bullet_list(classes=["placeholder-list", "no-search"])
            items.extend(_item(app.builder, docname, placeholder, uris) for placeholder in record.placeholders)
            content.extend([heading, items])
        node.replace_self(content)


def setup(app: Sphinx) -> None:
    app.add_node(placeholder_list)
    app.add_directive("placeholder-list", PlaceholderList)
    app.connect(EVENT, resolve_placeholder_lists)
