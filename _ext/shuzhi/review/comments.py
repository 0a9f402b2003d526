"""Review records: the superior's 点评意见 and the 问题清单 of each report, kept beside it.

述职评议 does not end with the report: the superior secretary comments on it (点评意见)
and the organisation department sends back a list of problems (问题清单) that next year's
report must answer. Editors record them in a file beside the report, never in it:
``reports/2023/01-xiangzhen.md`` → ``reports/2023/01-xiangzhen.review.yaml``::

    comment:                 # 点评意见
      by: 县委书记            # 点评人
      date: 2024-01-15       # 点评日期
      text: >-
        ……
    problems:                # 问题清单，每条一项
      - 党员教育管理不够规范
      - ……

:func:`load` reads and validates one file (pure: no Sphinx): every problem is a finding
at the file's line, saying what to do, and what is valid is kept. The build reads the
file with its report (``doctree-read``; the report is re-read when the file changes),
keeps the record in the domain by docname, and shows it after the report's text,
marked as the reviewer's, on the page and in the PDF.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml
from docutils import nodes
from sphinx.util import logging

from ..build.config import is_report
from ..build.domain import get_domain
from ..build.resolving import EVENT, report_doctrees
from ..report import kinds
from ..report.frontmatter import SAFE_LOADER, first_alias

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

SUFFIX = ".review.yaml"
KEYS = {"comment": "点评意见", "problems": "问题清单"}
COMMENT_KEYS = {"by": "点评人", "date": "点评日期", "text": "点评内容"}


class Problem(NamedTuple):
    line: int
    message: str


class Review(NamedTuple):
    """One report's review: the comment (who, when, what), the problem list, and what is
    wrong with the file (reported on every build until it is fixed)."""

    path: str  # the review file, relative to the source folder
    by: str = ""
    date: str = ""
    text: str = ""
    problems: tuple[str, ...] = ()
    findings: tuple[Problem, ...] = ()


def review_path(report: Path) -> Path:
    """The review file of the report at *report*."""
    return report.with_name(report.stem + SUFFIX)


def _lines(node: yaml.Node) -> dict[str, int]:
    return {str(key.value): key.start_mark.line + 1 for key, _ in node.value} if isinstance(node, yaml.MappingNode) else {}


def load(text: str, display: str) -> tuple[Review | None, list[Problem]]:
    """Read review *text* (from the file *display*); the review (None if unusable) and the problems."""
    alias = first_alias(text)
    if alias is not None:
        return None, [Problem(alias[0], f"评议记录中不能使用 YAML 别名“*{alias[1]}”：请把内容直接写出来。")]
    try:
        node = yaml.compose(text, Loader=SAFE_LOADER)
        data = yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return None, [Problem(mark.line + 1 if mark else 1, f"评议记录不是有效的 YAML（{getattr(error, 'problem', '')}）："
                              "请检查缩进、冒号和引号。")]
    if not isinstance(data, dict):
        return None, [Problem(1, "评议记录应以 comment:（点评意见）和 problems:（问题清单）开头，见《编辑指南》。")]
    lines = _lines(node)
    problems: list[Problem] = []
    for key in data:
        if key not in KEYS:
            problems.append(Problem(lines.get(str(key), 1), f"评议记录中的“{key}”不是已知的项：只能有 comment（点评意见）"
                                                             "和 problems（问题清单）。请删除或改名。"))
    comment: Any = data.get("comment") or {}
    by = date = text_ = ""
    if not isinstance(comment, dict):
        problems.append(Problem(lines.get("comment", 1), "comment（点评意见）应包含 by（点评人）、date（日期）和 text（内容）三项。"))
    else:
        comment_node = next((value for key, value in node.value if key.value == "comment"), None)
        comment_lines = _lines(comment_node) if comment_node is not None else {}
        for key in comment:
            if key not in COMMENT_KEYS:
                problems.append(Problem(comment_lines.get(str(key), lines.get("comment", 1)),
                                        f"点评意见中的“{key}”不是已知的项：只能有 by、date、text。请删除或改名。"))
        by, text_ = str(comment.get("by") or "").strip(), str(comment.get("text") or "").strip()
        raw_date = comment.get("date")
        if isinstance(raw_date, datetime.date):
            date = raw_date.isoformat()
        elif raw_date:
            problems.append(Problem(comment_lines.get("date", 1), f"点评日期“{raw_date}”应写成 2024-01-15 这样的日期。"))
        if comment and not text_:
            problems.append(Problem(comment_lines.get("text", lines.get("comment", 1)),
                                    "点评意见没有内容（text）：请写上点评的原文。"))
        if text_ and not by:
            problems.append(Problem(comment_lines.get("text", 1), "点评意见没有写点评人（by）：请写上点评人的职务。"))
    raw_problems: Any = data.get("problems") or []
    if not isinstance(raw_problems, list) or not all(isinstance(item, (str, int, float)) for item in raw_problems):
        problems.append(Problem(lines.get("problems", 1), "problems（问题清单）应是列表，每个问题一行，以“- ”开头。"))
        raw_problems = []
    listed = tuple(str(item).strip() for item in raw_problems if str(item).strip())
    return Review(display, by, date, text_, listed, tuple(problems)), problems


# --------------------------------------------------------------------------- build


def read_review(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: the report's review file, read, checked and recorded."""
    env = app.env
    docname = env.docname
    if not is_report(app.config, docname):
        return
    path = review_path(env.doc2path(docname))
    relative = path.relative_to(env.srcdir).as_posix()
    domain = get_domain(env)
    if not path.is_file():
        domain.note_review(docname, None)
        return
    # Re-read the report when its review is edited or removed (a dependency that does not
    # exist would re-read the report on every build: new files are found below instead).
    env.note_dependency(str(path))
    review, problems = load(path.read_text(encoding="utf-8", errors="replace"), relative)
    domain.note_review(docname, review or Review(relative, findings=tuple(problems)))


