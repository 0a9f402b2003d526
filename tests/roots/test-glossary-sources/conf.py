"""Glossary sources: official outlets, a denied site, documents, pending entries."""

import os
from pathlib import Path

exec(Path(os.environ.get("SHUZHI_TEST_ROOTS", Path(__file__).parent.parent), "base_conf.py").read_text("utf-8"))

shuzhi_glossary_file = "glossary.yaml"
suppress_warnings = STRUCTURE_CHECKS
latex_show_urls = "footnote"
