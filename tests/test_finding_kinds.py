"""One registry of the kinds of finding (``shuzhi.<kind>``): complete, used, and the guide's table.

The package's source is read (``ast``) to find every place that names a kind: the
``subtype=`` of a warning, and the kind argument of every callable of the package that
takes one (``Finding``, ``Problem``, ``note``, …). A kind must be one of the constants of
:mod:`shuzhi.report.kinds`, and every constant there must be reported somewhere.
"""

from __future__ import annotations

import ast
import io
import re
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from shuzhi.build import config as shuzhi_config
from shuzhi.editors import check as checking
from shuzhi.report import kinds

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "_ext" / "shuzhi"
REGISTRY = PACKAGE / "report" / "kinds.py"

#: The registry's constants: name → kind.
CONSTANTS = {name: value for name, value in vars(kinds).items()
             if name.isupper() and isinstance(value, str) and value in kinds.MEANINGS}


def _sources() -> dict[str, ast.Module]:
    """Every module of the package but the registry, by its path inside the package."""
    return {path.relative_to(PACKAGE).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
            for path in sorted(PACKAGE.rglob("*.py")) if path != REGISTRY}


def _is_kind(annotation: ast.expr | None) -> bool:
    """Whether *annotation* is ``Kind`` or ``kinds.Kind``."""
    return (isinstance(annotation, ast.Name) and annotation.id == "Kind") or (
        isinstance(annotation, ast.Attribute) and annotation.attr == "Kind")


def _kind_in_tuples(annotation: ast.expr | None) -> int | None:
    """For ``tuple[tuple[..., Kind, ...], ...]`` (tuples each holding a kind): the kind's index in each."""
    if not (isinstance(annotation, ast.Subscript) and isinstance(annotation.slice, ast.Tuple)
            and len(annotation.slice.elts) == 2 and isinstance(annotation.slice.elts[1], ast.Constant)
            and annotation.slice.elts[1].value is Ellipsis):
        return None
    inner = annotation.slice.elts[0]
    if isinstance(inner, ast.Subscript) and isinstance(inner.slice, ast.Tuple):
        return next((index for index, item in enumerate(inner.slice.elts) if _is_kind(item)), None)
    return None


def _kind_positions(tree: ast.Module) -> dict[str, tuple[int, str, int | None]]:
    """The callables a module defines (functions, methods, NamedTuples) with a parameter or field
    annotated ``Kind``, or tuples each holding a ``Kind``: name → the position of the kind among
    a call's arguments, its name, and its index in each tuple (None: the argument is the kind)."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = [(argument.arg, argument.annotation) for argument in node.args.args]
            if arguments and arguments[0][0] in ("self", "cls"):
                arguments = arguments[1:]
        elif isinstance(node, ast.ClassDef):
            arguments = [(item.target.id, item.annotation) for item in node.body
                         if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)]
        else:
            continue
        for position, (name, annotation) in enumerate(arguments):
            if _is_kind(annotation):
                found[node.name] = (position, name, None)
            elif _kind_in_tuples(annotation) is not None:
                found[node.name] = (position, name, _kind_in_tuples(annotation))
    return found


def _imports(module: str, tree: ast.Module, modules: set[str]) -> dict[str, tuple[str, str | None]]:
    """What a module's relative imports bind: local name → (module path, name in it, or None for a module)."""
    package = module.split("/")[:-1]
    bound = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or not node.level:
            continue
        base = package[:len(package) - node.level + 1] + (node.module.split(".") if node.module else [])
        for alias in node.names:
            submodule = "/".join([*base, alias.name]) + ".py"
            if submodule in modules:
                bound[alias.asname or alias.name] = (submodule, None)
            else:
                bound[alias.asname or alias.name] = ("/".join(base) + ".py" if base else "__init__.py", alias.name)
                if "/".join(base) + "/__init__.py" in modules:
                    bound[alias.asname or alias.name] = ("/".join(base) + "/__init__.py", alias.name)
    return bound


