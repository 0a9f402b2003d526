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
        "shuzhi_glossary_file", "docs/glossary.yaml", "env", (str,),
        "The glossary's single source (YAML), relative to the source folder. Empty: no glossary.",
    ),
    Option(
        "shuzhi_glossary_categories",
        ("政治要求", "组织制度", "作风纪律", "工作方法", "学习教育", "乡村振兴", "地方提法"),
        "env", (tuple, list),
        "The categories a glossary entry may have.",
    ),
    Option(
        "shuzhi_link_policy", "first-per-section", "env", (str,),
        "Which mentions of a concept in a report become links: 'first-per-section' (the first in each "
        "section) or 'all'.",
    ),
    Option(
        "shuzhi_search_enhanced", True, "env", (bool,),
        "Chinese search tuned for the reports: the glossary's words in the index, the query "
        "segmented in the browser, glossary entries shown first. False: Sphinx's stock Chinese search.",
    ),
    Option(
        "shuzhi_mermaid_dist", "node_modules/mermaid/dist", "html", (str,),
        "Folder of the npm mermaid package's dist/, relative to conf.py; its ES-module build is "
        "copied into _static/mermaid/ so diagrams render offline. Empty: do not copy.",
    ),
)


def setup(app: Sphinx) -> None:
    for option in OPTIONS:
        app.add_config_value(option.name, option.default, option.rebuild,
                             types=option.types, description=option.description)
    app.connect("config-inited", validate)


def validate(app: Sphinx, config: Config) -> None:
    """``config-inited``: an invalid value is reported and replaced by its default."""
    from sphinx.util import logging

    from .linking import POLICIES

    if config.shuzhi_link_policy not in POLICIES:
        logging.getLogger(__name__).warning(
            "shuzhi_link_policy 的值 %r 无效，应为 %s 之一；已改用默认值 %r。",
            config.shuzhi_link_policy, "、".join(POLICIES), "first-per-section",
            type="shuzhi", subtype="config",
        )
        config.shuzhi_link_policy = "first-per-section"


def is_report(config: Config, docname: str) -> bool:
    """Whether *docname* is a report page (under a report folder, not an index)."""
    if docname.rsplit("/", 1)[-1] == "index":
        return False
    return any(docname.startswith(folder.rstrip("/") + "/") for folder in config.shuzhi_report_dirs)
