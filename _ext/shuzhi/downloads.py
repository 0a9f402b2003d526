"""The compilation PDF on the website: copied into the site, offered on the home page and every report.

The PDF is built first (``-M latexpdf``), then the HTML: when the PDF exists at
HTML build time it is copied to the site's root and each report page and the
home page link to it; when it does not, the pages carry no dead link. Whether
it exists is part of the environment, so its appearance re-reads the pages
that show the link.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from .config import is_report
from .domain import get_domain
from .latex import compilation

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


def pdf_source(app: Sphinx) -> Path | None:
    """Where the built PDF is: ``shuzhi_pdf_source``, or ``_build/latex/<first latex document>.pdf``."""
    if app.config.shuzhi_pdf_source:
        return (Path(app.confdir) / app.config.shuzhi_pdf_source).resolve()
    if not app.config.latex_documents:
        return None
    target = Path(app.config.latex_documents[0][1]).with_suffix(".pdf").name
    return Path(app.confdir) / "_build" / "latex" / target


def pdf_name(app: Sphinx) -> str | None:
    source = pdf_source(app)
    return source.name if source is not None else None


def note_printed_year(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: the year the PDF prints, worked out once per build for every page.

    When it changes (a new year's reports arrive), the reports of the old and the new year
    are rewritten: the link moves from the one to the other.
    """
    found = compilation(app, env)
    domain = get_domain(env)
    year, previous = (found.year if found is not None else None), domain.data.get("pdf_year")
    domain.data["pdf_year"] = year
    if year == previous:
        return []
    return [record.docname for record in domain.reports.values() if record.metadata.get("year") in (year, previous)]


def _shows_link(app: Sphinx, docname: str) -> bool:
    """The home page, and the reports the PDF prints (the printed year's: another year's
    report is not in it, and its "第N篇" would point at someone else's report)."""
    if docname == app.config.root_doc:
        return True
    if not is_report(app.config, docname):
        return False
    domain = get_domain(app.env)
    record = domain.reports.get(docname)
    return record is None or record.metadata.get("year") == domain.data.get("pdf_year")


def outdated_by_pdf(app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]) -> list[str]:
    """``env-get-outdated``: when the PDF appears or disappears, the pages that link to it change."""
    if app.builder.format != "html":
        return []
    source = pdf_source(app)
    present = bool(source and source.is_file())
    domain = get_domain(env)
    if domain.data["pdf_present"] == present:
        return []
    domain.data["pdf_present"] = present
    return [doc for doc in env.found_docs if _shows_link(app, doc) and doc not in removed]


def add_link(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: a download link under the page title (HTML only)."""
    if app.builder.format != "html" or not _shows_link(app, docname):
        return
    source = pdf_source(app)
    if source is None or not source.is_file():
        return
    uri = relative_uri(app.builder.get_target_uri(docname), source.name)  # right under dirhtml too
    para = nodes.paragraph(classes=["pdf-download"])
    label = "下载本汇编的 PDF 印刷版"
    if is_report(app.config, docname):
        record = get_domain(app.env).reports.get(docname)
        if record and record.metadata.get("position", "").isdigit():
            from .numbering import int_to_cn

            label = f"下载 PDF 汇编（本报告为第{int_to_cn(int(record.metadata['position']))}篇）"
    para += nodes.reference(label, label, refuri=uri, classes=["pdf-download-link"])
    title = next(iter(doctree.findall(nodes.title)), None)
    if title is not None:
        title.parent.insert(title.parent.index(title) + 1, para)
    else:
        doctree.insert(0, para)


def copy_pdf(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: put the PDF at the site's root."""
    if exception is not None or app.builder.format != "html":
        return
    source = pdf_source(app)
    if source is None or not source.is_file():
        logger.info("未找到 PDF（%s），网站不提供 PDF 下载：先运行 sphinx-build -M latexpdf 再构建网站。", source)
        return
    shutil.copyfile(source, Path(app.outdir) / source.name)


def setup(app: Sphinx) -> None:
    app.connect("env-get-outdated", outdated_by_pdf)
    app.connect("env-updated", note_printed_year)
    app.connect("doctree-resolved", add_link)
    app.connect("build-finished", copy_pdf)
