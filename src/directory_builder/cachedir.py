"""The per-user cache folder (fonts cut for the PDF, rows checked by ``validate``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: Points every cache somewhere else (tests, CI, a shared machine where the home folder is small).
CACHE_ENV = "DIRECTORY_BUILDER_CACHE_DIR"


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
