"""Test root for the overview directives: one report lacks its 问题 part."""

extensions = ["shuzhi"]
language = "zh_CN"
root_doc = "index"
shuzhi_mermaid_dist = ""
shuzhi_glossary_file = ""
exclude_patterns = ["_build"]
