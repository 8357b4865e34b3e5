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
only in the user's own cache folder (never beside the outputs, which are published, and never in the
shared temporary folder). Reading it unpickles it, which runs code, so it is read and written only through
``cachedir``: the folder is private (0700), the file is readable by its owner only (0600), opened without
following links, and used only if it is ours alone and carries the key of this workbook and the hash of its
content. DIRECTORY_BUILDER_NO_CACHE=1 turns it off, ``build --full`` checks every row again, and deleting
the folder is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from directory_builder.util import cachedir
from directory_builder.util.cachedir import user_cache_root
from directory_builder.util.fingerprint import tool_digest

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
        #: The entry is for this workbook only: another workbook's file copied or linked in is ignored.
        self._key = cachedir.entry_key("rows", FORMAT_VERSION, resolved)
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
        data = _load(self._checked_folder(), self.path.name, self._key) if self.reuse else None
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
        folder = self._checked_folder()
        data = {"context": self._context, "rows": self._new}
        # Never fails: a read-only or full home folder only means checking every row next time.
        saved = cachedir.write_entry_with(folder, self.path.name, self._key,
                                          lambda fh: pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL))
        if saved and folder is not None:
            with contextlib.suppress(OSError):
                _prune(folder, keep=self.path)

    def _checked_folder(self) -> Path | None:
        """The rows folder, ours alone (``cachedir``); None when it cannot be (then nothing is kept)."""
        return cachedir.private_folder(self.folder)


def context_digest(context: Sequence[Any]) -> str:
    """A hash of ``context`` together with the tool as installed (``fingerprint.py``)."""
    payload = (FORMAT_VERSION, tool_digest(), *context)
    return hashlib.sha256(repr(payload).encode("utf-8")).hexdigest()


def row_key(row: int, cells: dict[int, Any]) -> bytes:
    """The row number and its cells (in column order, as read): str, int, float, bool, datetime, None."""
    return hashlib.blake2b(pickle.dumps((row, tuple(cells.items())), protocol=4), digest_size=16).digest()


def _load(folder: Path | None, name: str, key: str) -> Any:
    """The cache file's content, if ``cachedir`` vouches for it; None when missing, foreign or damaged."""
    fh = cachedir.open_entry(folder, name, key)
    if fh is None:
        return None
    with fh:
        try:
            return pickle.load(fh)  # streamed: the rows of a national workbook are not held twice
        except Exception:
            return None


def _prune(folder: Path, keep: Path) -> None:
    files = sorted(folder.glob("*.pickle"), key=lambda p: p.lstat().st_mtime, reverse=True)
    for old in files[MAX_FILES:]:
        if old != keep:
            old.unlink(missing_ok=True)
