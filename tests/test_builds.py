"""The tests' own message parser (builds.messages): what every build test reads its findings with."""

from __future__ import annotations

from pathlib import Path

from builds import Message, messages, shuzhi_warnings

SRC = Path("/tmp/site")


def test_a_located_typed_warning_relative_to_the_source_folder() -> None:
    text = "/tmp/site/reports/2023/01-a.md:28: WARNING: “问题”部分应写在“打算”部分之前。 [shuzhi.part_order]\n"
    assert messages(text, SRC) == [Message("reports/2023/01-a.md", 28, "WARNING", "shuzhi.part_order",
                                           "“问题”部分应写在“打算”部分之前。",
                                           "“问题”部分应写在“打算”部分之前。 [shuzhi.part_order]")]
    assert shuzhi_warnings(text, SRC) == [("reports/2023/01-a.md", 28, "part_order", "“问题”部分应写在“打算”部分之前。")]


def test_unlocated_untyped_and_outside_messages() -> None:
    text = ("WARNING: 配置项 shuzhi_report_parts 无效。 [shuzhi.config]\n"
            "/tmp/site/index.md: ERROR: Unknown directive type.\n"
            "/elsewhere/glossary.yaml:3: WARNING: 术语重复。 [shuzhi.glossary-duplicate]\n")
    assert [(m.path, m.line, m.level, m.type, m.text) for m in messages(text, SRC)] == [
        ("", 0, "WARNING", "shuzhi.config", "配置项 shuzhi_report_parts 无效。"),
        ("index.md", 0, "ERROR", "", "Unknown directive type."),
        ("/elsewhere/glossary.yaml", 3, "WARNING", "shuzhi.glossary-duplicate", "术语重复。"),
    ]


def test_a_message_of_several_lines_ends_at_its_type() -> None:
    # Sphinx puts the type after the whole message; a summary printed after it is not the message's,
    # and a quoted line that ends in brackets does not end it.
    text = ("/tmp/site/reports/a.md:5: WARNING: 代码块无法解析：\n"
            "  见 [附件]\n"
            "  第二行 [shuzhi.raw-html]\n"
            "检查 1 篇报告，用时 0.6 秒。\n")
    (found,) = messages(text, SRC)
    assert (found.path, found.line, found.type, found.text) == ("reports/a.md", 5, "shuzhi.raw-html", "代码块无法解析：")
    assert found.record == "代码块无法解析：\n  见 [附件]\n  第二行 [shuzhi.raw-html]"
    assert found.located() == "reports/a.md:5: WARNING: 代码块无法解析： [shuzhi.raw-html]"


def test_other_lines_are_not_messages() -> None:
    text = "building [html]: targets for 2 source files\nbuild succeeded, 1 warning.\n\nThe HTML pages are in out.\n"
    assert messages(text, SRC) == []
