"""Docutils' settings are made once per build, and every page still gets settings of its own."""

from __future__ import annotations

import copy
from pathlib import Path

import myst_parser.mdit_to_docutils.base as myst_base
import pytest
import sphinx.util.docutils as sphinx_docutils
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser as RSTParser
from docutils.readers import standalone

from shuzhi.build.docutils_settings import SettingsCache


@pytest.fixture
def calls(monkeypatch) -> dict[str, int]:
    """How often each original settings function runs for a page read: counters in front of the originals."""
    counted = {"sphinx": 0, "myst": 0}
    sphinx_original, myst_original = sphinx_docutils._get_settings, myst_base.get_default_settings

    def sphinx_settings(*components, **options):
        if standalone.Reader in components:  # a page read (the builders make their writers' settings too)
            counted["sphinx"] += 1
        return sphinx_original(*components, **options)

    def myst_settings(*components):
        counted["myst"] += 1
        return myst_original(*components)

    monkeypatch.setattr(sphinx_docutils, "_get_settings", sphinx_settings)
    monkeypatch.setattr(myst_base, "get_default_settings", myst_settings)
    return counted


def _pages(app) -> int:
    return len(app.env.found_docs)


@pytest.mark.sphinx("html", testroot="listings", srcdir="settings-once")
def test_settings_are_made_once_per_build(calls, app) -> None:
    app.build(force_all=True)
    assert _pages(app) == 4
    assert calls == {"sphinx": 1, "myst": 1}


@pytest.mark.sphinx("html", testroot="listings", srcdir="settings-off",
                    confoverrides={"shuzhi_reuse_docutils_settings": False})
def test_off_makes_them_for_every_page(calls, app) -> None:
    app.build(force_all=True)
    assert calls == {"sphinx": 4, "myst": 4}


@pytest.fixture
def originals() -> tuple[object, object]:
    """The settings functions before the application (whose configuration replaces them) is made."""
    return sphinx_docutils._get_settings, myst_base.get_default_settings


@pytest.mark.sphinx("html", testroot="listings", srcdir="settings-restored")
def test_the_originals_are_back_after_the_build(originals, app) -> None:
    assert (sphinx_docutils._get_settings, myst_base.get_default_settings) != originals
    app.build(force_all=True)
    assert (sphinx_docutils._get_settings, myst_base.get_default_settings) == originals


def _html(app) -> dict[str, str]:
    out = Path(app.outdir)
    return {str(path.relative_to(out)): path.read_text(encoding="utf-8") for path in sorted(out.rglob("*.html"))}


@pytest.mark.sphinx("html", testroot="listings", srcdir="settings-same-a")
def test_pages_are_the_same_with_and_without_the_cache(app, make_app, tmp_path) -> None:
    app.build(force_all=True)
    without = make_app("html", srcdir=app.srcdir, builddir=tmp_path / "without",
                       confoverrides={"shuzhi_reuse_docutils_settings": False})
    without.build(force_all=True)
    assert _html(app) == _html(without)


def test_each_call_gets_a_copy_equal_to_new_settings() -> None:
    cache = SettingsCache()
    first = cache.settings(get_default_settings, standalone.Reader, RSTParser)
    second = cache.settings(get_default_settings, standalone.Reader, RSTParser)
    fresh = get_default_settings(standalone.Reader, RSTParser)
    assert first is not second
    assert first.record_dependencies is not second.record_dependencies
    assert first._config_files is not second._config_files

    def values(settings):
        return {name: value for name, value in vars(settings).items() if name != "record_dependencies"}

    assert values(first) == values(second) == values(fresh)


def test_a_copy_changed_leaves_the_next_alone() -> None:
    cache = SettingsCache()
    defaults = {"strip_classes": ["draft"]}  # the same objects at every call, as Sphinx's env.settings
    first = cache.settings(sphinx_docutils._get_settings, RSTParser, defaults=defaults)
    first.tab_width = 2
    first.record_dependencies.add("included.md")
    first.strip_classes.append("secret")
    second = cache.settings(sphinx_docutils._get_settings, RSTParser, defaults=defaults)
    assert (second.tab_width, second.record_dependencies.list, second.strip_classes) == (8, [], ["draft"])


def test_defaults_that_differ_are_made_again() -> None:
    cache = SettingsCache()
    made = [cache.settings(sphinx_docutils._get_settings, RSTParser, defaults=defaults)
            for defaults in ({"tab_width": 4}, {"tab_width": 4}, {"tab_width": 3})]
    assert [settings.tab_width for settings in made] == [4, 4, 3]


def test_a_component_with_its_own_specification_is_not_cached() -> None:
    cache = SettingsCache()
    parser = RSTParser()
    parser.settings_defaults = {"tab_width": 5}
    first = cache.settings(get_default_settings, parser)
    parser.settings_defaults = {"tab_width": 6}
    second = cache.settings(get_default_settings, parser)
    assert (first.tab_width, second.tab_width) == (5, 6)


def test_copy_module_copies_settings_shallowly() -> None:
    """What the cache relies on: ``copy.copy`` of docutils' settings keeps their values, and only them."""
    settings = get_default_settings(RSTParser)
    made = copy.copy(settings)
    assert type(made) is type(settings) and vars(made) == vars(settings) and made is not settings
