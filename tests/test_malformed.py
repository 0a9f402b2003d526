"""Malformed reports never take the site down.

One root holds more than twenty broken reports (plus binary, GBK, UTF-16,
NUL, a 10 MB report and one with 10,000 headings, written here). It is built as the site is built
(``-W --keep-going`` in a subprocess): the build must finish without a
traceback, every file must get its own message, and every other page must
be built.
"""

from __future__ import annotations

import shutil
import time
from collections import defaultdict
from pathlib import Path

import pytest
from builds import ROOTS, shuzhi_warnings, sphinx_build

FOLDER = "reports/2023"

#: The shuzhi findings each file gets (subtypes).
EXPECTED: dict[str, set[str]] = {
    "empty": {"frontmatter", "title", "part_missing"},
    "title-only": {"part_missing"},
    "no-headings": {"title", "part_missing"},
    "only-frontmatter": {"title", "part_missing"},
    "all-h1": {"heading_level"},
    "h3-part": {"heading_level"},
    "ascii-parens": {"numbering_mixed"},
    "duplicated-parts": {"part_repeated"},
    "broken-yaml": {"frontmatter"},
    "list-frontmatter": {"frontmatter"},
    "scalar-frontmatter": {"frontmatter"},
    "empty-frontmatter": {"frontmatter"},
    "unterminated-frontmatter": {"frontmatter"},
    "wrong-types": {"field_invalid", "title", "part_missing"},
    "year-folder": {"field_invalid"},
    "duplicate-key": {"field_invalid"},
    "unknown-headings": {"heading_unknown", "part_missing"},
    "numbering-gap": {"numbering"},
    "order": {"part_order"},
    "empty-part": {"part_empty"},
    "garbled-watermark": {"watermark"},
    "title-not-first": {"title", "heading_level", "heading_unknown"},
    "number-only-heading": {"heading_unknown", "part_missing"},
    "heading-in-code": {"part_missing"},
    "setext": {"numbering"},
    "no-frontmatter-watermark": {"frontmatter", "watermark", "part_missing"},
    "float-year": {"field_invalid"},
    "include-other": {"directive"},
    "deep-emphasis": {"nesting"},
    # Written by the fixture:
    "binary": {"encoding"},
    "gbk": {"encoding"},
    "utf16": {"encoding"},
    "nul": {"frontmatter", "part_missing", "control_character"},
    "big": {"watermark"},
    "many-headings": {"heading_unknown"},
}
UNREADABLE = {"binary", "gbk", "utf16"}

#: The front matter of the reports written here: positions after those of the root's reports (1–20).
FRONT = '---\ntitle: "大报告"\nyear: 2023\nunit_kind: "村"\nreporter: "村党支部书记"\nposition: {}\nsource: "测试"\n---\n\n'
PARAGRAPH = "一是抓实党建责任落实。认真履行第一责任，把基层党建摆在突出位置，召开党建专题会议3次。" * 8

#: A 10 MB report and 10,000 headings: a large build.
pytestmark = pytest.mark.slow


def big_report(size: int = 10_000_000) -> tuple[str, int]:
    """A well-formed report of *size* bytes with a watermark on its last line; (text, that line)."""
    parts = ["# 大报告", "## 一、工作成效及特色亮点", "## 二、存在问题及原因分析", "## 三、下一步工作打算"]
    per_part = size // len(PARAGRAPH.encode()) // 3 + 1
    lines = FRONT.format(21).split("\n")[:-1]
    for heading in parts:
        lines += [heading, ""]
        if heading != parts[0]:
            lines += [PARAGRAPH, ""] * per_part
    lines.append("最后一段。【更多素材搜索哒哒文库】")
    return "\n".join(lines) + "\n", len(lines)


