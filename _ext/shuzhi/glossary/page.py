"""The glossary page: entries grouped A–Z by pinyin, with where each concept is used.

``{shuzhi-glossary}`` renders the glossary file at read time as a standard
Sphinx glossary (terms registered in the ``std`` domain under stable,
pinyin-based anchors, so ``{term}`` references resolve in every builder). The
"where it is used" lists need every report, so each entry carries a
placeholder that is filled from the usage records at write time
(``shuzhi-doctree-resolving``, :mod:`shuzhi.build.resolving`).
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

from ..build.domain import get_domain
from ..build.resolving import holds, listed_reports
from . import entries as glossary_data
from .linking import term_reference

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from .entries import Concept

logger = logging.getLogger(__name__)

TOOLTIP_DATA = "shuzhi-glossary.js"


class term_usage(nodes.General, nodes.Element):
    """Placeholder for "where this concept is used", filled at write time."""


class glossary_references(nodes.General, nodes.Element):
    """Placeholder for the printed appendix's 参考依据 list; nothing on the website."""


#: The heading of the works the printed glossary cites.
REFERENCES_TITLE = "参考依据"
#: What the website says of an entry whose definition has no official source yet.
PENDING_TEXT = "待核实（尚未找到权威来源，本条不印入 PDF）"


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
        result.append(glossary_references())
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
        item = nodes.definition_list_item(classes=[] if concept.verified else ["glossary-pending"])
        item["shuzhi_term"] = concept.term
        source, _ = self.get_source_info()
        term = make_glossary_term(self.env, [nodes.Text(concept.term)], letter, source,
                                  concept.line, concept.anchor, self.state.document)
        term += nodes.inline(concept.pinyin, concept.pinyin, classes=["glossary-pinyin"])
        std = self.env.domains.standard_domain
        for alias in concept.aliases:
            std.note_object("term", alias.lower(), concept.anchor, location=term)
        if concept.aliases and self.config.shuzhi_search_enhanced:
            # Index entries for the aliases too: the search shows an index entry
            # that is the query as its first result (see search/jieba_index.py). Each under its pinyin
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
        """The website's 依据 line: the document or the outlet's page; never the editors' note."""
        source = concept.source
        if source.is_document:
            return _line(("source", "依据："), source.reference())
        if source.is_outlet:
            text = source.reference()
            return _line(("source", "依据："), nodes.reference(text, text, refuri=source.url))
        return _line(("source", "依据："), PENDING_TEXT)


class PendingDirective(SphinxDirective):
    """``{shuzhi-glossary-pending}``: the entries whose definition has no official source yet.

    For the editors (待核实): each entry with its category and the editors' note on what
    was found; the list is generated from the glossary file at every build.
    """

    has_content = False
    option_spec: ClassVar[dict] = {}

    def run(self) -> list[nodes.Node]:
        glossary = get_domain(self.env).glossary
        if glossary is None:
            return [nodes.paragraph(text="未配置术语表（shuzhi_glossary_file）。")]
        self.env.note_dependency(str(Path(self.env.srcdir) / self.config.shuzhi_glossary_file))
        pending = [concept for concept in glossary.concepts if not concept.verified]
        total = len(glossary.concepts)
        # The editors' notes are never printed, wherever the list is put.
        web = addnodes.only(expr="html")
        summary = nodes.paragraph(classes=["glossary-pending-summary"])
        if not pending:
            summary += nodes.Text(f"术语表的 {total} 个条目都已注明权威来源，没有待核实的条目。")
            web += summary
            return [web]
        summary += nodes.Text(f"术语表共 {total} 个条目，其中 {total - len(pending)} 个已注明权威来源，"
                              f"以下 {len(pending)} 个待核实：")
        listing = nodes.bullet_list(classes=["glossary-pending"])
        for concept in pending:
            para = nodes.paragraph()
            para += term_reference(concept.term, concept.term)
            para += nodes.Text(f"（{concept.category}，{self.config.shuzhi_glossary_file} 第 {concept.line} 行）：")
            para += nodes.Text(concept.source.note or "尚无来源说明。")
            listing += nodes.list_item("", para)
        web += [summary, listing]
        return [web]


