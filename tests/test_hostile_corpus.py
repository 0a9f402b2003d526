"""The hostile corpus of issue #20: every way in, built, read in Chromium and printed.

``tests/hostile/`` holds one small file per hostile input, in a folder per class, and
``tests/hostile/manifest.toml`` says what each must produce: the findings
(``LINE type.subtype``) at its own file, whether its page is left out, and how it is made
when it is not a plain file (a symlink, or generated because it is large).

Every input is built as the site builds (``-W --keep-going``, HTML) in a copy of the small
site ``tests/hostile/site``, all of a kind in one build:

- ``main``: the reports of the classes ``script-html``, ``script-url``, ``outside-file``,
  ``external`` and ``crash``, and the entries of ``glossary-entry`` appended to its
  ``glossary.yaml``; the report dialect as shipped (no directive, no role);
- ``widened``: the reports of ``widened``, in a site that allows ``{image}``, ``{figure}``,
  ``{csv-table}``, ``{mermaid}`` and ``{download}`` in reports;
- ``glossary-file``: one build per input, each the whole ``glossary.yaml``.

The copy's parent folder holds canary files with unique tokens, and the copy itself holds
some where no report may reach (``conf.py``, ``.git/config``, ``_build/``, ``.tox/``).
Every external URL of the corpus is on ``canary.example``; the builds run with a recording
HTTP proxy, so a fetch at build time (by Python or by mermaid-cli's Chromium) is seen.

For each input: (1) no traceback; (2) exactly its findings, at its file and line; (3) every
other page is built (and its own, unless it is one to leave out); (4) no canary token in
its page or anywhere under the output folder, nothing fetched at build time; (5) in
Chromium, with every request not to the local server blocked and counted, opening its page
(for a glossary entry: the glossary and a report that mentions it), hovering over every link
and clicking it (a link to another site is followed, and blocked, on its own) runs no script
(alert and friends and ``window.injected`` are trapped, across navigations), requests
nothing from outside and logs no console error. Every page of the site, and a search for
the hostile titles and terms, is opened the same way. The PDF is built once
(``-M latexpdf``) from every report of the corpus, in the widened site: it completes, prints
every report and holds no canary.

A gap found by an input is marked in the manifest (``xfail``, naming the gap in
``[known-gaps]``), so that the check is strictly expected to fail until the gap is closed.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import subprocess
import threading
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from builds import REPO, messages, sphinx_build

CORPUS = REPO / "tests" / "hostile"
SITE = CORPUS / "site"
FOLDER = "reports/2023"
MANIFEST = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))
REPORT_CLASSES = ("script-html", "script-url", "outside-file", "external", "crash")
WIDENED_CONF = """
shuzhi_report_directives = ["image", "figure", "csv-table", "mermaid"]
shuzhi_report_roles = ["download"]
"""
#: A diagram a site that allows {mermaid} in reports must still draw: styles, a line break.
DIAGRAM_REPORT = (f"{FOLDER}/002-diagram.md",
                  "---\ntitle: 图表\nyear: 2023\n---\n\n# 图表\n\n```{mermaid}\nflowchart LR\n"
                  "  A[\"三会<br>一课\"] --> B(支部)\n  style A fill:#f9f,stroke:#333\n```\n")
CANARY_HOST = "canary.example"
PNG = (SITE / FOLDER / "ok.png").read_bytes()

#: Files a report must never publish, relative to the folder that holds the site's copy,
#: and the token each holds. ``site/conf.py`` has its token in its docstring.
SECRETS: dict[str, tuple[bytes, str]] = {
    "canary.txt": (b"", "CANARY-outside-txt-41f2"),
    "canary.png": (PNG, "CANARY-outside-png-93ab"),
    "secrets/canary.png": (PNG, "CANARY-outside-folder-png-5c0d"),
    "secrets/leak.md": ("---\ntitle: 泄露\nyear: 2023\n---\n\n# 泄露\n\n".encode(),
                        "CANARY-outside-folder-md-2e77"),
    "site/.git/config": (b"[core]\n", "CANARY-git-config-0a9c"),
    "site/_build/html/secret.txt": (b"a,b\n", "CANARY-build-txt-6d3e"),
    "site/_build/secret.png": (PNG, "CANARY-build-png-8f1a"),
    "site/.tox/secret.txt": (b"", "CANARY-tox-txt-c3b5"),
    "site/.tox/secret.png": (PNG, "CANARY-tox-png-77e0"),
}
TOKENS = (*(token for _, token in SECRETS.values()), "CANARY-conf-py-7b41", "root:x:0:0:")

FRONT = "---\ntitle: 敌意输入\nyear: 2023\n---\n\n# 述职报告\n\n"
#: Inputs too large to keep as files.
GENERATED = {
    # A paragraph of 21000 characters on one line: more than TeX reads as one line (buf_size =
    # 200000 bytes) once escaped ("^" is written \\textasciicircum{}).
    "huge-line": lambda: FRONT + ("很长的一行文字，" + "^ " * 50) * 200 + "\n",
    # The same in a front-matter field (printed under the report's title), in a heading, and in
    # a directive that is refused (shown as a code block, "\\" written \\textbackslash{}).
    "huge-field": lambda: FRONT.replace("year: 2023\n", "year: 2023\nreporter: 书记" + " ^" * 11000 + "\n"),
    "huge-heading": lambda: FRONT.replace("# 述职报告\n", "# 述职报告" + " ^" * 11000 + "\n") + "正文。\n",
    "huge-refused": lambda: FRONT + "```{raw} html\n" + "\\ " * 12000 + "\n```\n",
}

#: Signs of a build that stopped (a report whose check failed is a shuzhi.internal finding at its file).
CRASH_SIGNS = ("Traceback", "Exception occurred", "Extension error", "RecursionError", "MemoryError")


# --------------------------------------------------------------------------- the corpus


@dataclass(frozen=True)
class Input:
    """One hostile input, as the manifest describes it."""

    klass: str
    name: str
    findings: tuple[tuple[int, str], ...]
    left_out: bool = False
    symlink: str = ""
    generate: str = ""
    xfail: tuple[tuple[str, str], ...] = ()  # (check, reason): a known gap, strictly expected to fail

    @property
    def id(self) -> str:
        return f"{self.klass}/{self.name}"

    @property
    def target(self) -> str:
        """Where the input goes in the site's copy."""
        if self.klass.startswith("glossary"):
            return "glossary.yaml"
        return f"{FOLDER}/{self.klass}--{self.name}"

    @property
    def pages(self) -> tuple[str, ...]:
        """The pages that show this input."""
        if self.klass.startswith("glossary"):
            return ("glossary.html", f"{FOLDER}/001-mentions.html")
        return (self.target.removesuffix(".md") + ".html",)

    def text(self) -> bytes:
        if self.generate:
            return GENERATED[self.generate]().encode("utf-8")
        return (CORPUS / self.klass / self.name).read_bytes()

    def param(self, check: str):
        marks = [pytest.mark.xfail(strict=True, reason=MANIFEST["known-gaps"][gap])
                 for name, gap in self.xfail if name == check]
        return pytest.param(self, id=self.id, marks=marks)


