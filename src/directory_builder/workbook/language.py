"""The language a workbook was made in, so staff read messages in it without asking.

``template --lang id`` records ``id`` in the workbook's document properties (``dc:language`` in
``docProps/core.xml``, which Excel and LibreOffice keep when they save). A workbook without it (made by
hand, or by another program) is taken to speak the first language of its Languages setting.

This only picks the language of messages: any failure to read says "unknown" and the command itself then
reports the problem with the file, in the next language of the chain.
"""

from __future__ import annotations

import functools
import re
import zipfile
from pathlib import Path

from directory_builder.i18n import SHIPPED_LANGUAGES

#: docProps/core.xml is a few hundred bytes; anything larger is not read for this.
_MAX_CORE_BYTES = 64 * 1024
_DC_NS = "{http://purl.org/dc/elements/1.1/}"


def workbook_language(path: Path) -> str | None:
    """The shipped language ``path`` was made in, else the first of its Languages, else None."""
    try:
        stat = path.stat()
    except OSError:
        return None  # the command says what is wrong with the path
    return _workbook_language(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _workbook_language(path: str, _mtime_ns: int, _size: int) -> str | None:
    """Asked before and after the command line is parsed: the same file is opened once."""
    try:
        recorded = _recorded_language(Path(path))  # one small part, read with a bound: no archive check
        if recorded:
            return recorded
        from directory_builder.workbook.reader import check_archive

        check_archive(Path(path))  # size, zip bombs, encryption: never open what the reader would refuse
        return _first_setting_language(Path(path))
    except Exception:  # the command reads the file again and reports what is wrong
        return None


def _recorded_language(path: Path) -> str | None:
    """``dc:language`` of the document properties, when it is a shipped language."""
    from defusedxml import ElementTree

    with zipfile.ZipFile(path) as zf:
        try:
            info = zf.getinfo("docProps/core.xml")
        except KeyError:
            return None
        with zf.open(info) as part:
            data = part.read(_MAX_CORE_BYTES + 1)  # the declared size may lie: read no more than this
        if len(data) > _MAX_CORE_BYTES:
            return None
        root = ElementTree.fromstring(data)
    element = root.find(f"{_DC_NS}language")
    return _shipped(element.text if element is not None else None)


def _first_setting_language(path: Path) -> str | None:
    """The first code of the Languages setting on the Directory sheet (read like validation reads it)."""
    from directory_builder.workbook.reader import read_settings_sheet

    settings = read_settings_sheet(path)
    if settings is None:
        return None
    for key, _lang, _row, value, _label in settings.values:
        if key == "languages" and value is not None:
            first = re.split(r"[,;\s]+", str(value).strip(), maxsplit=1)[0]
            return _shipped(first)
    return None


def _shipped(code: str | None) -> str | None:
    """``"id"``, ``"id-ID"`` or ``"ID"`` -> ``"id"`` when it is a shipped language, else None."""
    base = (code or "").strip().lower().replace("_", "-").split("-")[0]
    return base if base in SHIPPED_LANGUAGES else None
