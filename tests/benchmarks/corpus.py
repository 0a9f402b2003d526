"""Synthetic corpora for benchmarks: N reports made from the five real ones.

Each copy gets a distinct title, year and unit kind, so the navigation (grouped
by year) and the catalogue look like a real province's compilation.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
UNIT_KINDS = ("乡镇", "机关", "国有企业", "党委（党组）", "社区", "村", "学校", "医院", "非公企业", "社会组织")
YEARS = (2023, 2022, 2021, 2020)
PLACES = "东南西北中上下前后左右新老大小"


def _templates() -> list[tuple[str, str]]:
    """(front matter, body) of each real report."""
    result = []
    for path in sorted((REPO / "reports").rglob("0*.md")):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        result.append((front, body))
    return result


def make(target: Path, count: int, *, variant: str = "ours") -> Path:
    """Write a source tree with *count* reports into *target*; return it.

    *variant*: ``ours`` (the site as it is), ``noext`` (the same layout with the
    shuzhi extension disabled), ``stock`` (the stock stack: book theme defaults,
    one flat toctree of every report on the home page, no shuzhi), ``bare`` (``noext`` without
    any search index: Sphinx, MyST and the book theme alone, the floor of the stack this
    project is built on).
    """
    if target.exists():
        shutil.rmtree(target)
    ignore = shutil.ignore_patterns("_build", ".tox", ".git", "node_modules", "tests", "reports", "__pycache__")
    shutil.copytree(REPO, target, ignore=ignore)
    (target / "node_modules").symlink_to(REPO / "node_modules")
    templates = _templates()
    docnames = []
    for number in range(count):
        front, body = templates[number % len(templates)]
        year = YEARS[(number // len(templates)) % len(YEARS)]
        kind = UNIT_KINDS[number % len(UNIT_KINDS)]
        place = PLACES[number % len(PLACES)] + PLACES[(number // len(PLACES)) % len(PLACES)] + str(number + 1)
        position = number // (len(templates) * len(YEARS)) + 1 + (number % len(templates)) * 1000
        title = f"{year}年度{place}{kind}党组织书记抓基层党建工作述职报告"
        front = re.sub(r'^title: .*$', f'title: "{title}"', front, flags=re.M)
        front = re.sub(r'^year: .*$', f"year: {year}", front, flags=re.M)
        front = re.sub(r'^unit_kind: .*$', f'unit_kind: "{kind}"', front, flags=re.M)
        front = re.sub(r'^position: .*$', f"position: {position}", front, flags=re.M)
        body = re.sub(r"^# .*$", f"# {title}", body, count=1, flags=re.M)
        folder = target / "reports" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{number + 1:05d}"
        (folder / f"{name}.md").write_text(f"---\n{front}---\n{body}", encoding="utf-8")
        docnames.append(f"reports/{year}/{name}")
    for year in YEARS:
        if (target / "reports" / str(year)).exists():
            (target / "reports" / str(year) / "index.md").write_text(
                f"# {year}年度\n\n```{{toctree}}\n:glob:\n:titlesonly:\n\n*\n```\n", encoding="utf-8")
    if variant == "stock":
        _stock(target, docnames)
    elif variant in {"noext", "bare"}:
        _without_extension(target)
        if variant == "bare":
            with (target / "conf.py").open("a", encoding="utf-8") as conf:
                conf.write('\n\ndef setup(app):\n    # No search index (Sphinx would build searchindex.js with jieba).\n'
                           '    app.connect("builder-inited", lambda app: setattr(app.builder, "search", False))\n')
    return target


def _without_extension(target: Path) -> None:
    index = (target / "index.md").read_text(encoding="utf-8")
    index = index.replace("```{report-catalogue}\n```\n", "").replace("```{report-years}\n```\n", "")
    (target / "index.md").write_text(index, encoding="utf-8")
    (target / "docs" / "glossary.md").write_text("# 术语表\n\n（未启用扩展。）\n", encoding="utf-8")
    # The sidebar's navigation stays (it is a site-wide choice with its own extension), so the
    # comparison measures what the report checks, glossary links and search add.
    conf = (target / "conf.py").read_text(encoding="utf-8").replace('    "shuzhi",\n', '    "shuzhi.html.navigation",\n')
    (target / "conf.py").write_text(conf + '\nmermaid_use_local = ""\n', encoding="utf-8")


def _stock(target: Path, docnames: list[str]) -> None:
    """The stock stack: book theme defaults, a flat toctree, no project extension."""
    for year_index in (target / "reports").glob("*/index.md"):
        year_index.unlink()
    toc = "\n".join(docnames)
    (target / "index.md").write_text(
        "# 抓党建工作述职报告汇编\n\n```{toctree}\n:caption: 述职报告\n\n" + toc + "\n```\n\n"
        "```{toctree}\n:caption: 说明\n:hidden:\n\ndocs/about\ndocs/guide\ndocs/glossary\ndocs/publish\n```\n",
        encoding="utf-8")
    (target / "docs" / "glossary.md").write_text("# 术语表\n\n（未启用扩展。）\n", encoding="utf-8")
    conf = (target / "conf.py").read_text(encoding="utf-8")
    conf = conf.replace('    "shuzhi",\n', "")
    conf = re.sub(r"^html_theme_options = \{.*?^\}\n", "", conf, flags=re.M | re.S)
    conf = re.sub(r"^html_sidebars = \{.*?^\}\n", "", conf, flags=re.M | re.S)
    conf += '\nmermaid_use_local = ""\n'
    (target / "conf.py").write_text(conf, encoding="utf-8")


def make_mkdocs(source: Path, target: Path) -> Path:
    """The reports of the source tree *source* (made by :func:`make`) as a MkDocs Material site.

    What a team would set up instead of this project: MkDocs with the Material theme, its
    search plugin for Chinese (jieba segments the text when it is installed), the reports as
    they are (their front matter is MkDocs' page metadata) and the site's own pages; the
    navigation is the folder structure. Returns the folder of ``mkdocs.yml``.
    """
    if target.exists():
        shutil.rmtree(target)
    docs = target / "docs"
    shutil.copytree(source / "reports", docs / "reports")
    for page in ("about", "glossary", "guide", "publish"):
        text = (source / "docs" / f"{page}.md").read_text(encoding="utf-8")
        # MyST directives ({…}) mean nothing to MkDocs: only their text stays.
        (docs / "docs" / f"{page}.md").parent.mkdir(parents=True, exist_ok=True)
        (docs / "docs" / f"{page}.md").write_text(re.sub(r"^```\{.*?^```\n", "", text, flags=re.M | re.S),
                                                 encoding="utf-8")
    for year_index in (docs / "reports").glob("*/index.md"):
        year_index.write_text(f"# {year_index.parent.name}年度\n", encoding="utf-8")
    (docs / "index.md").write_text("# 抓党建工作述职报告汇编\n\n本站汇编各级党组织书记的年度抓党建工作述职报告。\n",
                                   encoding="utf-8")
    (target / "mkdocs.yml").write_text(
        "site_name: 抓党建工作述职报告汇编\n"
        "theme:\n  name: material\n  language: zh\n"
        "plugins:\n  - search:\n      lang: zh\n",
        encoding="utf-8")
    return target
