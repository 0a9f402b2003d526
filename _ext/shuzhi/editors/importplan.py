"""Plan an import, then write it: nothing is written until the whole plan is valid, and no
existing file is replaced unless the editor asks (``--replace``), with a backup.

The plan lists every page the import would write (year, position, unit kind, title,
sentence count, target file and what happens to it). A report whose text is already a
page of its year (the same body, whatever its front matter) is recognised and not written
again; a different report never takes an occupied position: it gets the next free
position of its year.
"""

from __future__ import annotations

import datetime
import difflib
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..report import frontmatter, watermarks
from . import importer
from .importer import Compilation, ImportedReport, ImportError_, Options

_NUMBERED = re.compile(r"^([0-9]+)-")
_WHITE = re.compile(r"\s+")
#: Where replaced files are kept, relative to the folder above the report folder.
BACKUP_DIR = Path("_build") / "import-backup"

ACTIONS = {"new": "新建", "replace": "替换", "skip": "已导入过，跳过", "index": "新建年度目录页",
           "index-replace": "年度目录页追加编者按"}


@dataclass
class PlannedPage:
    path: Path
    text: str
    action: str  # a key of ACTIONS
    report: ImportedReport | None = None
    source: Path | None = None
    existing: str | None = None  # the text replaced
    note: str = ""


@dataclass
class Plan:
    compilations: list[Compilation] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    pages: list[PlannedPage] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "file: message"; any error: nothing is written

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass
class _Existing:
    path: Path
    position: int | None
    title: str
    body: str  # white space removed, front matter left out


def _body(text: str) -> str:
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        closing = next((index for index in range(1, len(lines)) if lines[index].strip() in ("---", "...")), None)
        if closing is not None:
            lines = lines[closing + 1:]
    return _WHITE.sub("", "\n".join(lines))


def _existing(folder: Path) -> list[_Existing]:
    found = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.md")):
        if path.stem == "index":
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            text = ""
        position = int(match.group(1)) if (match := _NUMBERED.match(path.name)) else None
        title = ""
        if text:
            front, _ = frontmatter.read(text, path.stem)
            if (field_ := front.fields.get("position")) is not None and str(field_.value).strip().isdigit():
                value = int(str(field_.value).strip())
                position = value if position is None else position
            if (field_ := front.fields.get("title")) is not None:
                title = str(field_.value)
        found.append(_Existing(path, position, title, _body(text)))
    return found


def _used_positions(folder: Path, existing: list[_Existing]) -> set[int]:
    used = {item.position for item in existing if item.position is not None}
    for path in folder.glob("*.md") if folder.is_dir() else ():
        if match := _NUMBERED.match(path.name):
            used.add(int(match.group(1)))
        try:
            front, _ = frontmatter.read(path.read_text(encoding="utf-8-sig"), path.stem)
        except (OSError, UnicodeDecodeError):
            continue
        if (value := front.fields.get("position")) is not None and str(value.value).strip().isdigit():
            used.add(int(str(value.value).strip()))
    return used


def make_plan(files: Sequence[Path], out_dir: Path, *, patterns: Sequence[str] = watermarks.DEFAULT_PATTERNS,
              source_label: str | None = None, options: Options | None = None, replace: bool = False,
              convert: bool = False) -> Plan:
    """What importing *files* into *out_dir* would write; errors instead where it cannot be faithful."""
    options = options or Options()
    plan = Plan()
    existing: dict[int, list[_Existing]] = {}
    used: dict[int, set[int]] = {}
    planned_bodies: dict[int, dict[str, Path]] = {}
    planned_paths: set[Path] = set()
    for source_path in files:
        source_path = Path(source_path)
        try:
            comp = importer.read_compilation(source_path, patterns=patterns, options=options, convert=convert)
            pages = _plan_one(comp, source_path, out_dir, patterns=patterns, label=source_label or source_path.name,
                              options=options, replace=replace, existing=existing, used=used,
                              planned_bodies=planned_bodies, planned_paths=planned_paths)
        except ImportError_ as error:
            plan.errors.append(f"{source_path}: 错误：{error}")
            continue
        plan.compilations.append(comp)
        plan.files.append(source_path)
        plan.pages += pages
    return plan


