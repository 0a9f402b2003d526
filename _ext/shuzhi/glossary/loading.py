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

from ..report import kinds
from . import entries as glossary_data
from ..build.config import default_of, is_report
from ..build.domain import get_domain

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


def glossary_path(app: Sphinx) -> Path | None:
    if not app.config.shuzhi_glossary_file:
        return None
    return Path(app.srcdir) / app.config.shuzhi_glossary_file


def load(app: Sphinx, previous: glossary_data.Glossary | None = None) -> glossary_data.Glossary | None:
    path = glossary_path(app)
    if path is None:
        return None
    if not path.exists():
        if app.config.shuzhi_glossary_file == default_of("shuzhi_glossary_file"):
            logger.info("没有术语表文件 %s：报告中的概念不会自动链接。", path)
            return None
        logger.warning("找不到术语表文件 %s：请检查 conf.py 中的 shuzhi_glossary_file。", path,
                       type="shuzhi", subtype=kinds.GLOSSARY_SYNTAX)
        return None
    loaded = glossary_data.load(path, app.config.shuzhi_glossary_file, tuple(app.config.shuzhi_glossary_categories),
                                previous, outlets=dict(app.config.shuzhi_glossary_outlets))
    for problem in loaded.problems:
        logger.warning(problem.message, type="shuzhi", subtype=problem.subtype,
                       # A bare path would be taken for a docname: always give "path:line".
                       location=f"{path}:{max(problem.line, 1)}")
    return loaded


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
