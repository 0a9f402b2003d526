"""End-to-end: the real site, built as `tox -e docs` builds it."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import REPO, sentences

BLOCKS = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dt", "dd", "caption"]


def article_text(html_file: Path) -> str:
    """The text of a page's article, one line per block, without permalink signs."""
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article")
    for link in article.select("a.headerlink"):
        link.decompose()
    lines = []
    for block in article.find_all(BLOCKS):
        if block.find(BLOCKS):  # keep innermost blocks only
            continue
        lines.append(block.get_text(""))
    return "\n".join(lines)


def report_pages(site: Path) -> list[Path]:
    return sorted(path for path in (site / "reports").rglob("*.html") if path.name != "index.html")


def test_home_page_lists_the_years_and_the_year_page_its_reports(site_html: Path, seed_reports: list[str]) -> None:
    """The home page's 目录 lists the years (its catalogue lists every report); a year's
    page lists that year's reports, in the seed's order."""
    soup = BeautifulSoup((site_html / "index.html").read_text(encoding="utf-8"), "html.parser")
    years = soup.select("article ul.report-years > li")
    assert [item.get_text() for item in years] == ["2023年度（5 篇）"]
    assert years[0].a["href"] == "reports/2023/index.html"
    year = BeautifulSoup((site_html / "reports" / "2023" / "index.html").read_text(encoding="utf-8"), "html.parser")
    titles = [link.get_text() for link in year.select("article div.toctree-wrapper li.toctree-l1 > a")]
    assert titles == [report.split("\n", 1)[0] for report in seed_reports]


