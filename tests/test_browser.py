"""The built site in Chromium, with every non-local request blocked."""

from __future__ import annotations


def test_home_page_renders_the_catalogue_offline(offline_page) -> None:
    offline_page.goto("index.html")
    page = offline_page.page
    assert page.title().startswith("抓党建工作述职报告汇编")
    rows = page.locator("table.report-catalogue tbody tr")
    assert rows.count() == 5
    assert "2023年国有企业党组织书记抓基层党建工作述职报告" in rows.nth(2).inner_text()
    assert offline_page.blocked == []
    assert offline_page.errors == []


def test_report_page_shows_chinese_text_and_placeholders(offline_page) -> None:
    offline_page.goto("reports/2023/04-jiguan.html")
    page = offline_page.page
    assert page.locator("h1").first.inner_text().startswith("2023年机关党建工作总结书记抓党建工作述职报告")
    assert "压紧压实工作责任" in page.locator("article").inner_text()
    placeholder = page.locator("span.shuzhi-placeholder").first
    assert placeholder.is_visible()
    # The highlight is real: a coloured background behind the placeholder.
    assert placeholder.evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
    # Chinese glyphs are drawn, not boxes: the heading has a real width per character.
    box = page.locator("article h2").first.bounding_box()
    assert box and box["width"] > 100
    assert offline_page.blocked == []
    assert offline_page.errors == []


def test_mermaid_diagram_becomes_an_svg_without_network(offline_page) -> None:
    offline_page.goto("docs/about.html")
    page = offline_page.page
    page.wait_for_selector("pre.mermaid svg, div.mermaid svg", timeout=15000)
    svg_text = page.locator(".mermaid svg").first.text_content()
    assert "述职报告" in svg_text
    assert offline_page.blocked == []
    assert offline_page.errors == []


def test_generated_diagrams_render_offline(offline_page) -> None:
    """The overview's concept map and a report's outline: mermaid code built from the records."""
    for path, expected in (("docs/overview.html", "三会一课"), ("reports/2023/01-xiangzhen.html", "二、存在问题及原因分析")):
        offline_page.goto(path)
        page = offline_page.page
        if page.locator(".report-outline summary").count():  # the outline is drawn when opened
            page.locator(".report-outline summary").click()
        # Mermaid puts the svg in first (its style) and draws the diagram into it after:
        # wait for the text, not for the element.
        page.wait_for_function("text => [...document.querySelectorAll('.mermaid svg')]"
                               ".some(svg => svg.textContent.includes(text))", arg=expected, timeout=15000)
        assert expected in page.locator(".mermaid svg").first.text_content(), path
    assert offline_page.blocked == []
    assert offline_page.errors == []


def test_concept_definition_shows_on_hover_and_on_keyboard_focus(offline_page) -> None:
    offline_page.goto("reports/2023/04-jiguan.html")
    page = offline_page.page
    tooltip = page.locator("#shuzhi-tooltip")
    assert tooltip.is_hidden()
    link = page.locator("article a.shuzhi-concept", has_text="四个意识").first
    link.hover()
    assert tooltip.is_visible()
    assert "政治意识" in tooltip.inner_text() and "si ge yi shi" in tooltip.inner_text()
    assert link.get_attribute("aria-describedby") == "shuzhi-tooltip"
    page.mouse.move(0, 0)
    assert tooltip.is_hidden()
    # Keyboard: focus the next concept link with Tab from the one before it.
    link.focus()
    assert tooltip.is_visible() and "四个意识" in tooltip.inner_text()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused in tooltip.inner_text()
    page.keyboard.press("Escape")
    assert tooltip.is_hidden()
    assert offline_page.blocked == [] and offline_page.errors == []


def test_concept_link_leads_to_its_glossary_entry(offline_page) -> None:
    offline_page.goto("reports/2023/01-xiangzhen.html")
    page = offline_page.page
    page.locator("article a.shuzhi-concept", has_text="四不两直").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("docs/glossary.html#term-si-bu-liang-zhi")
    entry = page.locator("#term-si-bu-liang-zhi")
    assert entry.is_visible() and "四不两直" in entry.inner_text()


def test_every_rule_of_the_site_stylesheet_is_in_effect(offline_page) -> None:
    """A syntax error (an unclosed block) makes the browser drop every later rule, silently."""
    import re

    from shuzhi.html import assets

    # The stylesheet where the package serves it from (it moved with the regrouping).
    source = re.sub(r"/\*.*?\*/", "", (assets.STATIC_DIR / "shuzhi.css").read_text(encoding="utf-8"), flags=re.DOTALL)
    selectors, depth, start = [], 0, 0
    for index, char in enumerate(source):
        if char == "{":
            if depth == 0:
                selectors.append(" ".join(source[start:index].split()))
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                start = index + 1
    offline_page.goto("docs/glossary.html")
    parsed = offline_page.page.evaluate("""() => {
        const sheet = [...document.styleSheets].find(s => (s.href || '').includes('/shuzhi.css'));
        return [...sheet.cssRules].map(rule => rule.selectorText || rule.cssText.split('{')[0].trim());
    }""")
    assert len(parsed) == len(selectors), [s for s in selectors if " ".join(s.split()) not in parsed][:5]