def many_headings(count: int = 10_000) -> str:
    """A report with the three parts, then *count* - 4 unknown ``##`` headings (a pasted outline)."""
    lines = [*FRONT.format(22).split("\n")[:-1], "# 大报告", ""]
    for part in ("一、工作成效及特色亮点", "二、存在问题及原因分析", "三、下一步工作打算"):
        lines += [f"## {part}", "", PARAGRAPH, ""]
    for number in range(1, count - 3):
        lines += [f"## 小标题{number}", "", "一是抓实党建责任落实。", ""]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def malformed(tmp_path_factory):
    base = tmp_path_factory.mktemp("malformed")
    src = base / "src"
    shutil.copytree(ROOTS / "test-malformed", src)
    folder = src / FOLDER
    (folder / "binary.md").write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\xff\xfe\x00\x00word/document.xml")
    (folder / "gbk.md").write_bytes("---\ntitle: 测试\n---\n\n# 测试报告\n\n## 一、工作成效\n".encode("gbk"))
    (folder / "utf16.md").write_bytes("# 测试报告\n\n## 一、工作成效\n".encode("utf-16"))
    (folder / "nul.md").write_text("# 测试\x00报告\n\n## 一、工作\x00成效\n\n内容\x00。\n", encoding="utf-8")
    text, watermark_line = big_report()
    (folder / "big.md").write_text(text, encoding="utf-8")
    (folder / "many-headings.md").write_text(many_headings(), encoding="utf-8")
    start = time.perf_counter()
    result = sphinx_build(src, base / "out")
    seconds = time.perf_counter() - start
    pages = len(list((base / "out" / "html").rglob("*.html")))
    print(f"malformed corpus: {len(EXPECTED)} reports, {len(shuzhi_warnings(result.stderr, src))} messages, "
          f"{pages} pages built in {seconds:.0f} s")
    return src, base / "out" / "html", result, watermark_line


def test_the_build_finishes_without_a_traceback(malformed) -> None:
    src, html, result, _ = malformed
    assert result.returncode == 1, result.stderr[-3000:]  # warnings, treated as errors, after a full build
    for sign in ("Traceback", "Exception occurred", "Extension error", "[shuzhi.internal]"):
        assert sign not in result.stderr
    assert "build finished with problems" in result.stdout + result.stderr


def test_every_file_gets_its_message(malformed) -> None:
    src, _, result, watermark_line = malformed
    assert len(EXPECTED) >= 20
    assert {path.stem for path in (src / FOLDER).glob("*.md")} == set(EXPECTED)
    got: dict[str, set[str]] = defaultdict(set)
    for path, line, kind, message in shuzhi_warnings(result.stderr, src):
        assert path.startswith(FOLDER + "/") and line >= 1 and message.endswith("。"), (path, line, message)
        got[Path(path).stem].add(kind)
    assert dict(got) == EXPECTED
    assert (f"{FOLDER}/big.md", watermark_line, "watermark") in {
        warning[:3] for warning in shuzhi_warnings(result.stderr, src)
    }


def test_every_other_page_is_built(malformed) -> None:
    src, html, _, _ = malformed
    built = {path.stem for path in (html / FOLDER).glob("*.html")}
    assert built == set(EXPECTED) - UNREADABLE
    assert (html / "index.html").is_file() and (html / "genindex.html").is_file() and (html / "search.html").is_file()
    # One page per readable source file, and nothing else.
    sources = [path for path in src.rglob("*.md") if "_build" not in path.parts]
    assert len(list(html.rglob("*.html"))) == len(sources) - len(UNREADABLE) + 2  # + genindex, search


def test_broken_front_matter_is_reported_at_the_bad_line(malformed) -> None:
    src, _, result, _ = malformed
    located = {(Path(path).stem, line, kind) for path, line, kind, _ in shuzhi_warnings(result.stderr, src)}
    assert ("broken-yaml", 2, "frontmatter") in located  # the quote opened on line 2 is never closed
    assert {line for stem, line, kind in located if stem == "wrong-types" and kind == "field_invalid"} == {2, 3, 4, 5, 6}
    assert ("duplicate-key", 7, "field_invalid") in located
    assert ("year-folder", 3, "field_invalid") in located


def test_an_absurd_number_of_headings_gets_a_few_messages(malformed) -> None:
    src, html, result, _ = malformed
    unknown = [(line, message) for path, line, kind, message in shuzhi_warnings(result.stderr, src)
               if path == f"{FOLDER}/many-headings.md" and kind == "heading_unknown"]
    assert len(unknown) == 11  # ten one by one, then one for the rest
    assert "另有 9986 个标题" in unknown[-1][1]
    assert (html / FOLDER / "many-headings.html").read_text(encoding="utf-8").count("小标题") >= 9996


def test_an_included_file_is_reported_and_not_published(malformed) -> None:
    src, html, result, _ = malformed
    assert (f"{FOLDER}/include-other.md", 16, "directive") in {w[:3] for w in shuzhi_warnings(result.stderr, src)}
    page = (html / FOLDER / "include-other.html").read_text(encoding="utf-8")
    assert "抓党建责任落实" in page and "存在的主要问题" not in page  # order.md's heading is not pulled in


def test_float_year_and_position_are_reported(malformed) -> None:
    src, _, result, _ = malformed
    located = {(Path(path).stem, line, kind) for path, line, kind, _ in shuzhi_warnings(result.stderr, src)}
    assert {("float-year", 3, "field_invalid"), ("float-year", 6, "field_invalid")} <= located
