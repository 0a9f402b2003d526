"""What a reader pays: bytes and requests of a page and of a search, in Chromium, cold cache.

The built site is served from 127.0.0.1 by a small server that compresses text with gzip
as nginx does (``gzip on`` for HTML, CSS, JavaScript, JSON, SVG; Pagefind's chunks are
already compressed and go as they are). Each measurement opens a new browser context (an
empty cache), loads the page and waits for the network to be idle; the bytes are what
went over the wire (response bodies as transferred, plus headers).

Budgets (issue 24): a report page ≤ 400 KB and ≤ 1.2× its size at N=5; the home page
≤ 400 KB; a search for 三会一课 ≤ 500 KB and ≤ 40 requests, its first result within 300 ms.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "text/javascript")
QUERY = "三会一课"
REPORT_KB, HOME_KB, SEARCH_KB, SEARCH_REQUESTS, FIRST_RESULT_MS = 400, 400, 500, 40, 300


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed like nginx's ``gzip on`` for text types."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "application/javascript", ".mjs": "application/javascript",
                      ".wasm": "application/wasm", ".json": "application/json"}

    def log_message(self, *args) -> None:
        pass

    def send_head(self):  # noqa: ANN201 (http.server's signature)
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        if not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", "") \
                or not ctype.startswith(COMPRESSED_TYPES):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(root: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@dataclass
class Load:
    requests: int
    kilobytes: float
    first_result_ms: float = 0.0  # search only: from submitting the query to the first result shown
    results: int = 0


def _transfer(page, responses: list) -> tuple[int, float]:
    total = 0
    for response in responses:
        try:
            sizes = response.request.sizes()
        except Exception:  # noqa: BLE001 (a request that failed or was cut)
            continue
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    return len(responses), total / 1000


def measure_page(browser, url: str) -> Load:
    context = browser.new_context()
    try:
        page = context.new_page()
        responses: list = []
        page.on("response", lambda response: responses.append(response))
        page.goto(url, wait_until="networkidle")
        return Load(*_transfer(page, responses))
    finally:
        context.close()


DONE = "() => /找到|不可用/.test(document.querySelector('.shuzhi-search-status').innerText)"


def measure_search(browser, base: str, query: str = QUERY) -> Load:
    """Open search.html (cold cache), type *query*, press Enter: bytes and requests of it all,
    and the time from Enter to the first result shown."""
    context = browser.new_context()
    try:
        page = context.new_page()
        responses: list = []
        page.on("response", lambda response: responses.append(response))
        page.goto(f"{base}/search.html", wait_until="networkidle")
        box = page.get_by_label("搜索词语")
        box.fill(query)
        page.evaluate("""() => { window.__firstResult = null;
            new MutationObserver((_, observer) => {
              if (document.querySelector('.shuzhi-search-results li')) {
                window.__firstResult = performance.now(); observer.disconnect(); }
            }).observe(document.querySelector('.shuzhi-search-results'), {childList: true}); }""")
        start = page.evaluate("performance.now()")
        box.press("Enter")
        page.wait_for_function(DONE, timeout=60_000)
        page.wait_for_load_state("networkidle")
        first = page.evaluate("window.__firstResult")
        results = page.locator(".shuzhi-search-results li").count()
        count, kb = _transfer(page, responses)
        return Load(count, kb, (first - start) if first else float("nan"), results)
    finally:
        context.close()


def measure_site(site: Path, browser=None) -> dict[str, Load]:
    """Home page, a report page, and a search for 三会一课 on the built *site*.

    *browser*: a Playwright (sync) browser to use; by default one is started here.
    """
    report = sorted(p for p in (site / "reports").rglob("*.html") if p.name != "index.html")[0]
    with serve(site) as base:
        if browser is not None:
            return _measure(browser, base, site, report)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            own = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                             args=CHROMIUM_ARGS)
            try:
                return _measure(own, base, site, report)
            finally:
                own.close()


def _measure(browser, base: str, site: Path, report: Path) -> dict[str, Load]:
    return {
        "home": measure_page(browser, f"{base}/index.html"),
        "report": measure_page(browser, f"{base}/{quote(report.relative_to(site).as_posix())}"),
        "search": measure_search(browser, base),
    }
