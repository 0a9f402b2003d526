"""The small site the hostile corpus is built in (tests/test_hostile_corpus.py).

Its reports folder receives the corpus's reports; its glossary.yaml, the corpus's
glossary entries. The test passes -D shuzhi_mermaid_dist=<the repository's node_modules>
(mermaid served from _static, as the real site does) and, for the widened dialect,
-D shuzhi_report_directives=... Secret token of this file: CANARY-conf-py-7b41.
"""

extensions = ["shuzhi"]
project = "敌意输入汇编"
author = "组织部"
language = "zh_CN"
root_doc = "index"
exclude_patterns = ["_build", ".tox", ".git", "outside"]
html_theme = "sphinx_book_theme"
html_title = project
html_copy_source = False
html_show_sourcelink = False
html_context = {"default_mode": "light"}
html_sidebars = {
    "**": ["navbar-logo.html", "icon-links.html", "search-button-field.html", "shuzhi-sidebar-nav.html"],
}
html_search_language = "zh"
myst_enable_extensions: list[str] = []
mermaid_init_config = {"startOnLoad": False, "securityLevel": "strict"}
mermaid_fullscreen = False
shuzhi_mermaid_dist = ""
shuzhi_glossary_file = "glossary.yaml"
# The corpus is about untrusted input, not the report structure: its small reports have no parts.
suppress_warnings = ["shuzhi.field_missing", "shuzhi.title", "shuzhi.part_missing", "shuzhi.part_order",
                     "shuzhi.part_repeated", "shuzhi.part_empty", "shuzhi.heading_unknown",
                     "shuzhi.heading_level", "shuzhi.numbering", "shuzhi.numbering_mixed"]
latex_engine = "xelatex"
latex_toplevel_sectioning = "chapter"
latex_appendices = ["glossary"]
latex_documents = [("index", "hostile.tex", project, author, "manual", True)]
