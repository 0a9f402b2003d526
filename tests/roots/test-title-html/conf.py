"""HTML typed in a report title: text on every page, in the site's theme."""

import os
from pathlib import Path

exec(Path(os.environ.get("SHUZHI_TEST_ROOTS", Path(__file__).parent.parent), "base_conf.py").read_text("utf-8"))

suppress_warnings = STRUCTURE_CHECKS
html_theme = "sphinx_book_theme"
