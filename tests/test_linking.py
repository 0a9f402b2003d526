"""Mentions of glossary concepts in reports become standard term references."""

from __future__ import annotations

from pathlib import Path

import pytest
from docutils import nodes
from sphinx import addnodes

from shuzhi.glossary import linked_text as one_node
from shuzhi.glossary import linking
from shuzhi.glossary.linking import LinkSpan, linked_text
from shuzhi.report.textnodes import replace_child


def linked_doctree(app, docname: str, *, expand: bool = True):
    """Build, and return *docname*'s doctree as Sphinx's ReferencesResolver receives it.

    The links are put in when the page is written (``shuzhi-doctree-resolving``); a
    handler connected after the extension's own sees them: ``pending_xref`` (the
    ``{term}`` role's, and in the PDF every link) or, on the website, the link a known
    term resolves to, tagged with the term for :func:`term_refs`. On the website a text
    whose links all resolve is one ``linked_text`` node; with *expand* it is replaced by
    the nodes it stands for (its ``pieces()``), as the translator writes them.
    """
    seen = {}
    terms = {}

    def keep(app, doctree, name) -> None:
        if name == docname:
            seen["doctree"] = doctree.deepcopy()
            anchors = app.env.domains["shuzhi"].glossary.terms().anchors  # term → its entry's id
            terms.update({anchor: term for term, anchor in anchors.items()})

    app.connect("shuzhi-doctree-resolving", keep, priority=900)
    app.build(force_all=True)  # the root's output may be another test's: write every page
    doctree = seen["doctree"]
    if expand:
        for node in list(doctree.findall(linked_text)):
            replace_child(node, node.pieces())
    doctree["test-terms"] = terms
    return doctree


def is_term_link(node) -> bool:
    """A link to a glossary term: a term ``pending_xref``, or a resolved mention (``shuzhi-term``)."""
    if isinstance(node, addnodes.pending_xref):
        return node.get("reftype") == "term"
    return isinstance(node, nodes.reference) and "shuzhi-term" in node["classes"]


def term_refs(doctree) -> list[tuple[str, str, str]]:
    """(section title, text shown, target) of every term reference, in order."""
    found = []
    for ref in doctree.findall(is_term_link):
        section = ref.parent
        while not isinstance(section, nodes.section):
            section = section.parent
        if isinstance(ref, addnodes.pending_xref):
            target = ref["reftarget"]
        else:
            target = doctree["test-terms"][ref["refuri"].partition("#")[2]]
        found.append((section[0].astext(), ref.astext(), target))
    return found


@pytest.mark.sphinx("html", testroot="glossary-link")
def test_first_mention_per_section_is_linked_longest_match_wins(app) -> None:
    refs = term_refs(linked_doctree(app, "reports/a"))
    assert refs == [
        ("报告甲", "中央八项规定精神", "中央八项规定"),  # longest form, not 八项规定
        ("报告甲", "四风", "四风"),
        # The heading "一、三会一课的落实" is not linked; quotes do not prevent a match.
        ("一、三会一课的落实", "三会一课", "三会一课"),
        ("一、三会一课的落实", "村“两委”", "村“两委”"),
        ("一、三会一课的落实", "一岗双责", "一岗双责"),  # the explicit {term} role; the later mention is not linked again
    ]


@pytest.mark.sphinx("html", testroot="glossary-link")
def test_links_code_and_existing_links_are_left_alone(app) -> None:
    doctree = linked_doctree(app, "reports/a")
    assert len(term_refs(doctree)) == 5
    for literal in doctree.findall(nodes.literal):
        assert not list(literal.findall(is_term_link))
    for reference in doctree.findall(nodes.reference):
        assert not list(reference.findall(is_term_link, include_self=False))
    for title in doctree.findall(nodes.title):
        assert not list(title.findall(is_term_link))
    html = (app.outdir / "reports" / "a.html").read_text(encoding="utf-8")
    assert '<a class="reference external" href="https://example.org/">三会一课的链接</a>' in html


