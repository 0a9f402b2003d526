"""Readers on every screen (issue #22): navigation that opens, an interface in Chinese,
no page wider than the screen, legible 待补充 markers, no space from a Chinese line break."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO
from docutils import nodes

from shuzhi.html import assets

#: A phone and a laptop.
WIDTHS = (390, 1366)


@pytest.fixture
def reader(browser, site_server):
    """A page factory: a fresh page at a given width, every non-local request blocked and
    every failed local response (a 404 favicon) recorded."""
    pages = []

    def make(width: int, height: int = 844):
        from conftest import OfflinePage

        offline = OfflinePage(browser, site_server)
        offline.page.set_viewport_size({"width": width, "height": height})
        offline.failed = []
        offline.page.on("response", lambda response: response.status >= 400 and offline.failed.append(response.url))
        pages.append(offline)
        return offline

    yield make
    for offline in pages:
        offline.page.close()


def built_pages(site: Path) -> list[str]:
    return sorted(str(path.relative_to(site)) for path in site.rglob("*.html") if "_static" not in path.parts)


# -- 1. The ☰ button opens the navigation -------------------------------------------------


def _open_toggle(page) -> None:
    toggle = page.locator(".bd-header-article .primary-toggle")
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-label") == "打开网站导航"
    assert toggle.get_attribute("aria-controls") == "pst-primary-sidebar"
    return toggle


@pytest.mark.parametrize("width", [390, 768])
def test_the_menu_button_opens_the_navigation_on_a_narrow_screen(reader, width: int) -> None:
    """Below 992 px the sidebar is hidden and ☰ opens it in a dialog; Esc closes it and
    gives the focus back to ☰; by pointer and by keyboard."""
    offline = reader(width)
    offline.goto("reports/2023/04-jiguan.html")
    page = offline.page
    # One ☰ in the page: the theme's script binds the first .primary-toggle only.
    assert page.locator(".primary-toggle").count() == 1
    toggle = _open_toggle(page)
    assert not page.get_by_role("link", name="术语表").is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    modal = page.locator("#pst-primary-sidebar-modal")
    toggle.click()
    page.wait_for_function("document.getElementById('pst-primary-sidebar-modal').open")
    link = modal.get_by_role("link", name="术语表")
    assert link.is_visible()
    box = link.bounding_box()
    assert box and 0 <= box["x"] and box["x"] + box["width"] <= width
    assert toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    # The dialog's close event (a task after close()) gives the focus back.
    page.wait_for_function("document.activeElement.classList.contains('primary-toggle')", timeout=2000)
    assert not page.evaluate("document.getElementById('pst-primary-sidebar-modal').open")
    assert toggle.get_attribute("aria-expanded") == "false"
    # By pointer, closed with a click beside the dialog: the focus back on ☰ too.
    toggle.click()
    page.wait_for_function("document.getElementById('pst-primary-sidebar-modal').open")
    page.mouse.click(width - 5, 400)
    page.wait_for_function("!document.getElementById('pst-primary-sidebar-modal').open", timeout=2000)
    page.wait_for_function("document.activeElement.classList.contains('primary-toggle')", timeout=2000)
    # By keyboard: Enter on the focused ☰ moves the focus into the dialog, Tab stays in it.
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('pst-primary-sidebar-modal').open")
    inside = "document.getElementById('pst-primary-sidebar-modal').contains(document.activeElement)"
    assert page.evaluate(inside)
    for _ in range(3):
        page.keyboard.press("Tab")
        assert page.evaluate(inside)
    modal.get_by_role("link", name="术语表").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("docs/glossary.html")
    assert offline.errors == []


def test_the_menu_button_hides_and_shows_the_navigation_on_a_wide_screen(reader) -> None:
    """From 992 px the sidebar is shown beside the page and ☰ hides it and shows it again."""
    offline = reader(1366, 900)
    offline.goto("reports/2023/04-jiguan.html")
    page = offline.page
    assert page.locator(".primary-toggle").count() == 1
    toggle = _open_toggle(page)
    link = page.locator("#pst-primary-sidebar").get_by_role("link", name="术语表")
    assert link.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    toggle.click()
    page.wait_for_timeout(400)  # the sidebar slides away
    assert not link.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    # The book theme took the focus off ☰ at each click: it stays there.
    assert page.evaluate("document.activeElement.classList.contains('primary-toggle')")
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    assert link.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    # Shown from the keyboard: the focus moves into the sidebar, onto the current page's link,
    # and Tab through the sidebar's links comes back to ☰.
    current = page.locator("#pst-primary-sidebar a.current")
    assert current.inner_text() == "2023年机关党建工作总结书记抓党建工作述职报告"
    page.wait_for_function("document.activeElement.matches('#pst-primary-sidebar a.current')", timeout=2000)
    after = []
    while not page.evaluate("document.activeElement.classList.contains('primary-toggle')") and len(after) < 30:
        page.keyboard.press("Tab")
        after.append(page.evaluate("document.activeElement.textContent.trim()"))
    last = page.locator("#pst-primary-sidebar a[href]").last.inner_text().strip()
    assert after[-2:] == [last, ""], after  # the sidebar's last link, then ☰
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    assert not link.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('primary-toggle')")
    toggle.click()
    page.wait_for_timeout(400)
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("docs/glossary.html")
    assert offline.errors == []


@pytest.mark.parametrize("width", [390, 768, 1366])
def test_tab_order_starts_with_the_skip_link_then_the_menu(reader, width: int) -> None:
    """Tab: first the skip link, then (after the sidebar on a wide screen) ☰ before the
    report; the skip link's Enter takes the next Tab past the sidebar to ☰."""
    offline = reader(width, 900)
    offline.goto("reports/2023/04-jiguan.html")
    page = offline.page
    stops = []
    for _ in range(25):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("""() => { const e = document.activeElement;
            return e.closest('article') ? 'article' : e.closest('#pst-primary-sidebar') ? 'sidebar'
                : e.classList.contains('primary-toggle') ? '☰' : e.textContent.trim(); }"""))
    assert stops[0] == "跳转至主要内容"
    assert stops.index("☰") < stops.index("article")
    assert ("sidebar" in stops) == (width >= 992)  # a hidden sidebar is not in the tab order
    if width >= 992:
        assert stops.index("sidebar") < stops.index("☰")
    offline.goto("reports/2023/04-jiguan.html")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # Past the sidebar: the page's own toolbar (☰ first), then the report.
    assert page.evaluate("document.activeElement.classList.contains('primary-toggle')")


