"""The page's table of contents (the secondary sidebar), made without parsing HTML.

pydata-sphinx-theme 0.20 gives the templates ``generate_toc_html()``: it parses the page's
``toc`` (Sphinx's HTML of the page's headings) with BeautifulSoup, adds its classes
(``toc-h2``, ``nav-item``…) and serialises it again. At 500 reports that is about 0.8 s of
an HTML build, most of it in BeautifulSoup, for a few lines of HTML a page.

Before the theme's handlers, :func:`page_context` computes the same HTML with a tokenizer
of the markup Sphinx writes and puts it in the context as ``shuzhi_page_toc``; the
templates that showed ``generate_toc_html()`` (``page-toc.html``, the article header's
``toggle-secondary-sidebar.html``) show it instead. The result is the theme's to the byte
(tests/test_page_toc.py compares the two); markup this tokenizer does not know (a void
element, an unexpected entity, badly nested tags…) leaves ``shuzhi_page_toc`` unset and the
templates call the theme's function as before.

:func:`render` is pure (no Sphinx, no theme): it follows
``pydata_sphinx_theme.toctree.add_toctree_functions.generate_toc_html`` and BeautifulSoup's
``html.parser`` tree builder and ``minimal`` formatter (attributes sorted by name, ``&``,
``<``, ``>`` escaped, ``class`` values joined by one space).
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Before the theme's handlers (500), which render the templates to drop empty ones.
PRIORITY = 450

#: Elements Sphinx writes in a table of contents, each with an end tag (no void element,
#: no raw-text element such as <script>, which HTML parses differently).
ELEMENTS = frozenset({
    "ul", "li", "a", "span", "code", "em", "strong", "sub", "sup", "abbr", "cite", "kbd",
    "samp", "var", "b", "i", "s", "u", "small", "mark", "del", "ins", "q", "dfn", "bdi", "bdo",
})
_TOKEN = re.compile(
    r"<(?P<end>/?)(?P<name>[a-z][a-z0-9]*)(?P<attrs>(?:\s+[a-z][a-z0-9_:.-]*=\"[^\"<>]*\")*)\s*>"
    r"|(?P<text>[^<]+)")
_ATTRIBUTE = re.compile(r"\s+([a-z][a-z0-9_:.-]*)=\"([^\"<>]*)\"")
#: The only entities docutils writes (``&#64;`` is its ``@``); another is left to the theme.
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|#64|#39|#x27);")
_CLASS = re.compile(r"[A-Za-z0-9_-]+(?: [A-Za-z0-9_-]+)*")
#: Attributes BeautifulSoup splits into lists (besides class): left to the theme.
_MULTI_VALUED = frozenset({"rel", "rev", "headers", "accesskey", "dropzone", "accept-charset"})


class _Element:
    __slots__ = ("attrs", "children", "classes", "end", "index", "name")

    def __init__(self, name: str, attrs: dict[str, str], classes: list[str] | None, index: int) -> None:
        self.name = name
        self.attrs = attrs
        self.classes = classes  # None: no class attribute
        self.children: list[_Element | str] = []
        self.index = index  # in the fragment's elements, in document order
        self.end = index + 1  # after its last descendant

    def elements(self) -> list[_Element]:
        return [child for child in self.children if isinstance(child, _Element)]

    def add_class(self, name: str) -> None:
        self.classes = [*(self.classes or []), name]

    def serialise(self) -> str:
        attrs = dict(self.attrs)
        if self.classes is not None:
            attrs["class"] = " ".join(self.classes)
        start = "".join(f" {key}={_quoted(value)}" for key, value in sorted(attrs.items()))
        return f"<{self.name}{start}>{_serialise(self.children)}</{self.name}>"


def _quoted(value: str) -> str:
    value = _escape(value)
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace('"', "&quot;") + '"'


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _serialise(children: list[_Element | str]) -> str:
    return "".join(child.serialise() if isinstance(child, _Element) else _escape(child) for child in children)


def _unescape(text: str) -> str | None:
    """*text* with its entities decoded, or None when it has one docutils does not write."""
    if "&" in text:
        if _ENTITY.sub("", text).count("&"):
            return None
        text = html.unescape(text)
    return text


def _parse(toc: str) -> tuple[list[_Element | str], list[_Element]] | None:
    """The fragment's top-level nodes and all its elements in document order, or None when
    its markup is not Sphinx's."""
    root = _Element("", {}, None, -1)
    order: list[_Element] = []
    stack = [root]
    position = 0
    for match in _TOKEN.finditer(toc):
        if match.start() != position:
            return None
        position = match.end()
        if match["text"] is not None:
            text = _unescape(match["text"])
            if text is None:
                return None
            stack[-1].children.append(text)
            continue
        name = match["name"]
        if name not in ELEMENTS:
            return None
        if match["end"]:
            if match["attrs"] or len(stack) == 1 or stack[-1].name != name:
                return None
            stack.pop().end = len(order)
            continue
        attrs: dict[str, str] = {}
        classes = None
        for key, raw in _ATTRIBUTE.findall(match["attrs"]):
            value = _unescape(raw)
            if value is None or key in attrs or key in _MULTI_VALUED or (key == "class" and classes is not None):
                return None
            if key == "class":
                if not _CLASS.fullmatch(value) or "toc-h" in value:
                    return None
                classes = value.split(" ")
            else:
                attrs[key] = value
        element = _Element(name, attrs, classes, len(order))
        order.append(element)
        stack[-1].children.append(element)
        stack.append(element)
    if position != len(toc) or len(stack) != 1:
        return None
    return root.children, order


