"""Reporting what is wrong with the reports: one warning per finding, with its place.

Findings are stored in the records while reading; they are reported here,
once per build, at ``build-finished``, from the records of every report in the
environment, sorted by file and line. So a ``-j`` build, an incremental build
and a fresh build report exactly the same findings, and an incremental ``-W``
build still fails while any report has one.

Every warning has ``type="shuzhi"`` and a subtype per kind (below), so a site
can silence a kind with ``suppress_warnings = ["shuzhi.<kind>"]``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.util import logging

from ..report.pipeline import placeholder_findings
from .domain import get_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: Every subtype, with what it means (shown in docs/guide.md).
KINDS: dict[str, str] = {
    "frontmatter": "没有元数据、元数据不是有效的 YAML 或不是“字段: 值”的形式",
    "field_missing": "元数据缺少必填字段",
    "field_invalid": "元数据字段的值不合要求（年度、顺序、单位类型等）或重复",
    "title": "没有报告标题（#），或标题与元数据的 title 不一致",
    "part_missing": "缺少必需的部分（成效、问题、打算）",
    "part_order": "部分的顺序不对",
    "part_repeated": "同一部分出现了两次",
    "part_empty": "部分只有标题、没有内容",
    "heading_unknown": "部分标题不对应任何部分（给出最接近的写法）",
    "heading_level": "标题级别不对（例如“一、”级标题写成了 # 或 ###）",
    "numbering": "序号不连续（一、二、四；（一）（三））",
    "numbering_mixed": "同级序号的写法不统一（（一）、(一)、〔一〕 混用）",
    "cause_missing": "问题部分没有原因分析（仅在 shuzhi_require_cause_analysis = True 时检查）",
    "preamble_missing": "标题之后没有导语（仅在 shuzhi_require_preamble = True 时检查）",
    "watermark": "正文中有文档分享网站的水印或广告文字",
    "placeholder": "未填写的模板占位符（仅在 shuzhi_placeholders_fail = True 时作为警告）",
    "directive": "报告用了报告中不能用的指令（如 include、literalinclude、eval-rst），已按原文显示为文字",
    "role": "报告用了报告中不能用的角色（如 {download}），已按原文显示为文字",
    "myst_settings": "报告的元数据中有 myst 设置（会改变解析方式），已忽略",
    "nesting": "强调、链接等标记嵌套过深，无法解析，已按文字显示",
    "raw-html": "报告中有 HTML 代码，已按文字显示",
    "script-link": "链接不是 http、https、mailto 或站内链接，已去掉链接",
    "outside_file": "报告引用了报告目录之外的文件（或报告本身是指向目录之外的链接），未发布",
    "external_resource": "报告中的图片是外部网址，已删除（网站不加载外部资源）",
    "file_type": "报告引用的图片或附件的类型不能发布（网页、脚本、矢量图），已删除",
    "missing_file": "报告中的图片找不到（文件名或位置不对），已删除",
    "control_character": "正文中有看不见的控制字符，发布时已删除",
    "long_line": "一行超过一万个字符（复制时丢失了换行）、标题超过一千个字符或一串字母连续超过两千个，PDF 中已断开或截短",
    "privacy": "正文中有身份证号、手机号码、电子邮件地址或密级标志（秘密★1年等）；核实可公开的行之前加注释“% 隐私：已核实”",
    "encoding": "文件不是 UTF-8 文本（例如二进制文件或 GBK 编码），未能发布",
    "config": "conf.py 中的配置项无效，已改用默认值",
    "internal": "检查报告时出现了意外错误（请交给维护人员）",
}


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
        for finding in (finding for record in records for finding in placeholder_findings(record)):
            logger.warning("%s", finding.message, type="shuzhi", subtype=finding.kind,
                           location=(finding.docname, finding.line))
    elif marked:
        logger.info("待补充：%d 篇报告中共有 %d 处未填写的占位符，见“待补充”页面。",
                    len({placeholder.docname for placeholder in marked}), len(marked))


def setup(app: Sphinx) -> None:
    app.connect("build-finished", emit)
