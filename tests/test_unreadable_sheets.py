"""Reading never guesses: a sheet the fast reader cannot parse is read by openpyxl, or the command stops.

python-calamine used to turn a sheet it could not parse into an empty one, which validate then reported
as a dozen missing columns. The workbooks here are made by editing one sheet's XML inside the zip.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import hostile
from directory_builder.check.validate import validate_workbook
from directory_builder.workbook import calamine
from directory_builder.workbook.reader import read_workbook

DESCRIPTION = b"We help people who were trafficked."


def _edited(path: Path, base: Path, sheet: str, edit: bytes | None = None, whole: bytes | None = None) -> Path:
    """``base`` with one cell of ``sheet`` changed (``edit`` is put inside the description text), or the
    whole sheet part replaced by ``whole``."""
    contents = hostile.members(base)
    member = hostile.sheet_member(contents, sheet)
    xml = contents[member]
    if whole is not None:
        contents[member] = whole
    else:
        assert edit is not None
        if sheet == "Services":
            contents[member] = xml.replace(b"We help people", b"We help " + edit + b" people", 1)
        else:
            contents[member] = xml.replace(b"Jakarta Pusat", b"Jakarta " + edit + b" Pusat", 1)
        assert contents[member] != xml
    return hostile.rezip(path, contents)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = hostile.valid_workbook(tmp_path_factory.mktemp("base") / "base.xlsx")
    pytest.importorskip("python_calamine")
    assert calamine.open_calamine(path) is not None, "these tests are about the calamine reader"
    return path


def _assert_stopped_naming(run: hostile.CliRun, sheet: str, workbook: Path) -> None:
    assert run.returncode == 2, (run.returncode, run.stdout, run.stderr)
    message = run.stderr.strip()
    assert "Traceback" not in message and "unexpected problem" not in message, message
    assert "\n" not in message, message
    assert f"'{sheet}'" in message and workbook.name in message, message
    assert "save it again" in message, message
    assert "missing" not in message
    assert run.stdout.strip() == ""


@pytest.mark.parametrize("reference", [b"&#xD800;", b"&#0;", b"&#x110000;"])
@pytest.mark.parametrize("sheet", ["Services", "Districts"])
def test_a_sheet_neither_reader_can_parse_stops_the_command_naming_it(
        tmp_path: Path, base: Path, sheet: str, reference: bytes) -> None:
    """Before: read as empty, then '12 errors': every column missing. Now: exit 2, the sheet named."""
    path = _edited(tmp_path / "broken.xlsx", base, sheet, reference)
    _assert_stopped_naming(hostile.run_cli("validate", path, cwd=tmp_path), sheet, path)


def test_build_stops_too_and_writes_nothing(tmp_path: Path, base: Path) -> None:
    path = _edited(tmp_path / "broken.xlsx", base, "Services", b"&#xD800;")
    out = tmp_path / "out"
    _assert_stopped_naming(hostile.run_cli("build", path, "--out", out, "--jobs", "1", cwd=tmp_path), "Services", path)
    assert not out.exists() or not any(out.rglob("*.html"))


def _services_text(path: Path) -> list[str]:
    result = validate_workbook(path)
    assert not result.errors, [p.message for p in result.errors]
    assert result.directory is not None
    return [s.description.values["en"] for s in result.directory.services if s.description]


def test_a_sheet_only_openpyxl_can_read_is_read_by_openpyxl(tmp_path: Path, base: Path) -> None:
    """A sheet declared as ISO-8859-1: calamine refuses it, openpyxl decodes it. Before: 12 missing columns."""
    contents = hostile.members(base)
    xml = contents[hostile.sheet_member(contents, "Services")]
    latin1 = b'<?xml version="1.0" encoding="ISO-8859-1"?>' + xml.replace(b"We help", b"We h\xe9lp")
    path = _edited(tmp_path / "latin1.xlsx", base, "Services", whole=latin1)
    assert _services_text(path) == ["We hélp people who were trafficked."]


def test_a_utf16_sheet_is_not_read_as_empty(tmp_path: Path, base: Path) -> None:
    """calamine reads a UTF-16 sheet as an empty grid without any error; such parts go to openpyxl."""
    contents = hostile.members(base)
    xml = contents[hostile.sheet_member(contents, "Services")]
    path = _edited(tmp_path / "utf16.xlsx", base, "Services", whole=xml.decode("utf-8").encode("utf-16"))
    assert _services_text(path) == [DESCRIPTION.decode()]


@pytest.mark.parametrize("reference", [b"&#1;", b"&#xFFFF;", b"&#x1F;"])
def test_odd_but_parseable_references_are_read_not_dropped(tmp_path: Path, base: Path, reference: bytes) -> None:
    """Characters Excel never writes but calamine parses: the cell keeps its text (the control is removed)."""
    path = _edited(tmp_path / "odd.xlsx", base, "Services", reference)
    (text,) = _services_text(path)
    assert text.startswith("We help") and text.endswith("people who were trafficked.")


def test_any_sheet_calamine_fails_on_falls_back_to_openpyxl(tmp_path: Path, base: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the reason calamine fails on a sheet, the rows come from openpyxl, not from an empty grid."""
    expected = read_workbook(base)

    def refuse(self: calamine.CalamineSheet) -> tuple[int, object]:
        raise calamine.SheetReadError(self.title)

    monkeypatch.setattr(calamine.CalamineSheet, "_source", refuse)
    got = read_workbook(base)
    assert got.services is not None and expected.services is not None
    assert got.services.rows == expected.services.rows and got.services.rows
    assert [p.code for p in got.problems] == [p.code for p in expected.problems]
