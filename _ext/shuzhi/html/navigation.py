"""The sidebar's navigation: computed once per build, a constant size on every page.

The book theme builds the sidebar of every page from Sphinx's global toctree:
each page resolves and copies the whole tree and re-parses it with
BeautifulSoup, and a page lists every sibling of the current report. With
thousands of reports that is quadratic: most of a build's time, and pages that
grow with the site.

This module reads the navigation tree from the environment once per build
(the root document's toctrees, then ``toctree_includes``) and renders each
page's sidebar from it, in the theme's own markup:

- the home page, then each caption of the root toctrees with its entries;
- only the current page's ancestors are expanded (the theme's ``collapse``);
- an expanded entry with at most ``shuzhi_nav_max_items`` children lists them
  all (a year of a small site looks exactly as before); with more, they are
  grouped by the reports' ``unit_kind`` (front matter), the current page's
  group is open and shows at most ``shuzhi_nav_max_items`` reports around the
  current one, and a link leads to the parent page (the year's list) for the
  rest. The full lists are written once, to ``_static/shuzhi-navigation-data.js``,
  and ``shuzhi-navigation.js`` fills a group in when a reader opens it.

The site uses it by naming the template in ``html_sidebars`` (see ``conf.py``)::

    html_sidebars = {"**": [..., "shuzhi-sidebar-nav.html"]}

Incremental builds: ``env-updated`` compares the tree with the previous build's
and returns the pages whose sidebar changed (all pages when a top-level entry
changed; a parent's pages when its list changed), so no page keeps a stale
sidebar. Editing a report's text changes no sidebar and rewrites nothing more.

The tree and each builder's last signature are the navigation's own data, kept in
its domain (:class:`NavigationDomain`, ``shuzhi-navigation``): made once all documents
are read, in the main process, before the pages are written (and, with ``-j``, forked),
so there is nothing per document to purge or merge.

This module is also a Sphinx extension on its own (``shuzhi.html.navigation``), so
the benchmark can compare the site with and without the rest of ``shuzhi``.
"""

from __future__ import annotations

import html
import json
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from sphinx import addnodes
from sphinx.builders import Builder
from sphinx.domains import Domain

from ..build import config as shuzhi_config

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

TEMPLATE = "shuzhi-sidebar-nav.html"
DATA_FILE = "shuzhi-navigation-data.js"
SCRIPT = "shuzhi-navigation.js"
#: The ☰ and 目录 buttons: focus back on the button, aria-expanded (shuzhi-sidebars.js).
SIDEBARS_SCRIPT = "shuzhi-sidebars.js"
STATIC_DIR = Path(__file__).parent / "static"
#: Front-matter field reports are grouped by in long lists.
GROUP_FIELD = "unit_kind"
OTHER_GROUP = "其他"


def toggle(label: str) -> str:
    """The ▾ that opens and closes an entry's sub-list: a <summary> named for screen readers
    (the theme's has only an icon, and no name)."""
    return (f'<summary aria-label="{html.escape(f"展开或收起“{label}”")}"><span class="toctree-toggle" '
            'role="presentation"><i class="fa-solid fa-chevron-down"></i></span></summary>')


@dataclass(frozen=True)
class Entry:
    """One navigation entry: a document (``docname``) or an external link (``url``)."""

    title: str
    docname: str = ""
    url: str = ""


@dataclass(frozen=True)
class Group:
    """Children of one entry that share a unit kind."""

    label: str
    members: tuple[Entry, ...]


