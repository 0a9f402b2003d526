"""The site's Content-Security-Policy, made to fit the built pages.

The web server sends the policy (``docs/nginx/dangjian-csp.conf``, included by the
nginx configuration). It allows scripts from the site itself and, by their SHA-256,
the few inline scripts that the theme and sphinxcontrib-mermaid write into the pages.
Those hashes change when the theme or mermaid's extension changes what it writes, so
they are computed from the built site (``shuzhi csp``), not typed by hand; the test
suite computes them from its own build and compares them with the committed file.

In the build, the one inline script that differs on every page (pydata-sphinx-theme's
``DOCUMENTATION_OPTIONS.pagename = '…'``) becomes ``_static/shuzhi-pagename.js``,
which reads the name from its tag, so that the policy does not grow with the site; and
``_static/shuzhi-translations.js`` loads Sphinx's translations without the ``new Function``
of doctools.js (the policy allows no ``'unsafe-eval'``).
"""

from __future__ import annotations

import base64
import hashlib
import html.parser
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The policy; ``script-src`` also gets one ``'sha256-…'`` per inline script of the site.
DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    # Styles written by scripts: mermaid draws each diagram as an SVG with its own <style>
    # element and style attributes (ids that differ per diagram and per page view), and
    # sphinxcontrib-mermaid, the theme's fontawesome.js and Sphinx's searchtools.js add <style>
    # elements. Without 'unsafe-inline' the diagrams lose their colours (637 violations on the
    # pages the nginx test visits); no hash can be known in advance. Styles cannot run code,
    # and img-src, font-src and connect-src keep CSS from reaching another server.
    ("style-src", "'self' 'unsafe-inline'"),
    # Bootstrap's CSS (in the theme) draws a few icons as data: SVG images.
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("frame-ancestors", "'self'"),
    ("form-action", "'self'"),
)
#: More distinct inline scripts than this means one of them differs from page to page.
MAX_INLINE_SCRIPTS = 12
#: Script types a browser runs (and so checks against script-src); others are data blocks.
SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module", "importmap"}
#: The nginx include file the policy is written to, relative to the project's root.
INCLUDE = Path("docs") / "nginx" / "dangjian-csp.conf"
COMMAND = f"tox -e shuzhi -- csp --html _build/html --out {INCLUDE.as_posix()}"

PAGENAME_SCRIPT = "shuzhi-pagename.js"
TRANSLATIONS_SCRIPT = "shuzhi-translations.js"
_PAGENAME_BODY = "DOCUMENTATION_OPTIONS.pagename = "


class CspError(Exception):
    """The site cannot be served with the policy; the message says where and why."""


def sha256(text: str) -> str:
    """The CSP source expression of an inline script's text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@dataclass
class InlineScript:
    text: str
    pages: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """The script's first non-blank line, shortened: what the include's comment shows."""
        line = next((line.strip() for line in self.text.splitlines() if line.strip()), "")
        return line if len(line) <= 70 else line[:67] + "..."


class _Scanner(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self._script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f'<{tag} {name}="{value}">')
            elif name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith("javascript:"):
                self.handlers.append(f'<{tag} {name}="{value}">')
        if tag == "script" and "src" not in values and (values.get("type") or "").strip().lower() in SCRIPT_TYPES:
            self._script = []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None


def _pages(site: Path) -> list[Path]:
    return sorted(path for path in site.rglob("*.html")
                  if not any(part.startswith(".") for part in path.relative_to(site).parts))


def inline_scripts(site: Path) -> dict[str, InlineScript]:
    """Every inline script of the built *site*, by its hash; raise CspError on inline event handlers."""
    scripts: dict[str, InlineScript] = {}
    handlers: list[str] = []
    for path in _pages(site):
        page = path.relative_to(site).as_posix()
        scanner = _Scanner()
        scanner.feed(path.read_text(encoding="utf-8"))
        scanner.close()
        handlers += [f"{page}: {handler}" for handler in scanner.handlers]
        for text in scanner.scripts:
            script = scripts.setdefault(sha256(text), InlineScript(text))
            if page not in script.pages:
                script.pages.append(page)
    if handlers:
        raise CspError("页面中有内联事件处理程序或 javascript: 链接，内容安全策略不允许执行它们；"
                       "请改为在脚本文件中用 addEventListener：\n  " + "\n  ".join(handlers))
    if len(scripts) > MAX_INLINE_SCRIPTS:
        listing = "\n  ".join(f"{script.pages[0]}（共 {len(script.pages)} 页）：{script.summary}"
                              for script in scripts.values())
        raise CspError(f"网站有 {len(scripts)} 种不同的内联脚本（多于 {MAX_INLINE_SCRIPTS} 种），"
                       "其中一些应当是每页不同的；请把它们改为脚本文件（参见 shuzhi-pagename.js）：\n  " + listing)
    return scripts


def policy(hashes: list[str]) -> str:
    """The Content-Security-Policy header's value, with *hashes* in script-src."""
    parts = []
    for name, value in DIRECTIVES:
        if name == "script-src":
            value = " ".join([value, *sorted(hashes)])
        parts.append(f"{name} {value}")
    return "; ".join(parts)


def nginx_include(site: Path) -> str:
    """The text of ``docs/nginx/dangjian-csp.conf`` for the built *site*."""
    scripts = inline_scripts(site)
    lines = [
        "# Content-Security-Policy of the site: generated from the built site by",
        f"#   {COMMAND}",
        "# Do not edit by hand: the tests compute it from their own build and compare.",
        "# Included by dangjian-headers.conf. script-src allows, besides the site's own files,",
        "# these inline scripts (by SHA-256), written into the pages by the theme and by",
        "# sphinxcontrib-mermaid:",
    ]
    width = max((len(digest) for digest in scripts), default=0)
    for digest in sorted(scripts):
        lines.append(f"#   {digest.ljust(width)}  {scripts[digest].summary}")
    lines.append(f'add_header Content-Security-Policy "{policy(list(scripts))}" always;')
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- Sphinx


def external_pagename(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """``html-page-context`` (after the theme's): the page name from a script file, not inline."""
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    for index, script in enumerate(scripts):
        if str(getattr(script, "attributes", {}).get("body", "")).startswith(_PAGENAME_BODY):
            scripts[index] = type(script)(f"_static/{PAGENAME_SCRIPT}", priority=script.priority,
                                          **{"data-pagename": pagename})
            return


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", external_pagename, priority=900)
    # After doctools.js (priority 200), before translations.js (500, added after extensions' files).
    app.add_js_file(TRANSLATIONS_SCRIPT, priority=300)
