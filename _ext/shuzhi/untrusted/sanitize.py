"""Raw HTML and script links in reports never reach readers.

Reports come from many authors. Whatever HTML an author typed or pasted
(``<script>``, ``onerror=``, ``<iframe>``, ``<style>``, the ``{raw}`` directive)
is shown as literal text instead of being passed through, and links with a
script scheme (``javascript:``, ``vbscript:``, ``data:``) lose their link.
Each case is a warning with the file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import markupsafe
from docutils import nodes
from docutils.parsers.rst.directives.misc import adapt_path
from docutils.parsers.rst.directives.tables import CSVTable
from docutils.utils import get_source_line
from sphinx import addnodes

from ..build.config import is_report
from ..report import controls, kinds, urls
from ..report.pipeline import note
from ..report.textnodes import source_line
from . import dialect, files

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def _escaped(raw: nodes.raw) -> nodes.Node:
    text = raw.astext()
    literal = nodes.literal(text, text, classes=["escaped-html"])
    if isinstance(raw.parent, nodes.TextElement):  # inline HTML inside a paragraph
        return literal
    return nodes.paragraph("", "", literal, classes=["escaped-html"])


def neutralise(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: escape raw markup and unlink script links in report pages."""
    if not is_report(app.config, app.env.docname):
        return
    confine_files(app, doctree)
    dialect.flatten_deep_blocks(doctree)
    neutralise_markup(doctree)


def neutralise_markup(doctree: nodes.document) -> None:
    """Raw markup shown as text and script links unlinked, each a finding of the report: in
    the build (:func:`neutralise`) and in ``shuzhi check``, which needs no Sphinx for it."""
    for raw in list(doctree.findall(nodes.raw)):
        _note(doctree, raw, kinds.RAW_HTML, f"报告中的 HTML 代码“{raw.astext().strip()[:40]}”不会被执行，已按文字显示："
                                        "报告应为纯文字，请删除这段代码。")
        raw.replace_self(_escaped(raw))
    for reference in list(doctree.findall(nodes.reference)):
        uri = reference.get("refuri", "")
        if not urls.is_safe_link(uri):
            _note(doctree, reference, kinds.SCRIPT_LINK, urls.SCRIPT_LINK_MESSAGE % urls.visible(uri)[:40])
            reference.replace_self(nodes.inline(reference.astext(), reference.astext()))


def _note(doctree: nodes.document, node: nodes.Node, kind: kinds.Kind, message: str) -> None:
    """A finding at *node*'s line, kept with the report's other findings (:func:`.pipeline.note`)."""
    note(doctree, get_source_line(node)[1] or source_line(node) or 1, kind, message)


def _refuse_file(doctree: nodes.document, node: nodes.Element, subtype: kinds.Kind, message: str, *args: object) -> None:
    _note(doctree, node, subtype, message % args)
    text = node.get("alt", "") if isinstance(node, nodes.image) else node.astext()
    node.replace_self(nodes.inline(text, text) if not isinstance(node.parent, nodes.TextElement) or text else nodes.Text(""))


