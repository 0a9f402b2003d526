"""Malformed reports: every file has something wrong, none may crash the build."""

extensions = ["shuzhi"]
language = "zh_CN"
root_doc = "index"
shuzhi_mermaid_dist = ""
exclude_patterns = ["_build"]
