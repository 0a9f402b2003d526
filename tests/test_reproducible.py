"""Same inputs, same site: clean builds, -j 2 and incremental builds give identical HTML; no broken links;
the release archive (PDF included) is byte-identical when two clones of one commit are published."""

from __future__ import annotations

import configparser
import hashlib
import os
import shlex
import shutil
import subprocess
import sys
import tarfile
import time
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from builds import sphinx_build
from conftest import REPO
from pypdf import PdfReader

from shuzhi.build import sourcedate

#: Files that legitimately differ between builds. Keep this list honest. (None. Note that
#: ``.buildinfo`` hashes the configuration, which holds absolute paths — of the checkout
#: (mermaid-cli) and of the doctree folder (the search words file) — so builds are compared
#: in the same place, as a site's successive builds are.)
UNSTABLE: set[str] = set()


def build(src: Path, out: Path, *args: str) -> dict[str, str]:
    """Build *src* into ``out/html`` (doctrees in ``out/doctrees``); the site's digests."""
    result = sphinx_build(src, out, "-q", *args, cwd=src)
    assert result.returncode == 0, result.stderr
    return digests(out / "html")


def digests(site: Path) -> dict[str, str]:
    return {str(path.relative_to(site)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(site.rglob("*")) if path.is_file() and str(path.relative_to(site)) not in UNSTABLE}


def copy_sources(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    ignore = shutil.ignore_patterns("_build", ".tox", ".git", "node_modules", "__pycache__", ".pytest_cache")
    shutil.copytree(REPO, src, ignore=ignore)
    (src / "node_modules").symlink_to(REPO / "node_modules")
    return src


def clean_build(src: Path, out: Path, *args: str) -> dict[str, str]:
    """A build from nothing into *out* (same paths every time, as a site's builds are); its digests."""
    shutil.rmtree(out, ignore_errors=True)
    return build(src, out, "-E", *args)


@pytest.mark.slow
def test_two_clean_builds_are_identical(tmp_path: Path) -> None:
    src = copy_sources(tmp_path)
    first = clean_build(src, tmp_path / "out")
    second = clean_build(src, tmp_path / "out")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


@pytest.mark.slow
def test_parallel_and_incremental_builds_match_a_clean_serial_build(tmp_path: Path) -> None:
    src = copy_sources(tmp_path)
    serial = clean_build(src, tmp_path / "out", "-j", "1")
    parallel = clean_build(src, tmp_path / "out", "-j", "2")
    assert [name for name in serial if serial[name] != parallel.get(name)] == []

    # Touch one report (content unchanged): an incremental -j 2 build must give the same site.
    report = src / "reports" / "2023" / "03-guoqi.md"
    os.utime(report)
    incremental = build(src, tmp_path / "out", "-j", "2")
    assert [name for name in serial if serial[name] != incremental.get(name)] == []

    # Nothing changed: the site, search index included (its glossary entries, which
    # Sphinx alone would drop: sphinx-doc/sphinx#12599), stays the same.
    noop = build(src, tmp_path / "out", "-j", "1")
    assert [name for name in serial if serial[name] != noop.get(name)] == []


def test_no_broken_internal_links_or_anchors(site_html: Path) -> None:
    ids: dict[Path, set[str]] = {}
    pages = sorted(site_html.rglob("*.html"))
    soups = {page: BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser") for page in pages}
    for page, soup in soups.items():
        ids[page] = {tag["id"] for tag in soup.find_all(id=True)} | {tag["name"] for tag in soup.find_all("a", attrs={"name": True})}
    broken, checked = [], 0
    for page, soup in soups.items():
        for link in soup.find_all("a", href=True):
            parts = urlsplit(link["href"])
            if parts.scheme or parts.netloc or link["href"].startswith("mailto:"):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.exists():
                broken.append((str(page.relative_to(site_html)), link["href"]))
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids.get(target, set()):
                broken.append((str(page.relative_to(site_html)), link["href"]))
    assert checked > 500
    assert broken == []


# --------------------------------------------------------------------------- the release


def test_source_date_is_the_last_commits_unless_given(tmp_path: Path, monkeypatch) -> None:
    environ = {key: value for key, value in os.environ.items() if key not in ("SOURCE_DATE_EPOCH", "FORCE_SOURCE_DATE")}
    monkeypatch.setattr(os, "environ", environ)
    sourcedate.set_source_date(SimpleNamespace(confdir=str(tmp_path)), None)
    assert "SOURCE_DATE_EPOCH" not in environ  # not a checkout: the clock's dates

    sourcedate.set_source_date(SimpleNamespace(confdir=str(REPO)), None)
    commit = subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%ct"],
                            capture_output=True, text=True, check=True).stdout.strip()
    assert (environ["SOURCE_DATE_EPOCH"], environ["FORCE_SOURCE_DATE"]) == (commit, "1")

    environ.update(SOURCE_DATE_EPOCH="1700000000", FORCE_SOURCE_DATE="0")  # given: kept
    sourcedate.set_source_date(SimpleNamespace(confdir=str(REPO)), None)
    assert (environ["SOURCE_DATE_EPOCH"], environ["FORCE_SOURCE_DATE"]) == ("1700000000", "0")

#: The date of the commit both clones check out: not today, so that a date taken from the
#: clock instead of the commit shows (2024-05-06 07:08:09 UTC).
COMMIT_EPOCH = 1_714_979_289


def publish_commands() -> list[list[str]]:
    """``tox -e publish``'s commands as tox.ini lists them, run with this interpreter."""
    tox = configparser.ConfigParser(interpolation=None)
    tox.read(REPO / "tox.ini", encoding="utf-8")
    programs = {"sphinx-build": [sys.executable, "-m", "sphinx"], "python": [sys.executable],
                "shuzhi": [sys.executable, "-m", "shuzhi"]}
    commands = []
    for line in tox["testenv:publish"]["commands"].strip().splitlines():
        program, *args = shlex.split(line)
        commands.append([*programs[program], *args])
    return commands


def clone(tmp_path: Path, name: str) -> Path:
    """The checkout's files in a new repository under *tmp_path*/*name*, as one commit made at
    COMMIT_EPOCH: two such clones check out the same commit (same tree, author, date) in
    different folders, as two ``git clone``s of it would. node_modules is a link to the
    checkout's (``npm ci`` installs the versions package-lock.json pins)."""
    src = tmp_path / name / "site"
    ignore = shutil.ignore_patterns("_build", ".tox", ".git", "node_modules", "__pycache__", ".pytest_cache")
    shutil.copytree(REPO, src, ignore=ignore)
    date = f"@{COMMIT_EPOCH} +0000"
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false",
                  "commit", "-q", "-m", "release"]):
        subprocess.run(["git", "-C", str(src), *args], env=env, check=True, capture_output=True)
    (src / "node_modules").symlink_to(REPO / "node_modules")
    return src


