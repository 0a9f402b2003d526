"""The report card: a compact summary at the top of each report page (HTML only), and its outline diagram.

Unit, year, reporter, length, and the parts found with a link to each. It is
built from the report's record when the page is written, for HTML builders
only (the PDF shows the metadata its own way), as plain docutils nodes: it is
not kept with the read document, which Sphinx holds in memory until it is
written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from docutils import nodes

from ..build.domain import get_domain
from ..build.resolving import report_doctrees
from ..report.records import PartRecord
from . import diagrams, units

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def _field(name: str, *body: nodes.Node | str) -> nodes.field:
    paragraph = nodes.paragraph()
    for item in body:
        paragraph += nodes.Text(item) if isinstance(item, str) else item
    return nodes.field("", nodes.field_name(text=name), nodes.field_body("", paragraph))


def build(metadata: Mapping[str, str], length: int, parts: Sequence[PartRecord], placeholders: int,
          unit_fields: Sequence[tuple[str, Sequence[nodes.Node | str]]] = ()) -> nodes.container:
    fields = nodes.field_list(classes=["report-card-fields"])
    for name, body in unit_fields[:1]:  # 单位 first
        fields += _field(name, *body)
    for name, key in (("单位类型", "unit_kind"), ("年度", "year"), ("述职人", "reporter")):
        if metadata.get(key):
            fields += _field(name, metadata[key])
    for name, body in unit_fields[1:]:  # 上一年度, 下一年度
        fields += _field(name, *body)
    fields += _field("字数", f"{length:,}")
    if parts:
        links: list[nodes.Node | str] = []
        for index, part in enumerate(parts):
            if index:
                links.append(" · ")
            ref = nodes.reference("", "", internal=True, refid=part.node_id, reftitle=part.heading)
            ref += nodes.Text(part.key)
            links.append(ref)
        fields += _field("结构", *links)
    if placeholders:
        fields += _field("待补充", f"{placeholders} 处")
    return nodes.container("", fields, classes=["report-card"])


OUTLINE_TITLE = "本篇结构"
#: A compact layout for the outline: mermaid's default spacing made it about 840 × 480 px
#: of mostly empty room above the report's first sentence.
OUTLINE_LAYOUT = {"flowchart": {"nodeSpacing": 12, "rankSpacing": 36, "padding": 8, "useMaxWidth": False}}


def outline(title_section: nodes.section, config: dict | None = None) -> nodes.container | None:
    """The report's outline (parts and sub-parts) as a mermaid diagram, HTML only.

    With *config* (mermaid's initialisation settings, when the site serves its own copy
    of mermaid) the diagram is a light :class:`.diagrams.outline_diagram`; without, it is
    sphinxcontrib.mermaid's node, which loads mermaid as that extension is configured.

    Generated from the sections, so it always matches the headings. Not printed: the
    PDF's headings and bookmarks already show the outline, and each diagram costs the
    PDF build a Chromium run (five diagrams would double its time).
    """
    items = diagrams.outline_items(title_section)
    if not items:
        return None
    box = nodes.container(classes=["report-outline"])
    code = diagrams.outline_code(title_section[0].astext(), items)
    if config is None:
        box += nodes.rubric(OUTLINE_TITLE, OUTLINE_TITLE)
        box += diagrams.node(code)
    else:
        # Its own heading: a <details> summary (open on wide screens, closed on phones).
        box += diagrams.outline_diagram(code=code, config={**config, **OUTLINE_LAYOUT}, summary=OUTLINE_TITLE)
    return box


def insert(title_section: nodes.section, metadata: Mapping[str, str], length: int,
           parts: Sequence[PartRecord], placeholders: int, outline_config: dict | None = None,
           unit_fields: Sequence[tuple[str, Sequence[nodes.Node | str]]] = ()) -> None:
    """Put the card, then the outline diagram, right after the report's ``#`` title."""
    title_section.insert(1, build(metadata, length, parts, placeholders, unit_fields))
    diagram = outline(title_section, outline_config)
    if diagram is not None:
        title_section.insert(2, diagram)


def add_cards(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``shuzhi-doctree-resolving``, HTML builders: the card and outline of each report on the page."""
    if app.builder.format != "html":
        return
    reports = get_domain(app.env).reports
    # With mermaid served from _static, the outline has its own light loader (diagrams.py).
    outline_config = dict(app.config.mermaid_init_config) if app.config.shuzhi_mermaid_dist else None
    for report, root in report_doctrees(app, doctree, docname):
        record = reports[report]
        if not record.title_id:
            continue
        title_section = next((section for section in root.findall(nodes.section)
                              if record.title_id in section["ids"]), None)
        if title_section is not None:
            insert(title_section, record.metadata, record.length, record.parts, len(record.placeholders),
                   outline_config, units.card_fields(app, docname, record))


def setup(app: Sphinx) -> None:
    from ..build.resolving import EVENT

    # After the links (300): the card's text is not linked.
    app.connect(EVENT, add_cards, priority=350)
