"""What happens to a report page when it is read: the Sphinx adapter of the report pipeline.

``process_report`` (``doctree-read``) gathers the settings from the configuration
and the environment (schema, watermark patterns, the glossary's terms, the link
policy), runs the report pipeline (:func:`shuzhi.report.pipeline.read`: parts,
findings, placeholders highlighted, mentions of glossary concepts), and stores its
record and mentions in the domain. ``shuzhi check`` runs the same pipeline
(:mod:`shuzhi.editors.check`). The links and the report card are put in when the page
is written (:mod:`shuzhi.glossary.linking`, :mod:`shuzhi.listings.card`): they are not
kept with the read document. Findings are reported later, from the records
(:mod:`shuzhi.build.findings`), so every build reports the same ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging

from ..report import pipeline
from .config import is_report, report_schema, watermark_patterns
from .domain import get_domain
from .textnodes import LITERAL_NODES

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

    from ..glossary.entries import Glossary

logger = logging.getLogger(__name__)


def settings(config: Config, glossary: Glossary | None) -> pipeline.Settings:
    """The pipeline's settings for the site configured by *config*, with *glossary* (or none).

    The build and ``shuzhi check`` both make them here, from the same configuration values.
    """
    return pipeline.Settings(report_schema(config), watermark_patterns(config),
                             glossary.terms() if glossary is not None else None,
                             config.shuzhi_link_policy, LITERAL_NODES)


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


def process_report(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: run the report pipeline on a report; store its record and mentions."""
    env = app.env
    docname = env.docname
    if not is_report(app.config, docname):
        return
    domain = get_domain(env)
    source = env.doc2path(docname).read_text(encoding=env.settings["input_encoding"], errors="replace")
    outcome = pipeline.read(doctree, source, docname, settings(app.config, domain.glossary),
                            title=env.titles[docname].astext() if docname in env.titles else None,
                            metadata=env.metadata.get(docname, {}))
    if outcome.error is not None:
        logger.debug("shuzhi: checking %s failed", docname, exc_info=outcome.error)
    domain.note_report(outcome.record)
    if domain.glossary is not None:
        domain.note_usages(docname, outcome.mentions)


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", stable_section_ids, priority=400)
    # After Sphinx's own collectors (priority 500), which fill env.metadata and env.titles.
    app.connect("doctree-read", process_report, priority=600)
