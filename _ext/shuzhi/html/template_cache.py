"""Page templates compiled once, not at every build (Jinja's bytecode cache).

Sphinx compiles the theme's templates (the book theme and the PyData theme
under it: some thirty files) in every build process, on the first page it
writes: about 0.3 s, a tenth of a build that re-reads one report. With
``shuzhi_template_cache`` (default ``True``) the HTML builder's Jinja
environment keeps the compiled code in ``<doctree folder>/shuzhi-templates``.

Jinja checks each cached entry against the template's source and its own and
Python's versions, so an edited or upgraded template is compiled again; it
writes entries atomically, so parallel builds (``-j``) may share the folder.
A site or theme that sets its own bytecode cache keeps it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemBytecodeCache

if TYPE_CHECKING:
    from sphinx.application import Sphinx

FOLDER = "shuzhi-templates"


def enable(app: Sphinx) -> None:
    """``builder-inited``: give the builder's template environment a bytecode cache."""
    if not app.config.shuzhi_template_cache:
        return
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if not isinstance(environment, Environment) or environment.bytecode_cache is not None:
        return
    folder = Path(app.doctreedir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", enable)
