"""One report with all three heading levels (一、 （一） 1.): the PDF's heading fonts."""

import os
from pathlib import Path

exec(Path(os.environ.get("SHUZHI_TEST_ROOTS", Path(__file__).parent.parent), "base_conf.py").read_text("utf-8"))

project = "测试汇编"
root_doc = "index"
exclude_patterns = ["_build"]
latex_engine = "xelatex"
latex_toplevel_sectioning = "chapter"
latex_documents = [("index", "headings.tex", project, "组织部", "manual", True)]
