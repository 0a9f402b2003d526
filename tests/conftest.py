"""Shared fixtures: the seed, real builds of the site, a local web server, Chromium."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "_ext"))

from builds import ROOTS, site_build, sphinx_build, stand_in_pdfs  # noqa: E402

from shuzhi.report import watermarks  # noqa: E402

# Where a test root's conf.py finds base_conf.py when a test has copied the root elsewhere
# (sphinx.testing's app fixture does); builds in a subprocess inherit it.
os.environ.setdefault("SHUZHI_TEST_ROOTS", str(ROOTS))

#: The source compilation the committed 2023 pages were imported from (their provenance).
SEED = REPO / "reports" / "2023" / "source.txt"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Test roots for ``@pytest.mark.sphinx(testroot=...)``."""
    return REPO / "tests" / "roots"


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.fail(f"seed not found at {SEED}; it is part of the repository")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_reports(seed_text: str) -> list[str]:
    """The five reports' text, watermarks removed, split by the seed's own 目录 titles.

    Deliberately independent of the importer's splitting: titles are the lines
    that follow "目 录" and start with "N.".
    """
    clean, _ = watermarks.strip(seed_text)
    lines = clean.split("\n")
    toc = lines.index("目 录")
    titles = [re.sub(r"^\d+\.", "", line) for line in lines[toc + 1:] if re.match(r"^\d+\.", line)]
    body = "\n".join(lines[toc + 1 + len(titles):])
    starts = [body.index("\n" + title + "\n") for title in titles]
    return [body[start:end].strip() for start, end in zip(starts, [*starts[1:], len(body)])]


def sentences(text: str) -> list[str]:
    """Split text into sentences at 。！？； and line ends; keep the delimiter."""
    out = []
    for line in text.split("\n"):
        out.extend(part.strip() for part in re.findall(r"[^。！？；]+[。！？；]?", line) if part.strip())
    return out


def _build(builder: str, out: Path, *extra: str) -> subprocess.CompletedProcess:
    """The repository's site built into *out*: kept for older tests, use :func:`builds.site_build`."""
    return site_build(out, *extra, builder=builder)


