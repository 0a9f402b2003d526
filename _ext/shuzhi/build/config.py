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

from docutils import nodes
from sphinx.config import ENUM
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..glossary import entries as glossary_entries, sources as glossary_sources
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
    #: The guide's description (Chinese, MyST inline markup): a row of its table (:func:`guide_table`).
    guide: str = ""
    #: The default as the guide shows it, where not the value itself (e.g. a long list, told in words).
    guide_default: str = ""

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
        guide="存放报告的目录；其中除 `index` 外的每个页面都是一篇报告",
    ),
    Option(
        "shuzhi_glossary_file", "docs/glossary.yaml", "env", (str,),
        "The glossary's single source (YAML), relative to the source folder. Empty: no glossary.",
        guide="术语表数据源（相对源目录）；为空则不使用术语表",
    ),
    Option(
        "shuzhi_glossary_categories", glossary_entries.DEFAULT_CATEGORIES, "env", (tuple, list),
        "The categories a glossary entry may have.",
        guide_default="七个分类",
        guide="术语条目允许的分类",
    ),
    Option(
        "shuzhi_glossary_outlets", glossary_sources.DEFAULT_OUTLETS, "env", (dict,),
        "The official sites a glossary definition may cite, by domain (the site and its "
        "subdomains) → the outlet's name; the longest matching domain names the outlet. A "
        "source on any other site is a warning, and its entry is pending (待核实): not printed.",
        guide_default="人民网、新华网、共产党员网、求是网、中国政府网、中央纪委国家监委网站、中国网和 gov.cn，见 `_ext/shuzhi/glossary/sources.py` 的 `DEFAULT_OUTLETS`",
        guide="术语来源可以引用的官方网站：“域名: 网站名称”的字典（含子域名，最长的匹配决定网站名称）；其他网站的来源给出警告，该条目列入待核实清单、不印入 PDF",
    ),
    Option(
        "shuzhi_backlinks_max", 30, "html", (int,),
        "At most this many reports are listed under each glossary entry's 使用情况 (the count "
        "always covers all): with thousands of reports the glossary page stays readable.",
        guide="术语表每个条目下最多列出多少篇报告（总次数和篇数总是完整的）",
    ),
    Option(
        "shuzhi_link_policy", LINK_FIRST_PER_SECTION, "env", (str,),
        "Which mentions of a concept in a report become links: 'first-per-section' (the first in each "
        "section) or 'all'.",
        LINK_POLICIES,
        guide="哪些出现变成链接：`first-per-section`（每节第一次）或 `all`（每次）",
    ),
    Option(
        "shuzhi_chunked_search", True, "html", (bool,),
        "The site's search on a chunked index (_search/, shuzhi.search.chunked): a search fetches "
        "only the chunks of its words, no page but search.html loads anything of it, no "
        "searchindex.js. False: Sphinx's search (tuned as shuzhi_search_enhanced says).",
        guide="站内搜索使用本站的分块索引（`_search/`，见{doc}`search`）：搜索只下载查询用到的小文件，除搜索页外任何页面都不加载索引，也不生成 Sphinx 的 `searchindex.js`；`False` 则改用 Sphinx 的搜索（由下一项决定是否调整）",
    ),
    Option(
        "shuzhi_search_exclude", (), "html", (tuple, list),
        "Docnames left out of the search index (the editors' pages: readers do not search them).",
        guide_default="`[]`",
        guide='不收入搜索索引的页面（文档名，如 `"docs/guide"`）：本站把编辑用的页面（编辑指南、发布到内网、站内搜索、构建性能）排除在读者的搜索结果之外',
    ),
    Option(
        "shuzhi_search_enhanced", True, "env", (bool,),
        "Chinese search tuned for the reports: the glossary's words in the index, the query "
        "segmented in the browser, glossary entries shown first. False: Sphinx's stock Chinese search.",
        guide="中文分词：术语表词语收入分词词典、相邻两词另作短语收入索引（分块索引和 Sphinx 的搜索都用它）；`False` 且不用分块索引时即 Sphinx 自带的中文搜索",
    ),
    Option(
        "shuzhi_catalogue_max", 100, "html", (int,),
        "The home page's 报告一览 (report-catalogue) lists at most this many reports, the newest, "
        "and links every year page for the rest: the page stays the same size with thousands "
        "of reports. A year page with more reports shows them by unit kind, on pages of at most "
        "this many. 0: all. The PDF is not affected.",
        guide="首页“报告一览”最多列出的报告篇数（最新的在前），其余各篇见所附的各年度页面链接；报告再多，首页大小也不变。某一年度的报告多于此数时，网站上的年度页面不再逐篇列出，而是按单位类型列出篇数，每个单位类型另有页面列出其报告（每页最多此数篇，多则分页）；左侧目录和 PDF 不变。`0` 为全部列出；不影响 PDF",
    ),
    Option(
        "shuzhi_subset_icons", True, "", (bool,),
        "Cut the theme's icon fonts (Font Awesome, 150 KB on every page) to the icons the site "
        "shows, after an HTML build (shuzhi.html.icons; needs fonttools[woff]).",
        guide="构建后把主题的图标字体（Font Awesome，每页约 110 KB）精简为网站实际用到的十来个图标（需要 fonttools[woff]）",
    ),
    Option(
        "shuzhi_mermaid_dist", "node_modules/mermaid/dist", "html", (str,),
        "Folder of the npm mermaid package's dist/, relative to conf.py; its ES-module build is "
        "copied into _static/mermaid/ so diagrams render offline. Empty: do not copy.",
        guide="npm 安装的 mermaid 所在目录（相对 `conf.py`），构建时复制到 `_static/mermaid/`，使图表离线可用；为空则不复制",
    ),
    Option(
        "shuzhi_template_cache", True, "", (bool,),
        "Keep the theme's compiled page templates in the doctree folder (Jinja's bytecode "
        "cache), so that a build does not compile them again: about 0.3 s per build.",
        guide="把主题编译好的页面模板保存在 doctree 目录（Jinja 的字节码缓存），以后的构建不再重新编译，每次约省 0.3 秒",
    ),
    Option(
        "shuzhi_release_doctrees", True, "", (bool,),
        "Free each HTML page's document as soon as the page is rendered, instead of leaving it "
        "to the garbage collector: about 1 s of a 20 s build at 500 reports.",
        guide="每个网页生成后立即释放它的文档（断开 docutils 节点之间的循环引用），不必等 Python 的垃圾回收；500 篇时约省 1 秒（整个构建约 20 秒），页面内容不变",
    ),
    Option(
        "shuzhi_gc_threshold", 10000, "", (int,),
        "During a build, let Python's garbage collector collect its youngest generation every "
        "this many new objects instead of 700: a tenth of the collections, about 0.5 s of a 15 s "
        "build at 500 reports, the same peak memory. The process's exit then skips the "
        "collector's last pass over the build's objects (0.5 s at 500 reports, 2 s at 2000). "
        "0: leave Python's collector alone.",
        guide="构建期间，Python 垃圾回收器每新建多少个对象回收一次最年轻的一代（Python 默认 700）：回收次数减为约十分之一，500 篇时约省 0.5 秒（整个构建约 15 秒），峰值内存不变；进程退出时也不再让回收器逐个释放构建留下的对象（500 篇约省 0.5 秒，2000 篇约 2 秒），内存由操作系统一次收回。为 0 则都不改",
    ),
    Option(
        "shuzhi_reuse_docutils_settings", True, "", (bool,),
        "Make docutils' settings once per build instead of twice for every page read (Sphinx "
        "and MyST-Parser each build a new docutils OptionParser per page): about 0.5 s of a "
        "10 s build at 500 reports, the same settings (shuzhi.build.docutils_settings).",
        guide="读入每一页时，docutils 的设置只在每次构建中生成一次，不再每页生成两次（Sphinx 和 MyST-Parser 各为每页新建一个 docutils 选项解析器）：500 篇时约省 0.5 秒（整个构建约 10 秒），设置和页面内容不变",
    ),
    Option(
        "shuzhi_organisation", "组织部", "", (str,),
        "The organisation that compiles the reports, printed on the PDF's cover.",
        guide="编印单位，印在 PDF 封面上",
    ),
    Option(
        "shuzhi_pdf_year", "", "", (str, int, list, tuple),
        "The years printed, one PDF each (<stem>-<year>.pdf, the reports of reports/<year>/): a "
        "year or a list of years. Empty: every year found in the report records.",
        guide='印哪些年度的汇编（每个年度一个 PDF：`dangjian-shuzhi-<年度>.pdf`，收录 `reports/<年度>/` 中的报告）：一个年度或年度的列表，如 `["2022", "2023"]`；为空时印报告中的每个年度',
    ),
    Option(
        "shuzhi_pdf_rating_form", False, "", (bool,),
        "Print a 民主测评表 as the PDF's last appendix: one row per report (单位, 述职人, 好, 较好, "
        "一般, 差) and room for the rater's signature and the date.",
        guide="为 `True` 时，PDF 汇编最后附一张“民主测评表”：每篇报告一行（单位、述职人、好、较好、一般、差），下有测评人签名和日期；单位取元数据的 `unit`，没有时取报告标题",
    ),
    Option(
        "shuzhi_pdf_style", PDF_STYLES[0], "", (str,),
        "The PDF's layout: 'gongwen' (GB/T 9704-2012: A4, a 156 x 225 mm text area, 3号 仿宋 on a "
        "22 x 28 grid, 2号 title, page numbers — 1 — on the outer side, no running head) or "
        "'compact' (12 pt 仿宋, about 34 lines of 37 characters, a running head: about half the "
        "pages, for thick compilations).",
        PDF_STYLES,
        guide='PDF 的版式：`"gongwen"` 按党政机关公文格式（GB/T 9704-2012，3 号仿宋，每页 22 行 × 28 字，页码“— 1 —”居外侧，无页眉）；`"compact"` 为紧凑版式（小四号仿宋，每页约 34 行，有页眉），页数约减半，适合篇数很多的汇编',
    ),
    Option(
        "shuzhi_pdf_front_matter", [], "", (tuple, list),
        "Documents printed before the reports as unnumbered chapters (the compilation's 说明), "
        "in this order.",
        guide='排在各篇报告之前、不编号的“说明”页面，例如 `["docs/about"]`',
    ),
    Option(
        "shuzhi_pdf_source", "", "html", (str,),
        "The folder holding the built compilation PDFs to publish on the site (one per year, "
        "named after the root_doc's latex_documents target: <stem>-<year>.pdf), relative to conf.py. "
        "Empty: _build/latex. Each year's PDF found there is copied to the site's root; its year "
        "page and its reports link to it, the home page to the newest.",
        guide="已印好的年度汇编 PDF 所在的目录（相对 `conf.py`；文件名如 `dangjian-shuzhi-2023.pdf`）；为空时为 `_build/latex`。构建网站时把其中每个年度的 PDF 复制到网站根目录，该年度页面和各篇报告链接到本年度的 PDF，首页链接到最新的一本；没有 PDF 的年度不加链接",
    ),
    Option(
        "shuzhi_report_parts", schema.DEFAULT_PARTS, "env", (tuple, list),
        "The parts of a report, in order: dicts with key, label, patterns (regular expressions "
        "searched in the heading without its number), examples, required, ordered.",
        guide_default="成效、问题、打算（必需）和整改、原因（可选），见 `_ext/shuzhi/report/schema.py` 的 `DEFAULT_PARTS`",
        guide="报告的各部分及其顺序：每项是一个字典，含 `key`（名称）、`label`（说明）、`patterns`（在去掉序号的标题中查找的正则表达式）、`examples`（典型标题，用于提示）、`required`（是否必需）、`ordered`（是否参与顺序检查）",
    ),
    Option(
        "shuzhi_part_patterns", {}, "env", (dict,),
        "Extra heading patterns for existing parts, by part key, e.g. {\"成效\": [r\"工作实绩\"]}.",
        guide='为已有部分增加的标题模式，例如 `{"成效": [r"几点体会"]}`',
    ),
    Option(
        "shuzhi_required_fields", schema.DEFAULT_REQUIRED_FIELDS, "env", (tuple, list),
        "Front-matter fields every report must have.",
        guide="元数据中必须有的字段",
    ),
    Option(
        "shuzhi_unit_kinds", schema.DEFAULT_UNIT_KINDS, "env", (tuple, list),
        "Allowed values of the unit_kind field.",
        guide_default="乡镇、街道、村、社区、机关、党委（党组）、国有企业、学校、医院、事业单位、非公企业、社会组织、其他",
        guide="`unit_kind` 允许的取值",
    ),
    Option(
        "shuzhi_require_cause_analysis", False, "env", (bool,),
        "Whether the problems part (问题) must analyse causes (原因); off by default.",
        guide="为 `True` 时，“问题”部分必须分析原因（正文中出现“原因”“根源”“症结”等）",
    ),
    Option(
        "shuzhi_cause_patterns", schema.DEFAULT_CAUSE_PATTERNS, "env", (tuple, list),
        "Regular expressions that count as a cause analysis in the problems part.",
        guide="算作原因分析的正则表达式",
    ),
    Option(
        "shuzhi_require_preamble", False, "env", (bool,),
        "Whether a report must have a preamble between its title and its first part.",
        guide="为 `True` 时，报告标题之后、第一部分之前必须有导语",
    ),
    Option(
        "shuzhi_watermark_patterns", (), "env", (tuple, list),
        "Extra regular expressions for watermarks and adverts, added to the built-in ones.",
        guide="另外要查找的水印、广告文字（正则表达式），与内置的一起使用",
    ),
    Option(
        "shuzhi_placeholders_fail", False, "env", (bool,),
        "Report each unfilled placeholder as a warning (so -W fails); by default they are "
        "only listed on the 待补充 page.",
        guide="为 `True` 时，每个未填写的占位符都作为警告（`-W` 构建因此失败）；默认只列在“待补充”页面",
    ),
    Option(
        "shuzhi_report_directives", (), "env", (tuple, list),
        "Directives a report may use (the report dialect); none by default. Each one widens what "
        "an untrusted report can make the build do: read files, fetch URLs, run reStructuredText.",
        guide="报告中允许使用的指令（见“报告能用的写法”）；默认一个也不允许",
    ),
    Option(
        "shuzhi_report_roles", ("term", "doc", "ref"), "env", (tuple, list),
        "Roles a report may use (the report dialect): by default the cross-references to the "
        "glossary and to other pages, which read nothing and run nothing.",
        guide="报告中允许使用的角色；默认只有指向术语表和站内页面的 `term`、`doc`、`ref`",
    ),
    Option(
        "shuzhi_nav_max_items", 30, "html", (int,),
        "The sidebar lists at most this many pages under one entry; longer lists (a year with "
        "many reports) are grouped by unit kind and show the pages around the current one.",
        guide="侧栏在一个条目（例如一个年度）下最多列出多少篇；超过时按单位类型分组，只列出当前报告前后的若干篇，其余点开分组即可看到（见下）",
    ),
)


def _shown(value: Any) -> str:
    """*value* as conf.py would write it, as code (the guide's default column)."""
    if isinstance(value, tuple):
        return "`(" + ", ".join(json.dumps(item, ensure_ascii=False) for item in value) + ("," if len(value) == 1 else "") + ")`"
    if isinstance(value, (bool, int)):
        return f"`{value}`"
    return f"`{json.dumps(value, ensure_ascii=False)}`"


def guide_table() -> list[str]:
    """The guide's table of the configuration values (MyST), one row per entry of :data:`OPTIONS`."""
    return ["| 配置项 | 默认值 | 作用 |", "|---|---|---|",
            *(f"| `{option.name}` | {option.guide_default or _shown(option.default)} | {option.guide} |"
              for option in OPTIONS)]


class ConfigValues(SphinxDirective):
    """``shuzhi-config-values``: the table of every configuration value (:func:`guide_table`),
    so that docs/guide.md names every value, with its default, and no other."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        return self.parse_text_to_nodes("\n".join(guide_table()))


def setup(app: Sphinx) -> None:
    for option in OPTIONS:
        declare(app, option.name)
    app.add_directive("shuzhi-config-values", ConfigValues)
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