@pytest.mark.parametrize("width", WIDTHS)
def test_one_search_box_at_a_time(reader, width: int) -> None:
    """The theme's top bar held a second search box beside the sidebar's on desktop."""
    offline = reader(width, 900)
    offline.goto("reports/2023/04-jiguan.html")
    buttons = offline.page.locator(".search-button__button, .search-button")
    visible = [index for index in range(buttons.count()) if buttons.nth(index).is_visible()]
    assert len(visible) == 1


def test_home_title_once_and_headings_lighter_down_the_levels(reader) -> None:
    offline = reader(1366, 900)
    offline.goto("index.html")
    assert offline.page.title() == "抓党建工作述职报告汇编"
    offline.goto("reports/2023/04-jiguan.html")
    assert offline.page.title().endswith(" — 抓党建工作述职报告汇编")
    weights = offline.page.evaluate(
        "['h1', 'h2', 'h3'].map(tag => Number(getComputedStyle(document.querySelector('article ' + tag)).fontWeight))")
    assert weights == sorted(weights, reverse=True), weights  # h3 was 600 under h2's 500


# -- 2. The interface in Chinese, and a favicon -----------------------------------------------

#: Latin words a Chinese reader meets in the chrome as they are: the keyboard shortcut.
ALLOWED_LATIN = {"Ctrl", "K", "PDF"}

CHROME_STRINGS = """() => {
    const out = [];
    const article = document.querySelector('article.bd-article');
    for (const el of document.querySelectorAll('body *')) {
        if (article && article.contains(el)) continue;
        if (['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'svg'].includes(el.tagName)) continue;
        for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
            const value = el.getAttribute(name);
            if (value) out.push(name + ': ' + value);
        }
        for (const child of el.childNodes) {
            if (child.nodeType === Node.TEXT_NODE && child.textContent.trim()) out.push('text: ' + child.textContent.trim());
        }
    }
    out.push('title: ' + document.title);
    return out;
}"""


