"""Which files of the build machine a report may reach: only those in the report folders.

The source folder is the repository root, so the git metadata, the tox environments,
the build output and ``conf.py`` lie inside it; to an untrusted report they must be as
unreachable as ``/etc``. A report may embed or link only files under the report
folders (``shuzhi_report_dirs``), judged after resolving symlinks, and only of types
that cannot run script when served from the site's own address. Pure: no Sphinx.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

#: Images a report may embed (no SVG: opened on its own, it runs script).
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})
#: Files a report may link for download (no HTML, SVG or script).
DOWNLOAD_SUFFIXES = IMAGE_SUFFIXES | {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".txt", ".csv"}


def report_roots(srcdir: str | Path, report_dirs: Iterable[str]) -> tuple[Path, ...]:
    """The report folders, resolved."""
    return tuple((Path(srcdir) / folder).resolve() for folder in report_dirs)


def confined(path: str | Path, roots: Iterable[Path]) -> bool:
    """Whether *path*, symlinks resolved, lies inside one of *roots*."""
    real = Path(path).resolve()
    return any(real.is_relative_to(root) for root in roots)
