"""What happens to a report page when it is read.

``process_report`` (``doctree-read``) reads the source file's front matter,
recognises the report's parts, finds what is wrong with it, highlights
unfilled placeholders, finds the mentions of glossary concepts
(:mod:`shuzhi.glossary.linking`), and stores all of it as one :class:`~.records.ReportRecord`
in the domain. The links and the report card are put in when the page is
written (:mod:`shuzhi.glossary.linking`, :mod:`shuzhi.listings.card`): they are not kept with the read document. Findings are reported later,
from the records (:mod:`shuzhi.build.findings`), so every build reports the same ones.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging

from ..report import controls, frontmatter, kinds, placeholders, privacy, structure, watermarks

from ..untrusted import dialect
from .config import is_report, report_schema, watermark_patterns
from .domain import get_domain
from ..glossary.linking import find_mentions
from ..report.records import Finding, PlaceholderRecord, ReportRecord
from ..report.schema import Schema
from .textnodes import source_line, wrap_matches

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

_WHITESPACE = re.compile(r"\s+")
_CONTEXT = 12  # characters of context on each side of a placeholder


def text_length(doctree: nodes.Node) -> int:
    """Characters of text on the page, white space excluded."""
    return len(_WHITESPACE.sub("", doctree.astext()))


def highlight_placeholders(doctree: nodes.document, docname: str) -> tuple[PlaceholderRecord, ...]:
    """Wrap each placeholder in ``<span class="shuzhi-placeholder">`` and record where it is."""
    records = []
    pending: list[tuple[str, int, int]] = []  # spans found in the current text node

    def find(text: str) -> list[tuple[int, int]]:
        spans = [match.span() for match in placeholders.find(text)]
        pending.extend((text, start, end) for start, end in spans)
        return spans

    def make(text: str, origin: nodes.Text) -> nodes.Node:
        whole, start, end = pending.pop(0)
        before = _WHITESPACE.sub(" ", whole[max(0, start - _CONTEXT):start])
        after = _WHITESPACE.sub(" ", whole[end:end + _CONTEXT])
        context = ("…" if start > _CONTEXT else "") + before + text + after + ("…" if end + _CONTEXT < len(whole) else "")
        node_id = f"placeholder-{len(records) + 1}"
        node = nodes.inline(text, text, classes=["shuzhi-placeholder"], ids=[node_id])
        records.append(PlaceholderRecord(docname, source_line(origin.parent) or 0, text, node_id, context))
        return node

    wrap_matches(doctree, find, make)
    return tuple(records)


#: A line longer than this (in characters) is text copied without its line breaks: a real
#: paragraph is a few hundred. The PDF breaks such a line itself (latex.py).
LONG_LINE = 10_000
#: A heading is set in the PDF's contents, bookmarks and running heads too, where XeTeX takes
#: minutes over a few thousand characters: a longer heading is cut short there (latex.py).
LONG_HEADING = 1000
#: A run of letters, digits or signs without a space longer than this is pasted code or an
#: address: XeTeX crashes on a word this wide, so the PDF breaks it (latex.py).
LONG_WORD = 2000
_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
_WORD = re.compile(r"[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]{%d,}" % (LONG_WORD + 1))


def long_line_findings(text: str, docname: str) -> list[Finding]:
    """A finding for each line longer than :data:`LONG_LINE`, heading longer than
    :data:`LONG_HEADING` or line with a word longer than :data:`LONG_WORD`."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > LONG_HEADING and _HEADING.match(line):
            found.append(Finding(docname, number, kinds.LONG_LINE, (
                f"这个标题有 {len(line):,} 个字符，PDF 中只印出前 {LONG_HEADING} 个字符。"
                "请把标题缩短，把其余文字写成正文。")))
        elif len(line) > LONG_LINE:
            found.append(Finding(docname, number, kinds.LONG_LINE, (
                f"这一行有 {len(line):,} 个字符，可能是复制时丢失了换行；PDF 中已自动断行。"
                "请在段落之间空一行，把它分成段落。")))
        elif len(line) > LONG_WORD and (word := _WORD.search(line)):
            found.append(Finding(docname, number, kinds.LONG_LINE, (
                f"这一行有一串 {len(word.group()):,} 个字母、数字或符号连在一起（没有空格），"
                "可能是粘贴的代码或网址；PDF 中已在其中断开。请删除它，或改写成文字。")))
    return found


def watermark_findings(text: str, docname: str, patterns: tuple[str, ...]) -> list[Finding]:
    return [
        Finding(docname, removal.line, kinds.WATERMARK, (
            f"第 {removal.line} 行有文档分享网站加入的水印或广告文字“{removal.text}”。"
            "请删除它（用导入工具导入的文本会自动删除）。"))
        for removal in watermarks.find_in_markdown(text, patterns)
    ]


def _rename(document: nodes.document, section: nodes.section, new_id: str) -> None:
    if new_id in document.ids:  # an explicit target already has this name: keep docutils' id
        return
    old_ids = section["ids"]
    for old in old_ids:
        if document.ids.get(old) is section:
            del document.ids[old]
    for name in section["names"]:
        if document.nameids.get(name) in old_ids:
            document.nameids[name] = new_id
    section["ids"] = [new_id]
    document.ids[new_id] = section