@pytest.mark.parametrize("path", ["index.html", "reports/2023/04-jiguan.html", "docs/glossary.html",
                                  "docs/overview.html", "search.html"])
def test_the_interface_is_in_chinese_and_has_a_favicon(reader, path: str) -> None:
    offline = reader(1366, 900)
    offline.goto(path)
    page = offline.page
    strings = page.evaluate(CHROME_STRINGS)
    english = [text for text in strings
               if any(word not in ALLOWED_LATIN for word in re.findall(r"[A-Za-z]{2,}|\b[A-Za-z]\b", text.split(": ", 1)[1]))]
    assert english == []
    # The copyright line, and the colour menu's entries.
    assert "版权所有 © 2023–2026，组织部" in page.locator("footer.bd-footer-content").inner_text()
    assert page.locator(".theme-change-button[data-mode=auto]").text_content().strip() == "跟随系统"
    icon = page.locator("link[rel=icon]")
    assert icon.count() == 1
    assert page.evaluate("href => fetch(href).then(r => r.status)", icon.get_attribute("href")) == 200
    assert offline.failed == []
    assert offline.errors == []


# -- 3. No page wider than the screen -----------------------------------------------------


@pytest.mark.parametrize("width", [390, 768, 1366])
def test_no_page_scrolls_sideways(reader, site_html: Path, width: int) -> None:
    offline = reader(width, 900)
    page = offline.page
    wide = {}
    pages = built_pages(site_html)
    assert len(pages) > 10
    for path in pages:
        offline.goto(path)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            wide[path] = scroll_width
    assert wide == {}


# -- 4. 待补充 markers: a namespaced class, AA contrast ---------------------------------------

CONTRAST = """(pseudo) => {
    const parse = (c) => c.match(/[\\d.]+/g).map(Number);
    const lum = ([r, g, b]) => {
        const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const el = document.querySelector('article span.shuzhi-placeholder');
    const style = getComputedStyle(el, pseudo);
    const back = parse(getComputedStyle(el).backgroundColor);
    let opacity = 1;
    for (let node = el; node; node = node.parentElement) opacity *= Number(getComputedStyle(node).opacity);
    return {ratio: ratio(parse(style.color), back), alpha: back.length > 3 ? back[3] : 1, opacity,
            cursor: getComputedStyle(el).cursor, content: style.content};
}"""


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_placeholder_markers_have_aa_contrast(reader, mode: str) -> None:
    offline = reader(390)
    offline.goto("reports/2023/04-jiguan.html")
    page = offline.page
    page.evaluate(f"document.documentElement.dataset.theme = '{mode}'")
    assert page.locator("article span.placeholder").count() == 0  # Bootstrap's class, not ours
    text = page.evaluate(CONTRAST, None)
    label = page.evaluate(CONTRAST, "::after")
    assert label["content"] == '"待补充"'
    assert text["opacity"] == 1 and text["alpha"] == 1 and text["cursor"] != "wait"
    assert text["ratio"] >= 4.5, text
    assert label["ratio"] >= 4.5, label


#: Whether the text a box shows when empty fits inside it (measured in the box's own font).
PLACEHOLDER_FITS = """el => {
    const style = getComputedStyle(el);
    const context = document.createElement('canvas').getContext('2d');
    context.font = style.font;
    return context.measureText(el.placeholder).width
        <= el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_glossary_filter_box_and_its_hint_are_read_whole(reader, width: int) -> None:
    """The glossary's filter box (it was 208 px, its hint cut at "输入汉字、拼音或首字母，"; on a
    phone still cut at "sanhuiy"): the hint is a line of its own, the box's short example fits."""
    offline = reader(width, 900)
    offline.goto("docs/glossary.html")
    page = offline.page
    box = page.locator("form.shuzhi-glossary-search input")
    assert box.bounding_box()["width"] >= min(400, width - 40)
    assert box.get_attribute("placeholder") == "如 三会、shyk"
    assert box.evaluate(PLACEHOLDER_FITS)
    hint = page.locator("#shuzhi-glossary-hint")
    assert hint.inner_text() == "输入汉字、拼音或首字母，如 三会、sanhuiyike、shyk"
    hint_box = hint.bounding_box()
    assert hint_box["x"] >= 0 and hint_box["x"] + hint_box["width"] <= width
    assert hint.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert "shuzhi-glossary-hint" in box.get_attribute("aria-describedby").split()


