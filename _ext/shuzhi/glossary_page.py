"""The glossary page: entries grouped A–Z by pinyin, with where each concept is used.

``{shuzhi-glossary}`` renders the glossary file at read time as a standard
Sphinx glossary (terms registered in the ``std`` domain under stable,
pinyin-based anchors, so ``{term}`` references resolve in every builder). The
"where it is used" lists need every report, so each entry carries a
placeholder that a post-transform fills from the usage records at write time.
Hover definitions come from a small data file written next to the pages.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from sphinx import addnodes
from sphinx.domains.std import make_glossary_term
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from . import glossary as glossary_data
from .domain import get_domain
from .latex import listed_reports
from .linking import term_reference

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from .glossary import Concept

logger = logging.getLogger(__name__)

TOOLTIP_DATA = "shuzhi-glossary.js"


class term_usage(nodes.General, nodes.Element):
    """Placeholder for "where this concept is used", filled at write time."""


def _line(label: str, *content: nodes.Node | str) -> nodes.paragraph:
    para = nodes.paragraph(classes=["glossary-" + label[0]])
    para += nodes.strong(label[1], label[1])
    for item in content:
        para += nodes.Text(item) if isinstance(item, str) else item
    return para


class GlossaryDirective(SphinxDirective):
    """``{shuzhi-glossary}``: the whole glossary, from ``shuzhi_glossary_file``."""

    has_content = False
    option_spec: ClassVar[dict] = {}

    def run(self) -> list[nodes.Node]:
        domain = get_domain(self.env)
        domain.note_listing(self.env.docname, "usages")
        glossary = domain.glossary
        if glossary is None:
            return [nodes.paragraph(text="未配置术语表（shuzhi_glossary_file）。")]
        self.env.note_dependency(str(Path(self.env.srcdir) / self.config.shuzhi_glossary_file))
        groups = glossary_data.group_by_letter(glossary.concepts)
        letter_bar = addnodes.only(expr="html")  # a jump bar is for screens; print has bookmarks
        letter_bar += self._letter_bar(groups)
        result: list[nodes.Node] = [letter_bar]
        for letter, concepts in groups:
            rubric = nodes.rubric(letter, letter, ids=[f"letter-{letter.lower()}"], classes=["glossary-letter"])
            result.append(rubric)
            entries = nodes.definition_list(classes=["glossary", "shuzhi-glossary"])
            for concept in concepts:
                entries += self._entry(concept, letter)
            wrapper = addnodes.glossary(sorted=False)  # already sorted by pinyin
            wrapper += entries
            result.append(wrapper)
        return result

    def _letter_bar(self, groups: list[tuple[str, list[Concept]]]) -> nodes.paragraph:
        bar = nodes.paragraph(classes=["glossary-letters"])
        for index, (letter, concepts) in enumerate(groups):
            if index:
                bar += nodes.Text(" ")
            ref = nodes.reference("", letter, refid=f"letter-{letter.lower()}", internal=True)
            ref["reftitle"] = f"{len(concepts)} 个术语"
            bar += ref
        return bar

    def _entry(self, concept: Concept, letter: str) -> nodes.definition_list_item:
        item = nodes.definition_list_item()
        source, _ = self.get_source_info()
        term = make_glossary_term(self.env, [nodes.Text(concept.term)], letter, source,
                                  concept.line, concept.anchor, self.state.document)
        term += nodes.inline(concept.pinyin, concept.pinyin, classes=["glossary-pinyin"])
        std = self.env.domains.standard_domain
        for alias in concept.aliases:
            std.note_object("term", alias.lower(), concept.anchor, location=term)
        if concept.aliases and self.config.shuzhi_search_enhanced:
            # Index entries for the aliases too: the search shows an index entry
            # that is the query as its first result (see search.py). Each under its pinyin
            # letter in the index (genindex), as the terms are, not under its first character.
            for index in term.findall(addnodes.index):
                index["entries"].extend(("single", alias, concept.anchor, "main",
                                         glossary_data.initial_letter(glossary_data.syllables(alias)[0]))
                                        for alias in concept.aliases)
        item += term
        definition = nodes.definition()
        definition += nodes.paragraph(concept.definition, concept.definition, classes=["glossary-definition"])
        meta = [_line(("category", "分类："), concept.category)]
        if concept.aliases:
            meta.append(_line(("aliases", "又作："), "、".join(concept.aliases)))
        if concept.related:
            refs: list[nodes.Node | str] = []
            for index, other in enumerate(concept.related):
                if index:
                    refs.append("、")
                refs.append(term_reference(other, other))
            meta.append(_line(("related", "相关："), *refs))
        meta.append(self._source_line(concept))
        usage = term_usage(term=concept.term)
        meta.append(usage)
        definition.extend(meta)
        item += definition
        return item

    @staticmethod
    def _source_line(concept: Concept) -> nodes.paragraph:
        parts: list[nodes.Node | str] = []
        title = concept.source.title or "（无）"
        if concept.source.url:
            parts.append(nodes.reference(title, title, refuri=concept.source.url))
        else:
            parts.append(title)
        if concept.source.note:
            parts.append(f"（{concept.source.note}）")
        return _line(("source", "依据："), *parts)


def resolve_usage(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: fill each entry's "where it is used" from the usage records.

    Runs at write time (like ``sphinx.ext.todo``'s list), when every report has
    been read, and builds links with the builder, so they work in HTML and LaTeX.
    """
    placeholders = list(doctree.findall(term_usage))
    if not placeholders:
        return
    domain = get_domain(app.env)
    by_term = domain.usages_by_term()
    # Only the reports this output holds: in the PDF, the printed year's (a link to another
    # year's report would have no target); on the website, every report.
    listed = {record.docname: record.title for record in listed_reports(app, app.env)}
    for node in placeholders:
        usages = [usage for usage in by_term.get(node["term"], []) if usage.docname in listed]
        node.replace_self(_usage(app, docname, usages, listed))


