"""The page's table of contents made by shuzhi.html.page_toc is the theme's, to the byte (fast tier).

pydata-sphinx-theme's ``generate_toc_html()`` parses the page's TOC with BeautifulSoup;
``page_toc.render`` makes the same HTML without it, or gives up (None) and leaves it to the theme.
"""

from __future__ import annotations

import pytest
from pydata_sphinx_theme import toctree as theme_toctree

from shuzhi.html import page_toc


def theirs(toc: str, show_toc_level: int = 2):
    """What the theme's ``generate_toc_html()`` returns for a page whose TOC is *toc*."""
    context = {"toc": toc, "theme_show_toc_level": show_toc_level}
    theme_toctree.add_toctree_functions(None, "page", "page.html", context, None)
    return context["generate_toc_html"]()


#: A page's TOC as Sphinx writes it: its title, its parts and their sections.
REPORT = (
    '<ul>\n<li><a class="reference internal" href="#">2023年度述职报告</a><ul>\n'
    '<li><a class="reference internal" href="#part-a">一、工作成效</a><ul>\n'
    '<li><a class="reference internal" href="#part-a-1">（一）强化履职担当</a></li>\n'
    '<li><a class="reference internal" href="#part-a-2">（二）加强基层党组织建设</a><ul>\n'
    '<li><a class="reference internal" href="#deep">更深一层</a></li>\n</ul>\n</li>\n</ul>\n</li>\n'
    '<li><a class="reference internal" href="#part-b">二、存在问题</a></li>\n</ul>\n</li>\n</ul>\n'
)

CASES = {
    "report": (REPORT, 2),
    "shown to the first level only": (REPORT, 0),
    "title alone": ('<ul>\n<li><a class="reference internal" href="#">标题</a></li>\n</ul>\n', 2),
    "two titles": ('<ul>\n<li><a class="reference internal" href="#">甲</a></li>\n'
                   '<li><a class="reference internal" href="#b">乙</a><ul>\n'
                   '<li><a class="reference internal" href="#c">丙</a></li>\n</ul>\n</li>\n</ul>\n', 2),
    "escaped text": ('<ul>\n<li><a class="reference internal" href="#">A &amp; B &lt;b&gt; &quot;引号&quot; '
                     'a&#64;b.c \'单\'</a><ul>\n<li><a class="reference internal" href="#x">&lt;img src=x&gt;</a>'
                     '</li>\n</ul>\n</li>\n</ul>\n', 2),
    "markup in a heading": ('<ul>\n<li><a class="reference internal" href="#">标题</a><ul>\n'
                            '<li><a class="reference internal" href="#c"><code class="docutils literal notranslate">'
                            '<span class="pre">x</span></code> 与 <em>强调</em></a></li>\n</ul>\n</li>\n</ul>\n', 2),
    "an entry without a link": ('<ul>\n<li><a class="reference internal" href="#">标题</a><ul>\n'
                                '<li><span>无链接</span><ul>\n<li><a class="reference internal" href="#d">下一级</a>'
                                '</li>\n</ul>\n</li>\n</ul>\n</li>\n</ul>\n', 2),
    "quotes in an attribute": ('<ul>\n<li><a class="reference internal" href="#">标题</a><ul>\n'
                               '<li><a class="reference internal" href="#&quot;x">甲</a></li>\n'
                               '<li><a class="reference internal" href="#&quot;x\'y">乙</a></li>\n</ul>\n</li>\n</ul>\n',
                               2),
    "a list of its own class": ('<ul class="simple">\n<li><a class="reference internal" href="#">标题</a>'
                                '<ul class="simple">\n<li><a class="reference internal" href="#e">节</a></li>\n'
                                '</ul>\n</li>\n</ul>\n', 2),
    "no list": ("\n", 2),
}


@pytest.mark.parametrize("toc, level", CASES.values(), ids=CASES.keys())
def test_the_html_is_the_themes(toc: str, level: int) -> None:
    assert str(page_toc.render(toc, level)) == str(theirs(toc, level))


@pytest.mark.parametrize("toc, level", CASES.values(), ids=CASES.keys())
def test_the_templates_show_it_when_the_theme_does(toc: str, level: int) -> None:
    # page-toc.html shows the list when `page_toc | length >= 1`; the header's button, when it is true.
    ours, expected = page_toc.render(toc, level), theirs(toc, level)
    assert (len(ours) >= 1, bool(ours)) == (len(expected) >= 1, bool(expected))


UNKNOWN = {
    "empty": "",
    "a void element": '<ul>\n<li><a href="#">甲<br />乙</a><ul>\n<li><a href="#b">丙</a></li>\n</ul>\n</li>\n</ul>\n',
    "an entity docutils does not write": '<ul>\n<li><a href="#">甲&nbsp;乙</a></li>\n</ul>\n',
    "a bare ampersand": '<ul>\n<li><a href="#">甲 & 乙</a></li>\n</ul>\n',
    "badly nested": '<ul>\n<li><a href="#">甲</li></a>\n</ul>\n',
    "not closed": '<ul>\n<li><a href="#">甲</a>\n</ul>\n',
    "an attribute without quotes": '<ul>\n<li><a href=#>甲</a></li>\n</ul>\n',
    "a script": '<ul>\n<li><script>x</script></li>\n</ul>\n',
    "a split attribute": '<ul>\n<li><a rel="a b" href="#">甲</a></li>\n</ul>\n',
    "the theme's own class": '<ul>\n<li class="toc-h1"><a href="#">甲</a></li>\n</ul>\n',
}


@pytest.mark.parametrize("toc", UNKNOWN.values(), ids=UNKNOWN.keys())
def test_markup_it_does_not_follow_is_left_to_the_theme(toc: str) -> None:
    assert page_toc.render(toc, 2) is None


def test_a_level_that_is_not_a_number_is_left_to_the_theme() -> None:
    assert page_toc.render(REPORT, "2") is None


PAGE = """\
---
orphan: true
---

# 标题 & "引号" 'single' <b>粗</b> a@b.c

## 一、`code` 部分

### （一）小节 &amp; 实体

#### 更深一层

## 二、*强调* 部分
"""


@pytest.mark.sphinx("html", testroot="title-html", srcdir="page-toc")
def test_every_page_of_a_build_shows_the_themes_toc_without_its_parser(app, monkeypatch) -> None:
    (app.srcdir / "toc.md").write_text(PAGE, encoding="utf-8")
    parsed: list[str] = []

    class Parser(theme_toctree.BeautifulSoup):
        def __init__(self, markup, *args, **kwargs) -> None:
            parsed.append(markup)
            super().__init__(markup, *args, **kwargs)

    monkeypatch.setattr(theme_toctree, "BeautifulSoup", Parser)
    pages = {}

    def compare(app, pagename, templatename, context, doctree) -> None:
        if "toc" in context:
            pages[pagename] = (str(context["shuzhi_page_toc"]), str(context["generate_toc_html"]()), context["toc"])

    app.connect("html-page-context", compare, priority=999)
    app.build(force_all=True)
    assert set(pages) == {"index", "reports/a", "toc"}
    assert all(ours == expected for ours, expected, _ in pages.values())
    assert pages["toc"][0].count('nav-link"') == 4  # the page's parts and sections
    # The theme parsed each page's TOC only when the test asked for it, after the page's templates.
    tocs = [toc for _, _, toc in pages.values()]
    assert [markup for markup in parsed if markup in tocs] == tocs
