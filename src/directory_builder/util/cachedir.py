"""The tool's own caches (fonts cut for the PDF, QR symbols, rows checked by ``validate``): one gate for all.

A cache file decides what a victim reads: a QR symbol planted by someone else opens a phishing page under
a booklet line that prints the real address; a swapped font prints other glyphs; a row cache is unpickled
(which runs code). So every cache reads and writes only through this module, and trusts nothing it did
not write itself:

- the cache folder and every folder in it belong to the current user and nobody else may write them (the
  tool makes them 0700); a folder inside the cache that is a symbolic link, or another user's, is not used;
- a file is opened without following symbolic links (``O_NOFOLLOW``) and used only if it is a regular
  file of the current user that nobody else may write (the tool writes 0600);
- each entry starts with the key it was made for (a SHA-256 of what its content depends on: for a QR
  symbol the text, the options and the tool's fingerprint) and the SHA-256 of its content; a file whose
  key or hash disagrees (another entry copied or linked in, a damaged or older file) is ignored, and the
  caller makes the content again and replaces the file;
- writing goes through the one storage routine (``storage.write_cache``): a private temporary file in
  the same folder, renamed into place; a cache that cannot be written is skipped silently and never
  fails a command.

When the user's cache folder cannot be used (a read-only home, another user's folder), the faces and QR
symbols go to a per-user folder in the temporary directory (``directory-builder-<uid>``, 0700, checked after
it is made; one planted by someone else, or with another mode, is refused for a fresh ``mkdtemp`` folder,
removed when the process ends). The row cache, which holds confidential addresses, never goes there.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, BinaryIO

from directory_builder.util.storage import write_cache

#: Points every cache somewhere else (tests, CI, a shared machine where the home folder is small).
CACHE_ENV = "DIRECTORY_BUILDER_CACHE_DIR"

#: The first bytes of every cache entry; bump when the header changes.
_MAGIC = b"DBCACHE1\n"
_HEX = 64  # a SHA-256 in hexadecimal
_HEADER = len(_MAGIC) + 2 * (_HEX + 1)
#: Open flags: never through a symbolic link, never block on a planted FIFO, binary on Windows.
_READ_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
               | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))

#: The ``mkdtemp`` folder of this process, when the per-user temporary folder was refused.
_fresh_temp: Path | None = None


def user_cache_root() -> Path:
    """The platform's per-user cache folder (no extra package needed); overridable for tests and CI."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "directory-builder" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "directory-builder"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "directory-builder"


# ------------------------------------------------------------------------------------------ folders


def cache_folder(name: str, *, temp_fallback: bool = True) -> Path | None:
    """``<cache>/<name>`` (``name`` may have several parts, e.g. ``qr/1a2b``), made and checked as ours.

    The user's cache folder first; when it cannot be used, and ``temp_fallback`` allows it, the per-user
    temporary folder. None when neither can be used: the caller then keeps what it makes in memory only.
    """
    parts = [p for p in name.split("/") if p]
    with contextlib.suppress(OSError):
        return _private_subfolders(_checked_root(user_cache_root()), parts)
    if temp_fallback:
        with contextlib.suppress(OSError):
            base = temp_root()
            if base is not None:
                return _private_subfolders(base, parts)
    return None


def private_folder(folder: Path) -> Path | None:
    """``folder`` itself (a library caller's choice) made and checked like ``cache_folder``; None if refused."""
    with contextlib.suppress(OSError):
        return _private_subfolders(_checked_root(folder.parent), [folder.name])
    return None


def _checked_root(root: Path) -> Path:
    """A cache root, made 0700 if missing; refused (OSError) if another user could write it.

    The root may be a symbolic link the user made (a cache moved to another disk); what the tool makes
    inside it may not. An existing root is not chmod-ed: it may be a folder the user shares on purpose.
    """
    if not root.is_dir():
        root.mkdir(parents=True, mode=0o700)
    info = root.stat()
    if _posix() and (_owner(info) != os.geteuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
        raise PermissionError(f"{root} is not private to this user")
    return root


def _private_subfolders(base: Path, parts: list[str]) -> Path:
    """Make or check each folder below ``base``: a real folder (not a link) of ours, mode 0700."""
    folder = base
    for part in parts:
        folder = folder / part
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder, 0o700)
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode):
            raise NotADirectoryError(f"{folder} is not a folder")
        if _posix():
            if _owner(info) != os.geteuid():
                raise PermissionError(f"{folder} belongs to another user")
            if stat.S_IMODE(info.st_mode) != 0o700:
                os.chmod(folder, 0o700)  # ours, and not a link (lstat above)
    return folder


