"""Adding a column is one entry in columns.py: proved by adding three to the table alone.

A subprocess extends ``columns.SERVICES_COLUMNS`` before anything else is imported (as an edit of
columns.py would) and runs the real CLI. The public columns must then be in the template, checked by the
validator, printed in the booklet and on the web page, and exported; the internal one ("never") must be
in the template for staff and in no output byte.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from workbook_factory import make_workbook, service

SRC = Path(__file__).resolve().parents[1] / "src"

#: Runs the CLI with three columns added to the table, exactly as three new entries in columns.py would.
RUNNER = '''
import runpy, sys
from directory_builder import columns as c
c.SERVICES_COLUMNS = (
    *c.SERVICES_COLUMNS,
    c.Column("bus_route", "#service+bus_route", "Bus routes", "longtext", "Which buses stop near the door.",
             translatable=True, width=30),
    c.Column("beds", "#service+beds", "Beds", "int", "How many beds there are, as a whole number.", width=8),
    c.Column("door_code", "#meta+doorcode+internal", "Door code (internal)", "text",
             "The code of the back door. Never printed.", visibility="never", width=14),
)
c.SHEET_COLUMNS[c.SHEET_SERVICES] = c.SERVICES_COLUMNS
sys.argv = ["directory-builder", *sys.argv[1:]]
runpy.run_module("directory_builder", run_name="__main__", alter_sys=True)
'''

BUS_EN = "Buses 12 and 34 stop at the market gate"
BUS_ID = "Bus 12 dan 34 berhenti di gerbang pasar"
DOOR_CODE = "DOORCODE-7731-QX"
NEW_HEADERS = (("Bus routes (en)", "#service+bus_route+i_en"), ("Bus routes (id)", "#service+bus_route+i_id"),
               ("Beds", "#service+beds"), ("Door code (internal)", "#meta+doorcode+internal"))


def run_cli(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    runner = tmp / "run_with_new_columns.py"
    runner.write_text(RUNNER, encoding="utf-8")
    # The suite's own cache (fonts are slow to prepare the first time); the outputs go to ``tmp``.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, str(runner), *args], capture_output=True, text=True, env=env,
                          timeout=600, check=False)


def filled_workbook(path: Path, bus_en: str = BUS_EN, beds: object = 12) -> Path:
    """A valid two-language workbook whose first service fills the new columns."""
    make_workbook(path, services=[service(id="BUS-1", service_name={"en": "Night shelter", "id": "Rumah malam"},
                                          description={"en": "A bed for the night.", "id": "Tempat tidur."}),
                                  service(id="BUS-2", service_name={"en": "Legal aid", "id": "Bantuan hukum"},
                                          categories="legal")],
                  settings={"Languages": "en, id"})
    wb = load_workbook(path)
    ws = wb["Services"]
    first = ws.max_column + 1
    for offset, (label, tag) in enumerate(NEW_HEADERS):
        ws.cell(1, first + offset, label)
        ws.cell(2, first + offset, tag)
    for offset, value in enumerate((bus_en, BUS_ID, beds, DOOR_CODE)):
        ws.cell(3, first + offset, value)
    ws.cell(4, first + 3, DOOR_CODE)
    wb.save(path)
    return path


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("newcol")
    workbook = filled_workbook(tmp / "filled.xlsx")
    out: dict[str, Path] = {"tmp": tmp, "workbook": workbook}
    result = run_cli(tmp, "build", str(workbook), "--out", str(tmp / "public"), "--district", "Jakarta Pusat")
    assert result.returncode == 0, result.stderr
    out["public"] = tmp / "public"
    for edition in ("public", "practitioners"):
        for fmt in ("json", "hxl", "hsds") if edition == "public" else ("json",):
            target = tmp / f"export-{edition}.{fmt}"
            result = run_cli(tmp, "export", str(workbook), "--format", fmt, "--out", str(target),
                             "--edition", edition)
            assert result.returncode == 0, result.stderr
            out[f"{fmt}-{edition}"] = target
    return out


def test_the_template_has_the_new_columns(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "template", str(tmp_path / "blank.xlsx"), "--languages", "en, id")
    assert result.returncode == 0, result.stderr
    ws = load_workbook(tmp_path / "blank.xlsx")["Services"]
    labels = [str(c.value or "") for c in ws[1]]
    tags = [str(c.value or "") for c in ws[2]]
    for label, tag in NEW_HEADERS:
        assert any(text.startswith(label) for text in labels), label
        assert tag in tags, tag


def test_the_validator_checks_the_new_columns(tmp_path: Path) -> None:
    workbook = filled_workbook(tmp_path / "bad.xlsx", bus_en="x" * 10_001, beds="many")
    result = run_cli(tmp_path, "validate", str(workbook), "--format", "json")
    assert result.returncode == 1, result.stderr
    errors = json.loads(result.stdout)["errors"]
    headers = [str(c.value) for c in load_workbook(workbook)["Services"][1]]
    bus_cell = f"{get_column_letter(headers.index('Bus routes (en)') + 1)}3"
    beds_cell = f"{get_column_letter(headers.index('Beds') + 1)}3"
    assert any(e["cell"] == bus_cell and e["code"] == "text-too-long" for e in errors), errors
    assert any(e["cell"] == beds_cell for e in errors), errors


def test_the_booklet_prints_the_new_columns(built: dict[str, Path]) -> None:
    with pdfplumber.open(built["public"] / "en" / "jakarta-pusat.pdf") as pdf:
        text = norm("\n".join(page.extract_text() or "" for page in pdf.pages))
    assert f"Bus routes: {BUS_EN}" in text
    assert "Beds: 12" in text
    with pdfplumber.open(built["public"] / "id" / "jakarta-pusat.pdf") as pdf:
        assert BUS_ID in norm("\n".join(page.extract_text() or "" for page in pdf.pages))


def test_the_web_page_shows_the_new_columns(built: dict[str, Path]) -> None:
    doc = BeautifulSoup((built["public"] / "en" / "jakarta-pusat.html").read_text(encoding="utf-8"), "html.parser")
    article = doc.find("article", id="s-BUS-1")
    assert article is not None
    facts = {norm(dt.get_text()): norm(dt.find_next_sibling("dd").get_text()) for dt in article.find_all("dt")}
    assert facts.get("Bus routes") == BUS_EN
    assert facts.get("Beds") == "12"
    assert "Bus routes" not in norm(doc.find("article", id="s-BUS-2").get_text())  # an empty cell: no line


def test_the_exports_carry_the_new_columns(built: dict[str, Path]) -> None:
    services = json.loads(built["json-public"].read_text(encoding="utf-8"))["services"]
    first = next(s for s in services if s["id"] == "BUS-1")
    assert first["bus_route"] == {"en": BUS_EN, "id": BUS_ID}
    assert first["beds"] == 12
    assert "door_code" not in first
    hxl = built["hxl-public"].read_text(encoding="utf-8-sig")
    assert "#service+bus_route+i_en" in hxl and BUS_EN in hxl


def test_an_internal_column_reaches_no_output(built: dict[str, Path]) -> None:
    secret = DOOR_CODE.encode()
    assert secret in _workbook_bytes(built["workbook"])  # the staff column is really there
    files = [p for key, p in built.items() if key not in ("tmp", "workbook")]
    seen = 0
    for root in files:
        for path in [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]:
            seen += 1
            data = path.read_bytes()
            assert secret not in data, path
            if path.suffix == ".pdf":
                with pdfplumber.open(path) as pdf:
                    assert DOOR_CODE not in "".join(page.extract_text() or "" for page in pdf.pages), path
    assert seen > 20


def _workbook_bytes(path: Path) -> bytes:
    """The cell text of a workbook (an .xlsx is zipped: its bytes do not show the text)."""
    wb = load_workbook(path)
    return "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value).encode()
