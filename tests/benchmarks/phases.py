"""Where a build's time goes: one ``sphinx-build`` with each phase and each event listener timed.

Run as ``python tests/benchmarks/phases.py OUTPUT.json <sphinx-build arguments>``; it writes
``{"total": seconds, "phases": {name: seconds}}``. :mod:`build` runs it once per size and
prints the table, so that a slower build can be traced to a phase or a listener without a
profiler (cProfile makes a Sphinx build about 2.5 times slower, and unevenly so).

The timers wrap public methods of the builder and the environment and every listener
connected to Sphinx's events; their own cost is a few microseconds a call. A time is
inclusive: "write: translate and render" contains the ``html-page-context`` listeners.
"""

from __future__ import annotations

import collections
import functools
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment import BuildEnvironment
from sphinx.jinja2glue import BuiltinTemplateLoader

totals: collections.Counter[str] = collections.Counter()


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[name] += time.perf_counter() - start

    wrapper._timed = True  # type: ignore[attr-defined]
    return wrapper


#: (class, method, phase name).
PHASES = [
    (Builder, "read", "read: all"),
    (Builder, "read_doc", "read: parse and transform pages"),
    (Builder, "write", "write: all"),
    (BuildEnvironment, "get_and_resolve_doctree", "write: resolve doctrees"),
    (StandaloneHTMLBuilder, "write_doc", "write: translate and render"),
    (StandaloneHTMLBuilder, "handle_page", "write: render (templates and page context)"),
    (BuiltinTemplateLoader, "render", "write: templates (Jinja)"),
    (StandaloneHTMLBuilder, "finish", "finish: static files, objects.inv"),
]


def _time_listeners(app: Sphinx) -> None:
    """Wrap every listener not yet wrapped (extensions and themes connect some late)."""
    for event, listeners in app.events.listeners.items():
        for index, listener in enumerate(listeners):
            handler = listener.handler
            if getattr(handler, "_timed", False):
                continue
            name = f"{getattr(handler, '__module__', '?')}.{getattr(handler, '__qualname__', repr(handler))}"
            listeners[index] = listener._replace(handler=timed(f"{event}: {name}", handler))


def _install() -> None:
    for owner, method, name in PHASES:
        setattr(owner, method, timed(name, getattr(owner, method)))
    init_builder = Sphinx._init_builder
    prepare_writing = StandaloneHTMLBuilder.prepare_writing

    def _init_builder(self: Sphinx) -> None:
        _time_listeners(self)
        init_builder(self)

    def _prepare_writing(self: StandaloneHTMLBuilder, docnames: Any) -> None:
        _time_listeners(self.app)
        prepare_writing(self, docnames)

    Sphinx._init_builder = _init_builder  # type: ignore[method-assign]
    StandaloneHTMLBuilder.prepare_writing = _prepare_writing  # type: ignore[method-assign]


def main(argv: list[str]) -> int:
    output, arguments = Path(argv[0]), argv[1:]
    _install()
    from sphinx.cmd.build import main as sphinx_build

    start = time.perf_counter()
    status = sphinx_build(arguments)
    total = time.perf_counter() - start
    output.write_text(json.dumps({"total": total, "phases": dict(totals)}, ensure_ascii=False), encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