@pytest.mark.sphinx("html", testroot="glossary-link", confoverrides={"shuzhi_link_policy": "all"})
def test_policy_all_links_every_mention(app) -> None:
    shown = [text for _, text, _ in term_refs(linked_doctree(app, "reports/a"))]
    assert shown == ["中央八项规定精神", "四风", "八项规定", "四风", "三会一课", "三会一课", "村“两委”", "“两委”", "一岗双责", "一岗双责"]


@pytest.mark.sphinx("html", testroot="glossary-link", confoverrides={"shuzhi_link_policy": "every"})
def test_invalid_policy_warns_and_falls_back(app) -> None:
    doctree = linked_doctree(app, "reports/a")
    assert "shuzhi_link_policy" in app.warning.getvalue()
    assert len(term_refs(doctree)) == 5


@pytest.mark.sphinx("html", testroot="glossary-link")
def test_references_resolve_to_stable_anchors_in_html(app) -> None:
    app.build()
    html = (app.outdir / "reports" / "a.html").read_text(encoding="utf-8")
    assert 'href="../glossary.html#term-zhong-yang-ba-xiang-gui-ding"' in html
    assert 'href="../glossary.html#term-cun-liang-wei"' in html
    glossary_html = (app.outdir / "glossary.html").read_text(encoding="utf-8")
    assert 'id="term-san-hui-yi-ke"' in glossary_html
    assert app.warning.getvalue() == ""


@pytest.mark.sphinx("latex", testroot="glossary-link")
def test_references_resolve_in_latex_too(app) -> None:
    app.build()
    tex = next(app.outdir.glob("*.tex")).read_text(encoding="utf-8")
    # Marked up as a term reference, as the {term} role is, not as a plain cross-reference.
    assert r"\hyperref[\detokenize{glossary:term-san-hui-yi-ke}]{\sphinxtermref{\DUrole{xref}{\DUrole{std}{\DUrole{std-term}{三会一课}}}}}" in tex
    assert app.warning.getvalue() == ""


@pytest.mark.sphinx("html", testroot="glossary-link")
def test_html_links_hold_the_text_itself(app) -> None:
    # In HTML a mention's link holds its text, with no span inside (two nodes fewer per
    # link while the page is written); an explicit {term} role keeps Sphinx's markup.
    from bs4 import BeautifulSoup

    app.build()
    soup = BeautifulSoup((app.outdir / "reports" / "a.html").read_text(encoding="utf-8"), "html.parser")
    links = {link.get_text(): link for link in soup.select("a.reference.internal")}
    assert links["三会一课"].contents == ["三会一课"]
    assert links["三会一课"]["href"] == "../glossary.html#term-san-hui-yi-ke"
    assert links["三会一课"]["class"] == ["shuzhi-term", "reference", "internal"]
    assert links["一岗双责"].select("span.xref.std.std-term")  # the {term} role


@pytest.mark.sphinx("html", testroot="glossary-link")
def test_html_mentions_reach_the_resolver_already_resolved(app) -> None:
    # On the website a mention of a known term is put in as the link Sphinx would make
    # of it: the resolver has only the {term} role's reference left to resolve.
    doctree = linked_doctree(app, "reports/a")
    pending = [ref.astext() for ref in doctree.findall(addnodes.pending_xref)]
    assert pending == ["一岗双责"]
    links = [(ref.astext(), ref["refuri"], ref["ids"]) for ref in doctree.findall(nodes.reference)
             if "shuzhi-term" in ref["classes"]]
    assert links == [
        ("中央八项规定精神", "../glossary.html#term-zhong-yang-ba-xiang-gui-ding", ["use-zhong-yang-ba-xiang-gui-ding-1"]),
        ("四风", "../glossary.html#term-si-feng", ["use-si-feng-1"]),
        ("三会一课", "../glossary.html#term-san-hui-yi-ke", ["use-san-hui-yi-ke-1"]),
        ("村“两委”", "../glossary.html#term-cun-liang-wei", ["use-cun-liang-wei-1"]),
    ]


