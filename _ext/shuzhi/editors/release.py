"""Pack the built site into one reproducible release archive with a manifest.

``site-<year>-<date>.tar.gz`` holds one folder, ``site-<year>-<date>/``, with the
HTML site (the PDF already inside it), ``MANIFEST.json`` (every file with its
SHA-256 and size, the source commit and date) and ``SHA256SUMS`` (for
``sha256sum -c``). The same inputs give the same bytes: files in sorted order,
fixed owner and permissions, every time stamp set to the source date, and a
gzip header without name or time.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import subprocess
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "MANIFEST.json"
CHECKSUMS = "SHA256SUMS"


class ReleaseError(Exception):
    """The release cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class Source:
    commit: str
    epoch: int  # the source date, seconds since 1970 (SOURCE_DATE_EPOCH or the commit's date)

    @property
    def date(self) -> str:
        return time.strftime("%Y%m%d", time.gmtime(self.epoch))


def source_of(repo: Path) -> Source:
    """The commit being published and its date; ``SOURCE_DATE_EPOCH`` overrides the date."""
    def git(*args: str) -> str:
        result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise ReleaseError(f"无法读取 git 提交信息（{result.stderr.strip()}）：请在项目的 git 仓库中发布。")
        return result.stdout.strip()

    commit = git("rev-parse", "HEAD")
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += "-dirty"
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or git("log", "-1", "--format=%ct")
    return Source(commit, int(epoch))


def _files(site: Path) -> list[Path]:
    """What readers need: every file, except Sphinx's build bookkeeping (.buildinfo, .doctrees/)."""
    def published(path: Path) -> bool:
        return path.is_file() and not any(part.startswith(".") for part in path.relative_to(site).parts)

    return sorted((path for path in site.rglob("*") if published(path)), key=lambda path: path.relative_to(site).as_posix())


def manifest(site: Path, source: Source, year: str) -> dict:
    entries = []
    for path in _files(site):
        data = path.read_bytes()
        entries.append({"path": path.relative_to(site).as_posix(), "sha256": hashlib.sha256(data).hexdigest(),
                        "size": len(data)})
    return {"name": f"site-{year}-{source.date}", "year": year, "commit": source.commit,
            "source_date": source.date, "files": entries}


def _add(tar: tarfile.TarFile, name: str, data: bytes, epoch: int) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), epoch, 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    tar.addfile(info, io.BytesIO(data))


def _add_dir(tar: tarfile.TarFile, name: str, epoch: int) -> None:
    info = tarfile.TarInfo(name)
    info.type, info.mtime, info.mode = tarfile.DIRTYPE, epoch, 0o755
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    tar.addfile(info)


def pack(site: Path, out_dir: Path, source: Source, year: str, require: tuple[str, ...] = ()) -> Path:
    """Write the archive for *site* into *out_dir*; return its path."""
    if not (site / "index.html").is_file():
        raise ReleaseError(f"{site} 中没有 index.html：请先构建网站（tox -e docs）。")
    for name in require:
        if not (site / name).is_file():
            raise ReleaseError(f"网站中缺少 {name}：请先构建 PDF，再构建网站（tox -e docs 按此顺序构建）。")
    info = manifest(site, source, year)
    top = info["name"]
    out_dir.mkdir(parents=True, exist_ok=True)
    archive = out_dir / f"{top}.tar.gz"
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT) as tar:
        _add_dir(tar, top, source.epoch)
        dirs = sorted({parent.as_posix() for entry in info["files"] for parent in Path(entry["path"]).parents
                       if parent.as_posix() != "."})
        for directory in dirs:
            _add_dir(tar, f"{top}/{directory}", source.epoch)
        for entry in info["files"]:
            _add(tar, f"{top}/{entry['path']}", (site / entry["path"]).read_bytes(), source.epoch)
        _add(tar, f"{top}/{MANIFEST}", (json.dumps(info, ensure_ascii=False, indent=1) + "\n").encode(), source.epoch)
        sums = "".join(f"{entry['sha256']}  {entry['path']}\n" for entry in info["files"])
        _add(tar, f"{top}/{CHECKSUMS}", sums.encode(), source.epoch)
    with open(archive, "wb") as handle, gzip.GzipFile(filename="", mode="wb", fileobj=handle, mtime=0, compresslevel=9) as gz:
        gz.write(buffer.getvalue())
    return archive
