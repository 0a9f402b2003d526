"""shuzhi: a Sphinx extension for compilations of 抓党建工作述职报告.

``setup()`` registers:

- configuration values (:mod:`.config`);
- the ``shuzhi`` domain holding per-document records (:mod:`.domain`);
- a guard that leaves out (and reports) source files that are not UTF-8 text (:mod:`.sources`);
- the ``doctree-read`` handler that records each report: its front matter,
  parts and findings (:mod:`.frontmatter`, :mod:`.structure`, :mod:`.schema`),
  highlighted placeholders and the report card (:mod:`.reading`, :mod:`.card`);
- the ``build-finished`` handler that reports every finding as a
  ``shuzhi.<kind>`` warning (:mod:`.findings`);
- the ``report-catalogue`` directive and its post-transform (:mod:`.catalogue`);
- the ``placeholder-list`` directive for the 待补充 page (:mod:`.review`);
- static assets: CSS, and mermaid served from the build output (:mod:`.assets`);
- the Chinese search language (:mod:`.search`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

__version__ = "0.1.0"


def setup(app: Sphinx) -> ExtensionMetadata:
    # Imported here so that the command line (python -m shuzhi) works without Sphinx.
    from . import assets, catalogue, config, findings, reading, review, search, sources
    from .domain import ReportDomain

    app.setup_extension("myst_parser")
    app.setup_extension("sphinxcontrib.mermaid")
    config.setup(app)
    app.add_domain(ReportDomain)
    sources.setup(app)
    reading.setup(app)
    findings.setup(app)
    catalogue.setup(app)
    review.setup(app)
    assets.setup(app)
    search.setup(app)
    return {
        "version": __version__,
        # Bump when the shape of the records stored in the environment changes.
        "env_version": 2,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
