"""validate --fix-ids: a copy with the generated IDs written in; the input never changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from directory_builder.check.validate import validate_workbook
from directory_builder.cli import app
from directory_builder.util.errors import InputError
from directory_builder.workbook.ids import write_fixed_ids
from workbook_factory import make_workbook, service


def ids_of(path: Path) -> list[tuple[str, bool]]:
    result = validate_workbook(path)
    assert result.directory is not None
    return [(s.id, s.id_generated) for s in result.directory.services]


def test_blank_id_cells_are_filled_with_the_generated_ids(tmp_path: Path) -> None:
    source = make_workbook(tmp_path / "w.xlsx", services=[
        service(id=None, service_name="First"), service(id="KEEP-1", service_name="Second"),
        service(id=None, service_name="Third", notes="=formula stays text"),
    ], columns=["id"])
    before = source.read_bytes()
    result = validate_workbook(source)
    generated = [s.id for s in result.directory.services if s.id_generated]  # type: ignore[union-attr]
    assert len(generated) == 2
    out = write_fixed_ids(source, result.generated_ids(), tmp_path / "fixed.xlsx")
    assert source.read_bytes() == before
    assert ids_of(out) == [(generated[0], False), ("KEEP-1", False), (generated[1], False)]
    ws = load_workbook(out)["Services"]
    assert ws["A1"].value == "ID" and ws["A2"].value == "#meta+id" and ws["A4"].value == "KEEP-1"


def test_missing_id_column_is_added_with_label_and_hxl_tag(tmp_path: Path) -> None:
    source = make_workbook(tmp_path / "w.xlsx", services=[service(service_name="One"), service(service_name="Two")],
                           omit=["id"])
    result = validate_workbook(source)
    out = write_fixed_ids(source, result.generated_ids(), tmp_path / "fixed.xlsx")
    ws = load_workbook(out)["Services"]
    last = ws.max_column
    assert (ws.cell(1, last).value, ws.cell(2, last).value) == ("ID", "#meta+id")
    expected = [s.id for s in result.directory.services]  # type: ignore[union-attr]
    assert [ws.cell(r, last).value for r in (3, 4)] == expected
    assert ids_of(out) == [(i, False) for i in expected]
    # Without an HXL row, data starts on row 2 and no tag is written over it.
    plain = make_workbook(tmp_path / "plain.xlsx", services=[service(service_name="One")], omit=["id"],
                          hxl_row=False)
    out2 = write_fixed_ids(plain, validate_workbook(plain).generated_ids(), tmp_path / "plain-fixed.xlsx")
    ws2 = load_workbook(out2)["Services"]
    assert ws2.cell(1, ws2.max_column).value == "ID"
    assert ws2.cell(2, ws2.max_column).value.startswith("gen-")


def test_fixed_copy_is_reproducible(tmp_path: Path) -> None:
    source = make_workbook(tmp_path / "w.xlsx", services=[service(service_name="One")], omit=["id"])
    result = validate_workbook(source)
    a = write_fixed_ids(source, result.generated_ids(), tmp_path / "a.xlsx").read_bytes()
    b = write_fixed_ids(source, result.generated_ids(), tmp_path / "b.xlsx").read_bytes()
    assert a == b


def test_refuses_to_overwrite_the_input(tmp_path: Path) -> None:
    source = make_workbook(tmp_path / "w.xlsx", services=[service()], omit=["id"])
    before = source.read_bytes()
    with pytest.raises(InputError):
        write_fixed_ids(source, validate_workbook(source).generated_ids(), source)
    with pytest.raises(InputError):
        write_fixed_ids(source, validate_workbook(source).generated_ids(), tmp_path / "." / "w.xlsx")
    assert source.read_bytes() == before


def test_cli_fix_ids(tmp_path: Path) -> None:
    source = make_workbook(tmp_path / "w.xlsx", services=[service(service_name="One")], omit=["id"])
    run = CliRunner().invoke(app, ["validate", str(source), "--fix-ids", str(tmp_path / "ids.xlsx")])
    assert run.exit_code == 0, run.output
    assert all(not generated for _id, generated in ids_of(tmp_path / "ids.xlsx"))
    same = CliRunner().invoke(app, ["validate", str(source), "--fix-ids", str(source)])
    assert same.exit_code == 2
