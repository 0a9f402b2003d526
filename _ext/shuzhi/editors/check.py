"""``python -m shuzhi check``: the build's report checks, without building the site.

A thin adapter over the report pipeline (:func:`shuzhi.report.pipeline.read`), as
the build is (:mod:`shuzhi.build.reading`). A report is parsed with MyST's docutils
parser (the same markdown-it renderer and report dialect Sphinx uses, without
Sphinx's environment) with the docutils settings of the build
(``sphinx.environment.default_settings``: files may be inserted, as in the build),
then run through the same pipeline with the same settings
(:func:`.reading.settings`), so every finding is printed with the same message, line
and subtype as the build prints it. The site's settings (report folders, schema,
watermark patterns, glossary file, ``suppress_warnings``, ``myst_*``) are read by
executing ``conf.py`` (as Sphinx does) and validated with the build's own
:func:`.config.validate`; a setting conf.py leaves out has its documented default.
The glossary is loaded as the build loads it (:func:`.entries.load_configured`), and
``suppress_warnings`` is matched by Sphinx's own rule (``is_suppressed_warning``).

The rules across the reports of one year (:mod:`shuzhi.report.collection`: two reports
with one ``position``, one unit with two reports) run on the placements of the checked
reports, as the build runs them on those of every report it has read; when only some files
are checked, beside the placements of the site's other reports (their front matter only is
read), and a clash found on another report is printed too (:func:`across_reports`).
"""

from __future__ import annotations

import io
import logging
import re
import time
import types
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx.util.logging import is_suppressed_warning

from ..build import config as shuzhi_config
from ..report import kinds
from ..report.records import Finding, Placement

#: Docutils settings for a report besides the build's own (``sphinx.environment.default_settings``):
#: messages from warnings up, as Sphinx logs them.
_SETTINGS = {
    "report_level": 2,
}


def warning_line(location: str, message: str, kind: kinds.Kind) -> str:
    """A warning as Sphinx prints it (without colours)."""
    return f"{location}: WARNING: {message} [shuzhi.{kind}]"


@dataclass
class Site:
    """What the checks need from a site's configuration."""

    root: Path
    config: Any  # an object with the shuzhi_* values (like sphinx.config.Config)
    myst_settings: dict[str, Any]
    suppress: frozenset[str]
    glossary: Any = None  # glossary.Glossary, or None
    warnings: list[str] = field(default_factory=list)  # about conf.py or the glossary file
    #: The build's docutils settings: Sphinx's defaults, and what it takes from conf.py.
    docutils_settings: dict[str, Any] = field(default_factory=dict)

    def suppressed(self, kind: str, warning_type: str = "shuzhi") -> bool:
        """Whether ``suppress_warnings`` silences *warning_type*.*kind*, as the build decides it."""
        return is_suppressed_warning(warning_type, kind, self.suppress)


class _Capture(logging.Handler):
    """Collects the warnings that the build's own validation logs (Sphinx's logger adapter)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        location = getattr(record, "location", None)
        kind = getattr(record, "subtype", None) or kinds.CONFIG
        self.lines.append(warning_line(location or "conf.py", record.getMessage(), kind))


def find_root(start: Path) -> Path:
    """The nearest folder at or above *start* that holds a conf.py (else *start*)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "conf.py").is_file():
            return folder
    return start


