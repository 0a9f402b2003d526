"""Test root for the shuzhi structure checks: one well-formed report.

It is also every structure scenario's root: ``tests/roots/test-structure-<scenario>/`` holds
only the report with its one defect, laid over this root by the ``structure_app`` fixture.
"""

extensions = ["shuzhi"]
language = "zh_CN"
root_doc = "index"
shuzhi_mermaid_dist = ""
exclude_patterns = ["_build"]
