"""Same inputs, same site: clean builds, -j 2 and incremental builds give identical HTML; no broken links."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from conftest import REPO

#: Files that legitimately differ between builds. Keep this list honest. (None. Note that
#: ``.buildinfo`` hashes the configuration, which holds absolute paths — of the checkout
#: (mermaid-cli) and of the doctree folder (the search words file) — so builds are compared
#: in the same place, as a site's successive builds are.)
UNSTABLE: set[str] = set()


def build(src: Path, out: Path, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "_ext")}
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q",
           "-d", str(out.parent / (out.name + "-doctrees")), *args, str(src), str(out)]
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=src, check=False)
    assert result.returncode == 0, result.stderr


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
    shutil.rmtree(out.parent / (out.name + "-doctrees"), ignore_errors=True)
    build(src, out, "-E", *args)
    return digests(out)


def test_two_clean_builds_are_identical(tmp_path: Path) -> None:
    src = copy_sources(tmp_path)
    first = clean_build(src, tmp_path / "out")
    second = clean_build(src, tmp_path / "out")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_parallel_and_incremental_builds_match_a_clean_serial_build(tmp_path: Path) -> None:
    src = copy_sources(tmp_path)
    serial = clean_build(src, tmp_path / "out", "-j", "1")
    parallel = clean_build(src, tmp_path / "out", "-j", "2")
    assert [name for name in serial if serial[name] != parallel.get(name)] == []

    # Touch one report (content unchanged): an incremental -j 2 build must give the same site.
    report = src / "reports" / "2023" / "03-guoqi.md"
    os.utime(report)
    build(src, tmp_path / "out", "-j", "2")
    incremental = digests(tmp_path / "out")
    assert [name for name in serial if serial[name] != incremental.get(name)] == []

    # Nothing changed: the site, search index included (its glossary entries, which
    # Sphinx alone would drop: sphinx-doc/sphinx#12599), stays the same.
    build(src, tmp_path / "out", "-j", "1")
    noop = digests(tmp_path / "out")
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
