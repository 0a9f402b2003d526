"""The package's import graph runs one way (fast tier).

Each folder of ``_ext/shuzhi`` is one feature. A folder may import from the folders before
it in :data:`LAYERS` and never from one after it, so there is no cycle and no upward import.
The pure modules (:data:`PURE`: what a report is, the glossary's entries and their sources,
the search index's files) import no Sphinx and no MyST, only other pure modules, so the
rules run the same in the build, in ``shuzhi check`` and in tests; any folder may use them.
"""

from __future__ import annotations

import ast
from pathlib import Path

from builds import REPO

PACKAGE = REPO / "_ext" / "shuzhi"
#: The folders, lowest first: each may import only from those before it (and pure modules).
LAYERS = ("report", "build", "untrusted", "glossary", "pdf", "listings", "review", "html", "search", "editors")
#: Modules without Sphinx, importable from anywhere: every module of report/, and these.
PURE_OUTSIDE_REPORT = ("glossary.entries", "glossary.sources", "search.index_files")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_pure(module: str) -> bool:
    return module.split(".")[0] == "report" or module in PURE_OUTSIDE_REPORT


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of each import of *path*: ``shuzhi:<module>`` for the package's own
    (relative to the package), the module's name for others."""
    module = module_name(path)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    package = [part for part in package if part]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.append((node.lineno, node.module or ""))
        elif isinstance(node, ast.ImportFrom):
            target = [*package[: len(package) - node.level + 1], *(node.module or "").split(".")]
            target = [part for part in target if part]
            for alias in node.names:
                submodule = [*target, alias.name]
                is_module = PACKAGE.joinpath(*submodule).with_suffix(".py").is_file() or PACKAGE.joinpath(*submodule).is_dir()
                found.append((node.lineno, "shuzhi:" + ".".join(submodule if is_module else target)))
    return found


def modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts)


def test_every_folder_is_in_a_layer() -> None:
    folders = {path.name for path in PACKAGE.iterdir() if path.is_dir() and (path / "__init__.py").is_file()}
    assert folders == set(LAYERS)


def test_folders_import_only_the_folders_below_them() -> None:
    upward = []
    for path in modules():
        source = module_name(path)
        if "." not in source:
            continue  # the package's own __init__ and __main__ wire everything
        rank = LAYERS.index(source.split(".")[0])
        for line, target in imports(path):
            if not target.startswith("shuzhi:") or not target.removeprefix("shuzhi:"):
                continue
            target = target.removeprefix("shuzhi:")
            if is_pure(target):
                continue
            if LAYERS.index(target.split(".")[0]) > rank:
                upward.append(f"{path.relative_to(PACKAGE)}:{line} imports {target}")
    assert upward == []


def test_pure_modules_import_no_sphinx_and_only_pure_modules() -> None:
    impure = []
    for path in modules():
        source = module_name(path)
        if not source or not is_pure(source):
            continue
        for line, target in imports(path):
            name = target.removeprefix("shuzhi:")
            if target.startswith("shuzhi:"):
                bad = not is_pure(name)
            else:
                bad = name.split(".")[0] in ("sphinx", "myst_parser")
            if bad:
                impure.append(f"{path.relative_to(PACKAGE)}:{line} imports {name}")
    assert impure == []