#: The tier of a test that uses one of these fixtures (``pytest_collection_modifyitems``).
TIER_OF_FIXTURE = {"site_pdf": "pdf", "browser": "browser"}
#: Tiers left out of ``pytest -m "not slow"``: a test in one of them is slow too.
SLOW_TIERS = ("pdf", "browser", "bench")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with the tiers its fixtures need (before ``-m`` selects), and slow with them."""
    for item in items:
        for fixture, tier in TIER_OF_FIXTURE.items():
            if fixture in item.fixturenames:
                item.add_marker(tier)
        if any(item.get_closest_marker(tier) for tier in SLOW_TIERS) and not item.get_closest_marker("slow"):
            item.add_marker("slow")


def report_years() -> list[str]:
    """The years the repository has reports for (its ``reports/<year>/`` folders)."""
    return sorted(path.name for path in (REPO / "reports").iterdir() if path.is_dir() and path.name.isdigit())


def site_pages() -> list[str]:
    """The pages the site's HTML build writes, from its sources: each Markdown document Sphinx
    reads (conf.py's exclude_patterns left out), the general index and the search page."""
    import runpy

    from sphinx.util.matching import Matcher

    excluded = Matcher(runpy.run_path(str(REPO / "conf.py"))["exclude_patterns"])
    pages = {"genindex.html", "search.html"}
    for folder, dirs, files in os.walk(REPO):
        here = Path(folder).relative_to(REPO)
        dirs[:] = [name for name in dirs if not excluded((here / name).as_posix())]
        pages |= {(here / name).with_suffix(".html").as_posix() for name in files
                  if name.endswith(".md") and not excluded((here / name).as_posix())}
    return sorted(pages)


@pytest.fixture(scope="session")
def stand_in_pdfs_folder(tmp_path_factory) -> Path:
    """A folder for ``shuzhi_pdf_source`` with a small stand-in for each year's compilation PDF
    (the real one, built with TeX, is ``site_pdf``)."""
    return stand_in_pdfs(tmp_path_factory.mktemp("stand-in-pdf"), "dangjian-shuzhi", report_years())


@pytest.fixture(scope="session")
def site_html(tmp_path_factory, stand_in_pdfs_folder: Path) -> Path:
    """The real site's HTML, built as ``tox -e docs`` builds it, publishing the stand-in PDFs
    (``stand_in_pdfs_folder``): the pages offer them as they would the real ones, without TeX."""
    out = tmp_path_factory.mktemp("site")
    result = site_build(out, "-D", f"shuzhi_pdf_source={stand_in_pdfs_folder}")
    assert result.returncode == 0, result.stderr
    return out / "html"


@pytest.fixture(scope="session")
def site_pdf(tmp_path_factory) -> Path:
    """The real site's PDF, built with ``-M latexpdf`` (xelatex through latexmk)."""
    out = tmp_path_factory.mktemp("pdf")
    result = site_build(out, builder="latexpdf")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    pdf = out / "latex" / "dangjian-shuzhi-2023.pdf"
    assert pdf.is_file(), sorted(path.name for path in (out / "latex").iterdir())
    return pdf


@pytest.fixture(scope="session")
def stock_search_html(tmp_path_factory) -> Path:
    """The same site built with Sphinx's stock Chinese search (no chunked index, shuzhi_search_enhanced off)."""
    out = tmp_path_factory.mktemp("stock-search")
    result = site_build(out, "-D", "shuzhi_chunked_search=0", "-D", "shuzhi_search_enhanced=0")
    assert result.returncode == 0, result.stderr
    return out / "html"


@pytest.fixture
def structure_app(make_app, tmp_path: Path):
    """A Sphinx test app for one structure scenario: ``structure_app("part-order", **options)``.

    ``tests/roots/test-structure-<scenario>/`` holds only the report with the scenario's defect;
    the rest of the root (conf.py, index.md) is ``test-structure-valid``'s, which the scenario's
    files are laid over. *options*: as for ``SphinxTestApp`` (``buildername``, ``confoverrides``, …).
    """
    import shutil

    def make(scenario: str, **options):
        src = tmp_path / f"structure-{scenario}"
        shutil.copytree(ROOTS / "test-structure-valid", src)
        shutil.copytree(ROOTS / f"test-structure-{scenario}", src, dirs_exist_ok=True)
        return make_app(srcdir=src, **options)

    return make


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path):
    """Serve *directory* on 127.0.0.1; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def site_server(site_html: Path):
    """Serve the built HTML on 127.0.0.1; yields the base URL."""
    with serve(site_html) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def stock_search_server(stock_search_html: Path):
    with serve(stock_search_html) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (or run sh .ci/bootstrap)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class OfflinePage:
    """A browser page that aborts every request not addressed to the local server."""

    def __init__(self, browser, base_url: str) -> None:
        self.base_url = base_url
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.route("**/*", self._route)
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _route(self, route) -> None:
        if route.request.url.startswith(self.base_url + "/"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def goto(self, path: str) -> None:
        self.page.goto(f"{self.base_url}/{path}", wait_until="networkidle")


@pytest.fixture
def offline_page(browser, site_server):
    page = OfflinePage(browser, site_server)
    yield page
    page.page.close()


@pytest.fixture(scope="session")
def two_years_html(tmp_path_factory) -> Path:
    """The fictional two-year corpus (``tests/roots/test-two-years``) built as HTML, once."""
    import shutil

    base = tmp_path_factory.mktemp("two-years")
    shutil.copytree(ROOTS / "test-two-years", base / "src")
    result = sphinx_build(base / "src", base / "out")
    assert result.returncode == 0, result.stderr
    return base / "out" / "html"
