"""The glossary file: validation with file:line, pinyin order, stable anchors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import REPO

from shuzhi.glossary import entries as glossary

ENTRY = "- term: {term}\n  category: 组织制度\n  definition: 释义。\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "glossary.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[tuple[int, str]]:
    return [(p.line, p.subtype) for p in glossary.load(write(tmp_path, text)).problems]


def test_the_real_glossary_is_valid_and_large_enough() -> None:
    path = REPO / "docs" / "glossary.yaml"
    loaded = glossary.load(path)
    assert loaded.problems == ()
    assert len(loaded.concepts) == len(yaml.safe_load(path.read_text(encoding="utf-8")))  # every entry
    assert len(loaded.concepts) >= 45
    for concept in loaded.concepts:
        # Published with an official source, or pending with a note for the editors.
        assert concept.definition and concept.category and (concept.verified or concept.source.note)


def test_duplicate_term_names_both_lines(tmp_path: Path) -> None:
    text = ENTRY.format(term="三会一课") + ENTRY.format(term="主题党日") + ENTRY.format(term="三会一课")
    loaded = glossary.load(write(tmp_path, text))
    assert [(p.line, p.subtype) for p in loaded.problems] == [(7, "glossary_duplicate")]
    assert "第 1 行" in loaded.problems[0].message


def test_alias_colliding_with_another_term_or_alias(tmp_path: Path) -> None:
    text = (ENTRY.format(term="中央八项规定") + "  aliases: [八项规定]\n"
            + ENTRY.format(term="八项规定")
            + ENTRY.format(term="四风") + "  aliases: [八项规定]\n")
    assert problems(tmp_path, text) == [(5, "glossary_alias"), (11, "glossary_alias")]


def test_empty_definition_is_reported_at_its_line(tmp_path: Path) -> None:
    text = "- term: 三会一课\n  category: 组织制度\n  definition: ''\n"
    assert problems(tmp_path, text) == [(3, "glossary_definition")]


def test_unknown_related_concept_and_self_reference(tmp_path: Path) -> None:
    text = ENTRY.format(term="三会一课") + "  related: [主题党日, 三会一课]\n"
    assert problems(tmp_path, text) == [(4, "glossary_related"), (4, "glossary_related")]


def test_yaml_syntax_error_gives_its_line(tmp_path: Path) -> None:
    text = ENTRY.format(term="三会一课") + "- term: [未闭合\n"
    assert problems(tmp_path, text) == [(5, "glossary_syntax")]


@pytest.mark.parametrize(("text", "subtype", "message"), [
    ("term: 三会一课\n", "glossary_syntax", "术语表的顶层应是列表：每个条目以“- term: …”开头。"),
    ("- 三会一课\n", "glossary_syntax", "条目应是“字段: 值”的映射，例如“- term: 三会一课”。"),
    ("- category: 组织制度\n", "glossary_term", "条目缺少 term（术语）：请填写规范术语。"),
])
def test_wrong_shapes_are_reported_not_raised(tmp_path: Path, text: str, subtype: str, message: str) -> None:
    loaded = glossary.load(write(tmp_path, text))
    assert [(p.line, p.subtype, p.message) for p in loaded.problems] == [(1, subtype, message)]
    assert loaded.concepts == ()


def test_one_character_term_is_flagged_and_never_linked(tmp_path: Path) -> None:
    loaded = glossary.load(write(tmp_path, ENTRY.format(term="党")))
    assert [(p.subtype) for p in loaded.problems] == ["glossary_term"]
    assert loaded.terms().find("党建工作") == []


def test_regex_metacharacters_are_plain_text(tmp_path: Path) -> None:
    loaded = glossary.load(write(tmp_path, ENTRY.format(term="党建+机关文化")))
    assert loaded.terms().find("推进党建+机关文化建设，党建机关文化") == [(2, 9, "党建+机关文化", "党建+机关文化")]


def test_concepts_sort_by_pinyin_and_group_a_to_z(tmp_path: Path) -> None:
    text = "".join(ENTRY.format(term=t) for t in ["主题党日", "三会一课", "一岗双责", "党费", "四风", "两个维护"])
    loaded = glossary.load(write(tmp_path, text))
    assert [c.term for c in loaded.concepts] == ["党费", "两个维护", "三会一课", "四风", "一岗双责", "主题党日"]
    groups = glossary.group_by_letter(loaded.concepts)
    assert [(letter, [c.term for c in cs]) for letter, cs in groups] == [
        ("D", ["党费"]), ("L", ["两个维护"]), ("S", ["三会一课", "四风"]), ("Y", ["一岗双责"]), ("Z", ["主题党日"]),
    ]


def test_anchors_are_pinyin_and_survive_adding_terms(tmp_path: Path) -> None:
    before = glossary.load(write(tmp_path, ENTRY.format(term="三会一课") + ENTRY.format(term="四风")))
    text = ENTRY.format(term="安全生产") + ENTRY.format(term="三会一课") + ENTRY.format(term="主题党日") + ENTRY.format(term="四风")
    after = glossary.load(write(tmp_path, text))
    anchors_before = {c.term: c.anchor for c in before.concepts}
    anchors_after = {c.term: c.anchor for c in after.concepts}
    assert anchors_before == {"三会一课": "term-san-hui-yi-ke", "四风": "term-si-feng"}
    assert {term: anchors_after[term] for term in anchors_before} == anchors_before


def test_homophones_get_distinct_anchors(tmp_path: Path) -> None:
    loaded = glossary.load(write(tmp_path, ENTRY.format(term="党费") + ENTRY.format(term="党风")))
    assert sorted(c.anchor for c in loaded.concepts) == ["term-dang-fei", "term-dang-feng"]
    loaded = glossary.load(write(tmp_path, ENTRY.format(term="试点") + ENTRY.format(term="实点")))
    anchors = [c.anchor for c in loaded.concepts]
    assert len(set(anchors)) == 2 and all(a.startswith("term-shi") for a in anchors)


def test_pinyin_override_fixes_a_wrong_reading() -> None:
    concept = glossary.load(REPO / "docs" / "glossary.yaml").by_term()["三重一大"]
    assert concept.anchor == "term-san-zhong-yi-da" and concept.initials == "szyd"


def test_longest_match_wins(tmp_path: Path) -> None:
    text = ENTRY.format(term="中央八项规定") + "  aliases: [八项规定, 中央八项规定精神]\n"
    loaded = glossary.load(write(tmp_path, text))
    assert [m[2] for m in loaded.terms().find("落实中央八项规定精神和八项规定")] == ["中央八项规定精神", "八项规定"]
