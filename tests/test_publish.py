"""Publishing: a reproducible release archive, served by a real nginx with the documented configuration."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import shutil
import socket
import subprocess
import tarfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO, OfflinePage

from shuzhi import release

SOURCE = release.Source(commit="0123456789abcdef0123456789abcdef01234567", epoch=1_700_000_000)
USER, PASSWORD = "reader", "s3cret-密码"


@pytest.fixture(scope="module")
def archive(site_html: Path, tmp_path_factory) -> Path:
    return release.pack(site_html, tmp_path_factory.mktemp("release"), SOURCE, "2023", require=("dangjian-shuzhi.pdf",))


def test_pdf_is_offered_on_the_home_page_and_every_report(site_html: Path) -> None:
    assert (site_html / "dangjian-shuzhi.pdf").read_bytes()[:5] == b"%PDF-"
    pages = [site_html / "index.html", *sorted((site_html / "reports").rglob("0*.html"))]
    assert len(pages) == 6
    for page in pages:
        from bs4 import BeautifulSoup

        link = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("p.pdf-download a")
        assert link is not None, page
        href = link["href"]
        assert (page.parent / href).resolve() == (site_html / "dangjian-shuzhi.pdf").resolve()


def test_archive_is_reproducible_and_has_a_manifest(archive: Path, site_html: Path, tmp_path: Path) -> None:
    assert archive.name == "site-2023-20231114.tar.gz"
    again = release.pack(site_html, tmp_path, SOURCE, "2023")
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(archive.read_bytes()).digest()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("site-2023-20231114/MANIFEST.json"))
        sums = tar.extractfile("site-2023-20231114/SHA256SUMS").read().decode()
        for member in tar.getmembers():
            assert member.mtime == SOURCE.epoch and member.uid == 0 and member.uname == ""
        files = {entry["path"]: entry for entry in manifest["files"]}
        for path, entry in files.items():
            data = tar.extractfile(f"site-2023-20231114/{path}").read()
            assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["size"]
    assert manifest["commit"] == SOURCE.commit
    published = {p.relative_to(site_html).as_posix() for p in site_html.rglob("*")
                 if p.is_file() and not any(part.startswith(".") for part in p.relative_to(site_html).parts)}
    assert set(files) == published
    assert "index.html" in files and "dangjian-shuzhi.pdf" in files and "_static/mermaid/mermaid.esm.min.mjs" in files
    assert len(sums.splitlines()) == len(files)
    assert all(name.startswith("site-2023-20231114/") or name == "site-2023-20231114" for name in names)
    print(f"archive: {archive.stat().st_size / 1e6:.2f} MB, {len(files)} files")


def test_publish_refuses_a_site_without_its_pdf(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<html></html>", encoding="utf-8")
    with pytest.raises(release.ReleaseError, match="先构建 PDF"):
        release.pack(tmp_path, tmp_path / "out", SOURCE, "2023", require=("dangjian-shuzhi.pdf",))


# --------------------------------------------------------------------------- nginx


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(archive: Path, tmp_path_factory):
    """Debian's nginx serving the unpacked archive under /dangjian/ with docs/nginx/dangjian.conf."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.fail("nginx not found: apt-get install nginx (or run sh .ci/bootstrap)")
    base = tmp_path_factory.mktemp("nginx")
    with tarfile.open(archive) as tar:
        tar.extractall(base / "srv", filter="data")
    (base / "current").symlink_to(base / "srv" / archive.name.removesuffix(".tar.gz"))
    password = subprocess.run(["openssl", "passwd", "-apr1", PASSWORD], capture_output=True, text=True, check=True).stdout.strip()
    (base / "htpasswd").write_text(f"{USER}:{password}\n", encoding="utf-8")
    port = _free_port()
    site = (REPO / "docs" / "nginx" / "dangjian.conf").read_text(encoding="utf-8")
    # Only the machine-specific paths and the port change; everything else is the documented file.
    site = (site.replace("listen 80;", f"listen 127.0.0.1:{port};")
                .replace("/srv/dangjian/current/", f"{base}/current/")
                .replace("/etc/nginx/dangjian.htpasswd", f"{base}/htpasswd"))
    (base / "site.conf").write_text(site, encoding="utf-8")
    for folder in ("logs", "tmp"):
        (base / folder).mkdir()
    (base / "nginx.conf").write_text(f"""
user root;
worker_processes 1;
pid {base}/nginx.pid;
error_log {base}/logs/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {base}/logs/access.log;
    client_body_temp_path {base}/tmp/body;
    proxy_temp_path {base}/tmp/proxy;
    fastcgi_temp_path {base}/tmp/fastcgi;
    uwsgi_temp_path {base}/tmp/uwsgi;
    scgi_temp_path {base}/tmp/scgi;
    default_type application/octet-stream;
    include {base}/site.conf;
}}
""", encoding="utf-8")
    check = subprocess.run([binary, "-t", "-p", str(base), "-c", str(base / "nginx.conf")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([binary, "-p", str(base), "-c", str(base / "nginx.conf"), "-g", "daemon off;"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)


def _get(url: str, auth: bool = True, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    if auth:
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        return urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as error:
        return error


def test_nginx_requires_a_login(nginx: str) -> None:
    assert _get(f"{nginx}/dangjian/", auth=False).status == 401
    assert _get(f"{nginx}/dangjian/reports/2023/01-xiangzhen.html", auth=False).status == 401
    assert _get(f"{nginx}/dangjian/", auth=True).status == 200
    request = urllib.request.Request(f"{nginx}/dangjian/")
    request.add_header("Authorization", "Basic " + base64.b64encode(f"{USER}:wrong".encode()).decode())
    try:
        urllib.request.urlopen(request, timeout=10)
        status = 200
    except urllib.error.HTTPError as error:
        status = error.code
    assert status == 401


def test_nginx_types_gzip_and_caching(nginx: str) -> None:
    module = _get(f"{nginx}/dangjian/_static/mermaid/mermaid.esm.min.mjs")
    assert module.status == 200 and module.headers["Content-Type"].startswith("text/javascript")
    assert "max-age=2592000" in module.headers.get("Cache-Control", "")
    page = _get(f"{nginx}/dangjian/index.html", headers={"Accept-Encoding": "gzip"})
    assert page.headers.get("Content-Encoding") == "gzip"
    assert "抓党建工作述职报告汇编" in gzip.decompress(page.read()).decode("utf-8")
    pdf = _get(f"{nginx}/dangjian/dangjian-shuzhi.pdf")
    assert pdf.status == 200 and pdf.headers["Content-Type"] == "application/pdf" and pdf.read(5) == b"%PDF-"
    assert _get(f"{nginx}/dangjian", auth=True).status in (200, 301)


def test_site_works_through_nginx_in_chromium(nginx: str, browser) -> None:
    context = browser.new_context(http_credentials={"username": USER, "password": PASSWORD})
    try:
        page = OfflinePage.__new__(OfflinePage)
        page.base_url, page.blocked, page.errors = f"{nginx}/dangjian", [], []
        page.page = context.new_page()
        page.page.route("**/*", page._route)
        page.page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
        page.page.on("pageerror", lambda exc: page.errors.append(str(exc)))

        page.goto("")
        assert page.page.locator("table.report-catalogue tbody tr").count() == 5
        page.page.locator("article a", has_text="2023年国有企业党组织书记抓基层党建工作述职报告").first.click()
        page.page.wait_for_load_state("networkidle")
        assert "党业融合" in page.page.locator("article").inner_text()

        page.goto("docs/glossary.html")
        assert page.page.locator("#term-san-hui-yi-ke").is_visible()

        page.goto("search.html?q=三会一课")
        page.page.wait_for_selector("#search-results li", timeout=15000)
        assert page.page.locator("#search-results li").count() >= 1

        page.goto("docs/about.html")
        page.page.wait_for_selector(".mermaid svg", timeout=15000)

        with page.page.expect_download() as download_info:
            page.goto("index.html")
            page.page.locator("a.pdf-download-link").first.evaluate("el => { el.setAttribute('download', ''); el.click(); }")
        download = download_info.value
        assert download.suggested_filename == "dangjian-shuzhi.pdf"
        assert Path(download.path()).read_bytes()[:5] == b"%PDF-"
        assert page.blocked == [] and page.errors == []
    finally:
        context.close()
