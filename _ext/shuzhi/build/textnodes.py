"""The nodes whose text is never rewritten, Sphinx's own included.

The walking itself is pure (:mod:`shuzhi.report.textnodes`); this adds the nodes
Sphinx puts into a read document that hold no prose of the report: cross-references
(their text is the reference's), toctrees and ``only`` blocks. The build and
``shuzhi check`` give the same set to the report pipeline, so both skip the same text.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes

from ..report import textnodes

LITERAL_NODES: tuple[type[nodes.Node], ...] = (
    *textnodes.LITERAL_NODES, addnodes.pending_xref, addnodes.toctree, addnodes.only)
