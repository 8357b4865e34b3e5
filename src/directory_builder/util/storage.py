"""The one module that writes files: every output, export, copy, report and cache goes through it.

A half-written file never replaces a good one (Ctrl-C, a full disk, a crash): each file is written to a
temporary ``.part`` file beside it (``O_EXCL | O_NOFOLLOW``, with the mode its final file should have),
synced and renamed into place; whatever stops the write removes the ``.part`` file. One error policy:

- what the user asked for (build outputs, exports, the template, annotated copies, ``report --out``): any
  ``OSError`` becomes an ``OutputError``, one plain sentence naming the path (``util/oserrors.py``);
- the tool's own caches (``util/cachedir.py``: fonts, QR symbols, checked rows, file records): the same
  write, but a failure only means the cache is not kept (``write_cache`` returns False), never an error.

New files get the user's umask, or 0600 (folders 0700) when ``private``; inside an output folder
(``root``) no link is ever followed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO

from directory_builder.i18n import _
from directory_builder.util.errors import OutputError
from directory_builder.util.oserrors import output_error

#: Modes asked of the system for new files and folders; the user's umask still applies (0666 & ~umask).
FILE_MODE = 0o666
FOLDER_MODE = 0o777
#: Outputs only their owner may read: the practitioner edition, exports, staff reports, annotated copies.
PRIVATE_FILE_MODE = 0o600
PRIVATE_FOLDER_MODE = 0o700
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def write_bytes(path: Path, data: bytes, *, root: Path | None = None, private: bool = False) -> None:
    """Write ``data`` to ``path`` atomically (see ``replace_on_success`` for ``root`` and ``private``)."""
    write_with(path, lambda fh: fh.write(data), root=root, private=private)


def write_with(path: Path, dump: Callable[[IO[bytes]], object], *, root: Path | None = None,
               private: bool = False) -> None:
    """Write what ``dump`` writes to the open file it is given to ``path`` atomically, without first
    holding it all in memory (a pickled national workbook); like ``write_bytes`` otherwise."""
    with replace_on_success(path, root=root, private=private) as tmp, open(tmp, "wb") as fh:
        dump(fh)


def write_cache(path: Path, dump: Callable[[IO[bytes]], object]) -> bool:
    """A cache entry (0600) written like every file; False, silently, when it cannot be.

    A cache is the tool's own shortcut: a read-only or full cache folder, or a folder planted in the
    entry's place, only means doing the work again next time, never a failed command. Ctrl-C still stops.
    """
    if not path.parent.is_dir():
        return False  # cache folders are made and checked by cachedir only
    try:
        write_with(path, dump, private=True)  # a link planted in its place is replaced, never followed
    except Exception:
        return False
    return True


def write_folder(out: Path, files: Mapping[str, bytes], *, private: bool = True) -> None:
    """Replace the folder ``out`` with one holding exactly ``files`` (name -> bytes), atomically.

    The new folder is written beside ``out`` (``mkdtemp``: 0700; files 0600 when ``private``), then
    swapped in; the previous folder is put back if the swap fails. A full disk or a read-only folder is
    one sentence naming ``out``. The caller decides whether ``out`` may be replaced.
    """
    out = Path(out)
    try:
        make_folders(out.parent, private=private)
        _swap_folder(out, files, private)
    except OutputError:
        raise
    except OSError as exc:
        raise _output_error(out, exc) from exc


def _swap_folder(out: Path, files: Mapping[str, bytes], private: bool) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent))
    old: Path | None = None
    try:
        for name, data in files.items():
            with os.fdopen(_open_new(tmp / name, PRIVATE_FILE_MODE if private else FILE_MODE), "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        if out.is_dir():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
            os.rmdir(old)
            os.replace(out, old)
            try:
                os.replace(tmp, out)
            except BaseException:
                os.replace(old, out)  # put the previous folder back
                old = None
                raise
        else:
            os.replace(tmp, out)
    finally:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(tmp)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def replace_on_success(path: Path, *, root: Path | None = None, private: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it into place only if the block finishes.

    Whatever stops the block (an exception, Ctrl-C, a full disk) removes the temporary ``.part`` file and
    leaves ``path`` as it was. A full disk or a folder we may not write to becomes an ``OutputError``: one
    plain sentence instead of a traceback.

    New files and folders get the user's umask (``0666 & ~umask``, ``0777 & ~umask``), or, when
    ``private``, are readable by their owner only (0600, 0700). With ``root`` (an output folder the tool
    owns), ``path`` must lie below it and no folder between them, nor ``path`` itself, may be a symbolic
    link: such a write is refused (one sentence naming the link), so a link planted in the output folder
    can never send a file elsewhere. The user's own ``root`` may itself be a link: that path is theirs.
    """
    path = Path(path)
    try:
        if root is None:
            make_folders(path.parent, private=private)
        else:
            make_folders(Path(root), private=private)
            check_below(Path(root), path, create=True, private=private)
        tmp = _new_temp(path, private)
    except OutputError:
        raise
    except OSError as exc:
        raise _output_error(path, exc) from exc
    try:
        try:
            yield tmp
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            if root is not None:
                check_below(Path(root), path)  # again just before the rename: nothing was swapped meanwhile
            os.replace(tmp, path)
        except OutputError:
            raise
        except OSError as exc:
            raise _output_error(path, exc) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _new_temp(path: Path, private: bool) -> Path:
    """Create an empty temporary file beside ``path`` with the mode its final file should have.

    Not ``tempfile.mkstemp``: that makes 0600 whatever the umask, which would then need a chmod to a mode
    guessed for the user. ``O_EXCL | O_NOFOLLOW``: never an existing file, never through a link.
    """
    mode = PRIVATE_FILE_MODE if private else FILE_MODE
    for _attempt in range(100):
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.part"
        try:
            fd = _open_new(tmp, mode)
        except FileExistsError:
            continue
        os.close(fd)
        return tmp
    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))  # pragma: no cover


