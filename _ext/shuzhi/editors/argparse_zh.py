"""argparse's own messages in Chinese: "usage:", "options", the help option, the errors.

argparse looks up every message it prints through gettext: ``_()`` and ``ngettext()``, bound
in its module. :func:`chinese` binds them, for the duration of a ``with`` block, to
:data:`TRANSLATIONS`, a gettext translations object holding the messages a user of a command
line can see (as a ``.po`` catalogue would); any other message (argparse's errors about a
program's own mistakes, or messages of a newer Python) stays as it is.
"""

from __future__ import annotations

import argparse
import contextlib
import gettext
import unicodedata
from collections.abc import Iterable, Iterator

#: msgid → msgstr. Headings keep argparse's ASCII colon, which Python 3.11 and 3.12 add
#: outside gettext; "%(heading)s:" (3.13) is therefore not translated either.
MESSAGES: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "subcommands": "子命令",
    "show this help message and exit": "显示此帮助信息并退出",
    "show program's version number and exit": "显示程序的版本号并退出",
    " (default: %(default)s)": "（默认：%(default)s）",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "%(prog)s: warning: %(message)s\n": "%(prog)s：警告：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "必须给出以下参数之一：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多需要一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "有歧义的选项：%(option)s 可以是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "忽略了多余的值 %r",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "argument '%(argument_name)s' is deprecated": "参数“%(argument_name)s”已弃用",
    "option '%(option)s' is deprecated": "选项“%(option)s”已弃用",
    "command '%(parser_name)s' is deprecated": "命令“%(parser_name)s”已弃用",
}
#: (msgid, msgid_plural) → msgstr: Chinese has one form for every number.
PLURALS: dict[tuple[str, str], str] = {
    ("expected %s argument", "expected %s arguments"): "需要 %s 个值",
}


class Translations(gettext.NullTranslations):
    """gettext's translations interface over :data:`MESSAGES` and :data:`PLURALS`."""

    def gettext(self, message: str) -> str:
        return MESSAGES.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return PLURALS.get((msgid1, msgid2)) or (msgid1 if n == 1 else msgid2)


TRANSLATIONS = Translations()


def _columns(text: str) -> int:
    """Width of *text* on a terminal: wide (CJK) characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, with a wrapped usage lined up under a Chinese prefix.

    argparse indents the continuation lines of a long usage by ``len(prefix)``: "用法：" is
    three characters but six columns, so the formatting is done with a prefix of spaces as
    wide as the real one, which then takes its place.
    """

    def _format_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                      groups: Iterable[argparse._MutuallyExclusiveGroup], prefix: str | None) -> str:
        if prefix is None:
            prefix = argparse._("usage: ")  # type: ignore[attr-defined]
        blank = " " * _columns(prefix)
        return prefix + super()._format_usage(usage, actions, groups, blank)[len(blank):]


@contextlib.contextmanager
def chinese() -> Iterator[None]:
    """Within the block, argparse builds parsers, formats help and reports errors in Chinese."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = TRANSLATIONS.gettext, TRANSLATIONS.ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]
