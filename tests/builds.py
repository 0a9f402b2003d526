"""Helpers for tests that run sphinx-build in a subprocess and read its warnings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ROOTS = REPO / "tests" / "roots"

_WARNING = re.compile(r"^(?P<path>.+?):(?P<line>\d+): WARNING: (?P<message>.*) \[(?P<type>[a-z_.-]+)\]$", re.MULTILINE)


def sphinx_build(src: Path, out: Path, *options: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``python -m sphinx -b html -W --keep-going`` as the site is built, into *out* (*env*: the environment)."""
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "--no-color",
           "-d", str(out / "doctrees"), *options, str(src), str(out / "html")]
    env = {**(os.environ if env is None else env), "PYTHONPATH": str(REPO / "_ext")}
    return subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)


def shuzhi_warnings(stderr: str, src: Path) -> list[tuple[str, int, str, str]]:
    """(path relative to *src*, line, subtype, message) of every shuzhi warning, in output order."""
    found = []
    for match in _WARNING.finditer(stderr):
        if not match["type"].startswith("shuzhi."):
            continue
        path = Path(match["path"])
        if path.is_absolute():
            path = path.relative_to(src)
        found.append((path.as_posix(), int(match["line"]), match["type"].removeprefix("shuzhi."), match["message"]))
    return found