def _subsections(node: nodes.Element) -> list[nodes.section]:
    return [child for child in node.children if isinstance(child, nodes.section)]


def _number_below(document: nodes.document, section: nodes.section) -> None:
    for index, child in enumerate(_subsections(section), 1):
        _rename(document, child, f"{section['ids'][0]}-{index}")
        _number_below(document, child)


def stable_section_ids(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, before Sphinx's collectors: readable section ids that do not shift.

    Docutils makes section ids from the heading text with the non-ASCII
    characters dropped, so every Chinese heading gets ``id1``, ``id2``, … in
    document order: readable by no one, and shifted by any heading added
    above. A recognised part is named by its key's pinyin (成效 →
    ``part-cheng-xiao``; a repeated part ``part-cheng-xiao-repeat-2``), whatever its
    heading says and wherever it stands; another section under the title is
    ``section-1``, ``section-2``… in order; sub-sections are numbered below
    their section (``part-cheng-xiao-1``). This runs before the
    table-of-contents collector (priority 500), so the page's contents and
    the report card link to the same ids.
    """
    if not is_report(app.config, app.env.docname):
        return
    schema = report_schema(app.config)
    domain = get_domain(app.env)
    top = _subsections(doctree)
    used: dict[str, int] = {}
    unknown = 0
    for section in _subsections(top[0]) if len(top) == 1 else top:
        spec = schema.classify(section[0].astext()) if isinstance(section[0], nodes.title) else None
        syllables = domain.syllables(spec.key) if spec is not None else ()
        if syllables:
            base = "part-" + "-".join(syllables)
            used[base] = used.get(base, 0) + 1
            new_id = base if used[base] == 1 else f"{base}-repeat-{used[base]}"
        else:
            unknown += 1
            new_id = f"section-{unknown}"
        _rename(doctree, section, new_id)
        _number_below(doctree, section)


def check_report(doctree: nodes.document, docname: str, source: str, schema: Schema,
                 patterns: tuple[str, ...]) -> tuple[structure.Structure, list[Finding]]:
    """The parts of one report and every finding about it, sorted by line.

    Pure (no Sphinx application): the build and ``python -m shuzhi check`` both call it.
    """
    lines = source.split("\n")
    # The front matter is read as the page is parsed: without its control characters
    # (each line that had some is a finding below), so they cannot spoil its YAML.
    front, findings = frontmatter.read(controls.strip(source), docname)
    findings += frontmatter.check_fields(front, docname, schema)
    found = structure.analyse(doctree, docname, lines, schema,
                              first_line=front.end_line + 1 if front.end_line > 1 else 1)
    findings += found.findings
    findings += frontmatter.check_title(front, found.title.text if found.title else None, docname)
    findings += watermark_findings(source, docname, patterns)
    findings += controls.findings(source, docname)
    findings += long_line_findings(source, docname)
    findings += privacy.findings(source, docname)
    findings.sort(key=lambda finding: finding.line)
    return found, findings


def internal_finding(docname: str, error: Exception) -> Finding:
    """The finding for a report whose check failed unexpectedly."""
    return Finding(docname, 1, kinds.INTERNAL, (
        f"检查这篇报告时出错（{type(error).__name__}: {error}），未能完成检查。"
        "请把这个文件交给网站维护人员。"))


def read_report(app: Sphinx, doctree: nodes.document, docname: str) -> ReportRecord:
    """Recognise, check and mark up one report; return its record."""
    env = app.env
    # Without control characters a YAML escape put there ("\\v"): they would reach the card,
    # the catalogue and the PDF (where XeTeX stops on them). Each is a finding (frontmatter.py).
    metadata = {key: controls.strip(str(value)) for key, value in env.metadata.get(docname, {}).items()}
    title = env.titles[docname].astext() if docname in env.titles else metadata.get("title", docname)
    source = env.doc2path(docname).read_text(encoding=env.settings["input_encoding"], errors="replace")

    length = text_length(doctree)
    found, findings = check_report(doctree, docname, source, report_schema(app.config),
                                   watermark_patterns(app.config))
    findings = sorted([*findings, *dialect.take_findings(doctree, docname)], key=lambda finding: finding.line)
    marked = highlight_placeholders(doctree, docname)
    title_id = found.title.node_id if found.title is not None else ""
    return ReportRecord(docname, title, metadata, length, marked, found.parts, tuple(findings), title_id)


def process_report(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: collect a report's record, its parts and findings."""
    env = app.env
    docname = env.docname
    if not is_report(app.config, docname):
        return
    try:
        record = read_report(app, doctree, docname)
    except Exception as error:  # noqa: BLE001 - a broken report must never take the site down
        logger.debug("shuzhi: checking %s failed", docname, exc_info=True)
        metadata = {key: str(value) for key, value in env.metadata.get(docname, {}).items()}
        title = env.titles[docname].astext() if docname in env.titles else docname
        record = ReportRecord(docname, title, metadata, text_length(doctree), (), (),
                              (internal_finding(docname, error),))
    domain = get_domain(env)
    domain.note_report(record)
    if domain.glossary is not None:
        domain.note_usages(docname, find_mentions(doctree, docname, domain.glossary, app.config.shuzhi_link_policy))


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", stable_section_ids, priority=400)
    # After Sphinx's own collectors (priority 500), which fill env.metadata and env.titles.
    app.connect("doctree-read", process_report, priority=600)