@pytest.mark.sphinx("html", testroot="glossary-link", confoverrides={"exclude_patterns": ["glossary.md"]})
def test_a_term_missing_from_the_glossary_page_is_reported_not_fatal(app) -> None:
    # Without the glossary page the standard domain knows no term: each link stays a
    # pending reference that Sphinx reports as dangling, and the text is kept.
    app.build()
    warnings = app.warning.getvalue()
    assert "a.md" in warnings and "三会一课" in warnings and "term not in glossary" in warnings
    html = (app.outdir / "reports" / "a.html").read_text(encoding="utf-8")
    assert '<span class="xref std std-term shuzhi-term" id="use-san-hui-yi-ke-1">三会一课</span>' in html


@pytest.mark.sphinx("html", testroot="glossary-link")
def test_links_are_not_kept_with_the_read_document(app) -> None:
    # Sphinx holds every document read in a build in memory until it is written: the
    # links are put in at write time, and only the mentions are recorded when reading.
    app.build()
    assert term_refs(app.env.get_doctree("reports/a")) == [("一、三会一课的落实", "一岗双责", "一岗双责")]  # the {term} role
    usages = app.env.domains["shuzhi"].usages["reports/a"]
    assert [usage.form for usage in usages if usage.linked] == [
        "中央八项规定精神", "四风", "三会一课", "村“两委”"]


@pytest.mark.sphinx("html", testroot="glossary-link")
def test_each_part_first_mention_is_anchored_in_html(app) -> None:
    # The glossary's 使用情况 links to these anchors. A linked mention carries its anchor
    # on the link's text; a mention that is not linked (here: after the {term} role in
    # the same section) gets an anchor of its own.
    from bs4 import BeautifulSoup

    app.build()
    soup = BeautifulSoup((app.outdir / "reports" / "a.html").read_text(encoding="utf-8"), "html.parser")
    on_links = {link["id"] for link in soup.select("a.shuzhi-term.reference.internal[id^='use-']")}
    alone = {span["id"] for span in soup.select("span.target[id^='use-']")}
    usages = app.env.domains["shuzhi"].usages["reports/a"]
    assert on_links | alone == {usage.target_id for usage in usages}
    assert on_links and alone and not on_links & alone


@pytest.mark.sphinx("latex", testroot="glossary-link")
def test_each_part_first_mention_is_anchored_in_latex(app) -> None:
    app.build()
    tex = next(app.outdir.glob("*.tex")).read_text(encoding="utf-8")
    for usage in app.env.domains["shuzhi"].usages["reports/a"]:
        assert rf"\label{{\detokenize{{reports/a:{usage.target_id}}}}}" in tex


# --------------------------------------------------------------------------- one node per linked text (website)


def paragraph_texts(doctree) -> list[tuple[str, ...]]:
    """The kinds of the children of each paragraph of a report's doctree that holds a mention."""
    return [tuple(type(child).__name__ for child in para.children) for para in doctree.findall(nodes.paragraph)
            if any(isinstance(child, linked_text) or is_term_link(child) for child in para.children)]


@pytest.mark.sphinx("html", testroot="glossary-link")
def test_html_text_with_resolved_links_is_one_node(app) -> None:
    # Each text whose mentions all link to known terms stays one node, carrying its links
    # (and the anchor of a mention it does not link) as spans.
    doctree = linked_doctree(app, "reports/a", expand=False)
    texts = list(doctree.findall(linked_text))
    assert [(str(text), text.spans) for text in texts] == [
        ("严格落实中央八项规定精神，坚决反对四风。再提八项规定与四风。", (
            LinkSpan(4, 12, ("use-zhong-yang-ba-xiang-gui-ding-1",),
                     refuri="../glossary.html#term-zhong-yang-ba-xiang-gui-ding"),
            LinkSpan(17, 19, ("use-si-feng-1",), refuri="../glossary.html#term-si-feng"))),
        ("落实“三会一课”制度，三会一课要规范，村“两委”和“两委”干部带头。", (
            LinkSpan(3, 7, ("use-san-hui-yi-ke-1",), refuri="../glossary.html#term-san-hui-yi-ke"),
            LinkSpan(19, 24, ("use-cun-liang-wei-1",), refuri="../glossary.html#term-cun-liang-wei"))),
        (" 和一岗双责。", (LinkSpan(2, 2, ("use-yi-gang-shuang-ze-1",)),)),
    ]
    assert not [ref for ref in doctree.findall(nodes.reference) if "shuzhi-term" in ref["classes"]]
    assert texts[0].astext() == texts[0].parent.astext()  # the whole text, for the search and titles