def load_site(root: Path) -> Site:
    """The configuration of the site in *root* (conf.py executed as Sphinx does, defaults otherwise)."""
    from sphinx.config import eval_config_file
    from sphinx.environment import default_settings
    from sphinx.util.tags import Tags

    namespace: dict[str, Any] = {}
    conf = root / "conf.py"
    warnings: list[str] = []
    if conf.is_file():
        namespace = eval_config_file(conf, Tags())
    values = {option.name: namespace.get(option.name, option.default) for option in shuzhi_config.OPTIONS}
    config = types.SimpleNamespace(**values)
    capture = _Capture()
    sphinx_logger = logging.getLogger("sphinx.shuzhi")
    sphinx_logger.addHandler(capture)
    propagate, sphinx_logger.propagate = sphinx_logger.propagate, False
    try:
        shuzhi_config.validate(types.SimpleNamespace(confdir=str(root)), config)
    finally:
        sphinx_logger.removeHandler(capture)
        sphinx_logger.propagate = propagate
    warnings += capture.lines
    suppress = frozenset(kinds.current_suppressions(namespace.get("suppress_warnings", ()))[0])
    myst = {name: value for name, value in namespace.items() if name.startswith("myst_")}
    # What Sphinx puts into its docutils settings from conf.py (BuildEnvironment._update_settings).
    docutils_settings = {**default_settings, "language_code": namespace.get("language") or "en",
                         "trim_footnote_reference_space": bool(namespace.get("trim_footnote_reference_space", False))}
    site = Site(root, config, myst, suppress, docutils_settings=docutils_settings)
    site.warnings = [line for line in warnings if not _suppressed_line(line, site)]
    site.glossary = _load_glossary(site)
    return site


def _suppressed_line(line: str, site: Site) -> bool:
    """Whether the warning printed as *line* (ending in ``[type.subtype]``) is suppressed."""
    warning_type, _, subtype = line.rsplit("[", 1)[-1].rstrip("]").partition(".")
    return site.suppressed(subtype, warning_type)


def _load_glossary(site: Site):
    """The site's glossary, loaded as the build loads it; its problems added to the site's warnings."""
    from ..glossary import entries

    name = site.config.shuzhi_glossary_file
    configured = entries.load_configured(
        site.root, name, site.config.shuzhi_glossary_categories, site.config.shuzhi_glossary_outlets,
        required=name != shuzhi_config.default_of("shuzhi_glossary_file"))
    site.warnings += [warning_line(location or str(configured.path), message, subtype)
                      for location, subtype, message in configured.warnings if not site.suppressed(subtype)]
    return configured.glossary


def report_files(site: Site) -> list[Path]:
    """Every report under the site's report folders, sorted."""
    found = []
    for folder in site.config.shuzhi_report_dirs:
        base = site.root / folder
        if base.is_dir():
            found += [path for path in base.rglob("*.md")
                      if shuzhi_config.is_report(site.config, docname_of(path, site.root))
                      and not any(part.startswith((".", "_")) for part in path.relative_to(base).parts)]
    return sorted(found)


def docname_of(path: Path, root: Path) -> str:
    """The Sphinx docname of *path* (relative to the source folder, without suffix)."""
    resolved = path.resolve()
    try:
        relative = resolved.relative_to(root.resolve())
    except ValueError:
        relative = Path(*path.parts[-3:]) if len(path.parts) >= 3 else path
    return relative.with_suffix("").as_posix()


#: A message docutils (or MyST, through docutils) writes to its warning stream.
_PARSER_MESSAGE = re.compile(r"^(?P<source>.*?):(?P<line>[0-9]+): \((?P<level>WARNING|ERROR|SEVERE)/[0-9]\) (?P<text>.*)$")
_SUBTYPE = re.compile(r" \[(?P<type>[a-z_]+(?:\.[a-z_-]+)?)\]$")
_LEVELS = {"WARNING": "WARNING", "ERROR": "ERROR", "SEVERE": "CRITICAL"}  # as Sphinx names them


