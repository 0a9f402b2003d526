"""During a build the garbage collector's youngest generation is collected less often; after it, as before."""

from __future__ import annotations

import gc

import pytest


@pytest.fixture
def thresholds():
    """Python's thresholds as the test found them, put back after it."""
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)


def _during_build(app) -> list[tuple[int, int, int]]:
    seen: list[tuple[int, int, int]] = []
    app.connect("env-updated", lambda app, env: seen.append(gc.get_threshold()))
    app.build(force_all=True)
    return seen


@pytest.mark.sphinx("html", testroot="listings", srcdir="collector-default")
def test_build_collects_every_ten_thousand_objects(thresholds, app) -> None:
    assert _during_build(app) == [(10000, *thresholds[1:])]


@pytest.mark.sphinx("html", testroot="listings", srcdir="collector-default")
def test_thresholds_come_back_after_the_build(thresholds, app) -> None:
    app.build(force_all=True)
    assert gc.get_threshold() == thresholds


@pytest.mark.sphinx("html", testroot="listings", srcdir="collector-off", confoverrides={"shuzhi_gc_threshold": 0})
def test_zero_leaves_the_thresholds_alone(thresholds, app) -> None:
    assert _during_build(app) == [thresholds]
