"""The SHA-256 of the files in an output folder, without reading 150 MB on every rebuild.

A build reuses a district's files only when their bytes are the ones manifest.json records. Comparing
sizes is not enough: a build that was stopped, or that ran beside another, can leave a page of the same
size with other phone numbers while the manifest still describes the old one. Hashing every file would
settle it, but at national scale that is 150 MB read on every rebuild.

So each file this tool writes or checks is remembered with what the file system says about it right
after: device, inode, size, modification and change times (nanoseconds). A file whose record still
matches has not been replaced or written since: a rename gives a new inode, a write a new modification
time, and nobody can set the change time back. When the record disagrees, or is missing (a copied folder,
a first build, the cache turned off), the file is hashed again, and remembered if it did not change while
being read. The records live in the user's cache folder (``outputs/``), never beside the outputs: they
hold build times, and the output folder is published.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

from directory_builder.util.cachedir import (
    entry_key,
    private_folder,
    read_entry,
    user_cache_root,
    write_entry,
)

FORMAT_VERSION = 1
#: Output folders remembered at most; the least recently built go first (their next build hashes once).
MAX_FOLDERS = 50
_CHUNK = 1 << 20
Stamp = tuple[int, int, int, int, int]  # st_dev, st_ino, st_size, st_mtime_ns, st_ctime_ns


def _enabled() -> bool:
    return os.environ.get("DIRECTORY_BUILDER_NO_CACHE", "").strip().lower() not in ("1", "true", "yes", "on")


def _stamp(info: os.stat_result) -> Stamp:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


class FileStamps:
    """What the files of one output folder hold: ``digest(rel)`` gives (sha256, size) or None (no file)."""

    def __init__(self, out: Path, folder: Path | None = None) -> None:
        self.out = Path(out)
        self.enabled = _enabled()
        where = str(self.out.resolve())
        self.name = hashlib.sha256(where.encode("utf-8")).hexdigest()[:32] + ".json"
        #: Made for this output folder and this record format; a record copied from another is ignored.
        self.key = entry_key("outputs", FORMAT_VERSION, where)
        self.folder = folder or user_cache_root() / "outputs"
        self.path = self.folder / self.name
        self._old: dict[str, list[Any]] = self._load() if self.enabled else {}
        self._new: dict[str, list[Any]] = {}

    def digest(self, rel: str) -> tuple[str, int] | None:
        """(sha256, size) of the regular file ``out/rel`` as it is now; None when there is none."""
        path = self.out / rel
        try:
            before = os.stat(path, follow_symlinks=False)
        except OSError:
            return None
        if not stat.S_ISREG(before.st_mode):
            return None  # a link or a folder is never an output of ours
        known = self._new.get(rel) or self._old.get(rel)
        if known is not None and tuple(known[:5]) == _stamp(before):
            self._new[rel] = known
            return str(known[5]), before.st_size
        digest = hashlib.sha256()
        try:
            with open(path, "rb") as fh:
                while chunk := fh.read(_CHUNK):
                    digest.update(chunk)
            after = os.stat(path, follow_symlinks=False)
        except OSError:
            return None
        sha = digest.hexdigest()
        if _stamp(after) == _stamp(before):
            self._new[rel] = [*_stamp(after), sha]
        return sha, after.st_size

    def matches(self, rel: str, entry: dict[str, Any] | None) -> bool:
        """Whether ``out/rel`` holds exactly the bytes a manifest entry describes."""
        if entry is None:
            return False
        return self.digest(rel) == (entry.get("sha256"), entry.get("bytes"))

    def wrote(self, rel: str, sha: str) -> None:
        """Remember a file this build just renamed into place (its bytes hash to ``sha``)."""
        try:
            info = os.stat(self.out / rel, follow_symlinks=False)
        except OSError:
            return
        self._new[rel] = [*_stamp(info), sha]

    def save(self, keep: set[str] | frozenset[str]) -> None:
        """Write the records of the files the new manifest lists. Best effort: without them the next build
        hashes the files again."""
        if not self.enabled:
            return
        files = {rel: self._new[rel] for rel in sorted(keep) if rel in self._new}
        data = json.dumps({"version": FORMAT_VERSION, "folder": str(self.out.resolve()), "files": files},
                          separators=(",", ":")).encode("utf-8")
        folder = private_folder(self.folder)  # the one cache module: ours alone, checked by key and hash
        if folder is not None and write_entry(folder, self.name, self.key, data):
            with contextlib.suppress(OSError):
                _prune(folder, folder / self.name)

    def _load(self) -> dict[str, list[Any]]:
        raw = read_entry(private_folder(self.folder), self.name, self.key)
        if raw is None:
            return {}
        try:
            data = json.loads(raw)
        except ValueError:
            return {}
        if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
            return {}
        if data.get("folder") != str(self.out.resolve()):
            return {}
        files = data.get("files")
        if not isinstance(files, dict):
            return {}
        return {rel: rec for rel, rec in files.items() if _valid(rec)}


def _prune(folder: Path, keep: Path) -> None:
    records = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in records[MAX_FOLDERS:]:
        if old != keep:
            old.unlink(missing_ok=True)


def _valid(record: Any) -> bool:
    return (isinstance(record, list) and len(record) == 6 and all(type(v) is int for v in record[:5])
            and isinstance(record[5], str) and len(record[5]) == 64)
