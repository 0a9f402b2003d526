"""Raw HTML and script links in reports are shown as text, with a warning, and never run."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
from conftest import OfflinePage, _QuietHandler


@pytest.mark.sphinx("html", testroot="raw-html")
def test_raw_html_is_escaped_with_a_warning_per_occurrence(app) -> None:
    app.build()
    warnings = app.warning.getvalue()
    for line in (3, 5, 11, 13, 19):
        assert f"reports/a.md:{line}: WARNING: 报告中的 HTML 代码" in warnings, line
    assert warnings.count("[shuzhi.raw_html]") == 7
    # {eval-rst} and {raw} are outside the report dialect: refused before they run.
    assert "reports/a.md:7: WARNING: 报告中不能使用 {eval-rst} 指令" in warnings
    assert "reports/a.md:15: WARNING: 报告中不能使用 {raw} 指令" in warnings
    assert warnings.count("[shuzhi.directive]") == 2
    html = (app.outdir / "reports" / "a.html").read_text(encoding="utf-8")
    assert "<script>window.injected" not in html and "<iframe" not in html and "<style>body" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;window.injected" in html  # the author's text is still visible
    assert (app.outdir / "reports" / "b.html").exists()


@pytest.mark.sphinx("html", testroot="raw-html")
def test_no_injected_script_runs_in_the_browser(app, browser) -> None:
    app.build()
    handler = functools.partial(_QuietHandler, directory=str(app.outdir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = OfflinePage(browser, f"http://127.0.0.1:{server.server_address[1]}")
        dialogs = []
        page.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto("reports/a.html")
        for link in page.page.locator("article a").all():
            link.evaluate("el => el.click()")
        assert page.page.evaluate("window.injected === undefined")
        assert dialogs == []
        assert page.page.locator("body").is_visible()  # the injected <style> did not hide the page
        assert page.blocked == []
        page.page.close()
    finally:
        server.shutdown()


@pytest.mark.sphinx("html", testroot="title-html")
def test_html_in_a_report_title_is_text_on_every_page(app) -> None:
    """The first heading becomes the page's title in every toctree, the sidebar and <title>."""
    app.build()
    # One for the heading, one for the front matter's title (HTML in any field is a finding).
    assert app.warning.getvalue().count("[shuzhi.raw_html]") == 2
    pages = {path.name: path.read_text(encoding="utf-8") for path in app.outdir.rglob("*.html")}
    assert [name for name, html in pages.items() if "<img src=x" in html] == []
    assert "2023年度&lt;img src=x onerror=alert(2)&gt;书记述职报告" in pages["index.html"]
