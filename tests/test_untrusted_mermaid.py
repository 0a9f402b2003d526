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
