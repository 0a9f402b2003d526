"""Each HTML page's document is freed as soon as the page is rendered, and the pages do not change."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from builds import ROOTS, sphinx_build


def _nodes_left_after_build(app) -> tuple[int, int]:
    """Build, writing with the garbage collector off; (pages, pages whose nodes are still alive after).

    What reading left for the collector (MyST's renderer refers to the sections it made)
    is collected before writing starts.
    """
    refs = []

    def collect_then_stop_collecting(app, builder=None) -> None:
        gc.collect()
        gc.disable()

    def keep(app, pagename, templatename, context, doctree) -> None:
        if doctree is not None:
            refs.append(weakref.ref(next(iter(doctree.findall(include_self=False)))))

    app.connect("html-page-context", keep)
    app.connect("write-started", collect_then_stop_collecting)
    try:
        app.build(force_all=True)  # the root's output may be another test's: write every page
        # The last page's translator is kept by the writer until the next page.
        return len(refs), sum(ref() is not None for ref in refs[:-1])
    finally:
        gc.enable()


@pytest.mark.sphinx("html", testroot="listings")
def test_written_pages_are_freed_without_the_garbage_collector(app) -> None:
    pages, alive = _nodes_left_after_build(app)
    assert pages == len(app.env.found_docs) == 4  # every document's page: about, index, the year, its report
    assert alive == 0


@pytest.mark.sphinx("html", testroot="listings", srcdir="release-off",
                    confoverrides={"shuzhi_release_doctrees": False})
def test_without_release_pages_wait_for_the_garbage_collector(app) -> None:
    # What the option saves: a docutils document is cyclic, so without release every
    # page written stays in memory until Python's full collection.
    pages, alive = _nodes_left_after_build(app)
    assert alive == pages - 1


@pytest.mark.slow
@pytest.mark.parametrize("root", ["listings", "glossary-link"])
def test_release_changes_no_page(tmp_path: Path, root: str) -> None:
    outputs = {}
    for release in ("1", "0"):
        out = tmp_path / release
        # Each in a process of its own: nothing one build keeps in memory reaches the other.
        result = sphinx_build(ROOTS / f"test-{root}", out, "-D", f"shuzhi_release_doctrees={release}", isolated=True)
        assert result.returncode == 0, result.stderr
        outputs[release] = {path.relative_to(out / "html"): path.read_bytes()
                            for path in (out / "html").rglob("*.html")}
    pages = {path.relative_to(ROOTS / f"test-{root}").with_suffix(".html") for path in (ROOTS / f"test-{root}").rglob("*.md")}
    assert set(outputs["1"]) == pages | {Path("genindex.html"), Path("search.html")}
    assert outputs["1"] == outputs["0"]


@pytest.mark.sphinx("html", testroot="glossary-link", srcdir="release-shared",
                    confoverrides={"myst_heading_anchors": 2})
def test_release_leaves_what_the_environment_shares_with_the_page(app) -> None:
    # MyST keeps a page's heading slugs both in its document and in env.metadata (one
    # dict): links to a heading of a page written earlier are resolved from it.
    app.build()
    assert app.env.metadata["reports/a"]["myst_slugs"] == {
        "报告甲": (1, "id1", "报告甲"), "一三会一课的落实": (5, "id2", "一、三会一课的落实")}
