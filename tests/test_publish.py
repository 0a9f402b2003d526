"""Publishing: a reproducible release archive, served by a real nginx with the documented configuration."""

from __future__ import annotations

import base64
import contextlib
import difflib
import gzip
import hashlib
import json
import re
import shutil
import socket
import ssl
import subprocess
import tarfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO, OfflinePage

from shuzhi.html import csp

from shuzhi.editors import release

SOURCE = release.Source(commit="0123456789abcdef0123456789abcdef01234567", epoch=1_700_000_000)
USER, PASSWORD = "reader", "s3cret-密码"


@pytest.fixture(scope="module")
def archive(site_html: Path, tmp_path_factory) -> Path:
    return release.pack(site_html, tmp_path_factory.mktemp("release"), SOURCE, "2023", require=("dangjian-shuzhi-2023.pdf",))


def test_pdf_is_offered_on_the_home_page_and_every_report(site_html: Path, stand_in_pdfs_folder: Path) -> None:
    name = "dangjian-shuzhi-2023.pdf"
    assert (site_html / name).read_bytes() == (stand_in_pdfs_folder / name).read_bytes()
    pages = [site_html / "index.html", *sorted((site_html / "reports").rglob("0*.html"))]
    assert len(pages) == 6
    for page in pages:
        from bs4 import BeautifulSoup

        link = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("p.pdf-download a")
        assert link is not None, page
        href = link["href"]
        assert (page.parent / href).resolve() == (site_html / "dangjian-shuzhi-2023.pdf").resolve()


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
    assert "index.html" in files and "dangjian-shuzhi-2023.pdf" in files and "_static/mermaid/mermaid.esm.min.mjs" in files
    assert len(sums.splitlines()) == len(files)
    assert all(name.startswith("site-2023-20231114/") or name == "site-2023-20231114" for name in names)
    print(f"archive: {archive.stat().st_size / 1e6:.2f} MB, {len(files)} files")