# -- 5. No space from a Chinese line break ------------------------------------------------------


def test_chinese_line_breaks_join_without_a_space_on_the_site(site_html: Path) -> None:
    for name, joined in (("index.html", "阅读，并可打印"), ("docs/overview.html", "横向比较。页面上的")):
        article = BeautifulSoup((site_html / name).read_text(encoding="utf-8"), "html.parser").find("article")
        text = article.get_text()
        assert joined in text, name
        # A line break the browser would show as a space: after Chinese punctuation, or
        # between two Chinese characters, within one paragraph.
        broken = [match for p in article.find_all("p")
                  for match in re.findall(r"[，。；：、！？）”]\s*\n\s*\S|[\u4e00-\u9fff]\s*\n\s*[\u4e00-\u9fff]", p.get_text())]
        assert broken == [], name


def test_chinese_line_breaks_join_without_a_space_in_the_pdf(site_pdf: Path) -> None:
    """The PDF's LaTeX source: 关于本汇编's 编排方式 paragraph (printed only) spans two source lines."""
    tex = site_pdf.with_suffix(".tex").read_text(encoding="utf-8")
    assert "述职人和字数。报告之后是附录" in tex


def _paragraph(*children: nodes.Node) -> nodes.paragraph:
    return nodes.paragraph("", "", *children)


@pytest.mark.parametrize(("children", "expected"), [
    ([nodes.Text("在内网阅读，\n并可打印")], "在内网阅读，并可打印"),
    ([nodes.Text("横向比较。\n  页面上的")], "横向比较。页面上的"),
    ([nodes.Text("党组织\n书记")], "党组织书记"),
    ([nodes.Text("打印为\nPDF 文件")], "打印为\nPDF 文件"),  # Chinese, then Latin: a space, as typed
    ([nodes.Text("see\nthe report")], "see\nthe report"),
    ([nodes.Text("下载，\nPDF")], "下载，PDF"),  # after Chinese punctuation: always joined
    ([nodes.Text("学习\n"), nodes.strong("", "三会一课")], "学习三会一课"),  # across inline nodes
    ([nodes.emphasis("", "述职"), nodes.Text("\n报告")], "述职报告"),
    ([nodes.Text("代码\n"), nodes.literal("", "a\nb")], "代码\na\nb"),  # the break before Latin code stays
])
def test_join_block(children: list[nodes.Node], expected: str) -> None:
    from shuzhi.build import cjk_breaks

    paragraph = _paragraph(*children)
    cjk_breaks.join_block(paragraph)
    assert paragraph.astext() == expected


def test_literal_text_is_never_joined() -> None:
    from shuzhi.build import cjk_breaks

    document = nodes.document(None, None)
    block = nodes.literal_block("", "第一行，\n第二行")
    document += [_paragraph(nodes.Text("正文，\n续行"), nodes.literal("", "代码，\n代码")), block]
    cjk_breaks.join_breaks(None, document)
    assert document[0].astext() == "正文，续行代码，\n代码"
    assert block.astext() == "第一行，\n第二行"


# -- 6. The outline diagram sized for reading ---------------------------------------------------

OUTLINE = """() => {
    const svg = document.querySelector('.report-outline svg');
    const label = svg.querySelector('.nodeLabel');
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return {labelPx: parseFloat(getComputedStyle(label).fontSize) * scale,
            height: svg.getBoundingClientRect().height,
            pageWidth: document.documentElement.scrollWidth};
}"""


def test_outline_is_closed_on_a_phone_and_legible_when_opened(reader) -> None:
    offline = reader(390)
    offline.goto("reports/2023/04-jiguan.html")
    page = offline.page
    details = page.locator(".report-outline details")
    assert not details.evaluate("d => d.open")
    # Closed, it is one line between the card and the report's first sentence.
    assert page.locator(".report-outline").bounding_box()["height"] < 60
    page.locator(".report-outline summary").click()
    page.wait_for_selector(".report-outline svg .nodeLabel", timeout=15000)
    sizes = page.evaluate(OUTLINE)
    assert sizes["labelPx"] >= 12, sizes  # was about 6 px, scaled to the phone's width
    assert sizes["pageWidth"] <= 390, sizes  # its own box scrolls sideways, not the page
    assert offline.errors == []


