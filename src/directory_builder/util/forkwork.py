"""Share a CPU-bound pass over many rows with forked child processes (where fork is the start method).

Checking a national workbook for the first time is mostly phone numbers and e-mail addresses parsed in
pure Python: one core's work. On Linux, ``fork`` gives a child an instant copy of everything read so far;
the child checks its share of the rows and sends back their results as bytes (the same pickles the row
cache stores), while the parent checks its own share. Nothing here is needed for correctness: a child
that fails, or a platform without a safe ``fork`` (Windows, macOS), or a process that already runs other
threads, just means the parent does all the work itself.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from directory_builder.util import startmethod

T = TypeVar("T")

#: Below this many rows a child costs more than it saves.
MIN_ITEMS = 1500
#: Above this many, no child: each copies the rows it reads (touching an object copies its memory page)
#: and sends back its results as bytes the parent holds while it unpickles them, about 10 MB per 1,000
#: rows in all. Past this size the memory matters more than the seconds (docs/benchmark.md, memory).
MAX_ITEMS = 25_000
MAX_CHILDREN = 3


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Only where fork is the start method (Linux, unless ``DIRECTORY_BUILDER_START_METHOD`` says otherwise:
    ``util/startmethod.py``), and never with other threads running. With ``spawn`` the parent checks every
    row itself: a spawned child would import the whole program again and be sent its rows and the sheet's
    settings, which costs more than the second it could save at these sizes."""
    return startmethod.uses_fork() and hasattr(os, "fork") and threading.active_count() == 1


def split(items: Sequence[T]) -> list[Sequence[T]]:
    """The parent's share first, then one share per child; a single share when forking would not pay."""
    parts = min(usable_cpus(), MAX_CHILDREN + 1)
    if parts < 2 or not MIN_ITEMS <= len(items) <= MAX_ITEMS or not can_fork():
        return [items]
    size = -(-len(items) // parts)
    return [items[i : i + size] for i in range(0, len(items), size)]


class Children:
    """One forked child per share; ``results()`` gives each child's bytes (None where a child failed)."""

    def __init__(self, work: Callable[[Sequence[T]], bytes], shares: Sequence[Sequence[T]]) -> None:
        self._children: list[tuple[int, int]] = []  # (pid, read end of its pipe)
        for share in shares:
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: compute, send, and leave without running the parent's exit code
                code = 1
                try:
                    os.close(read)
                    signal.signal(signal.SIGINT, signal.SIG_DFL)
                    data = work(share)
                    with os.fdopen(write, "wb") as fh:
                        fh.write(data)
                    code = 0
                finally:
                    os._exit(code)
            os.close(write)
            self._children.append((pid, read))

    def results(self) -> list[bytes | None]:
        out: list[bytes | None] = []
        try:
            for pid, read in self._children:
                with os.fdopen(read, "rb") as fh:
                    data = fh.read()
                _pid, status = os.waitpid(pid, 0)
                ok = os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
                out.append(data if ok else None)
            self._children = []
            return out
        finally:
            self.stop()

    def stop(self) -> None:
        """Ctrl-C or an error in the parent: no child is left behind."""
        for pid, read in self._children:
            with contextlib.suppress(OSError):
                os.close(read)
            with contextlib.suppress(OSError):
                os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))  # SIGKILL: POSIX only
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
        self._children = []
