"""The ``directory-builder`` command exits quickly (``cli.run``: no interpreter teardown) without losing output."""

from __future__ import annotations

import json
from pathlib import Path

import hostile
from workbook_factory import make_workbook, service

LONG = " ".join(["Kami membantu korban perdagangan orang dengan tempat tinggal yang aman."] * 7)


def test_every_line_of_a_long_report_arrives_before_the_exit(tmp_path: Path) -> None:
    rows = [service(id=f"S{i}", service_name=f"Layanan {i}", description=LONG) for i in range(400)]
    book = make_workbook(tmp_path / "d.xlsx", services=rows)
    run = hostile.run_cli("validate", book, "--format", "json")  # the text report sums repeated warnings up
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert len(report["warnings"]) >= 400
    assert report["summary"]["warnings"] == len(report["warnings"])


def test_exit_codes_survive_the_quick_exit(tmp_path: Path) -> None:
    bad = make_workbook(tmp_path / "bad.xlsx", services=[service(id="S1", phone="12")])
    assert hostile.run_cli("validate", bad).returncode == 1
    assert hostile.run_cli("validate").returncode == 2  # usage error (click)
    missing = hostile.run_cli("validate", tmp_path / "nothing.xlsx")
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    assert hostile.run_cli("--version").returncode == 0
