"""Glossary entries are untrusted input: no script, no attribute injection, no alias bomb.

Fast tier: :func:`shuzhi.glossary.loading.load` and :mod:`shuzhi.report.urls` directly, plus one small
Sphinx build of the hostile entries.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from builds import ROOTS, shuzhi_warnings, sphinx_build

from shuzhi.glossary import entries as glossary

from shuzhi.report import urls

ENTRY = "- term: {term}\n  category: 组织制度\n  definition: 释义。\n"
HOSTILE_URLS = ["javascript:alert(1)", " JavaScript:alert(1)", "\x01javascript:alert(1)", "java\tscript:alert(1)",
                "java\nscript:alert(1)", "vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>",
                "file:///etc/passwd", "\x00\x1f javascript:alert(1)\x7f"]


def load(tmp_path: Path, text: str) -> glossary.Glossary:
    path = tmp_path / "glossary.yaml"
    path.write_text(text, encoding="utf-8")
    return glossary.load(path)


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_a_script_or_file_url_is_never_a_link(url: str) -> None:
    assert not urls.is_safe_link(url)


@pytest.mark.parametrize("url", ["https://www.12371.cn/", "http://www.people.com.cn/x", "mailto:a@b.cn",
                                 "../glossary.html#term-x", "#top", ""])
def test_ordinary_and_relative_links_stay(url: str) -> None:
    assert urls.is_safe_link(url)


@pytest.mark.parametrize("url", HOSTILE_URLS + ["mailto:a@b.cn", "www.12371.cn"])
def test_a_glossary_source_must_be_a_web_address(tmp_path: Path, url: str) -> None:
    escaped = url.replace("\\", "\\\\").replace('"', '\\"').encode("unicode_escape").decode("ascii")
    loaded = load(tmp_path, ENTRY.format(term="三会一课") + f'  source:\n    title: 来源\n    url: "{escaped}"\n')
    assert [(p.line, p.subtype) for p in loaded.problems] == [(4, "glossary_url")]
    assert loaded.concepts[0].source == glossary.Source("来源", "", "")


def test_a_pinyin_override_that_is_not_pinyin_is_refused(tmp_path: Path) -> None:
    loaded = load(tmp_path, ENTRY.format(term="三会一课") + "  pinyin: 'san hui\" onmouseover=\"alert(1) yi ke'\n")
    assert [(p.line, p.subtype) for p in loaded.problems] == [(4, "glossary_pinyin")]
    assert loaded.concepts[0].anchor == "term-san-hui-yi-ke"


def test_yaml_aliases_are_refused_before_they_expand(tmp_path: Path) -> None:
    text = ENTRY.format(term="三会一课") + "  definition: &d 释义\n- term: 主题党日\n  category: 组织制度\n  definition: *d\n"
    loaded = load(tmp_path, text)
    assert [(p.line, p.subtype) for p in loaded.problems] == [(7, "glossary_syntax")]
    assert "*d" in loaded.problems[0].message and loaded.concepts == ()


def test_an_alias_bomb_costs_nothing(tmp_path: Path) -> None:
    """Nine levels of nine aliases: 9**9 strings once expanded (the "billion laughs")."""
    lines = ["- term: 三会一课", "  category: 组织制度", "  l0: &l0 [哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈]"]
    lines += [f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 9)]
    lines.append("  definition: *l8")
    loaded = load(tmp_path, "\n".join(lines) + "\n")
    assert [(p.line, p.subtype) for p in loaded.problems] == [(4, "glossary_syntax")]


def test_hostile_entries_reach_the_pages_as_text(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-glossary-malformed", src)
    (src / "glossary.yaml").write_text(
        "- term: 三会一课\n  pinyin: 'san\" onmouseover=\"alert(1)'\n  category: 组织制度\n"
        "  definition: 释义<img src=x onerror=alert(2)>。\n"
        "  source:\n    title: 来源<b>\n    url: \"\\x01javascript:alert(3)\"\n", encoding="utf-8")
    result = sphinx_build(src, tmp_path / "out")
    assert "Traceback" not in result.stderr
    found = sorted((line, kind) for _, line, kind, _ in shuzhi_warnings(result.stderr, src))
    # The HTML in the definition and in the source's title is shown as text, with a finding each.
    assert found == [(2, "glossary_pinyin"), (4, "glossary_html"), (5, "glossary_url"), (6, "glossary_html")]
    for page in ("glossary.html", "genindex.html"):
        html = (tmp_path / "out" / "html" / page).read_text(encoding="utf-8")
        assert "onmouseover" not in html and "<img src=x" not in html and "javascript:" not in html, page