def render(toc: str, show_toc_level: Any) -> Markup | None:
    """What pydata-sphinx-theme's ``generate_toc_html()`` shows for the page's *toc*: the
    entries' list, or ``""`` when the page has one title and no section. None: markup this
    function does not follow exactly (the theme's function is then to be used)."""
    if not toc or not isinstance(show_toc_level, int) or isinstance(show_toc_level, bool):
        return None
    parsed = _parse(toc)
    if parsed is None:
        return None
    top, order = parsed

    def first(name: str, start: int = 0, end: int = len(order)) -> _Element | None:
        """BeautifulSoup's ``find``: the first element named *name* in ``order[start:end]``."""
        return next((element for element in order[start:end] if element.name == name), None)

    def add_header_level(ul: _Element | None, level: int) -> None:
        if ul is None:
            return
        if level <= show_toc_level + 1:
            ul.add_class("pst-show_toc_level")
        for li in ul.elements():
            if li.name == "li":
                li.add_class(f"toc-h{level}")
                add_header_level(next((child for child in li.elements() if child.name == "ul"), None), level + 1)

    add_header_level(first("ul"), 1)
    for element in order:
        if element.name == "ul":
            element.add_class("nav")
            element.add_class("section-nav")
            element.add_class("flex-column")
    for element in order:
        if element.name == "li":
            element.add_class("nav-item")
            element.add_class("toc-entry")
            link = first("a", element.index + 1, element.end)
            if link is not None:
                link.add_class("nav-link")

    titles = [element for element in order if "toc-h1" in (element.classes or ())]
    if len(titles) == 1:
        [title] = titles
        inside = order[title.index + 1:title.end]
        if not any("toc-h2" in (element.classes or ()) for element in inside):
            return Markup("")
        entries = first("ul", title.index + 1, title.end)
        if entries is None or not entries.children:
            return None  # the theme's empty list: shown as nothing, but true
        return Markup(entries.serialise())
    return Markup(_serialise(top))


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``, before the theme's: ``shuzhi_page_toc`` for the templates."""
    if "toc" not in context:
        return
    try:  # as the theme's setup_edit_url makes it, after this handler
        level = int(context.get("theme_show_toc_level", 1))
    except (TypeError, ValueError):
        return
    toc = render(context["toc"], level)
    if toc is not None:
        context["shuzhi_page_toc"] = toc


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", page_context, priority=PRIORITY)