def test_publish_refuses_a_site_without_its_pdf(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<html></html>", encoding="utf-8")
    with pytest.raises(release.ReleaseError, match="先构建 PDF"):
        release.pack(tmp_path, tmp_path / "out", SOURCE, "2023", require=("dangjian-shuzhi-2023.pdf",))


# --------------------------------------------------------------------------- nginx

NGINX_DOCS = REPO / "docs" / "nginx"
SNIPPETS = ("dangjian-headers.conf", "dangjian-csp.conf")
#: Sent with every response (dangjian-headers.conf), besides the Content-Security-Policy.
SECURITY_HEADERS = {"X-Frame-Options": "SAMEORIGIN", "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "same-origin"}


def _policy() -> str:
    """The Content-Security-Policy that the committed include file sends."""
    text = (NGINX_DOCS / "dangjian-csp.conf").read_text(encoding="utf-8")
    found = re.findall(r'^add_header Content-Security-Policy "([^"]+)" always;$', text, flags=re.MULTILINE)
    assert len(found) == 1, text
    return found[0]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _nginx_binary() -> str:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.fail("nginx not found: apt-get install nginx (or run sh .ci/bootstrap)")
    return binary


def _local_paths(site: str, served: Path) -> str:
    """*site* serving the release and password file laid out in *served*."""
    return (site.replace("/srv/dangjian/current/", f"{served}/current/")
                .replace("/etc/nginx/dangjian.htpasswd", f"{served}/htpasswd"))


def _documented_site(served: Path, port: int) -> str:
    """docs/nginx/dangjian.conf with only the machine-specific paths and the port changed."""
    site = (NGINX_DOCS / "dangjian.conf").read_text(encoding="utf-8")
    assert "    listen 80 default_server;\n" in site
    return _local_paths(site.replace("listen 80 default_server;", f"listen 127.0.0.1:{port} default_server;"), served)


def _configure(base: Path, *sites: str) -> Path:
    """*base*/nginx.conf: Debian's http block, cut down, including *sites*; the snippets beside it
    in snippets/, as in /etc/nginx/ (relative includes start in the folder of nginx.conf)."""
    (base / "snippets").mkdir(exist_ok=True)
    for name in SNIPPETS:
        shutil.copyfile(NGINX_DOCS / name, base / "snippets" / name)
    for folder in ("logs", "tmp"):
        (base / folder).mkdir(exist_ok=True)
    includes = []
    for number, site in enumerate(sites):
        (base / f"site{number}.conf").write_text(site, encoding="utf-8")
        includes.append(f"    include {base}/site{number}.conf;")
    newline = "\n"
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
{newline.join(includes)}
}}
""", encoding="utf-8")
    return base / "nginx.conf"


def _nginx_test(conf: Path) -> subprocess.CompletedProcess:
    return subprocess.run([_nginx_binary(), "-t", "-p", str(conf.parent), "-c", str(conf)], capture_output=True, text=True)


@contextlib.contextmanager
def _running(conf: Path, port: int):
    check = _nginx_test(conf)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([_nginx_binary(), "-p", str(conf.parent), "-c", str(conf), "-g", "daemon off;"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


def _bcrypt_line(user: str, password: str) -> str:
    """``htpasswd -B`` (apache2-utils), as docs/publish.md tells the administrator."""
    htpasswd = shutil.which("htpasswd")
    if htpasswd is None:
        pytest.fail("htpasswd not found: apt-get install apache2-utils (or run sh .ci/bootstrap)")
    line = subprocess.run([htpasswd, "-niB", user], input=password, capture_output=True, text=True,
                          check=True).stdout.strip()
    assert line.startswith(f"{user}:$2y$"), line
    return line


@pytest.fixture(scope="module")
def served(archive: Path, tmp_path_factory) -> Path:
    """The unpacked archive as the administrator lays it out: current/ and a bcrypt htpasswd."""
    base = tmp_path_factory.mktemp("served")
    with tarfile.open(archive) as tar:
        tar.extractall(base / "srv", filter="data")
    (base / "current").symlink_to(base / "srv" / archive.name.removesuffix(".tar.gz"))
    (base / "htpasswd").write_text(_bcrypt_line(USER, PASSWORD) + "\n", encoding="utf-8")
    return base


@pytest.fixture(scope="module")
def nginx(served: Path):
    """Debian's nginx serving the unpacked archive under /dangjian/ with docs/nginx/*.conf."""
    port = _free_port()
    conf = _configure(served, _documented_site(served, port))
    with _running(conf, port):
        yield f"http://127.0.0.1:{port}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _get(url: str, auth: bool = True, headers: dict | None = None, opener=_OPENER):
    """The response to GET *url*, errors and redirects included (not followed)."""
    request = urllib.request.Request(url, headers=headers or {})
    if auth:
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        return opener.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        return error


def test_nginx_requires_a_login(nginx: str) -> None:
    assert _get(f"{nginx}/dangjian/", auth=False).status == 401
    assert _get(f"{nginx}/dangjian/reports/2023/01-xiangzhen.html", auth=False).status == 401
    assert _get(f"{nginx}/dangjian/_static/shuzhi.css", auth=False).status == 401
    assert _get(f"{nginx}/dangjian/dangjian-shuzhi-2023.pdf", auth=False).status == 401
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
    assert module.headers.get_all("Cache-Control") == ["private, max-age=2592000"]
    page = _get(f"{nginx}/dangjian/index.html", headers={"Accept-Encoding": "gzip"})
    assert page.headers.get("Content-Encoding") == "gzip"
    assert page.headers.get_all("Cache-Control") == ["private, no-cache"]
    assert "抓党建工作述职报告汇编" in gzip.decompress(page.read()).decode("utf-8")
    pdf = _get(f"{nginx}/dangjian/dangjian-shuzhi-2023.pdf")
    assert pdf.status == 200 and pdf.headers["Content-Type"] == "application/pdf" and pdf.read(5) == b"%PDF-"
    assert pdf.headers.get_all("Cache-Control") == ["private, no-cache"]
    assert pdf.headers["Content-Disposition"] == "inline"
    # An unchanged page costs a 304, not the page.
    again = _get(f"{nginx}/dangjian/index.html", headers={"If-None-Match": page.headers["ETag"]})
    assert again.status == 304
    redirect = _get(f"{nginx}/dangjian", auth=False)
    assert redirect.status == 301 and redirect.headers["Location"].endswith("/dangjian/")


