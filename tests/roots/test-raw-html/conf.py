"""Raw HTML typed in reports: escaped, with a warning at each occurrence."""

import os
from pathlib import Path

exec(Path(os.environ.get("SHUZHI_TEST_ROOTS", Path(__file__).parent.parent), "base_conf.py").read_text("utf-8"))

suppress_warnings = STRUCTURE_CHECKS
