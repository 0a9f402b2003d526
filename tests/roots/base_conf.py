"""What the test roots' conf.py files share; each runs this file first, then sets what its scenario needs.

The shuzhi extension, in Chinese, without the mermaid bundle (no node_modules needed) and
without a glossary unless the root names one. A root's conf.py finds this file in the folder
``SHUZHI_TEST_ROOTS`` names (set by tests/conftest.py, for roots copied elsewhere by a test),
else in its own parent folder (a root built where it is)::

    exec(Path(os.environ.get("SHUZHI_TEST_ROOTS", Path(__file__).parent.parent), "base_conf.py").read_text("utf-8"))
"""

extensions = ["shuzhi"]
language = "zh_CN"
shuzhi_mermaid_dist = ""
shuzhi_glossary_file = ""

#: The structure checks' subtypes, for ``suppress_warnings`` in roots that are not about report
#: structure (their tiny reports have no parts or full front matter).
STRUCTURE_CHECKS = ["shuzhi.frontmatter", "shuzhi.field_missing", "shuzhi.title", "shuzhi.part_missing",
                    "shuzhi.heading_unknown", "shuzhi.part_empty", "shuzhi.heading_level", "shuzhi.numbering",
                    "shuzhi.part_order"]
