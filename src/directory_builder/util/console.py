"""Messages reach a console that cannot show every script without a traceback.

A Windows console opened in an old code page, output redirected to a file there (cp1252), or
``PYTHONIOENCODING`` set to a legacy encoding cannot encode Thai or Vietnamese text: Python would stop the
command with ``UnicodeEncodeError`` in the middle of its report. Letters the console cannot show become
``?`` instead; the files written (PDF, HTML, workbooks) are always UTF-8 and are not affected.
"""

from __future__ import annotations

import codecs
import contextlib
import sys


def _unicode_complete(encoding: str | None) -> bool:
    """True for the UTF encodings, which can encode every character."""
    if not encoding:
        return False
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


def never_fail_on_letters() -> None:
    """Standard output and error replace the characters their encoding lacks instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None or _unicode_complete(getattr(stream, "encoding", None)):
            continue
        with contextlib.suppress(ValueError, OSError):  # a stream already closed, or one that cannot change
            reconfigure(errors="replace")
