"""Plain sentences for the ordinary ways reading or writing a file fails.

A full disk, a read-only folder, a file where a folder should be, a folder where a file should be: none
of these is a bug in directory-builder, so none may end in "stopped because of an unexpected problem ...
send the output to the maintainers". Every ``OSError`` met on a path the user gave becomes an
``OutputError`` (or an ``InputError`` for a file we read) whose text names the path and says what to do.
The CLI exits 2 with that one sentence; ``--debug`` still shows the original error.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from directory_builder.i18n import _
from directory_builder.util.errors import InputError, OutputError

#: errno values that mean "no room": the disk, the user's quota, or a file size limit.
NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
#: errno values that mean "you may not write there".
NO_PERMISSION = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})
#: errno values that mean "something of the wrong kind is in the way" (a file or a folder).
WRONG_KIND = frozenset({errno.ENOTDIR, errno.EEXIST, errno.EISDIR})
#: Every errno that is about the file system and the path, never about the program.
ORDINARY = NO_SPACE | NO_PERMISSION | WRONG_KIND | {errno.ENAMETOOLONG, errno.ELOOP, errno.ENOENT, errno.EIO,
                                                    errno.ENXIO, errno.ENODEV, errno.EBUSY, errno.ETXTBSY}


def file_in_the_way(path: Path) -> Path | None:
    """The first folder on the way to ``path`` that exists but is not a folder (a file, a device...)."""
    for ancestor in reversed(Path(path).parents):
        if str(ancestor) in ("", "."):
            continue
        with contextlib.suppress(OSError):
            if ancestor.exists() and not ancestor.is_dir():
                return ancestor
    return None


def _not_a_regular_file(path: Path) -> bool:
    """True for a device, a pipe or a socket: never replaced by an output (``/dev/null``, a named pipe)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def output_error(path: Path, exc: OSError) -> OutputError:
    """One sentence for a failed write of ``path`` (a file or a folder the user named), by errno."""
    path = Path(path)
    code = exc.errno or 0
    if code in NO_SPACE:
        message = _("There is no space left to write '{path}'; the previous file, if any, was kept. Free some disk "
                    "space or choose another folder, and run the command again.").format(path=path)
    elif code == errno.EACCES and _held_open_on_windows(path):
        message = _("'{path}' is open in another program (a PDF viewer, a browser, Excel), and Windows does not let "
                    "a file in use be replaced. Close it there, and run the command again.").format(path=path)
    elif code in NO_PERMISSION:
        message = _("directory-builder may not write '{path}' (the folder is read-only or you lack permission). "
                    "Choose another folder, and run the command again.").format(path=path)
    elif code in WRONG_KIND:
        message = _wrong_kind(path, exc)
    elif code == errno.ENAMETOOLONG:
        message = _("The name '{path}' is too long for this disk. Choose a shorter file or folder name, and run "
                    "the command again.").format(path=path)
    elif code == errno.ELOOP:
        message = _("'{path}' goes through a link that points back to itself (or through too many links). Choose "
                    "another place, and run the command again.").format(path=path)
    else:
        message = _("directory-builder could not write '{path}' ({reason}). Check that the folder exists, that "
                    "the disk is connected and that you may write there, and run the command again.").format(
            path=path, reason=exc.strerror or type(exc).__name__)
    return OutputError(code, message)


def _held_open_on_windows(path: Path) -> bool:
    """Windows refuses to replace or remove a file another program has open (``os.replace`` raises
    PermissionError, EACCES): the likely reason when the file exists and is not read-only."""
    if sys.platform != "win32":
        return False
    try:
        info = path.stat()
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and bool(info.st_mode & stat.S_IWRITE)


def _wrong_kind(path: Path, exc: OSError) -> str:
    """A file where a folder is needed (on the way to ``path``, or ``path`` itself), or the other way round."""
    blocker = file_in_the_way(path)
    if blocker is not None:
        return _("'{path}' cannot be written because '{file}' is a file, not a folder. Choose another place, or "
                 "move or rename that file, and run the command again.").format(path=path, file=blocker)
    if path.is_dir():
        return _("'{path}' is a folder, but a file is needed there. Give the name of a file (in that folder, "
                 "if you like), and run the command again.").format(path=path)
    if path.exists() and not path.is_dir():
        return _("'{path}' is a file, but a folder is needed there. Give the name of a folder (a new one is "
                 "made), or move or rename that file, and run the command again.").format(path=path)
    return _("directory-builder could not write '{path}' ({reason}). Check that the folder exists, that "
             "the disk is connected and that you may write there, and run the command again.").format(
        path=path, reason=exc.strerror or type(exc).__name__)


