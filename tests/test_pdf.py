"""The PDF compilation, read from the PDF itself (text, fonts), not from the build's exit code."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from conftest import sentences


def page_size(pdf: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    return float(match.group(1)), float(match.group(2))


def pdf_text(pdf: Path, band: float = 0.07) -> str:
    """The body text of every page: the running header and footer bands are cropped off."""
    width, height = page_size(pdf)
    crop = ["-x", "0", "-y", str(int(height * band)), "-W", str(int(width)), "-H", str(int(height * (1 - 2 * band)))]
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *crop, str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def squeeze(text: str) -> str:
    """Drop all white space: the PDF breaks lines anywhere and spaces CJK from Latin."""
    return re.sub(r"\s+", "", text)


def test_every_seed_sentence_reaches_the_pdf(site_pdf: Path, seed_reports: list[str]) -> None:
    text = squeeze(pdf_text(site_pdf))
    wanted = [squeeze(sentence) for report in seed_reports for sentence in sentences(report)]
    missing = [sentence for sentence in wanted if sentence not in text]
    assert missing == []


def test_pdf_has_no_missing_glyphs_and_embeds_every_font(site_pdf: Path) -> None:
    log = site_pdf.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log
    fonts = subprocess.run(["pdffonts", str(site_pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not_embedded == []
