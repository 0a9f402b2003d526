"""Test root for the listings in both builders: every listing on one page, printed as the PDF's front matter."""

extensions = ["shuzhi"]
project = "测试汇编"
language = "zh_CN"
root_doc = "index"
shuzhi_mermaid_dist = ""
shuzhi_glossary_file = ""
exclude_patterns = ["_build"]
latex_documents = [(root_doc, "listings.tex", project, "组织部", "manual", True)]
shuzhi_pdf_front_matter = ["about"]
