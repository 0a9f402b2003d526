"""Docutils' settings made once per build, not twice for every page.

Reading a page, Sphinx (9.0 to 9.2, ``sphinx.util.docutils._parse_str_to_doctree``) makes the
page's settings with a new ``docutils.frontend.OptionParser``: the options of every component
are built again and the docutils configuration files looked for again, for the same result at
every page. MyST-Parser (5.x) makes a second one: its renderer's ``setup_render`` evaluates
``options.get("document", make_document())``, so a throw-away document, with the default
settings of a new ``OptionParser``, is made for every page even though Sphinx hands it one.
At 500 reports the two cost 0.55 s of a 10 s build (516 and 514 calls), measured in the build.

From ``config-inited`` to ``build-finished`` both functions (``_get_settings`` in
``sphinx.util.docutils`` and ``get_default_settings`` as ``myst_parser.mdit_to_docutils.base``
imports it) are replaced by ones that make the settings once per set of arguments and hand out
a copy each time: the same values, each copy with its own dummy dependency list and its own
lists, as a new ``OptionParser`` would give. The originals are put back when the
build finishes (a process that builds twice, as the tests do, reads the configuration files
again). Forked ``-j N`` readers inherit the replacement.

Arguments the cache cannot vouch for are passed to the original: a component whose settings
specification is its own (set on the instance, not the class), or settings that write a
dependency file. ``shuzhi_reuse_docutils_settings = False`` turns the cache off.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any

from docutils import utils

if TYPE_CHECKING:
    from docutils.frontend import Values
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: The attributes of a docutils component (``SettingsSpec``) that ``OptionParser`` reads.
_SPEC_ATTRIBUTES = frozenset({"settings_spec", "settings_defaults", "settings_default_overrides",
                              "relative_path_settings", "config_section", "config_section_dependencies"})
#: Where the originals are kept while the build runs (module attribute name → original).
_ORIGINALS: dict[tuple[object, str], Callable[..., Any]] = {}


class SettingsCache:
    """The settings made for each set of arguments in one build, handed out as copies."""

    def __init__(self) -> None:
        #: key → (the arguments, kept alive so that no id in the key is reused; the settings)
        self._made: dict[Hashable, tuple[tuple[Any, ...], Values]] = {}

    def settings(self, make: Callable[..., Values], *components: Any, **options: Any) -> Values:
        """What ``make(*components, **options)`` returns, made once per key (:func:`_key`)."""
        key = _key(components, options)
        if key is None:
            return make(*components, **options)
        found = self._made.get(key)
        if found is None:
            values = make(*components, **options)
            if not _dummy_dependencies(values):  # a real dependency file: one per call, as docutils does
                return values
            self._made[key] = found = ((components, options), values)
        return _copy(found[1])


def _key(components: tuple[Any, ...], options: Mapping[str, Any]) -> Hashable | None:
    """The cache key: the components' classes, the options (a mapping, such as Sphinx's
    ``defaults``, by the identity of each value); None if the arguments cannot be cached."""
    classes = []
    for component in components:
        if component is None or isinstance(component, type):
            classes.append(component)
        elif _SPEC_ATTRIBUTES.isdisjoint(getattr(component, "__dict__", {})):
            classes.append(type(component))
        else:  # the instance has a specification of its own
            return None
    named = tuple((name, tuple((key, id(item)) for key, item in value.items()) if isinstance(value, Mapping) else value)
                  for name, value in sorted(options.items()))
    try:
        hash(named)
    except TypeError:
        return None
    return tuple(classes), named


def _dummy_dependencies(values: Values) -> bool:
    found = getattr(values, "record_dependencies", None)
    return isinstance(found, utils.DependencyList) and found.file is None and not found.list


def _copy(values: Values) -> Values:
    """A copy as a new ``OptionParser`` makes it: the same values, its own dependency list, and its
    own copy of each list (``_config_files`` and the list settings of a ``docutils.conf`` are new at
    each call of the original too), so that a page that changes one in place changes no other."""
    made = copy.copy(values)
    made.record_dependencies = utils.DependencyList()
    for name, value in vars(values).items():
        if type(value) is list:
            setattr(made, name, list(value))
    return made


def _targets() -> list[tuple[object, str]]:
    """(module, name) of each function this module replaces, where the installed versions have it."""
    import sphinx.util.docutils as sphinx_docutils

    found: list[tuple[object, str]] = [(sphinx_docutils, "_get_settings")]
    try:
        import myst_parser.mdit_to_docutils.base as myst_base
    except ImportError:
        pass
    else:
        found.append((myst_base, "get_default_settings"))
    return [(module, name) for module, name in found if callable(getattr(module, name, None))]


def _cached(cache: SettingsCache, original: Callable[..., Values]) -> Callable[..., Values]:
    """*original*, its settings made once per set of arguments by *cache*."""
    @functools.wraps(original)
    def settings(*components: Any, **options: Any) -> Values:
        return cache.settings(original, *components, **options)

    return settings


def install(app: Sphinx, config: Config) -> None:
    """``config-inited``: the settings functions replaced by cached ones, for this build."""
    uninstall(app, None)  # a build before this one that ended without build-finished
    if not config.shuzhi_reuse_docutils_settings:
        return
    cache = SettingsCache()
    for module, name in _targets():
        original = _ORIGINALS[module, name] = getattr(module, name)
        setattr(module, name, _cached(cache, original))


def uninstall(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: the original functions back (and the cache dropped with the replacements)."""
    while _ORIGINALS:
        (module, name), original = _ORIGINALS.popitem()
        setattr(module, name, original)


def setup(app: Sphinx) -> None:
    app.connect("config-inited", install, priority=200)
    app.connect("build-finished", uninstall, priority=999)