def temporary_space_error(path: Path, exc: BaseException) -> OutputError | None:
    """The sentence for a workbook that could not be prepared because the temporary folder is full.

    openpyxl writes each sheet to a temporary file before zipping it; on a full disk lxml reports
    ``SerialisationError('IO_ENOSPC')`` (or IO_EFBIG, IO_EDQUOT), the tempfile module an OSError. None for
    anything else (a bug, shown as one).
    """
    import tempfile

    code: int | None = None
    if isinstance(exc, OSError):
        code = exc.errno
    elif type(exc).__name__ == "SerialisationError" and str(exc).startswith("IO_"):
        code = getattr(errno, str(exc)[3:], None)
    if code not in NO_SPACE and code not in NO_PERMISSION:
        return None
    return OutputError(code or errno.ENOSPC, _(
        "There is no space left in the temporary folder '{folder}' to prepare '{path}' (or you may not write "
        "there). Free some disk space there, or set TMPDIR to a folder on another disk, and run the command "
        "again.").format(folder=tempfile.gettempdir(), path=path))


def input_error(path: Path, exc: OSError) -> InputError:
    """One sentence for a file or folder the user gave that could not be read."""
    if exc.errno in NO_PERMISSION:
        return InputError(_("directory-builder may not read '{path}' (you lack permission). Ask for access, or "
                            "copy the file to a folder of yours, and run the command again.").format(path=path))
    return InputError(_("directory-builder could not read '{path}' ({reason}). Check that it is there and that "
                        "the disk is connected, and run the command again.").format(
        path=path, reason=exc.strerror or type(exc).__name__))


def check_output_file(path: Path) -> None:
    """Before writing the single file ``path``: refuse, in one sentence, what could never work or must
    never be replaced (a folder, a device or pipe such as /dev/full, a file where a folder is needed)."""
    path = Path(path)
    _check_way(path)
    if path.is_dir():
        raise output_error(path, IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path)))
    if _not_a_regular_file(path):
        raise OutputError(errno.EEXIST, _(
            "'{path}' is not an ordinary file (it is a device, a pipe or a socket) and will not be replaced. "
            "Give the name of a file in a folder, and run the command again.").format(path=path))


def check_output_folder(path: Path) -> None:
    """Before writing into the folder ``path``: a file there or on the way, or a link loop, is one sentence."""
    path = Path(path)
    _check_way(path)
    if path.exists() and not path.is_dir():
        raise output_error(path, FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)))


def _check_way(path: Path) -> None:
    """Refuse a path that leads through a file or a link loop (``Path.resolve`` would raise RuntimeError)."""
    blocker = file_in_the_way(path)
    if blocker is not None:
        raise output_error(path, NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(blocker)))
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENAMETOOLONG):
            raise output_error(path, exc) from exc


@contextlib.contextmanager
def writing(path: Path) -> Iterator[None]:
    """Turn any OSError raised while writing ``path`` into an ``OutputError`` that names ``path``."""
    try:
        yield
    except OutputError:
        raise
    except OSError as exc:
        raise output_error(Path(path), exc) from exc


def _related(filename: object, path: Path) -> Path | None:
    """The path to name when ``filename`` (from an OSError) concerns the user's ``path``: ``filename``
    itself when it is ``path`` or lies inside it (a file in the output folder), ``path`` when ``filename``
    is a folder on its way; None when it is about something else."""
    if not isinstance(filename, str | bytes | os.PathLike):
        return None
    try:
        name = Path(os.fsdecode(filename))
        target = Path(path)
        absolute, absolute_target = name.absolute(), target.absolute()
    except (ValueError, OSError):
        return None
    if absolute == absolute_target or absolute_target in absolute.parents:
        return name
    if absolute in absolute_target.parents:
        return target
    return None


def user_path_error(exc: OSError, outputs: Iterable[Path | None] = (),
                    inputs: Iterable[Path | None] = ()) -> InputError | None:
    """The plain error for an OSError met on one of the paths of a command, or None when it is about none
    of them (then it may be a bug, and is shown as one). Without a file name (a write on a full disk), an
    ordinary errno is put on the command's only output."""
    outs = [Path(p) for p in outputs if p is not None]
    ins = [Path(p) for p in inputs if p is not None]
    for filename in (exc.filename, exc.filename2):
        for out in outs:
            named = _related(filename, out)
            if named is not None:
                return output_error(named, exc)
        for source in ins:
            named = _related(filename, source)
            if named is not None:
                return input_error(named, exc)
    if exc.filename is None and (exc.errno or 0) in ORDINARY and len(outs) == 1:
        return output_error(outs[0], exc)
    return None


def stdout_error(exc: OSError) -> InputError:
    """One sentence when the report cannot be written to the screen or to where it was redirected."""
    if (exc.errno or 0) in NO_SPACE:
        return OutputError(exc.errno or errno.ENOSPC, _(
            "The output could not be written: there is no space left where it was sent (the file after '>'). "
            "Free some disk space or send it elsewhere, and run the command again."))
    return OutputError(exc.errno or errno.EIO, _(
        "The output could not be written where it was sent ({reason}). Send it to the screen or to a file on "
        "another disk, and run the command again.").format(reason=exc.strerror or type(exc).__name__))
