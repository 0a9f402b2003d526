"""The printed compilations (汇编): one PDF per year, through Sphinx's LaTeX builder.

The PDF reads: cover, 目 录, the front matter (说明), 第一篇 … 第N篇 (one chapter per
report, each on a new page, with its metadata), then the appendices (附录, Sphinx's
``latex_appendices``).

How the pieces fit, using Sphinx's own mechanisms wherever there is one:

- The home page is HTML-only (the toctree of years, the catalogue table). A
  ``latex_documents`` entry whose start document is ``root_doc`` therefore stands for
  "the compilations": once every document is read (``env-updated``, when the report
  records are complete) it is replaced by one entry per year printed (``shuzhi_pdf_year``:
  a year or a list of years; by default every year in the records), each starting at
  ``<report folder>/<year>/index`` with ``toctree_only`` set, so only that page's toctree
  (the year's reports) is printed and the year page's own heading and text are not; the
  file is ``<stem>-<year>.tex`` (``dangjian-shuzhi-2023.pdf``) and the title "<year>年度<project>".
  A listing in a PDF shows the reports that document holds (:func:`shuzhi.build.resolving.listed_reports`).
- The cover's values (title, year, number of reports, organisation) are derived from the
  records and written to ``<stem>-<year>.def`` in the LaTeX output folder, which the
  style file ``latex/shuzhi.sty`` reads (``\\jobname.def``); nothing on the cover is typed, nor dated.
- A LaTeX-only handler of ``shuzhi-doctree-resolving`` (:mod:`shuzhi.build.resolving`) inserts, in
  the assembled document, the front matter (``shuzhi_pdf_front_matter``) before the first
  report and each report's metadata under its title.
- Typography lives in ``latex/shuzhi.sty``: by default GB/T 9704-2012, the format of
  official documents (``shuzhi_pdf_style = "gongwen"``: 3号 仿宋 on a 22 x 28 grid, 2号 title,
  — 1 — page numbers on the outer side), or the denser ``"compact"``; the ``latex_elements``
  defaults below only select it (margins, ctex options). Values a site sets in ``latex_elements`` win.
- Fonts: ctex with TeX Live's Fandol fonts (宋 黑 仿宋 楷), copied at each build into the
  LaTeX output folder with a character collection for which xdvipdfmx writes a ToUnicode
  map (:mod:`shuzhi.pdf.fonts`), and 思源宋体 (Noto Serif CJK SC Bold, Debian's fonts-noto-cjk) for the
  titles, the closest free face to 小标宋.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.nodes import inline_all_toctrees, process_only_nodes
from sphinx.util.texescape import escape

from ..build.config import assignment_location
from ..build.domain import get_domain
from ..build.resolving import EVENT, page_changed
from ..report import kinds
from ..report.longlines import LONG_HEADING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from ..report.records import ReportRecord

logger = logging.getLogger(__name__)

LATEX_DIR = Path(__file__).parent / "latex"
STYLE = "shuzhi"

#: Link and heading colours: black, as the printed text around them.
BLACK = "InnerLinkColor={rgb}{0,0,0}, OuterLinkColor={rgb}{0,0,0}, TitleColor={rgb}{0,0,0}"

#: Defaults for ``latex_elements``; ``conf.py`` may override any of them.
LATEX_ELEMENTS: dict[str, str] = {
    "papersize": "a4paper",
    # The class's sizes; shuzhi.sty sets the body's own (3号, 16 bp, in the gongwen style).
    "pointsize": "12pt",
    # One-sided, chapters on the next page (not the next right-hand page).
    "extraclassoptions": "oneside,openany",
    # ctex loads xeCJK and fontspec, gives Chinese captions (图, 表, 目录) and \chinese{}.
    # heading=false: Sphinx formats headings with titlesec, which ctex's own heading
    # code would fight with; shuzhi.sty sets them with titlesec instead.
    # fontset=none: shuzhi.sty loads the fonts itself (Fandol copies that copy correctly, see shuzhi.pdf.fonts).
    "fontenc": r"\usepackage[UTF8,heading=false,scheme=chinese,fontset=none,linespread=1]{ctex}",
    # babel would add the class option "english" and English captions.
    "babel": "",
    # cmap is for pdfTeX; under xelatex it only logs a warning.
    "cmappkg": "",
    # Chapter heads are shuzhi.sty's, not fncychap's ("CHAPTER 1").
    "fncychap": "",
    "passoptionstopackages": r"\PassOptionsToPackage{bookmarksnumbered,bookmarksopen,bookmarksopenlevel=0}{hyperref}",
    # GB/T 9704-2012: top 37 mm, left (订口) 28 mm, a 156 x 225 mm text area on A4.
    "sphinxsetup": f"hmargin={{28mm,26mm}}, vmargin={{37mm,35mm}}, {BLACK}",
    # Diagrams stay where they are in the text, under their heading.
    "figure_align": "H",
    "maketitle": r"\shuzhiCover",
    "tableofcontents": r"\shuzhiTableOfContents",
    # A Chinese index sorted by code point helps nobody; the glossary appendix is the index.
    "makeindex": "",
    "printindex": "",
}

#: What ``shuzhi_pdf_style = "compact"`` changes: the density of the PDF before GB/T 9704
#: (12 pt body, line spread 1.3, narrower top and bottom margins).
COMPACT_ELEMENTS: dict[str, str] = {
    "fontenc": r"\usepackage[UTF8,heading=false,scheme=chinese,fontset=none,linespread=1.3]{ctex}",
    "sphinxsetup": f"hmargin={{28mm,26mm}}, vmargin={{32mm,30mm}}, {BLACK}",
}

#: Where the LaTeX output folder holds the fonts shuzhi.sty loads (``Path=`` of fontspec).
FONT_DIR = "shuzhi-fonts"

#: The metadata printed under each report's title: (label, metadata key).
REPORT_META = (("单位类型", "unit_kind"), ("年度", "year"), ("述职人", "reporter"))


class Compilation(NamedTuple):
    """What the PDF holds: one year's reports, in compilation order."""

    year: str
    reports: tuple[ReportRecord, ...]
    startdoc: str  # the year's index page, whose toctree lists the reports
    title: str