def test_catalogue_is_generated_from_the_reports(site_html: Path, seed_reports: list[str]) -> None:
    soup = BeautifulSoup((site_html / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = soup.select("table.report-catalogue tbody tr")
    cells = [[td.get_text(strip=True) for td in row.find_all("td")] for row in rows]
    assert [row[0] for row in cells] == ["1", "2", "3", "4", "5"]
    assert [row[1] for row in cells] == [report.split("\n", 1)[0] for report in seed_reports]
    assert [row[2] for row in cells] == ["乡镇", "机关", "国有企业", "机关", "党委（党组）"]
    assert {row[3] for row in cells} == {"2023"}
    # Length: characters without white space, counted here from the seed itself.
    assert [int(row[4].replace(",", "")) for row in cells] == [len(re.sub(r"\s", "", report)) for report in seed_reports]
    links = [row.find("a")["href"] for row in rows]
    assert links == [f"reports/2023/{path.stem}.html" for path in sorted((REPO / "reports" / "2023").glob("0*.md"))]


def test_every_seed_sentence_reaches_the_html(site_html: Path, seed_reports: list[str]) -> None:
    text = "\n".join(article_text(page) for page in report_pages(site_html))
    wanted = [sentence for report in seed_reports for sentence in sentences(report)]
    missing = [sentence for sentence in wanted if sentence not in text]
    assert len(wanted) > 300  # the seed has 326
    assert missing == []


def test_asterisks_survive_as_written(site_html: Path, seed_reports: list[str]) -> None:
    text = "\n".join(article_text(page) for page in report_pages(site_html))
    assert text.count("*") == sum(report.count("*") for report in seed_reports)
    assert "<**区开展基层党建" in text


def test_placeholders_are_highlighted_and_redactions_are_not(site_html: Path) -> None:
    soup = BeautifulSoup((site_html / "reports/2023/04-jiguan.html").read_text(encoding="utf-8"), "html.parser")
    marked = [span.get_text() for span in soup.select("span.shuzhi-placeholder")]
    assert "x次" in marked and "*次" in marked
    soup1 = BeautifulSoup((site_html / "reports/2023/01-xiangzhen.html").read_text(encoding="utf-8"), "html.parser")
    marked1 = [span.get_text() for span in soup1.select("span.shuzhi-placeholder")]
    assert marked1[:2] == ["XX", "XX"] and "X元" in marked1
    assert not any("村" in text or "公司" in text for text in marked + marked1)


def test_no_page_loads_anything_from_outside_the_site(site_html: Path) -> None:
    """Resources (scripts, styles, images, frames, fonts) all come from the site itself.

    Plain links to public sources (the glossary's citations) load nothing.
    """
    offenders = {}
    for page in site_html.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        urls = [tag.get("src", "") for tag in soup.find_all(src=True)]
        urls += [tag.get("href", "") for tag in soup.find_all("link")]
        urls += re.findall(r"""url\(\s*['"]?([^'")]+)""", " ".join(style.get_text() for style in soup.find_all("style")))
        urls += re.findall(r"""import\s+\S+\s+from\s+["']([^"']+)""", " ".join(s.get_text() for s in soup.find_all("script")))
        found = [url for url in urls if re.match(r"(?:[a-z]+:)?//", url)]
        if found:
            offenders[str(page.relative_to(site_html))] = found
    assert offenders == {}
    mermaid = site_html / "_static" / "mermaid" / "mermaid.esm.min.mjs"
    assert mermaid.is_file()
    assert "cdn.jsdelivr.net" not in (site_html / "docs" / "about.html").read_text(encoding="utf-8")


def _own_text_and_links(section) -> tuple[str, list[str]]:
    """Body text of a <section> without its headings and nested sections; hrefs of its links."""
    texts, hrefs = [], []
    for child in section.children:
        if getattr(child, "name", None) in (None, "section", "h1", "h2", "h3", "h4", "h5", "h6"):
            continue
        if {"report-card", "report-outline"} & set(child.get("class") or []):  # generated, not body text
            continue
        texts.append(child.get_text(""))
        hrefs.extend(a.get("href", "") for a in child.find_all("a"))
    return "\n".join(texts), hrefs


def test_every_concept_mention_is_linked_once_per_section(site_html: Path) -> None:
    """Counted from the HTML, with an independent matcher: one regex, longest alternative first."""
    from shuzhi.glossary import entries as glossary

    loaded = glossary.load(Path(__file__).parent.parent / "docs" / "glossary.yaml")
    forms = loaded.forms()
    pattern = re.compile("|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True)))
    anchors = {concept.anchor: concept.term for concept in loaded.concepts}
    sections_checked = mentions_total = links_total = 0
    for page in report_pages(site_html):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for section in soup.select("article section"):
            text, hrefs = _own_text_and_links(section)
            mentioned = {forms[match.group(0)] for match in pattern.finditer(text)}
            linked = [anchors[href.rsplit("#", 1)[1]] for href in hrefs if "glossary.html#term-" in href]
            assert sorted(linked) == sorted(mentioned), (page.name, section.get("id"))
            sections_checked += 1
            mentions_total += len(pattern.findall(text))
            links_total += len(linked)
    assert sections_checked >= 40
    assert links_total >= 150 and mentions_total > links_total
    print(f"{sections_checked} sections, {mentions_total} mentions, {links_total} links")


def test_glossary_page_has_45_sourced_entries_grouped_a_to_z(site_html: Path) -> None:
    soup = BeautifulSoup((site_html / "docs" / "glossary.html").read_text(encoding="utf-8"), "html.parser")
    entries = soup.select("dl.shuzhi-glossary > dt")
    assert len(entries) >= 45
    letters = [rubric.get_text(strip=True) for rubric in soup.select("p.rubric.glossary-letter")]
    assert letters == sorted(letters) and set(letters) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    assert all(entry["id"].startswith("term-") and entry["id"].isascii() for entry in entries)
    assert len(soup.select("p.glossary-source")) == len(entries)  # every entry shows its source
    used = soup.select(".glossary-usage")
    assert len(used) >= 45


def test_general_index_groups_chinese_terms_by_pinyin_letter(site_html: Path) -> None:
    soup = BeautifulSoup((site_html / "genindex.html").read_text(encoding="utf-8"), "html.parser")
    headings = [h2.get_text(strip=True) for h2 in soup.select("article h2")]
    assert "S" in headings and "三" not in headings
def site_records(site_html: Path) -> dict:
    """The shuzhi records of the real site, from the environment the build pickled."""
    import pickle

    with (site_html.parent / "doctrees" / "environment.pickle").open("rb") as file:
        env = pickle.load(file)
    return env.domaindata["shuzhi"]["reports"]


#: Unfilled placeholders per report (x次, *次, XX, X元 …), counted by hand from the seed.
PLACEHOLDERS = {"01-xiangzhen": 5, "02-jiguan": 0, "03-guoqi": 2, "04-jiguan": 24, "05-dangwei": 2}


def test_the_five_reports_have_no_finding_but_their_placeholders(site_html: Path) -> None:
    records = site_records(site_html)
    names = {docname.rsplit("/", 1)[-1]: record for docname, record in records.items()}
    assert set(names) == set(PLACEHOLDERS)
    assert {name: record.findings for name, record in names.items()} == {name: () for name in PLACEHOLDERS}
    assert {name: len(record.placeholders) for name, record in names.items()} == PLACEHOLDERS
    for record in names.values():
        assert [part.key for part in record.parts] == ["成效", "问题", "打算"]
        assert all(part.length > 0 for part in record.parts)


def test_every_report_page_has_a_card_linking_to_its_parts(site_html: Path) -> None:
    for page in report_pages(site_html):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        card = soup.select_one("article div.report-card")
        assert card is not None, page
        links = card.select("a.reference.internal")
        assert [link.get_text() for link in links] == ["成效", "问题", "打算"]
        for link in links:
            section = soup.find(id=link["href"].removeprefix("#"))
            assert section is not None and section.name == "section", (page, link)
            assert section.find(["h2", "h3"]).get_text().removesuffix("#") == link["title"]


def test_placeholder_page_links_to_every_placeholder(site_html: Path) -> None:
    page = site_html / "docs" / "placeholders.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    links = soup.select("article a.placeholder-link")
    spans = {
        (report.relative_to(site_html).as_posix(), span["id"]): span.get_text()
        for report in report_pages(site_html)
        for span in BeautifulSoup(report.read_text(encoding="utf-8"), "html.parser").select("span.shuzhi-placeholder")
    }
    assert len(spans) == sum(PLACEHOLDERS.values())
    targets = {}
    for link in links:
        target, _, anchor = link["href"].partition("#")
        path = (page.parent / target).resolve().relative_to(site_html.resolve()).as_posix()
        targets[(path, anchor)] = link.get_text()
    # Every placeholder is listed once, and each link lands on the highlighted text it shows.
    assert len(links) == len(targets)
    assert targets == spans
    assert "共 33 处，分布在 4 篇报告中。" in soup.select_one("article").get_text()