def parse(source: str, site: Site, display: str = "<string>"):
    """The doctree MyST makes of *source*, as Sphinx has it when ``doctree-read`` runs,
    and the parser's own warnings, formatted as Sphinx prints them."""
    from docutils import nodes
    from docutils.core import publish_doctree
    from docutils.parsers.rst import directives

    from ..untrusted import files
    from ..untrusted.dialect import Dialect, GuardedDocutilsParser
    from ..untrusted.sanitize import REPORT_ROOTS_SETTING, ConfinedCSVTable

    # The build's confined {csv-table} (for a site that allows it): files are inserted, as in the
    # build, and a table is read from the report folders only, never from a URL.
    directives.register_directive("csv-table", ConfinedCSVTable)
    stream = io.StringIO()
    settings = {**site.docutils_settings, **_SETTINGS, **site.myst_settings, "warning_stream": stream,
                REPORT_ROOTS_SETTING: files.report_roots(site.root, site.config.shuzhi_report_dirs)}
    doctree = publish_doctree(source, source_path=display, parser=GuardedDocutilsParser(Dialect.of(site.config)),
                              settings_overrides=settings)
    # Sphinx moves the front matter (a docinfo) into env.metadata and removes it from the page,
    # and filters the parser's messages out of the doctree (they are logged instead).
    for node in list(doctree.findall(lambda node: isinstance(node, (nodes.docinfo, nodes.system_message)))):
        node.parent.remove(node)
    messages = []
    for line in stream.getvalue().splitlines():
        if match := _PARSER_MESSAGE.match(line):
            text = match["text"]
            kind = _SUBTYPE.search(text)
            if kind is None:
                text += " [docutils]"
            else:
                warning_type, _, subtype = kind["type"].partition(".")
                if site.suppressed(subtype, warning_type):
                    continue
            messages.append(f"{display}:{match['line']}: {_LEVELS[match['level']]}: {text}")
    return doctree, messages


@dataclass
class Result:
    """What ``check`` found in one file."""

    path: Path
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # information, never a failure
    display: str = ""
    docname: str = ""
    #: Where the report stands in the compilation (None: unreadable), for the rules across reports.
    placement: Placement | None = None
    #: The report's findings, reported after :attr:`warnings` (with the findings across reports).
    findings: list[Finding] = field(default_factory=list)

    def add_findings(self, findings: Iterable[Finding], site: Site) -> None:
        """Report *findings* too (unless suppressed), in line order with the report's own."""
        self.findings = sorted([*self.findings, *(finding for finding in findings if not site.suppressed(finding.kind))],
                               key=lambda finding: finding.line)

    def lines(self) -> list[str]:
        """The warnings, as the build prints them."""
        return [*self.warnings, *(warning_line(f"{self.display}:{finding.line}", finding.message, finding.kind)
                                  for finding in self.findings)]


def check_file(path: Path, site: Site, display: str | None = None) -> Result:
    """Check one report file as the build checks it: parsed as the build parses it, then the report pipeline."""
    from ..build.reading import settings
    from ..report import controls, pipeline
    from ..report.records import TermUsage
    from ..untrusted import dialect, sanitize, unreadable

    display = display or str(path)
    docname = docname_of(path, site.root)
    result = Result(path, display=display, docname=docname)
    try:
        data = path.read_bytes()
    except OSError as error:
        result.warnings.append(f"{display}: 错误：无法读取（{error.strerror or error}）。")
        return result
    try:
        source = data.decode("utf-8-sig")  # Sphinx's input encoding
    except UnicodeDecodeError as error:
        line, message = unreadable.undecodable(data, error)
        if not site.suppressed(kinds.ENCODING):
            result.warnings.append(warning_line(f"{display}:{line}", message, kinds.ENCODING))
        return result

    config = site.config
    try:
        doctree, messages = parse(controls.strip(source), site, display)
        dialect.flatten_deep_blocks(doctree)
        sanitize.neutralise_markup(doctree)  # raw HTML and script links, as in the build
    except Exception as error:  # noqa: BLE001 - as in the build: report it, check the next file
        record = pipeline.failed_record(docname, error)
        usages: tuple[TermUsage, ...] = ()
    else:
        result.warnings += messages
        result.notes += [f"{display}:{line}: {{{name}}} 指令只在构建网站时运行，其内容由构建检查。"
                         for line, name in doctree.attributes.pop(dialect.NOT_RUN, [])]
        record, usages, _ = pipeline.read(doctree, source, docname, settings(config, site.glossary))

    result.placement = record.placement
    result.add_findings(pipeline.reported(record, config.shuzhi_placeholders_fail), site)
    if not config.shuzhi_placeholders_fail:
        result.notes += [f"{display}:{placeholder.line}: 待补充：“{placeholder.text}”（{placeholder.context}）"
                         for placeholder in record.placeholders]
    if site.glossary is not None:
        terms = list(dict.fromkeys(usage.term for usage in usages))
        listing = "：" + "".join(f"“{term}”" for term in terms) if terms else ""
        result.notes.append(f"{display}: 术语表概念 {len(usages)} 处，{len(terms)} 个{listing}")
    return result


