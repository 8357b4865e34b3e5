"""Write files so that a half-written file never replaces a good one (Ctrl-C, full disk, a crash)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from directory_builder.errors import OutputError
from directory_builder.oserrors import output_error


def write_bytes(path: Path, data: bytes) -> None:
    with replace_on_success(path) as tmp, open(tmp, "wb") as fh:
        fh.write(data)


@contextlib.contextmanager
def replace_on_success(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it into place only if the block finishes.

    Whatever stops the block (an exception, Ctrl-C, a full disk) removes the temporary ``.part`` file and
    leaves ``path`` as it was. A full disk or a folder we may not write to becomes an ``OutputError``: one
    plain sentence instead of a traceback.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise _output_error(path, exc) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        try:
            yield tmp
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except OutputError:
            raise
        except OSError as exc:
            raise _output_error(path, exc) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _output_error(path: Path, exc: OSError) -> OSError:
    """A plain sentence naming ``path`` for every way a write fails (directory_builder.oserrors): a full
    disk or a read-only folder is the user's to fix, not a bug to report."""
    return output_error(path, exc)


def open_text(path: Path) -> IO[str]:  # pragma: no cover - convenience for small reports
    return open(path, "w", encoding="utf-8", newline="\n")
