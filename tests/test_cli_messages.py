"""The ``shuzhi`` command speaks Chinese, argparse's own words included: usage, headings, errors."""

from __future__ import annotations

import argparse
import gettext

import pytest

from shuzhi.editors import argparse_zh, cli

COMMANDS = "'import', 'new', 'check', 'check-tools', 'publish', 'csp'"


def run(capsys, monkeypatch, *argv: str) -> tuple[int, str, str]:
    """Exit status, standard output and standard error of ``shuzhi *argv`` (80 columns)."""
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit) as stop:
        cli.main(list(argv))
    captured = capsys.readouterr()
    return stop.value.code, captured.out, captured.err


def test_help_is_in_chinese(capsys, monkeypatch) -> None:
    status, out, _ = run(capsys, monkeypatch, "--help")
    assert status == 0
    assert out.startswith("用法：shuzhi [-h] 命令 ...\n")
    assert "\n位置参数:\n  命令\n" in out
    assert "\n选项:\n  -h, --help " in out and "显示此帮助信息并退出\n" in out
    for english in ("usage:", "positional arguments", "options:", "show this help message"):
        assert english not in out


def test_a_missing_command_is_named(capsys, monkeypatch) -> None:
    status, out, err = run(capsys, monkeypatch)
    assert status == 2 and out == ""
    assert err == "用法：shuzhi [-h] 命令 ...\nshuzhi：错误：缺少必需的参数：命令\n"


def test_an_unknown_command_lists_the_commands(capsys, monkeypatch) -> None:
    status, _, err = run(capsys, monkeypatch, "chek")
    assert status == 2
    assert err.endswith(f"shuzhi：错误：参数 命令：无效的选择：'chek'（可选：{COMMANDS}）\n")


@pytest.mark.parametrize(("argv", "message"), [
    (["new", "--year", "2024"], "shuzhi new：错误：缺少必需的参数：--unit-kind, --title"),
    (["check", "--root"], "shuzhi check：错误：参数 --root：需要一个值"),
    (["new", "--year", "2024", "--unit-kind", "社区", "--title", "标题", "--position", "六"],
     "shuzhi new：错误：参数 --position：无效的 int 值：'六'"),
    (["check", "--bogus"], "shuzhi：错误：无法识别的参数：--bogus"),
])
def test_argparse_errors_are_in_chinese(capsys, monkeypatch, argv: list[str], message: str) -> None:
    status, _, err = run(capsys, monkeypatch, *argv)
    assert status == 2
    assert err.startswith("用法：shuzhi ")
    assert err.endswith(message + "\n")


def test_a_wrapped_usage_lines_up_under_its_first_line(capsys, monkeypatch) -> None:
    """argparse counts characters; "用法：" is three characters but six columns wide."""
    _, out, _ = run(capsys, monkeypatch, "new", "--help")
    first, second = out.split("\n")[:2]
    assert first.startswith("用法：shuzhi new [-h] --year YEAR")
    # The options start in column 17 on both lines: 6 for "用法：", 11 for "shuzhi new ".
    assert second.startswith(" " * 17 + "[--")


def test_other_parsers_are_left_in_english(capsys, monkeypatch) -> None:
    run(capsys, monkeypatch, "--help")
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]
    assert "usage:" in argparse.ArgumentParser(prog="other").format_usage()
    assert argparse_zh.TRANSLATIONS.gettext("usage: ") == "用法："
