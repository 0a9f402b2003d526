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

from shuzhi.report import watermarks# noqa: E402

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
    options = ["-W", "--keep-going", "-q", *extra]
    if builder == "latexpdf":  # make mode: -M must come first; doctrees go to out/doctrees
        cmd = [sys.executable, "-m", "sphinx", "-M", "latexpdf", str(REPO), str(out), *options]
    else:
        cmd = [sys.executable, "-m", "sphinx", "-b", builder, "-d", str(out / "doctrees"),
               *options, str(REPO), str(out / builder)]
    env = {**os.environ, "PYTHONPATH": str(REPO / "_ext")}
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO, check=False)


@pytest.fixture(scope="session")
def site_html(tmp_path_factory, site_pdf: Path) -> Path:
    """The real site, built as ``tox -e docs`` builds it: the PDF first, then the HTML that publishes it."""
    out = tmp_path_factory.mktemp("site")
    result = _build("html", out, "-D", f"shuzhi_pdf_source={site_pdf.parent}")
    assert result.returncode == 0, result.stderr
    return out / "html"


@pytest.fixture(scope="session")
def site_pdf(tmp_path_factory) -> Path:
    """The real site's PDF, built with ``-M latexpdf`` (xelatex through latexmk)."""
    out = tmp_path_factory.mktemp("pdf")
    result = _build("latexpdf", out)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    pdf = out / "latex" / "dangjian-shuzhi-2023.pdf"
    assert pdf.is_file(), sorted(path.name for path in (out / "latex").iterdir())
    return pdf


@pytest.fixture(scope="session")
def stock_search_html(tmp_path_factory) -> Path:
    """The same site built with Sphinx's stock Chinese search (no chunked index, shuzhi_search_enhanced off)."""
    out = tmp_path_factory.mktemp("stock-search")
    result = _build("html", out, "-D", "shuzhi_chunked_search=0", "-D", "shuzhi_search_enhanced=0")
    assert result.returncode == 0, result.stderr
    return out / "html"


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

    from builds import ROOTS, sphinx_build

    base = tmp_path_factory.mktemp("two-years")
    shutil.copytree(ROOTS / "test-two-years", base / "src")
    result = sphinx_build(base / "src", base / "out")
    assert result.returncode == 0, result.stderr
    return base / "out" / "html"
