"""Build benchmark: full, parallel and incremental builds at N reports, against the stock stack
and against MkDocs Material; and what a reader pays for a page and a search at each N.

Run with ``tox -e bench`` (or ``python tests/benchmarks/build.py --sizes 5 500 2000``).
Prints two tables and the ratios and budgets the scale goals are stated in. Times are
wall clock on whatever machine runs it; compare ratios measured in one run.

MkDocs Material (with jieba, which its search plugin uses to segment Chinese) builds the
same reports (:func:`corpus.make_mkdocs`) in the same run; ``--mkdocs PYTHON`` names a
Python that has it (default: this one, as in ``tox -e bench``). The reader's side is
measured in Chromium by :mod:`reader` on the ``-j 1`` build.

Shared machines are noisy (a build can take 10 % longer for no reason of its own), so
each build is run ``--repeat`` times (default 3) and the fastest run counts, as
benchmark tools do; the table also gives each build's slowest ÷ fastest. The builds
with and without the extension alternate, so that a slow spell hits both.

Every full build starts from nothing (:func:`cold`: no output, no doctree folder), as
``mkdocs build`` does and as a fresh clone's first build does: ``-E`` alone would keep the
doctree folder's caches (compiled templates, subset icon font, the search index's last
state) warm from the previous repeat. The incremental builds then start from the last
full build.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import corpus  # noqa: E402
import reader  # noqa: E402
from phases import PHASES  # noqa: E402

REPO = corpus.REPO
MKDOCS = "MkDocs Material 9 + jieba"
BARE = "bare stack (no extension, no index)"


@dataclass
class Run:
    size: int
    what: str
    seconds: float
    peak_mb: float
    html_mb: float = 0.0
    index_kb: float = 0.0
    spread: float = 1.0  # slowest ÷ fastest of the repeated runs

    @property
    def per_report_ms(self) -> float:
        return self.seconds / self.size * 1000


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and ".doctrees" not in f.parts)


def sphinx(src: Path, out: Path, *args: str) -> tuple[float, float]:
    """Run one sphinx-build; return (seconds, peak resident memory of the main process in MB)."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "_ext")}
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-d", str(_doctrees(out)),
           *args, str(src), str(out)]
    return _timed(cmd, env)


def _doctrees(out: Path) -> Path:
    return out.parent / (out.name + ".doctrees")


