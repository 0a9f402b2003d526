"""Test root for the shuzhi structure checks."""

extensions = ["shuzhi"]
language = "zh_CN"
root_doc = "index"
shuzhi_mermaid_dist = ""
exclude_patterns = ["_build"]