def confine_files(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: a report's images and downloads come from the report folders only.

    Before Sphinx's collectors copy them into the output (priority 500). Remote images
    are removed too: the site is read offline and makes no outside request.
    """
    env = app.env
    found: list[tuple[Path, ...]] = []

    def roots() -> tuple[Path, ...]:
        """The report folders, resolved when a report first has a file to check (most have none)."""
        if not found:
            found.append(files.report_roots(env.srcdir, app.config.shuzhi_report_dirs))
        return found[0]

    for image in list(doctree.findall(nodes.image)):
        uri = image["uri"]
        if urls.scheme(uri) or uri.startswith("//"):
            _refuse_file(doctree, image, kinds.EXTERNAL_RESOURCE, "报告中的图片“%s”是外部网址，内网读者打不开，已删除："
                         "请把图片文件放进 reports/ 下，用相对路径引用。", urls.visible(uri)[:60])
        elif not files.confined(env.relfn2path(uri, env.docname)[1], roots()):
            _refuse_file(doctree, image, kinds.OUTSIDE_FILE, "报告中的图片“%s”不在报告目录中，已删除：请把图片文件放进 reports/ 下。",
                         urls.visible(uri)[:60])
        elif Path(uri).suffix.lower() not in files.IMAGE_SUFFIXES:
            _refuse_file(doctree, image, kinds.FILE_TYPE, "报告中的图片“%s”不是 PNG、JPEG、GIF 或 WebP 图片，已删除：请另存为这些格式之一。",
                         urls.visible(uri)[:60])
        elif not Path(env.relfn2path(uri, env.docname)[1]).is_file():
            # Left in, Sphinx would print the path as it is into the LaTeX (a "%" there ends the PDF).
            _refuse_file(doctree, image, kinds.MISSING_FILE, "报告中的图片“%s”找不到，已删除：请检查文件名，并把图片放进 reports/ 下。",
                         urls.visible(uri)[:60])
    for download in list(doctree.findall(addnodes.download_reference)):
        target = download.get("reftarget", "")
        if not files.confined(env.relfn2path(target, env.docname)[1], roots()):
            _refuse_file(doctree, download, kinds.OUTSIDE_FILE, "报告链接的文件“%s”不在报告目录中，已去掉链接：请把文件放进 reports/ 下。",
                         urls.visible(target)[:60])
        elif Path(target).suffix.lower() not in files.DOWNLOAD_SUFFIXES:
            _refuse_file(doctree, download, kinds.FILE_TYPE, "报告链接的文件“%s”的类型不能发布（网页、脚本或矢量图会在网站上运行），"
                         "已去掉链接：请改为 PDF、Word、Excel 或图片。", urls.visible(target)[:60])


#: The docutils setting through which ``shuzhi check``, which has no Sphinx environment, gives
#: the report folders (:func:`report_folders`).
REPORT_ROOTS_SETTING = "shuzhi_report_roots"


def report_folders(document: nodes.document) -> tuple[Path, ...] | None:
    """The folders the report being read into *document* may read files from; None when it is
    not a report. In the build, from the environment; in ``shuzhi check``, every file is a report
    and the folders are a setting (:data:`REPORT_ROOTS_SETTING`)."""
    settings = document.settings
    env = getattr(settings, "env", None)
    if env is None:
        return tuple(getattr(settings, REPORT_ROOTS_SETTING, ()))
    if not is_report(env.config, env.docname):
        return None
    return files.report_roots(env.srcdir, env.config.shuzhi_report_dirs)


class ConfinedCSVTable(CSVTable):
    """``{csv-table}``, for a site that allows it in reports: confined like the report's images.

    In a report, ``:file:`` is read only from the report folders (after resolving
    symlinks), and ``:url:`` is never fetched: the build makes no outside request. The
    directive is then shown as the author wrote it, with a finding at its line. The build
    and ``shuzhi check`` both use it, so neither reads nor fetches what the other would not.
    """

    def run(self) -> list[nodes.Node]:
        roots = report_folders(self.state.document)
        if roots is None:
            return super().run()
        if "url" in self.options:
            return self._refuse(kinds.EXTERNAL_RESOURCE, "报告中的表格要从网址“%s”读取，构建时不会下载，已按原文显示为文字："
                                "请把表格内容直接写进报告。", self.options["url"])
        if "file" in self.options:
            # Where docutils reads it from: relative to the report, / as its root_prefix says.
            path = adapt_path(self.options["file"], self.state.document.current_source,
                              self.state.document.settings.root_prefix)
            if not files.confined(path, roots):
                return self._refuse(kinds.OUTSIDE_FILE, "报告中的表格文件“%s”不在报告目录中，不会读取，已按原文显示为文字："
                                    "请把表格文件放进 reports/ 下，或把表格直接写进报告。", self.options["file"])
        return super().run()

    def _refuse(self, subtype: kinds.Kind, message: str, value: str) -> list[nodes.Node]:
        note(self.state.document, self.lineno, subtype, message % urls.visible(value)[:60])
        block = nodes.literal_block(self.block_text, self.block_text, classes=["refused-markup"], language="text")
        return [block]


def escape_theme_titles(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context``, after sphinx-book-theme: its page titles are plain text, not HTML.

    The theme sets ``pagetitle`` (printed as the ``<h1>`` of the print view) and
    ``root_title`` from ``title.astext()`` and its templates print them unescaped, so a
    title's ``<img onerror=…>``, shown as text on the page, would run there.
    ``markupsafe.escape`` leaves a value that is already markup as it is.
    """
    for key in ("pagetitle", "root_title"):
        if isinstance(context.get(key), str):
            context[key] = markupsafe.escape(context[key])


def strip_controls(app: Sphinx, docname: str, content: list[str]) -> None:
    """``source-read``: a report is parsed without its control characters (found by :mod:`shuzhi.report.controls`)."""
    if is_report(app.config, docname):
        content[0] = controls.strip(content[0])


def setup(app: Sphinx) -> None:
    app.add_directive("csv-table", ConfinedCSVTable, override=True)
    app.connect("source-read", strip_controls)
    app.connect("html-page-context", escape_theme_titles, priority=900)
    # Before Sphinx's own collectors (priority 500), which copy the first heading into
    # env.titles: a raw node left there reaches every toctree, the sidebar and the page's
    # <title> unescaped. And so before the report is recorded and linked (build/reading.py, 600).
    app.connect("doctree-read", neutralise, priority=400)
