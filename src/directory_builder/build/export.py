"""The ``export`` command: Open Referral HSDS 3.0, an HXL-tagged CSV, or plain JSON, for other systems.

Each export is an output of the registry (``outputs/``: its name is the ``--format`` value) and obeys
the edition's publishing rules exactly like the directories: the rows and fields come from
``selection.published_directory`` and nowhere else. A workbook with errors exports nothing (the
caller reports the errors and exits 1). Every file is written by ``util/storage.py``, atomically; the
HSDS folder is written beside its destination and renamed into place. Exports are readable by their owner
only (files 0600, folders 0700): they go to other systems, not to a web site, and whoever shares them
decides who reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from directory_builder.check.problems import Problem
from directory_builder.check.validate import validate_workbook
from directory_builder.i18n import _
from directory_builder.outputs import ExportOutput, export_formats, export_output
from directory_builder.publish.selection import published_directory
from directory_builder.publish.view import Edition
from directory_builder.util.errors import InputError
from directory_builder.util.oserrors import check_output_file
from directory_builder.util.storage import write_bytes, write_folder

EDITIONS: tuple[Edition, ...] = ("public", "practitioners")


@dataclass
class ExportResult:
    errors: list[Problem] = field(default_factory=list)  # validation errors: nothing was exported
    count: int = 0  # services exported
    out: Path | None = None


def export_workbook(workbook: Path, format: str, out: Path, *, edition: str) -> ExportResult:
    """Validate ``workbook`` and write the edition's published services to ``out`` as ``format``."""
    output = export_output(format)
    if output is None:
        raise InputError(_("'{value}' is not an export format. Use one of: {formats}.").format(
            value=format, formats=", ".join(export_formats())))
    if edition not in EDITIONS:
        raise InputError(_("'{value}' is not an edition. Use public or practitioners.").format(value=edition))
    ed: Edition = "practitioners" if edition == "practitioners" else "public"
    out = Path(out)
    _check_out(Path(workbook), out, output)
    result = validate_workbook(workbook)
    if result.errors or result.directory is None:
        return ExportResult(errors=result.errors)
    published = published_directory(result.directory, ed)
    files = output.render(published)
    if output.folder:
        output.check_destination(out)
        write_folder(out, files, private=True)
    else:
        (data,) = files.values()
        write_bytes(out, data, private=True)
    return ExportResult(count=len(published.entries), out=out)


def _check_out(workbook: Path, out: Path, output: ExportOutput) -> None:
    """Refuse destinations that would destroy the input or cannot hold the export (exit 2)."""
    if out.resolve() == workbook.resolve():
        raise InputError(_("The output '{path}' is the workbook itself. Choose another name: the workbook is "
                           "never changed.").format(path=out))
    if output.folder:
        output.check_destination(out)
        return
    if out.is_dir():
        raise InputError(_("'{path}' is a folder. Give a file name for the export, for example "
                           "services.csv or services.json.").format(path=out))
    check_output_file(out)  # a file on the way, or a device such as /dev/full: one sentence