#: Every kind of response: (what, path, logged in, status). Content behind the login is marked.
RESPONSES = [
    ("home page", "/dangjian/", True, 200),
    ("report", "/dangjian/reports/2023/01-xiangzhen.html", True, 200),
    ("_static stylesheet", "/dangjian/_static/shuzhi.css", True, 200),
    ("_static ES module", "/dangjian/_static/mermaid/mermaid.esm.min.mjs", True, 200),
    ("PDF", "/dangjian/dangjian-shuzhi-2023.pdf", True, 200),
    ("missing page", "/dangjian/no-such-page.html", True, 404),
    ("missing _static file", "/dangjian/_static/no-such.js", True, 404),
    ("missing PDF", "/dangjian/no-such.pdf", True, 404),
    ("login prompt", "/dangjian/", False, 401),
    ("login prompt on _static", "/dangjian/_static/shuzhi.css", False, 401),
    ("redirect to the site", "/dangjian", False, 301),
    ("server root", "/", False, 302),
    ("outside the site", "/index.html", False, 404),
]


@pytest.mark.parametrize(("what", "path", "auth", "status"), RESPONSES, ids=[row[0] for row in RESPONSES])
def test_every_response_carries_the_security_headers(nginx: str, what: str, path: str, auth: bool, status: int) -> None:
    response = _get(f"{nginx}{path}", auth=auth)
    assert response.status == status
    headers = response.headers
    for name, value in {**SECURITY_HEADERS, "Content-Security-Policy": _policy()}.items():
        assert headers.get_all(name) == [value], f"{what}: {name}: {headers.get_all(name)}"
    assert headers["Server"] == "nginx", f"{what}: the version is shown: {headers['Server']}"
    if path.startswith("/dangjian/"):
        cache = ", ".join(headers.get_all("Cache-Control") or [])
        assert "private" in cache and "public" not in cache, f"{what}: Cache-Control: {cache}"
    if status >= 400:
        assert "nginx/" not in response.read().decode("utf-8", "replace"), f"{what}: the error page shows the version"


def test_nginx_does_not_serve_the_release_manifest(nginx: str, served: Path) -> None:
    for name in ("MANIFEST.json", "SHA256SUMS"):
        assert (served / "current" / name).is_file()
        assert _get(f"{nginx}/dangjian/{name}").status == 404, name
        assert _get(f"{nginx}/dangjian/{name}", auth=False).status == 404, name


def test_debian_default_site_left_in_place_is_an_error(tmp_path: Path) -> None:
    """docs/publish.md: remove Debian's default site. Left in place, it would answer for the
    server's address (/dangjian/ a 404, no login); with dangjian.conf's default_server, nginx -t fails."""
    port = _free_port()
    debian_default = f"""
server {{
    listen 127.0.0.1:{port} default_server;
    root /var/www/html;
    index index.html index.htm index.nginx-debian.html;
    server_name _;
    location / {{
        try_files $uri $uri/ =404;
    }}
}}
"""
    check = _nginx_test(_configure(tmp_path, debian_default, _documented_site(tmp_path, port)))
    assert check.returncode != 0
    assert "a duplicate default server" in check.stderr


def _https_blocks() -> list[str]:
    """The nginx blocks of docs/publish.md's HTTPS section, without the list's indentation."""
    text = (REPO / "docs" / "publish.md").read_text(encoding="utf-8")
    section = text[text.index("## 使用 HTTPS"):]
    section = section[:section.index("\n## ")]
    return ["".join(line[len(indent):] for line in body.splitlines(True))
            for indent, body in re.findall(r"^( *)```nginx\n(.*?)^\1```", section, flags=re.MULTILINE | re.DOTALL)]


