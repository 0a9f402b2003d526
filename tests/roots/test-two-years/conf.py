"""Two years of reports from fictional units (青山镇, 绿水街道): the 述职评议 cycle across years."""

extensions = ["shuzhi"]
project = "测试汇编"
language = "zh_CN"
root_doc = "index"
exclude_patterns = ["_build"]
shuzhi_mermaid_dist = ""
shuzhi_glossary_file = "glossary.yaml"
latex_engine = "xelatex"
latex_toplevel_sectioning = "chapter"
latex_appendices = ["tracking", "glossary"]
latex_documents = [("index", "two-years.tex", project, "组织部", "manual", True)]
shuzhi_pdf_rating_form = True
