extensions = ["shuzhi"]
language = "zh_CN"
shuzhi_mermaid_dist = ""
shuzhi_glossary_file = ""
# This root is about the report dialect, not the report structure.
suppress_warnings = ["shuzhi.frontmatter", "shuzhi.field_missing", "shuzhi.title", "shuzhi.part_missing",
                     "shuzhi.heading_unknown", "shuzhi.part_empty", "shuzhi.heading_level", "shuzhi.numbering",
                     "shuzhi.part_order"]