def whole_build(test: str, *params: str) -> list:
    """Parameters of a test of a whole build, strictly expected to fail where a gap is known."""
    gaps = MANIFEST.get("whole-build-gaps", {})
    if not params:
        return [pytest.param(None, id="whole", marks=[pytest.mark.xfail(strict=True, reason=gaps[test])]
                             if test in gaps else [])]
    return [pytest.param(param, marks=[pytest.mark.xfail(strict=True, reason=gaps[f"{test}[{param}]"])]
                         if f"{test}[{param}]" in gaps else []) for param in params]


def _parse_findings(values: list[str]) -> tuple[tuple[int, str], ...]:
    return tuple((int(value.split(" ", 1)[0]), value.split(" ", 1)[1]) for value in values)


def load_corpus() -> list[Input]:
    inputs = []
    for klass, entries in MANIFEST["inputs"].items():
        for name, spec in entries.items():
            if isinstance(spec, list):
                spec = {"findings": spec}
            inputs.append(Input(klass, name, _parse_findings(spec.get("findings", [])), spec.get("left_out", False),
                                spec.get("symlink", ""), spec.get("generate", ""),
                                tuple(spec.get("xfail", {}).items())))
    return inputs


CORPUS_INPUTS = load_corpus()
MAIN = [item for item in CORPUS_INPUTS if item.klass in (*REPORT_CLASSES, "glossary-entry")]
WIDENED = [item for item in CORPUS_INPUTS if item.klass == "widened"]
GLOSSARY_FILES = [item for item in CORPUS_INPUTS if item.klass == "glossary-file"]


