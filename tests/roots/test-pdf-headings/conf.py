"""One report with all three heading levels (一、 （一） 1.): the PDF's heading fonts."""

extensions = ["shuzhi"]
project = "测试汇编"
language = "zh_CN"
root_doc = "index"
exclude_patterns = ["_build"]
shuzhi_mermaid_dist = ""
shuzhi_glossary_file = ""
latex_engine = "xelatex"
latex_toplevel_sectioning = "chapter"
latex_documents = [("index", "headings.tex", project, "组织部", "manual", True)]
