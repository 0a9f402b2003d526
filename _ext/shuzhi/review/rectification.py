"""整改: what this year's report says about last year's problems, shown for a person to judge.

The cycle's last step: last year's report listed its problems (问题) and plans (打算), the
review sent back a problem list (问题清单, :mod:`shuzhi.review.comments`); this year's report must say
how they were fixed. For each of last year's statements this module finds the sentences
of this year's 成效 and 整改 parts that speak of the same thing: a sentence matches when
it mentions a glossary concept the statement mentions, or shares two words with it
(words of two or more characters, as jieba cuts them, common words left out). Every
match is shown with its two passages and the reason (the shared concepts or words): no
score is computed and nothing is hidden; a person decides.

- a report whose unit (:mod:`shuzhi.listings.units`) has a report of the year before gets a 对照 view
  after its card (HTML): last year's 问题清单, 点评意见, 问题 and 打算, each statement
  with this year's matching sentences;
- ``{rectification-tracking}`` (the overview) lists, per unit, each of last year's
  问题清单 items and whether, and where, this year's report addresses it.

The matching (:func:`statements`, :func:`sentences`, :func:`matches`) is pure: no Sphinx.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from docutils import nodes
from sphinx.util.nodes import make_refnode

from ..build.domain import get_domain
from ..build.resolving import EVENT, listed_reports, report_doctrees
from ..listings.invalidation import ListingDirective, fill_list
from ..listings.units import neighbours
from .comments import Review

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from ..glossary.entries import Glossary
    from ..report.records import ReportRecord

#: Parts whose statements are last year's (what had to be fixed) and this year's answers.
LAST_YEAR_PARTS = ("问题", "打算")
THIS_YEAR_PARTS = ("成效", "整改")
MAX_SHOWN = 3
_SENTENCE = re.compile(r"[^。！？；]+[。！？；]?")
_HAN = re.compile(r"^[\u4e00-\u9fff]{2,}$")
#: Words too common in these reports to say that two sentences speak of the same thing.
STOPWORDS = frozenset("""
工作 加强 进一步 开展 推进 落实 党建 基层 党员 组织 建设 问题 情况 方面 存在 不够 不足 有待 提高 提升
持续 深入 全面 扎实 认真 切实 积极 努力 坚持 严格 做好 抓好 加大 力度 强化 完善 健全 机制 制度 一是 二是
三是 四是 五是 我们 自己 全年 今年 上年 年度 以来 通过 进行 相关 有效 不断 各项 主要 重点 一些 部分 还是
""".split())


class Match(NamedTuple):
    sentence: str  # this year's sentence
    part: str  # the part it is in (its key)
    node_id: str  # that part's anchor
    concepts: tuple[str, ...]  # glossary concepts both mention
    words: tuple[str, ...]  # words both use (when no concept is shared)


@functools.cache
def _tokenizer():
    import rjieba

    return rjieba.Jieba()


def words(text: str) -> frozenset[str]:
    """The words of *text* that can tie two sentences together."""
    return frozenset(word for word in _tokenizer().cut(text) if _HAN.match(word) and word not in STOPWORDS)


def concepts(text: str, glossary: Glossary | None) -> tuple[str, ...]:
    """The glossary concepts *text* mentions (by their term or an alias)."""
    if glossary is None:
        return ()
    return tuple(concept.term for concept in glossary.concepts
                 if any(form in text for form in (concept.term, *concept.aliases)))


def sentences(text: str) -> list[str]:
    """*text* cut into sentences at 。！？；."""
    return [match.strip() for match in _SENTENCE.findall(text) if len(match.strip()) > 4]


def matches(statement: str, candidates: Sequence[tuple[str, str, str]], glossary: Glossary | None) -> list[Match]:
    """This year's sentences (text, part, anchor) that speak of *statement*, best first: those
    sharing a concept, then those sharing the most words (two at least)."""
    wanted_concepts, wanted_words = set(concepts(statement, glossary)), words(statement)
    found = []
    for sentence, part, node_id in candidates:
        shared = tuple(c for c in concepts(sentence, glossary) if c in wanted_concepts)
        common = tuple(sorted(wanted_words & words(sentence)))
        if shared or len(common) >= 2:
            found.append(Match(sentence, part, node_id, shared, common if not shared else ()))
    found.sort(key=lambda match: (not match.concepts, -len(match.words)))
    return found


# --------------------------------------------------------------------------- doctrees


def part_sentences(app: Sphinx, record: ReportRecord, keys: Iterable[str], root: nodes.Node | None = None) -> list[tuple[str, str, str]]:
    """(sentence, part key, part anchor) of *record*'s parts *keys*, from its doctree (or *root*)."""
    wanted = {part.node_id: part.key for part in record.parts if part.key in set(keys)}
    if not wanted:
        return []
    tree = root if root is not None else app.env.get_doctree(record.docname)
    out = []
    for section in tree.findall(nodes.section):
        node_id = next((i for i in section["ids"] if i in wanted), None)
        if node_id is None:
            continue
        text = "".join(para.astext().replace("\n", "") for para in section.findall(nodes.paragraph))
        out += [(sentence, wanted[node_id], node_id) for sentence in sentences(text)]
    return out


