"""One digest of the tool as installed: what every cache and incremental build must be keyed on.

Every file of the package (code, catalogs), every built-in template and style (wherever they live, see
``templates_path.py``) and the versions of the libraries that check or draw. A changed translation, rule or
template therefore invalidates checked rows (``rowcache.py``) and every district's files (``build.py``)
alike; hashing the ~2.5 MB takes a few tens of milliseconds, once per process.
"""

from __future__ import annotations

import functools
import hashlib
import sys
from pathlib import Path

from directory_builder import __version__
from directory_builder.util.templates_path import BUILTIN_TEMPLATES

#: Libraries whose version changes what a row check gives or what is drawn.
LIBRARIES = ("reportlab", "jinja2", "babel", "pythainlp", "uharfbuzz", "svglib", "fonttools", "phonenumbers",
             "email-validator", "pydantic", "python-calamine", "openpyxl")


@functools.cache
def tool_digest() -> str:
    from importlib import metadata

    digest = hashlib.sha256(f"{__version__};python={sys.version}".encode())
    for name, path in _tool_files():
        digest.update(name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-".encode())
    return digest.hexdigest()


def _tool_files() -> list[tuple[str, Path]]:
    """Every file of the package and of the built-in templates, named relative to the package, sorted.

    An installed wheel carries the templates inside the package; a source checkout keeps them in the
    top-level ``templates/`` folder, outside it, so they are added by name ``templates/...`` in both cases
    (an edited template must invalidate the caches wherever it lives).
    """
    package = Path(__file__).parents[1]
    files = {_name(path, package): path for path in _files_under(package)}
    if not BUILTIN_TEMPLATES.resolve().is_relative_to(package.resolve()):
        files.update({_name(path, BUILTIN_TEMPLATES.parent): path for path in _files_under(BUILTIN_TEMPLATES)})
    return sorted(files.items())


def _files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
            and p.suffix not in (".pyc", ".pyo")]


def _name(path: Path, base: Path) -> str:
    return path.relative_to(base).as_posix()
