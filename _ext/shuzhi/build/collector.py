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
preview) gets its own back. ``0`` leaves them alone.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: The thresholds before the build, to put back (one build per application).
_SAVED = "_shuzhi_gc_thresholds"


def raise_threshold(app: Sphinx, config: Config) -> None:
    """``config-inited``: collect the youngest generation every *shuzhi_gc_threshold* objects."""
    threshold = config.shuzhi_gc_threshold
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold <= 0:
        return
    before = gc.get_threshold()
    setattr(app, _SAVED, before)
    gc.set_threshold(max(threshold, before[0]), *before[1:])


def restore_threshold(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: the process's thresholds as they were."""
    before = getattr(app, _SAVED, None)
    if before is not None:
        gc.set_threshold(*before)
        delattr(app, _SAVED)


def setup(app: Sphinx) -> None:
    # After the configuration is validated (config.validate, priority 100).
    app.connect("config-inited", raise_threshold, priority=200)
    app.connect("build-finished", restore_threshold, priority=999)
