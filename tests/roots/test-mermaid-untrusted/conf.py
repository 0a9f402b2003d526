extensions = ["shuzhi"]
language = "zh_CN"
shuzhi_mermaid_dist = ""
shuzhi_glossary_file = ""