def cold(out: Path) -> Path:
    """*out* without its output and its doctree folder: a full build that starts from nothing, as
    MkDocs' always does and a fresh clone's first does (``-E`` alone keeps the doctree folder's
    caches warm: the compiled templates, the subset icon font, the search index's last state)."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(_doctrees(out), ignore_errors=True)
    return out


def phases(src: Path, out: Path) -> dict[str, Any]:
    """One more full ``-j 1`` build, from nothing, with its phases and event listeners timed (:mod:`phases`)."""
    cold(out)
    report = out.parent / (out.name + ".phases.json")
    env = {**os.environ, "PYTHONPATH": str(REPO / "_ext")}
    cmd = [sys.executable, str(Path(__file__).parent / "phases.py"), str(report), "-b", "html", "-q", "-E", "-j", "1",
           "-d", str(_doctrees(out)), str(src), str(out)]
    _timed(cmd, env)
    return json.loads(report.read_text(encoding="utf-8"))


def mkdocs(root: Path, python: str) -> tuple[float, float]:
    """One full ``mkdocs build`` of *root* (Material, search with jieba); (seconds, peak MB)."""
    cmd = [python, "-m", "mkdocs", "build", "-q", "-c", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")]
    return _timed(cmd, dict(os.environ))


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    start = time.perf_counter()
    process = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed: {' '.join(cmd)}\n{stderr[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def warm_bytecode(*targets: Path | str) -> None:
    """Compile *targets* (folders of Python code, or Pythons whose installed packages to compile) ahead.

    A site's code is compiled once and then read from ``__pycache__``, except where the files are
    new (each corpus copies the extension) or the environment says not to write bytecode
    (``PYTHONDONTWRITEBYTECODE``, set on some machines), and uv installs packages without it. Then
    every build would compile its imports again (half a second for the extension and fontTools),
    which no second build of a real site does; so every stack's code is compiled before any is timed.
    """
    for target in targets:
        # Each Python compiles its own packages (the bytecode is per version); the corpora's
        # code is compiled by this one, which builds them.
        if isinstance(target, Path):
            python, folders = sys.executable, [str(target)]
        else:
            python = target
            found = subprocess.run([python, "-c", "import sysconfig, json; p = sysconfig.get_paths(); "
                                    "print(json.dumps(sorted({p['purelib'], p['platlib']})))"],
                                   capture_output=True, text=True, check=True)
            folders = json.loads(found.stdout)
        # Some packages ship files that are not Python 3 (templates, test data): their errors do not matter.
        subprocess.run([python, "-m", "compileall", "-q", "-j", "0", *folders],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def _best(results: list[tuple[float, float]]) -> tuple[float, float, float]:
    """(fastest seconds, highest peak MB, slowest ÷ fastest) of repeated runs."""
    times = [seconds for seconds, _ in results]
    return min(times), max(peak for _, peak in results), max(times) / min(times)


def bench(size: int, work: Path, runs: list[Run], *, stock: bool, repeat: int, mkdocs_python: str | None,
          loads: dict[int, dict[str, reader.Load]], profiles: dict[int, dict[str, dict[str, Any]]],
          extras: bool = True) -> None:
    ours = corpus.make(work / f"ours-{size}", size)
    noext = corpus.make(work / f"noext-{size}", size, variant="noext")
    bare_stack = corpus.make(work / f"bare-{size}", size, variant="bare")
    material = corpus.make_mkdocs(ours, work / f"mkdocs-{size}") if mkdocs_python else None
    warm_bytecode(*(root / "_ext" for root in (ours, noext, bare_stack) if (root / "_ext").is_dir()))
    out, out_noext = work / f"out-ours-{size}", work / f"out-noext-{size}"
    full: list[tuple[float, float]] = []
    bare: list[tuple[float, float]] = []
    parallel: list[tuple[float, float]] = []
    floor: list[tuple[float, float]] = []
    others: list[tuple[float, float]] = []
    for _ in range(repeat):  # alternating, so that a slow spell of the machine hits all
        full.append(sphinx(ours, cold(out / "j1"), "-E", "-j", "1"))
        if material is not None:
            others.append(mkdocs(material, mkdocs_python))
        if extras:
            bare.append(sphinx(noext, cold(out_noext), "-E"))
            floor.append(sphinx(bare_stack, cold(work / f"out-bare-{size}"), "-E"))
            parallel.append(sphinx(ours, cold(out / "j2"), "-E", "-j", "2"))
    seconds, peak, spread = _best(full)
    runs.append(Run(size, "ours -j 1", seconds, peak, _du(out / "j1") / 1e6,
                    _du(out / "j1" / "_search") / 1e3, spread))
    if extras:
        runs.append(Run(size, "ours -j 2", *_best(parallel)[:2], spread=_best(parallel)[2]))
    if material is not None:
        seconds, peak, spread = _best(others)
        index = material / "site" / "search" / "search_index.json"
        runs.append(Run(size, MKDOCS, seconds, peak, _du(material / "site") / 1e6,
                        index.stat().st_size / 1e3 if index.is_file() else 0.0, spread))
    loads[size] = reader.measure_site(out / "j1")
    if extras:
        profiles[size] = {"ours": phases(ours, out / "phases"), "bare": phases(bare_stack, out / "phases-bare")}

    # Rebuilds of the -j 1 site: each edit appends another sentence, or changes the definition again.
    report = next((ours / "reports").rglob("0*.md"))
    edited = []
    for number in range(repeat):
        report.write_text(report.read_text(encoding="utf-8") + f"\n补充第{number + 1}句。\n", encoding="utf-8")
        edited.append(sphinx(ours, out / "j1", "-j", "1"))
    seconds, peak, spread = _best(edited)
    runs.append(Run(size, "ours, one report edited", seconds, peak, spread=spread))
    if extras:
        _glossary_edits(size, ours, out, runs, repeat)
        seconds, peak, spread = _best(bare)
        runs.append(Run(size, "extension disabled", seconds, peak, _du(out_noext) / 1e6, spread=spread))
        seconds, peak, spread = _best(floor)
        runs.append(Run(size, BARE, seconds, peak, _du(work / f"out-bare-{size}") / 1e6, spread=spread))
    if stock:
        stock_src = corpus.make(work / f"stock-{size}", size, variant="stock")
        seconds, peak = sphinx(stock_src, cold(work / f"out-stock-{size}"), "-E")
        runs.append(Run(size, "stock stack (flat toctree)", seconds, peak, _du(work / f"out-stock-{size}") / 1e6,
                        (work / f"out-stock-{size}" / "searchindex.js").stat().st_size / 1e3))


def _glossary_edits(size: int, ours: Path, out: Path, runs: list[Run], repeat: int) -> None:
    glossary = ours / "docs" / "glossary.yaml"
    text = glossary.read_text(encoding="utf-8")
    redefined = []
    for number in range(repeat):
        glossary.write_text(text.replace("党支部最基本的组织生活制度", f"党支部最基本的组织生活制度（修订{number + 1}）", 1),
                            encoding="utf-8")
        redefined.append(sphinx(ours, out / "j1", "-j", "1"))
    seconds, peak, spread = _best(redefined)
    runs.append(Run(size, "ours, glossary definition edited", seconds, peak, spread=spread))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500])
    parser.add_argument("--stock-max", type=int, default=500, help="largest N to build the stock stack at (it is slow)")
    parser.add_argument("--work", help="folder for the corpora (default: a temporary folder)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each build; the fastest counts (default 3)")
    parser.add_argument("--only-compare", type=int, default=None, metavar="N",
                        help="from this N on, build only ours -j 1, MkDocs and the one-report edit (no -j 2, "
                             "no build without the extension, no glossary edit): the large run in less time")
    parser.add_argument("--mkdocs", default=sys.executable, metavar="PYTHON",
                        help="a Python with mkdocs-material and jieba (default: this one); 'none' to skip")
    args = parser.parse_args(argv)
    runs: list[Run] = []
    loads: dict[int, dict[str, reader.Load]] = {}
    profiles: dict[int, dict[str, dict[str, Any]]] = {}
    mkdocs_python = None if args.mkdocs == "none" else args.mkdocs
    warm_bytecode(*dict.fromkeys(python for python in (sys.executable, mkdocs_python) if python))
    with tempfile.TemporaryDirectory(prefix="shuzhi-bench-") as tmp:
        work = Path(args.work or tmp)
        for size in args.sizes:
            bench(size, work, runs, stock=size <= args.stock_max, repeat=max(1, args.repeat),
                  mkdocs_python=mkdocs_python, loads=loads, profiles=profiles,
                  extras=args.only_compare is None or size < args.only_compare)
            print(f"… {size} reports done", file=sys.stderr, flush=True)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    print(f"\nMachine: {os.cpu_count()} cores, {cpu}; Python {platform.python_version()}; "
          f"fastest of {max(1, args.repeat)} runs (the stock stack: one run)\n")
    print(f"| {'N':>5} | {'build':<36} | {'seconds':>8} | {'ms/report':>9} | {'peak MB':>7} | {'HTML MB':>7} "
          f"| {'KB/page':>7} | {'index KB':>8} | {'max/min':>7} |")
    print(f"|{'-' * 7}|{'-' * 38}|{'-' * 10}|{'-' * 11}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 10}|{'-' * 9}|")
    for run in runs:
        html = f"{run.html_mb:7.1f}" if run.html_mb else " " * 7
        per_page = f"{run.html_mb * 1000 / run.size:7.1f}" if run.html_mb else " " * 7
        index = f"{run.index_kb:8.0f}" if run.index_kb else " " * 8
        print(f"| {run.size:>5} | {run.what:<36} | {run.seconds:8.1f} | {run.per_report_ms:9.1f} | {run.peak_mb:7.0f} "
              f"| {html} | {per_page} | {index} | {run.spread:7.2f} |")
    print()
    by = {(run.size, run.what): run for run in runs}
    sizes = args.sizes
    for size in sizes:
        ours = by[(size, "ours -j 1")]
        line = f"N={size}:"
        if (size, "ours -j 2") in by:
            line += f" -j 2 speed-up {ours.seconds / by[(size, 'ours -j 2')].seconds:.2f}×;"
        if (size, "stock stack (flat toctree)") in by:
            line += f" stock/ours {by[(size, 'stock stack (flat toctree)')].seconds / ours.seconds:.2f}×;"
        if (size, MKDOCS) in by:
            line += f" ours/MkDocs Material {ours.seconds / by[(size, MKDOCS)].seconds:.2f}× (target ≤ 1.00×);"
        if (size, BARE) in by and (size, MKDOCS) in by:
            line += f" bare stack/MkDocs Material {by[(size, BARE)].seconds / by[(size, MKDOCS)].seconds:.2f}×;"
            line += f" ours - bare stack {ours.seconds - by[(size, BARE)].seconds:.1f} s;"
        if (size, "extension disabled") in by:
            line += f" extension overhead {ours.seconds / by[(size, 'extension disabled')].seconds:.2f}×;"
        line += f" one-report rebuild {by[(size, 'ours, one report edited')].seconds:.1f} s"
        print(line)
    if len(sizes) > 1:
        small, large = by[(sizes[0], "ours -j 1")], by[(sizes[-1], "ours -j 1")]
        print(f"Per-report cost at N={sizes[-1]} vs N={sizes[0]}: {large.per_report_ms / small.per_report_ms:.2f}× "
              "(target ≤ 1.5×)")
    print_phases(profiles)
    print_loads(loads, sizes)
    return 0


def print_phases(profiles: dict[int, dict[str, dict[str, Any]]]) -> None:
    """Where the time of one more ``-j 1`` build goes, ours and the bare stack's, at each N measured.

    The phases, then each event listener taking at least 2 % of our build at the largest N.
    """
    if not profiles:
        return
    sizes = sorted(profiles)
    largest = profiles[sizes[-1]]["ours"]
    listeners = sorted((name for name, seconds in largest["phases"].items()
                        if ": " in name and not name.startswith(("read:", "write:", "finish:"))
                        and seconds >= 0.02 * largest["total"]),
                       key=lambda name: -largest["phases"][name])
    columns = [(size, variant) for size in sizes for variant in ("ours", "bare")]
    print("\nWhere one more -j 1 build's time goes (seconds; a phase includes its listeners; "
          "bare: no extension, no search index):\n")
    print("| phase or event listener | " + " | ".join(f"N={size} {variant}" for size, variant in columns) + " |")
    print("|---|" + "---:|" * len(columns))
    print("| whole build (sphinx-build's main) | "
          + " | ".join(f"{profiles[size][variant]['total']:.2f}" for size, variant in columns) + " |")
    for name in [*(name for _, _, name in PHASES), *listeners]:
        print(f"| {name} | "
              + " | ".join(f"{profiles[size][variant]['phases'].get(name, 0.0):.2f}" for size, variant in columns) + " |")


def print_loads(loads: dict[int, dict[str, reader.Load]], sizes: list[int]) -> None:
    """What a reader pays (Chromium, cold cache, gzip as nginx serves it), against the budgets."""
    print(f"\nWhat a reader pays (Chromium, cold cache, gzip; KB transferred and requests; "
          f"search: type {reader.QUERY}, press Enter):\n")
    print(f"| {'N':>5} | {'home KB':>8} | {'req':>4} | {'report KB':>9} | {'req':>4} | {'÷ N=' + str(sizes[0]):>7} "
          f"| {'search KB':>9} | {'req':>4} | {'1st result ms':>13} | {'results':>7} |")
    print(f"|{'-' * 7}|{'-' * 10}|{'-' * 6}|{'-' * 11}|{'-' * 6}|{'-' * 9}|{'-' * 11}|{'-' * 6}|{'-' * 15}|{'-' * 9}|")
    base = loads[sizes[0]]["report"].kilobytes
    for size in sizes:
        home, report, search = loads[size]["home"], loads[size]["report"], loads[size]["search"]
        print(f"| {size:>5} | {home.kilobytes:8.0f} | {home.requests:>4} | {report.kilobytes:9.0f} | {report.requests:>4} "
              f"| {report.kilobytes / base:7.2f} | {search.kilobytes:9.0f} | {search.requests:>4} "
              f"| {search.first_result_ms:13.0f} | {search.results:>7} |")
    print()
    for size in sizes:
        home, report, search = loads[size]["home"], loads[size]["report"], loads[size]["search"]
        checks = [
            (f"report ≤ {reader.REPORT_KB} KB", report.kilobytes <= reader.REPORT_KB),
            ("report ≤ 1.2× N=" + str(sizes[0]), report.kilobytes <= 1.2 * base),
            (f"home ≤ {reader.HOME_KB} KB", home.kilobytes <= reader.HOME_KB),
            (f"search ≤ {reader.SEARCH_KB} KB", search.kilobytes <= reader.SEARCH_KB),
            (f"search ≤ {reader.SEARCH_REQUESTS} requests", search.requests <= reader.SEARCH_REQUESTS),
            (f"first result ≤ {reader.FIRST_RESULT_MS} ms", search.first_result_ms <= reader.FIRST_RESULT_MS),
        ]
        print(f"N={size}: " + "; ".join(f"{name} {'met' if ok else 'NOT MET'}" for name, ok in checks))


if __name__ == "__main__":
    raise SystemExit(main())
