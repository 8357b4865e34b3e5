"""One digest of the tool as installed: what every cache and incremental build must be keyed on.

Every file of the package (code, catalogs, built-in templates and styles) and the versions of the
libraries that check or draw. A changed translation, rule or template therefore invalidates checked rows
(``rowcache.py``) and every district's files (``build.py``) alike; hashing the ~2 MB takes about 10 ms,
once per process.
"""

from __future__ import annotations

import functools
import hashlib
import sys
from pathlib import Path

from directory_builder import __version__

#: Libraries whose version changes what a row check gives or what is drawn.
LIBRARIES = ("reportlab", "jinja2", "babel", "pythainlp", "uharfbuzz", "svglib", "fonttools", "phonenumbers",
             "email-validator", "pydantic", "python-calamine", "openpyxl")


@functools.cache
def tool_digest() -> str:
    from importlib import metadata

    root = Path(__file__).parents[1]
    digest = hashlib.sha256(f"{__version__};python={sys.version}".encode())
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                       and p.suffix not in (".pyc", ".pyo")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-".encode())
    return digest.hexdigest()
