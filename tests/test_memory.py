"""Memory at the documented row limit: ``validate`` and ``build`` of a workbook of ``MAX_ROWS`` rows stay
under 1 GB (measured by ``bench/memory.py``, figures in docs/benchmark.md).

A workbook at the limit takes minutes to generate, check and build, too long for every test run, so these
tests guard the parts that decide the figure, in proportion: the Python memory validation needs per row
(the model, problems, row cache, with the rows' cells let go as they are checked), a build holding only
the views of the jobs in flight, and the pieces that make it so (shared field sets, streamed reading).
"""

from __future__ import annotations

import importlib
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import directory_builder
from directory_builder.workbook import limits

BENCH = Path(__file__).resolve().parent.parent / "bench"
SRC = Path(directory_builder.__file__).resolve().parents[1]  # the package under test, in the child too

#: Python memory validation may need per Services row, at its peak (the tool as it was needed 16 KB a row;
#: it now needs about 9). A build also holds, besides this, the interpreter and libraries (~100 MB) and two
#: render workers (~150-200 MB each at 300-500 services a district): MAX_ROWS is chosen so that the whole
#: stays under 1 GB with a margin (docs/benchmark.md). calamine's copy of the sheet while it is read (not
#: Python memory, ~4 KB a row) is gone before the model is made.
PEAK_KB_PER_ROW = 12.0
WORKERS_MB = 2 * 200

_PEAK_SCRIPT = """
import json, sys, tracemalloc
from directory_builder.util import forkwork
from directory_builder.check.validate import validate_workbook
forkwork.MIN_ITEMS = 10**9  # as at the row limit: every row checked in this process, where it is measured
path = sys.argv[1]
validate_workbook(path, cache=False)  # imports, catalogs and phone metadata: not per row
tracemalloc.start()
result = validate_workbook(path, cache=True)  # as the command runs it: the row cache written
current, peak = tracemalloc.get_traced_memory()
print(json.dumps({"rows": len(result.directory.services), "peak": peak, "current": current,
                  "errors": len(result.errors)}))
"""


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    sys.path.insert(0, str(BENCH))
    try:
        return importlib.import_module("generate")
    finally:
        sys.path.remove(str(BENCH))