def build_pages(app, monkeypatch) -> tuple[dict, list[str]]:
    """Build every page of *app*: its HTML files, and the texts of the ``linked_text`` nodes walked
    piece by piece (the others were written by the page's ``PieceWriter``)."""
    walked: list[str] = []
    walk = one_node.walk_pieces
    monkeypatch.setattr(one_node, "walk_pieces", lambda translator, node: (walked.append(str(node)), walk(translator, node)))
    app.build(force_all=True)
    monkeypatch.setattr(one_node, "walk_pieces", walk)
    return {path.relative_to(app.outdir): path.read_bytes() for path in app.outdir.rglob("*.html")}, walked


def node_path_pages(app, make_app, monkeypatch, tmp_path) -> dict:
    """Every page of *app*'s root built without ``linked_text`` (every link a node of its own)."""
    pieces: list = []
    with monkeypatch.context() as patch:
        patch.setattr(linking, "compact_links", lambda builder: False)
        nodes_app = make_app("html", srcdir=app.srcdir, builddir=tmp_path / "nodes", confoverrides=app.config.overrides)
        nodes_app.connect("shuzhi-doctree-resolving", lambda app, doctree, name: pieces.extend(doctree.findall(linked_text)),
                          priority=900)
        nodes_app.build(force_all=True)
    assert pieces == []
    return {path.relative_to(nodes_app.outdir): path.read_bytes() for path in nodes_app.outdir.rglob("*.html")}


@pytest.mark.sphinx("html", testroot="glossary-link")
def test_html_of_linked_text_is_the_node_path_html(app, make_app, monkeypatch, tmp_path) -> None:
    # The one node is written exactly as the nodes it stands for: every page of the root
    # built with it and without it is the same, byte for byte. The texts are written by
    # the page's PieceWriter, except the one with an anchor alone, which is walked.
    one_node: list = []
    app.connect("shuzhi-doctree-resolving", lambda app, doctree, name: one_node.extend(doctree.findall(linked_text)),
                priority=900)
    compact, walked = build_pages(app, monkeypatch)
    assert len(one_node) == 5  # three texts in reports/a, two in reports/b
    assert walked == [" 和一岗双责。"]
    assert compact[Path("reports/a.html")].count(b'<a class="shuzhi-term reference internal"') == 4
    assert compact == node_path_pages(app, make_app, monkeypatch, tmp_path)


@pytest.mark.sphinx("html", testroot="glossary-link", confoverrides={"shuzhi_link_policy": "all"})
def test_html_of_repeated_links_is_the_node_path_html(app, make_app, monkeypatch, tmp_path) -> None:
    # Every mention linked: links to the same entry on a page, with an id and without,
    # are written from the same learned tags, and still exactly as the node path writes them.
    compact, walked = build_pages(app, monkeypatch)
    assert walked == []
    page = compact[Path("reports/a.html")].decode()
    assert page.count('<a class="shuzhi-term reference internal" href="../glossary.html#term-si-feng"') == 2
    assert page.count('<a class="shuzhi-term reference internal" href="../glossary.html#term-si-feng">四风</a>') == 1
    assert compact == node_path_pages(app, make_app, monkeypatch, tmp_path)


@pytest.mark.sphinx("html", testroot="glossary-link")
def test_another_extensions_link_writer_writes_the_term_links_too(app, monkeypatch) -> None:
    # An extension that writes links its own way (a handler for reference nodes) writes
    # the glossary links too: with it the texts are walked, not written by a PieceWriter.
    app.add_node(nodes.reference, override=True,
                 html=(lambda self, node: self.body.append("<a-custom>"), lambda self, node: self.body.append("</a-custom>")))
    pages, walked = build_pages(app, monkeypatch)
    assert len(walked) == 5
    page = pages[Path("reports/a.html")].decode()
    assert "严格落实<a-custom>中央八项规定精神</a-custom>，坚决反对<a-custom>四风</a-custom>。" in page


