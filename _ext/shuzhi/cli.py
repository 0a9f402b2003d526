"""Command line for editors: ``python -m shuzhi import FILE…``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import importer, release, tools, watermarks


def _cmd_import(args: argparse.Namespace) -> int:
    status = 0
    for source in args.files:
        try:
            compilation, pages = importer.import_compilation(
                Path(source), Path(args.out), source_label=args.source_label,
                patterns=(*watermarks.DEFAULT_PATTERNS, *args.watermark),
            )
        except (importer.ImportError_, OSError) as error:
            print(f"{source}: 错误：{error}", file=sys.stderr)
            status = 1
            continue
        for removal in compilation.removals:
            print(f"{source}:{removal.line}:{removal.column}: 已删除水印 {removal.text!r}")
        for path, text in pages.items():
            if args.dry_run:
                print(f"（试运行）将写入 {path}")
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"已写入 {path}")
        for report in compilation.reports:
            if report.guessed:
                print(f"请核实第 {report.position} 篇“{report.title}”的推断字段：{', '.join(report.guessed)}")
    return status


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
        archive = release.pack(Path(args.html), Path(args.out), release.source_of(root), year,
                               require=tuple(args.require))
    except release.ReleaseError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    size = archive.stat().st_size
    print(f"已生成 {archive}（{size / 1024 / 1024:.1f} MB）")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="shuzhi", description="述职报告汇编：编辑工具")
    commands = parser.add_subparsers(dest="command", required=True)
    imp = commands.add_parser("import", help="把文本汇编导入为 reports/ 下的 MyST 页面")
    imp.add_argument("files", nargs="+", help="UTF-8 文本（.txt）、Markdown（.md）或 Word（.docx）文件")
    imp.add_argument("--watermark", action="append", default=[], metavar="正则",
                     help="另外要删除的水印或广告（正则表达式，可重复）；默认已包含常见的文库水印")
    imp.add_argument("--out", default="reports", help="输出目录（默认 reports）")
    imp.add_argument("--source-label", help="写入 source 字段的来源说明（默认用文件名）")
    imp.add_argument("--dry-run", action="store_true", help="只检查，不写文件")
    tools_cmd = commands.add_parser("check-tools", help="检查构建 PDF 和图表所需的程序是否已安装")
    tools_cmd.add_argument("--root", default=".", help="项目根目录（默认当前目录）")
    pub = commands.add_parser("publish", help="把构建好的网站（含 PDF）打包为可复现的发布包")
    pub.add_argument("--html", default="_build/html", help="网站目录（默认 _build/html）")
    pub.add_argument("--out", default="_build/release", help="发布包输出目录（默认 _build/release）")
    pub.add_argument("--year", help="汇编年度（默认 reports/ 下最新的年度）")
    pub.add_argument("--root", default=".", help="项目根目录（git 仓库，默认当前目录）")
    pub.add_argument("--require", action="append", default=["dangjian-shuzhi.pdf"], metavar="文件",
                     help="网站中必须有的文件（默认 dangjian-shuzhi.pdf）")
    args = parser.parse_args(argv)
    return {"import": _cmd_import, "check-tools": _cmd_check_tools, "publish": _cmd_publish}[args.command](args)