def test_the_corpus_is_complete() -> None:
    """Every file of the corpus is in the manifest and every entry has its file; 60 inputs at least."""
    listed = {(item.klass, item.name) for item in CORPUS_INPUTS if not item.symlink and not item.generate}
    files = {(path.parent.name, path.name) for path in CORPUS.glob("*/*")
             if path.parent.name in MANIFEST["inputs"]}
    assert listed == files
    assert len(CORPUS_INPUTS) >= 60
    assert all(item.findings for item in CORPUS_INPUTS), "every input has a finding"


# --------------------------------------------------------------------------- a recording proxy


class _Recorder(http.server.BaseHTTPRequestHandler):
    """A proxy that answers nothing and remembers every request it was asked to make."""

    requests: list[str]

    def _refuse(self) -> None:
        self.requests.append(f"{self.command} {self.path}")
        self.send_response(403)
        self.end_headers()

    do_GET = do_POST = do_HEAD = do_CONNECT = _refuse

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def recording_proxy():
    """``(environment, requests)``: proxy settings for a build, and what went through them."""
    requests: list[str] = []
    handler = type("Recorder", (_Recorder,), {"requests": requests})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    env = {key: value for key, value in os.environ.items() if key.lower() != "no_proxy"}
    env.update({name: url for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                                       "all_proxy", "ALL_PROXY")})
    try:
        yield env, requests
    finally:
        server.shutdown()


# --------------------------------------------------------------------------- building


@dataclass
class Build:
    base: Path
    src: Path
    out: Path
    result: subprocess.CompletedProcess
    inputs: list[Input]
    offsets: dict[str, int]  # glossary-entry input → line offset in glossary.yaml
    fetched: list[str]
    warnings: list[tuple[str, int, str, str]] = field(default_factory=list)  # path, line, kind, message

    @property
    def html(self) -> Path:
        return self.out / "html"

    @functools.cached_property
    def leaks(self) -> dict[str, list[str]]:
        return leaks(self.out)

    def found(self, item: Input) -> Counter:
        """(line, kind) of every warning at *item*'s file, lines counted in the input."""
        offset = self.offsets.get(item.name, 0)
        size = (item.text().count(b"\n") or 1) if item.klass == "glossary-entry" else 0
        found = Counter()
        for path, line, kind, _ in self.warnings:
            if path != item.target and not path.startswith(item.target + "/"):
                continue
            if item.klass == "glossary-entry" and not offset < line <= offset + size:
                continue
            found[(line - offset, kind)] += 1
        return found


def parse_warnings(stderr: str, src: Path) -> list[tuple[str, int, str, str]]:
    """Every warning and error Sphinx printed: (path relative to *src*, line, kind, message);
    kind is the type ("shuzhi.raw_html", "misc.highlighting_failure"), or the level for an untyped one."""
    return [(m.path, m.line, m.type or m.level.lower(), m.record) for m in messages(stderr, src)]


