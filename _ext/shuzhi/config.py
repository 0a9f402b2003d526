"""The extension's configuration values, declared once with their defaults.

Every value is documented here and in ``docs/guide.md``; ``conf.py`` overrides
only what a site changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


@dataclass(frozen=True)
class Option:
    name: str
    default: Any
    rebuild: str
    types: tuple[type, ...]
    description: str


OPTIONS: tuple[Option, ...] = (
    Option(
        "shuzhi_report_dirs", ("reports",), "env", (tuple, list),
        "Source folders whose pages are reports (every page in them except index pages).",
    ),
    Option(
        "shuzhi_mermaid_dist", "node_modules/mermaid/dist", "html", (str,),
        "Folder of the npm mermaid package's dist/, relative to conf.py; its ES-module build is "
        "copied into _static/mermaid/ so diagrams render offline. Empty: do not copy.",
    ),
    Option(
        "shuzhi_organisation", "组织部", "", (str,),
        "The organisation that compiles the reports, printed on the PDF's cover.",
    ),
    Option(
        "shuzhi_pdf_year", "", "", (str, int),
        "Year of the compilation the PDF holds (the reports whose ``year`` is this value, from "
        "the folder reports/<year>/). Empty: the newest year found in the report records.",
    ),
    Option(
        "shuzhi_pdf_front_matter", [], "", (tuple, list),
        "Documents printed before the reports as unnumbered chapters (the compilation's 说明), "
        "in this order.",
    ),
)


def setup(app: Sphinx) -> None:
    for option in OPTIONS:
        app.add_config_value(option.name, option.default, option.rebuild,
                             types=option.types, description=option.description)


def is_report(config: Config, docname: str) -> bool:
    """Whether *docname* is a report page (under a report folder, not an index)."""
    if docname.rsplit("/", 1)[-1] == "index":
        return False
    return any(docname.startswith(folder.rstrip("/") + "/") for folder in config.shuzhi_report_dirs)
