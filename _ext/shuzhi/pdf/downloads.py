"""The compilation PDFs on the website: copied into the site, offered where they belong.

The PDFs are built first (``-M latexpdf``, one per year: ``dangjian-shuzhi-2023.pdf``,
:mod:`shuzhi.pdf.compilation`), then the HTML: each PDF found at HTML build time is copied to the site's
root; each report links to its own year's, each year page to its year's, the home page
to the newest; without a PDF the pages carry no dead link. Which years have one is part
of the environment, so a PDF's appearance rewrites the pages that link to it.

The links are put in when a page is written (``shuzhi-doctree-resolving``,
:mod:`shuzhi.build.resolving`), their URL from the builder's URI of the page
(:func:`.resolving.file_uri`), so they lead to the PDF under ``html``, ``dirhtml`` and
``singlehtml`` alike; in ``singlehtml`` each report and year page assembled into the one
page links its own year's PDF, as on the website.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging
from sphinx import addnodes

from ..build.config import is_report
from ..build.domain import get_domain
from ..build.resolving import EVENT, file_uri
from .compilation import printed_year, target_name

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


def pdf_folder(app: Sphinx) -> Path:
    """Where the built PDFs are: ``shuzhi_pdf_source`` (a folder), or ``_build/latex``."""
    if app.config.shuzhi_pdf_source:
        return (Path(app.confdir) / app.config.shuzhi_pdf_source).resolve()
    return Path(app.confdir) / "_build" / "latex"


def pdf_stem(app: Sphinx) -> str | None:
    """The compilations' file stem: that of the ``latex_documents`` entry starting at ``root_doc``."""
    entry = next((entry for entry in app.config.latex_documents if entry[0] == app.config.root_doc), None)
    return Path(entry[1]).stem if entry else None


def pdf_name(app: Sphinx, year: str) -> str | None:
    """The file name of *year*'s compilation, as :func:`.compilation.target_name` names its LaTeX file."""
    stem = pdf_stem(app)
    return Path(target_name(stem, year)).with_suffix(".pdf").name if stem else None


def present_years(app: Sphinx) -> frozenset[str]:
    """The years whose compilation PDF has been built."""
    stem, folder = pdf_stem(app), pdf_folder(app)
    if stem is None or not folder.is_dir():
        return frozenset()
    return frozenset(path.stem.removeprefix(f"{stem}-") for path in folder.glob(f"{stem}-*.pdf")
                     if path.stem.removeprefix(f"{stem}-").isdigit())


def _year_of(app: Sphinx, docname: str, present: frozenset[str]) -> str | None:
    """Which year's PDF *docname* offers: a report its own year's, a year page its year's, the
    home page the newest; None for other pages."""
    if docname == app.config.root_doc:
        return max(present) if present else None
    if is_report(app.config, docname):
        record = get_domain(app.env).reports.get(docname)
        return printed_year(record) if record else None
    folder, _, name = docname.rpartition("/")
    year = folder.rpartition("/")[2]
    if name == "index" and year.isdigit() and any(folder.startswith(d.strip("/") + "/") for d in app.config.shuzhi_report_dirs):
        return year
    return None


def outdated_by_pdf(app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]) -> list[str]:
    """``env-get-outdated``: when a year's PDF appears or disappears, the pages that link to it change."""
    if app.builder.format != "html":
        return []
    present = present_years(app)
    domain = get_domain(env)
    before = domain.pdf_present
    domain.set_pdf_present(present)
    if before == present:
        return []
    changed_years = before ^ present
    return [doc for doc in env.found_docs if doc not in removed
            and (doc == app.config.root_doc or _year_of(app, doc, present) in changed_years)]


def add_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``shuzhi-doctree-resolving``, HTML builders: a download link under the title of each page
    that offers a PDF: the page written, or each page assembled into it (``singlehtml``)."""
    if app.builder.format != "html":
        return
    present = get_domain(app.env).pdf_present
    if not present:
        return
    pages = [(docname, doctree), *((sof["docname"], sof) for sof in doctree.findall(addnodes.start_of_file))]
    for page, root in pages:
        year = _year_of(app, page, present)
        if year in present:
            # Relative to the file being written (under singlehtml, the root's), as the builder lays it out.
            _insert(root, _link(app, page, year, file_uri(app.builder, docname, pdf_name(app, year))))


def _link(app: Sphinx, docname: str, year: str, uri: str) -> nodes.paragraph:
    para = nodes.paragraph(classes=["pdf-download"])
    label = f"下载{year}年度汇编的 PDF 印刷版"
    if is_report(app.config, docname):
        record = get_domain(app.env).reports.get(docname)
        if record and record.metadata.get("position", "").isdigit():
            from ..report.numbering import int_to_cn

            label = f"下载 PDF 汇编（本报告为第{int_to_cn(int(record.metadata['position']))}篇）"
    para += nodes.reference(label, label, refuri=uri, classes=["pdf-download-link"])
    return para


def _insert(root: nodes.Element, para: nodes.paragraph) -> None:
    """Right under *root*'s first title (before the report's card), or first without one."""
    title = next(iter(root.findall(nodes.title)), None)
    if title is not None:
        title.parent.insert(title.parent.index(title) + 1, para)
    else:
        root.insert(0, para)


def copy_pdf(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: put the PDF at the site's root."""
    if exception is not None or app.builder.format != "html":
        return
    present = present_years(app)
    if not present:
        logger.info("未找到 PDF（%s 中的 %s-<年度>.pdf），网站不提供 PDF 下载：先运行 sphinx-build -M latexpdf 再构建网站。",
                    pdf_folder(app), pdf_stem(app))
        return
    for year in sorted(present):
        shutil.copyfile(pdf_folder(app) / pdf_name(app, year), Path(app.outdir) / pdf_name(app, year))


def setup(app: Sphinx) -> None:
    app.connect("env-get-outdated", outdated_by_pdf)
    # After the card (350), the 对照 view (355) and the review (360), which go after the title
    # too: the link is inserted last, so it stands first, right under the title.
    app.connect(EVENT, add_links, priority=370)
    app.connect("build-finished", copy_pdf)
