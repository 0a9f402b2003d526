"""Reports are self-contained: an ``include`` directive in a report is reported and its content dropped.

A report is one editor's text for one unit and year; the site, the PDF and
the checks treat each file as the whole report. Content pulled in from
another file would be checked with the wrong file's lines, would change
whenever that other file changes, and could publish any file the build can
read (``../../conf.py``). So the included text is replaced by nothing when
MyST reads it (``include-read``), and the report gets an ``include`` finding
at the directive's line saying what to do. Other pages may still include.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import TYPE_CHECKING

from .config import is_report
from .records import Finding

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: ```{include} path``` or :::{include} path, as MyST writes a directive.
_DIRECTIVE = re.compile(r"^\s*(?:`{3,}|~{3,}|:{3,})\s*\{include\}\s*(?P<path>\S.*?)\s*$")
_TEMP_KEY = "shuzhi_includes"


def drop_included(app: Sphinx, relative_path: PurePath, parent_docname: str, content: list[str]) -> None:
    """``include-read``: in a report, include nothing, and remember what was asked for."""
    docname = app.env.docname  # MyST passes the parent's file stem, not its docname
    if not is_report(app.config, docname):
        return
    content[0] = ""
    app.env.temp_data.setdefault(_TEMP_KEY, []).append(str(relative_path))


def written(docname: str, lines: list[str]) -> list[Finding]:
    """One finding per include directive written in the report's source *lines* (no Sphinx needed)."""
    found = []
    for number, line in enumerate(lines, 1):
        if match := _DIRECTIVE.match(line):
            found.append(Finding(docname, number, "include", (
                f"第 {number} 行用 include 指令引入了另一个文件“{match['path']}”。述职报告必须自成一体，"
                "被引入的内容没有发布。请把需要的内容直接写进本报告，并删除这条指令。")))
    return found


def findings(app: Sphinx, docname: str, lines: list[str]) -> list[Finding]:
    """The written includes, and one for an include the pattern missed but the build saw."""
    asked = app.env.temp_data.get(_TEMP_KEY, [])
    found = written(docname, lines)
    if asked and not found:  # written in a way the pattern does not know: still say so
        found.append(Finding(docname, 1, "include", (
            f"报告用 include 指令引入了另一个文件“{asked[0]}”。述职报告必须自成一体，"
            "被引入的内容没有发布。请把需要的内容直接写进本报告，并删除这条指令。")))
    return found


def setup(app: Sphinx) -> None:
    app.connect("include-read", drop_included)
