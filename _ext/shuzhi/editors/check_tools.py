"""Check that the programs a full build needs are installed, and say how to install them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import NamedTuple

#: Debian packages for the PDF: TeX Live with ctex and the Fandol fonts, latexmk, fonts.
TEX_PACKAGES = (
    "texlive-xetex texlive-lang-chinese texlive-latex-recommended texlive-latex-extra "
    "texlive-fonts-recommended latexmk tex-gyre fonts-freefont-otf"
)


class Requirement(NamedTuple):
    what: str
    present: bool
    fix: str


def _has_font(family: str) -> bool:
    if not shutil.which("fc-list"):
        return False
    result = subprocess.run(["fc-list", family], capture_output=True, text=True, check=False)
    return bool(result.stdout.strip())


def _has_tex_file(*names: str) -> bool:
    """Whether TeX finds every one of *names* (a package or a font file)."""
    if not shutil.which("kpsewhich"):
        return False
    result = subprocess.run(["kpsewhich", *names], capture_output=True, text=True, check=False)
    return len(result.stdout.split()) == len(names)


def requirements(root: Path) -> list[Requirement]:
    apt = "apt-get install --no-install-recommends"
    return [
        Requirement("xelatex", bool(shutil.which("xelatex")), f"{apt} {TEX_PACKAGES}"),
        Requirement("latexmk", bool(shutil.which("latexmk")), f"{apt} latexmk"),
        Requirement("ctex 宏包和 Fandol 字体（PDF 的中文排版）",
                    _has_tex_file("ctex.sty", "FandolFang-Regular.otf", "FandolKai-Regular.otf"),
                    f"{apt} {TEX_PACKAGES}"),
        Requirement("make", bool(shutil.which("make")), f"{apt} make"),
        Requirement("Chromium（/usr/bin/chromium）", Path("/usr/bin/chromium").exists(), f"{apt} chromium"),
        Requirement("Noto Sans CJK 字体（图表用）", _has_font("Noto Sans CJK SC"), f"{apt} fonts-noto-cjk"),
        Requirement("mermaid-cli（node_modules/.bin/mmdc）", (root / "node_modules/.bin/mmdc").exists(),
                    "PUPPETEER_SKIP_DOWNLOAD=1 npm ci"),
    ]


def check(root: Path) -> int:
    """Print what is missing, with the command that installs it; 0 when nothing is."""
    missing = [req for req in requirements(root) if not req.present]
    for req in missing:
        print(f"缺少 {req.what}。安装：{req.fix}")
    if missing:
        print("或者运行 `sh .ci/bootstrap` 一次安装全部依赖。")
        return 1
    print("构建所需的程序均已安装。")
    return 0
