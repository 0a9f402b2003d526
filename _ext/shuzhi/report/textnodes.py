"""Find text in a doctree and wrap parts of it in new inline nodes.

Pure (docutils only): the nodes of the host that hold no prose either (Sphinx's
cross-references, toctrees, ``only``) are given by the caller, as ``skip``
(:data:`shuzhi.build.textnodes.LITERAL_NODES` in the build and in ``shuzhi check``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeAlias

from docutils import nodes

#: Docutils nodes whose text must never be rewritten: code, literal text, raw markup,
#: existing references, comments, substitutions.
LITERAL_NODES: tuple[type[nodes.Node], ...] = (
    nodes.FixedTextElement,  # literal_block, doctest_block, …
    nodes.literal,
    nodes.raw,
    nodes.comment,
    nodes.reference,
    nodes.target,
    nodes.substitution_definition,
    nodes.system_message,
)

Span: TypeAlias = tuple[int, int, nodes.Node]


def text_nodes(root: nodes.Node, skip: tuple[type[nodes.Node], ...] = LITERAL_NODES) -> Iterator[nodes.Text]:
    """Every Text node under *root* that has no ancestor of a *skip* type, in document order."""

    def walk(node: nodes.Node) -> Iterator[nodes.Text]:
        for child in node.children:
            if isinstance(child, nodes.Text):
                yield child
            elif not isinstance(child, skip):
                yield from walk(child)

    if not isinstance(root, skip):
        yield from walk(root)


def split_spans(text: str, spans: list[Span]) -> list[nodes.Node]:
    """*text* as nodes: each (start, end) span replaced by its node, the text between as Text nodes."""
    pieces: list[nodes.Node] = []
    cursor = 0
    for start, end, node in sorted(spans, key=lambda span: span[0]):
        if start > cursor:
            pieces.append(nodes.Text(text[cursor:start]))
        pieces.append(node)
        cursor = end
    if cursor < len(text):
        pieces.append(nodes.Text(text[cursor:]))
    return pieces


def replace_child(old: nodes.Node, new: nodes.Node | list[nodes.Node]) -> None:
    """Put *new* (a node or nodes) where *old* is in its parent.

    Found by identity: ``Element.replace`` finds the child by equality, and a Text node
    equals every other with the same text (an earlier sibling would be replaced instead).
    """
    parent = old.parent
    index = next(index for index, child in enumerate(parent.children) if child is old)
    parent[index:index + 1] = [new] if isinstance(new, nodes.Node) else new


def replace_spans(text_node: nodes.Text, spans: list[Span]) -> None:
    """Replace *text_node* by its text with each (start, end) span replaced by a node."""
    if not spans:
        return
    replace_child(text_node, split_spans(str(text_node), spans))


def source_line(node: nodes.Node) -> int | None:
    """The line of *node* or of its nearest ancestor that knows its line."""
    while node is not None:
        if getattr(node, "line", None):
            return node.line
        node = node.parent
    return None


def wrap_matches(
    root: nodes.Node,
    find: Callable[[str], list[tuple[int, int]]],
    make: Callable[[str, nodes.Text], nodes.Node],
    skip: tuple[type[nodes.Node], ...] = LITERAL_NODES,
) -> list[nodes.Node]:
    """Wrap every span that *find* returns in the node that *make* builds; return the new nodes."""
    created: list[nodes.Node] = []
    for text_node in list(text_nodes(root, skip)):
        text = str(text_node)
        spans = []
        for start, end in find(text):
            node = make(text[start:end], text_node)
            created.append(node)
            spans.append((start, end, node))
        replace_spans(text_node, spans)
    return created