def test_outline_is_closed_on_a_wide_screen_and_mermaid_loads_only_when_it_is_opened(reader) -> None:
    offline = reader(1366, 900)
    offline.goto("reports/2023/04-jiguan.html")
    page = offline.page
    page.wait_for_load_state("networkidle")
    details = page.locator(".report-outline details")
    assert not details.evaluate("d => d.open")
    loaded = "() => performance.getEntriesByType('resource').filter(e => e.name.includes('/_static/mermaid/')).length"
    assert page.evaluate(loaded) == 0  # about 230 KB a reader who does not open it never pays
    page.locator(".report-outline summary").click()
    page.wait_for_selector(".report-outline svg .nodeLabel", timeout=15000)
    assert page.evaluate(loaded) > 0
    sizes = page.evaluate(OUTLINE)
    assert sizes["labelPx"] >= 12, sizes
    assert sizes["height"] <= 360, sizes  # was about 480 px
    svg = page.locator(".report-outline svg")
    assert svg.get_attribute("role") == "img"
    assert svg.get_attribute("aria-label").startswith("本篇结构图：2023年机关党建工作总结书记")
    assert "一、开展的主要工作" in svg.get_attribute("aria-label")
    assert offline.errors == []


# -- 7. Printing a report from the browser --------------------------------------------------------


def test_a_report_prints_alone_on_a4_in_large_type(reader, tmp_path: Path) -> None:
    """Chromium's PDF of a report page: the report's title and text, no navigation,
    buttons, card, outline or footer; A4; body text 16 pt."""
    import pypdf

    offline = reader(1366, 900)
    offline.goto("reports/2023/04-jiguan.html")
    page = offline.page
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    reader_pdf = pypdf.PdfReader(str(pdf))
    box = reader_pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    # pypdf gives some characters as their CJK radicals' compatibility forms (⼯ for 工).
    import unicodedata

    text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in reader_pdf.pages)).replace("\n", "")
    assert text.startswith("2023年机关党建工作总结书记抓党建工作述职报告")
    assert "现将今年以来党建工作情况汇报如下" in text
    chrome = ["搜索", "上一页", "下一页", "版权所有", "本篇结构", "单位类型", "关于本汇编", "术语表", "下载 PDF"]
    assert [word for word in chrome if word in text] == []
    page.emulate_media(media="print")
    size = page.evaluate("getComputedStyle(document.querySelector('article p:not(.pdf-download)')).fontSize")
    assert abs(float(size.removesuffix("px")) - 16 * 96 / 72) < 0.1  # 16 pt
    assert offline.errors == []


#: The fonts Chromium draws a print's body text with: 仿宋 where the machine has it (Windows,
#: macOS: FangSong, STFangsong), else the nearest: TeX Live's Fandol Fang, or a 楷体 (AR PL).
FANGSONG_LIKE = re.compile(r"FangSong|仿宋|STFangsong|Fandol ?Fang|AR PL (UKai|KaitiM)", re.IGNORECASE)


def test_a_printed_report_is_set_in_fangsong_like_type(reader) -> None:
    offline = reader(1366, 900)
    offline.goto("reports/2023/04-jiguan.html")
    page = offline.page
    page.emulate_media(media="print")
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    page.evaluate("""[...document.querySelectorAll('article p')].find(p => p.textContent.includes('现将今年以来'))
        .setAttribute('data-probe', '')""")
    paragraph = session.send("DOM.querySelector", {"nodeId": root, "selector": "article p[data-probe]"})["nodeId"]
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": paragraph})["fonts"]
    main = max(fonts, key=lambda font: font["glyphCount"])
    assert FANGSONG_LIKE.search(main["familyName"]), fonts  # was the sans-serif of the screen


# -- 8. axe-core on every page, light and dark --------------------------------------------------

#: axe-core from npm (package.json devDependencies), injected into each page.
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"

