"""Glossary links: two tiny reports that mention the concepts of glossary.yaml."""

import os
from pathlib import Path

exec(Path(os.environ.get("SHUZHI_TEST_ROOTS", Path(__file__).parent.parent), "base_conf.py").read_text("utf-8"))

shuzhi_glossary_file = "glossary.yaml"
suppress_warnings = STRUCTURE_CHECKS