def statements_of_last_year(app: Sphinx, previous: ReportRecord, review: Review | None) -> list[tuple[str, str]]:
    """(where it comes from, statement): last year's 问题清单, then its 问题 and 打算 parts."""
    out = [("上年度问题清单", item) for item in (review.problems if review else ())]
    for sentence, part, _ in part_sentences(app, previous, LAST_YEAR_PARTS):
        out.append((f"上年度报告“{part}”部分", sentence))
    return out


# --------------------------------------------------------------------------- the 对照 view


def _match_list(app: Sphinx, fromdoc: str, found: list[Match], record: ReportRecord) -> nodes.Node:
    if not found:
        return nodes.paragraph("", "本年度报告的成效、整改部分中没有找到对应的句子（请人工核对）。",
                               classes=["rectification-none"])
    listing = nodes.bullet_list(classes=["rectification-matches"])
    for match in found[:MAX_SHOWN]:
        why = "共同概念：" + "、".join(match.concepts) if match.concepts else "共同词语：" + "、".join(match.words)
        para = nodes.paragraph()
        para += nodes.Text(f"“{match.sentence}”（")
        para += make_refnode(app.builder, fromdoc, record.docname, match.node_id,
                             nodes.inline(match.part, f"本年度“{match.part}”部分"))
        para += nodes.Text(f"；{why}）")
        listing += nodes.list_item("", para)
    if len(found) > MAX_SHOWN:
        listing += nodes.list_item("", nodes.paragraph("", f"……另有 {len(found) - MAX_SHOWN} 句"))
    return listing


def comparison(app: Sphinx, fromdoc: str, record: ReportRecord, root: nodes.Node) -> nodes.Element | None:
    """The 对照 view of *record* (on the page *fromdoc*, its tree *root*), or None without a year before."""
    domain = get_domain(app.env)
    unit = record.metadata.get("unit", "").strip()
    entries = domain.units.get(unit, ())
    before, _ = neighbours(entries, record.docname)
    if before is None or before[1] not in domain.reports:
        return None
    previous = domain.reports[before[1]]
    review = domain.reviews.get(previous.docname)
    candidates = part_sentences(app, record, THIS_YEAR_PARTS, root)
    box = nodes.container(classes=["rectification"])
    box += nodes.rubric("", f"与上一年度对照（{before[0]}年度的问题和打算，本年度报告中相应的句子）")
    intro = nodes.paragraph()
    intro += nodes.Text("逐条列出上一年度")
    intro += make_refnode(app.builder, fromdoc, previous.docname, "", nodes.inline("", "报告"))
    intro += nodes.Text("查摆的问题、下一步打算和评议的问题清单，以及本年度成效、整改部分中提到相同概念或词语的句子。"
                        "匹配只供参考：是否已经整改，请评议人判断。")
    box += intro
    if review is not None and review.text:
        who = "，".join(part for part in (review.by, review.date) if part)
        box += nodes.paragraph("", "", nodes.strong("", "上年度点评意见："), nodes.Text(f"{review.text}（{who}）"))
    table = nodes.definition_list(classes=["rectification-list"])
    for source, statement in statements_of_last_year(app, previous, review):
        item = nodes.definition_list_item()
        item += nodes.term("", f"{source}：{statement}")
        item += nodes.definition("", _match_list(app, fromdoc, matches(statement, candidates, domain.glossary), record))
        table += item
    box += table
    return box


