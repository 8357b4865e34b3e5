"""One build at a time per output folder, and a build that is stopped leaves nothing half-done behind.

Two builds writing into one folder at once would each replace some pages and then write a manifest that
describes only its own: the folder ends up a mix of two workbooks, with hashes that lie. So a build holds
a lock on the output folder from the moment it reads the previous manifest until it has written the new
one. The lock is ``fcntl.flock`` on a small file in the folder (``msvcrt.locking`` on Windows): the
operating system releases it when the process ends, however it ends, so a build killed with SIGKILL never
leaves a lock behind. Where neither works (some network drives), a file created with O_EXCL that holds the
owner's PID and host name takes its place; a file whose process is gone is taken over.

A build that is stopped (Ctrl-C, SIGTERM from a service manager or ``kill``) stops the same way: the
workers are stopped, the temporary ``.part`` files are removed and the manifest is left as the last
finished build wrote it. A build killed outright (SIGKILL, a power cut) cannot clean up: the next build
removes the ``.part`` files it left, and checks the bytes of every file it would reuse (build.py).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from directory_builder.i18n import _
from directory_builder.util.errors import InputError

#: The lock file, in the output folder. Not an output: never in the manifest, the index or a clean-up.
LOCK_NAME = ".directory-builder.lock"
#: The fallback lock, where the file system has no working flock: holds "PID host", removed on release.
PID_NAME = ".directory-builder.lock.pid"
#: How long a second build waits for the first before it gives up (seconds).
LOCK_WAIT = 5.0
_POLL = 0.1
#: errno values of a file system that has no working flock (some network drives): use the PID file.
_NO_FLOCK = frozenset({errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL})

#: The temporary files storage.py makes: ``.<file name>.<8 random characters>.part`` beside the file.
#: Only these names are ever removed, and only where this tool writes: the index (the registry's directory
#: outputs) and manifest.json at the top of the output folder, the district files (its district outputs)
#: in its language folders.
_PART = r"\.[a-z0-9_]{8}\.part"
_LANG_DIR = re.compile(r"^[a-z]{2,3}$")


class BuildLocked(InputError):
    """Another build holds the output folder (exit 2, one sentence naming the folder)."""


@contextlib.contextmanager
def build_lock(out: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the output folder's lock for the block; on the way out remove this build's ``.part`` files.

    Waits up to ``wait`` seconds (default ``LOCK_WAIT``) for a build that holds it, then raises
    ``BuildLocked``. Right after the lock is taken, ``.part`` files that a killed build left are removed:
    while the lock is held no other build can be writing them.
    """
    release = _acquire(Path(out), LOCK_WAIT if wait is None else wait)
    try:
        remove_part_files(out)
        yield
    finally:
        try:
            remove_part_files(out)  # a Ctrl-C between creating a temporary file and its clean-up
        finally:
            release()


def remove_part_files(out: Path) -> list[Path]:
    """Remove the temporary files this tool makes, in the output folder only; return what was removed.

    Symbolic links are never followed, and a name that is not exactly one storage.py makes for an output
    (``.kota-bandung.html.k2j4x9_a.part``) is left alone: it is somebody else's file.
    """
    removed: list[Path] = []
    top = Path(out)
    for entry in _scan(top):
        if entry.is_dir(follow_symlinks=False) and _LANG_DIR.match(entry.name):
            removed += [_remove(Path(sub.path)) for sub in _scan(Path(entry.path))
                        if district_part(sub.name) and sub.is_file(follow_symlinks=False)]
        elif _top_part(entry.name) and entry.is_file(follow_symlinks=False):
            removed.append(_remove(Path(entry.path)))
    return removed


def district_part(name: str) -> bool:
    """``.kota-bandung.card.pdf.k2j4x9_a.part``: a district file of a registered output, being written."""
    from directory_builder.outputs import suffix_pattern

    return re.fullmatch(r"\.[a-z0-9-]+" + suffix_pattern("district") + _PART, name) is not None


def _top_part(name: str) -> bool:
    from directory_builder.outputs import suffix_pattern

    return re.fullmatch(r"\.(manifest\.json|" + suffix_pattern("directory") + ")" + _PART, name) is not None


