"""Two years of reports from fictional units (青山镇, 绿水街道): the 述职评议 cycle across years."""

import os
from pathlib import Path

exec(Path(os.environ.get("SHUZHI_TEST_ROOTS", Path(__file__).parent.parent), "base_conf.py").read_text("utf-8"))

project = "测试汇编"
root_doc = "index"
exclude_patterns = ["_build"]
shuzhi_glossary_file = "glossary.yaml"
latex_engine = "xelatex"
latex_toplevel_sectioning = "chapter"
latex_appendices = ["tracking", "glossary"]
latex_documents = [("index", "two-years.tex", project, "组织部", "manual", True)]
shuzhi_pdf_rating_form = True