def literal_kinds(trees: dict[str, ast.Module]) -> list[tuple[str, int, str]]:
    """(module, line, text) of every kind written as a string instead of a registry constant:
    a warning's ``subtype=``, an argument to a parameter annotated ``Kind``, or the default of
    a field annotated ``Kind``."""
    positions = {module: _kind_positions(tree) for module, tree in trees.items()}
    found = []
    for module, tree in trees.items():
        imports = _imports(module, tree, set(trees))

        def callee(function: ast.expr) -> tuple[str, str] | None:
            if isinstance(function, ast.Name):
                if function.id in positions[module]:
                    return module, function.id
                target = imports.get(function.id)
                return (target[0], target[1]) if target and target[1] else None
            if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name):
                if function.value.id in ("self", "cls"):
                    return module, function.attr
                target = imports.get(function.value.id)
                return (target[0], function.attr) if target and target[1] is None else None
            return None

        for node in ast.walk(tree):
            candidates: list[ast.expr] = []
            if isinstance(node, ast.Call):
                called = callee(node.func)
                position, name, index = (positions.get(called[0], {}).get(called[1], (None, None, None)) if called
                                         else (None, None, None))
                given = [keyword.value for keyword in node.keywords if keyword.arg == name]
                candidates += [keyword.value for keyword in node.keywords if keyword.arg == "subtype"]
                if position is not None and len(node.args) > position:
                    given.append(node.args[position])
                if index is None:
                    candidates += given
                else:  # a tuple of tuples written out: the kind in each
                    candidates += [item.elts[index] for value in given if isinstance(value, (ast.Tuple, ast.List))
                                   for item in value.elts if isinstance(item, ast.Tuple) and len(item.elts) > index]
            elif isinstance(node, ast.AnnAssign) and _is_kind(node.annotation) and node.value is not None:
                candidates.append(node.value)
            found += [(module, candidate.lineno, candidate.value) for candidate in candidates
                      if isinstance(candidate, ast.Constant) and isinstance(candidate.value, str)]
    return sorted(found)


def referenced_constants(trees: dict[str, ast.Module]) -> set[str]:
    """The registry constants the package names (``kinds.X``, or imported from it)."""
    found = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "kinds":
                found.add(node.attr)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").endswith("kinds"):
                found.update(alias.name for alias in node.names)
    return found


def test_the_scan_finds_a_kind_written_as_a_string() -> None:
    """The scan is not blind: a made-up kind in each kind of place is found, and nothing else."""
    records = textwrap.dedent('''
        class Finding(NamedTuple):
            docname: str
            line: int
            kind: kinds.Kind
            message: str
        class Problem(NamedTuple):
            line: int
            message: str
            subtype: Kind = "made_up_default"
        class Block(NamedTuple):
            kind: str
        class Loaded(NamedTuple):
            path: str
            warnings: tuple[tuple[str | None, kinds.Kind, str], ...] = ()
        def note(document, line: int, kind: kinds.Kind, message: str): ...
    ''')
    user = textwrap.dedent('''
        from . import records
        from .records import Finding, Block, Loaded
        class Check:
            def add(self, line, kind: Kind, message): ...
            def run(self):
                self.add(3, "made_up_add", "…")
                seen.add("not a kind")
        Finding("a", 1, "made_up_finding", "…")
        Finding("a", 1, message="…", kind="made_up_keyword")
        Block("title")
        Block(kind="para")
        records.note(document, 2, "made_up_note", "…")
        logger.warning("…", type="shuzhi", subtype="made_up_subtype")
        logger.warning("…", type="shuzhi", subtype=kinds.CONFIG)
        Loaded("g.yaml", ((None, "made_up_nested", "…"), (None, kinds.CONFIG, "…")))
    ''')
    found = literal_kinds({"a/records.py": ast.parse(records), "a/user.py": ast.parse(user)})
    assert found == [("a/records.py", 10, "made_up_default"), ("a/user.py", 7, "made_up_add"),
                     ("a/user.py", 9, "made_up_finding"), ("a/user.py", 10, "made_up_keyword"),
                     ("a/user.py", 13, "made_up_note"), ("a/user.py", 14, "made_up_subtype"),
                     ("a/user.py", 16, "made_up_nested")]


def test_every_kind_the_package_reports_is_a_registry_constant() -> None:
    trees = _sources()
    assert literal_kinds(trees) == []
    named = {name for name in referenced_constants(trees) if name.isupper()} - {"MEANINGS", "RENAMED"}
    assert named - set(CONSTANTS) == set()


def test_every_kind_in_the_registry_is_reported_somewhere() -> None:
    used = {CONSTANTS[name] for name in referenced_constants(_sources()) if name in CONSTANTS}
    assert set(kinds.MEANINGS) - used == set()


def test_every_kind_has_a_constant_and_is_named_with_underscores() -> None:
    assert sorted(CONSTANTS.values()) == sorted(kinds.MEANINGS)
    assert [kind for kind in kinds.MEANINGS if not re.fullmatch(r"[a-z]+(_[a-z]+)*", kind)] == []
    assert all(meaning.strip() for meaning in kinds.MEANINGS.values())


def test_every_old_name_leads_to_a_current_kind() -> None:
    assert set(kinds.RENAMED.values()) <= set(kinds.MEANINGS)
    assert set(kinds.RENAMED) & set(kinds.MEANINGS) == set()
    assert kinds.RENAMED["raw-html"] == "raw_html" and kinds.RENAMED["script-link"] == "script_link"
    assert kinds.RENAMED["glossary-source"] == "glossary_source"


def test_current_suppressions_replaces_only_old_kind_names() -> None:
    entries = ["shuzhi.raw-html", "shuzhi.privacy", "shuzhi", "myst.header", "raw-html", "shuzhi.glossary-url"]
    assert kinds.current_suppressions(entries) == (
        ["shuzhi.raw_html", "shuzhi.privacy", "shuzhi", "myst.header", "raw-html", "shuzhi.glossary_url"],
        [("shuzhi.raw-html", "shuzhi.raw_html"), ("shuzhi.glossary-url", "shuzhi.glossary_url")])