def outdated_by_new_reviews(app: Sphinx, env, added, changed, removed) -> list[str]:
    """``env-get-outdated``: reports whose review file is new since the last build."""
    known = get_domain(env).reviews
    outdated = []
    for folder in app.config.shuzhi_report_dirs:
        for path in sorted((Path(env.srcdir) / folder).rglob("*" + SUFFIX)):
            docname = env.path2doc(str(path.with_name(path.name.removesuffix(SUFFIX) + ".md")))
            if docname and docname in env.found_docs and docname not in known and docname not in removed:
                outdated.append(docname)
    return outdated


def report_problems(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: what is wrong with the review files, on every build, like the findings."""
    if exception is not None:
        return
    for _docname, review in sorted(get_domain(app.env).reviews.items()):
        for problem in review.findings:
            logger.warning("%s", problem.message, type="shuzhi", subtype=kinds.REVIEW,
                           location=f"{Path(app.srcdir) / review.path}:{problem.line}")


def show_reviews(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``shuzhi-doctree-resolving``: each report's review after its text, marked as the reviewer's."""
    reviews = get_domain(app.env).reviews
    for report, root in report_doctrees(app, doctree, docname):
        review = reviews.get(report)
        if review is None or not (review.text or review.problems):
            continue
        section = next(iter(root.findall(nodes.section)), None)
        if section is not None:
            section += box(review)


def box(review: Review) -> nodes.container:
    """The review, as plain nodes that every builder writes."""
    container = nodes.container(classes=["report-review"])
    container += nodes.rubric("评议意见", "评议意见（上级点评和问题清单，不是报告原文）")
    if review.text:
        who = "，".join(part for part in (review.by, review.date) if part)
        container += nodes.paragraph("", "", nodes.strong("点评意见：", "点评意见："), nodes.Text(f"（{who}）" if who else ""))
        container += nodes.block_quote("", *(nodes.paragraph(line, line) for line in review.text.split("\n") if line.strip()))
    if review.problems:
        container += nodes.paragraph("", "", nodes.strong("问题清单：", "问题清单："))
        listing = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
        for problem in review.problems:
            listing += nodes.list_item("", nodes.paragraph(problem, problem))
        container += listing
    return container


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", read_review, priority=650)
    app.connect("env-get-outdated", outdated_by_new_reviews)
    app.connect("build-finished", report_problems)
    app.connect(EVENT, show_reviews, priority=360)