class Navigation:
    """The site's navigation tree, read once from the environment."""

    def __init__(self, env: BuildEnvironment, max_items: int) -> None:
        self.root = env.config.root_doc
        self.max_items = max(1, max_items)
        self.root_title = _title(env, self.root)
        self.captions: list[tuple[str, tuple[Entry, ...]]] = []
        self.children: dict[str, tuple[Entry, ...]] = {}
        self.groups: dict[str, tuple[Group, ...]] = {}
        self.parent: dict[str, str] = {}
        if self.root not in env.all_docs:
            return
        for toctree in env.get_doctree(self.root).findall(addnodes.toctree):
            entries = tuple(_entries(env, toctree["entries"]))
            if entries:
                self.captions.append((toctree.get("caption") or "", entries))
        pending = [entry.docname for _, entries in self.captions for entry in entries if entry.docname]
        seen = {self.root, *pending}
        while pending:
            docname = pending.pop(0)
            kids = tuple(
                Entry(_title(env, child), child) for child in env.toctree_includes.get(docname, ())
                if child in env.all_docs and child not in seen
            )
            if not kids:
                continue
            self.children[docname] = kids
            for kid in kids:
                seen.add(kid.docname)
                self.parent[kid.docname] = docname
                pending.append(kid.docname)
            if len(kids) > self.max_items:
                self.groups[docname] = _group(env, kids)

    # -- what changed between builds ------------------------------------------

    def signature(self, env: BuildEnvironment) -> dict[str, Any]:
        """What each page's sidebar is made of: ``""`` for the top level, a docname for its list."""
        result: dict[str, Any] = {"": (self.max_items, self.root_title, tuple(self.captions))}
        for docname, kids in self.children.items():
            kinds = tuple(_kind(env, kid.docname) for kid in kids) if docname in self.groups else ()
            result[docname] = (kids, kinds)
        return result

    def descendants(self, docname: str) -> Iterator[str]:
        for kid in self.children.get(docname, ()):
            yield kid.docname
            yield from self.descendants(kid.docname)

    # -- rendering --------------------------------------------------------------

    def ancestors(self, docname: str) -> list[str]:
        chain = []
        while docname in self.parent:
            docname = self.parent[docname]
            chain.append(docname)
        return chain

    def render(self, pagename: str, uri: Callable[[str], str]) -> str:
        """The sidebar of *pagename*; *uri* gives a document's URI relative to the page."""
        path = {pagename, *self.ancestors(pagename)}
        out = [f'<nav class="bd-links bd-docs-nav" aria-label="网站导航" data-shuzhi-page="{html.escape(pagename)}">',
               '<div class="bd-toc-item navbar-nav active">',
               '<ul class="nav bd-sidenav bd-sidenav__home-link">',
               _item(1, Entry(self.root_title, self.root), pagename, uri), "</li></ul>"]
        for caption, entries in self.captions:
            if caption:
                out.append(f'<p aria-level="2" class="caption" role="heading"><span class="caption-text">'
                           f"{html.escape(caption)}</span></p>")
            current = any(entry.docname in path for entry in entries)
            out.append(f'<ul class="{"current " if current else ""}nav bd-sidenav">')
            out.extend(self._entries(entries, 1, pagename, path, uri))
            out.append("</ul>")
        out.append("</div></nav>")
        return "\n".join(out)

    def _entries(self, entries: tuple[Entry, ...], level: int, pagename: str, path: set[str],
                 uri: Callable[[str], str]) -> Iterator[str]:
        for entry in entries:
            if entry.docname in path and entry.docname in self.children:
                yield _item(level, entry, pagename, uri, expanded=True)
                yield '<details open="open">' + toggle(entry.title) + '<ul class="current">'
                yield from self._children(entry.docname, level + 1, pagename, path, uri)
                yield "</ul></details></li>"
            else:
                yield _item(level, entry, pagename, uri) + "</li>"

    def _children(self, docname: str, level: int, pagename: str, path: set[str],
                  uri: Callable[[str], str]) -> Iterator[str]:
        kids = self.children[docname]
        if docname not in self.groups:
            yield from self._entries(kids, level, pagename, path, uri)
            return
        groups = self.groups[docname]
        for group in groups:
            current = any(member.docname in path for member in group.members)
            label = html.escape(group.label)
            count = f'<span class="shuzhi-nav-count">{len(group.members)}篇</span>'
            key = html.escape(json.dumps([docname, group.label], ensure_ascii=False))
            if len(groups) > 1:
                yield (f'<li class="toctree-l{level} has-children shuzhi-nav-group{" current" if current else ""}">'
                       f'<span class="shuzhi-nav-label">{label}{count}</span>'
                       f'<details{" open" if current else ""}>{toggle(group.label)}'
                       f'<ul data-shuzhi-nav="{key}" data-shuzhi-level="{level + 1}">')
                inner = level + 1
            else:
                yield f'<li class="shuzhi-nav-list"><ul data-shuzhi-nav="{key}" data-shuzhi-level="{level}">'
                inner = level
            if current:
                yield from self._window(docname, group.members, inner, pagename, path, uri)
            else:
                yield _more(inner, uri(docname), f"查看本组{len(group.members)}篇")
            yield "</ul>" + ("</details></li>" if len(groups) > 1 else "</li>")

    def _window(self, docname: str, members: tuple[Entry, ...], level: int, pagename: str, path: set[str],
                uri: Callable[[str], str]) -> Iterator[str]:
        """At most ``max_items`` members around the current page, and links for the rest."""
        here = next(i for i, member in enumerate(members) if member.docname in path)
        start = min(max(0, here - self.max_items // 2), max(0, len(members) - self.max_items))
        shown = members[start:start + self.max_items]
        if start:
            yield _more(level, uri(docname), f"前面还有{start}篇")
        yield from self._entries(shown, level, pagename, path, uri)
        after = len(members) - start - len(shown)
        if after:
            yield _more(level, uri(docname), f"后面还有{after}篇")

    def data(self, env: BuildEnvironment) -> dict[str, dict[str, list[list[str]]]]:
        """The grouped lists, for ``shuzhi.js``: parent → unit kind → [[docname, title], …]."""
        return {
            docname: {group.label: [[m.docname, m.title] for m in group.members] for group in groups}
            for docname, groups in self.groups.items()
        }


def _title(env: BuildEnvironment, docname: str) -> str:
    node = env.titles.get(docname)
    return node.astext() if node is not None else docname


def _kind(env: BuildEnvironment, docname: str) -> str:
    return str(env.metadata.get(docname, {}).get(GROUP_FIELD, "") or "").strip() or OTHER_GROUP


def _entries(env: BuildEnvironment, raw: list[tuple[str | None, str]]) -> Iterator[Entry]:
    for title, ref in raw:
        if ref in env.all_docs:
            yield Entry(title or _title(env, ref), ref)
        elif "://" in ref:
            yield Entry(title or ref, url=ref)


def _group(env: BuildEnvironment, kids: tuple[Entry, ...]) -> tuple[Group, ...]:
    members: dict[str, list[Entry]] = {}
    for kid in kids:
        members.setdefault(_kind(env, kid.docname), []).append(kid)
    return tuple(Group(label, tuple(entries)) for label, entries in members.items())


def _item(level: int, entry: Entry, pagename: str, uri: Callable[[str], str], *, expanded: bool = False) -> str:
    """An open ``<li>`` with the entry's link (the caller closes it)."""
    classes = [f"toctree-l{level}"]
    link = ["reference"]
    if entry.url:
        link.append("external")
        href = entry.url
    else:
        link.append("internal")
        href = "#" if entry.docname == pagename else uri(entry.docname)
    if entry.docname == pagename or expanded:
        classes += ["current", "active"]
    if entry.docname == pagename:
        link.insert(0, "current")
    if expanded:
        classes.append("has-children")
    return (f'<li class="{" ".join(classes)}"><a class="{" ".join(link)}" href="{html.escape(href)}">'
            f"{html.escape(entry.title)}</a>")


def _more(level: int, href: str, text: str) -> str:
    return (f'<li class="toctree-l{level} shuzhi-nav-more"><a class="reference internal" href="{html.escape(href)}">'
            f"{html.escape(text)}</a></li>")


# -- Sphinx events -------------------------------------------------------------


class NavigationDomain(Domain):
    """The navigation's data in the environment.

    ``tree``: the :class:`Navigation` the pages are written with, made after reading
    (``env-updated``) and set by :func:`outdated_sidebars` (or by :func:`prepare` when an
    HTML builder starts writing without it); ``signatures``: builder name → the tree's
    signature at that builder's last build, set by :func:`outdated_sidebars`, per builder
    because the LaTeX and HTML builds of one site share the environment.
    """

    name = "shuzhi-navigation"
    label = "网站导航"
    initial_data: dict[str, Any] = {"tree": None, "signatures": {}}
    data_version = 1

    @property
    def tree(self) -> Navigation | None:
        return self.data["tree"]

    def signature(self, builder: str) -> dict[str, Any] | None:
        """The tree's signature at *builder*'s last build (None before its first)."""
        return self.data["signatures"].get(builder)

    def set_tree(self, tree: Navigation, builder: str, signature: dict[str, Any] | None = None) -> None:
        """The tree this build writes the pages with; with *signature*, what *builder* wrote."""
        self.data["tree"] = tree
        if signature is not None:
            self.data["signatures"][builder] = signature

    def clear_doc(self, docname: str) -> None:
        """Nothing per document: the tree is made again after every reading."""

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        """Nothing to merge: the tree is made after reading, in the main process."""

    def resolve_any_xref(self, *args: Any) -> list:
        return []


def _domain(env: BuildEnvironment) -> NavigationDomain:
    return env.domains[NavigationDomain.name]


def _uses_html_templates(builder: Builder) -> bool:
    return builder.format == "html" and hasattr(builder, "add_sidebars")


def add_templates(app: Sphinx, config: Any) -> None:
    """``config-inited``: the templates (sidebar, theme overrides), the script, its style, the favicon."""
    # New lists: the values may be Sphinx's defaults, shared by every build in the process.
    config.templates_path = [*config.templates_path, str(Path(__file__).parent / "templates")]
    if str(STATIC_DIR) not in config.html_static_path:
        config.html_static_path = [*config.html_static_path, str(STATIC_DIR)]
    # A favicon drawn for the project (a report on a red ground): without one, every page
    # view logs a 404 for /favicon.ico. A site that sets html_favicon keeps its own.
    if not config.html_favicon:
        config.html_favicon = str(STATIC_DIR / "shuzhi-favicon.svg")


def outdated_sidebars(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: pages whose sidebar differs from the one written last time (HTML builders)."""
    if not _uses_html_templates(app.builder):
        return []
    domain = _domain(env)
    navigation = Navigation(env, app.config.shuzhi_nav_max_items)
    signature = navigation.signature(env)
    previous = domain.signature(app.builder.name)
    # The environment is final now: the pages are written with this tree.
    domain.set_tree(navigation, app.builder.name, signature)
    if previous is None or previous == signature:
        return []
    if previous.get("") != signature[""]:
        return sorted(env.found_docs)
    changed: set[str] = set()
    for docname in signature.keys() | previous.keys():
        if docname and previous.get(docname) != signature.get(docname) and docname in env.found_docs:
            changed.add(docname)
            changed.update(navigation.descendants(docname))
    return sorted(changed & env.found_docs)


def prepare(app: Sphinx, builder: Builder) -> None:
    """``write-started``: the full lists for the browser, before pages are written (and forked)."""
    if not _uses_html_templates(builder):
        return
    domain = _domain(builder.env)
    navigation = domain.tree
    if navigation is None:  # env-updated did not run for an HTML builder
        navigation = Navigation(builder.env, app.config.shuzhi_nav_max_items)
        domain.set_tree(navigation, builder.name)
    static = Path(builder.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    text = "window.SHUZHI_NAV = " + json.dumps(navigation.data(builder.env), ensure_ascii=False,
                                               separators=(",", ":"), sort_keys=True) + ";\n"
    target = static / DATA_FILE
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``: this page's sidebar, for ``shuzhi-sidebar-nav.html``."""
    if not _uses_html_templates(app.builder):
        return
    navigation = _domain(app.env).tree
    if navigation is None:
        return
    context["shuzhi_navigation"] = Markup(navigation.render(pagename, _uris(app.builder, pagename)))


#: Builder → {(folder of a page's URI, docname): URI of the document from that folder}.
_RELATIVE_URIS: weakref.WeakKeyDictionary[Builder, dict[tuple[str, str], str]] = weakref.WeakKeyDictionary()


def _uris(builder: Builder, pagename: str) -> Callable[[str], str]:
    """The URI of a document relative to *pagename*, as ``builder.get_relative_uri`` gives it.

    A sidebar links to the same few dozen documents from every page: Sphinx's relative URI
    from a page to another document depends only on the folder of the page's own URI
    (``sphinx.util.osutil.relative_uri``), so each is computed once per folder. A builder
    with its own ``get_relative_uri`` is asked every time.
    """
    if type(builder).get_relative_uri is not Builder.get_relative_uri:
        return lambda docname: builder.get_relative_uri(pagename, docname)
    folder = builder.get_target_uri(pagename).partition("#")[0].rpartition("/")[0]
    known = _RELATIVE_URIS.setdefault(builder, {})

    def uri(docname: str) -> str:
        if docname == pagename:  # the page itself: "" (its own file name does matter)
            return builder.get_relative_uri(pagename, docname)
        key = (folder, docname)
        if key not in known:
            known[key] = builder.get_relative_uri(pagename, docname)
        return known[key]

    return uri


def setup(app: Sphinx) -> ExtensionMetadata:
    # Declared from the extension's one table of values, whichever of the two extensions comes first.
    shuzhi_config.declare(app, "shuzhi_nav_max_items")
    app.add_domain(NavigationDomain)
    app.connect("config-inited", add_templates)
    app.connect("env-updated", outdated_sidebars)
    app.connect("write-started", prepare)
    # Before the theme's handlers, which render the sidebar templates to drop empty ones.
    app.connect("html-page-context", page_context, priority=400)
    app.add_js_file(DATA_FILE, loading_method="defer")
    app.add_js_file(SCRIPT, loading_method="defer")
    app.add_js_file(SIDEBARS_SCRIPT, loading_method="defer")
    app.add_css_file("shuzhi-navigation.css")
    return {
        "version": "0.1.0",
        # 2: the tree and the signatures moved into the domain.
        "env_version": 2,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
