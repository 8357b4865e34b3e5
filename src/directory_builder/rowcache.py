"""Checked rows remembered between runs, so that a correction re-checks one row, not ten thousand.

Checking a row (phone numbers, e-mail addresses, choices, translations, the model) is the costly part of
validating a national workbook. A row whose cells and context have not changed gives the same service and
the same problems as last time, so both are kept, per workbook, in the user's cache folder:

- the key of a row is a hash of its row number and every cell value as read;
- the whole cache is dropped when anything else a row's check depends on changes: the tool (any file of
  the package, catalogs included) and the libraries it uses, the columns and their places, the Directory
  settings that rows are read with (country, languages, review period), the list of districts, today's
  date, the language messages are written in;
- checks across rows (duplicate IDs, possible duplicates, empty districts) always run again.

The cache holds what the workbook holds, internal columns and confidential addresses included, so it lives
only in the user's own cache folder (never beside the outputs, which are published): the folder is made
private (0700), the file is readable by its owner only (0600), and a file that another user owns or could
have written is ignored. DIRECTORY_BUILDER_NO_CACHE=1 turns it off, ``build --full`` checks every row
again, and deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from directory_builder.cachedir import user_cache_root
from directory_builder.fingerprint import tool_digest

#: Bump when what a cache entry holds changes shape.
FORMAT_VERSION = 1
NO_CACHE_ENV = "DIRECTORY_BUILDER_NO_CACHE"
#: Workbooks remembered at most; the least recently used files go first.
MAX_FILES = 20
Entry = tuple[Any, list[Any]]  # (Service | None, [Problem, ...])


def enabled() -> bool:
    return os.environ.get(NO_CACHE_ENV, "").strip().lower() not in ("1", "true", "yes", "on")


def cache_folder() -> Path:
    return user_cache_root() / "rows"


class RowCache:
    """The checked rows of one workbook: read once, consulted per row, written back once."""

    def __init__(self, workbook: Path, folder: Path | None = None, *, reuse: bool = True) -> None:
        self.folder = folder or cache_folder()
        self.reuse = reuse
        resolved = str(Path(workbook).resolve())
        self.path = self.folder / (hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:24] + ".pickle")
        self._context = ""
        self._old: dict[bytes, bytes] = {}
        self._new: dict[bytes, bytes] = {}
        self.hits = 0
        self.misses = 0

    # ---------------------------------------------------------------------------------------- reading

    def bind(self, context: str) -> None:
        """Load the rows checked in the same context (``context_digest``); anything else in the file is ignored."""
        self._context = context
        self._old = {}
        data = _load(self.path) if self.reuse else None
        if isinstance(data, dict) and data.get("context") == self._context and isinstance(data.get("rows"), dict):
            self._old = data["rows"]

    def get(self, key: bytes) -> Entry | None:
        blob = self._old.get(key)
        if blob is None:
            self.misses += 1
            return None
        try:
            entry: Entry = pickle.loads(blob)
        except Exception:  # a damaged entry is a miss, never a failure
            self.misses += 1
            return None
        self._new[key] = blob
        self.hits += 1
        return entry

    def put(self, key: bytes, service: Any, problems: Iterable[Any]) -> None:
        """Pickled now: later steps change services in place (generated IDs made unique)."""
        self._new[key] = pickle.dumps((service, list(problems)), protocol=pickle.HIGHEST_PROTOCOL)

    def put_pickled(self, key: bytes, blob: bytes) -> None:
        """A row checked by a child process, already pickled as ``put`` would."""
        self._new[key] = blob

    # ---------------------------------------------------------------------------------------- writing

    def save(self) -> None:
        """Keep this run's rows only (rows deleted from the workbook leave the cache). Never fails a run."""
        if not self._context or (not self.misses and len(self._new) == len(self._old)):
            return  # nothing new to remember
        try:
            _private_folder(self.folder)
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.part")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
            try:
                with os.fdopen(fd, "wb") as fh:
                    pickle.dump({"context": self._context, "rows": self._new}, fh, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self.path)
            finally:
                if tmp.exists():
                    tmp.unlink()
            _prune(self.folder, keep=self.path)
        except OSError:
            pass  # a read-only or full home folder: the next run checks every row again, that is all


def context_digest(context: Sequence[Any]) -> str:
    """A hash of ``context`` together with the tool as installed (``fingerprint.py``)."""
    payload = (FORMAT_VERSION, tool_digest(), *context)
    return hashlib.sha256(repr(payload).encode("utf-8")).hexdigest()


def row_key(row: int, cells: dict[int, Any]) -> bytes:
    """The row number and its cells (in column order, as read): str, int, float, bool, datetime, None."""
    return hashlib.blake2b(pickle.dumps((row, tuple(cells.items())), protocol=4), digest_size=16).digest()


def _load(path: Path) -> Any:
    """The cache file, if it is ours alone; None when missing, foreign, damaged or from another version."""
    try:
        with open(path, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not _trusted(info):
                return None
            return pickle.load(fh)
    except Exception:
        return None


def _trusted(info: os.stat_result) -> bool:
    """Unpickling runs code: read only a file that this user owns and nobody else could have written."""
    if not stat.S_ISREG(info.st_mode):
        return False
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: the profile folder is private by default
        return True
    return info.st_uid == getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _private_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if hasattr(os, "getuid"):
        info = folder.stat()
        if info.st_uid != os.getuid():
            raise PermissionError(f"{folder} belongs to another user")
        if info.st_mode & 0o077:
            folder.chmod(0o700)


def _prune(folder: Path, keep: Path) -> None:
    files = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[MAX_FILES:]:
        if old != keep:
            old.unlink(missing_ok=True)
