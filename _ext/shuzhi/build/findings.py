"""Reporting what is wrong with the reports: one warning per finding, with its place.

Findings are stored in the records while reading; they are reported here,
once per build, at ``build-finished``, from the records of every report in the
environment, sorted by file and line. So a ``-j`` build, an incremental build
and a fresh build report exactly the same findings, and an incremental ``-W``
build still fails while any report has one.

Every warning has ``type="shuzhi"`` and a subtype per kind, so a site can
silence a kind with ``suppress_warnings = ["shuzhi.<kind>"]``. The kinds, with
what each means, are listed once, in :mod:`shuzhi.report.kinds`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.util import logging

from ..report import kinds
from .domain import get_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


def emit(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: one warning per finding of every report."""
    if exception is not None:
        return
    records = sorted(get_domain(app.env).reports.values(), key=lambda record: record.docname)
    for record in records:
        for finding in record.findings:
            logger.warning("%s", finding.message, type="shuzhi", subtype=finding.kind,
                           location=(finding.docname, finding.line))
    marked = [placeholder for record in records for placeholder in record.placeholders]
    if app.config.shuzhi_placeholders_fail:
        for placeholder in marked:
            logger.warning("“%s”是未填写的模板占位符。请填上实际内容。", placeholder.text,
                           type="shuzhi", subtype=kinds.PLACEHOLDER,
                           location=(placeholder.docname, placeholder.line))
    elif marked:
        logger.info("待补充：%d 篇报告中共有 %d 处未填写的占位符，见“待补充”页面。",
                    len({placeholder.docname for placeholder in marked}), len(marked))


def setup(app: Sphinx) -> None:
    app.connect("build-finished", emit)