def _usage(app: Sphinx, fromdoc: str, usages: list, titles: dict[str, str]) -> nodes.Node:
    if not usages:
        return _line(("usage", "使用情况："), "本汇编的报告中尚未出现。")
    reports: dict[str, dict[str, list]] = {}
    for usage in usages:
        reports.setdefault(usage.docname, {}).setdefault(usage.part, []).append(usage)
    if app.builder.format == "latex":
        return _compact_usage(app, fromdoc, usages, reports)
    # Not searched: it lists report titles, which a search finds on the reports themselves.
    container = nodes.container(classes=["glossary-usage", "no-search"])
    container += _line(("usage", "使用情况："), f"共 {len(usages)} 处，见于 {len(reports)} 篇报告：")
    listing = nodes.bullet_list()
    limit = app.config.shuzhi_backlinks_max
    for docname, parts in list(reports.items())[:limit]:
        item = nodes.list_item()
        para = nodes.paragraph()
        uri = app.builder.get_relative_uri(fromdoc, docname)
        title = titles.get(docname, docname)
        para += nodes.reference(title, title, refuri=uri, internal=True)
        count = sum(len(mentions) for mentions in parts.values())
        para += nodes.Text(f"（{count} 处）：")
        for index, (part, mentions) in enumerate(parts.items()):
            if index:
                para += nodes.Text("；")
            label = part or "开头部分"
            para += nodes.reference(label, label, refuri=f"{uri}#{mentions[0].target_id}", internal=True)
            para += nodes.Text(f" {len(mentions)} 处")
        item += para
        listing += item
    container += listing
    if len(reports) > limit:
        container += nodes.paragraph("", f"……另有 {len(reports) - limit} 篇报告（只列前 {limit} 篇）。",
                                     classes=["glossary-usage-more"])
    return container


def _compact_usage(app: Sphinx, fromdoc: str, usages: list, reports: dict[str, dict[str, list]]) -> nodes.Node:
    """One line for print: 共 12 处：第一篇 2 处、第三篇 5 处…, each linking to the first mention."""
    from .numbering import int_to_cn

    records = get_domain(app.env).reports
    content: list[nodes.Node | str] = [f"共 {len(usages)} 处："]
    limit = app.config.shuzhi_backlinks_max
    for index, (docname, parts) in enumerate(list(reports.items())[:limit]):
        if index:
            content.append("、")
        position = records[docname].metadata.get("position", "") if docname in records else ""
        label = f"第{int_to_cn(int(position))}篇" if position.isdigit() else docname
        first = next(iter(parts.values()))[0]
        uri = app.builder.get_relative_uri(fromdoc, docname)
        content.append(nodes.reference(label, label, refuri=f"{uri}#{first.target_id}", internal=True))
        content.append(f" {sum(len(m) for m in parts.values())} 处")
    if len(reports) > limit:
        content.append(f"……等 {len(reports)} 篇")
    return _line(("usage", "使用情况："), *content)


def report_unused(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency``: concepts no report mentions are information, not failures."""
    domain = get_domain(env)
    if domain.glossary is None:
        return
    used = domain.usages_by_term()
    unused = [concept.term for concept in domain.glossary.concepts if concept.term not in used]
    if unused:
        logger.info("术语表中有 %d 个术语未在任何报告中出现：%s", len(unused), "、".join(unused))


def write_tooltip_data(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: the definitions the hover/focus tooltips show, as a static script.

    Written after reading and before any page is written, so every page refers
    to it the same way (Sphinx adds a ``?v=`` checksum only for files that
    already exist when the page is written).
    """
    if app.builder.format != "html":
        return
    glossary = get_domain(app.env).glossary
    data = {}
    for concept in glossary.concepts if glossary else ():
        data[concept.anchor] = {
            "term": concept.term, "pinyin": concept.pinyin, "initials": concept.initials,
            "aliases": list(concept.aliases), "category": concept.category, "definition": concept.definition,
        }
    target = Path(app.outdir) / "_static" / TOOLTIP_DATA
    target.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0)
    target.write_text(f"window.SHUZHI_GLOSSARY = {body};\n", encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.add_node(term_usage)
    app.add_directive("shuzhi-glossary", GlossaryDirective)
    app.connect("doctree-resolved", resolve_usage)
    app.connect("env-check-consistency", report_unused)
    app.connect("env-updated", write_tooltip_data)
    app.add_js_file(TOOLTIP_DATA)
    app.add_js_file("shuzhi.js")