def config_location(app: Sphinx, name: str) -> str:
    """``conf.py:LINE`` of the line that sets *name* (line 1 when conf.py does not set it, e.g. with ``-D``)."""
    # A location with a colon is printed as it is (a bare string would be taken for a docname).
    return assignment_location(app, name) or f"{Path(app.confdir) / 'conf.py'}:1"


def _years_wanted(app: Sphinx, years: list[str]) -> list[str]:
    """The years to print: ``shuzhi_pdf_year`` (a year or a list of years), or every year."""
    wanted = app.config.shuzhi_pdf_year
    if wanted in ("", None, [], ()):
        return years
    return [str(year) for year in (wanted if isinstance(wanted, (list, tuple)) else [wanted])]


def printed_year(record: ReportRecord) -> str | None:
    """The year whose compilation prints the report: its ``year`` field, or, when that is not a
    year (a finding of its own), the year of its folder; None for a report with neither.

    The year names the LaTeX file (:func:`target_name`): nothing else may reach it."""
    for year in (str(record.metadata.get("year", "")), record.docname.rpartition("/")[0].rpartition("/")[2]):
        if len(year) == 4 and year.isascii() and year.isdigit():
            return year
    return None


def compilations(app: Sphinx, env: BuildEnvironment, *, warn: bool = False) -> list[Compilation]:
    """One compilation per year printed (``shuzhi_pdf_year``; by default every year), oldest first."""
    by_year = [(year, record) for record in get_domain(env).sorted_reports() if (year := printed_year(record))]
    if not by_year:
        return []
    years = sorted({year for year, _ in by_year})
    found = []
    for year in _years_wanted(app, years):
        reports = tuple(record for of, record in by_year if of == year)
        title = f"{year}年度{app.config.project}"
        if not reports:
            if warn:
                logger.warning("shuzhi_pdf_year = %r：没有这一年度的述职报告（已有年度：%s）。",
                               year, "、".join(years), type="shuzhi", subtype=kinds.PDF_YEAR,
                               location=config_location(app, "shuzhi_pdf_year"))
            continue
        folders = sorted({record.docname.rpartition("/")[0] for record in reports})
        startdoc = f"{folders[0]}/index"
        if len(folders) > 1 or startdoc not in env.all_docs:
            if warn:
                logger.warning("%s年度的述职报告应当都在同一个目录中并有 index 页面（现在在：%s），"
                               "PDF 无法按年度编排。", year, "、".join(folders),
                               type="shuzhi", subtype=kinds.PDF_YEAR, location=reports[0].docname)
            continue
        found.append(Compilation(year, reports, startdoc, title))
    return found


