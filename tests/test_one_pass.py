"""Every check on every row in the first pass; no row left out without a problem saying why.

Seen: a duplicate ID and a minimum age above the maximum were reported only after the other errors of those
rows were fixed, and a row that failed to become a service was dropped with no problem recorded.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from directory_builder.check import rows as row_checker
from directory_builder.check import runner
from directory_builder.check.problems import Problem
from directory_builder.check.validate import ValidationResult, validate_leniently, validate_workbook
from directory_builder.model import Service
from test_validate import TODAY, check, column_letter, service, write


def found(result: ValidationResult, row: int) -> dict[str, str | None]:
    """Problem code -> its cell, for one Services row."""
    return {p.code: p.cell for p in result.problems if p.sheet == "Services" and p.row == row}


def test_a_row_with_several_problems_reports_them_all_at_once(tmp_path: Path) -> None:
    result = check(tmp_path, [service(id="S-1"),
                              service(id="S-1", phone="12", cost="gratis-ish", min_age=18, max_age=12)])
    problems = found(result, 4)
    assert problems.get("invalid-phone") == f"{column_letter('phone')}4"
    assert problems.get("invalid-choice") == f"{column_letter('cost')}4"
    assert problems.get("duplicate-id") == f"{column_letter('id')}4"
    assert problems.get("age-range") == f"{column_letter('min_age')}4"
    assert 4 in result.invalid_rows


def test_a_row_that_cannot_become_a_service_still_takes_part_in_the_duplicate_id_check(tmp_path: Path) -> None:
    result = check(tmp_path, [service(id="S-1", organization=None), service(id="S-1")])
    duplicate = [p for p in result.problems if p.code == "duplicate-id"]
    assert [(p.row, p.cell, dict(p.params)["other_row"]) for p in duplicate] == [(4, f"{column_letter('id')}4", "3")]
    assert found(result, 3).get("required") == f"{column_letter('organization')}3"


def test_the_rules_of_a_row_run_even_when_a_cell_cannot_be_read(tmp_path: Path) -> None:
    """A confidential place typed into the description is reported with the row's type errors, not after."""
    result = check(tmp_path, [service(confidential="yes", address="Jl. Rahasia 9, Menteng",
                                      **{"description@en": "Come to Jl. Rahasia 9, Menteng."},
                                      last_verified="not a date", min_age=30, max_age=20)])
    problems = found(result, 3)
    assert problems.get("invalid-date") == f"{column_letter('last_verified')}3"
    assert problems.get("confidential-address-repeated") == f"{column_letter('description', 'en')}3"
    assert problems.get("age-range") == f"{column_letter('min_age')}3"


def test_a_service_the_model_refuses_is_a_problem_on_its_cell_not_a_silent_drop(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refusing(**values: Any) -> Service:
        return Service(**{**values, "min_age": "not a number"})  # pydantic names the field it refuses

    monkeypatch.setattr(row_checker, "Service", refusing)
    result = check(tmp_path, [service(min_age=5)])
    problem = next(p for p in result.problems if p.code == "row-not-accepted")
    assert (problem.row, problem.cell) == (3, f"{column_letter('min_age')}3")
    assert "Minimum age" in problem.message()
    assert result.directory is not None and result.directory.services == []
    assert 3 in result.invalid_rows


def test_an_unexpected_failure_in_one_row_is_a_problem_of_that_row_and_logged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    real = runner.check_row

    def failing(ctx: Any, row: int, cells: Any) -> Any:
        if row == 4:
            raise RuntimeError("a bug in a rule")
        return real(ctx, row, cells)

    monkeypatch.setattr(runner, "check_row", failing)
    with caplog.at_level(logging.DEBUG, logger="directory_builder.check.runner"):
        result = check(tmp_path, [service(id="S-1"), service(id="S-2"), service(id="S-3")])
    problem = next(p for p in result.problems if p.code == "row-check-failed")
    assert (problem.sheet, problem.row, problem.severity) == ("Services", 4, "error")
    assert "RuntimeError" in problem.message()
    assert "--debug" in problem.hint()
    assert result.directory is not None
    assert [s.id for s in result.directory.services] == ["S-1", "S-3"]
    assert any("row 4" in r.getMessage() and r.exc_info and "a bug in a rule" in str(r.exc_info[1])
               for r in caplog.records)


def test_the_lenient_mode_keeps_what_can_be_read_and_says_what_it_left_out(tmp_path: Path) -> None:
    path = write(tmp_path / "wb.xlsx", [service(id="S-1", phone="12", hotline="129"),
                                        service(id="S-2", cost="gratis-ish")])
    readable = validate_leniently(path, today=TODAY)
    assert [s.id for s in readable.services] == ["S-1"]  # a bad phone does not stop a service
    assert any(p.code == "invalid-choice" and p.row == 4 for p in readable.result.errors)
    assert readable.result.problems == validate_workbook(path, today=TODAY).problems


def test_the_lenient_mode_reads_rows_with_the_understood_settings_when_the_directory_sheet_has_errors(
        tmp_path: Path) -> None:
    from test_validate import SETTINGS_OK

    settings = {k: v for k, v in SETTINGS_OK.items() if k.split(" (")[0] != "Publisher"}  # a required setting missing
    path = write(tmp_path / "wb.xlsx", [service(id="S-1")], settings=settings)
    readable = validate_leniently(path, today=TODAY)
    assert readable.settings is None
    assert readable.default_lang == "id"
    assert [s.phone[0].international for s in readable.services] == ["+62 21 31900110"]
    missing: list[Problem] = [p for p in readable.result.errors if p.code == "missing-setting"]
    assert missing


def test_the_command_line_names_the_failed_row_and_shows_the_details_only_with_debug(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:


    from typer.testing import CliRunner

    from directory_builder.cli import app

    def failing(ctx: Any, row: int, cells: Any) -> Any:
        raise RuntimeError("a bug in a rule")

    monkeypatch.setattr(runner, "check_row", failing)
    monkeypatch.setenv("DIRECTORY_BUILDER_NO_CACHE", "1")
    path = write(tmp_path / "wb.xlsx", [service()])
    logger = logging.getLogger("directory_builder")
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setattr(logger, "level", logger.level)
    plain = CliRunner().invoke(app, ["validate", str(path)])
    assert "Services" in plain.output and "RuntimeError" in plain.output
    assert "Traceback" not in plain.output and "a bug in a rule" not in plain.output
    debug = CliRunner().invoke(app, ["--debug", "validate", str(path)])
    assert "Traceback" in debug.output and "a bug in a rule" in debug.output
