"""The theme search path: a user's template folders first, then the built-in ``templates/``.

Like mkdocs' ``custom_dir``: an NGO copies one file (a CSS, a style YAML, a front-matter text), changes
it, and passes ``--template-dir``; every file it did not copy still comes from the built-in set.

This module is the one place that knows where the built-in set lives. In the repository it is the
top-level ``templates/`` folder, beside ``src/``, so that everything an NGO adapts without Python (the
blank workbooks, HTML, CSS, PDF styles, front-matter texts, icons) sits in one visible place; a wheel
carries the same folder inside the package as ``directory_builder/templates`` (``pyproject.toml``'s
force-include), where an installed copy finds it.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path

#: ``src/directory_builder/util/templates_path.py`` -> the checkout's root, three folders up from ``util/``.
_CHECKOUT_TEMPLATES = Path(__file__).resolve().parents[3] / "templates"


def builtin_templates_folder() -> Path:
    """The built-in templates: inside the installed package (a wheel), else the checkout's top level.

    The packaged copy is looked at first so that an installed wheel never reads a folder that happens to
    sit three levels above site-packages; a source checkout (``PYTHONPATH=src`` or ``pip install -e .``)
    has no packaged copy and uses the folder beside ``src/``.
    """
    packaged = Path(str(resources.files("directory_builder") / "templates"))
    if packaged.is_dir():
        return packaged
    return _CHECKOUT_TEMPLATES


BUILTIN_TEMPLATES = builtin_templates_folder()

#: The committed blank workbooks, one per shipped language (``scripts/template_workbooks.py`` writes them).
BLANK_WORKBOOKS = BUILTIN_TEMPLATES / "workbooks"


def blank_workbook_name(lang: str) -> str:
    """The file name of the committed blank workbook in ``lang``."""
    return f"directory-template-{lang}.xlsx"


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