def _open_new(path: Path, mode: int) -> int:
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, mode)


def make_folders(folder: Path, *, private: bool = False) -> None:
    """``mkdir -p`` where each folder made gets ``0777 & ~umask``, or 0700 when ``private`` (pathlib's
    ``parents=True`` would give the folders above the last one the default mode)."""
    folder = Path(folder)
    missing: list[Path] = []
    while not folder.is_dir():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for each in reversed(missing):
        with contextlib.suppress(FileExistsError):
            each.mkdir(mode=PRIVATE_FOLDER_MODE if private else FOLDER_MODE)


def check_below(root: Path, path: Path, *, create: bool = False, private: bool = False) -> None:
    """Refuse (``OutputError``) when a folder between ``root`` and ``path``, or ``path`` itself, is a link
    (or is not what it must be: a folder, a file); with ``create``, make the missing folders.

    Checked with ``lstat``, component by component: a link is never followed, whatever it points to.
    """
    root, path = Path(root), Path(path)
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        raise OutputError(errno.EXDEV, _("'{path}' is outside the output folder '{root}'; directory-builder "
                                         "writes only inside it.").format(path=path, root=root)) from None
    if not parts or ".." in parts:
        raise OutputError(errno.EXDEV, _("'{path}' is outside the output folder '{root}'; directory-builder "
                                         "writes only inside it.").format(path=path, root=root))
    current = root
    for index, part in enumerate(parts):
        current = current / part
        last = index == len(parts) - 1
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            if last or not create:
                return
            with contextlib.suppress(FileExistsError):
                current.mkdir(mode=PRIVATE_FOLDER_MODE if private else FOLDER_MODE)
            info = os.lstat(current)
        if stat.S_ISLNK(info.st_mode) or _is_junction(current):
            raise link_refused(current)
        if not last and not stat.S_ISDIR(info.st_mode):
            raise OutputError(errno.ENOTDIR, _("'{path}' is a file where directory-builder needs a folder. Move "
                                               "it away, or choose another output folder, and run the command "
                                               "again.").format(path=current))
        if last and stat.S_ISDIR(info.st_mode):
            raise OutputError(errno.EISDIR, _("'{path}' is a folder where directory-builder needs to write a "
                                              "file. Move it away, or choose another output folder, and run the "
                                              "command again.").format(path=current))


def link_refused(path: Path) -> OutputError:
    """The sentence for a symbolic link inside an output folder (never followed, never replaced)."""
    return OutputError(errno.ELOOP, _("'{path}' is a link to another place, and directory-builder never writes "
                                      "through a link inside the output folder. Remove the link, or choose "
                                      "another output folder, and run the command again.").format(path=path))


def _is_junction(path: Path) -> bool:
    """A Windows junction is a link too (``Path.is_junction`` exists from Python 3.12)."""
    check = getattr(path, "is_junction", None)
    return bool(check()) if callable(check) else False


def _output_error(path: Path, exc: OSError) -> OSError:
    """A plain sentence naming ``path`` for every way a write fails (directory_builder.util.oserrors): a full
    disk or a read-only folder is the user's to fix, not a bug to report."""
    return output_error(path, exc)
