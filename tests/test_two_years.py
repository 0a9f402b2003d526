"""Two years of reports: the website lists both, the PDF prints the newest year and builds.

The root ``two-years`` holds fictional units (青山镇 in 2022 and 2023, 绿水街道 in 2023).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO

ROOT = REPO / "tests" / "roots" / "test-two-years"


@pytest.mark.sphinx("html", testroot="two-years", freshenv=True)
def test_glossary_page_lists_usages_from_both_years(app, warning) -> None:
    app.build()
    assert warning.getvalue() == ""
    page = BeautifulSoup((app.outdir / "glossary.html").read_text(encoding="utf-8"), "html.parser")
    entry = page.find(id="term-san-hui-yi-ke").find_next_sibling("dd")
    reports = [item.a["href"] for item in entry.select(".glossary-usage li")]
    assert reports == ["reports/2023/01-xiangzhen.html", "reports/2023/02-jiedao.html",
                       "reports/2022/01-xiangzhen.html"]


def test_pdf_of_the_newest_year_builds_and_cites_only_its_reports(tmp_path: Path) -> None:
    """The regression of issue #25: another year's report in a glossary usage list crashed the PDF."""
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    env = {**os.environ, "PYTHONPATH": str(REPO / "_ext")}
    result = subprocess.run([sys.executable, "-m", "sphinx", "-M", "latexpdf", str(src), str(tmp_path / "out"),
                             "-W", "--keep-going", "-q"], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "out" / "latex" / "two-years.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    text = "".join(text.split())
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


def test_the_pdf_link_is_on_the_printed_year_s_reports_only_and_resolves_under_dirhtml(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    pdf = tmp_path / "two-years.pdf"
    pdf.write_bytes(b"%PDF-1.4 stand-in for the built compilation\n")
    env = {**os.environ, "PYTHONPATH": str(REPO / "_ext")}
    for builder in ("html", "dirhtml"):
        out = tmp_path / builder
        result = subprocess.run([sys.executable, "-m", "sphinx", "-b", builder, "-W", "-q", "-D",
                                 f"shuzhi_pdf_source={pdf}", str(src), str(out)],
                                capture_output=True, text=True, env=env, check=False)
        assert result.returncode == 0, result.stderr
        pages = {"html": ("reports/2023/01-xiangzhen.html", "reports/2022/01-xiangzhen.html"),
                 "dirhtml": ("reports/2023/01-xiangzhen/index.html", "reports/2022/01-xiangzhen/index.html")}[builder]
        printed, other = (BeautifulSoup((out / page).read_text(encoding="utf-8"), "html.parser") for page in pages)
        link = printed.select_one("a.pdf-download-link")
        assert link is not None and link.text == "下载 PDF 汇编（本报告为第一篇）"
        assert (out / pages[0]).parent.joinpath(link["href"]).resolve() == (out / "two-years.pdf").resolve()
        assert (out / "two-years.pdf").is_file()
        assert other.select_one("a.pdf-download-link") is None
