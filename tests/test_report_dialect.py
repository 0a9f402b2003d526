"""The report dialect: a hostile report reaches no file, no URL and no script, and is still published.

The root ``report-dialect`` holds one report that tries every way out the dialect closes
(directives that read files or URLs, ``{eval-rst}``, roles, ``myst:`` settings in the front
matter, HTML, remote and outside images, links to outside files and to a web page, control
characters). It is built in a copy whose parent folder holds a canary file, next to a
report that is a symlink to the canary.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from builds import ROOTS, shuzhi_warnings, sphinx_build

from shuzhi.editors import check as checking

CANARY = "CANARY-5d1e-outside-the-tree"
REPORT = "reports/2023/01-hostile.md"

#: (line, subtype) of every finding the hostile report gets, in the build and in check.
PARSE_FINDINGS = [
    (3, "myst_settings"), (11, "directive"), (14, "directive"), (18, "directive"), (22, "directive"),
    (30, "directive"), (33, "directive"), (36, "role"), (36, "role"), (46, "control_character"),
]
#: Raw HTML and script links, found on the doctree by the build and by check alike.
MARKUP_FINDINGS = [(38, "raw_html")]
#: Images and downloads, resolved by the build only (check has no Sphinx environment to resolve files in).
BUILD_FINDINGS = [(40, "external_resource"), (42, "outside_file"), (42, "outside_file"), (42, "file_type")]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("dialect")
    (base / "canary.txt").write_text(CANARY + "\n", encoding="utf-8")
    (base / "canary.png").write_text(CANARY + "\n", encoding="utf-8")
    src = base / "site"
    shutil.copytree(ROOTS / "test-report-dialect", src)
    (src / "reports" / "2023" / "02-link.md").symlink_to(base / "canary.txt")
    result = sphinx_build(src, base / "out")
    return src, base / "out" / "html", result


def test_every_way_out_is_a_finding_at_its_line(hostile) -> None:
    src, _, result = hostile
    assert "Traceback" not in result.stderr
    found = sorted((line, kind) for path, line, kind, _ in shuzhi_warnings(result.stderr, src) if path == REPORT)
    assert found == sorted(PARSE_FINDINGS + MARKUP_FINDINGS + BUILD_FINDINGS)
    assert [(path, line, kind) for path, line, kind, _ in shuzhi_warnings(result.stderr, src) if path != REPORT] == [
        ("reports/2023/02-link.md", 1, "outside_file")]


def test_nothing_outside_the_report_folders_is_published(hostile) -> None:
    _, html, _ = hostile
    leaked = [str(path.relative_to(html)) for path in html.rglob("*") if path.is_file()
              and CANARY.encode() in path.read_bytes()]
    assert leaked == []
    assert not (html / "_downloads").exists()
    assert sorted(path.name for path in (html / "_images").iterdir()) == ["ok.png"]
    assert not (html / "reports" / "2023" / "02-link.html").exists()


def test_no_external_resource_and_no_script_reach_the_page(hostile) -> None:
    _, html, _ = hostile
    page = (html / "reports" / "2023" / "01-hostile.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert [img["src"] for img in soup.find_all("img") if "example.org" in img.get("src", "")] == []
    assert soup.find("meta", attrs={"http-equiv": True}) is None
    assert [a["href"] for a in soup.find_all("a", href=True) if "evil" in a["href"] or "canary" in a["href"]] == []
    assert [script for script in soup.find_all("script") if "window.injected" in script.text] == []
    # What was refused is shown as the author wrote it.
    assert "```{literalinclude} ../../../canary.txt" in page and "{download}`附件" in page


def test_check_finds_what_the_parser_and_the_markup_rules_find(hostile) -> None:
    src, _, _ = hostile
    out = io.StringIO()
    status = checking.run([str(src / REPORT)], str(src), out=out, quiet=True)
    assert status == 1
    found = sorted((int(line.split(":")[1]), line.rsplit("[shuzhi.", 1)[1].rstrip("]"))
                   for line in out.getvalue().splitlines() if "[shuzhi." in line)
    assert found == sorted(PARSE_FINDINGS + MARKUP_FINDINGS)


@pytest.mark.pdf
def test_deep_lists_and_quotes_keep_every_word_and_the_pdf_builds(tmp_path: Path) -> None:
    """markdown-it drops a page's rest past 20 levels and LaTeX stops at 4 or 6: neither may happen."""
    import subprocess

    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-two-years", src)
    report = src / "reports" / "2023" / "02-jiedao.md"
    nested = "\n".join("  " * level + f"- 第{level}层" for level in range(12))
    quotes = "> " * 11 + "十一层引用\n\n" + "> " * 600 + "六百层引用"
    report.write_text(report.read_text(encoding="utf-8").replace(
        "二是更新宣传栏3处。", f"二是更新宣传栏3处。\n\n{nested}\n\n{quotes}\n"), encoding="utf-8")
    result = sphinx_build(src, tmp_path / "out")
    found = [(line, kind) for path, line, kind, _ in shuzhi_warnings(result.stderr, src) if path.endswith("02-jiedao.md")]
    assert [kind for _, kind in found] == ["nesting", "nesting", "nesting"]
    page = BeautifulSoup((tmp_path / "out" / "html" / "reports/2023/02-jiedao.html").read_text(encoding="utf-8"),
                         "html.parser").get_text()
    for words in ("第0层", "第11层", "十一层引用", "六百层引用", "下一步工作打算", "做好发展党员工作"):
        assert words in page, words
    pdf = sphinx_build(src, tmp_path / "pdf", "-q", builder="latexpdf", strict=False)
    assert pdf.returncode == 0, pdf.stdout[-2000:] + pdf.stderr
    text = subprocess.run(["pdftotext", str(tmp_path / "pdf" / "latex" / "two-years-2023.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    text = "".join(text.split())
    assert "第11层" in text and "六百层引用" in text and "做好发展党员工作" in text
