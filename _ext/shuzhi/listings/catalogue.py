"""The ``report-catalogue`` directive: a table of every report, built from the records;
``report-years``: the pages that list each year's reports, with their counts; and the year
pages themselves, bounded on the website.

A year page lists its reports with a ``toctree``. On the website, a year with more reports
than ``shuzhi_catalogue_max`` would list them all (hundreds of links on one page); its page
then shows, in place of that list, its reports counted by unit kind (单位类型), each kind
linking to pages of its own that list its reports, at most ``shuzhi_catalogue_max`` a page
(:func:`kind_pages`). The toctree itself is unchanged (the navigation and the PDF use it).

The directive leaves a placeholder node while reading; a
``shuzhi-doctree-resolving`` handler (:mod:`shuzhi.build.resolving`) replaces it with the table
when the page is written, so the table always reflects every report read in this
build. Links are made as the standard domain makes ``doc`` references
(``make_refnode``), so they work in every builder.
"""

from __future__ import annotations

import hashlib
import html
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.util.nodes import make_refnode

from ..build.domain import get_domain
from ..build.resolving import EVENT, holds, listed_reports
from .invalidation import ListingDirective, fill_list

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from ..report.records import ReportRecord


class report_catalogue(nodes.General, nodes.Element):
    """Placeholder for the catalogue table, replaced at write time."""


class ReportCatalogue(ListingDirective):
    """``{report-catalogue}``: 序号, 标题, 单位类型, 年度, 字数 for every report."""

    kind = "catalogue"
    node_class = report_catalogue


class report_years(nodes.General, nodes.Element):
    """Placeholder for the list of year pages, replaced at write time."""


class ReportYears(ListingDirective):
    """``{report-years}``: a link to each page that lists reports (a year's index), with its count.

    What a visible ``toctree`` of the year pages shows, at a constant cost: to show a
    toctree, Sphinx copies the contents of every page below it (every report of every
    year) and only then cuts the copy to ``:maxdepth:``, which costs a home page half a
    second at 500 reports. The site's toctree of years stays, hidden, for the navigation.
    """

    kind = "catalogue"
    node_class = report_years


COLUMNS = ("序号", "标题", "单位类型", "年度", "字数")


def doc_link(builder: Builder, fromdoc: str, record: ReportRecord, text: str | None = None,
             title: str | None = None) -> nodes.reference:
    """A link to a report, made as the standard domain resolves a ``doc`` reference.

    Listings link to reports read in this build, so there is nothing to look up: made
    directly, the thousands of links of a large site's listings cost nothing to resolve.
    """
    text = record.title if text is None else text
    return make_refnode(builder, fromdoc, record.docname, "", nodes.inline(text, text, classes=["doc"]), title)


Cell = nodes.Node | str


def table(headers: Sequence[Cell], rows: list[list[Cell]], widths: list[int], classes: list[str],
          builder: Builder | None = None, fromdoc: str = "") -> nodes.Element:
    """A plain table of *rows* under *headers* (cells: text, or inline nodes and links).

    For LaTeX (and any builder but HTML) a docutils table. For HTML (*builder* given)
    the table's markup itself, as docutils and the theme would write it: a listing of
    thousands of reports is then one node rather than tens of thousands, which every
    post-transform, the translator and the search indexer would otherwise walk.

    Generated tables repeat what the reports say (titles, counts): they are left out
    of the search index (Sphinx's ``no-search`` class), so a search finds the reports.
    """
    classes = [*classes, "no-search"]
    if builder is not None and builder.format == "html":
        return _html_table(headers, rows, classes, builder, fromdoc)
    tbl = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(headers))
    tbl += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head += nodes.row("", *(nodes.entry("", _paragraph(cell)) for cell in headers))
    body = nodes.tbody()
    group += body
    for cells in rows:
        body += nodes.row("", *(nodes.entry("", _paragraph(cell)) for cell in cells))
    return tbl


def _paragraph(cell: Cell) -> nodes.paragraph:
    para = nodes.paragraph()
    para += nodes.Text(cell) if isinstance(cell, str) else cell
    return para


