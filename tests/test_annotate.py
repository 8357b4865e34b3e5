"""The annotated copy: problem cells coloured and noted, a Problems sheet with links, the source untouched."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import Font

from directory_builder.check.problems import Problem, make_problem
from directory_builder.check.validate import validate_workbook
from directory_builder.util.errors import InputError
from directory_builder.workbook.annotate import ERROR_FILL, WARNING_FILL, annotate_workbook
from directory_builder.workbook.template import build_template_workbook

TODAY = dt.date(2026, 2, 1)


def _set(ws: Any, row: int, values: dict[str, Any]) -> None:
    """Write a row by HXL tag (row 2), as any tool that knows the contract would."""
    tags = {str(c.value): c.column for c in ws[2] if c.value}
    for tag, value in values.items():
        ws.cell(row, tags[tag], value)


def make_workbook(path: Path, services_title: str = "Services") -> Path:
    wb = build_template_workbook("en", ["id", "en"])
    directory = wb["Directory"]
    settings = {"Title (id) *": "Direktori Layanan", "Title (en)": "Directory of Services", "Country *": "ID",
                "Edition (id) *": "Edisi pertama", "Edition (en)": "First edition", "Published *": "2026-01-10",
                "Publisher (id) *": "Gugus Tugas", "Publisher (en)": "Gugus Tugas"}
    for row in range(3, directory.max_row + 1):
        label = directory.cell(row, 1).value
        if label in settings:
            directory.cell(row, 2, settings[label])
    districts = wb["Districts"]
    _set(districts, 3, {"#adm2+name": "Jakarta Pusat", "#adm1+name": "DKI Jakarta"})
    services = wb["Services"]
    base = {"#org+name": "Yayasan Harapan", "#org+type": "NGO", "#service+name+i_id": "Rumah aman",
            "#service+name+i_en": "Safe house", "#sector+code": "shelter", "#adm2+name": "Jakarta Pusat",
            "#description+i_id": "Kami membantu perempuan.", "#description+i_en": "We help women.",
            "#service+cost": "Free", "#contact+phone": "021 3190 0110", "#loc+confidential": "yes",
            "#status": "Active", "#meta+publish": "Public", "#date+verified": "2026-01-05"}
    _set(services, 3, base)  # clean
    _set(services, 4, {**base, "#org+name": "Org B", "#service+cost": "expensive"})  # error: cost
    _set(services, 5, {**base, "#org+name": "Org C", "#adm2+name": "Jakrta Pusat",  # error: district
                       "#description+i_en": None})  # warning: translation
    services.title = services_title
    # The user's own formatting and notes, which the copy must keep.
    services["B3"].font = Font(bold=True, color="FF0000")
    services["S4"].comment = Comment("Ask finance about this.", "Ana")
    wb.save(path)
    return path


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return make_workbook(tmp_path / "directory.xlsx")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def highlighted(wb: openpyxl.Workbook) -> dict[tuple[str, str], str]:
    """Every cell filled with one of the two highlight colours, with the colour."""
    found = {}
    for ws in wb.worksheets[1:]:
        for row in ws.iter_rows():
            for cell in row:
                rgb = (cell.fill.fgColor.rgb or "")[-6:] if cell.fill and cell.fill.fill_type == "solid" else ""
                if rgb in (ERROR_FILL, WARNING_FILL):
                    found[(ws.title, cell.coordinate)] = rgb
    return found


def expected_cell(p: Problem) -> str:
    return p.cell or (f"A{p.row}" if p.row else "A1")


def test_annotates_a_copy(source: Path, tmp_path: Path) -> None:
    before = sha(source)
    result = validate_workbook(source, today=TODAY)
    codes = {(p.code, p.cell) for p in result.problems}
    assert ("invalid-choice", "S4") in codes and ("unknown-district", "H5") in codes
    assert any(p.code == "missing-translation" and p.row == 5 for p in result.problems)
    out = annotate_workbook(source, result.problems, tmp_path / "annotated.xlsx")
    assert sha(source) == before  # never written

    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Problems", "Instructions", "Directory", "Districts", "Services", "Lists"]
    assert wb.active.title == "Problems"
    assert [ws.sheet_view.tabSelected for ws in wb.worksheets] == [True] + [False] * 5

    # Exactly the problem cells are highlighted; an error wins over a warning on the same cell.
    expected: dict[tuple[str, str], str] = {}
    for p in result.problems:
        key = (str(p.sheet), expected_cell(p))
        if p.severity == "error" or key not in expected:
            expected[key] = ERROR_FILL if p.severity == "error" else WARNING_FILL
    assert highlighted(wb) == expected

    # Notes carry the message and the hint; an existing note is kept and added to.
    services = wb["Services"]
    for p in result.problems:
        if p.sheet == "Services":
            note = services[expected_cell(p)].comment
            assert note is not None and p.message() in note.text and p.hint() in note.text
            assert note.author == "directory-builder"
    assert services["S4"].comment.text.startswith("Ask finance about this.")
    assert "'expensive' is not in the list" in services["S4"].comment.text
    # The user's formatting and the template's drop-downs survive.
    assert services["B3"].font.bold and services["B3"].font.color.rgb[-6:] == "FF0000"
    assert any(dv.type == "list" for dv in services.data_validations.dataValidation)
    assert services.freeze_panes == "A3"


def test_problems_sheet_lists_and_links(source: Path, tmp_path: Path) -> None:
    result = validate_workbook(source, today=TODAY)
    out = annotate_workbook(source, result.problems, tmp_path / "annotated.xlsx")
    ws = openpyxl.load_workbook(out)["Problems"]
    assert [c.value for c in ws[1]] == ["Severity", "Where", "Column", "Problem", "What to do"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(result.problems)
    # Errors first, as in every report (seen: the Problems sheet listed warnings before errors).
    listed = result.errors + result.warnings
    assert result.errors and result.warnings
    for row_number, (p, row) in enumerate(zip(listed, rows, strict=True), start=2):
        assert row[0] == ("Error" if p.severity == "error" else "Warning")
        assert row[1] == p.where
        assert row[2] == (p.column or None)
        assert row[3] == p.message() and row[4] == p.hint()
        link = ws.cell(row_number, 2).hyperlink
        assert link is not None and link.target is None
        assert link.location == f"'{p.sheet}'!{expected_cell(p)}"
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:E{len(rows) + 1}"
    assert ws.column_dimensions["D"].width >= 40


def test_sheet_names_with_quotes_and_spaces(tmp_path: Path) -> None:
    source = make_workbook(tmp_path / "d.xlsx", services_title="Bob's Services")
    result = validate_workbook(source, today=TODAY)
    cost = next(p for p in result.problems if p.code == "invalid-choice")
    assert cost.sheet == "Bob's Services"  # found by its HXL row
    out = annotate_workbook(source, result.problems, tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(out)
    links = [c.hyperlink.location for c in wb["Problems"]["B"] if c.hyperlink]
    assert "'Bob''s Services'!S4" in links
    assert (wb["Bob's Services"]["S4"].fill.fgColor.rgb or "")[-6:] == ERROR_FILL


def test_problems_without_a_cell(source: Path, tmp_path: Path) -> None:
    problems = [
        make_problem("possible-duplicate", sheet="Services", row=4, other_row=3),  # a row, no column
        make_problem("missing-setting", sheet="Directory", setting="Title", help=""),  # no row
        make_problem("missing-sheet", sheet="Nowhere"),  # a sheet the workbook lacks
        make_problem("no-contact", sheet="Services", row=4, col=17, column="Phone"),
    ]
    out = annotate_workbook(source, problems, tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(out)
    assert highlighted(wb) == {("Services", "A4"): WARNING_FILL, ("Directory", "A1"): ERROR_FILL,
                               ("Services", "Q4"): ERROR_FILL}
    sheet = wb["Problems"]
    assert sheet.max_row == 5
    # Errors first (seen: warnings were listed before errors), each kind in the order given.
    assert [sheet.cell(r, 1).value for r in range(2, 6)] == ["Error", "Error", "Error", "Warning"]
    assert sheet["B3"].value == "Nowhere" and sheet["B3"].hyperlink is None
    assert sheet["B5"].hyperlink.location == "'Services'!A4"


def test_colours_differ_in_grayscale() -> None:
    def luminance(rgb: str) -> float:
        r, g, b = (int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    assert luminance(WARNING_FILL) - luminance(ERROR_FILL) >= 0.2


def test_refuses_to_overwrite_the_source(source: Path) -> None:
    before = sha(source)
    with pytest.raises(InputError):
        annotate_workbook(source, [], source)
    with pytest.raises(InputError):
        annotate_workbook(source, [], source.parent / "." / source.name)
    assert sha(source) == before


def test_unreadable_source_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(InputError):
        annotate_workbook(bad, [], tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()


def test_deterministic_and_atomic(source: Path, tmp_path: Path) -> None:
    result = validate_workbook(source, today=TODAY)
    first = annotate_workbook(source, result.problems, tmp_path / "one.xlsx")
    second = annotate_workbook(source, result.problems, tmp_path / "two.xlsx")
    assert sha(first) == sha(second)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["directory.xlsx", "one.xlsx", "two.xlsx"]


def test_no_problems(source: Path, tmp_path: Path) -> None:
    out = annotate_workbook(source, [], tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb["Problems"]["A2"].value == "No problems found."
    assert highlighted(wb) == {}
