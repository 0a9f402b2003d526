"""Test root for the shuzhi structure checks."""

extensions = ["shuzhi"]
language = "zh_CN"
root_doc = "index"
shuzhi_mermaid_dist = ""
exclude_patterns = ["_build"]

# A site adds its own watermark patterns.
shuzhi_watermark_patterns = [r"本文来自某某文库网"]