@pytest.fixture(scope="module")
def workbook(gen: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("memory")
    path: Path = gen.generate(gen.Spec(services=2000, districts=20, languages=("id", "en"), seed=5),
                              folder / "w.xlsx")
    return path


def test_validation_memory_per_row_fits_the_row_limit(workbook: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(SRC), os.environ.get("PYTHONPATH")))),
           "DIRECTORY_BUILDER_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("DIRECTORY_BUILDER_NO_CACHE", None)
    run = subprocess.run([sys.executable, "-c", _PEAK_SCRIPT, str(workbook)], capture_output=True, text=True,
                         env=env, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    got = json.loads(run.stdout.strip().splitlines()[-1])
    assert got["rows"] == 2000 and got["errors"] == 0
    per_row_kb = got["peak"] / got["rows"] / 1024
    assert per_row_kb <= PEAK_KB_PER_ROW, per_row_kb
    assert PEAK_KB_PER_ROW * limits.MAX_ROWS / 1024 + 100 + WORKERS_MB < 1000  # the budget fits under 1 GB


def test_build_holds_only_the_views_in_flight(workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Views (every service again, in one language) are made as jobs are handed out, not all first."""
    from directory_builder.build import runner as build

    made: list[int] = []
    done: list[int] = []
    ahead: list[int] = []
    original = build.planned_view

    def counting(*args: object, **kwargs: object) -> object:
        made.append(1)
        ahead.append(len(made) - len(done))
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build, "planned_view", counting)
    options = build.BuildOptions(out=tmp_path / "out", jobs=1, formats=("html",))
    result = build.build_directory(workbook, options, progress=lambda n, total, what: done.append(n))
    assert result.built and not result.failures
    assert len(made) == 40  # 20 districts x 2 languages
    assert max(ahead) <= 1, ahead  # the tool as it was made all 40 before drawing the first


def test_shared_field_sets_change_nothing_visible(workbook: Path) -> None:
    from directory_builder.check.compact import Compactor
    from directory_builder.check.validate import validate_raw
    from directory_builder.workbook.reader import read_workbook

    raw = read_workbook(workbook)
    plain = validate_raw(raw)
    assert plain.directory is not None
    services = plain.directory.services
    # Services exactly as pydantic makes them, against the compacted ones: equal, same repr, same pickle.
    fresh = [type(s).model_validate(s.model_dump()) for s in services[:50]]
    assert fresh == services[:50]
    assert [repr(s) for s in fresh] == [repr(s) for s in services[:50]]
    assert [pickle.loads(pickle.dumps(s)) for s in services[:50]] == fresh
    assert services[0].__pydantic_fields_set__ is services[1].__pydantic_fields_set__
    # Changing one service (as generated IDs are made unique) leaves the others as they were.
    services[0].id = "changed"
    assert services[1].id != "changed" and "id" in services[1].model_fields_set
    compactor = Compactor()
    again = compactor.service(fresh[1])
    assert again == services[1] and repr(again) == repr(services[1])


def test_calamine_reads_a_sheet_that_does_not_start_at_a1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows are streamed from calamine; a sheet whose first cell is further down or right keeps its
    row and column numbers, as openpyxl reads them."""
    pytest.importorskip("python_calamine")
    from openpyxl import Workbook

    from directory_builder.workbook import calamine

    book = Workbook()
    ws = book.active
    ws.title = "S"
    ws["C3"] = "x"
    ws["D5"] = 5
    ws2 = book.create_sheet("T")
    ws2["A1"] = "a"
    ws2["B2"] = 2.5
    path = tmp_path / "offset.xlsx"
    book.save(path)
    opened = calamine.open_calamine(path)
    assert opened is not None
    try:
        rows = {sheet.title: list(sheet.iter_rows(max_col=10)) for sheet in opened.worksheets}
        first = [list(opened.worksheets[1].iter_rows(min_row=2, max_row=2))]
    finally:
        opened.close()
    assert rows["S"] == [(None,) * 4, (None,) * 4, (None, None, "x", None), (None,) * 4, (None, None, None, 5)]
    assert rows["T"] == [("a", None), (None, 2.5)]
    assert first == [[(None, 2.5)]]


def test_archive_scan_sees_tags_cut_between_pieces(tmp_path: Path) -> None:
    """The archive is scanned in 1 MB pieces: a cell or a DTD cut in two by a piece boundary still counts."""
    import zipfile

    from directory_builder.workbook import calamine

    def part(prefix_bytes: int, body: bytes) -> Path:
        path = tmp_path / f"p{prefix_bytes}.zip"
        filler = b"<x>" + b"a" * (prefix_bytes - 3)
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("xl/worksheets/sheet1.xml", b"<worksheet><sheetData>" + filler + body + b"</sheetData>")
        return path

    boundary = 1 << 20
    # A cell with no address: the grid cannot be placed, so calamine is not used, wherever the cut falls.
    for shift in range(0, 12, 3):
        path = part(boundary - 22 - shift, b'<c t="s"><v>1</v></c>')
        with zipfile.ZipFile(path) as zf:
            assert not calamine._plain_part(zf, zf.infolist()[0]), shift
        path = part(boundary - 22 - shift, b"<!DOCTYPE x>")
        with zipfile.ZipFile(path) as zf:
            assert not calamine._plain_part(zf, zf.infolist()[0]), shift
        path = part(boundary - 22 - shift, b'<c r="B7" t="s"><v>1</v></c>')
        with zipfile.ZipFile(path) as zf:
            assert calamine._plain_part(zf, zf.infolist()[0]), shift