def _plan_one(comp: Compilation, source_path: Path, out_dir: Path, *, patterns, label: str, options: Options,
              replace: bool, existing, used, planned_bodies, planned_paths) -> list[PlannedPage]:
    missing = importer.unaccounted(comp)
    if missing:
        raise ImportError_(f"{importer.line_ranges(missing)}没有放进任何一篇报告，导入工具无法确定它们属于哪里。"
                           "未写入任何文件。请检查这些行（例如删去多余的行，或给报告加上标题）后重试。")
    pages: list[PlannedPage] = []
    markdowns = []
    for report in comp.reports:
        ordinal = report.position
        source = f"《{comp.title}》第{ordinal}篇（{label}），已去除分享网站水印"
        if report.original_title:
            source += f"；原标题“{report.original_title[1]}”"
        importer.guess_metadata(report, source, options)
        year = int(report.metadata["year"])
        folder = out_dir / str(year)
        if year not in existing:
            existing[year] = _existing(folder)
            used[year] = _used_positions(folder, existing[year])
            planned_bodies[year] = {}
        body = _body(importer.render(report))
        same = next((item for item in existing[year] if item.body == body), None)
        if same is not None or body in planned_bodies[year]:
            where = same.path if same is not None else planned_bodies[year][body]
            page = PlannedPage(where, "", "skip", report, source_path,
                               note=f"与 {where} 的正文完全相同（同一篇报告导入过），不再写入")
            report.position = same.position if same is not None and same.position else report.position
            report.metadata["position"] = report.position  # the plan names the page's own position
            pages.append(page)
            markdowns.append(importer.render(report))
            continue
        target: _Existing | None = None
        if options.position is not None:
            position = options.position
            if position < 1:
                raise ImportError_(f"--position 应是正整数，现在是 {position}。")
            target = next((item for item in existing[year] if item.position == position), None)
            if position in used[year] and target is None:
                raise ImportError_(f"{year}年度的顺序 {position} 已在本次导入中使用。")
            if target is not None and not replace:
                raise ImportError_(f"{year}年度的顺序 {position} 已被 {target.path} 占用，未写入任何文件。"
                                   "如要用这篇报告替换它，请加 --replace（旧文件会备份）；否则去掉 --position，"
                                   "导入工具会用该年度下一个空闲的顺序。")
        else:
            namesake = next((item for item in existing[year] if item.title == report.title), None)
            if replace and namesake is not None:
                target = namesake
                position = namesake.position or max(used[year], default=0) + 1
            else:
                position = max(used[year], default=0) + 1
                if namesake is not None:
                    comp.notes.append(f"“{report.title}”：{namesake.path} 已有同名报告（正文不同），这篇作为新的一篇写入"
                                      f"（顺序 {position}）。如果这是修订稿，请改用 --replace 替换原来的一篇。")
        report.position = position
        report.metadata["position"] = position
        markdown = importer.render(report)
        importer.check_fidelity(report, markdown)
        markdowns.append(markdown)
        if target is not None:
            path = target.path
            pages.append(PlannedPage(path, markdown, "replace", report, source_path,
                                     existing=path.read_text(encoding="utf-8-sig")))
        else:
            path = folder / importer.page_name(report)
            if path.exists() or path in planned_paths:
                raise ImportError_(f"{path} 已存在，未覆盖。")
            pages.append(PlannedPage(path, markdown, "new", report, source_path))
        used[year].add(position)
        planned_paths.add(path)
        planned_bodies[year][body] = path
    years = list(dict.fromkeys(int(report.metadata["year"]) for report in comp.reports))
    if comp.preface and not options.preface:
        raise ImportError_(
            f"{importer.line_ranges([number for number, _ in comp.preface])}不属于任何一篇报告"
            f"（“{comp.preface[0][1][:30]}”，像是汇编的编者按或说明）。未写入任何文件。"
            f"请加 --preface 把它们写入 {out_dir / str(years[0]) / 'index.md'}（该年度的目录页，报告列表之前），"
            "或从文件中删去这些行后重试。")
    preface = importer.preface_text(comp) if comp.preface else None
    importer.check_whole_source(comp, markdowns, patterns, preface)
    for year in years:
        index = out_dir / str(year) / "index.md"
        if index in planned_paths:
            continue
        text_of_preface = preface if (preface and year == years[0]) else ""
        if not index.exists():
            text = importer.YEAR_INDEX.format(year=year)
            if text_of_preface:
                head, _, rest = text.partition("\n\n")
                text = f"{head}\n\n{text_of_preface}{rest}"
            pages.append(PlannedPage(index, text, "index", None, source_path))
            planned_paths.add(index)
        elif text_of_preface:
            if not replace:
                raise ImportError_(f"{index} 已存在：编者按（{importer.line_ranges([n for n, _ in comp.preface])}）"
                                   "要写入它，需要改动这个文件。请加 --replace（旧文件会备份），或把编者按手工加到该页。")
            old = index.read_text(encoding="utf-8-sig")
            marker = "```{toctree}"
            text = old.replace(marker, text_of_preface + marker, 1) if marker in old else old + "\n" + text_of_preface
            pages.append(PlannedPage(index, text, "index-replace", None, source_path, existing=old))
            planned_paths.add(index)
    return pages