def test_documented_https_setup(served: Path, tmp_path: Path) -> None:
    """docs/publish.md's HTTPS lines in dangjian.conf, with a self-signed certificate for 127.0.0.1."""
    listen, redirect = _https_blocks()
    assert "    listen 443 ssl default_server;\n" in listen and "return 301 https://" in redirect
    https_port, http_port = _free_port(), _free_port()
    cert, key = tmp_path / "dangjian.crt", tmp_path / "dangjian.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    site = (NGINX_DOCS / "dangjian.conf").read_text(encoding="utf-8")
    assert "    listen 80 default_server;\n" in site
    site = site.replace("    listen 80 default_server;\n", listen) + "\n" + redirect
    site = (site.replace("listen 443 ssl default_server;", f"listen 127.0.0.1:{https_port} ssl default_server;")
                .replace("listen 80 default_server;", f"listen 127.0.0.1:{http_port} default_server;")
                .replace("/etc/ssl/certs/dangjian.crt", str(cert))
                .replace("/etc/ssl/private/dangjian.key", str(key)))
    conf = _configure(tmp_path, _local_paths(site, served))
    # Step 4 of the section: HSTS switched on in the headers file.
    headers = tmp_path / "snippets" / "dangjian-headers.conf"
    text = headers.read_text(encoding="utf-8")
    assert "\n# add_header Strict-Transport-Security " in text
    headers.write_text(text.replace("\n# add_header Strict-Transport-Security ", "\nadd_header Strict-Transport-Security "),
                       encoding="utf-8")
    context = ssl.create_default_context(cafile=str(cert))
    opener = urllib.request.build_opener(_NoRedirect, urllib.request.HTTPSHandler(context=context))
    with _running(conf, https_port):
        base = f"https://127.0.0.1:{https_port}"
        for path in ("/dangjian/", "/dangjian/_static/shuzhi.css", "/dangjian/dangjian-shuzhi-2023.pdf", "/dangjian/no-such.html"):
            response = _get(base + path, opener=opener)
            assert response.status == (404 if "no-such" in path else 200), path
            assert response.headers.get_all("Strict-Transport-Security") == ["max-age=31536000"], path
            assert response.headers.get_all("Content-Security-Policy") == [_policy()], path
        assert _get(base + "/dangjian/", auth=False, opener=opener).status == 401
        plain = _get(f"http://127.0.0.1:{http_port}/dangjian/reports/?q=1", auth=False)
        assert plain.status == 301 and plain.headers["Location"] == "https://127.0.0.1/dangjian/reports/?q=1"
        assert plain.headers["Server"] == "nginx"


# --------------------------------------------------------------------------- Content-Security-Policy


def test_csp_include_fits_the_built_site(site_html: Path) -> None:
    """The hashes in docs/nginx/dangjian-csp.conf are those of the inline scripts of every built page."""
    expected = csp.nginx_include(site_html)
    committed = (NGINX_DOCS / "dangjian-csp.conf").read_text(encoding="utf-8")
    if committed != expected:
        diff = "".join(difflib.unified_diff(committed.splitlines(True), expected.splitlines(True),
                                            "docs/nginx/dangjian-csp.conf", "computed from the built site"))
        pytest.fail("docs/nginx/dangjian-csp.conf does not fit the inline scripts of the built site "
                    "(did the theme or sphinxcontrib-mermaid change one?). Regenerate it after `tox -e docs` with\n"
                    f"    {csp.COMMAND}\nor write into it exactly:\n{expected}\n{diff}")


def test_csp_allows_nothing_from_elsewhere() -> None:
    directives = {}
    for part in _policy().split(";"):
        name, *sources = part.split()
        assert name not in directives, name
        directives[name] = sources
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"][0] == "'self'"
    hashes = directives["script-src"][1:]
    assert hashes and all(re.fullmatch(r"'sha256-[A-Za-z0-9+/]{43}='", source) for source in hashes), hashes
    assert len(hashes) <= csp.MAX_INLINE_SCRIPTS
    for name, expected in {"object-src": ["'none'"], "base-uri": ["'self'"], "frame-ancestors": ["'self'"],
                           "form-action": ["'self'"], "font-src": ["'self'"], "connect-src": ["'self'"]}.items():
        assert directives[name] == expected, name
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["img-src"] == ["'self'", "data:"]
    # No origin at all: no scheme or host source, no wildcard.
    for name, sources in directives.items():
        for source in sources:
            assert source.startswith("'") or source == "data:", f"{name} {source}"