def compilation(app: Sphinx, env: BuildEnvironment, startdoc: str | None = None) -> Compilation | None:
    """The compilation that starts at *startdoc* (the LaTeX document being assembled), or the newest."""
    found = compilations(app, env)
    if startdoc is not None:
        return next((item for item in found if item.startdoc == startdoc), None)
    return found[-1] if found else None


def target_name(stem: str, year: str) -> str:
    """The LaTeX (and PDF) file name of one year's compilation: ``dangjian-shuzhi-2023.tex``."""
    return f"{stem}-{year}.tex"


def set_latex_elements(app: Sphinx, config: Config) -> None:
    """``config-inited``: default ``latex_elements`` for the style (``shuzhi_pdf_style``),
    and ship the style file, loaded with the style as its option."""
    style = config.shuzhi_pdf_style
    defaults = {**LATEX_ELEMENTS, **(COMPACT_ELEMENTS if style == "compact" else {})}
    for key, value in defaults.items():
        config.latex_elements.setdefault(key, value)
    config.latex_additional_files = [*config.latex_additional_files, str(LATEX_DIR / f"{STYLE}.sty")]
    app.add_latex_package(STYLE, style)


def copy_fonts(app: Sphinx) -> None:
    """``builder-inited``: the Fandol fonts, with a ToUnicode-friendly character collection,
    into ``shuzhi-fonts/`` of the LaTeX output folder, where shuzhi.sty loads them (see :mod:`shuzhi.pdf.fonts`)."""
    if app.builder.format != "latex":
        return
    from . import fonts

    target = Path(app.outdir) / FONT_DIR
    for name in fonts.FANDOL:
        source = fonts.find(name)
        if source is None:
            if shutil.which("kpsewhich") is None:  # no TeX here: the .tex is for another machine
                logger.info("没有找到 TeX（kpsewhich），未复制 PDF 所需的字体 %s。", name)
                continue
            logger.warning("没有找到 PDF 所需的字体 %s（TeX Live 的 Fandol 字体）：请运行 .ci/bootstrap "
                           "安装 texlive-lang-chinese。", name, type="shuzhi", subtype=kinds.PDF_FONTS)
            continue
        fonts.derive(source, target / name)


