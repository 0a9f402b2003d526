"""The theme's compiled templates are kept between builds (Jinja's bytecode cache)."""

from __future__ import annotations

import pytest

from shuzhi.html.template_cache import FOLDER


@pytest.mark.sphinx("html", testroot="glossary-link")
def test_compiled_templates_are_kept_and_reused(app) -> None:
    app.build()
    cache = app.doctreedir / FOLDER
    entries = {path.name: path.stat().st_mtime_ns for path in cache.glob("__jinja2_*.cache")}
    assert len(entries) >= 5  # page.html, layout.html, the sidebar's templates, …

    # A second build in a new process would load these entries instead of compiling again;
    # here, a new environment with the same cache loads every template from it.
    from jinja2 import FileSystemBytecodeCache

    environment = app.builder.templates.environment
    assert isinstance(environment.bytecode_cache, FileSystemBytecodeCache)
    loaded = []
    original = environment.bytecode_cache.load_bytecode

    def load(bucket):
        original(bucket)
        loaded.append(bucket.code is not None)

    environment.bytecode_cache.load_bytecode = load
    environment.cache.clear()
    environment.get_template("page.html")
    assert loaded and all(loaded)
    assert {path.name: path.stat().st_mtime_ns for path in cache.glob("__jinja2_*.cache")} == entries


@pytest.mark.sphinx("html", testroot="glossary-link", srcdir="template-cache-off",
                    confoverrides={"shuzhi_template_cache": False})
def test_the_cache_can_be_turned_off(app) -> None:
    app.build()
    assert not (app.doctreedir / FOLDER).exists()
    assert app.builder.templates.environment.bytecode_cache is None
