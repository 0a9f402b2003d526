"""The build's dates come from the source, not the clock: ``SOURCE_DATE_EPOCH``.

``SOURCE_DATE_EPOCH`` (the reproducible-builds.org convention) is read by Sphinx (the
LaTeX ``\\date``, copyright years), by xdvipdfmx, which writes xelatex's PDF (its
CreationDate and ModDate, its ``/ID`` and the tags of the embedded font subsets, which
are otherwise drawn from the clock), and, with ``FORCE_SOURCE_DATE=1``, by XeTeX's
``\\year``, ``\\month``, ``\\day`` and ``\\time`` (and so ``\\today``).

When it is unset, ``config-inited`` sets it to the time of the checkout's last commit
(``git log -1 --format=%ct``), the date the release archive is named after
(:func:`.release.source_of`), and sets ``FORCE_SOURCE_DATE=1`` unless it is set. It is
set in this process's environment on purpose: ``sphinx-build -M latexpdf`` runs latexmk,
and so xelatex and xdvipdfmx, as child processes once the LaTeX files are written, and
they inherit it. Outside a git checkout nothing is set, and dates are the clock's.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)


def commit_epoch(folder: Path) -> int | None:
    """The commit time of the checkout *folder* is in, or ``None`` outside a git checkout."""
    try:
        result = subprocess.run(["git", "-C", str(folder), "log", "-1", "--format=%ct"],
                                capture_output=True, text=True, check=False)
    except OSError:  # no git
        return None
    value = result.stdout.strip()
    return int(value) if result.returncode == 0 and value.isdigit() else None


def set_source_date(app: Sphinx, config: Config) -> None:
    """``config-inited``: ``SOURCE_DATE_EPOCH`` from the last commit unless given; ``FORCE_SOURCE_DATE=1``."""
    if not os.environ.get("SOURCE_DATE_EPOCH"):
        epoch = commit_epoch(Path(app.confdir))
        if epoch is None:
            return
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
        when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(epoch))
        logger.info("源日期：%s（最近一次提交的时间，PDF 的日期取自它）", when)
    os.environ.setdefault("FORCE_SOURCE_DATE", "1")


def setup(app: Sphinx) -> None:
    # Before Sphinx's own handler (priority 800), which corrects the copyright year with it.
    app.connect("config-inited", set_source_date, priority=100)
