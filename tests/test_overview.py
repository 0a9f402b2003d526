"""The overview page: its tables against counts made here from the report sources."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import REPO

REPORTS = REPO / "reports" / "2023"

#: Unfilled placeholders per report, counted by hand from the seed (as in test_site.py).
PLACEHOLDERS = {"01-xiangzhen": 5, "02-jiguan": 0, "03-guoqi": 2, "04-jiguan": 24, "05-dangwei": 2}


def overview(site: Path) -> BeautifulSoup:
    return BeautifulSoup((site / "docs" / "overview.html").read_text(encoding="utf-8"), "html.parser")


def table_rows(soup: BeautifulSoup, cls: str) -> tuple[list[str], list[list]]:
    table = soup.select_one(f"article table.{cls}")
    assert table is not None, cls
    head = [th.get_text(strip=True) for th in table.select("thead th")]
    return head, list(table.select("tbody tr"))


def body_lines(path: Path) -> list[str]:
    """The report's lines after the front matter, headings excluded (they are never linked)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.DOTALL)
    return [line for line in text.split("\n") if not line.startswith("#")]


def mention_counts(path: Path) -> dict[str, int]:
    """Mentions of each glossary concept, longest form first, from the YAML and the source."""
    entries = yaml.safe_load((REPO / "docs" / "glossary.yaml").read_text(encoding="utf-8"))
    forms = {entry["term"]: entry["term"] for entry in entries}
    forms.update({alias: entry["term"] for entry in entries for alias in entry.get("aliases") or []})
    pattern = re.compile("|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True)))
    counts: dict[str, int] = {}
    for line in body_lines(path):
        for match in pattern.finditer(line.replace("\\", "")):
            counts[forms[match.group()]] = counts.get(forms[match.group()], 0) + 1
    return counts


def report_of(row) -> str:
    return row.find("a")["href"].rsplit("/", 1)[-1].removesuffix(".html")


def test_structure_matrix_shows_each_report_s_h2_headings(site_html: Path) -> None:
    head, rows = table_rows(overview(site_html), "report-structure")
    assert head == ["序号", "报告", "成效", "问题", "打算"]
    assert len(rows) == len(list(REPORTS.glob("0*.md"))) == 5
    for row in rows:
        source = REPORTS / f"{report_of(row)}.md"
        h2 = re.findall(r"^## (.+)$", source.read_text(encoding="utf-8"), flags=re.MULTILINE)
        cells = [td.get_text(strip=True) for td in row.find_all("td")[2:]]
        assert cells == h2, source.name
        # Each heading links to its section on the report page.
        for link in row.find_all("td")[2].find_all("a"):
            page, _, anchor = link["href"].partition("#")
            target = BeautifulSoup((site_html / "docs" / page).read_text(encoding="utf-8"), "html.parser")
            assert target.find(id=anchor).find("h2").get_text().removesuffix("#") == link.get_text()


def test_concept_matrix_counts_match_the_sources(site_html: Path) -> None:
    head, rows = table_rows(overview(site_html), "concept-matrix")
    assert head == ["概念", "1", "2", "3", "4", "5", "合计"]
    assert len(rows) == 10
    structure = overview(site_html).select("article table.report-structure tbody tr")
    order = [report_of(row) for row in structure]
    counts = {name: mention_counts(REPORTS / f"{name}.md") for name in order}
    totals = {term: sum(c.get(term, 0) for c in counts.values()) for c in counts.values() for term in c}
    matrix = {}
    for row in rows:
        cells = [td.get_text(strip=True) for td in row.find_all("td")]
        matrix[cells[0]] = [int(cell) for cell in cells[1:]]
        assert row.find("a")["href"].startswith("glossary.html#")
    for term, values in matrix.items():
        assert values[:-1] == [counts[name].get(term, 0) for name in order], term
        assert values[-1] == totals[term], term
    # The ten most mentioned concepts (ties may go either way only at the tenth place).
    ranked = sorted(totals.values(), reverse=True)
    assert sorted((values[-1] for values in matrix.values()), reverse=True) == ranked[:10]
    for term in ("三会一课", "全面从严治党", "党风廉政建设"):  # spot checks, one with an alias (从严治党)
        assert term in matrix


def test_placeholder_counts_match_the_hand_count_and_link_to_the_list(site_html: Path) -> None:
    soup = overview(site_html)
    _, rows = table_rows(soup, "placeholder-counts")
    counts = {report_of(row): int(row.find_all("td")[2].get_text()) for row in rows[:-1]}
    assert counts == PLACEHOLDERS
    assert rows[-1].find_all("td")[2].get_text(strip=True) == str(sum(PLACEHOLDERS.values()))
    assert soup.select_one('article a[href="placeholders.html"]') is not None


def test_findings_say_none_for_the_seed(site_html: Path) -> None:
    soup = overview(site_html)
    assert soup.select_one("article table.report-findings") is None
    assert soup.select_one("article .report-findings-none").get_text() == "无。"


def test_concept_map_and_outlines_are_generated(site_html: Path) -> None:
    code = overview(site_html).select_one("article div.shuzhi-concept-map pre.mermaid").get_text()
    assert "\nflowchart LR\n    accTitle: 概念图\n" in code
    assert '"三会一课（' in code and '"1 乡镇"' in code
    # The heavier the line, the more mentions: checked against the matrix.
    _, rows = table_rows(overview(site_html), "concept-matrix")
    first = [int(td.get_text()) for td in rows[0].find_all("td")[1:-1]]
    links = {int(number): style for style, number in re.findall(r"c1 (-\.-|---|===) r(\d+)", code)}
    assert links == {number: {1: "-.-", 2: "---"}.get(count, "===")
                     for number, count in enumerate(first, start=1) if count}
    for source in sorted(REPORTS.glob("0*.md")):
        soup = BeautifulSoup((site_html / "reports" / "2023" / f"{source.stem}.html").read_text(encoding="utf-8"),
                             "html.parser")
        outline = soup.select_one("article div.report-outline pre.mermaid").get_text()
        h2 = re.findall(r"^## (.+)$", source.read_text(encoding="utf-8"), flags=re.MULTILINE)
        assert all(f'"{heading[:17]}' in outline for heading in h2), source.name
        # After the card.
        assert soup.select_one("div.report-card ~ div.report-outline") is not None


def test_diagram_labels_are_quoted_and_escaped() -> None:
    from shuzhi.listings import diagrams

    assert diagrams.label('A "B" #1 <x> [y]') == '"A #34;B#34; #35;1 #60;x#62; #91;y#93;"'
    assert diagrams.label("一" * 30) == '"' + "一" * 17 + '…"'


@pytest.mark.sphinx("html", testroot="overview")
def test_findings_table_and_missing_part(app) -> None:
    app.build()
    soup = BeautifulSoup((app.outdir / "overview.html").read_text(encoding="utf-8"), "html.parser")
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in soup.select("table.report-findings tbody tr")]
    assert [row[3] for row in rows] == ["part_missing"]
    assert "问题" in rows[0][4]
    structure = [td.get_text(strip=True) for td in soup.select("table.report-structure tbody td")]
    assert structure[2:] == ["一、工作成效及特色亮点", "（缺）", "二、下一步工作打算"]
    assert "报告中没有出现术语表中的概念" in soup.get_text()