#: Every diagram drawn (mermaid draws after the load event), then axe's serious and critical
#: violations: rule, impact, and the first few elements' selectors.
AXE_RUN = """async () => {
    const deadline = Date.now() + 15000;
    while ([...document.querySelectorAll('pre.mermaid')].some(pre => !pre.querySelector('svg')
            && !pre.closest('details:not([open])')) && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 100));
    }
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations.filter(v => ['serious', 'critical'].includes(v.impact))
        .map(v => ({rule: v.id, impact: v.impact, count: v.nodes.length, targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def axe_violations(page, mode: str) -> list[dict]:
    assert page.evaluate("document.documentElement.dataset.theme") == mode
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN)


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_axe_finds_no_serious_violation_on_any_page(reader, site_html: Path, mode: str) -> None:
    if not AXE.is_file():
        pytest.fail(f"axe-core 未安装（{AXE}）：请运行 sh .ci/npm-ci")
    offline = reader(1366, 900)
    page = offline.page
    page.add_init_script(f"localStorage.setItem('mode', '{mode}')")
    found = {}
    for path in built_pages(site_html):
        offline.goto(path)
        violations = axe_violations(page, mode)
        if violations:
            found[path] = violations
    assert found == {}
    assert offline.errors == []


# -- 9. The overview's concept map: legible, boxes apart, named ----------------------------------

CONCEPT_MAPS = """() => [...document.querySelectorAll('div.shuzhi-concept-map svg')].map(svg => {
    // A label's size as drawn: its font size times the SVG's scale (the box as drawn over its
    // own layout size; mermaid puts labels in a foreignObject).
    const labels = [...svg.querySelectorAll('.nodeLabel')].map(label =>
        parseFloat(getComputedStyle(label).fontSize) * label.getBoundingClientRect().height / label.offsetHeight);
    const boxes = [...svg.querySelectorAll('g.node')].map(node => node.getBoundingClientRect());
    const overlaps = [];
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b, j) => {
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps.push([i, i + 1 + j]);
    }));
    const named = document.getElementById(svg.getAttribute('aria-labelledby') || '');
    return {smallest: Math.min(...labels), labels: labels.length, overlaps,
            name: named ? named.textContent : null, pageWidth: document.documentElement.scrollWidth};
})"""


def test_the_concept_map_is_legible_on_a_laptop(reader) -> None:
    """It squeezed 15 boxes into 500 px of height: labels of about 7 px. Drawn at its own size."""
    offline = reader(1366, 900)
    offline.goto("docs/overview.html")
    page = offline.page
    page.wait_for_selector("div.shuzhi-concept-map svg .nodeLabel", timeout=15000)
    maps = page.evaluate(CONCEPT_MAPS)
    assert len(maps) == 1  # five reports of one year: one map
    (concept_map,) = maps
    assert concept_map["labels"] == 15  # the 10 concepts and the 5 reports
    assert concept_map["smallest"] >= 12, concept_map
    assert concept_map["overlaps"] == []
    assert concept_map["name"] == "概念图"
    assert concept_map["pageWidth"] <= 1366
    assert offline.errors == []


def test_the_concept_map_scrolls_in_its_own_box_on_a_phone(reader) -> None:
    offline = reader(390)
    offline.goto("docs/overview.html")
    page = offline.page
    page.wait_for_selector("div.shuzhi-concept-map svg .nodeLabel", timeout=15000)
    (concept_map,) = page.evaluate(CONCEPT_MAPS)
    assert concept_map["smallest"] >= 12, concept_map
    assert concept_map["pageWidth"] <= 390


# -- 10. The index's letters ------------------------------------------------------------------------


def test_the_index_jump_bar_has_pinyin_letters_only(site_html: Path) -> None:
    """The glossary's aliases were filed under their first character (两, 个, 中 …) beside A–Z."""
    soup = BeautifulSoup((site_html / "genindex.html").read_text(encoding="utf-8"), "html.parser")
    letters = [a.get_text(strip=True) for a in soup.select("article .genindex-jumpbox a")]
    assert letters and all(re.fullmatch(r"[A-Z]|符号", letter) for letter in letters), letters
    headings = [h2.get_text(strip=True) for h2 in soup.select("article h2")]
    assert headings == letters
    # An alias, under the letter of its own pinyin.
    liang = soup.find("h2", string="L").find_next("table")
    assert "两委" in liang.get_text()


