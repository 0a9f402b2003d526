"""Every editor command that the README and the editors' guide show runs as written.

The commands are read from the documents themselves (``tox -e shuzhi -- …`` lines in their
``bash`` blocks), so the documents cannot drift from the code. Each runs through the
``shuzhi`` console script of the installed package, in a copy of the project, in the
order the document gives. The files the examples import (汇编.txt, 报告.docx, 草稿.md) are
made here from fictional reports.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from conftest import REPO

SHUZHI = Path(sys.executable).parent / "shuzhi"
PREFIX = ["tox", "-e", "shuzhi", "--"]


def documented_commands(document: Path) -> list[list[str]]:
    """The ``tox -e shuzhi -- …`` commands in *document*'s bash blocks, continuation lines joined."""
    blocks = re.findall(r"```bash\n(.*?)```", document.read_text(encoding="utf-8"), flags=re.DOTALL)
    commands = []
    for block in blocks:
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words[:4] == PREFIX:
                commands.append(words[4:])
    return commands


def report_text(year: int, unit: str) -> str:
    return (f"{year}年度{unit}党委书记抓基层党建工作述职报告\n现将履职情况报告如下。\n"
            "一、工作成效\n全年召开支部党员大会4次，落实“三会一课”制度。\n"
            "二、存在问题\n一是学习不够深入。\n"
            "三、下一步工作打算\n一是加强学习。\n")


def example_inputs(folder: Path) -> None:
    """The files the guide's import example names, with distinct years so none replaces another."""
    (folder / "汇编.txt").write_text(report_text(2025, "青山镇"), encoding="utf-8")
    (folder / "草稿.md").write_text(report_text(2026, "绿水街道"), encoding="utf-8")
    document = docx.Document()
    for line in report_text(2027, "白云社区").splitlines():
        document.add_paragraph(line)
    document.save(folder / "报告.docx")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project, as a fresh clone holds it, with the example input files."""
    copy = tmp_path / "site"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(
        "_build", ".tox", ".git", "node_modules", "__pycache__", ".pytest_cache", "*.egg-info", "build"))
    example_inputs(copy)
    return copy


def test_the_installed_command_is_the_package_s_console_script() -> None:
    assert SHUZHI.is_file(), f"no {SHUZHI}: install the project (pip install .), as tox does"
    result = subprocess.run([str(SHUZHI), "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "check" in result.stdout and "import" in result.stdout


@pytest.mark.parametrize("document", ["README.md", "docs/guide.md"])
def test_every_documented_editor_command_runs(project: Path, document: str) -> None:
    commands = documented_commands(REPO / document)
    assert commands, f"{document} shows no `tox -e shuzhi -- …` command"
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    for words in commands:
        result = subprocess.run([str(SHUZHI), *words], cwd=project, capture_output=True, text=True,
                                env=env, check=False)
        assert result.returncode == 0, f"{document}: shuzhi {shlex.join(words)}\n{result.stdout}\n{result.stderr}"


def test_another_site_uses_the_installed_extension(tmp_path: Path) -> None:
    """``extensions = ["shuzhi"]`` in a site outside this repository, without _ext/ on the path."""
    src = tmp_path / "other-site"
    shutil.copytree(REPO / "tests" / "roots" / "test-structure-valid", src)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    where = subprocess.run([sys.executable, "-c", "import shuzhi; print(shuzhi.__file__)"], cwd=src, env=env,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert not Path(where).is_relative_to(REPO / "_ext"), f"shuzhi imported from the sources: {where}"
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", str(src),
                             str(tmp_path / "out")], cwd=src, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "_static" / "shuzhi.css").is_file()
    assert "2023年度测试单位" in (tmp_path / "out" / "reports" / "2023" / "01-test.html").read_text(encoding="utf-8")