@pytest.mark.sphinx("html", testroot="overview", freshenv=True)
def test_overview_follows_a_changed_report_in_an_incremental_build(app) -> None:
    app.build()
    report = app.srcdir / "reports" / "2023" / "01-missing.md"
    original = report.read_text(encoding="utf-8")
    report.write_text(original.replace("## 二、下一步工作打算", "## 二、存在问题\n\n一是学习不够。\n\n## 三、下一步工作打算"),
                      encoding="utf-8")
    try:
        app.build()
        soup = BeautifulSoup((app.outdir / "overview.html").read_text(encoding="utf-8"), "html.parser")
        structure = [td.get_text(strip=True) for td in soup.select("table.report-structure tbody td")]
        assert structure[2:] == ["一、工作成效及特色亮点", "二、存在问题", "三、下一步工作打算"]
        assert soup.select_one("table.report-findings") is None
        assert soup.select_one(".report-findings-none").get_text() == "无。"
    finally:
        report.write_text(original, encoding="utf-8")


def _records(years: dict[int, int]):
    from shuzhi.report.records import ReportRecord

    return [ReportRecord(f"reports/{year}/{index:02}", f"报告{index}", {"year": str(year), "unit_kind": "乡镇"}, 100, ())
            for year, count in years.items() for index in range(1, count + 1)]


