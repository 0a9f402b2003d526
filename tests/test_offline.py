"""Every built page, opened in Chromium with all non-local requests blocked: none is attempted, no console error."""

from __future__ import annotations

from pathlib import Path

from conftest import site_pages


def test_every_page_loads_offline_without_errors(site_html: Path, offline_page) -> None:
    # Theme template fragments under _static/ are not pages.
    pages = sorted(path.relative_to(site_html).as_posix() for path in site_html.rglob("*.html")
                   if "_static" not in path.relative_to(site_html).parts)
    assert pages == site_pages()
    problems = {}
    requests = 0
    counted: list[str] = []
    offline_page.page.on("request", lambda request: counted.append(request.url))
    for page in pages:
        before_blocked, before_errors = len(offline_page.blocked), len(offline_page.errors)
        offline_page.goto(page)
        blocked = offline_page.blocked[before_blocked:]
        errors = offline_page.errors[before_errors:]
        if blocked or errors:
            problems[page] = {"blocked": blocked, "errors": errors}
    requests = len(counted)
    assert problems == {}
    print(f"{len(pages)} pages, {requests} requests, {len(offline_page.blocked)} blocked")