def _html_table(headers: Sequence[Cell], rows: list[list[Cell]], classes: list[str], builder: Builder,
                fromdoc: str) -> nodes.raw:
    def cell(tag: str, value: Cell) -> str:
        attrs = ' class="head"' if tag == "th" else ""
        return f"<{tag}{attrs}><p>{_html(value, builder, fromdoc)}</p></{tag}>"

    out = [f'<div class="pst-scrollable-table-container"><table class="{" ".join(classes)} table">',
           '<thead>\n<tr class="row-odd">' + "\n".join(cell("th", value) for value in headers) + "\n</tr>\n</thead>",
           "<tbody>"]
    for number, cells in enumerate(rows):
        parity = "even" if number % 2 == 0 else "odd"
        out.append(f'<tr class="row-{parity}">' + "\n".join(cell("td", value) for value in cells) + "\n</tr>")
    out.append("</tbody>\n</table>\n</div>\n")
    return nodes.raw("", "\n".join(out), format="html", classes=["no-search"])


def _html(value: Cell, builder: Builder, fromdoc: str) -> str:
    """The HTML of a cell: text, ``inline`` spans, references and (resolved) ``pending_xref``."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, nodes.Text):
        return html.escape(value.astext(), quote=False)
    if isinstance(value, addnodes.pending_xref):
        domain = builder.env.get_domain(value["refdomain"])
        content = value.children[0] if value.children else nodes.Text(value["reftarget"])
        resolved = domain.resolve_xref(builder.env, fromdoc, builder, value["reftype"], value["reftarget"],
                                       value, content)
        if resolved is None:
            return _html(content, builder, fromdoc)
        resolved["classes"] = [*value.get("classes", []), *resolved.get("classes", [])]  # as Sphinx's resolver
        return _html(resolved, builder, fromdoc)
    inner = "".join(_html(child, builder, fromdoc) for child in value.children)
    classes = " ".join(value.get("classes", []))
    if isinstance(value, nodes.reference):
        kind = "internal" if value.get("internal") or not value.get("refuri", "").startswith(("http:", "https:")) else "external"
        href = value.get("refuri") or "#" + value.get("refid", "")
        title = f' title="{html.escape(value["reftitle"])}"' if value.get("reftitle") else ""
        return f'<a class="reference {kind}{" " + classes if classes else ""}" href="{html.escape(href)}"{title}>{inner}</a>'
    if isinstance(value, nodes.inline):
        return f'<span class="{html.escape(classes)}">{inner}</span>' if classes else f"<span>{inner}</span>"
    return inner


def resolve_catalogues(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``shuzhi-doctree-resolving``: replace each catalogue placeholder with the table.

    Before references are resolved, so that the ``doc`` links it creates get resolved.
    """
    limit = app.config.shuzhi_catalogue_max if app.builder.format == "html" else 0
    if not holds(doctree, report_catalogue):
        return
    for node in list(doctree.findall(report_catalogue)):
        rows = []
        records = listed_reports(app, app.env)
        for number, record in enumerate(records[:limit] if limit > 0 else records, start=1):
            meta = record.metadata
            rows.append([str(number), doc_link(app.builder, docname, record),
                         meta.get("unit_kind", ""), meta.get("year", ""), f"{record.length:,}"])
        if not rows:
            node.replace_self(nodes.paragraph(text="尚无述职报告。"))
            continue
        result: list[nodes.Node] = [table(COLUMNS, rows, [6, 50, 14, 8, 10], ["report-catalogue"], app.builder, docname)]
        if len(rows) < len(records):
            # A page of constant size: the rest is on the year pages (and in the search).
            note = nodes.paragraph(classes=["report-catalogue-more"])
            note += nodes.Text(f"以上是最新的 {len(rows)} 篇，共 {len(records)} 篇；全部报告按年度列在：")
            for index, (page, count) in enumerate(year_pages(app)):
                title = app.env.titles[page].astext() if page in app.env.titles else page
                if index:
                    note += nodes.Text("、")
                note += make_refnode(app.builder, docname, page, "", nodes.inline(title, title, classes=["doc"]))
                note += nodes.Text(f"（{count} 篇）")
            note += nodes.Text("。")
            result.append(note)
        node.replace_self(result)


def year_pages(app: Sphinx) -> list[tuple[str, int]]:
    """(docname, number of reports) of each page whose toctree lists reports, newest year first."""
    env = app.env
    parent = {child: page for page, children in env.toctree_includes.items() for child in children}
    counts: dict[str, int] = {}
    for record in get_domain(env).sorted_reports():
        if record.docname in parent:
            counts[parent[record.docname]] = counts.get(parent[record.docname], 0) + 1
    return list(counts.items())