def temp_root() -> Path | None:
    """The per-user folder in the temporary directory, or a fresh private one if that was planted.

    ``<tmp>/directory-builder-<uid>`` is used only if it is a real folder of ours with mode exactly 0700,
    checked after it is made: anyone may make that name first in a shared temporary directory (a folder
    to read or plant cache files in, a link to one). Anything else: a ``mkdtemp`` folder,
    the same one for the rest of this process (and the workers forked from it), removed when it ends.
    """
    global _fresh_temp
    base = Path(tempfile.gettempdir())
    user = str(os.geteuid()) if _posix() else os.environ.get("USERNAME", "user")
    shared = base / f"directory-builder-{user}"
    with contextlib.suppress(OSError):
        try:
            os.mkdir(shared, 0o700)
            os.chmod(shared, 0o700)  # the umask may have taken bits away; ours, just made
        except FileExistsError:
            pass
        if _private_folder(shared):
            return shared
    if _fresh_temp is not None and _private_folder(_fresh_temp):
        return _fresh_temp
    try:
        fresh = Path(tempfile.mkdtemp(prefix="directory-builder-", dir=base))
    except OSError:
        return None
    if not _private_folder(fresh):
        return None
    _fresh_temp = fresh
    # Run when this process ends, build workers included (multiprocessing runs its finalizers in each
    # worker, where ``atexit`` does not run); a worker forked later does not inherit it.
    from multiprocessing.util import Finalize

    Finalize(None, _remove_fresh_temp, args=(fresh, os.getpid()), exitpriority=0)
    return fresh


def _private_folder(folder: Path) -> bool:
    """A real folder (not a link) of this user with mode 0700."""
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    return not _posix() or (_owner(info) == os.geteuid() and stat.S_IMODE(info.st_mode) == 0o700)


def _remove_fresh_temp(folder: Path, pid: int) -> None:
    """A ``mkdtemp`` folder serves one process only; forked workers leave it to the process that made it."""
    if os.getpid() == pid:
        shutil.rmtree(folder, ignore_errors=True)


def _owner(info: os.stat_result) -> int:
    """Who owns a file or folder (one place, so tests without root can pose as another user)."""
    return info.st_uid


def _posix() -> bool:
    return hasattr(os, "geteuid")


# ------------------------------------------------------------------------------------------ entries


def entry_key(*parts: object) -> str:
    """The key of an entry: a SHA-256 of everything its content depends on (``repr`` of ``parts``)."""
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def open_entry(folder: Path | None, name: str, key: str) -> BinaryIO | None:
    """The entry stored under ``name`` for ``key``, checked, as an open file positioned at its content.

    None when missing, foreign, linked, damaged or stale. The hash is computed in chunks, so a large entry
    (the rows of a national workbook) is never held in memory twice; the caller closes the file.
    """
    if folder is None:
        return None
    try:
        fh = os.fdopen(os.open(folder / name, _READ_FLAGS), "rb")
    except OSError:
        return None
    try:
        if _trusted_file(os.fstat(fh.fileno())):
            header = fh.read(_HEADER)
            digest = hashlib.sha256()
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
            if header == _header(key, digest.hexdigest()):
                fh.seek(_HEADER)
                return fh
    except OSError:
        pass
    fh.close()
    return None


def read_entry(folder: Path | None, name: str, key: str) -> bytes | None:
    """The content stored under ``name`` for ``key``; None when missing, foreign, linked, damaged or stale."""
    fh = open_entry(folder, name, key)
    if fh is None:
        return None
    with fh:
        try:
            return fh.read()
        except OSError:
            return None


def write_entry(folder: Path | None, name: str, key: str, content: bytes) -> bool:
    """Store ``content`` for ``key`` atomically (0600). False, silently, when it cannot be written."""
    return write_entry_with(folder, name, key, lambda fh: fh.write(content))


def write_entry_with(folder: Path | None, name: str, key: str, dump: Callable[[_HashingWriter], object]) -> bool:
    """Store what ``dump`` writes to the file it is given, like ``write_entry``, without a copy in memory.

    Written by ``storage.write_cache``, the one routine every file goes through (a private ``.part`` file
    beside the entry, renamed into place when complete); whatever goes wrong (a full disk, a read-only
    folder, a folder planted in the entry's place) only means the cache is not kept: False, never an error.
    """
    if folder is None:
        return False

    def dump_entry(fh: IO[bytes]) -> None:
        fh.write(_header(key, "0" * _HEX))  # the content's hash is known at the end
        writer = _HashingWriter(fh)
        dump(writer)
        fh.seek(0)
        fh.write(_header(key, writer.digest.hexdigest()))

    return write_cache(folder / name, dump_entry)


class _HashingWriter:
    """A file to write an entry's content to (``pickle.dump`` needs only ``write``), hashing as it goes."""

    def __init__(self, fh: IO[bytes]) -> None:
        self._fh = fh
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self._fh.write(data)


def _header(key: str, content_hash: str) -> bytes:
    return b"".join((_MAGIC, key.encode("ascii"), b"\n", content_hash.encode("ascii"), b"\n"))


def _trusted_file(info: os.stat_result) -> bool:
    """A regular file of this user that nobody else may write (Windows: the profile is private already)."""
    if not stat.S_ISREG(info.st_mode):
        return False
    if not _posix():
        return True
    return _owner(info) == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
