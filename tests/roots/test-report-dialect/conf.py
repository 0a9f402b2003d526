"""The report dialect: every way out of plain text in one report, each a finding."""

import os
from pathlib import Path

exec(Path(os.environ.get("SHUZHI_TEST_ROOTS", Path(__file__).parent.parent), "base_conf.py").read_text("utf-8"))

suppress_warnings = STRUCTURE_CHECKS
