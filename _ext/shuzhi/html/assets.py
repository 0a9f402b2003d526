"""Static assets: the extension's CSS, and mermaid copied from npm into the build output.

Nothing is loaded from a CDN: sphinxcontrib-mermaid is pointed at the copy in
``_static/mermaid/``, which comes from the npm package pinned in
``package.json``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.errors import ConfigError
from sphinx.util import logging

from ..listings import diagrams

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
MERMAID_ENTRY = "mermaid.esm.min.mjs"
#: Renders the reports' outline diagrams with the copy of mermaid in _static/mermaid/.
OUTLINE_SCRIPT = "shuzhi-outline.mjs"
MERMAID_CHUNKS = Path("chunks") / "mermaid.esm.min"


def _mermaid_dist(app: Sphinx) -> Path | None:
    if not app.config.shuzhi_mermaid_dist:
        return None
    return (Path(app.confdir) / app.config.shuzhi_mermaid_dist).resolve()


def configure(app: Sphinx, config: Config) -> None:
    """``config-inited``: add our static folder and point mermaid at the local copy."""
    if str(STATIC_DIR) not in config.html_static_path:
        # A new list: the value may be Sphinx's default, shared by every build in the process.
        config.html_static_path = [*config.html_static_path, str(STATIC_DIR)]
    if config.shuzhi_mermaid_dist and not config.mermaid_use_local:
        config.mermaid_use_local = f"mermaid/{MERMAID_ENTRY}"


def check_mermaid(app: Sphinx) -> None:
    """``builder-inited``: fail early, with the fix, when mermaid is not installed."""
    dist = _mermaid_dist(app)
    if dist is None or app.builder.format != "html":
        return
    if not (dist / MERMAID_ENTRY).is_file():
        raise ConfigError(
            f"找不到 mermaid 的本地文件 {dist / MERMAID_ENTRY}。"
            "请在项目根目录运行 `npm ci` 安装 package.json 中锁定的 mermaid，"
            "或把 shuzhi_mermaid_dist 设为空字符串以不复制 mermaid。"
        )


def copy_mermaid(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: copy mermaid's ES-module build (no source maps) into _static/mermaid/."""
    dist = _mermaid_dist(app)
    if exception is not None or dist is None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "mermaid"
    (target / MERMAID_CHUNKS).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(dist / MERMAID_ENTRY, target / MERMAID_ENTRY)
    for chunk in sorted((dist / MERMAID_CHUNKS).glob("*.mjs")):
        destination = target / MERMAID_CHUNKS / chunk.name
        if not destination.exists() or destination.stat().st_size != chunk.stat().st_size:
            shutil.copyfile(chunk, destination)


def outline_script(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """``html-page-context``: load the outline's module script on the pages that have one."""
    if doctree is not None and next(doctree.findall(diagrams.outline_diagram), None) is not None:
        app.add_js_file(OUTLINE_SCRIPT, type="module")


def no_mermaid_without_diagrams(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """``html-page-context`` (after sphinxcontrib-mermaid's): no mermaid on generated pages.

    sphinxcontrib-mermaid adds its loader (which imports all of mermaid, some 250 KB with
    gzip) to every page that has no document, since it cannot look for diagrams there: the
    search page, the general index. They have none.
    """
    scripts = context.get("script_files")
    if doctree is not None or not isinstance(scripts, list):
        return
    scripts[:] = [script for script in scripts
                  if "import mermaid" not in str(getattr(script, "attributes", {}).get("body", ""))]


def setup(app: Sphinx) -> None:
    app.add_node(diagrams.outline_diagram,
                 html=(diagrams.visit_outline_diagram, None),
                 latex=(diagrams.skip, None), text=(diagrams.skip, None), man=(diagrams.skip, None),
                 texinfo=(diagrams.skip, None))
    app.connect("html-page-context", outline_script)
    app.connect("html-page-context", no_mermaid_without_diagrams, priority=800)
    app.connect("config-inited", configure)
    app.connect("builder-inited", check_mermaid)
    app.connect("build-finished", copy_mermaid)
    app.add_css_file("shuzhi.css")
