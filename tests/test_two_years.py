"""Two years of reports: the website lists both, the PDF prints the newest year and builds.

The root ``two-years`` holds fictional units (青山镇 in 2022 and 2023, 绿水街道 in 2023).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from builds import ROOTS, sphinx_build, stand_in_pdfs

ROOT = ROOTS / "test-two-years"


@pytest.mark.sphinx("html", testroot="two-years", freshenv=True)
def test_glossary_page_lists_usages_from_both_years(app, warning) -> None:
    app.build()
    assert warning.getvalue() == ""
    page = BeautifulSoup((app.outdir / "glossary.html").read_text(encoding="utf-8"), "html.parser")
    entry = page.find(id="term-san-hui-yi-ke").find_next_sibling("dd")
    reports = [item.a["href"] for item in entry.select(".glossary-usage li")]
    assert reports == ["reports/2023/01-xiangzhen.html", "reports/2023/02-jiedao.html",
                       "reports/2022/01-xiangzhen.html"]


@pytest.mark.pdf
def test_each_year_gets_its_own_pdf_citing_only_its_reports(tmp_path: Path) -> None:
    """The regression of issue #25 (another year's report in a glossary usage list crashed the
    PDF build), and one compilation per year, each with its own cover and contents."""
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    result = sphinx_build(src, tmp_path / "out", "-q", builder="latexpdf")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    latex = tmp_path / "out" / "latex"
    assert sorted(path.name for path in latex.glob("*.pdf") if not path.name.startswith("mermaid")) == [
        "two-years-2022.pdf", "two-years-2023.pdf"]
    older = "".join(subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(latex / "two-years-2022.pdf"), "-"],
                                   capture_output=True, text=True, check=True).stdout.split())
    assert older.startswith("2022年度测试汇编（共1篇）组织部目录第一篇2022年度青山镇党委书记")
    assert "2023年度" not in older.split("附录")[0] and "使用情况：共3处：第一篇3处" in older
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(latex / "two-years-2023.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    text = "".join(text.split())
    assert text.startswith("2023年度测试汇编（共2篇）组织部目录第一篇2023年度青山镇党委书记")
    assert "2023年度青山镇党委书记" in text
    assert "2022年度" not in text
    # 三会一课 is used three times in each report: the appendix counts the printed year's only.
    assert "使用情况：共6处：第一篇3处、第二篇3处" in text[text.rindex("附录二术语表"):]
    # The 民主测评表 (shuzhi_pdf_rating_form): one row per printed report, and room to sign.
    # 整改跟踪 (appendix one): last year's problem list against the printed year's report.
    tracking = text[text.rindex("附录一整改跟踪"):text.rindex("附录二术语表")]  # the chapters, not the contents
    assert "青山镇党委（2022→2023）：“三会一课”质量不高，有的流于形式——本年度报告有1句提到" in tracking
    assert "青山镇党委（2022→2023）：青年党员发展偏少——2023年度报告的成效、整改部分中没有找到对应的句子" in tracking
    form = text[text.rindex("附录三民主测评表"):]
    assert form.index("1青山镇党委青山镇党委书记") < form.index("2绿水街道党工委") < form.index("测评人签名：")
    assert all(column in form for column in ("序号", "单位", "述职人", "好", "较好", "一般", "差", "日期："))
    # The second report's review is printed after it, marked as the reviewer's.
    assert "评议意见（上级点评和问题清单，不是报告原文）问题清单：1.网格党建覆盖不全" in text


def test_each_report_links_its_own_year_s_pdf_also_under_dirhtml(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    pdfs = stand_in_pdfs(tmp_path / "pdfs", "two-years", ["2022", "2023"])
    for builder in ("html", "dirhtml"):
        out = tmp_path / builder / builder
        result = sphinx_build(src, tmp_path / builder, "-q", "-D", f"shuzhi_pdf_source={pdfs}", builder=builder)
        assert result.returncode == 0, result.stderr
        suffix = ".html" if builder == "html" else "/index.html"
        pages = {"reports/2023/01-xiangzhen": ("two-years-2023.pdf", "下载 PDF 汇编（本报告为第一篇）"),
                 "reports/2022/01-xiangzhen": ("two-years-2022.pdf", "下载 PDF 汇编（本报告为第一篇）"),
                 "reports/2022/index": ("two-years-2022.pdf", "下载2022年度汇编的 PDF 印刷版"),
                 "index": ("two-years-2023.pdf", "下载2023年度汇编的 PDF 印刷版")}
        for page, (pdf, label) in pages.items():
            path = out / (page + suffix if not (builder == "dirhtml" and page.endswith("index")) else page + ".html")
            link = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("a.pdf-download-link")
            assert link is not None and link.text == label, (builder, page)
            assert path.parent.joinpath(link["href"]).resolve() == (out / pdf).resolve(), (builder, page)
            assert (out / pdf).is_file()


@pytest.mark.parametrize(("year", "docname", "expected"), [
    ("2023", "reports/2023/01-a", "2023"),
    # A year field that is not a year (a finding of the front-matter check) never names a file:
    # the report is printed in its folder's year.
    ("2023<script>window.injected=1</script>", "reports/2023/01-a", "2023"),
    ("../../x", "reports/2024/01-a", "2024"),
    ("２０２３", "reports/2023/01-a", "2023"),
    ("二〇二三", "reports/misc/01-a", None),
])
def test_a_report_is_printed_in_a_year_that_is_four_ascii_digits(year, docname, expected) -> None:
    from shuzhi.pdf.compilation import printed_year
    from shuzhi.report.records import ReportRecord

    assert printed_year(ReportRecord(docname, "标题", {"year": year}, 0, ())) == expected