# -- a site that still names the old kinds ---------------------------------------------------

REPORT = "# 报告\n\n正文<b>加粗</b>。\n\n[链接](javascript:alert(1))\n"


def _site(tmp_path: Path, suppress: list[str]) -> Path:
    src = tmp_path / "src"
    (src / "reports").mkdir(parents=True)
    (src / "conf.py").write_text(
        'extensions = ["shuzhi"]\nshuzhi_mermaid_dist = ""\nshuzhi_glossary_file = ""\n'
        f"suppress_warnings = {suppress!r}\n", encoding="utf-8")
    (src / "index.md").write_text("# 首页\n\n```{toctree}\nreports/a\n```\n", encoding="utf-8")
    (src / "reports" / "a.md").write_text(REPORT, encoding="utf-8")
    return src


def _plain(text: str) -> str:
    """*text* without the terminal's colours."""
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def _build(make_app, src: Path) -> tuple[str, str]:
    app = make_app("html", srcdir=src)
    app.build()
    return _plain(app.warning.getvalue()), _plain(app.status.getvalue())


def test_a_report_with_html_and_a_script_link_warns_by_the_current_names(make_app, tmp_path) -> None:
    warnings, _ = _build(make_app, _site(tmp_path, []))
    assert "reports/a.md:3: WARNING: 报告中的 HTML 代码" in warnings and "[shuzhi.raw_html]" in warnings
    assert "reports/a.md:5: WARNING: 链接" in warnings and "[shuzhi.script_link]" in warnings


def test_old_kind_names_in_suppress_warnings_still_silence_them(make_app, tmp_path) -> None:
    warnings, status = _build(make_app, _site(tmp_path, ["shuzhi.raw-html", "shuzhi.script-link"]))
    assert "[shuzhi.raw_html]" not in warnings and "[shuzhi.script_link]" not in warnings
    assert "[shuzhi.frontmatter]" in warnings  # the other findings are still reported
    conf = tmp_path / "src" / "conf.py"
    assert (f"{conf}:4: suppress_warnings 中的 'shuzhi.raw-html' 是旧名称，已按 'shuzhi.raw_html' 处理："
            "请在 conf.py 中改为 'shuzhi.raw_html'。") in status
    assert "'shuzhi.script-link' 是旧名称，已按 'shuzhi.script_link' 处理" in status


def test_shuzhi_check_honours_the_old_names_too(tmp_path) -> None:
    src = _site(tmp_path, ["shuzhi.raw-html"])
    out = io.StringIO()
    checking.run([str(src / "reports" / "a.md")], str(src), out=out)
    assert "[shuzhi.raw_html]" not in out.getvalue()
    assert "[shuzhi.script_link]" in out.getvalue()


# -- the guide's table -----------------------------------------------------------------------

def test_the_guide_shows_the_generated_table_and_no_copy() -> None:
    guide = (REPO / "docs" / "guide.md").read_text(encoding="utf-8")
    assert guide.count("```{shuzhi-finding-kinds}\n```") == 1
    names = "|".join([*kinds.MEANINGS, *kinds.RENAMED])
    assert re.findall(rf"^\| `(?:{names})` \|", guide, re.MULTILINE) == []


def test_the_table_lists_exactly_the_registry(make_app, tmp_path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["shuzhi"]\nshuzhi_mermaid_dist = ""\nshuzhi_glossary_file = ""\n',
                                 encoding="utf-8")
    (src / "index.md").write_text("# 检查\n\n```{shuzhi-finding-kinds}\n```\n", encoding="utf-8")
    app = make_app("html", srcdir=src)
    app.build()
    assert app.warning.getvalue() == ""
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    table = soup.select_one("table.shuzhi-finding-kinds")
    assert [cell.get_text() for cell in table.select("thead th")] == ["类别", "含义"]
    assert [col["style"] for col in table.select("colgroup col")] == ["width: 30.0%", "width: 70.0%"]
    rows = [[cell for cell in row.select("td")] for row in table.select("tbody tr")]
    assert [kind.get_text() for kind, _ in rows] == list(kinds.MEANINGS)
    assert [meaning.get_text() for _, meaning in rows] == [
        re.sub(r"``\s(.+?)\s``|`([^`]+)`", lambda match: match[1] or match[2], text) for text in kinds.MEANINGS.values()]
    role = rows[list(kinds.MEANINGS).index(kinds.ROLE)][1]
    assert [code.get_text() for code in role.select("code")] == ["{download}`…`"]
    review = rows[list(kinds.MEANINGS).index(kinds.REVIEW)][1]
    assert [code.get_text() for code in review.select("code")] == ["*.review.yaml"]
