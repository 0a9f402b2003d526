"""The glossary page's search box: ``{glossary-search}`` filters the entries as one types.

The box is plain HTML (a raw node, so the LaTeX/PDF output has no trace of
it); ``static/shuzhi-glossary-search.js`` does the filtering in the browser,
offline, from the page itself and ``window.SHUZHI_GLOSSARY`` (pinyin,
initials, aliases of every entry): by characters of a term or alias, by full
pinyin with or without spaces (``sanhuiyike``, ``san hui``) and by initials
(``shyk``). The script is added only to pages that have the box.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SCRIPT = "shuzhi-glossary-search.js"
BOX_CLASS = "shuzhi-glossary-search"

# Label, hint, input, live count and the "nothing found" message. Texts are the site's (Chinese).
# The hint is a line of its own, not the box's placeholder, which a phone's narrow box cut off.
# No inline event handler (the server's Content-Security-Policy allows none): the script
# keeps Enter from submitting the form. Without JavaScript the box would do nothing: the
# theme's pst-js-only class hides it then.
BOX_HTML = f"""\
<form class="{BOX_CLASS} pst-js-only" role="search">
  <label for="shuzhi-glossary-query">筛选术语</label>
  <p id="shuzhi-glossary-hint" class="shuzhi-glossary-hint">输入汉字、拼音或首字母，如 三会、sanhuiyike、shyk</p>
  <input id="shuzhi-glossary-query" type="search" autocomplete="off" spellcheck="false"
         placeholder="如 三会、shyk"
         aria-describedby="shuzhi-glossary-hint shuzhi-glossary-count">
  <p id="shuzhi-glossary-count" class="shuzhi-glossary-count" aria-live="polite"></p>
  <p class="shuzhi-glossary-none" hidden>没有匹配的术语。</p>
</form>
"""


class GlossarySearch(SphinxDirective):
    """``{glossary-search}``: a box that filters the glossary entries below it."""

    has_content = False
    option_spec: ClassVar[dict] = {}

    def run(self) -> list[nodes.Node]:
        return [nodes.raw("", BOX_HTML, format="html")]


def add_script(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: nodes.document | None) -> None:
    """``html-page-context``: the filtering script, only on pages with the box."""
    if doctree is not None and BOX_CLASS in context.get("body", ""):
        app.add_js_file(SCRIPT)


def setup(app: Sphinx) -> None:
    app.add_directive("glossary-search", GlossarySearch)
    app.connect("html-page-context", add_script)