def test_csp_scan_of_inline_scripts(tmp_path: Path) -> None:
    page = '<html><head><script>var a = 1;</script><script type="application/json">{"x": 1}</script>'
    page += '<script src="x.js"></script><script type="module">\nimport "./m.mjs";\n</script></head></html>'
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.html").write_text("<script>var a = 1;</script>", encoding="utf-8")
    scripts = csp.inline_scripts(tmp_path)
    # The value a browser computes: base64 of the SHA-256 of the script's UTF-8 text.
    assert set(scripts) == {"'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"
                            for text in ("var a = 1;", '\nimport "./m.mjs";\n')}
    assert scripts[csp.sha256("var a = 1;")].pages == ["index.html", "sub/page.html"]
    (tmp_path / "form.html").write_text('<form onsubmit="return false"></form>', encoding="utf-8")
    with pytest.raises(csp.CspError, match=r"form\.html.*onsubmit"):
        csp.inline_scripts(tmp_path)
    (tmp_path / "form.html").unlink()
    for number in range(csp.MAX_INLINE_SCRIPTS):
        (tmp_path / f"page{number}.html").write_text(f"<script>var page = {number};</script>", encoding="utf-8")
    with pytest.raises(csp.CspError, match="种不同的内联脚本"):
        csp.inline_scripts(tmp_path)


def test_csp_command_writes_and_checks_the_include(tmp_path: Path, capsys) -> None:
    from shuzhi.editors import cli

    site = tmp_path / "html"
    site.mkdir()
    (site / "index.html").write_text("<script>var a = 1;</script>", encoding="utf-8")
    include = tmp_path / "dangjian-csp.conf"
    assert cli.main(["csp", "--html", str(site), "--out", str(include)]) == 0
    assert f"script-src 'self' {csp.sha256('var a = 1;')};" in include.read_text(encoding="utf-8")
    assert cli.main(["csp", "--html", str(site), "--check", str(include)]) == 0
    (site / "index.html").write_text("<script>var a = 2;</script>", encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["csp", "--html", str(site), "--check", str(include)]) == 1
    assert csp.COMMAND in capsys.readouterr().err


def test_page_name_comes_from_a_script_file(site_html: Path) -> None:
    """The theme's per-page inline script is replaced by shuzhi-pagename.js with the name on its tag."""
    from bs4 import BeautifulSoup

    assert (site_html / "_static" / csp.PAGENAME_SCRIPT).is_file()
    for path in [site_html / "index.html", site_html / "search.html", *sorted((site_html / "reports").rglob("*.html"))]:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        tags = soup.select(f'script[src*="{csp.PAGENAME_SCRIPT}"]')
        assert [tag["data-pagename"] for tag in tags] == [path.relative_to(site_html).with_suffix("").as_posix()], path
        assert not any("pagename" in (tag.string or "") for tag in soup.find_all("script") if not tag.get("src")), path


# --------------------------------------------------------------------------- in Chromium

