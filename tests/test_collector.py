"""During a build the garbage collector's youngest generation is collected less often; after it, as before."""

from __future__ import annotations

import gc
import os
import subprocess
import sys

import pytest

from builds import REPO, ROOTS


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


def _exit_freeze_count(tmp_path, *options: str) -> str:
    """What the collector holds frozen when ``sphinx-build`` (in a process of its own) has exited.

    A check registered before the build runs after the extension's own exit handler (atexit
    runs its handlers last in, first out).
    """
    script = ("import atexit, gc, sys\n"
              "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count() > 0))\n"
              "from sphinx.cmd.build import main\n"
              "sys.exit(main(sys.argv[1:]))\n")
    args = ["-b", "html", "-q", "-d", str(tmp_path / "doctrees"), *options,
            str(ROOTS / "test-listings"), str(tmp_path / "html")]
    result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=False,
                            env={**os.environ, "PYTHONPATH": str(REPO / "_ext")})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "html" / "index.html").is_file()
    return result.stdout.strip()


def test_exit_skips_the_last_collection(tmp_path) -> None:
    assert _exit_freeze_count(tmp_path) == "frozen at exit: True"


def test_zero_leaves_the_exit_alone(tmp_path) -> None:
    assert _exit_freeze_count(tmp_path, "-D", "shuzhi_gc_threshold=0") == "frozen at exit: False"