def _usages(records, mentions: dict[str, int]):
    """Every report mentions each term of *mentions* that many times."""
    from types import SimpleNamespace

    from shuzhi.report.records import TermUsage

    return SimpleNamespace(usages={record.docname: tuple(TermUsage(record.docname, term, term, 1, "", "", True)
                                                          for term, count in mentions.items() for _ in range(count))
                                   for record in records})


CATEGORIES = ("政治要求", "组织制度", "作风纪律")
CATEGORY_OF = {"两个维护": "政治要求", "四个意识": "政治要求", "三会一课": "组织制度", "主题党日": "组织制度"}


def test_one_concept_map_for_a_few_reports_of_one_year() -> None:
    from shuzhi.listings.overview import concept_maps

    records = _records({2023: 8})
    maps = concept_maps(_usages(records, {"三会一课": 3, "两个维护": 1}), records, 10, CATEGORIES, CATEGORY_OF)
    assert [(caption, len(group), [term for term, _ in concepts]) for caption, group, concepts in maps] == [
        ("", 8, ["三会一课", "两个维护"])]


def test_concept_maps_split_by_year_then_by_category_when_a_year_grows() -> None:
    from shuzhi.listings.overview import concept_maps

    records = _records({2022: 2, 2023: 9})
    maps = concept_maps(_usages(records, {"三会一课": 3, "两个维护": 1, "四个意识": 2, "主题党日": 1}), records, 10,
                        CATEGORIES, CATEGORY_OF)
    assert [(caption, len(group), [term for term, _ in concepts]) for caption, group, concepts in maps] == [
        ("2022年", 2, ["三会一课", "四个意识", "两个维护", "主题党日"]),  # ties: code-point order
        ("2023年 · 政治要求", 9, ["四个意识", "两个维护"]),  # no map for 作风纪律: none of its concepts used
        ("2023年 · 组织制度", 9, ["三会一课", "主题党日"]),
    ]


def test_concept_map_code_names_the_diagram_and_leaves_out_unlinked_reports() -> None:
    from shuzhi.listings import diagrams

    code = diagrams.concept_map_code([("三会一课", 4)], [("1 乡镇", {"三会一课": 4}), ("2 机关", {})], "概念图：2023年")
    assert code.split("\n")[code.split("\n").index("flowchart LR"):] == ["flowchart LR", "    accTitle: 概念图：2023年", '    c1("三会一课（4）")',
                                    '    r1["1 乡镇"]', "    c1 === r1"]


def test_a_site_of_two_years_has_one_concept_map_per_year(tmp_path: Path) -> None:
    """The fictional two-year corpus, with a concept map on its tracking page: one map a year,
    each under its year, named for it, with that year's reports and counts only."""
    import shutil

    from builds import ROOTS, sphinx_build

    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-two-years", src)
    with (src / "tracking.md").open("a", encoding="utf-8") as page:
        page.write("\n## 概念图\n\n```{concept-map}\n```\n")
    result = sphinx_build(src, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((tmp_path / "out" / "html" / "tracking.html").read_text(encoding="utf-8"), "html.parser")
    maps = soup.select("div.shuzhi-concept-map")
    # In the catalogue's order (newest year first), numbered as there.
    assert [box.select_one("p.rubric").get_text() for box in maps] == ["2023年", "2022年"]
    codes = [box.select_one("pre.mermaid").get_text() for box in maps]
    assert [re.findall(r"accTitle: (.+)", code) for code in codes] == [["概念图：2023年"], ["概念图：2022年"]]
    assert [re.findall(r'r\d+\["(\d+) ', code) for code in codes] == [["1", "2"], ["3"]]
    assert '"三会一课（6）"' in codes[0] and '"三会一课（3）"' in codes[1]  # each year's own counts
