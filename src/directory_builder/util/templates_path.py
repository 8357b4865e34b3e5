"""The theme search path: a user's template folders first, then the built-in ``templates/``.

Like mkdocs' ``custom_dir``: an NGO copies one file (a CSS, a style YAML, a front-matter text), changes
it, and passes ``--template-dir``; every file it did not copy still comes from the built-in set.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path

BUILTIN_TEMPLATES = Path(str(resources.files("directory_builder") / "templates"))


def search_path(template_dirs: Iterable[Path] = ()) -> tuple[Path, ...]:
    return (*(Path(d) for d in template_dirs), BUILTIN_TEMPLATES)


def find_template(relpath: str, template_dirs: Iterable[Path] = ()) -> Path:
    """The first ``relpath`` on the search path; FileNotFoundError names every place looked at."""
    tried = []
    for base in search_path(template_dirs):
        candidate = base / relpath
        if candidate.is_file():
            return candidate
        tried.append(str(candidate))
    raise FileNotFoundError(f"template file {relpath!r} not found in: " + ", ".join(tried))