def _scan(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except OSError:
        return []


def _remove(path: Path) -> Path:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    return path


# ------------------------------------------------------------------------------------------- the lock


def _acquire(out: Path, wait: float) -> Any:
    """Take the lock (waiting up to ``wait`` seconds); return the function that releases it."""
    path = out / LOCK_NAME
    fd = _open_lock(path)
    deadline = time.monotonic() + wait
    while True:
        try:
            locked = _try_os_lock(fd)
        except BlockingIOError:
            locked = None
        except BaseException:
            os.close(fd)
            raise
        if locked and not _same_file(fd, path):
            # The build before removed the lock file while this one waited on it: lock the one now there.
            os.close(fd)
            fd = _open_lock(path)
            continue
        if locked:
            held = fd
            return lambda: _release_os_lock(held, path)
        if locked is False:
            os.close(fd)
            return _acquire_pid_file(out, deadline)
        if time.monotonic() >= deadline:
            os.close(fd)
            raise _locked(out)
        time.sleep(_POLL)


def _open_lock(path: Path) -> int:
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        return os.open(path, flags, 0o600)
    except OSError as exc:
        from directory_builder.util.oserrors import output_error

        raise output_error(path, exc) from exc


def _same_file(fd: int, path: Path) -> bool:
    """True when ``fd`` is still the file named ``path`` (not one removed by the build before)."""
    try:
        named = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    held = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


def _try_os_lock(fd: int) -> bool:
    """Lock ``fd`` without waiting: True when locked, BlockingIOError when another holds it, False when this
    file system has no such lock (then the PID file is used)."""
    try:
        import fcntl
    except ImportError:
        fcntl = None  # type: ignore[assignment]
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        import msvcrt  # Windows

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except PermissionError as exc:  # Windows says "locked" this way
            raise BlockingIOError(errno.EAGAIN, str(exc)) from exc
        return True
    except ImportError:
        return False
    except BlockingIOError:
        raise
    except OSError as exc:
        if exc.errno in _NO_FLOCK:
            return False
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            raise BlockingIOError(exc.errno, str(exc)) from exc
        raise


def _release_os_lock(fd: int, path: Path) -> None:
    """Remove the lock file while still holding it (a waiting build sees it gone and locks a new one, see
    ``_same_file``), so a finished or failed build leaves nothing in the folder; then close, which
    releases flock and msvcrt locks alike. Windows cannot remove an open file: there it stays."""
    if os.name == "posix":
        with contextlib.suppress(OSError):
            if _same_file(fd, path):
                path.unlink()
    os.close(fd)


def _acquire_pid_file(out: Path, deadline: float) -> Any:
    """The fallback: create a PID file exclusively, with our PID and host name; take over a dead one's."""
    pid_file = out / PID_NAME
    me = f"{os.getpid()} {socket.gethostname()}\n"
    while True:
        try:
            fd = os.open(pid_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except FileExistsError:
            if _stale(pid_file):
                with contextlib.suppress(FileNotFoundError):
                    pid_file.unlink()
                continue
            if time.monotonic() >= deadline:
                raise _locked(out, pid_file) from None
            time.sleep(_POLL)
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(me)
        return lambda: _release_pid_file(pid_file, me)


def _release_pid_file(path: Path, me: str) -> None:
    with contextlib.suppress(OSError):
        if path.read_text(encoding="utf-8") == me:
            path.unlink()


def _stale(path: Path) -> bool:
    """A PID file whose process is gone (on this computer). One from another computer is never stale."""
    try:
        text = path.read_text(encoding="utf-8").split()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    if len(text) != 2 or not text[0].isdigit():
        return False  # being written just now, or not ours: wait
    pid, host = int(text[0]), text[1]
    if host != socket.gethostname():
        return False
    return not pid_alive(pid)


def pid_alive(pid: int) -> bool:
    """Whether a process with this PID runs on this computer (without sending it anything)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would end the process there
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _locked(out: Path, pid_file: Path | None = None) -> BuildLocked:
    if pid_file is not None:
        return BuildLocked(
            _("Another build is writing to the folder '{folder}' (possibly from another computer). Wait for it "
              "to finish and run the command again; if no build is running, delete '{lock}' first.").format(
                folder=out, lock=pid_file))
    return BuildLocked(
        _("Another build is writing to the folder '{folder}'. Wait for it to finish and run the command again, "
          "or choose another folder with --out.").format(folder=out))


# ------------------------------------------------------------------------------------------- signals


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (``kill``, a service manager, a closing session) stops the block as Ctrl-C does.

    Without it the process would end at once: no ``.part`` clean-up, no orderly stop of the workers. Only
    the main thread may set a signal handler; elsewhere the block runs as it is.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def die_with_parent(parent: int) -> None:
    """In a worker: end when the build process ends, even if it was killed outright (Linux).

    A worker of a killed build would otherwise live on, holding memory and the CPU. ``PR_SET_PDEATHSIG``
    asks the kernel to send SIGKILL when the parent goes; if it is already gone, leave now.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os._exit(1)
