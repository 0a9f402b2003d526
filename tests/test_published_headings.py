"""The checker knows the part headings of published 述职报告 (tests/data/part_headings.yaml, with sources)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from shuzhi.report.schema import Schema, default_parts


PUBLISHED = yaml.safe_load((Path(__file__).parent / "data" / "part_headings.yaml").read_text(encoding="utf-8"))


def test_the_published_headings_are_many_and_from_several_kinds_of_unit() -> None:
    assert len({entry["heading"] for entry in PUBLISHED}) >= 40
    assert len({entry["unit"] for entry in PUBLISHED}) >= 8
    assert all(entry["source"].startswith(("http://", "https://")) for entry in PUBLISHED)


@pytest.mark.parametrize("entry", PUBLISHED, ids=[entry["heading"] for entry in PUBLISHED])
@pytest.mark.parametrize("number", ["一、", "二、", ""])
def test_a_published_part_heading_is_recognised_in_its_part(entry: dict, number: str) -> None:
    spec = Schema(default_parts()).classify(number + entry["heading"])
    assert spec is not None and spec.key == entry["part"], (entry["heading"], spec and spec.key)
