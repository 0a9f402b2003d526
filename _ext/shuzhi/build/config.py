"""The extension's configuration values: one table (:data:`OPTIONS`), each declared once.

Every value is documented here and in ``docs/guide.md``; ``conf.py`` overrides
only what a site changes. A value with a fixed set of choices is declared with
Sphinx's ``ENUM``. The values are validated once, on ``config-inited``: an
invalid value is reported (``shuzhi.config``) and replaced by its default, so a
typo in ``conf.py`` never stops the build.

The sidebar's navigation (:mod:`shuzhi.html.navigation`) is also an extension on
its own: it declares its value from this table too, with :func:`declare`, which
declares a value once whichever extension comes first.

``suppress_warnings`` may still name kinds of finding by the names of earlier
versions (``shuzhi.raw-html``): they are replaced by the current names
(:data:`shuzhi.report.kinds.RENAMED`) and the site is told so.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.config import ENUM
from sphinx.util import logging

from ..glossary import entries as glossary_entries
from ..glossary import sources as glossary_sources

from ..report import kinds, schema, watermarks
from ..report.mentions import LINK_FIRST_PER_SECTION, POLICIES

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Option:
    name: str
    default: Any
    rebuild: str
    types: tuple[type, ...]
    description: str
    choices: tuple[str, ...] = ()  # the only values allowed (declared to Sphinx as an ENUM)

    def declared_types(self) -> tuple[type, ...] | ENUM:
        return ENUM(*self.choices) if self.choices else self.types


#: The values of ``shuzhi_link_policy``: defined with the rule that applies them.
LINK_POLICIES = POLICIES

#: The values of ``shuzhi_pdf_style``.
PDF_STYLES = ("gongwen", "compact")


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
        "shuzhi_glossary_categories", glossary_entries.DEFAULT_CATEGORIES, "env", (tuple, list),
        "The categories a glossary entry may have.",
    ),
    Option(
        "shuzhi_glossary_outlets", glossary_sources.DEFAULT_OUTLETS, "env", (dict,),
        "The official sites a glossary definition may cite, by domain (the site and its "
        "subdomains) → the outlet's name; the longest matching domain names the outlet. A "
        "source on any other site is a warning, and its entry is pending (待核实): not printed.",
    ),
    Option(
        "shuzhi_link_policy", LINK_FIRST_PER_SECTION, "env", (str,),
        "Which mentions of a concept in a report become links: 'first-per-section' (the first in each "
        "section) or 'all'.",
        LINK_POLICIES,
    ),
    Option(
        "shuzhi_backlinks_max", 30, "html", (int,),
        "At most this many reports are listed under each glossary entry's 使用情况 (the count "
        "always covers all): with thousands of reports the glossary page stays readable.",
    ),
    Option(
        "shuzhi_pdf_source", "", "html", (str,),
        "The folder holding the built compilation PDFs to publish on the site (one per year, "
        "named after the root_doc's latex_documents target: <stem>-<year>.pdf), relative to conf.py. "
        "Empty: _build/latex. Each year's PDF found there is copied to the site's root; its year "
        "page and its reports link to it, the home page to the newest.",
    ),
    Option(
        "shuzhi_search_enhanced", True, "env", (bool,),
        "Chinese search tuned for the reports: the glossary's words in the index, the query "
        "segmented in the browser, glossary entries shown first. False: Sphinx's stock Chinese search.",
    ),
    Option(
        "shuzhi_chunked_search", True, "html", (bool,),
        "The site's search on a chunked index (_search/, shuzhi.chunked_search): a search fetches "
        "only the chunks of its words, no page but search.html loads anything of it, no "
        "searchindex.js. False: Sphinx's search (tuned as shuzhi_search_enhanced says).",
    ),
    Option(
        "shuzhi_search_exclude", (), "html", (tuple, list),
        "Docnames left out of the search index (the editors' pages: readers do not search them).",
    ),
    Option(
        "shuzhi_catalogue_max", 100, "html", (int,),
        "The home page's 报告一览 (report-catalogue) lists at most this many reports, the newest, "
        "and links every year page for the rest: the page stays the same size with thousands "
        "of reports. A year page with more reports shows them by unit kind, on pages of at most "
        "this many. 0: all. The PDF is not affected.",
    ),
    Option(
        "shuzhi_nav_max_items", 30, "html", (int,),
        "The sidebar lists at most this many pages under one entry; longer lists (a year with "
        "many reports) are grouped by unit kind and show the pages around the current one.",
    ),
    Option(
        "shuzhi_subset_icons", True, "", (bool,),
        "Cut the theme's icon fonts (Font Awesome, 150 KB on every page) to the icons the site "
        "shows, after an HTML build (shuzhi.icons; needs fonttools[woff]).",
    ),
    Option(
        "shuzhi_mermaid_dist", "node_modules/mermaid/dist", "html", (str,),
        "Folder of the npm mermaid package's dist/, relative to conf.py; its ES-module build is "
        "copied into _static/mermaid/ so diagrams render offline. Empty: do not copy.",
    ),
    Option(
        "shuzhi_template_cache", True, "", (bool,),
        "Keep the theme's compiled page templates in the doctree folder (Jinja's bytecode "
        "cache), so that a build does not compile them again: about 0.3 s per build.",
    ),
    Option(
        "shuzhi_release_doctrees", True, "", (bool,),
        "Free each HTML page's document as soon as the page is rendered, instead of leaving it "
        "to the garbage collector: about 1 s of a 20 s build at 500 reports.",
    ),
    Option(
        "shuzhi_organisation", "组织部", "", (str,),
        "The organisation that compiles the reports, printed on the PDF's cover.",
    ),
    Option(
        "shuzhi_pdf_year", "", "", (str, int, list, tuple),
        "The years printed, one PDF each (<stem>-<year>.pdf, the reports of reports/<year>/): a "
        "year or a list of years. Empty: every year found in the report records.",
    ),
    Option(
        "shuzhi_pdf_rating_form", False, "", (bool,),
        "Print a 民主测评表 as the PDF's last appendix: one row per report (单位, 述职人, 好, 较好, "
        "一般, 差) and room for the rater's signature and the date.",
    ),
    Option(
        "shuzhi_pdf_style", PDF_STYLES[0], "", (str,),
        "The PDF's layout: 'gongwen' (GB/T 9704-2012: A4, a 156 x 225 mm text area, 3号 仿宋 on a "
        "22 x 28 grid, 2号 title, page numbers — 1 — on the outer side, no running head) or "
        "'compact' (12 pt 仿宋, about 34 lines of 37 characters, a running head: about half the "
        "pages, for thick compilations).",
        PDF_STYLES,
    ),
    Option(
        "shuzhi_pdf_front_matter", [], "", (tuple, list),
        "Documents printed before the reports as unnumbered chapters (the compilation's 说明), "
        "in this order."
    ),
    Option(
        "shuzhi_report_parts", schema.DEFAULT_PARTS, "env", (tuple, list),
        "The parts of a report, in order: dicts with key, label, patterns (regular expressions "
        "searched in the heading without its number), examples, required, ordered.",
    ),
    Option(
        "shuzhi_part_patterns", {}, "env", (dict,),
        "Extra heading patterns for existing parts, by part key, e.g. {\"成效\": [r\"工作实绩\"]}.",
    ),
    Option(
        "shuzhi_required_fields", schema.DEFAULT_REQUIRED_FIELDS, "env", (tuple, list),
        "Front-matter fields every report must have.",
    ),
    Option(
        "shuzhi_unit_kinds", schema.DEFAULT_UNIT_KINDS, "env", (tuple, list),
        "Allowed values of the unit_kind field.",
    ),
    Option(
        "shuzhi_require_cause_analysis", False, "env", (bool,),
        "Whether the problems part (问题) must analyse causes (原因); off by default.",
    ),
    Option(
        "shuzhi_cause_patterns", schema.DEFAULT_CAUSE_PATTERNS, "env", (tuple, list),
        "Regular expressions that count as a cause analysis in the problems part.",
    ),
    Option(
        "shuzhi_require_preamble", False, "env", (bool,),
        "Whether a report must have a preamble between its title and its first part.",
    ),
    Option(
        "shuzhi_watermark_patterns", (), "env", (tuple, list),
        "Extra regular expressions for watermarks and adverts, added to the built-in ones.",
    ),
    Option(
        "shuzhi_report_directives", (), "env", (tuple, list),
        "Directives a report may use (the report dialect); none by default. Each one widens what "
        "an untrusted report can make the build do: read files, fetch URLs, run reStructuredText.",
    ),
    Option(
        "shuzhi_report_roles", ("term", "doc", "ref"), "env", (tuple, list),
        "Roles a report may use (the report dialect): by default the cross-references to the "
        "glossary and to other pages, which read nothing and run nothing.",
    ),
    Option(
        "shuzhi_placeholders_fail", False, "env", (bool,),
        "Report each unfilled placeholder as a warning (so -W fails); by default they are "
        "only listed on the 待补充 page.",
    ),
)


def setup(app: Sphinx) -> None:
    for option in OPTIONS:
        declare(app, option.name)
    # Before the other config-inited handlers, which may read the values.
    app.connect("config-inited", validate, priority=100)
    app.connect("config-inited", rename_suppressed, priority=100)


def option_of(name: str) -> Option:
    """The entry of :data:`OPTIONS` for the config value *name*."""
    return next(option for option in OPTIONS if option.name == name)


def default_of(name: str) -> Any:
    """The documented default of the config value *name*."""
    return option_of(name).default


def declare(app: Sphinx, name: str) -> None:
    """Declare the config value *name* as :data:`OPTIONS` describes it, unless it is already."""
    if name not in app.config:
        option = option_of(name)
        app.add_config_value(option.name, option.default, option.rebuild,
                             types=option.declared_types(), description=option.description)


def is_report(config: Config, docname: str) -> bool:
    """Whether *docname* is a report page (under a report folder, not an index)."""
    if docname.rsplit("/", 1)[-1] == "index":
        return False
    return any(docname.startswith(folder.rstrip("/") + "/") for folder in config.shuzhi_report_dirs)


def assignment_location(app: Sphinx, name: str) -> str | None:
    """``conf.py:LINE`` of the assignment to *name*, if conf.py assigns it (not, e.g., ``-D``).

    The one place that finds a setting's line in conf.py: every warning about a config value
    uses it (here and in :mod:`shuzhi.pdf.compilation`)."""
    conf = Path(app.confdir) / "conf.py"
    try:
        lines = conf.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    pattern = re.compile(rf"^{re.escape(name)}\s*[:=]")
    for number, line in enumerate(lines, start=1):
        if pattern.match(line):
            return f"{conf}:{number}"
    return None


def _invalid(app: Sphinx, name: str, problem: str) -> None:
    logger.warning("配置项 %s 无效：%s。已改用默认值。", name, problem,
                   type="shuzhi", subtype=kinds.CONFIG, location=assignment_location(app, name))


def _regexes(value: Any, name: str) -> list[str]:
    """The patterns in *value*; raises SchemaError when one is not a valid regular expression."""
    if isinstance(value, str):
        raise schema.SchemaError("应是正则表达式的列表，而不是一个字符串")
    for pattern in value:
        if not isinstance(pattern, str):
            raise schema.SchemaError(f"{pattern!r} 不是字符串")
        schema.compile_pattern(pattern, name)
    return list(value)


def validate(app: Sphinx, config: Config) -> None:
    """``config-inited``: check the values; replace an invalid one by its default."""
    defaults = {option.name: option.default for option in OPTIONS}
    try:
        parts = schema.parse_parts(config.shuzhi_report_parts)
    except schema.SchemaError as error:
        _invalid(app, "shuzhi_report_parts", str(error))
        config.shuzhi_report_parts = defaults["shuzhi_report_parts"]
        parts = schema.default_parts()
    try:
        if not isinstance(config.shuzhi_part_patterns, dict):
            raise schema.SchemaError("应是字典，例如 {\"成效\": [r\"工作实绩\"]}")
        schema.add_patterns(parts, config.shuzhi_part_patterns)
    except schema.SchemaError as error:
        _invalid(app, "shuzhi_part_patterns", str(error))
        config.shuzhi_part_patterns = defaults["shuzhi_part_patterns"]
    for name in ("shuzhi_watermark_patterns", "shuzhi_cause_patterns"):
        try:
            _regexes(getattr(config, name), name)
        except (schema.SchemaError, TypeError) as error:
            _invalid(app, name, str(error))
            setattr(config, name, defaults[name])
    for name in ("shuzhi_required_fields", "shuzhi_unit_kinds", "shuzhi_report_dirs"):
        value = getattr(config, name)
        if isinstance(value, str) or not all(isinstance(item, str) and item for item in value):
            _invalid(app, name, "应是非空字符串的列表")
            setattr(config, name, defaults[name])
    outlets = config.shuzhi_glossary_outlets
    if not isinstance(outlets, dict) or not all(
            isinstance(domain, str) and domain and isinstance(name, str) and name for domain, name in outlets.items()):
        _invalid(app, "shuzhi_glossary_outlets", "应是“域名: 网站名称”的字典，例如 {\"12371.cn\": \"共产党员网\"}")
        config.shuzhi_glossary_outlets = defaults["shuzhi_glossary_outlets"]
    for option in OPTIONS:
        # Sphinx only warns (in English) about a value outside an ENUM, and keeps it.
        value = getattr(config, option.name)
        if option.choices and not (isinstance(value, str) and value in option.choices):
            _invalid(app, option.name, f"{value!r} 应为 {'、'.join(option.choices)} 之一")
            setattr(config, option.name, option.default)


def rename_suppressed(app: Sphinx, config: Config) -> None:
    """``config-inited``: kinds named in ``suppress_warnings`` by an earlier name are still silenced."""
    current, replaced = kinds.current_suppressions(config.suppress_warnings)
    if not replaced:
        return
    config.suppress_warnings = current
    for old, new in replaced:
        logger.info("suppress_warnings 中的 %r 是旧名称，已按 %r 处理：请在 conf.py 中改为 %r。", old, new, new,
                    location=assignment_location(app, "suppress_warnings"))


def report_schema(config: Config) -> schema.Schema:
    """The schema that *config* describes (compiled once per distinct configuration)."""
    values = {
        name: getattr(config, name)
        for name in ("shuzhi_report_parts", "shuzhi_part_patterns", "shuzhi_required_fields",
                     "shuzhi_unit_kinds", "shuzhi_cause_patterns", "shuzhi_require_cause_analysis",
                     "shuzhi_require_preamble")
    }
    return _compiled_schema(json.dumps(values, sort_keys=True, ensure_ascii=False, default=list))


@functools.lru_cache(maxsize=8)
def _compiled_schema(key: str) -> schema.Schema:
    """Compile the schema described by the JSON *key* (a pure function, so caching is safe)."""
    values = json.loads(key)
    parts = schema.add_patterns(schema.parse_parts(values["shuzhi_report_parts"]), values["shuzhi_part_patterns"])
    return schema.Schema(
        parts,
        required_fields=values["shuzhi_required_fields"],
        unit_kinds=values["shuzhi_unit_kinds"],
        cause_patterns=values["shuzhi_cause_patterns"],
        require_cause=values["shuzhi_require_cause_analysis"],
        require_preamble=values["shuzhi_require_preamble"],
    )


def watermark_patterns(config: Config) -> tuple[str, ...]:
    return (*watermarks.DEFAULT_PATTERNS, *config.shuzhi_watermark_patterns)

