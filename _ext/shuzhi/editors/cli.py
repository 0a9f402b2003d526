"""Command line for editors: ``python -m shuzhi import|new|check|check-tools|publish|csp …``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..report import watermarks
from . import argparse_zh, check_tools as tools, importer, release


def _cmd_import(args: argparse.Namespace) -> int:
    from . import importplan

    out = Path(args.out)
    options = importer.Options(year=args.year, unit_kind=args.unit_kind, title=args.title,
                               position=args.position, preface=args.preface)
    if args.unit_kind is not None:
        from . import check as checking
        from ..build.config import report_schema

        kinds = report_schema(checking.load_site(checking.find_root(out.resolve().parent)).config).unit_kinds
        if args.unit_kind not in kinds:
            print(f"错误：“{args.unit_kind}”不是允许的单位类型。请从 {'、'.join(kinds)} 中选一个。", file=sys.stderr)
            return 1
    plan = importplan.make_plan([Path(name) for name in args.files], out, source_label=args.source_label,
                                patterns=(*watermarks.DEFAULT_PATTERNS, *args.watermark), options=options,
                                replace=args.replace, convert=args.convert)
    for comp, source in zip(plan.compilations, plan.files):
        encoding = comp.source.encoding if comp.source else ""
        print(f"{source}: 读取为 {encoding}，{len(comp.reports)} 篇报告")
        for removal in comp.removals:
            print(f"{source}:{removal.line}:{removal.column}: 已删除{removal.what} {removal.text!r}")
        for line, what in sorted(comp.accounted.items()):
            print(f"{source}:{line}: 不写入报告页面：{what}")
        if options.preface:
            for line, _ in comp.preface:
                print(f"{source}:{line}: 编者按，写入年度目录页")
        for number, label in sorted(comp.source.numbering.items()) if comp.source else ():
            print(f"{source}:{number}: Word 自动编号“{label}”已写入正文")
        for note in comp.notes:
            print(f"{source}: 注意：{note}")
    for line in importplan.describe(plan):
        print(line)
    if not plan.valid:
        for error in plan.errors:
            print(error, file=sys.stderr)
        print("导入计划有错误：未写入任何文件。", file=sys.stderr)
        return 1
    if args.dry_run:
        print("（试运行）以上是导入计划，未写入任何文件。")
        return 0
    for line in importplan.write(plan, out):
        print(line)
    for comp in plan.compilations:
        for report in comp.reports:
            if report.guessed:
                print(f"请核实“{report.title}”的推断字段：{', '.join(report.guessed)}")
    return 0


def _cmd_new(args: argparse.Namespace) -> int:
    from . import check as checking, newreport
    from ..build.config import report_schema

    site = checking.load_site(Path(args.root) if args.root else checking.find_root(Path.cwd()))
    try:
        out = Path(args.out) if args.out else site.root / site.config.shuzhi_report_dirs[0]
        path, index = newreport.create(out, report_schema(site.config), title=args.title,
                                       year=args.year, unit_kind=args.unit_kind, reporter=args.reporter,
                                       source=args.source, position=args.position, unit=args.unit)
    except newreport.NewReportError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    if index is not None:
        print(f"已写入 {index}（{args.year}年度的目录页）")
    print(f"已写入 {path}：请把各处“（请填写：……）”和 XX 换成实际内容，然后运行 check 检查。")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from . import check as checking

    return checking.run(args.files, args.root, quiet=args.quiet)


def _cmd_check_tools(args: argparse.Namespace) -> int:
    return tools.check(Path(args.root))


def _newest_year(reports: Path) -> str:
    years = sorted(path.name for path in reports.iterdir() if path.is_dir() and path.name.isdigit()) if reports.is_dir() else []
    if not years:
        raise release.ReleaseError(f"{reports} 下没有年度目录：请用 --year 指定年度。")
    return years[-1]


def _cmd_publish(args: argparse.Namespace) -> int:
    try:
        root = Path(args.root)
        year = args.year or _newest_year(root / "reports")
        # Every year's compilation (dangjian-shuzhi-<year>.pdf) must be in the site.
        years = sorted(path.name for path in (root / "reports").iterdir() if path.is_dir() and path.name.isdigit())
        required = args.require or [f"dangjian-shuzhi-{each}.pdf" for each in years]
        archive = release.pack(Path(args.html), Path(args.out), release.source_of(root), year,
                               require=tuple(required))
    except release.ReleaseError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    size = archive.stat().st_size
    print(f"已生成 {archive}（{size / 1024 / 1024:.1f} MB）")
    return 0


def _cmd_csp(args: argparse.Namespace) -> int:
    from ..html import csp

    try:
        text = csp.nginx_include(Path(args.html))
    except (csp.CspError, OSError) as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    if args.check:
        current = Path(args.check).read_text(encoding="utf-8") if Path(args.check).is_file() else ""
        if current != text:
            print(f"错误：{args.check} 与 {args.html} 中网站的内联脚本不符（主题或图表扩展升级后会这样）。"
                  f"请运行 `{csp.COMMAND}` 更新它，并在部署新版本时把它复制到服务器、重新加载 nginx。",
                  file=sys.stderr)
            return 1
        print(f"{args.check} 与网站相符。")
    elif args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"已写入 {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    # argparse's own words too ("usage:", "options", its errors): argparse_zh.
    with argparse_zh.chinese():
        args = _parser().parse_args(argv)
    return {"import": _cmd_import, "new": _cmd_new, "check": _cmd_check, "check-tools": _cmd_check_tools,
            "publish": _cmd_publish, "csp": _cmd_csp}[args.command](args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="shuzhi", description="述职报告汇编：编辑工具",
                                     formatter_class=argparse_zh.HelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="命令", required=True)
    imp = commands.add_parser("import", help="把文本汇编导入为 reports/ 下的 MyST 页面")
    imp.add_argument("files", nargs="+", help="文本（.txt，UTF-8、GBK/GB18030 或 UTF-16）、Markdown（.md）或 Word（.docx）文件")
    imp.add_argument("--watermark", action="append", default=[], metavar="正则",
                     help="另外要删除的水印或广告（正则表达式，可重复）；默认已包含常见的文库水印")
    imp.add_argument("--out", default="reports", help="输出目录（默认 reports）")
    imp.add_argument("--source-label", help="写入 source 字段的来源说明（默认用文件名）")
    imp.add_argument("--dry-run", action="store_true", help="只列出导入计划，不写文件")
    imp.add_argument("--year", type=int, help="年度（四位数字）；默认取标题或正文中的年份")
    imp.add_argument("--unit-kind", help="单位类型，例如 街道；默认由标题、述职人一行或正文推断")
    imp.add_argument("--title", help="报告标题（只导入一篇时）；原文第一行不是标题时必须给出")
    imp.add_argument("--position", type=int, help="在该年度中的顺序（只导入一篇时）；默认用该年度下一个空闲的顺序")
    imp.add_argument("--replace", action="store_true",
                     help="允许替换已有的文件（同名报告的修订稿、--position 指定的顺序、追加编者按的年度目录页）；"
                          "先列出改动，旧文件备份到 _build/import-backup/")
    imp.add_argument("--preface", action="store_true",
                     help="把汇编中不属于任何一篇报告的编者按、说明写入该年度的目录页（index.md）")
    imp.add_argument("--convert", action="store_true",
                     help="用 LibreOffice（soffice --headless）把 .doc、.wps、PDF 等先转换为 .docx 再导入")
    new = commands.add_parser("new", help="用模板新建一篇报告（含元数据和必需的各部分）")
    new.add_argument("--year", required=True, help="年度，四位数字，例如 2024")
    new.add_argument("--unit-kind", required=True, help="单位类型，例如 社区（见 conf.py 的 shuzhi_unit_kinds）")
    new.add_argument("--title", required=True, help="报告标题，例如 \"2024年度**社区党委书记抓基层党建工作述职报告\"")
    new.add_argument("--reporter", help="述职人（默认 党组织书记）")
    new.add_argument("--source", help="来源说明（默认“<日期>用模板新建”）")
    new.add_argument("--unit", help="单位名称（可选；同一单位各年度写法相同，用于链接其历年报告），例如 \"**社区党委\"")
    new.add_argument("--position", type=int, help="在汇编中的顺序（默认该年度已有的最大序号加 1）")
    new.add_argument("--out", help="报告目录（默认网站根目录下的 reports）")
    new.add_argument("--root", help="网站根目录（有 conf.py 的目录；默认从当前目录向上查找）")
    chk = commands.add_parser("check", help="不构建网站，按构建的规则检查报告")
    chk.add_argument("files", nargs="*", help="要检查的报告（默认 reports/ 下的全部报告）")
    chk.add_argument("--root", help="网站根目录（有 conf.py 的目录；默认从文件或当前目录向上查找）")
    chk.add_argument("-q", "--quiet", action="store_true", help="只列出警告，不列出占位符和概念")
    tools_cmd = commands.add_parser("check-tools", help="检查构建 PDF 和图表所需的程序是否已安装")
    tools_cmd.add_argument("--root", default=".", help="项目根目录（默认当前目录）")
    pub = commands.add_parser("publish", help="把构建好的网站（含 PDF）打包为可复现的发布包")
    pub.add_argument("--html", default="_build/html", help="网站目录（默认 _build/html）")
    pub.add_argument("--out", default="_build/release", help="发布包输出目录（默认 _build/release）")
    pub.add_argument("--year", help="汇编年度（默认 reports/ 下最新的年度）")
    pub.add_argument("--root", default=".", help="项目根目录（git 仓库，默认当前目录）")
    pub.add_argument("--require", action="append", default=[], metavar="文件",
                     help="网站中必须有的文件（默认 reports/ 下每个年度的 dangjian-shuzhi-<年度>.pdf）")
    csp_cmd = commands.add_parser("csp", help="由构建好的网站生成 nginx 的内容安全策略（Content-Security-Policy）")
    csp_cmd.add_argument("--html", default="_build/html", help="网站目录（默认 _build/html）")
    target = csp_cmd.add_mutually_exclusive_group()
    target.add_argument("--out", metavar="文件", help="写入的文件，如 docs/nginx/dangjian-csp.conf（默认输出到屏幕）")
    target.add_argument("--check", metavar="文件", help="只检查该文件是否与网站相符，不相符时返回 1")
    for command in commands.choices.values():
        command.formatter_class = argparse_zh.HelpFormatter
    return parser
