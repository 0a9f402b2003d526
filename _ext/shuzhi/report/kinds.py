"""Every kind of finding: the subtypes of the ``shuzhi`` warnings, and what each means.

A warning is ``type="shuzhi", subtype=<kind>``, so a site silences a kind with
``suppress_warnings = ["shuzhi.<kind>"]``. Code that reports a finding names its
kind by one of the constants below, never by a string of its own, and a
parameter or field that takes a kind is annotated :data:`Kind`:
``tests/test_finding_kinds.py`` reads the package's source and fails on a kind
written as a string, and on an entry here that nothing reports.

:data:`MEANINGS` is the table of docs/guide.md (the ``shuzhi-finding-kinds``
directive renders it): text between backticks is shown as code; code that contains
a backtick is written between double backticks and spaces (`` {download}`…` ``).

Kinds are written with underscores. :data:`RENAMED` maps the names of earlier
versions (``raw-html``) to the current ones, so that a site's ``suppress_warnings``
keeps working (:func:`current_suppressions`).

Pure: imports nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeAlias

#: The type of a parameter or field that holds a kind of finding: the test reads these
#: annotations to find every place a kind is passed.
Kind: TypeAlias = str

# -- a report's front matter, title and structure (report/frontmatter.py, report/structure.py)
FRONTMATTER = "frontmatter"
FIELD_MISSING = "field_missing"
FIELD_INVALID = "field_invalid"
TITLE = "title"
PART_MISSING = "part_missing"
PART_ORDER = "part_order"
PART_REPEATED = "part_repeated"
PART_EMPTY = "part_empty"
HEADING_UNKNOWN = "heading_unknown"
HEADING_LEVEL = "heading_level"
NUMBERING = "numbering"
NUMBERING_MIXED = "numbering_mixed"
CAUSE_MISSING = "cause_missing"
PREAMBLE_MISSING = "preamble_missing"
# -- a report's text (report/watermarks.py; placeholders: report/pipeline.py)
WATERMARK = "watermark"
PLACEHOLDER = "placeholder"
# -- what a report may not do (untrusted/)
DIRECTIVE = "directive"
ROLE = "role"
MYST_SETTINGS = "myst_settings"
NESTING = "nesting"
RAW_HTML = "raw_html"
SCRIPT_LINK = "script_link"
OUTSIDE_FILE = "outside_file"
EXTERNAL_RESOURCE = "external_resource"
MISSING_FILE = "missing_file"
FILE_TYPE = "file_type"
# -- beside the reports, and across the reports of one year (review/comments.py, report/collection.py)
REVIEW = "review"
POSITION_DUPLICATE = "position_duplicate"
UNIT_DUPLICATE = "unit_duplicate"
# -- characters, lines and files (report/controls.py, report/privacy.py, report/longlines.py, untrusted/unreadable.py)
CONTROL_CHARACTER = "control_character"
PRIVACY = "privacy"
LONG_LINE = "long_line"
ENCODING = "encoding"
# -- the glossary (glossary/entries.py, glossary/sources.py, glossary/loading.py)
GLOSSARY_SYNTAX = "glossary_syntax"
GLOSSARY_CONTROL = "glossary_control"
GLOSSARY_HTML = "glossary_html"
GLOSSARY_TERM = "glossary_term"
GLOSSARY_DUPLICATE = "glossary_duplicate"
GLOSSARY_DEFINITION = "glossary_definition"
GLOSSARY_CATEGORY = "glossary_category"
GLOSSARY_ALIAS = "glossary_alias"
GLOSSARY_PINYIN = "glossary_pinyin"
GLOSSARY_RELATED = "glossary_related"
GLOSSARY_SOURCE = "glossary_source"
GLOSSARY_URL = "glossary_url"
# -- the PDF and the site (pdf/compilation.py, html/icons.py)
PDF_YEAR = "pdf_year"
PDF_FRONT_MATTER = "pdf_front_matter"
PDF_FONTS = "pdf_fonts"
ICONS = "icons"
# -- the configuration, and the checks themselves (build/config.py, report/pipeline.py)
CONFIG = "config"
INTERNAL = "internal"

#: Every kind, in the order of the guide's table, with what it means (Chinese, for editors).
MEANINGS: dict[str, str] = {
    FRONTMATTER: "没有元数据、元数据不是有效的 YAML 或不是“字段: 值”的形式",
    FIELD_MISSING: "元数据缺少必填字段",
    FIELD_INVALID: "元数据字段的值不合要求（年度、顺序、单位类型等）或重复",
    TITLE: "没有报告标题（#），或标题与元数据的 title 不一致",
    PART_MISSING: "缺少必需的部分（成效、问题、打算）",
    PART_ORDER: "部分的顺序不对",
    PART_REPEATED: "同一部分出现了两次",
    PART_EMPTY: "部分只有标题、没有内容",
    HEADING_UNKNOWN: "部分标题不对应任何部分（给出最接近的写法）",
    HEADING_LEVEL: "标题级别不对（例如“一、”级标题写成了 # 或 ###）",
    NUMBERING: "序号不连续（一、二、四；（一）（三））",
    NUMBERING_MIXED: "同级序号的写法不统一（（一）、(一)、〔一〕 混用）",
    CAUSE_MISSING: "问题部分没有原因分析（仅在 shuzhi_require_cause_analysis = True 时检查）",
    PREAMBLE_MISSING: "标题之后没有导语（仅在 shuzhi_require_preamble = True 时检查）",
    WATERMARK: "正文中有文档分享网站的水印或广告文字",
    PLACEHOLDER: "未填写的模板占位符（仅在 shuzhi_placeholders_fail = True 时作为警告）",
    DIRECTIVE: "报告用了不允许的指令（如 include、literalinclude、csv-table、eval-rst），已按原文显示为文字"
               "（见下文“报告能用的写法”）",
    ROLE: "报告用了不允许的角色（如 `` {download}`…` ``），已按原文显示为文字",
    MYST_SETTINGS: "报告的元数据中有 `myst:` 设置（会改变解析方式），已忽略",
    NESTING: "强调、链接等标记（`*`、`_`、`[`）嵌套过深，无法解析，这些标记已按文字显示；"
             "或列表、引用嵌套超过 4 层，更深的层次已改为普通段落",
    LONG_LINE: "一行超过一万个字符（复制时丢失了换行）、标题超过一千个字符，或一串字母、数字连续超过两千个："
               "PDF 中已断开或截短，请分段或删去",
    RAW_HTML: "报告中有 HTML 代码，已按文字显示（报告中的 mermaid 图表含有 HTML 时，图表按原文显示）",
    SCRIPT_LINK: "链接不是 http、https、mailto 或站内链接（可能指向脚本），已去掉链接只保留文字"
                 "（报告中的 mermaid 图表含有脚本链接或交互时，图表按原文显示）",
    OUTSIDE_FILE: "报告引用了报告目录之外的文件，或报告本身是指向目录之外的符号链接，未发布",
    EXTERNAL_RESOURCE: "报告中的图片是外部网址（内网读者打不开），已删除；表格或 mermaid 图表要从外网读取内容的，按原文显示",
    MISSING_FILE: "报告中的图片找不到（文件名或位置不对），已删除：请检查文件名，并把图片放进 `reports/` 下",
    FILE_TYPE: "报告引用的图片或附件的类型不能发布（网页、脚本、SVG 会在网站上运行），已删除",
    REVIEW: "评议记录文件（`*.review.yaml`）的格式不对",
    POSITION_DUPLICATE: "同一年度的两篇报告的顺序号（`position`）相同（汇编、目录和 PDF 按它排序编号）",
    UNIT_DUPLICATE: "同一单位（`unit`）在同一年度有两篇报告",
    CONTROL_CHARACTER: "正文中有看不见的控制字符（从 Word 或网页复制时带进来的），发布时已删除",
    PRIVACY: "正文中有身份证号、手机号码、电子邮件地址或密级标志，发布前须删除或核实（见下文“发布前的隐私检查”）",
    ENCODING: "文件不是 UTF-8 文本（例如二进制文件或 GBK 编码），未能发布",
    GLOSSARY_SYNTAX: "术语表文件找不到、不是 UTF-8 文本、不是有效的 YAML（含 YAML 别名），或顶层不是条目的列表；"
                     "读不出的条目被略去",
    GLOSSARY_CONTROL: "术语表中有看不见的控制字符，已删除",
    GLOSSARY_HTML: "术语表的条目中有 HTML 代码，已按文字显示",
    GLOSSARY_TERM: "条目缺少 `term`，或术语只有一个字（会到处误链接）",
    GLOSSARY_DUPLICATE: "同一术语有两个条目",
    GLOSSARY_DEFINITION: "条目没有释义（`definition`）",
    GLOSSARY_CATEGORY: "条目的分类不在 `shuzhi_glossary_categories` 之中",
    GLOSSARY_ALIAS: "别名与另一个术语或别名冲突（一个写法只能属于一个术语）",
    GLOSSARY_PINYIN: "条目的 `pinyin` 不是拼音，已改用自动生成的拼音",
    GLOSSARY_RELATED: "相关条目（`related`）指向自身或不在术语表中",
    GLOSSARY_SOURCE: "条目的来源（`source`）不合要求：不是“字段: 值”的映射、有未知字段、文件缺少标题、发文机关或年份、"
                     "标题没有书名号、年份不是四位数、来源网站不在官方名单中或网页没有标题；该条目列入待核实清单，不印入 PDF",
    GLOSSARY_URL: "来源地址（`source` 的 `url`）不是 http 或 https 网址，不显示为链接",
    PDF_YEAR: "`shuzhi_pdf_year` 中的年度没有报告，或一个年度的报告不在同一目录中、没有 index 页面，这一年度的 PDF 未生成",
    PDF_FRONT_MATTER: "`shuzhi_pdf_front_matter` 中的页面不存在",
    PDF_FONTS: "找不到 PDF 所需的 Fandol 字体（TeX Live）",
    ICONS: "图标字体未能精简（未安装 fontTools 或字体无法读取），网页多下载约 110 KB",
    CONFIG: "conf.py 中的配置项无效，已改用默认值",
    INTERNAL: "检查报告时出现了意外错误（请交给维护人员）",
}

#: Names of earlier versions → the current name (``suppress_warnings`` keeps working).
RENAMED: dict[str, str] = {
    "raw-html": RAW_HTML,
    "script-link": SCRIPT_LINK,
    **{f"glossary-{kind.removeprefix('glossary_')}": kind for kind in MEANINGS if kind.startswith("glossary_")},
}


def current_suppressions(entries: Iterable[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """*entries* of ``suppress_warnings`` with old kind names replaced by the current ones.

    Also returns each replaced entry with its replacement (``shuzhi.raw-html`` →
    ``shuzhi.raw_html``), so that the site can be told to change it.
    """
    current: list[str] = []
    replaced: list[tuple[str, str]] = []
    for entry in entries:
        kind = entry.removeprefix("shuzhi.") if isinstance(entry, str) else None
        if kind is not None and entry != kind and kind in RENAMED:
            current.append(f"shuzhi.{RENAMED[kind]}")
            replaced.append((entry, current[-1]))
        else:
            current.append(entry)
    return current, replaced
