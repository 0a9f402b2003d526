"""Test root for the overview directives: one report lacks its 问题 part."""

import os
from pathlib import Path

exec(Path(os.environ.get("SHUZHI_TEST_ROOTS", Path(__file__).parent.parent), "base_conf.py").read_text("utf-8"))

root_doc = "index"
exclude_patterns = ["_build"]
