"""Python's garbage collector, set for a build that makes and keeps millions of small objects.

A build keeps every document it reads in memory until it is written, and each is a
web of small objects (nodes, their attribute dicts and child lists: about 160,000
nodes at 500 reports). CPython collects its youngest generation each time 700 more
container objects have been made than freed, and the older ones every ten collections
of the one below: a 500-report build runs some 3,300 young collections, 300 middle
ones and ten full ones, which scan every object alive, and it frees almost nothing
(documents are freed as they are written, by :mod:`shuzhi.html.free_doctrees`).

From ``config-inited`` to ``build-finished`` the first threshold is
``shuzhi_gc_threshold`` (10,000) instead: a tenth of the collections, the same
objects freed (the collector still runs; reference counting frees what it always
did), and no more memory at its peak (measured at 500 reports: 472 MB either way,
0.5 s less of a 15 s build in eight alternating pairs). Processes forked for
``-j N`` inherit it. The thresholds the process had are put back when the build
finishes, so a process that runs Sphinx more than once (the tests, an editor's
preview) gets its own back.

When the process exits, nothing it holds needs freeing one object at a time: the
operating system takes its memory back at once. But Python's finalization tears
the build down object by object. Sphinx's logging handlers keep the application,
and with it the environment and every document's table of contents and title,
alive until the modules are cleared; then a last full collection finds them (they
are cycles) and frees them: 0.5 s of a 14 s ``sphinx-build`` at 500 reports, 2 s at
2000. An :mod:`atexit` handler, registered once per process, calls
:func:`gc.freeze` instead: the finalizer's collection skips everything alive at
that moment (atexit handlers run before the modules are cleared, and ``logging``
still flushes and closes its handlers after it), so exiting takes 0.04 s. Objects
freed by reference counting still are; only cycles still alive at exit are not
collected (the ``__del__`` methods of objects in them, if any, do not run).

``shuzhi_gc_threshold = 0`` leaves the collector alone, at exit too.
"""

from __future__ import annotations

import atexit
import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: The thresholds before the build, to put back (one build per application).
_SAVED = "_shuzhi_gc_thresholds"


def _enabled(config: Config) -> bool:
    threshold = config.shuzhi_gc_threshold
    return not isinstance(threshold, bool) and isinstance(threshold, int) and threshold > 0


def raise_threshold(app: Sphinx, config: Config) -> None:
    """``config-inited``: collect the youngest generation every *shuzhi_gc_threshold* objects."""
    if not _enabled(config):
        return
    threshold = config.shuzhi_gc_threshold
    before = gc.get_threshold()
    setattr(app, _SAVED, before)
    gc.set_threshold(max(threshold, before[0]), *before[1:])


def freeze_at_exit(app: Sphinx, config: Config) -> None:
    """``config-inited``: when the process exits, skip the collector's last pass (:func:`gc.freeze`).

    Registered once per process however many builds it runs (unregistering first: ``atexit``
    keeps one entry per registration).
    """
    if _enabled(config):
        atexit.unregister(gc.freeze)
        atexit.register(gc.freeze)


def restore_threshold(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: the process's thresholds as they were."""
    before = getattr(app, _SAVED, None)
    if before is not None:
        gc.set_threshold(*before)
        delattr(app, _SAVED)


def setup(app: Sphinx) -> None:
    # After the configuration is validated (config.validate, priority 100).
    app.connect("config-inited", raise_threshold, priority=200)
    app.connect("config-inited", freeze_at_exit, priority=200)
    app.connect("build-finished", restore_threshold, priority=999)
