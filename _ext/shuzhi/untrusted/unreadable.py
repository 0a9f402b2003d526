"""Source files that Sphinx cannot read, or must not: reported, left out, never a crash.

Sphinx decodes every source file strictly (``Path.read_text``): one binary
file or a GBK-encoded report named ``.md`` stops the whole build with a
traceback. Before reading, each file to read is decoded here; one that fails
is reported (``shuzhi.encoding``, at the line of the first bad byte) and
removed from the project for this build, so every other page is built.
A report that is a symlink to a file outside the report folders is left out
the same way (``shuzhi.outside_file``): building it would publish that file.
"""

from __future__ import annotations

import codecs
from typing import TYPE_CHECKING

from sphinx.util import logging

from ..build.config import is_report
from ..report import kinds
from . import files

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

_BINARY_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")


def diagnose(data: bytes) -> str:
    """What the undecodable *data* probably is, as advice for the editor."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "它看起来是 UTF-16 编码（Word 的“Unicode 文本”）。请用文本编辑器另存为 UTF-8。"
    if data.startswith(_BINARY_SIGNATURES) or b"\x00" in data[:4096]:
        return "它看起来是二进制文件（Word 文档、PDF 或图片），而不是文本。请把正文另存为 UTF-8 文本后再放入。"
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return "请用文本编辑器把它另存为 UTF-8 编码。"
    return "它可能是 GBK/GB18030 编码。请用文本编辑器另存为 UTF-8 编码。"


def undecodable(data: bytes, error: UnicodeDecodeError) -> tuple[int, str]:
    """The line of the first bad byte in *data*, and the message for the editor."""
    line = data[:error.start].count(b"\n") + 1
    return line, (f"无法读取这个文件：它不是 UTF-8 编码的文本（第 {line} 行有无法解码的字节）。"
                  f"{diagnose(data)}这个页面没有发布，其他页面照常构建。")


def _leave_out(app: Sphinx, env: BuildEnvironment, docnames: list[str], docname: str) -> None:
    """Leave *docname* out of this build: no toctree entry, no page to write."""
    docnames.remove(docname)
    env.project.docnames.discard(docname)
    if docname in env.all_docs:  # it was readable before: forget what was read then
        app.events.emit("env-purge-doc", env, docname)
        env.clear_doc(docname)


def skip_unreadable(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: leave out (and report) files that are not valid text, and
    reports that are symlinks to a file outside the report folders (they would publish it)."""
    encoding = env.settings["input_encoding"]
    roots = files.report_roots(env.srcdir, app.config.shuzhi_report_dirs)
    for docname in list(docnames):
        path = env.doc2path(docname)
        if is_report(app.config, docname) and not files.confined(path, roots):
            logger.warning("这篇报告是指向报告目录之外（%s）的链接，没有发布：请把报告文件本身放进 reports/。",
                           path.resolve(), type="shuzhi", subtype=kinds.OUTSIDE_FILE, location=f"{path}:1")
            _leave_out(app, env, docnames, docname)
            continue
        try:
            data = path.read_bytes()
            data.decode(encoding)
        except OSError:
            continue  # Sphinx reports unreadable files itself
        except UnicodeDecodeError as error:
            line, message = undecodable(data, error)
            logger.warning("%s", message, type="shuzhi", subtype=kinds.ENCODING, location=f"{path}:{line}")
            _leave_out(app, env, docnames, docname)


def setup(app: Sphinx) -> None:
    app.connect("env-before-read-docs", skip_unreadable)
