"""Glossary input at its edges: tricky valid terms and one entry-level problem of each kind."""

import os
from pathlib import Path

exec(Path(os.environ.get("SHUZHI_TEST_ROOTS", Path(__file__).parent.parent), "base_conf.py").read_text("utf-8"))

shuzhi_glossary_file = "glossary.yaml"
suppress_warnings = STRUCTURE_CHECKS
