extensions = ["shuzhi"]
language = "zh_CN"
shuzhi_mermaid_dist = ""
shuzhi_glossary_file = ""
# This root is not about report structure: its tiny reports have no parts or full front matter.
suppress_warnings = ["shuzhi.frontmatter", "shuzhi.field_missing", "shuzhi.title", "shuzhi.part_missing", "shuzhi.heading_unknown",
                     "shuzhi.part_empty", "shuzhi.heading_level", "shuzhi.numbering", "shuzhi.part_order"]
html_theme = "sphinx_book_theme"
