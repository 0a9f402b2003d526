"""The extension's configuration is one table (``shuzhi.build.config.OPTIONS``).

Every value is declared from it, the sidebar's own included; values with a few
choices are Sphinx ENUMs; an invalid value is one Chinese ``shuzhi.config``
warning and the default, never a stopped build.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

from shuzhi.build import config as shuzhi_config

PACKAGE = Path(__file__).resolve().parent.parent / "_ext" / "shuzhi"


def _plain(text: str) -> str:
    """*text* without the terminal's colours."""
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


@pytest.mark.sphinx("html", testroot="raw-html", confoverrides={"shuzhi_link_policy": "every"})
def test_an_unknown_link_policy_is_one_chinese_warning_and_the_default(app) -> None:
    warnings = _plain(app.warning.getvalue())
    assert re.findall(r"^.*shuzhi_link_policy.*$", warnings, re.MULTILINE) == [
        "WARNING: 配置项 shuzhi_link_policy 无效：'every' 应为 first-per-section、all 之一。已改用默认值。 [shuzhi.config]"]
    assert app.config.shuzhi_link_policy == "first-per-section"


def test_values_with_choices_are_declared_as_enums(make_app, tmp_path) -> None:
    from sphinx.config import ENUM

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["shuzhi"]\nshuzhi_mermaid_dist = ""\n', encoding="utf-8")
    app = make_app("html", srcdir=src)
    for name, choices in (("shuzhi_link_policy", shuzhi_config.LINK_POLICIES),
                          ("shuzhi_pdf_style", shuzhi_config.PDF_STYLES)):
        declared = app.config._options[name].valid_types
        assert isinstance(declared, ENUM)
        assert [declared.match(choice) for choice in (*choices, "other")] == [*(True for _ in choices), False]


def test_navigation_alone_declares_its_value_from_the_one_table(make_app, tmp_path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["shuzhi.html.navigation"]\nshuzhi_nav_max_items = 4\n', encoding="utf-8")
    (src / "index.rst").write_text("首页\n====\n", encoding="utf-8")
    app = make_app("html", srcdir=src)
    app.build()
    assert _plain(app.warning.getvalue()) == ""
    assert app.config.shuzhi_nav_max_items == 4
    option = shuzhi_config.option_of("shuzhi_nav_max_items")
    assert app.config._options["shuzhi_nav_max_items"].default == option.default == 30
    assert app.config._options["shuzhi_nav_max_items"].description == option.description


def test_config_imports_no_feature_above_it() -> None:
    """build/config.py reads the pure rules and the glossary's data, not the features that read it."""
    tree = ast.parse((PACKAGE / "build" / "config.py").read_text(encoding="utf-8"))
    imported = {f"{'.' * node.level}{node.module or ''}:{alias.name}"
                for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level
                for alias in node.names}
    assert imported == {"..glossary:entries", "..glossary:sources", "..report:kinds", "..report:schema",
                        "..report:watermarks", "..report.mentions:LINK_FIRST_PER_SECTION",
                        "..report.mentions:POLICIES"}
    assert shuzhi_config.default_of("shuzhi_glossary_categories") is shuzhi_config.glossary_entries.DEFAULT_CATEGORIES


def test_a_build_leaves_sphinx_defaults_as_they_were(tmp_path: Path) -> None:
    """Adding our folder to ``templates_path`` in place would change Sphinx's default list
    (a class attribute) for every later build in the process: a second build would then see
    "the configuration has changed" and rewrite every page."""
    from builds import ROOTS, sphinx_build
    from sphinx.config import Config

    result = sphinx_build(ROOTS / "test-structure-valid", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert Config.config_values["templates_path"].default == []



def test_the_guide_shows_the_generated_table_and_no_copied_rows() -> None:
    """docs/guide.md has the table of configuration values made from OPTIONS, and no row of it by hand."""
    guide = (PACKAGE.parent.parent / "docs" / "guide.md").read_text(encoding="utf-8")
    assert guide.count("```{shuzhi-config-values}\n```") == 1
    assert re.findall(r"^\| `shuzhi_\w+` \|", guide, re.MULTILINE) == []


def test_the_config_values_directive_renders_one_row_per_option(tmp_path: Path) -> None:
    """A real build of a small site: the directive's table has a row per entry of OPTIONS, in order,
    with its name, its default and its guide text."""
    from bs4 import BeautifulSoup
    from builds import ROOTS, sphinx_build

    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-structure-valid", src)
    (src / "docs").mkdir()
    (src / "docs" / "values.md").write_text("# 配置项\n\n```{shuzhi-config-values}\n```\n", encoding="utf-8")
    (src / "docs" / "search.md").write_text("# 站内搜索\n", encoding="utf-8")  # a row links to it, as in the site
    with (src / "index.md").open("a", encoding="utf-8") as index:
        index.write("\n```{toctree}\ndocs/values\ndocs/search\n```\n")
    result = sphinx_build(src, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((tmp_path / "out" / "html" / "docs" / "values.html").read_text(encoding="utf-8"), "html.parser")
    assert [th.get_text() for th in soup.select("table thead th")] == ["配置项", "默认值", "作用"]
    rows = [[cell.get_text() for cell in row.select("td")] for row in soup.select("table tbody tr")]
    assert [row[0] for row in rows] == [option.name for option in shuzhi_config.OPTIONS]
    by_name = {row[0]: row for row in rows}
    assert by_name["shuzhi_report_dirs"] == ["shuzhi_report_dirs", '("reports",)',
                                             "存放报告的目录；其中除 index 外的每个页面都是一篇报告"]
    assert by_name["shuzhi_glossary_categories"] == ["shuzhi_glossary_categories", "七个分类", "术语条目允许的分类"]
    assert by_name["shuzhi_nav_max_items"][1] == "30"