#: Collects every Content-Security-Policy violation of the page (an init script runs before the page's own).
VIOLATION_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.__shuzhiViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
        + ` in ${event.sourceFile}:${event.lineNumber} ${event.sample}`);
}, true);
"""


def test_site_works_through_nginx_in_chromium(nginx: str, browser, site_html: Path) -> None:
    """Every kind of page, served by nginx with the documented headers: it works, and the policy
    is in force (an injected inline script is refused) without a single violation by the site."""
    context = browser.new_context(http_credentials={"username": USER, "password": PASSWORD})
    violations: list[str] = []
    context.expose_function("__shuzhiViolation", lambda text: violations.append(text))
    context.add_init_script(VIOLATION_LISTENER)
    try:
        page = OfflinePage.__new__(OfflinePage)
        page.base_url, page.blocked, page.errors = f"{nginx}/dangjian", [], []
        page.page = context.new_page()
        page.page.route("**/*", page._route)
        csp_messages: list[str] = []
        page.page.on("console", lambda msg: msg.type == "error" and page.errors.append(f"{page.page.url}: {msg.text}"))
        page.page.on("console", lambda msg: "Content Security Policy" in msg.text and csp_messages.append(msg.text))
        page.page.on("pageerror", lambda exc: page.errors.append(f"{page.page.url}: {exc.stack or exc}"))

        page.goto("")
        assert page.page.locator("table.report-catalogue tbody tr").count() == 5
        assert page.page.evaluate("DOCUMENTATION_OPTIONS.pagename") == "index"
        page.page.locator("article a", has_text="2023年国有企业党组织书记抓基层党建工作述职报告").first.click()
        page.page.wait_for_load_state("networkidle")
        assert "党业融合" in page.page.locator("article").inner_text()
        page.page.locator(".report-outline summary").click()  # mermaid is loaded when the outline is opened
        page.page.wait_for_selector(".report-outline .mermaid svg", timeout=15000)
        assert page.page.evaluate("DOCUMENTATION_OPTIONS.pagename") == "reports/2023/03-guoqi"

        page.goto("docs/glossary.html")
        assert page.page.locator("#term-san-hui-yi-ke").is_visible()
        query = page.page.locator("#shuzhi-glossary-query")
        query.fill("shyk")
        query.press("Enter")  # filters; does not submit the form and reload the page
        page.page.wait_for_timeout(300)
        assert page.page.url == f"{nginx}/dangjian/docs/glossary.html"
        assert page.page.locator("#term-san-hui-yi-ke").is_visible()
        assert page.page.locator("#shuzhi-glossary-count").inner_text().startswith("共 ")

        # The search (shuzhi.search.chunked) under the policy.
        page.goto("search.html?q=三会一课")
        page.page.locator(".shuzhi-search-status", has_text="找到").wait_for(timeout=15000)
        first = page.page.locator(".shuzhi-search-results li > a").first
        assert first.get_attribute("href") == "docs/glossary.html#term-san-hui-yi-ke"
        assert page.page.locator(".shuzhi-search-results li").count() >= 4

        page.goto("docs/overview.html")
        diagrams = page.page.locator("pre.mermaid")
        assert diagrams.count() >= 1
        page.page.wait_for_function(
            "() => [...document.querySelectorAll('pre.mermaid')].every((pre) => pre.querySelector('svg'))",
            timeout=30000)

        page.goto("docs/about.html")
        page.page.wait_for_selector(".mermaid svg", timeout=15000)
        # mermaid's own <style> in the SVG applies (style-src 'unsafe-inline'): nodes are filled.
        fill = page.page.locator(".mermaid svg .node rect").first.evaluate("el => getComputedStyle(el).fill")
        assert fill not in ("", "none", "rgb(0, 0, 0)"), fill

        with page.page.expect_download() as download_info:
            page.goto("index.html")
            page.page.locator("a.pdf-download-link").first.evaluate("el => { el.setAttribute('download', ''); el.click(); }")
        download = download_info.value
        assert download.suggested_filename == "dangjian-shuzhi-2023.pdf"
        assert Path(download.path()).read_bytes() == (site_html / "dangjian-shuzhi-2023.pdf").read_bytes()
        assert page.blocked == [] and page.errors == []
        assert violations == [] and csp_messages == []

        # The policy is in force: a script injected into the page does not run, and is reported.
        ran = page.page.evaluate("""() => {
            window.__injected = false;
            const script = document.createElement("script");
            script.textContent = "window.__injected = true;";
            document.head.append(script);
            return window.__injected;
        }""")
        assert ran is False
        for _ in range(50):
            if violations:
                break
            page.page.wait_for_timeout(100)
        assert violations and violations[0].startswith("script-src"), violations
    finally:
        context.close()