def resolve_years(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``shuzhi-doctree-resolving``: replace each list-of-years placeholder with the list."""

    def item(row: tuple[str, int]) -> nodes.list_item:
        page, count = row
        title = app.env.titles[page].astext() if page in app.env.titles else page
        para = nodes.paragraph()
        para += make_refnode(app.builder, docname, page, "", nodes.inline(title, title, classes=["doc"]))
        para += nodes.Text(f"（{count} 篇）")
        return nodes.list_item("", para)

    fill_list(doctree, report_years, lambda: year_pages(app), item, "report-years", "尚无述职报告。")


# --------------------------------------------------------------------------- bounded year pages

#: The kind pages' digests of the last build, in the doctree folder (a page is written when it changes),
#: one file per builder (html and dirhtml may share the doctree folder).
KIND_PAGES_STATE = "shuzhi-kind-pages-{builder}.pickle"
NO_KIND = "未注明单位类型"


def _page_bound(app: Sphinx) -> int:
    """The most reports a year page lists on the website; 0: no bound (and for other builders)."""
    if app.builder.name not in {"html", "dirhtml"}:
        return 0
    return max(0, app.config.shuzhi_catalogue_max)


def _year_reports(app: Sphinx, docname: str) -> list[ReportRecord]:
    """The reports a page's toctrees list, in their order."""
    reports = get_domain(app.env).reports
    return [reports[child] for child in app.env.toctree_includes.get(docname, ()) if child in reports]


def _by_kind(app: Sphinx, records: list[ReportRecord]) -> list[tuple[str, list[ReportRecord]]]:
    """The reports grouped by unit kind, in the order of ``shuzhi_unit_kinds`` (others after them)."""
    groups: dict[str, list[ReportRecord]] = {}
    for record in records:
        groups.setdefault(str(record.metadata.get("unit_kind", "") or "").strip() or NO_KIND, []).append(record)
    order = {kind: number for number, kind in enumerate(app.config.shuzhi_unit_kinds)}
    return sorted(groups.items(), key=lambda item: (item[0] == NO_KIND, order.get(item[0], len(order)), item[0]))


def _kind_pagename(docname: str, kind: str, page: int) -> str:
    """``<year folder>/kind-<digest of the kind>[-<page>]``: the kind is untrusted text, never a file name."""
    folder = docname.rpartition("/")[0]
    stem = "kind-" + hashlib.sha256(kind.encode("utf-8")).hexdigest()[:10] + (f"-{page}" if page > 1 else "")
    return f"{folder}/{stem}" if folder else stem


def _page_count(count: int, bound: int) -> int:
    return (count + bound - 1) // bound


def bound_year_pages(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``shuzhi-doctree-resolving``: a year page with too many reports shows them by unit kind.

    The reports leave the page's toctree as it is shown (the toctree is resolved after this),
    and a table of the unit kinds, with their counts and pages, follows it.
    """
    bound = _page_bound(app)
    if not bound:
        return
    records = _year_reports(app, docname)
    if len(records) <= bound:
        return
    listed = {record.docname for record in records}
    for toctree in doctree.findall(addnodes.toctree):
        toctree["entries"] = [entry for entry in toctree["entries"] if entry[1] not in listed]
        if not toctree["entries"]:
            toctree["hidden"] = True
    groups = _by_kind(app, records)
    paged = any(len(group) > bound for _, group in groups)
    rows: list[list[Cell]] = []
    for kind, group in groups:
        def link(page: int, text: str, kind: str = kind) -> nodes.reference:
            uri = app.builder.get_relative_uri(docname, _kind_pagename(docname, kind, page))
            return nodes.reference(text, text, internal=True, refuri=uri)
        row: list[Cell] = [link(1, kind), str(len(group))]
        if paged:
            pages = nodes.inline()
            for page in range(1, _page_count(len(group), bound) + 1):
                if page > 1:
                    pages += nodes.Text(" · ")
                pages += link(page, f"第 {page} 页")
            row.append(pages)
        rows.append(row)
    one_year = len({str(record.metadata.get("year", "")) for record in records}) == 1
    note = nodes.paragraph(classes=["report-year-summary", "no-search"], text=(
        f"{'本年度' if one_year else '本页'}共 {len(records)} 篇报告，按单位类型分列如下，每页最多 {bound} 篇；"
        "也可在站内搜索中按年度和单位类型筛选。"))
    headers = ["单位类型", "篇数", *(["分页"] if paged else [])]
    summary = [note, table(headers, rows, [30, 10, 60][:len(headers)], ["report-year-kinds"], app.builder, docname)]
    first = next(iter(doctree.findall(addnodes.toctree)), None)
    anchor = first.parent if first is not None and isinstance(first.parent, nodes.compound) else first
    if anchor is not None and anchor.parent is not None:
        anchor.parent.insert(anchor.parent.index(anchor) + 1, summary)
    else:
        doctree.extend(summary)


def _title(app: Sphinx, docname: str) -> str:
    return app.env.titles[docname].astext() if docname in app.env.titles else docname


def _kind_page_title(app: Sphinx, docname: str, kind: str, page: int, pages: int) -> str:
    return f"{_title(app, docname)} · {kind}" + (f"（第 {page}/{pages} 页）" if pages > 1 else "")


def _kind_page_body(app: Sphinx, docname: str, pagename: str, kind: str, group: list[ReportRecord],
                    page: int, pages: int, bound: int) -> str:
    year_title = _title(app, docname)
    heading = _kind_page_title(app, docname, kind, page, pages)
    start = (page - 1) * bound
    rows: list[list[Cell]] = [[str(number), doc_link(app.builder, pagename, record), f"{record.length:,}"]
                              for number, record in enumerate(group[start:start + bound], start=start + 1)]
    back = html.escape(app.builder.get_relative_uri(pagename, docname))
    out = [f'<section id="report-kind-page"><h1>{html.escape(heading)}</h1>',
           f'<p class="report-kind-count">{html.escape(year_title)}单位类型为“{html.escape(kind)}”的报告共 {len(group)} 篇'
           f'{f"，本页列出第 {start + 1}–{start + len(rows)} 篇" if pages > 1 else ""}。'
           f' <a class="reference internal" href="{back}">返回{html.escape(year_title)}</a></p>']
    raw = table(("序号", "标题", "字数"), rows, [8, 80, 12], ["report-kind-list"], app.builder, pagename)
    out.append(raw.astext())
    if pages > 1:
        links = []
        for number in range(1, pages + 1):
            if number == page:
                links.append(f'<span aria-current="page">第 {number} 页</span>')
            else:
                uri = html.escape(app.builder.get_relative_uri(pagename, _kind_pagename(docname, kind, number)))
                links.append(f'<a class="reference internal" href="{uri}">第 {number} 页</a>')
        out.append(f'<nav class="report-kind-pages" aria-label="分页">{" · ".join(links)}</nav>')
    out.append("</section>")
    return "\n".join(out)


def kind_pages(app: Sphinx) -> list[tuple[str, dict, str]]:
    """``html-collect-pages``: the pages of each unit kind of each year page with too many reports.

    A page is written when what it shows changed since the last build (or it is missing), so
    that editing one report does not rewrite a year's dozens of pages.
    """
    bound = _page_bound(app)
    if not bound:
        return []
    state_path = Path(app.doctreedir) / KIND_PAGES_STATE.format(builder=app.builder.name)
    try:
        before: dict[str, str] = pickle.loads(state_path.read_bytes())
    except (OSError, ValueError, pickle.UnpicklingError, EOFError, TypeError):
        before = {}
    info = getattr(app.builder, "build_info", None)
    settings = repr((getattr(info, "config_hash", ""), getattr(info, "tags_hash", "")))
    now: dict[str, str] = {}
    result = []
    for docname, _count in year_pages(app):
        records = _year_reports(app, docname)
        if len(records) <= bound:
            continue
        for kind, group in _by_kind(app, records):
            pages = _page_count(len(group), bound)
            for page in range(1, pages + 1):
                pagename = _kind_pagename(docname, kind, page)
                body = _kind_page_body(app, docname, pagename, kind, group, page, pages, bound)
                title = _kind_page_title(app, docname, kind, page, pages)
                digest = hashlib.sha256(repr((settings, title, body)).encode("utf-8")).hexdigest()
                now[pagename] = digest
                if before.get(pagename) != digest or not Path(app.builder.get_outfilename(pagename)).is_file():
                    result.append((pagename, {"title": title, "body": body}, "page.html"))
    for pagename in set(before) - set(now):  # a kind, or a page of it, no longer listed
        Path(app.builder.get_outfilename(pagename)).unlink(missing_ok=True)
    if now != before:
        state_path.parent.mkdir(parents=True, exist_ok=True)
        state_path.write_bytes(pickle.dumps(now, pickle.HIGHEST_PROTOCOL))
    return result


def setup(app: Sphinx) -> None:
    app.add_node(report_catalogue)
    app.add_node(report_years)
    app.add_directive("report-catalogue", ReportCatalogue)
    app.add_directive("report-years", ReportYears)
    app.connect(EVENT, resolve_catalogues)
    app.connect(EVENT, resolve_years)
    app.connect(EVENT, bound_year_pages)
    app.connect("html-collect-pages", kind_pages)
