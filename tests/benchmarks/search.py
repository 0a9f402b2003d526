"""Benchmark: Sphinx's search index vs Pagefind at 500 and 2,000 reports.

Generates synthetic copies of the five reports (distinct titles, spread over
twenty year folders of at most 100 reports) into a temporary source tree,
builds the site with this repository's conf.py and extension, and measures in
Chromium, with a cold cache each time:

- the size of ``searchindex.js`` (raw and gzip) — pydata-sphinx-theme loads it
  on *every* page, not only on the search page;
- the first-search latency on ``search.html?q=…``: from navigation start to
  the first result shown, and to Sphinx's "search finished" status;
- the load time of a report page (DOMContentLoaded), which includes parsing
  ``searchindex.js``;
- optionally (``--pagefind``, needs ``python -m pagefind`` from
  ``pagefind[extended]``), Pagefind's bundle size, the bytes a first search
  downloads and its latency (import + init + search + the first ten results'
  data).

Usage::

    PYTHONPATH=_ext python bench/search.py --sizes 500 2000 --pagefind /tmp/pfvenv/bin/python

Results are printed as a Markdown table (and written as JSON with --json).
Note: the copies repeat the five reports' vocabulary, so the index's term
count stays that of five reports while its document lists grow with N; real
reports would add vocabulary, so the sizes here are a lower bound.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
QUERIES = ("党建工作", "沃柑")
REPEAT = 3


# --------------------------------------------------------------------------- source tree


def make_tree(target: Path, count: int) -> None:
    """conf.py, index.md, docs/ and *count* reports under reports/<year>/."""
    for name in ("conf.py", "index.md"):
        shutil.copy(REPO / name, target / name)
    shutil.copytree(REPO / "docs", target / "docs")
    for name in ("_ext", "node_modules"):
        (target / name).symlink_to(REPO / name)
    sources = sorted((REPO / "reports" / "2023").glob("0*.md"))
    year_index = (REPO / "reports" / "2023" / "index.md").read_text(encoding="utf-8")
    for number in range(1, count + 1):
        source = sources[(number - 1) % len(sources)]
        year = 2023 - (number - 1) // 100
        folder = target / "reports" / str(year)
        if not folder.is_dir():
            folder.mkdir(parents=True)
            (folder / "index.md").write_text(year_index.replace("2023", str(year)), encoding="utf-8")
        text = source.read_text(encoding="utf-8")
        text = re.sub(r'^title: "(.*)"$', lambda m: f'title: "{m.group(1)}（样例{number:04d}）"', text, count=1, flags=re.M)
        text = re.sub(r"^# (.*)$", lambda m: f"# {m.group(1)}（样例{number:04d}）", text, count=1, flags=re.M)
        text = re.sub(r"^year: .*$", f"year: {year}", text, count=1, flags=re.M)
        text = re.sub(r"^position: .*$", f"position: {number}", text, count=1, flags=re.M)
        (folder / f"{number:04d}-{source.stem[3:]}.md").write_text(text, encoding="utf-8")


def build(source: Path, out: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(REPO / "_ext")}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", "auto", "-d", str(out / "doctrees"),
         str(source), str(out / "html")],
        check=True, env=env, cwd=source, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, 6))


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# --------------------------------------------------------------------------- browser


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


FIRST_RESULT = "() => document.querySelector('#search-results ul.search li') !== null"
FINISHED = ("() => { const s = document.querySelector('#search-results .search-summary');"
            " return s !== null && s.innerText.trim().length > 0; }")

PAGEFIND_PAGE = """<!doctype html><meta charset="utf-8"><title>pagefind bench</title>
<script type="module">
const q = new URLSearchParams(location.search).get("q");
const pagefind = await import("./pagefind/pagefind.js");
await pagefind.init();
const search = await pagefind.search(q);
const first = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
window.BENCH = {count: search.results.length, first: first.map((d) => d.url), done: performance.now()};
</script>"""


def median(values: list[float]) -> float:
    return round(statistics.median(values))


def measure_sphinx(browser, base: str, query: str) -> dict:
    first, finished = [], []
    for _ in range(REPEAT):
        context = browser.new_context()  # a cold cache
        page = context.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
        page.goto(f"{base}/search.html?q={query}", wait_until="commit")
        page.wait_for_function(FIRST_RESULT, timeout=600_000, polling=10)
        first.append(page.evaluate("performance.now()"))
        page.wait_for_function(FINISHED, timeout=600_000, polling=50)
        finished.append(page.evaluate("performance.now()"))
        count = page.locator("#search-results ul.search li").count()
        context.close()
    return {"first_result_ms": median(first), "finished_ms": median(finished), "results": count}


def measure_page_load(browser, base: str, path: str) -> int:
    times = []
    for _ in range(REPEAT):
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{base}/{path}", wait_until="domcontentloaded")
        times.append(page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"))
        context.close()
    return median(times)


def measure_pagefind(browser, base: str, query: str) -> dict:
    done = []
    for _ in range(REPEAT):
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{base}/pagefind-bench.html?q={query}")
        page.wait_for_function("() => window.BENCH !== undefined", timeout=600_000, polling=10)
        result = page.evaluate("window.BENCH")
        done.append(result["done"])
        context.close()
    return {"finished_ms": median(done), "results": result["count"]}


# --------------------------------------------------------------------------- main


def run(count: int, work: Path, pagefind_python: str | None, browser) -> dict:
    source = work / f"src-{count}"
    out = work / f"out-{count}"
    source.mkdir()
    make_tree(source, count)
    seconds = build(source, out)
    html = out / "html"
    raw, gz = size(html / "searchindex.js")
    row: dict = {"reports": count, "build_s": round(seconds, 1), "searchindex_bytes": raw, "searchindex_gzip_bytes": gz}
    report_page = next(html.glob("reports/2023/0001-*.html")).relative_to(html).as_posix()
    server, base = serve(html)
    try:
        row["report_page_load_ms"] = measure_page_load(browser, base, report_page)
        row["sphinx"] = {query: measure_sphinx(browser, base, query) for query in QUERIES}
        if pagefind_python:
            start = time.perf_counter()
            subprocess.run([pagefind_python, "-m", "pagefind", "--site", str(html), "--root-selector", "article.bd-article",
                            "--quiet"], check=True)
            row["pagefind_index_s"] = round(time.perf_counter() - start, 1)
            row["pagefind_bundle_bytes"] = tree_size(html / "pagefind")
            (html / "pagefind-bench.html").write_text(PAGEFIND_PAGE, encoding="utf-8")
            row["pagefind"] = {query: measure_pagefind(browser, base, query) for query in QUERIES}
    finally:
        server.shutdown()
    return row


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, AttributeError):
        pass
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    import sphinx

    return (f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, Sphinx {sphinx.__version__}, {chromium}")


def table(rows: list[dict]) -> str:
    lines = ["| 报告数 | 构建 (s) | searchindex.js | gzip 后 | 报告页加载 (ms) | Sphinx 首次搜索：首条结果 / 完成 (ms) | Pagefind 首次搜索 (ms) | Pagefind 索引 |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        sphinx_cells = "；".join(f"{q} {r['first_result_ms']} / {r['finished_ms']}（{r['results']} 条）"
                                 for q, r in row["sphinx"].items())
        pagefind_cells = "；".join(f"{q} {r['finished_ms']}（{r['results']} 条）"
                                   for q, r in row.get("pagefind", {}).items()) or "—"
        bundle = (f"{row['pagefind_index_s']} s, {row['pagefind_bundle_bytes'] / 1e6:.1f} MB"
                  if "pagefind" in row else "—")
        lines.append(f"| {row['reports']} | {row['build_s']} | {row['searchindex_bytes'] / 1e6:.2f} MB | "
                     f"{row['searchindex_gzip_bytes'] / 1e6:.2f} MB | {row['report_page_load_ms']} | {sphinx_cells} | "
                     f"{pagefind_cells} | {bundle} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000])
    parser.add_argument("--pagefind", metavar="PYTHON", help="a Python with pagefind[extended] installed")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary trees (printed)")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="shuzhi-bench-"))
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for count in args.sizes:
                rows.append(run(count, work, args.pagefind, browser))
                print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
            browser.close()
    finally:
        if args.keep:
            print(f"trees kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print("机器：" + machine())
    print()
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "rows": rows}, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
