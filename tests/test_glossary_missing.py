"""A glossary file the site names but that is missing: one warning of kind ``glossary_syntax``,
silenced by that kind's name (real builds of a small site)."""

from __future__ import annotations

import shutil
from pathlib import Path

from builds import ROOTS, sphinx_build


def build(base: Path, *options: str):
    src = base / "src"
    shutil.copytree(ROOTS / "test-glossary-malformed", src)
    (src / "glossary.yaml").unlink()
    return src, sphinx_build(src, base / "out", "-D", "shuzhi_glossary_file=missing.yaml", *options, strict=False)


def test_missing_configured_glossary_is_a_glossary_syntax_warning(tmp_path) -> None:
    src, result = build(tmp_path)
    lines = [line for line in result.stderr.splitlines() if "[shuzhi." in line]
    assert lines == [f"WARNING: 找不到术语表文件 {src / 'missing.yaml'}："
                     "请检查 conf.py 中的 shuzhi_glossary_file。 [shuzhi.glossary_syntax]"]


def test_missing_configured_glossary_is_silenced_by_its_kind(tmp_path) -> None:
    _, result = build(tmp_path, "-D", "suppress_warnings=shuzhi.glossary_syntax")
    assert result.returncode == 0
    assert "找不到术语表文件" not in result.stderr
