"""The report pipeline: one report's doctree, source and settings in; its record, mentions and findings out.

Pure (docutils, no Sphinx, nothing of the package outside ``report/``). Two thin
adapters run it, so both find exactly the same things:

- the build (:mod:`shuzhi.build.reading`), on ``doctree-read``, with the settings
  of ``conf.py`` and the glossary loaded for the build; it stores the record;
- ``shuzhi check`` (:mod:`shuzhi.editors.check`), on the doctree it parses the way
  the build does, with the same settings; it prints the findings.

:func:`read` recognises the report's parts, finds what is wrong with it
(:func:`check_report`, and what the parser refused: :func:`note`), highlights
unfilled placeholders and finds the mentions of glossary concepts
(:mod:`.mentions`). The glossary arrives as plain data (:class:`.mentions.Terms`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from docutils import nodes

from . import collection, controls, frontmatter, kinds, longlines, placeholders, privacy, structure, textnodes, watermarks
from .mentions import Terms, find_mentions
from .records import Finding, Placement, ReportRecord, TermUsage
from .schema import Schema


class Settings(NamedTuple):
    """What the pipeline needs from a site's configuration, as plain values."""

    schema: Schema
    watermark_patterns: tuple[str, ...] = watermarks.DEFAULT_PATTERNS
    terms: Terms | None = None  # the glossary; None: the site has none
    link_policy: str = "first-per-section"  # shuzhi_link_policy
    #: Nodes whose text is neither a placeholder nor a mention: literal text, and the host's
    #: nodes that hold no prose (:data:`shuzhi.build.textnodes.LITERAL_NODES`).
    literal_nodes: tuple[type[nodes.Node], ...] = textnodes.LITERAL_NODES


class Outcome(NamedTuple):
    """What the pipeline found in one report."""

    record: ReportRecord
    mentions: tuple[TermUsage, ...]
    error: Exception | None = None  # what made the check fail (an ``internal`` finding), for the log

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.record.findings


# --------------------------------------------------------------------------- what the parser refused

#: The document attribute holding what the parser refused, as (line, kind, message)
#: (:mod:`shuzhi.untrusted.dialect`, :mod:`shuzhi.untrusted.sanitize`): :func:`read`
#: takes them into the report's findings, reported with every other one.
FINDINGS = "shuzhi-parse-findings"


def note(document: nodes.document, line: int, kind: kinds.Kind, message: str) -> None:
    """Record a finding about the report being parsed into *document*."""
    document.setdefault(FINDINGS, []).append((line, kind, message))


def take_findings(document: nodes.document, docname: str) -> list[Finding]:
    """The findings :func:`note` recorded on *document*, removed from it."""
    return [Finding(docname, line or 1, kind, message) for line, kind, message in document.attributes.pop(FINDINGS, [])]


# --------------------------------------------------------------------------- the checks


def check_report(doctree: nodes.document, docname: str, source: str, schema: Schema,
                 patterns: tuple[str, ...]) -> tuple[structure.Structure, list[Finding], Placement]:
    """The parts of one report, every finding about its text (sorted by line), and its
    placement in the compilation (for the rules across reports, :mod:`.collection`)."""
    lines = source.split("\n")
    # The front matter is read as the page is parsed: without its control characters
    # (each line that had some is a finding below), so they cannot spoil its YAML.
    front, findings = frontmatter.read(controls.strip(source), docname)
    findings += frontmatter.check_fields(front, docname, schema)
    found = structure.analyse(doctree, docname, lines, schema,
                              first_line=front.end_line + 1 if front.end_line > 1 else 1)
    findings += found.findings
    findings += frontmatter.check_title(front, found.title.text if found.title else None, docname)
    findings += watermarks.findings(source, docname, patterns)
    findings += controls.findings(source, docname)
    findings += longlines.findings(source, docname)
    findings += privacy.findings(source, docname)
    findings.sort(key=lambda finding: finding.line)
    return found, findings, collection.placement(front)


def internal_finding(docname: str, error: Exception) -> Finding:
    """The finding for a report whose check failed unexpectedly."""
    return Finding(docname, 1, kinds.INTERNAL, (
        f"检查这篇报告时出错（{type(error).__name__}: {error}），未能完成检查。"
        "请把这个文件交给网站维护人员。"))


def failed_record(docname: str, error: Exception, *, title: str | None = None,
                  metadata: Mapping[str, Any] | None = None, length: int = 0) -> ReportRecord:
    """The record of a report whose check failed unexpectedly: only its ``internal`` finding."""
    return ReportRecord(docname, title if title is not None else docname,
                        {key: str(value) for key, value in (metadata or {}).items()},
                        length, (), (), (internal_finding(docname, error),))


def reported(record: ReportRecord, placeholders_fail: bool, across: Iterable[Finding] = ()) -> list[Finding]:
    """The findings shown for one report, sorted by line (on one line: its own, its
    placeholders when ``shuzhi_placeholders_fail`` is set, then *across*, the findings across
    the reports of one year about it, :mod:`.collection`). The build and ``shuzhi check`` show these."""
    shown = [*record.findings, *(placeholder_findings(record) if placeholders_fail else ()), *across]
    return sorted(shown, key=lambda finding: finding.line)


def placeholder_findings(record: ReportRecord) -> list[Finding]:
    """A ``placeholder`` finding per unfilled placeholder (reported with ``shuzhi_placeholders_fail``)."""
    return [Finding(placeholder.docname, placeholder.line, kinds.PLACEHOLDER, placeholders.message(placeholder.text))
            for placeholder in record.placeholders]


def read(doctree: nodes.document, source: str, docname: str, settings: Settings, *,
         title: str | None = None, metadata: Mapping[str, Any] | None = None) -> Outcome:
    """Recognise, check and mark up one report (placeholders highlighted in *doctree*).

    *title* and *metadata* are the page's as the host read them (Sphinx: ``env.titles``,
    ``env.metadata``); without a title the metadata's is used. A check that fails
    unexpectedly is an ``internal`` finding, never an exception: one broken report must
    not stop the others.
    """
    metadata = metadata or {}
    failed: Exception | None = None
    try:
        # Without control characters a YAML escape put there ("\\v"): they would reach the card,
        # the catalogue and the PDF (where XeTeX stops on them). Each is a finding (frontmatter.py).
        clean = {key: controls.strip(str(value)) for key, value in metadata.items()}
        length = structure.text_length(doctree)
        found, findings, placed = check_report(doctree, docname, source, settings.schema,
                                               settings.watermark_patterns)
        findings = sorted([*findings, *take_findings(doctree, docname)], key=lambda finding: finding.line)
        marked = placeholders.highlight(doctree, docname, settings.literal_nodes)
        title_id = found.title.node_id if found.title is not None else ""
        record = ReportRecord(docname, title if title is not None else clean.get("title", docname), clean, length,
                              marked, found.parts, tuple(findings), title_id, placed)
    except Exception as error:  # noqa: BLE001 - a broken report must never take the site down
        failed = error
        record = failed_record(docname, error, title=title, metadata=metadata, length=structure.text_length(doctree))
    try:
        mentions = (find_mentions(doctree, docname, settings.terms, settings.link_policy, settings.literal_nodes)
                    if settings.terms is not None else ())
    except Exception as error:  # noqa: BLE001 - as above
        failed, mentions = failed or error, ()
        record = record._replace(findings=(*record.findings, internal_finding(docname, error)))
    return Outcome(record, mentions, failed)
