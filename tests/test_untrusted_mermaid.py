"""``{mermaid}`` with untrusted options: a finding at the line, never a traceback, a file or a CDN."""

from __future__ import annotations

import pytest


@pytest.mark.sphinx("html", testroot="mermaid-untrusted")
def test_bad_mermaid_options_are_findings_and_the_page_is_built(app) -> None:
    app.build()
    warnings = app.warning.getvalue()
    assert "index.md:4: WARNING: 'mermaid': Invalid option value for 'config'" in warnings
    assert "index.md:8: WARNING: mermaid 图表文件“../../../../../../../../etc/hostname”在网站目录之外" in warnings
    assert "[shuzhi.outside_file]" in warnings
    assert "index.md:12: WARNING: 'mermaid': Unknown option key: 'zoom'" in warnings
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "E--&gt;F" in html  # the valid diagram is still there
    assert "d3.min.js" not in html  # :zoom: would load d3 from a CDN
    hostname = open("/etc/hostname", encoding="utf-8").read().strip()
    assert hostname not in html


def test_a_refused_diagram_in_a_report_is_a_finding_on_every_build(tmp_path) -> None:
    """A report's diagram with a script link is refused while the report is read, and the
    finding is kept in the report's record: an incremental build that reads nothing again
    still reports it (a warning logged while reading was reported once, then never again)."""
    import shutil

    from builds import ROOTS, messages, sphinx_build

    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-structure-valid", src)
    (src / "conf.py").write_text((src / "conf.py").read_text(encoding="utf-8")
                                 + '\nshuzhi_report_directives = ["mermaid"]\n', encoding="utf-8")
    report = src / "reports" / "2023" / "01-test.md"
    lines = report.read_text(encoding="utf-8").split("\n")
    at = lines.index("现将履职情况报告如下。") + 1
    lines[at:at] = ["", "```{mermaid}", "flowchart LR", '  A --> B', '  click A "javascript:alert(1)"', "```"]
    report.write_text("\n".join(lines), encoding="utf-8")
    expected = [("reports/2023/01-test.md", at + 2, "shuzhi.script_link")]
    for _ in range(2):  # a fresh build, then an incremental one with nothing to read again
        result = sphinx_build(src, tmp_path / "out", strict=False)
        assert result.returncode == 0, result.stderr
        assert [(m.path, m.line, m.type) for m in messages(result.stderr, src)] == expected
