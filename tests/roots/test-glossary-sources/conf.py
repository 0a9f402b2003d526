extensions = ["shuzhi"]
language = "zh_CN"
shuzhi_mermaid_dist = ""
shuzhi_glossary_file = "glossary.yaml"
# This root is about glossary sources: its one report has no parts or full front matter.
suppress_warnings = ["shuzhi.frontmatter", "shuzhi.field_missing", "shuzhi.title", "shuzhi.part_missing", "shuzhi.heading_unknown",
                     "shuzhi.part_empty", "shuzhi.heading_level", "shuzhi.numbering", "shuzhi.part_order"]
latex_show_urls = "footnote"