def add_comparisons(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``shuzhi-doctree-resolving``, HTML: the 对照 view of each report on the page, after its card."""
    if app.builder.format != "html":
        return
    reports = get_domain(app.env).reports
    for report, root in report_doctrees(app, doctree, docname):
        record = reports[report]
        view = comparison(app, docname, record, root)
        if view is None:
            continue
        section = next(iter(root.findall(nodes.section)), None)
        if section is not None:
            section += view


# --------------------------------------------------------------------------- the tracking table


class rectification_tracking(nodes.General, nodes.Element):
    """Placeholder for the 整改跟踪 table, replaced at write time."""


class RectificationTracking(ListingDirective):
    """``{rectification-tracking}``: per unit, last year's 问题清单 and this year's answers."""

    kind = "tracking"
    node_class = rectification_tracking


def tracking_rows(app: Sphinx) -> list[tuple[str, str, str, str, ReportRecord, list[Match]]]:
    """(unit, year before, year, problem, this year's record, its matches) of each of last
    year's 问题清单 items whose unit has a report this output holds."""
    domain = get_domain(app.env)
    # Only reports this output holds: in the PDF, the printed year's (a link elsewhere has no target).
    printed = {record.docname for record in listed_reports(app, app.env)}
    rows = []
    for unit, entries in domain.units.items():
        for (year_before, before), (year, current) in zip(entries, entries[1:]):
            review = domain.reviews.get(before)
            if review is None or not review.problems or current not in printed:
                continue
            record = domain.reports[current]
            candidates = part_sentences(app, record, THIS_YEAR_PARTS)
            for problem in review.problems:
                rows.append((unit, year_before, year, problem, record, matches(problem, candidates, domain.glossary)))
    return rows


def resolve_tracking(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``shuzhi-doctree-resolving``: fill ``{rectification-tracking}``."""

    def item(row: tuple[str, str, str, str, ReportRecord, list[Match]]) -> nodes.list_item:
        unit, year_before, year, problem, record, found = row
        para = nodes.paragraph()
        para += nodes.strong("", f"{unit}（{year_before}→{year}）")
        para += nodes.Text(f"：{problem}——")
        if found:
            first = found[0]
            why = "共同概念：" + "、".join(first.concepts) if first.concepts else "共同词语：" + "、".join(first.words)
            para += nodes.Text(f"本年度报告有 {len(found)} 句提到（如“{first.sentence}”，{why}，见")
            para += make_refnode(app.builder, docname, record.docname, first.node_id,
                                 nodes.inline("", f"{year}年度“{first.part}”部分"))
            para += nodes.Text("）")
        else:
            para += nodes.Text(f"{year}年度报告的成效、整改部分中没有找到对应的句子（请人工核对）")
        return nodes.list_item("", para)

    fill_list(doctree, rectification_tracking, lambda: tracking_rows(app), item, "rectification-tracking",
              "还没有可以跟踪的整改：需要同一单位（unit）相邻两个年度的报告，且前一年度有评议记录的问题清单。")


def outdated_next_years(app: Sphinx, env, added, changed, removed) -> list[str]:
    """``env-get-outdated``: a report is rewritten when its unit's report of the year before, or
    that report's review, changed (its 对照 view shows them)."""
    from .comments import outdated_by_new_reviews

    touched = {*added, *changed, *removed, *outdated_by_new_reviews(app, env, added, changed, removed)}
    out = []
    for entries in get_domain(env).units.values():
        for (_, before), (_, after) in zip(entries, entries[1:]):
            if before in touched and after in env.found_docs and after not in removed:
                out.append(after)
    return out


def setup(app: Sphinx) -> None:
    app.connect("env-get-outdated", outdated_next_years)
    app.add_node(rectification_tracking)
    app.add_directive("rectification-tracking", RectificationTracking)
    app.connect(EVENT, resolve_tracking)
    # After the card (350) and before the review (360): the view reads the page's own text.
    app.connect(EVENT, add_comparisons, priority=355)
