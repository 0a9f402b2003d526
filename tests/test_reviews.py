"""Review records (点评意见, 问题清单) beside each report: validated, shown after the report, marked."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from builds import ROOTS, shuzhi_warnings, sphinx_build

from shuzhi.review import comments as reviews

VALID = "comment:\n  by: 县委书记\n  date: 2024-01-15\n  text: 思路清晰。\nproblems:\n  - 问题一\n  - 问题二\n"


def test_a_valid_review_is_read_whole() -> None:
    review, problems = reviews.load(VALID, "r.review.yaml")
    assert problems == []
    assert review == reviews.Review("r.review.yaml", "县委书记", "2024-01-15", "思路清晰。", ("问题一", "问题二"))


@pytest.mark.parametrize(("text", "line", "words"), [
    ("comment:\n  by: 县委书记\n  text: 好。\nscore: 90\n", 4, "“score”不是已知的项"),
    ("comment:\n  by: 县委书记\n  date: 一月\n  text: 好。\n", 3, "应写成 2024-01-15"),
    ("comment:\n  by: 县委书记\n  text: ''\n", 3, "没有内容"),
    ("comment:\n  text: 好。\n", 2, "没有写点评人"),
    ("comment:\n  by: 书记\n  text: 好。\n  who: 我\n", 4, "“who”不是已知的项"),
    ("problems: 一个问题\n", 1, "应是列表"),
    ("comment: [未闭合\n", 2, "不是有效的 YAML"),
    ("- 列表\n", 1, "应以 comment:"),
    ("problems: &p [一]\ncomment:\n  by: 书记\n  text: *p\n", 4, "YAML 别名"),
])
def test_each_problem_names_its_line(text: str, line: int, words: str) -> None:
    _, problems = reviews.load(text, "r.review.yaml")
    assert [(problem.line, words in problem.message) for problem in problems] == [(line, True)]


@pytest.fixture
def built(two_years_html: Path) -> Path:
    return two_years_html


def review_box(html: Path, page: str):
    return BeautifulSoup((html / page).read_text(encoding="utf-8"), "html.parser").select_one("div.report-review")


def test_the_review_follows_the_report_marked_as_the_reviewer_s(built: Path) -> None:
    box = review_box(built, "reports/2022/01-xiangzhen.html")
    assert box.select_one("p.rubric").get_text() == "评议意见（上级点评和问题清单，不是报告原文）"
    assert "（县委书记，2023-01-16）" in box.get_text()
    assert [item.get_text(strip=True) for item in box.select("ol li")] == ["“三会一课”质量不高，有的流于形式", "青年党员发展偏少"]
    # After the author's text: the last part of the report comes before it.
    page = (built / "reports/2022/01-xiangzhen.html").read_text(encoding="utf-8")
    assert page.index("三、下一步工作打算") < page.index("评议意见（上级点评")
    assert review_box(built, "reports/2023/01-xiangzhen.html") is None


@pytest.mark.slow
def test_a_broken_review_is_reported_on_every_build_and_a_new_one_is_found(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-two-years", src)
    broken = src / "reports" / "2023" / "02-jiedao.review.yaml"
    broken.write_text("problems:\n  - 网格党建覆盖不全\nscore: 90\n", encoding="utf-8")
    for _ in range(2):  # the second build reads nothing: the finding is still there
        result = sphinx_build(src, tmp_path / "out")
        found = [(path, line, kind) for path, line, kind, _ in shuzhi_warnings(result.stderr, src)]
        assert found == [("reports/2023/02-jiedao.review.yaml", 3, "review")]
    new = src / "reports" / "2023" / "01-xiangzhen.review.yaml"
    new.write_text("problems:\n  - 新问题\n", encoding="utf-8")
    time.sleep(0.01)
    sphinx_build(src, tmp_path / "out")
    box = review_box(tmp_path / "out" / "html", "reports/2023/01-xiangzhen.html")
    assert box is not None and "新问题" in box.get_text()
