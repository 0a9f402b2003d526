"""What the chunked search takes from a page: its visible text, and the words of that text.

Both are tuned for speed (issue #24) and must give what the plain forms give: the text what a
docutils ``NodeVisitor`` walk with the same skip rules gives (:func:`reference_text`), and the
words what the straightforward counting gives (:func:`reference_split_counts`). Each test
compares the two, so that a faster form that drifts from the plain one fails here.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

from builds import ROOTS
from docutils import nodes
from docutils.core import publish_doctree
from sphinx import addnodes

from shuzhi.search.chunked import SKIP_CLASSES, page_text
from shuzhi.search.jieba_index import WORDS_OPTION, SearchChineseJieba


class _ReferenceText(nodes.NodeVisitor):
    """The page's text as a docutils visitor walk finds it (what page_text gave before #24)."""

    def __init__(self, document: nodes.document) -> None:
        super().__init__(document)
        self.parts: list[str] = []

    def dispatch_visit(self, node: nodes.Node) -> None:
        if isinstance(node, (nodes.comment, nodes.raw, nodes.system_message, nodes.substitution_definition)):
            raise nodes.SkipNode
        if isinstance(node, addnodes.only) and "html" not in str(node.get("expr", "")):
            raise nodes.SkipNode
        if isinstance(node, nodes.Element):
            if SKIP_CLASSES & set(node.get("classes", ())) or node.tagname == "mermaid":
                raise nodes.SkipNode
            if isinstance(node, (nodes.paragraph, nodes.title, nodes.term, nodes.entry, nodes.list_item)):
                self.parts.append(" ")
        elif isinstance(node, nodes.Text):
            self.parts.append(node.astext())

    def unknown_departure(self, node: nodes.Node) -> None:
        pass


def reference_text(doctree: nodes.document) -> str:
    visitor = _ReferenceText(doctree)
    doctree.walkabout(visitor)
    return re.sub(r"\s+", " ", "".join(visitor.parts)).strip()


class mermaid(nodes.General, nodes.Element):  # noqa: N801 - the diagram node's tag name
    pass


RST = """\
述职报告
========

.. 编者注：不发布

.. |单位| replace:: 青山镇

正文第一段，\\ 转义后紧接。

.. raw:: html

   <b>原始HTML</b>

- 列表一
- 列表二

术语
   释义。

======  ======
单元一  单元二
======  ======

未知角色 :bogus:`不存在` 之后。
"""


def skip_rules_doctree() -> nodes.document:
    """A doctree with each kind of node the text leaves out, and each it keeps."""
    document = publish_doctree(RST, settings_overrides={"report_level": 5, "halt_level": 5})
    section = document  # the one section's title is the document's (docutils' doctitle)
    section += nodes.container("", nodes.paragraph(text="年度：2023"), classes=["report-card"])
    section += nodes.container("", nodes.paragraph(text="本篇结构"), classes=["x", "report-outline"])
    section += addnodes.only("", nodes.paragraph(text="只在PDF"), expr="latex")
    section += addnodes.only("", nodes.paragraph(text="只在网页"), expr="html")
    section += mermaid("", nodes.Text("graph TD; A-->B"))
    # Blocks whose text is not in a paragraph of their own (a space still comes before each).
    section += nodes.entry("", nodes.Text("甲"))
    section += nodes.entry("", nodes.Text("乙"))
    section += nodes.list_item("", nodes.Text("丙"))
    section += nodes.topic("", nodes.title(text="丁"))
    section += nodes.paragraph(text="结尾。")
    return document


def test_page_text_leaves_out_what_readers_do_not_see_and_spaces_blocks() -> None:
    document = skip_rules_doctree()
    assert any(isinstance(node, nodes.system_message) for node in document.findall())
    assert page_text(document) == (
        "述职报告 正文第一段，转义后紧接。 列表一 列表二 术语 释义。 单元一 单元二 "
        "未知角色 :bogus:`不存在` 之后。 只在网页 甲 乙 丙 丁 结尾。")


def test_page_text_is_the_visitor_walks_text_for_the_skip_rules_doctree() -> None:
    document = skip_rules_doctree()
    assert page_text(document) == reference_text(document)


def test_page_text_is_the_visitor_walks_text_for_every_page_of_a_site(make_app, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-two-years", src)
    app = make_app("html", srcdir=src)
    pages: dict[str, tuple[str, str]] = {}

    def compare(app, pagename, templatename, context, doctree) -> None:
        if doctree is not None:
            pages[pagename] = (page_text(doctree), reference_text(doctree))

    app.connect("html-page-context", compare)
    app.build()
    assert "reports/2023/01-xiangzhen" in pages
    assert {name: ours for name, (ours, _) in pages.items()} == {name: ref for name, (_, ref) in pages.items()}


HAN = re.compile(r"[\u4E00-\u9FD5]+")


def reference_split_counts(language: SearchChineseJieba, text: str) -> Counter[str]:
    """The words of *text* counted the plain way (what split_counts did before #24)."""
    tokenizer = language.tokenizer()
    found = Counter(tokenizer.cut_for_search(text))
    counts = found.copy()
    for word in sorted(language._pieces.keys() & found.keys()):
        for piece in language._pieces[word]:
            counts[piece] += found[word]
    cut = tokenizer.cut(text)
    counts.update([a + b for a, b in zip(cut, cut[1:]) if HAN.fullmatch(a) and HAN.fullmatch(b)])
    counts.update([term.strip() for term in language.latin1_letters.findall(text)])
    return counts


def test_split_counts_counts_the_words_phrases_and_latin_words_of_the_plain_counting(tmp_path: Path) -> None:
    words = tmp_path / "words.txt"
    words.write_text("三会一课\n主题党日\n中央八项规定\n八项规定\n", encoding="utf-8")
    language = SearchChineseJieba({WORDS_OPTION: str(words)})
    reports = sorted((ROOTS / "test-two-years" / "reports").rglob("*.md"))
    texts = [path.read_text(encoding="utf-8") for path in reports] + [
        "落实中央八项规定精神，坚持“三会一课”和主题党日；导出 PDF（A4 纸）见 www.example-site.org/a_b。",
        "Markdown 与 MyST：Node.js 不用。 2023年度 述职 PDF PDF",
        # Words that are not Chinese: cut_for_search splits some at their punctuation.
        "unit_kind_x hello_world a_b ab_cd 12.5% A4纸 X光 T恤衫 www.example-site.org 中华人民共和国中央人民政府",
    ]
    for text in texts:
        ours, reference = language.split_counts(text), reference_split_counts(language, text)
        assert list(ours.items()) == list(reference.items())  # the same counts, in the same order
