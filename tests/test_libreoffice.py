"""A workbook filled in and saved by LibreOffice reads back identically."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from directory_builder.check.validate import validate_workbook

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "jakarta-westjava.xlsx"
TODAY = dt.date(2026, 4, 1)


@pytest.mark.soffice
def test_example_saved_by_libreoffice_reads_back_identically(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: scripts/install-test-deps.sh installs it")
    source = tmp_path / "in" / "example.xlsx"
    source.parent.mkdir()
    shutil.copy(EXAMPLE, source)
    out = tmp_path / "out"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--convert-to",
         "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    saved = out / "example.xlsx"
    assert saved.is_file() and saved.read_bytes() != source.read_bytes()
    original = validate_workbook(source, today=TODAY)
    roundtrip = validate_workbook(saved, today=TODAY)
    assert original.directory is not None and roundtrip.directory is not None
    assert roundtrip.errors == []
    assert roundtrip.directory.model_dump() == original.directory.model_dump()
    assert [p.to_dict() for p in roundtrip.problems] == [p.to_dict() for p in original.problems]


@pytest.mark.soffice
def test_the_language_a_template_was_made_in_survives_libreoffice(tmp_path: Path) -> None:
    """Staff messages follow the workbook's language (issue 14) after the workbook was saved elsewhere."""
    from directory_builder.workbook.language import workbook_language
    from directory_builder.workbook.template import write_template

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: scripts/install-test-deps.sh installs it")
    source = write_template(tmp_path / "in" / "kosong.xlsx", lang="th", languages=["th", "en"])
    out = tmp_path / "out"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--convert-to",
         "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    assert workbook_language(out / "kosong.xlsx") == "th"