def make_site(base: Path, inputs: list[Input], *, widened: bool = False,
              glossary: Input | None = None) -> tuple[Path, dict]:
    """A copy of the small site under *base*, with *inputs* and the canaries around it."""
    src = base / "site"
    shutil.copytree(SITE, src)
    if widened:
        (src / DIAGRAM_REPORT[0]).write_text(DIAGRAM_REPORT[1], encoding="utf-8")
    for relative, (prefix, token) in SECRETS.items():
        path = base / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(prefix + token.encode() + b"\n")
    for name, target in MANIFEST["links"].items():
        (src / FOLDER / name).symlink_to(target)
    with (src / "conf.py").open("a", encoding="utf-8") as conf_file:
        conf_file.write(WIDENED_CONF if widened else "")
    offsets = {}
    glossary_path = src / "glossary.yaml"
    for item in inputs:
        if item.klass == "glossary-entry":
            offsets[item.name] = glossary_path.read_bytes().count(b"\n")
            with glossary_path.open("ab") as entries:
                entries.write(item.text())
        elif item.symlink:
            (src / item.target).symlink_to(item.symlink)
        else:
            (src / item.target).write_bytes(item.text())
    if glossary is not None:
        glossary_path.write_bytes(glossary.text())
    return src, offsets


def build_html(base: Path, inputs: list[Input], *, widened: bool = False, glossary: Input | None = None) -> Build:
    src, offsets = make_site(base, inputs, widened=widened, glossary=glossary)
    with recording_proxy() as (env, fetched):
        result = sphinx_build(src, base / "out", "-D", f"shuzhi_mermaid_dist={REPO / 'node_modules/mermaid/dist'}",
                              env=env)
        requests = list(fetched)
    build = Build(base, src, base / "out", result, [*inputs, *([glossary] if glossary else [])], offsets, requests)
    build.warnings = parse_warnings(result.stderr, src)
    return build


@pytest.fixture(scope="module")
def main_build(tmp_path_factory) -> Build:
    return build_html(tmp_path_factory.mktemp("hostile-main"), MAIN)


@pytest.fixture(scope="module")
def widened_build(tmp_path_factory) -> Build:
    return build_html(tmp_path_factory.mktemp("hostile-widened"), WIDENED, widened=True)


@pytest.fixture(scope="module")
def glossary_builds(tmp_path_factory) -> dict[str, Build]:
    return {item.name: build_html(tmp_path_factory.mktemp("hostile-glossary"), [], glossary=item)
            for item in GLOSSARY_FILES}


def build_of(item: Input, request) -> Build:
    if item.klass == "glossary-file":
        return request.getfixturevalue("glossary_builds")[item.name]
    return request.getfixturevalue("widened_build" if item.klass == "widened" else "main_build")


# --------------------------------------------------------------------------- (1) (2) findings


def _check_no_crash(build: Build) -> None:
    output = build.result.stdout + build.result.stderr
    assert [sign for sign in CRASH_SIGNS if sign in output] == [], build.result.stderr[-3000:]
    assert build.result.returncode in (0, 1), build.result.stderr[-3000:]  # 1: the warnings, as errors


def _findings_test(item: Input, request) -> None:
    build = build_of(item, request)
    _check_no_crash(build)
    assert build.found(item) == Counter(item.findings), [w for w in build.warnings if w[0].startswith(item.target)]


@pytest.mark.slow
@pytest.mark.parametrize("item", [item.param("findings") for item in CORPUS_INPUTS])
def test_no_traceback_and_each_finding_at_its_line(item: Input, request) -> None:
    _findings_test(item, request)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["main_build", "widened_build"])
def test_every_warning_belongs_to_an_input(name: str, request) -> None:
    """No finding the manifest does not list: nothing else in the site is disturbed."""
    build = request.getfixturevalue(name)
    targets = tuple(item.target for item in build.inputs)
    stray = [warning for warning in build.warnings
             if not warning[0].startswith(targets)]
    assert stray == []


# --------------------------------------------------------------------------- (3) pages


def expected_pages(build: Build) -> set[str]:
    """Every page the build must write: the site's own, and each input's that is not left out."""
    pages = {path.relative_to(SITE).with_suffix(".html").as_posix() for path in SITE.rglob("*.md")}
    pages |= {"genindex.html", "search.html"}
    if (build.src / DIAGRAM_REPORT[0]).exists():
        pages.add(DIAGRAM_REPORT[0].removesuffix(".md") + ".html")
    for item in build.inputs:
        if item.target.endswith(".md") and not item.left_out:
            pages.add(item.target.removesuffix(".md") + ".html")
    return pages