# --------------------------------------------------------------------------- showing and writing


def describe(plan: Plan) -> list[str]:
    """The plan, one line per page, then what changes in each replaced file."""
    out = []
    for page in plan.pages:
        report = page.report
        if report is None:
            out.append(f"计划：{page.path}（{ACTIONS[page.action]}）")
            continue
        meta = report.metadata
        title = str(meta.get("title", report.title))
        out.append(f"计划：{meta.get('year')}年度 第{int(meta.get('position', report.position)):02d}篇 {meta.get('unit_kind')} "
                   f"“{title}” {report.sentences()}句 → {page.path}（{ACTIONS[page.action]}）")
        if page.note:
            out.append(f"      {page.note}")
    for page in plan.pages:
        if page.existing is None:
            continue
        diff = list(difflib.unified_diff(page.existing.split("\n"), page.text.split("\n"),
                                         f"{page.path}（原文件）", f"{page.path}（导入后）", lineterm="", n=1))
        added = sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))
        removed = sum(1 for line in diff if line.startswith("-") and not line.startswith("---"))
        out.append(f"替换 {page.path}：增加 {added} 行，删除 {removed} 行：")
        out += ["  " + line for line in diff[:60]]
        if len(diff) > 60:
            out.append(f"  ……（另有 {len(diff) - 60} 行差异）")
    return out


def backup_root(out_dir: Path) -> Path:
    return out_dir.resolve().parent / BACKUP_DIR / datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def write(plan: Plan, out_dir: Path) -> list[str]:
    """Write a valid plan; return what was done, one line each. Replaced files are copied first."""
    if not plan.valid:
        raise ValueError("an invalid plan is never written")
    done = []
    backups = backup_root(out_dir)
    for page in plan.pages:
        if page.action == "skip":
            continue
        page.path.parent.mkdir(parents=True, exist_ok=True)
        if page.action in ("replace", "index-replace"):
            try:
                relative = page.path.resolve().relative_to(out_dir.resolve().parent)
            except ValueError:
                relative = Path(page.path.name)
            copy = backups / relative
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(page.path, copy)
            page.path.write_text(page.text, encoding="utf-8")
            done.append(f"已替换 {page.path}（原文件已备份为 {copy}）")
            continue
        with page.path.open("x", encoding="utf-8") as file:  # never overwrite
            file.write(page.text)
        done.append(f"已写入 {page.path}")
    return done
