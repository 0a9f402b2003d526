"""The chunked search index is updated, not re-summed, when one page changes.

The update must give the files a fresh build gives, byte for byte, while reading back only
what changed: the pure tests hand :class:`shuzhi.search.index_files.ChunkedIndex` records
directly (a ``load`` that fails proves no unchanged record was needed); the build test edits a
report of a real site and compares its ``_search/`` with a fresh build of the edited sources.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from builds import REPO, ROOTS, sphinx_build

from shuzhi.search.index_files import ChunkedIndex, Record, bucket_count, chunk_key


def record(name: str, terms: dict[str, int], title: tuple[str, ...] = (), year: str = "2023",
           text: str = "正文") -> Record:
    return Record(f"reports/{name}.html", f"{name}的报告", "r", (("年度", year),), text, dict(terms), frozenset(title))


RECORDS = {
    "a": record("a", {"党建": 3, "工作": 2, "三会一课": 1}, ("党建",)),
    "b": record("b", {"党建": 1, "主题党日": 2, "sanhuiyike": 1}, year="2022"),
    "c": record("c", {"工作": 4, "组织生活": 1}),
}


def files(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*.json"))}


def never(key: str) -> Record:
    pytest.fail(f"the record of {key} was read back although it did not change")


def fresh_index(tmp_path: Path, name: str, records: dict[str, Record]) -> dict[str, bytes]:
    index = ChunkedIndex(tmp_path / name, tmp_path / f"{name}.state")
    result = index.update(list(records), records, never)
    assert result.fresh
    return files(tmp_path / name)


def test_editing_one_record_rewrites_its_file_and_the_chunks_of_its_changed_terms_only(tmp_path) -> None:
    root, state = tmp_path / "out", tmp_path / "out.state"
    ChunkedIndex(root, state).update(list(RECORDS), RECORDS, never)
    # 党建 occurs once more, 三会一课 is gone, 述职 is new; 工作 is as it was.
    edited = record("a", {"党建": 4, "工作": 2, "述职": 1}, ("党建",), text="正文，补充述职")
    result = ChunkedIndex(root, state).update(list(RECORDS), {"a": edited}, never)
    buckets = bucket_count(5)
    assert not result.fresh
    assert sorted(result.written) == sorted(
        {"d/0.json"} | {f"t/{chunk_key(term, buckets)}.json" for term in ("党建", "三会一课", "述职")})
    assert files(root) == fresh_index(tmp_path, "fresh", {**RECORDS, "a": edited})


def test_an_unchanged_record_handed_in_again_writes_nothing(tmp_path) -> None:
    root, state = tmp_path / "out", tmp_path / "out.state"
    ChunkedIndex(root, state).update(list(RECORDS), RECORDS, never)
    result = ChunkedIndex(root, state).update(list(RECORDS), {"b": RECORDS["b"]}, never)
    assert (result.written, result.removed, result.fresh) == ([], [], False)


def test_a_removed_document_makes_the_index_afresh_and_removes_its_file(tmp_path) -> None:
    root, state = tmp_path / "out", tmp_path / "out.state"
    ChunkedIndex(root, state).update(list(RECORDS), RECORDS, never)
    rest = {"a": RECORDS["a"], "c": RECORDS["c"]}
    result = ChunkedIndex(root, state).update(list(rest), {}, rest.__getitem__)
    assert result.fresh
    assert result.removed == ["d/2.json"]
    assert files(root) == fresh_index(tmp_path, "fresh", rest)


def test_a_chunk_file_removed_from_the_output_is_written_again(tmp_path) -> None:
    root, state = tmp_path / "out", tmp_path / "out.state"
    ChunkedIndex(root, state).update(list(RECORDS), RECORDS, never)
    before = files(root)
    lost = f"t/{chunk_key('工作', bucket_count(5))}.json"
    (root / lost).unlink()
    result = ChunkedIndex(root, state).update(list(RECORDS), {}, RECORDS.__getitem__)
    assert result.written == [lost]
    assert files(root) == before


def test_the_state_of_an_index_in_another_folder_is_not_used(tmp_path) -> None:
    # Two builders (html, dirhtml) may share the doctree folder, where the state is kept.
    state = tmp_path / "shared.state"
    ChunkedIndex(tmp_path / "html", state).update(list(RECORDS), RECORDS, never)
    result = ChunkedIndex(tmp_path / "dirhtml", state).update(list(RECORDS), RECORDS, never)
    assert result.fresh
    assert files(tmp_path / "dirhtml") == files(tmp_path / "html")


def test_a_new_prefix_that_changes_the_number_of_chunks_makes_the_index_afresh(tmp_path) -> None:
    # 64 chunks hold up to 128 prefixes; a record with 140 new ones needs 128 chunks.
    many = {"a": record("a", {f"{chr(0x4e00 + n)}{chr(0x4e00 + n)}": 1 for n in range(120)})}
    root, state = tmp_path / "out", tmp_path / "out.state"
    ChunkedIndex(root, state).update(list(many), many, never)
    grown = {"a": record("a", {f"{chr(0x4e00 + n)}{chr(0x4e00 + n)}": 1 for n in range(140)})}
    result = ChunkedIndex(root, state).update(list(grown), grown, never)
    assert result.fresh
    assert len([name for name in files(root) if name.startswith("t/")]) == 128
    assert files(root) == fresh_index(tmp_path, "fresh", grown)


def add_sentence(src: Path, sentence: str) -> None:
    """An editor's change: *sentence* added at the end of one report of *src*."""
    report = src / "reports" / "2023" / "01-xiangzhen.md"
    report.write_text(report.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")


def test_editing_one_report_of_a_site_gives_the_index_of_a_fresh_build(tmp_path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-two-years", src)
    first = sphinx_build(src, tmp_path / "inc", "-j", "1")
    assert first.returncode == 0, first.stderr[-2000:]
    index = tmp_path / "inc" / "html" / "_search"
    before = files(index)
    old = 1_000_000_000  # every index file dated 2001, to see which the next build rewrites
    for path in index.rglob("*.json"):
        os.utime(path, (old, old))

    add_sentence(src, "补充一句：深化主题党日活动。")
    second = sphinx_build(src, tmp_path / "inc", "-j", "1")
    assert second.returncode == 0, second.stderr[-2000:]
    fresh = sphinx_build(src, tmp_path / "fresh", "-j", "1")
    assert fresh.returncode == 0, fresh.stderr[-2000:]

    comparison = filecmp.dircmp(index, tmp_path / "fresh" / "html" / "_search")
    after = files(index)
    assert after == files(tmp_path / "fresh" / "html" / "_search"), comparison.report()
    rewritten = {name for name in after if (index / name).stat().st_mtime_ns != old * 1_000_000_000}
    changed = {name for name in after if before.get(name) != after[name]}
    chunks = {name for name in after if name.startswith("t/")}
    # Only the files whose content changed: the report's own, and the chunks of its new words.
    assert rewritten == changed
    own = next(name for name in after if name.startswith("d/") and b'"u":"reports/2023/01-xiangzhen.html"' in after[name])
    assert rewritten - chunks == {own}
    # At most one chunk per term of the added sentence: its five words (补充, 一句, 深化, 主题党日,
    # 活动) and the four phrases of two adjacent ones; the site has 128 chunks.
    assert 0 < len(rewritten & chunks) <= 9 < len(chunks)


def test_a_fresh_chunk_holds_each_terms_postings_in_document_order_with_the_title_flag(tmp_path) -> None:
    # 党建 is in a's title and not in c's; 述职 is in c's title but not among its terms (no posting).
    records = {
        "a": record("a", {"党建": 3, "工作": 2}, ("党建",)),
        "b": record("b", {"工作": 12}),
        "c": record("c", {"工作": 1, "党建": 1}, ("工作", "述职")),
    }
    index = fresh_index(tmp_path, "out", records)
    buckets = bucket_count(3)
    chunks = {term: json.loads(index[f"t/{chunk_key(term, buckets)}.json"]) for term in ("党建", "工作", "述职")}
    assert chunks["党建"]["党建"] == [[0, 3, 1], [2, 1, 0]]
    assert chunks["工作"]["工作"] == [[0, 2, 0], [1, 12, 0], [2, 1, 1]]
    assert "述职" not in chunks["述职"]


def _records_left(out: Path) -> list[str]:
    """The page records a build left in its doctree folder (only pages written by a parallel process)."""
    folder = out / "doctrees" / "shuzhi-search" / "html"
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*.pickle"))


def test_a_serial_build_hands_its_records_over_in_memory(tmp_path) -> None:
    result = sphinx_build(ROOTS / "test-two-years", tmp_path / "serial", "-j", "1")
    assert result.returncode == 0, result.stderr[-2000:]
    assert _records_left(tmp_path / "serial") == []


def test_a_parallel_build_gives_the_index_of_a_serial_one(tmp_path) -> None:
    serial = sphinx_build(ROOTS / "test-two-years", tmp_path / "serial", "-j", "1")
    parallel = sphinx_build(ROOTS / "test-two-years", tmp_path / "parallel", "-j", "2", isolated=True)
    assert serial.returncode == 0 and parallel.returncode == 0, (serial.stderr + parallel.stderr)[-2000:]
    # Sphinx writes the first page in its own process, the others in the one it forks.
    assert "reports/2023/01-xiangzhen.pickle" in _records_left(tmp_path / "parallel")
    assert files(tmp_path / "parallel" / "html" / "_search") == files(tmp_path / "serial" / "html" / "_search")


@pytest.mark.parametrize(("first", "then"), [("2", "1"), ("1", "2")])
def test_an_edit_built_otherwise_than_the_build_before_gives_the_index_of_a_fresh_build(tmp_path, first, then) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-two-years", src)
    # -j 2 forks: in a process of its own, not in the test's (which may run threads).
    assert sphinx_build(src, tmp_path / "inc", "-j", first, isolated=True).returncode == 0
    add_sentence(src, "补充一句：深化主题党日活动。")
    second = sphinx_build(src, tmp_path / "inc", "-j", then)
    assert second.returncode == 0, second.stderr[-2000:]
    fresh = sphinx_build(src, tmp_path / "fresh", "-j", "1")
    assert fresh.returncode == 0, fresh.stderr[-2000:]
    assert files(tmp_path / "inc" / "html" / "_search") == files(tmp_path / "fresh" / "html" / "_search")
    # The edited page's record file is gone when this process wrote it, there when a forked one did.
    assert ("reports/2023/01-xiangzhen.pickle" in _records_left(tmp_path / "inc")) == (then == "2")


#: A build whose process stops (as on Ctrl-C) after writing its pages, before the search index.
STOPPED_BUILD = """\
import sys
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils
src, out = sys.argv[1], sys.argv[2]
with patch_docutils(src), docutils_namespace():
    app = Sphinx(src, src, out + "/html", out + "/doctrees", "html", status=None, warning=None)
    def stop(app, exception):
        raise KeyboardInterrupt
    app.connect("build-finished", stop, priority=1)  # before the index (priority 500)
    try:
        app.build()
    except KeyboardInterrupt:
        print("stopped")
"""


def test_a_page_written_by_a_build_stopped_before_the_index_is_indexed_by_the_next(tmp_path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-two-years", src)
    assert sphinx_build(src, tmp_path / "inc", "-j", "1").returncode == 0
    add_sentence(src, "补充一句：鳄鱼蛋糕。")
    stopped = subprocess.run([sys.executable, "-c", STOPPED_BUILD, str(src), str(tmp_path / "inc")],
                             capture_output=True, text=True, check=False,
                             env={**os.environ, "PYTHONPATH": str(REPO / "_ext")})
    assert stopped.stdout.strip() == "stopped", stopped.stderr[-2000:]
    # The page is written, and Sphinx will not write it again: the next build finds nothing to do.
    assert "鳄鱼蛋糕" in (tmp_path / "inc" / "html" / "reports" / "2023" / "01-xiangzhen.html").read_text(encoding="utf-8")
    assert sphinx_build(src, tmp_path / "inc", "-j", "1").returncode == 0
    assert sphinx_build(src, tmp_path / "fresh", "-j", "1").returncode == 0
    assert files(tmp_path / "inc" / "html" / "_search") == files(tmp_path / "fresh" / "html" / "_search")


def test_html_and_dirhtml_sharing_a_doctree_folder_keep_their_own_records(tmp_path) -> None:
    # As make mode builds them: one doctree folder for every builder; dirhtml's URLs differ from html's.
    out = tmp_path / "shared"
    for builder in ("html", "dirhtml", "html"):
        result = sphinx_build(ROOTS / "test-two-years", out, "-j", "2", builder=builder, isolated=True)
        assert result.returncode == 0, result.stderr[-2000:]
    assert sphinx_build(ROOTS / "test-two-years", tmp_path / "fresh", "-j", "1").returncode == 0
    assert files(out / "html" / "_search") == files(tmp_path / "fresh" / "html" / "_search")
