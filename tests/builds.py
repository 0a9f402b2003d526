"""The one way tests run sphinx-build in a subprocess, and the one way they read its messages.

:func:`sphinx_build` runs ``python -m sphinx`` as the site is built (``-W --keep-going``), with
the repository's ``_ext`` first on ``PYTHONPATH``; :func:`site_build` builds the repository itself.
:func:`messages` reads what Sphinx printed (a build's stderr, or a test app's warning stream);
:func:`shuzhi_warnings` keeps the project's own.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parent.parent
ROOTS = REPO / "tests" / "roots"
IN_PROCESS = os.environ.get("SHUZHI_TEST_IN_PROCESS", "1") == "1"


def sphinx_build(src: Path, out: Path, *options: str, builder: str = "html", strict: bool = True,
                 env: dict[str, str] | None = None, cwd: Path | None = None,
                 isolated: bool = False) -> subprocess.CompletedProcess:
    """Build *src* into ``out/<builder>``, its doctrees in ``out/doctrees``; what ``python -m sphinx`` returns and prints.

    *strict*: ``-W --keep-going``, as the site is built. ``builder="latexpdf"`` runs make mode
    (``-M latexpdf``: the .tex and the PDF in ``out/latex``). A first build into *out* runs in
    this process, with the extension this process imported (the repository's ``_ext``, see
    conftest.py): that saves the interpreter's start and the imports, about a second of CPU a
    build. A build runs in a process of its own, as ``sphinx-build`` does, when it is incremental
    (*out* has doctrees: what one process keeps between builds must not decide what a later
    build writes), when *src* is a copy of the site (its conf.py imports the copy's ``_ext``, whose
    paths end up in the configuration), when *env* is given (its environment; ``PYTHONPATH`` is then the repository's
    ``_ext``), when *isolated* (what the interpreter does at start, such as
    ``PYTHONPROFILEIMPORTTIME``), and for a PDF.
    """
    flags = ["--no-color", *(["-W", "--keep-going"] if strict else [])]
    if builder == "latexpdf":  # make mode: -M must come first; doctrees go to out/doctrees
        args = ["-M", "latexpdf", str(src), str(out), *flags, *options]
    else:
        args = ["-b", builder, *flags, "-d", str(out / "doctrees"), *options, str(src), str(out / builder)]
    # A copy of the site brings its own _ext, which its conf.py puts first on sys.path.
    own_extension = (Path(src) / "_ext").is_dir() and Path(src).resolve() != REPO
    if IN_PROCESS and env is None and not isolated and builder != "latexpdf" and not own_extension and not (out / "doctrees").exists():
        return _in_this_process(args, cwd)
    env = {**(os.environ if env is None else env), "PYTHONPATH": str(REPO / "_ext")}
    return subprocess.run([sys.executable, "-m", "sphinx", *args], capture_output=True, text=True, env=env, cwd=cwd,
                          check=False)


def _in_this_process(args: list[str], cwd: Path | None) -> subprocess.CompletedProcess:
    """``sphinx.cmd.build.main(args)`` in *cwd*, its output captured as a subprocess's would be."""
    from sphinx.cmd.build import main

    stdout, stderr = io.StringIO(), io.StringIO()
    before = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main(args)
    finally:
        os.chdir(before)
    return subprocess.CompletedProcess([sys.executable, "-m", "sphinx", *args], code, stdout.getvalue(), stderr.getvalue())


def site_build(out: Path, *options: str, builder: str = "html") -> subprocess.CompletedProcess:
    """The repository's own site, built quietly into *out* as :func:`sphinx_build` lays it out."""
    return sphinx_build(REPO, out, "-q", *options, builder=builder, cwd=REPO)


def stand_in_pdfs(folder: Path, stem: str, years: list[str]) -> Path:
    """*folder* holding a small stand-in for each year's compilation PDF (``<stem>-<year>.pdf``),
    for ``shuzhi_pdf_source``: the HTML build publishes and links them as it would the real ones."""
    folder.mkdir(parents=True, exist_ok=True)
    for year in years:
        (folder / f"{stem}-{year}.pdf").write_bytes(f"%PDF-1.4 stand-in for the {year} compilation\n".encode())
    return folder


class Message(NamedTuple):
    """One message Sphinx printed."""

    path: str  #: relative to the source folder (as printed when outside it); "" when no file is named
    line: int  #: 0 when no line is named
    level: str  #: WARNING, ERROR, CRITICAL or SEVERE
    type: str  #: "shuzhi.part_order", "toc.not_included", … ("" when untyped)
    text: str  #: the first line, without the " [type]" suffix
    record: str  #: the whole message: its lines up to the last that ends with " [type]" (or up to the next message)

    @property
    def subtype(self) -> str:
        """The shuzhi subtype ("part_order"), "" for others' messages."""
        return self.type.removeprefix("shuzhi.") if self.type.startswith("shuzhi.") else ""

    def located(self) -> str:
        """``path:line: LEVEL: text [type]``, as Sphinx prints a located message's first line."""
        return f"{self.path}:{self.line}: {self.level}: {self.text}" + (f" [{self.type}]" if self.type else "")


#: A message's start: an absolute path (Sphinx names files so), its line, the level.
_START = re.compile(r"^(?:(?P<path>/[^\n]*?)(?::(?P<line>\d+))?: )?(?P<level>WARNING|ERROR|CRITICAL|SEVERE): ",
                    re.MULTILINE)
_TYPE = re.compile(r" \[(?P<type>[\w.\-]+)\]$")


def messages(text: str, src: Path) -> list[Message]:
    """Every message in *text* (stderr of a build, or ``app.warning``), in order; paths relative to *src*."""
    found = []
    starts = list(_START.finditer(text))
    for match, following in zip(starts, [*starts[1:], None]):
        lines = text[match.end():following.start() if following else len(text)].rstrip().split("\n")
        # Sphinx ends a message with its [type], on its last line; what follows (a summary that
        # `shuzhi check` prints) is not the message's. The last such line: a quoted line may end in [x] too.
        end = max((index for index, line in enumerate(lines) if _TYPE.search(line)), default=len(lines) - 1)
        kind = _TYPE.search(lines[end])
        record = "\n".join(lines[:end + 1])
        first = lines[0][:kind.start()] if kind and end == 0 else lines[0]
        path = match["path"] or ""
        if path and Path(path).is_relative_to(src):
            path = Path(path).relative_to(src).as_posix()
        found.append(Message(path, int(match["line"] or 0), match["level"], kind["type"] if kind else "", first, record))
    return found


def shuzhi_warnings(stderr: str, src: Path) -> list[tuple[str, int, str, str]]:
    """(path relative to *src*, line, subtype, message) of every shuzhi warning, in output order."""
    return [(m.path, m.line, m.subtype, m.text) for m in messages(stderr, src) if m.subtype and m.level == "WARNING"]