def publish(src: Path) -> Path:
    """Run ``tox -e publish``'s commands in *src*, without a SOURCE_DATE_EPOCH of ours; the archive."""
    env = {key: value for key, value in os.environ.items() if key not in ("SOURCE_DATE_EPOCH", "FORCE_SOURCE_DATE")}
    env["PYTHONPATH"] = str(src / "_ext")
    for command in publish_commands():
        result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=src, check=False)
        assert result.returncode == 0, f"{shlex.join(command)}\n{result.stdout[-3000:]}{result.stderr}"
    archives = sorted((src / "_build" / "release").glob("*.tar.gz"))
    assert len(archives) == 1, archives
    return archives[0]


def members(archive: Path) -> dict[str, tuple]:
    """Every member's header fields and content digest, by name."""
    with tarfile.open(archive) as tar:
        return {member.name: (member.type, member.mode, member.mtime, member.uid, member.gid, member.uname,
                              member.gname, member.size,
                              hashlib.sha256(tar.extractfile(member).read()).hexdigest() if member.isfile() else "")
                for member in tar.getmembers()}


def pdf_identity(archive: Path, name: str) -> str:
    """The PDF's dates and /ID, which say why two PDFs differ when they do."""
    with tarfile.open(archive) as tar:
        reader = PdfReader(tar.extractfile(name))
        ids = "/".join(entry.original_bytes.hex() for entry in reader.trailer.get("/ID", []))
        return f"CreationDate {reader.metadata.get('/CreationDate')}, ID {ids}"


@pytest.mark.pdf
def test_two_clones_of_one_commit_publish_the_same_bytes(tmp_path: Path) -> None:
    first = publish(clone(tmp_path, "a"))
    second = publish(clone(tmp_path, "b"))

    day = time.strftime("%Y%m%d", time.gmtime(COMMIT_EPOCH))
    assert first.name == second.name
    assert first.name.endswith(f"-{day}.tar.gz"), first.name  # the commit's date, not today's
    if first.read_bytes() != second.read_bytes():
        a, b = members(first), members(second)
        differ = sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))
        # Different dates or IDs: the source date did not reach xdvipdfmx. The same: the
        # pages themselves differ (a diagram drawn differently?).
        notes = [f"{name}: {pdf_identity(first, name)} | {pdf_identity(second, name)}"
                 for name in differ if name.endswith(".pdf") and name in a and name in b]
        raise AssertionError(f"the archives differ in {differ or 'the gzip or tar framing only'}\n" + "\n".join(notes))

    # The PDF is dated by the commit.
    top = first.name.removesuffix(".tar.gz")
    with tarfile.open(first) as tar:
        info = PdfReader(tar.extractfile(f"{top}/dangjian-shuzhi-2023.pdf")).metadata
    assert info.creation_date == datetime.fromtimestamp(COMMIT_EPOCH, tz=timezone.utc)