# -- 11. Reading without JavaScript -------------------------------------------------------------


@pytest.fixture
def no_script(browser, site_server):
    pages = []

    def make(width: int):
        context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": 844})
        pages.append(context)
        page = context.new_page()
        page.base_url = site_server
        return page

    yield make
    for context in pages:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_reports_glossary_and_navigation_without_javascript(no_script, width: int) -> None:
    """Script off: the report reads, the navigation is on the page (after it on a phone, where ☰
    would do nothing) and its links lead on; the glossary reads; no box or button that needs a
    script, no diagram source shown as text."""
    page = no_script(width)
    page.goto(f"{page.base_url}/reports/2023/04-jiguan.html")
    assert "现将今年以来党建工作情况汇报如下" in page.locator("article").inner_text()
    assert page.locator("article span.shuzhi-placeholder").first.is_visible()
    for hidden in (".primary-toggle", ".secondary-toggle", ".report-outline", "pre.mermaid"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert "flowchart" not in page.evaluate("document.body.innerText")
    nav = page.locator("#pst-primary-sidebar")
    link = nav.get_by_role("link", name="术语表")
    assert link.is_visible()
    if width < 992:  # below the report, across the screen
        article = page.locator("article").bounding_box()
        assert nav.bounding_box()["y"] >= article["y"] + article["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith("docs/glossary.html")
    entry = page.locator("dl.shuzhi-glossary dt", has_text="三会一课").first
    assert entry.is_visible()
    assert "党支部最基本的组织生活制度" in page.locator("article").inner_text()
    assert not page.locator("form.shuzhi-glossary-search").is_visible()  # filtering needs the script
    # The year's page, then one of its reports (the sidebar opens the year's list there).
    page.locator("#pst-primary-sidebar").get_by_role("link", name="2023年度").click()
    page.wait_for_load_state()
    assert page.url.endswith("reports/2023/index.html")
    page.locator("#pst-primary-sidebar").get_by_role("link", name="2023年度抓党建工作述职报告").click()
    page.wait_for_load_state()
    assert page.url.endswith("reports/2023/02-jiguan.html")


# -- 12. Checked front-end code: it parses, and its class names collide with nothing --------------

#: The extension's sources, and the static files it serves (found where the package says they are).
PACKAGE = Path(assets.__file__).resolve().parent.parent
STATIC = assets.STATIC_DIR
NODE_MODULES = REPO / "node_modules"

#: Parses each CSS file given with PostCSS (npm, devDependencies): its errors ("Unclosed
#: block"), else the class names its selectors name.
CSS_CLASSES = """
const postcss = require("postcss");
const fs = require("fs");
const out = {};
for (const file of process.argv.slice(1)) {
  try {
    const names = new Set();
    postcss.parse(fs.readFileSync(file, "utf8"), {from: file}).walkRules(rule => {
      for (const match of rule.selector.matchAll(/\\.(-?[_a-zA-Z][\\w-]*)/g)) names.add(match[1]);
    });
    out[file] = {classes: [...names].sort()};
  } catch (error) {
    out[file] = {error: error.message};
  }
}
console.log(JSON.stringify(out));
"""


def css_classes(*files: Path) -> dict[str, dict]:
    import json
    import os
    import subprocess

    if not (NODE_MODULES / "postcss").is_dir():
        pytest.fail(f"postcss 未安装（{NODE_MODULES}）：请运行 sh .ci/npm-ci")
    result = subprocess.run(["node", "-e", CSS_CLASSES, *map(str, files)], capture_output=True, text=True,
                            env={**os.environ, "NODE_PATH": str(NODE_MODULES)}, check=True)
    return json.loads(result.stdout)


def test_css_parses_without_errors(tmp_path: Path) -> None:
    """A block left open (ul.placeholder-list {) dropped every later rule of shuzhi.css."""
    broken = tmp_path / "broken.css"
    broken.write_text("ul.a {\n  margin: 0;\n\nform.b { color: red; }\n", encoding="utf-8")
    files = sorted(STATIC.glob("*.css"))
    assert [file.name for file in files] == ["shuzhi-navigation.css", "shuzhi-search.css", "shuzhi.css"]
    parsed = css_classes(broken, *files)
    assert parsed.pop(str(broken)) == {"error": f"{broken}:1:1: Unclosed block"}  # the check itself
    assert {name: result.get("error") for name, result in parsed.items()} == {str(f): None for f in files}


def test_javascript_parses_without_errors() -> None:
    import subprocess

    search_js = PACKAGE / "search" / "js"  # the search page's script is assembled from these
    files = sorted([*STATIC.glob("*.js"), *STATIC.glob("*.mjs")]) + sorted(search_js.glob("*.js"))
    assert [file.name for file in files] == [
        "shuzhi-glossary-search.js", "shuzhi-navigation.js", "shuzhi-outline.mjs", "shuzhi-pagename.js",
        "shuzhi-sidebars.js", "shuzhi-translations.js", "shuzhi.js",
        "scorer.js", "search-page.js", "segment.js", "splitter.js"]
    failed = {}
    for file in files:
        result = subprocess.run(["node", "--check", str(file)], capture_output=True, text=True, check=False)
        if result.returncode:
            failed[file.name] = result.stderr.strip().splitlines()[-1]
    assert failed == {}


def theme_stylesheets() -> list[Path]:
    import pydata_sphinx_theme
    import sphinx_book_theme

    pydata = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "styles"
    book = Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme" / "static" / "styles"
    return [pydata / "pydata-sphinx-theme.css", book / "sphinx-book-theme.css"]


#: Classes of the theme (and of Bootstrap, which it bundles) that the project uses on purpose:
#: its navigation is the theme's markup, its stylesheet restyles the theme's page for print and
#: for reading without JavaScript. Any other class the project writes or styles is its own,
#: and must not be one that the theme or Bootstrap styles (Bootstrap's .placeholder made the
#: 待补充 markers half transparent with a "wait" cursor).
BORROWED = {
    "active", "bd-links", "caption", "caption-text", "current", "fa-chevron-down", "fa-solid", "glossary",
    "mermaid", "nav", "navbar-nav", "pst-scrollable-table-container", "pst-sidebar-hidden", "reference",
    "toctree-toggle", "xref", "field-list", "headerlink", "literal", "pre", "primary-toggle", "rubric",
    "secondary-toggle",
}


def project_classes() -> set[str]:
    """The class names the extension writes into pages: in its Python (classes=[…], class="…")
    and its scripts (class="…", classList.add(…))."""
    names: set[str] = set()
    for file in [*sorted(PACKAGE.rglob("*.py")), *sorted(STATIC.glob("*.js")), *sorted(STATIC.glob("*.mjs"))]:
        text = file.read_text(encoding="utf-8")
        for match in re.finditer(r"classes=\[([^\]]*)\]", text):
            names.update(re.findall(r"[\"']([\w-]+)[\"']", match.group(1)))
        for match in re.finditer(r"class=\\?[\"']([^\"'{}$\\]*)", text):
            names.update(match.group(1).split())
        names.update(re.findall(r"classList\.(?:add|toggle|remove|contains)\(\s*[\"']([\w-]+)", text))
    return names


def test_the_projects_class_names_collide_with_nothing_of_the_theme() -> None:
    theme = set()
    for result in css_classes(*theme_stylesheets()).values():
        assert "error" not in result, result
        theme.update(result["classes"])
    assert {"placeholder", "btn", "table", "bd-article"} <= theme  # Bootstrap's and the theme's
    ours = project_classes()
    for result in css_classes(*sorted(STATIC.glob("*.css"))).values():
        ours.update(result["classes"])
    assert "shuzhi-placeholder" in ours
    collisions = {name for name in ours & theme if name not in BORROWED and not name.startswith("bd-")}
    assert collisions == set()


def test_a_typed_diagram_is_named_by_its_caption(reader) -> None:
    """关于本汇编's flowchart ({mermaid} with :caption:): mermaid drew it with no accessible name."""
    offline = reader(1366, 900)
    offline.goto("docs/about.html")
    page = offline.page
    page.wait_for_selector("figure pre.mermaid svg[aria-label]", timeout=15000)
    assert page.locator("figure pre.mermaid svg").get_attribute("aria-label") == "图：抓党建工作述职评议的一般流程"
    assert offline.errors == []