def prepare_glossary(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``shuzhi-doctree-resolving``: the glossary as the output shows it.

    The website shows every entry as it was read. The printed appendix (LaTeX) holds only
    the entries whose definition cites an official source: the pending ones (待核实) are
    left out, and so is every link to them, from the reports, the overview and the other
    entries; each entry's source becomes a number in the 参考依据 list at the end.
    """
    placeholders = list(doctree.findall(glossary_references)) if holds(doctree, glossary_references) else []
    latex = app.builder.format == "latex"
    glossary = get_domain(app.env).glossary
    for placeholder in placeholders:
        if latex and glossary is not None:
            placeholder.replace_self(_print_entries(placeholder.parent, glossary))
        else:
            placeholder.parent.remove(placeholder)
    if latex and glossary is not None:
        _unlink_pending(doctree, glossary)


def _unlink_pending(doctree: nodes.Node, glossary: glossary_data.Glossary) -> None:
    """Term references to entries the PDF does not print become their text."""
    pending = {form.lower() for concept in glossary.concepts if not concept.verified for form in concept.forms}
    if not pending:
        return
    for ref in list(doctree.findall(addnodes.pending_xref)):
        if ref.get("reftype") == "term" and ref.get("reftarget", "").lower() in pending:
            text = nodes.inline(ref.astext(), ref.astext(), ids=list(ref.get("ids", [])))
            for child in ref.children:
                text["ids"].extend(child.get("ids", []) if isinstance(child, nodes.Element) else [])
            ref.replace_self(text)


def _print_entries(container: nodes.Element, glossary: glossary_data.Glossary) -> list[nodes.Node]:
    """Drop the pending entries under *container*, number the sources; the 参考依据 list."""
    concepts = glossary.by_term()
    numbers: dict[tuple[str, ...], int] = {}
    works: list[glossary_data.Source] = []
    for item in list(container.findall(nodes.definition_list_item)):
        concept = concepts.get(item.get("shuzhi_term", ""))
        if concept is None:
            continue
        if not concept.verified:
            item.parent.remove(item)
            continue
        key = concept.source.key()
        if key not in numbers:
            works.append(concept.source)
            numbers[key] = len(works)
        # One paragraph of facts for print, in the website's order:
        # 分类：组织制度　依据：[3] 第十九条　又作：……　相关：……　使用情况：……
        meta = nodes.paragraph(classes=["glossary-meta"])
        cited = f"[{numbers[key]}]" + (f" {concept.source.article}" if concept.source.article else "")
        definition = next(iter(item.findall(nodes.definition)))
        for child in list(definition.children):
            classes = child.get("classes", []) if isinstance(child, nodes.Element) else []
            if isinstance(child, term_usage):
                definition.remove(child)
                meta += nodes.Text("　")
                meta += child
                continue
            if not isinstance(child, nodes.paragraph) or "glossary-definition" in classes:
                continue
            definition.remove(child)
            if "glossary-source" in classes:
                continue
            if "glossary-related" in classes:
                printed = [other for other in concept.related if concepts[other].verified]
                if not printed:
                    continue
                refs: list[nodes.Node | str] = []
                for index, other in enumerate(printed):
                    refs.extend(("、", term_reference(other, other)) if index else (term_reference(other, other),))
                child = _line(("related", "相关："), *refs)
            if len(meta):
                meta += nodes.Text("　")
            meta.extend(child.children)
            if "glossary-category" in classes:
                meta += nodes.Text("　")
                meta += nodes.strong("依据：", "依据：")
                meta += nodes.Text(cited)
        definition += meta
    # A letter whose entries are all pending goes, with its heading.
    for wrapper in list(container.findall(addnodes.glossary)):
        if not any(True for _ in wrapper.findall(nodes.definition_list_item)):
            index = wrapper.parent.index(wrapper)
            previous = wrapper.parent[index - 1] if index else None
            if isinstance(previous, nodes.rubric) and "glossary-letter" in previous["classes"]:
                wrapper.parent.remove(previous)
            wrapper.parent.remove(wrapper)
    if not works:
        return []
    title = nodes.rubric(REFERENCES_TITLE, REFERENCES_TITLE, classes=["glossary-references-title"])
    listing = nodes.enumerated_list(enumtype="arabic", prefix="[", suffix="]", classes=["glossary-references"])
    for work in works:
        para = nodes.paragraph()
        para += nodes.Text(work.citation())
        if work.is_outlet:
            # The address as text, not a link (dead on the intranet) and not a footnote.
            para += nodes.Text(" ")
            para += nodes.reference(work.url, work.url, refuri=work.url, nolinkurl=True)
        listing += nodes.list_item("", para)
    return [title, listing]


def resolve_usage(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``shuzhi-doctree-resolving``: fill each entry's "where it is used" from the usage records.

    Runs at write time (like ``sphinx.ext.todo``'s list), when every report has
    been read, and builds links with the builder, so they work in HTML and LaTeX.
    """
    placeholders = list(doctree.findall(term_usage)) if holds(doctree, term_usage) else []
    if not placeholders:
        return
    domain = get_domain(app.env)
    by_term = domain.usages_by_term()
    # Only the reports this output holds: in the PDF, the printed year's (a link to another
    # year's report would have no target); on the website, every report.
    listed = {record.docname: record.title for record in listed_reports(app, app.env)}
    for node in placeholders:
        usages = [usage for usage in by_term.get(node["term"], []) if usage.docname in listed]
        replacement = _usage(app, docname, usages, listed)
        if isinstance(node.parent, nodes.paragraph) and isinstance(replacement, nodes.paragraph):
            # In print, the usage line continues the entry's paragraph of facts.
            node.replace_self(replacement.children)
        else:
            node.replace_self(replacement)


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
    from ..report.numbering import int_to_cn

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
    from ..build.resolving import EVENT

    app.add_node(term_usage)
    app.add_node(glossary_references)
    # After every handler that makes term references (the reports' links, 300; the listings
    # and the overview, 500), and still before references are resolved.
    app.connect(EVENT, prepare_glossary, priority=800)
    # After prepare_glossary, which moves each usage placeholder into the printed entry's
    # paragraph of facts.
    app.connect(EVENT, resolve_usage, priority=850)
    app.add_directive("shuzhi-glossary", GlossaryDirective)
    app.add_directive("shuzhi-glossary-pending", PendingDirective)
    app.connect("env-check-consistency", report_unused)
    app.connect("env-updated", write_tooltip_data)
    app.add_js_file(TOOLTIP_DATA)
    app.add_js_file("shuzhi.js")