def plan_compilation(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: one LaTeX document per year printed, in place of the ``root_doc`` entry;
    each year's cover data."""
    if app.builder.format != "latex":
        return []
    found = compilations(app, env, warn=True)
    if not found:  # no report with a year: the document is the site as Sphinx would print it
        return []
    documents = []
    for entry in app.config.latex_documents:
        if entry[0] != app.config.root_doc:
            documents.append(tuple(entry))
            continue
        stem = Path(entry[1]).stem
        for item in found:
            documents.append((item.startdoc, target_name(stem, item.year), item.title, entry[3], entry[4], True))
            write_data_file(app, item, target_name(stem, item.year))
    app.config.latex_documents = documents
    return []


def write_data_file(app: Sphinx, found: Compilation, target: str) -> None:
    """``<target>.def`` (shuzhi.sty reads ``\\jobname.def``): the cover's values for one year."""
    engine = app.config.latex_engine
    values = {
        "shuzhiCompilationTitle": escape(found.title, engine),
        "shuzhiProject": escape(app.config.project, engine),
        "shuzhiYear": escape(found.year, engine),
        "shuzhiReportCount": str(len(found.reports)),
        "shuzhiOrganisation": escape(app.config.shuzhi_organisation, engine),
        "shuzhiAppendixCount": str(len(app.config.latex_appendices) + bool(app.config.shuzhi_pdf_rating_form)),
    }
    text = "% Generated by the shuzhi extension at each build: the compilation's cover data.\n"
    text += "".join(f"\\def\\{name}{{{value}}}\n" for name, value in values.items())
    path = Path(app.outdir) / Path(target).with_suffix(".def").name  # not .tex: the Makefile compiles every *.tex
    if not path.is_file() or path.read_text(encoding="utf-8") != text:  # keep latexmk's timestamps
        path.write_text(text, encoding="utf-8")


#: TeX reads its input a line at a time into a buffer of 200000 bytes (buf_size) and stops
#: on a longer line, without naming the report. Text is written in lines of at most this many
#: characters (escaped, a character is at most about 20 bytes).
TEX_LINE = 2000
#: TeX holds a whole paragraph in its main memory before it breaks it into lines: a paragraph
#: of 240000 characters exhausts it. Body text is printed in paragraphs of at most this many.
TEX_PARAGRAPH = 10 * TEX_LINE
#: A heading is also set in the contents, the bookmarks and the running heads, where XeTeX takes
#: minutes over a few thousand characters: a longer one (never a real heading; a
#: shuzhi.long_line finding) is cut short in the PDF.
TEX_TITLE = LONG_HEADING
#: XeTeX crashes ("This can't happen", a segmentation fault) or hangs on a word wider than
#: its largest dimension, some two thousand Latin characters; a run of letters, digits or
#: signs without a space (a pasted code or address) is given a space every this many.
TEX_WORD = 200
_WORD = re.compile(r"[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]{%d,}" % (TEX_WORD + 1))
_BREAK_AFTER = "，。；：、！？,.;:!? \t"


def broken_words(text: str, separator: str = " ") -> str:
    """*text* with *separator* every :data:`TEX_WORD` characters of a longer run without a space.

    Chinese text has no spaces and needs none: xeCJK breaks lines between its characters.
    """
    if len(text) <= TEX_WORD:
        return text
    return _WORD.sub(lambda match: separator.join(match.group()[index:index + TEX_WORD]
                                                  for index in range(0, len(match.group()), TEX_WORD)), text)


def broken_lines(text: str, width: int = TEX_LINE, paragraph: int = 0) -> str:
    """*text* with a line break inserted wherever a line would be longer than *width*, and,
    with *paragraph*, a blank line (a new paragraph) every *paragraph* characters or so.

    A break goes after punctuation or a space near the limit when there is one. A line
    break is nothing between two Chinese characters (xeCJK) and a space between words, so
    the printed text is the same; in a code block it is a visible line break.
    """
    if len(text) <= width or all(len(line) <= width for line in text.split("\n")):
        return text
    out = []
    for line in text.split("\n"):
        length = 0
        while len(line) > width:
            cut = max(line.rfind(char, width // 2, width) for char in _BREAK_AFTER) + 1 or width
            out.append(line[:cut])
            line = line[cut:]
            length += cut
            if paragraph and length >= paragraph:
                out.append("")
                length = 0
        out.append(line)
    return "\n".join(out)


def break_long_lines(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``, LaTeX: no text makes a line, or a paragraph, longer than TeX can hold.

    Only a report's runaway line (a ``shuzhi.long_line`` finding) is that long: real
    paragraphs are printed as they are.
    """
    if app.builder.format != "latex":
        return
    for text in list(doctree.findall(nodes.Text)):
        if len(text) <= TEX_WORD or isinstance(text.parent, nodes.raw):
            continue
        value = str(text)
        if len(value) > TEX_TITLE and isinstance(text.parent, nodes.title):
            value = value[:TEX_TITLE] + "……"
        # In a code block a line break is the natural place; elsewhere a space.
        value = broken_words(value, "\n" if isinstance(text.parent, nodes.FixedTextElement) else " ")
        # New paragraphs only where a blank line is one: text directly in a paragraph of the body.
        body = isinstance(text.parent, nodes.paragraph) and not isinstance(text.parent.parent, nodes.entry)
        value = broken_lines(value, paragraph=TEX_PARAGRAPH if body else 0)
        if value != str(text):
            text.parent.replace(text, nodes.Text(value))


def raw_latex(text: str) -> nodes.raw:
    return nodes.raw("", text, format="latex")


def report_meta(record: ReportRecord, engine: str) -> nodes.raw:
    """``\\shuzhiReportMeta`` with 单位类型, 年度, 述职人 and 字数 of *record*."""
    items = [(label, record.metadata.get(key, "")) for label, key in REPORT_META]
    items.append(("字数", f"{record.length:,}"))
    body = "".join(rf"\shuzhiMetaItem{{{label}}}{{{escape(broken_lines(broken_words(value)), engine)}}}"
                   for label, value in items if value)
    return raw_latex(rf"\shuzhiReportMeta{{{body}}}" + "\n")


def structure_compilation(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``shuzhi-doctree-resolving``: front matter before the first report, metadata under each title.

    Runs on the document the LaTeX builder assembles from the compilation's start page
    (the year's index with its reports inlined). Connected with priority 400: before the
    listings (catalogue, 待补充 list, overview; default priority 500), so that those in
    the front matter get filled too; and, like every handler of the event, before
    Sphinx's ``ReferencesResolver``, so that the front matter gets its references
    resolved like every other page.
    """
    if app.builder.name != "latex":
        return
    found = compilation(app, app.env, docname)
    if found is None:
        return
    engine = app.config.latex_engine
    records = {record.docname: record for record in found.reports}
    chapters = [sof for sof in doctree.findall(addnodes.start_of_file) if sof["docname"] in records]
    for sof in chapters:
        section = next(iter(sof.findall(nodes.section)), None)
        if section is not None and isinstance(section[0], nodes.title):
            section.insert(1, report_meta(records[sof["docname"]], engine))
    if chapters:
        insert_front_matter(app, chapters[0])
        page_changed(doctree)  # the front matter's pages: their placeholders, their documents
    if app.config.shuzhi_pdf_rating_form:
        if not app.config.latex_appendices:
            doctree += raw_latex(r"\appendix" + "\n")
        doctree += raw_latex(rating_form(found, engine))


def rating_form(found: Compilation, engine: str) -> str:
    """The 民主测评表: a chapter with one row per report, boxes to tick, a line to sign."""
    rows = []
    for number, record in enumerate(found.reports, start=1):
        unit = record.metadata.get("unit") or record.title
        rows.append(rf"{number} & {escape(unit, engine)} & {escape(record.metadata.get('reporter', ''), engine)}"
                    r" & & & & \\[1.2ex] \hline")
    return "\n".join([
        r"\chapter{民主测评表}",
        rf"\noindent 对{escape(found.year, engine)}年度抓基层党建工作述职的评价（在相应格内画“√”）：\par\medskip",
        r"\begin{longtable}{|c|p{0.34\linewidth}|p{0.2\linewidth}|*{4}{>{\centering\arraybackslash}p{2.6em}|}}",
        r"\hline 序号 & 单位 & 述职人 & 好 & 较好 & 一般 & 差 \\ \hline\endhead",
        *rows,
        r"\end{longtable}",
        r"\vskip 3em\noindent 测评人签名：\underline{\hspace{12em}}\hfill"
        r" 日期：\underline{\hspace{4em}}年\underline{\hspace{2em}}月\underline{\hspace{2em}}日\par",
        "",
    ])


def insert_front_matter(app: Sphinx, first: addnodes.start_of_file) -> None:
    builder = app.builder
    inserted = []
    for docname in app.config.shuzhi_pdf_front_matter:
        if docname not in app.env.all_docs:
            logger.warning("shuzhi_pdf_front_matter 中的页面 %r 不存在。", docname,
                           type="shuzhi", subtype=kinds.PDF_FRONT_MATTER,
                           location=config_location(app, "shuzhi_pdf_front_matter"))
            continue
        tree = app.env.get_doctree(docname)
        process_only_nodes(tree, builder.tags)
        tree = inline_all_toctrees(builder, builder.docnames, docname, tree, str, [docname])
        sof = addnodes.start_of_file(docname=docname)
        sof.children = tree.children
        for child in sof.children:
            child.parent = sof
        for section in sof.findall(nodes.section):
            section.setdefault("docname", docname)
        builder.docnames.add(docname)
        inserted.append(sof)
    if inserted:
        parent = first.parent
        index = parent.index(first)
        parent[index:index] = [raw_latex(r"\shuzhiFrontMatter" + "\n"), *inserted,
                               raw_latex(r"\shuzhiMainMatter" + "\n")]


def setup(app: Sphinx) -> None:
    # After config.validate (priority 100), which checks shuzhi_pdf_style.
    app.connect("config-inited", set_latex_elements)
    app.connect("builder-inited", copy_fonts)
    app.connect("env-updated", plan_compilation)
    app.connect(EVENT, structure_compilation, priority=400)
    app.connect("doctree-resolved", break_long_lines)
