"""The ``mermaid`` directive, safe with untrusted input (:class:`ConfinedMermaid`).

sphinxcontrib-mermaid's directive reads diagram files, loads d3 from a CDN for ``:zoom:``
and passes a diagram's code to mermaid in the reader's browser and in mermaid-cli's
Chromium at build time. In a report (where a site allows the directive) a diagram that
would load or run something is refused before it is drawn; what is refused is a finding
of the report (:func:`shuzhi.report.pipeline.note`), reported with its other findings on
every build, incremental ones too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from sphinx.util import logging
from sphinxcontrib.mermaid import Mermaid

from ..build.config import is_report
from ..report import kinds
from ..report.pipeline import note
from . import files

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


def _json_object(argument: str) -> str:
    """``:config:``: a JSON object, or a docutils option error (sphinxcontrib-mermaid raises on it)."""
    try:
        value = json.loads(argument or "")
    except ValueError as error:
        raise ValueError(f"不是有效的 JSON（{error}）；请写成 JSON 对象，例如 {{\"theme\": \"neutral\"}}") from None
    if not isinstance(value, dict):
        raise ValueError("应是 JSON 对象，例如 {\"theme\": \"neutral\"}")
    return argument


def _one_line(argument: str) -> str:
    """``:title:``: one line (sphinxcontrib-mermaid writes it into the diagram's YAML front matter)."""
    if "\n" in (argument or ""):
        raise ValueError("标题只能有一行")
    return argument or ""


#: What makes a diagram load something when it is drawn: a URL (absolute, scheme-relative,
#: or a web scheme without slashes), CSS that fetches, and CSS escapes that could spell either.
_EXTERNAL = re.compile(r"url\s*\(|image-set|@import|//|\b(?:https?|ftps?|wss?|file|blob)\s*:|\\", re.IGNORECASE)
#: Script in a diagram: script URLs, and interactions (mermaid's click), which call or link.
_SCRIPT = re.compile(r"\b(?:java|vb)script\s*:|\bdata\s*:\s*[\w.+-]+/|^\s*click\b", re.IGNORECASE | re.MULTILINE)
#: HTML in a label, other than a line break.
_HTML = re.compile(r"(?<!<)<\s*(?!br\s*/?\s*>)[A-Za-z!/?]", re.IGNORECASE)
_PROBLEMS = (
    (kinds.EXTERNAL_RESOURCE, _EXTERNAL, "报告中的 mermaid 图表含有网址或会加载外部资源的样式（url()、@import、图片等），"
                                     "读者打开时会向外网发出请求，已按原文显示为文字：请删除图表中的网址和样式。"),
    (kinds.SCRIPT_LINK, _SCRIPT, "报告中的 mermaid 图表含有脚本链接或交互（javascript:、click 等），已按原文显示为文字："
                             "请删除它们。"),
    (kinds.RAW_HTML, _HTML, "报告中的 mermaid 图表含有 HTML 代码，已按原文显示为文字：请删除图表中的 HTML（换行可写 <br>）。"),
)


def untrusted_diagram_problems(*texts: str) -> list[tuple[kinds.Kind, str]]:
    """(subtype, message) of every kind of problem in a report's diagram code and options."""
    text = "\n".join(texts)
    return [(subtype, message) for subtype, pattern, message in _PROBLEMS if pattern.search(text)]


class ConfinedMermaid(Mermaid):
    """sphinxcontrib-mermaid's directive, safe with untrusted input.

    - ``:config:`` that is not JSON is an error at the directive's line, not a traceback;
    - no ``:zoom:``: it loads d3 from a CDN, and the site works offline;
    - ``:title:`` is one line: it is written into the diagram's YAML front matter;
    - a diagram file (the directive's argument) is read only from inside the site's source
      folder, after resolving symlinks, and in a report only from the report folders;
    - in a report (where a site allows the directive), a diagram with a URL, CSS that
      loads something, script links, interactions or HTML (see :func:`untrusted_diagram_problems`)
      is not drawn: mermaid would load or run it in the reader's browser and in
      mermaid-cli's Chromium at build time. It is shown as the author wrote it, with a
      finding per kind at the directive's line.
    """

    option_spec: ClassVar[dict] = {**{name: spec for name, spec in Mermaid.option_spec.items() if name != "zoom"},
                                   "config": _json_object, "title": _one_line}

    def _in_report(self) -> bool:
        env = self.state.document.settings.env
        return is_report(env.config, env.docname)

    def get_mm_code(self):
        if self.arguments:
            env = self.state.document.settings.env
            path = env.relfn2path(self.arguments[0])[1]
            if self._in_report():
                if not files.confined(path, files.report_roots(env.srcdir, env.config.shuzhi_report_dirs)):
                    note(self.state.document, self.lineno, kinds.OUTSIDE_FILE,
                         f"mermaid 图表文件“{self.arguments[0]}”不在报告目录中，不会读取：请把图表代码直接写在指令中。")
                    return []
            elif not files.confined(path, [Path(env.srcdir).resolve()]):
                logger.warning("mermaid 图表文件“%s”在网站目录之外，不会读取：请把图表代码直接写在指令中。",
                               self.arguments[0], type="shuzhi", subtype=kinds.OUTSIDE_FILE,
                               location=(env.docname, self.lineno))
                return []
        return super().get_mm_code()

    def run(self, **kwargs):
        if not self._in_report():
            return super().run(**kwargs)
        code = self.get_mm_code()
        if not isinstance(code, str):
            return code
        options = [str(self.options.get(name, "")) for name in ("config", "title", "alt", "caption")]
        problems = untrusted_diagram_problems(code, *options)
        if not problems:
            return super().run(**kwargs)
        for subtype, message in problems:
            note(self.state.document, self.lineno, subtype, message)
        return [nodes.literal_block(self.block_text, self.block_text, classes=["refused-markup"], language="text")]


def setup(app: Sphinx) -> None:
    app.add_directive("mermaid", ConfinedMermaid, override=True)