@pytest.mark.sphinx("html", testroot="glossary-link")
def test_copied_linked_text_keeps_its_links(app) -> None:
    # docutils' Text.copy keeps only the text; a copy of the page (or of the node) keeps the links.
    doctree = linked_doctree(app, "reports/a", expand=False)  # itself a deepcopy of the page
    original = next(doctree.findall(linked_text))
    assert len(original.spans) == 2
    for copy in (original.copy(), original.deepcopy(), next(doctree.deepcopy().findall(linked_text))):
        assert type(copy) is linked_text
        assert (str(copy), copy.spans) == (str(original), original.spans)
    assert [(ref.astext(), ref["refuri"]) for ref in original.deepcopy().pieces() if isinstance(ref, nodes.reference)] == [
        ("中央八项规定精神", "../glossary.html#term-zhong-yang-ba-xiang-gui-ding"),
        ("四风", "../glossary.html#term-si-feng")]


@pytest.mark.sphinx("html", testroot="glossary-link")
def test_text_with_a_term_the_site_does_not_know_keeps_its_nodes(app) -> None:
    # A text with one mention the standard domain does not know (here 四风, taken away while
    # the report's mentions are linked) gets a node per link: the known one resolved, the
    # other a pending reference for Sphinx to resolve. The report's other texts are still one node.
    objects = app.env.domains.standard_domain.objects
    removed = {}

    def forget(app, doctree, name) -> None:
        if name == "reports/a":
            removed["四风"] = objects.pop(("term", "四风"))

    def restore(app, doctree, name) -> None:
        if removed:
            objects[("term", "四风")] = removed.pop("四风")

    app.connect("shuzhi-doctree-resolving", forget, priority=100)
    app.connect("shuzhi-doctree-resolving", restore, priority=950)
    doctree = linked_doctree(app, "reports/a", expand=False)
    assert paragraph_texts(doctree) == [
        ("Text", "reference", "Text", "pending_xref", "Text"),
        ("linked_text",),
        ("Text", "reference", "Text", "literal", "Text", "pending_xref", "linked_text"),
    ]
    first = next(para for para in doctree.findall(nodes.paragraph) if para.astext().startswith("严格落实"))
    assert [(ref.astext(), ref.get("refuri", ref.get("reftarget"))) for ref in first.children[1::2]] == [
        ("中央八项规定精神", "../glossary.html#term-zhong-yang-ba-xiang-gui-ding"), ("四风", "四风")]


@pytest.mark.sphinx("html", testroot="glossary-link", confoverrides={"shuzhi_chunked_search": False})
def test_sphinx_search_index_gets_the_link_nodes(app) -> None:
    # Sphinx's own index (without the chunked search) cuts each text node into words on its
    # own: it is fed the pieces, as before, so that it finds the same words.
    doctree = linked_doctree(app, "reports/a", expand=False)
    assert app.builder.indexer is not None
    assert not list(doctree.findall(linked_text))
    assert len(term_refs(doctree)) == 5


def test_a_text_is_replaced_where_it_is_not_where_an_equal_text_is() -> None:
    # Text nodes compare by their text: docutils' Element.replace would replace the first
    # equal sibling (here an earlier linked_text with the same text) instead of the node itself.
    para = nodes.paragraph("", "", linked_text("四风", (LinkSpan(0, 2, (), refuri="g.html#term-si-feng"),)),
                           nodes.strong("", "和"), nodes.Text("四风"))
    replace_child(para[2], [nodes.Text("四"), nodes.Text("风")])
    assert [(type(child).__name__, child.astext()) for child in para.children] == [
        ("linked_text", "四风"), ("strong", "和"), ("Text", "四"), ("Text", "风")]
    assert all(child.parent is para for child in para.children)