def placement_of(path: Path, site: Site) -> Placement | None:
    """The placement of the report in *path*, from its front matter only (None: unreadable)."""
    from ..report import collection, controls, frontmatter

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    return collection.placement(frontmatter.read(controls.strip(text), docname_of(path, site.root))[0])


def across_reports(results: list[Result], site: Site, whole_site: bool) -> list[Result]:
    """Add the findings across the reports of one year to *results* (:mod:`shuzhi.report.collection`).

    The whole site checked: from the checked reports. Some files checked: each beside every
    other report of the site, whose front matter only is read; a finding on another report
    that clashes with a checked one is returned as a result of its own.
    """
    from ..report import collection

    checked = {result.docname: result for result in results if result.placement is not None}
    placements = {docname: result.placement for docname, result in checked.items()}
    others: dict[str, Path] = {}
    if not whole_site:
        for path in report_files(site):
            docname = docname_of(path, site.root)
            if docname not in placements and (placed := placement_of(path, site)) is not None:
                placements[docname] = placed
                others[docname] = path
    found = collection.findings(placements.items(), None if whole_site else checked)
    extra: dict[str, Result] = {}
    for docname in dict.fromkeys(finding.docname for finding in found):
        mine = [finding for finding in found if finding.docname == docname]
        if docname in checked:
            checked[docname].add_findings(mine, site)
        else:
            extra[docname] = Result(others[docname], display=_display(others[docname]), docname=docname)
            extra[docname].add_findings(mine, site)
    return [result for result in extra.values() if result.findings]


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def run(files: Sequence[str], root: str | None, quiet: bool = False, out=None) -> int:
    """The ``check`` command: print every finding; 1 when any is a warning."""
    import sys

    out = out or sys.stdout
    started = time.perf_counter()
    root_path = Path(root).resolve() if root else find_root(Path(files[0]).parent if files else Path.cwd())
    site = load_site(root_path)
    paths: Iterable[tuple[Path, str]]
    if files:
        paths = [(Path(name), name) for name in files]
    else:
        paths = [(path, _display(path)) for path in report_files(site)]
    paths = list(paths)
    import myst_parser.parsers.docutils_  # noqa: F401 - imported here so the per-report time excludes it

    from ..build import reading  # noqa: F401
    from ..untrusted import dialect  # noqa: F401
    loaded = time.perf_counter()

    for line in site.warnings:
        print(line, file=out)
    failed = bool(site.warnings)
    results: list[Result | str] = []  # a result, or a line about a file that is no report
    for path, display in paths:
        if path.suffix != ".md" or not shuzhi_config.is_report(site.config, docname_of(path, site.root)):
            results.append(f"{display}: 不是报告页面，跳过。")
            continue
        results.append(check_file(path, site, display))
    checked = [result for result in results if isinstance(result, Result)]
    count = len(checked)
    checked_at = time.perf_counter()  # the per-report time excludes reading the other reports' front matter
    results += across_reports(checked, site, whole_site=not files)
    for result in results:
        if isinstance(result, str):
            print(result, file=out)
            continue
        lines = result.lines()
        for line in lines:
            print(line, file=out)
        if not quiet:
            for line in result.notes:
                print(line, file=out)
        failed = failed or bool(lines)
    finished = time.perf_counter()
    per_report = (checked_at - loaded) / count if count else 0.0
    print(f"检查 {count} 篇报告，用时 {finished - started:.2f} 秒"
          f"（其中启动 {loaded - started:.2f} 秒：读取配置和术语表、加载解析器；每篇 {per_report:.3f} 秒）；"
          + ("有问题，见上面的警告。" if failed else "没有发现问题。"), file=out)
    return 1 if failed else 0
