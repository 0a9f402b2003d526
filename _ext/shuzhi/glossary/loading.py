"""The glossary in the build: loaded once per build, validated, and tracked for changes.

The glossary file is read in ``env-get-outdated``, before any document: its
problems are logged with the file and line, and when it changed since the
last build exactly the documents that depend on it are re-read — the
glossary page, and the reports whose text contains a term or alias that was
added, removed or moved to another concept.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from ..build.config import default_of, is_report
from ..build.domain import get_domain
from . import entries as glossary_data

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


def load(app: Sphinx, previous: glossary_data.Glossary | None = None) -> glossary_data.Glossary | None:
    """The site's glossary (:func:`.entries.load_configured`), its problems logged."""
    name = app.config.shuzhi_glossary_file
    configured = glossary_data.load_configured(
        Path(app.srcdir), name, app.config.shuzhi_glossary_categories, app.config.shuzhi_glossary_outlets,
        required=name != default_of("shuzhi_glossary_file"), previous=previous)
    if configured.info:
        logger.info("%s", configured.info)
    for location, subtype, message in configured.warnings:
        logger.warning(message, type="shuzhi", subtype=subtype, location=location)
    return configured.glossary


def _changed_forms(old: glossary_data.Glossary | None, new: glossary_data.Glossary | None) -> set[str]:
    old_forms = old.forms() if old else {}
    new_forms = new.forms() if new else {}
    return {form for form in old_forms.keys() | new_forms.keys() if old_forms.get(form) != new_forms.get(form)}


def outdated_by_glossary(app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]) -> list[str]:
    """``env-get-outdated``: load the glossary; name the documents its changes affect."""
    domain = get_domain(env)
    old = domain.glossary
    new = load(app, old)
    domain.set_glossary(new)
    if old is not None and new is not None and old.digest == new.digest:
        return []
    outdated = set(domain.listing_docs)
    forms = _changed_forms(old, new)
    if forms and old is not None:
        for docname in env.found_docs - set(added) - set(removed):
            if not is_report(app.config, docname):
                continue
            try:
                text = Path(env.doc2path(docname)).read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if any(form in text for form in forms):
                outdated.add(docname)
    return sorted(outdated - set(removed))


def setup(app: Sphinx) -> None:
    app.connect("env-get-outdated", outdated_by_glossary)