@pytest.mark.slow
@pytest.mark.parametrize("item", [item.param("pages") for item in CORPUS_INPUTS])
def test_every_other_page_is_built(item: Input, request) -> None:
    build = build_of(item, request)
    written = {path.relative_to(build.html).as_posix() for path in build.html.rglob("*.html")}
    assert expected_pages(build) - written == set()
    own = {page for page in written if page.startswith(item.target.removesuffix(".md"))}
    if item.left_out:
        assert own == set()
    for page in expected_pages(build):
        html = (build.html / page).read_text(encoding="utf-8")
        assert "</html>" in html and ("<article" in html or page == "search.html"), page


# --------------------------------------------------------------------------- (4) canaries


def leaks(folder: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            tokens = [token for token in TOKENS if token.encode() in data]
            if tokens:
                found[path.relative_to(folder).as_posix()] = tokens
    return found


@pytest.mark.slow
@pytest.mark.parametrize("item", [item.param("canary") for item in CORPUS_INPUTS])
def test_no_canary_in_its_page_or_its_document(item: Input, request) -> None:
    build = build_of(item, request)
    stem = item.target.removesuffix(".md")
    own = {path: tokens for path, tokens in build.leaks.items()
           if path.startswith((f"html/{stem}", f"doctrees/{stem}"))}
    assert own == {}


@pytest.mark.slow
@pytest.mark.parametrize("name", whole_build("test_no_canary_anywhere_in_the_output_and_nothing_fetched",
                                             "main_build", "widened_build"))
def test_no_canary_anywhere_in_the_output_and_nothing_fetched(name: str, request) -> None:
    build = request.getfixturevalue(name)
    assert build.leaks == {}
    assert build.fetched == []


@pytest.mark.slow
def test_no_glossary_file_leaks_or_fetches(glossary_builds) -> None:
    for build in glossary_builds.values():
        assert build.leaks == {}
        assert build.fetched == []


# --------------------------------------------------------------------------- (5) Chromium

#: Run before any script of every page: dialogs and ``window.injected`` report to the test.
#: The payloads assign numbers; mermaid 11.17's own bundle assigns ``window.injected`` an object
#: of its build flags ({includeLargeFeatures, profiling, version}), which is not a payload.
TRAPS = """
for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
  window[name] = (...args) => { window.__shuzhiTrap(name + ":" + args.join(" ")); };
}
Object.defineProperty(window, "injected", {
  configurable: true,
  get() { return undefined; },
  set(value) { if (typeof value !== "object") window.__shuzhiTrap("window.injected=" + value); },
});
// Links to pages of the site are followed only as far as their click handlers: every page is
// opened on its own. Other links (script, external) keep their default action.
const linkURL = (link) => {
  const href = typeof link.href === "string" ? link.href : (link.href && link.href.baseVal) || "";
  try { return new URL(href, document.baseURI); } catch { return null; }
};
window.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a");
  const url = link && linkURL(link);
  if (url && url.origin === location.origin) event.preventDefault();
}, true);
"""

#: Hover over every link and click it; links to other sites are left to the test (each leaves the page).
HOVER_AND_CLICK = """async () => {
  const linkURL = (link) => {
    const href = typeof link.href === "string" ? link.href : (link.href && link.href.baseVal) || "";
    try { return new URL(href, document.baseURI); } catch { return null; }
  };
  const links = [...document.querySelectorAll("a")];
  const external = [];
  for (const [index, link] of links.entries()) {
    for (const type of ["mouseover", "mouseenter", "mousemove", "focus", "mouseout", "mouseleave", "blur"]) {
      link.dispatchEvent(new (type.startsWith("mouse") ? MouseEvent : FocusEvent)(type, {bubbles: true}));
    }
    const url = linkURL(link);
    if (url && ["http:", "https:"].includes(url.protocol) && url.origin !== location.origin) {
      external.push(index);  // as the browser parses it: an ordinary link to another site
      continue;
    }
    link.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true}));
    if (!url || url.origin !== location.origin) {
      await new Promise((resolve) => setTimeout(resolve, 20));  // a script URL runs in a task of its own
    }
  }
  return [links.length, external];
}"""

@dataclass
class Visit:
    ran: list[str] = field(default_factory=list)  # trapped dialogs and injections, dialogs shown
    requests: list[str] = field(default_factory=list)  # requests not to the local server
    errors: list[str] = field(default_factory=list)  # console errors and page errors
    links: int = 0  # links hovered and clicked
    drawn: int = 0  # diagrams drawn


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # the browser leaves pages while they load


@contextlib.contextmanager
def serve_quietly(directory: Path):
    handler = functools.partial(type("Quiet", (http.server.SimpleHTTPRequestHandler,),
                                     {"log_message": lambda *args: None}), directory=str(directory))
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def visit(browser, base: str, pages: list[str]) -> dict[str, Visit]:
    """Open each page, hover over every link and click it; what ran, what was requested, what failed."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    visits = {page: Visit() for page in pages}
    current: list[Visit] = [Visit()]
    followed: list[str] = [""]  # the link to another site being followed

    def route(route) -> None:
        url = route.request.url
        if url.startswith(base + "/"):
            route.continue_()
            return
        # Following an ordinary link to another site is what a link is for; anything else is a leak.
        if not (route.request.is_navigation_request() and url == followed[0]):
            current[0].requests.append(url)
        route.abort()

    context.route("**/*", route)
    context.expose_binding("__shuzhiTrap", lambda source, what: current[0].ran.append(what))
    context.add_init_script(TRAPS)
    page = context.new_page()
    page.on("dialog", lambda dialog: (current[0].ran.append("dialog:" + dialog.message), dialog.dismiss()))
    page.on("popup", lambda popup: (current[0].ran.append("popup:" + popup.url), popup.close()))
    page.on("console", lambda message: message.type == "error" and current[0].errors.append(message.text))
    page.on("pageerror", lambda error: current[0].errors.append(str(error)))

    def open_page(path: str) -> None:
        for attempt in range(3):  # a followed link's error page may still be on its way
            try:
                page.goto(f"{base}/{path}", wait_until="load")
                break
            except Exception:
                if attempt == 2:
                    raise
                page.wait_for_timeout(200)
        if page.locator(".mermaid").count():  # diagrams are drawn after load, and load what they show
            with contextlib.suppress(Exception):
                page.wait_for_function("[...document.querySelectorAll('.mermaid')].every(d => d.querySelector('svg'))",
                                       timeout=5000)
            page.wait_for_load_state("networkidle")

    for path in pages:
        current[0] = visits[path]
        followed[0] = ""
        open_page(path)
        visits[path].drawn = page.locator(".mermaid svg").count()
        count, external = page.evaluate(HOVER_AND_CLICK)
        visits[path].links = count
        page.wait_for_timeout(50)
        for index in external:
            link = page.locator("a").nth(index)
            target = link.evaluate("el => new URL(el.href.baseVal ?? el.href, document.baseURI).href")
            followed[0] = target
            # Until its request is made (late on a busy machine), the link's navigation is not a leak.
            with contextlib.suppress(Exception), page.expect_request(lambda request: request.url == target,
                                                                      timeout=5000):
                link.dispatch_event("click")
            page.wait_for_timeout(50)
            followed[0] = ""
            open_page(path)
    context.close()
    return visits


def pages_to_visit(build: Build) -> list[str]:
    pages = sorted(expected_pages(build))
    # The search, for the hostile titles and glossary terms, as a reader would type it.
    return [*pages, "search.html?q=述职报告", "search.html?q=党建"]


@pytest.fixture(scope="module")
def main_visits(main_build, browser) -> dict[str, Visit]:
    with serve_quietly(main_build.html) as base:
        return visit(browser, base, pages_to_visit(main_build))


@pytest.fixture(scope="module")
def widened_visits(widened_build, browser) -> dict[str, Visit]:
    with serve_quietly(widened_build.html) as base:
        return visit(browser, base, pages_to_visit(widened_build))


@pytest.fixture(scope="module")
def glossary_visits(glossary_builds, browser) -> dict[str, dict[str, Visit]]:
    found = {}
    for name, build in glossary_builds.items():
        with serve_quietly(build.html) as base:
            found[name] = visit(browser, base, ["glossary.html", "genindex.html"])
    return found


def _clean(visits: dict[str, Visit]) -> dict[str, Visit]:
    return {page: seen for page, seen in visits.items() if seen.ran or seen.requests or seen.errors}


@pytest.mark.browser
@pytest.mark.parametrize("item", [item.param("browser") for item in CORPUS_INPUTS])
def test_no_script_runs_and_nothing_is_loaded_from_outside(item: Input, request) -> None:
    if item.klass == "glossary-file":
        visits = request.getfixturevalue("glossary_visits")[item.name]
    else:
        visits = request.getfixturevalue("widened_visits" if item.klass == "widened" else "main_visits")
    own = {page: visits[page] for page in item.pages if page in visits}
    assert own or item.left_out
    assert _clean(own) == {}


@pytest.mark.browser
@pytest.mark.parametrize("name", whole_build("test_no_page_of_the_site_runs_script_or_loads_from_outside",
                                             "main_visits", "widened_visits"))
def test_no_page_of_the_site_runs_script_or_loads_from_outside(name: str, request) -> None:
    visits = request.getfixturevalue(name)
    assert _clean(visits) == {}
    assert sum(seen.links for seen in visits.values()) > len(visits)  # links were clicked


def test_a_plain_diagram_in_a_report_is_still_drawn(widened_visits) -> None:
    """Where a site allows {mermaid} in reports, a diagram with styles and line breaks is drawn."""
    assert widened_visits[DIAGRAM_REPORT[0].removesuffix(".md") + ".html"].drawn == 1


# --------------------------------------------------------------------------- the PDF


@pytest.fixture(scope="module")
def pdf_build(tmp_path_factory):
    """Every report of the corpus and the glossary entries, in the widened site, as a PDF."""
    base = tmp_path_factory.mktemp("hostile-pdf")
    inputs = [*MAIN, *WIDENED]
    src, _ = make_site(base, inputs, widened=True)
    # The PDF's diagrams are drawn by mermaid-cli, as the site's conf.py has it.
    params = ["--puppeteerConfigFile", str(REPO / "docs/puppeteer-config.json"),
              "--configFile", str(REPO / "docs/mermaid-config.json"), "--pdfFit"]
    with (src / "conf.py").open("a", encoding="utf-8") as conf_file:
        conf_file.write(f"mermaid_cmd = {str(REPO / 'node_modules/.bin/mmdc')!r}\nmermaid_params = {params!r}\n")
    with recording_proxy() as (env, fetched):
        # Not -W: the corpus's findings are warnings, and the PDF must be made in spite of them.
        result = sphinx_build(src, base / "out", "--keep-going", builder="latexpdf", strict=False, env=env)
        requests = list(fetched)
    return base, src, result, inputs, requests


@pytest.mark.pdf
@pytest.mark.parametrize("_", whole_build("test_the_pdf_of_the_whole_corpus_is_printed_without_a_canary"))
def test_the_pdf_of_the_whole_corpus_is_printed_without_a_canary(pdf_build, _) -> None:
    base, _, result, inputs, fetched = pdf_build
    output = result.stdout + result.stderr
    assert [sign for sign in CRASH_SIGNS if sign in output] == []
    assert result.returncode == 0, output[-4000:]
    latex = base / "out" / "latex"
    # Every input's year is 2023 or no year (its folder's): one compilation.
    pdf = latex / "hostile-2023.pdf"
    assert sorted(path.name for path in latex.glob("hostile*.pdf")) == [pdf.name]
    printed = [item for item in inputs if item.target.endswith(".md") and not item.left_out]
    # One chapter per report (the site's three and every input that is not left out), and the glossary.
    assert (latex / "hostile-2023.tex").read_text(encoding="utf-8").count("\\chapter{") == len(printed) + 3 + 1
    assert leaks(base / "out") == {}
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert [token for token in TOKENS if token in text] == []
    # Nothing at all: mermaid-cli's Chromium asks Google for updates and accounts unless told not to.
    assert fetched == []
