"""The output registry: an output added by one module and one registration is built, listed, linked,
reused, removed when stale (its half-written files too) and accepted on the command line; the input hash covers every option; the
collector is never left frozen; every file is written by util/storage.py."""

from __future__ import annotations

import ast
import dataclasses
import gc
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from typer.testing import CliRunner

import hostile
from directory_builder import outputs
from directory_builder.build.runner import BuildOptions, build_directory
from directory_builder.outputs import DistrictOutput, ExportOutput, ExportView
from directory_builder.publish.view import DistrictView, IndexLink
from directory_builder.render.options import RenderOptions
from workbook_factory import service

DISTRICTS = ["Jakarta Pusat", "Kabupaten Cianjur", "Kota Bandung"]
SRC = Path(__file__).resolve().parents[1] / "src" / "directory_builder"


class TextList(DistrictOutput):
    """A tiny output: the names of a district's services, one per line, in ``<lang>/<slug>.txt``."""

    name = "txt"
    format = "txt"
    suffix = ".txt"
    link = IndexLink("Plain text", "document", "text/plain", position=30)
    counts_entries = True
    renders: list[str] = []  # noqa: RUF012 - counts the calls, in this process (jobs=1)

    def render_bytes(self, view: DistrictView, options: RenderOptions) -> bytes:
        TextList.renders.append(view.district)
        return "".join(f"{s.name}\n" for s in view.services).encode("utf-8")


class Lines(ExportOutput):
    """A tiny export: one published service name per line."""

    name = "lines"
    format = "lines"
    example = "services.txt"

    def render(self, view: ExportView, options: RenderOptions | None = None) -> Mapping[str, bytes]:
        return {self.example: "".join(f"{e.view.name}\n" for e in view.entries).encode("utf-8")}


@pytest.fixture
def fake_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from directory_builder.build import filestamps

    monkeypatch.setattr(filestamps, "user_cache_root", lambda: tmp_path / "user-cache")
    TextList.renders.clear()
    outputs.register(TextList())
    outputs.register(Lines())
    try:
        yield
    finally:
        outputs.unregister("txt")
        outputs.unregister("lines")


def _workbook(path: Path, districts: list[str] = DISTRICTS) -> Path:
    return hostile.valid_workbook(path, services=[
        service(id=f"S-{i}", service_name=f"Service in {d}", district=d) for i, d in enumerate(districts, 1)
    ], districts=districts)


def _manifest(out: Path) -> dict[str, Any]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_a_registered_output_is_built_listed_linked_reused_and_removed(tmp_path: Path, fake_outputs: None) -> None:
    out = tmp_path / "out"
    options = BuildOptions(out=out, formats=("html", "txt"), jobs=1)
    first = build_directory(_workbook(tmp_path / "w.xlsx"), options)
    assert not first.failures
    assert (out / "en" / "kota-bandung.txt").read_text(encoding="utf-8") == "Service in Kota Bandung\n"
    listed = {f["path"]: f for f in _manifest(out)["files"]}
    assert listed["en/kota-bandung.txt"]["kind"] == "txt"
    assert listed["en/kota-bandung.txt"]["entries"] == 1
    assert "pages" not in listed["en/kota-bandung.txt"]
    index = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    link = index.find("a", href="en/kota-bandung.txt")
    assert link is not None and "Plain text" in link.get_text() and link.get("type") == "text/plain"
    hrefs = [a["href"] for a in index.find_all("a", href=True) if a["href"].startswith("en/kota-bandung")]
    assert hrefs == ["en/kota-bandung.html", "en/kota-bandung.txt"]  # in the links' declared order

    left = out / "en" / ".kota-bandung.txt.a1b2c3d4.part"  # a stopped build's half-written file
    left.write_bytes(b"half")
    TextList.renders.clear()
    again = build_directory(_workbook(tmp_path / "w.xlsx"), options)
    assert TextList.renders == [] and len(again.reused) == len(DISTRICTS) and not again.rebuilt
    assert not left.exists()

    build_directory(_workbook(tmp_path / "w2.xlsx", DISTRICTS[:2]), options)
    assert not (out / "en" / "kota-bandung.txt").exists()  # a district gone: its file goes too
    assert (out / "en" / "jakarta-pusat.txt").is_file()
    assert "en/kota-bandung.txt" not in {f["path"] for f in _manifest(out)["files"]}


def test_a_registered_output_is_accepted_by_format(tmp_path: Path, fake_outputs: None) -> None:
    from directory_builder.cli import app

    out = tmp_path / "out"
    run = CliRunner().invoke(app, ["build", str(_workbook(tmp_path / "w.xlsx")), "--out", str(out),
                                   "--format", "txt", "--jobs", "1"])
    assert run.exit_code == 0, run.output
    assert sorted(p.name for p in (out / "en").iterdir()) == ["jakarta-pusat.txt", "kabupaten-cianjur.txt",
                                                              "kota-bandung.txt"]
    assert not (out / "index.html").exists()  # the index comes with the web pages
    wrong = CliRunner().invoke(app, ["build", str(tmp_path / "w.xlsx"), "--out", str(out), "--format", "tx"])
    assert wrong.exit_code == 2
    assert "txt" in wrong.output  # the formats offered come from the registry

    export = tmp_path / "names.txt"
    run = CliRunner().invoke(app, ["export", str(tmp_path / "w.xlsx"), "--format", "lines", "--out", str(export)])
    assert run.exit_code == 0, run.output
    assert export.read_text(encoding="utf-8").splitlines() == sorted(f"Service in {d}" for d in DISTRICTS)


def test_the_format_choices_come_from_the_registry() -> None:
    from directory_builder.cli import app

    build_help = CliRunner().invoke(app, ["build", "--help"], terminal_width=200).output
    export_help = CliRunner().invoke(app, ["export", "--help"], terminal_width=200).output
    assert "--format pdf,html" in build_help
    assert "[hsds|hxl|json]" in export_help
    assert outputs.build_formats()[:2] == ("pdf", "html")
    # The print files are made only when asked for: a build without --format is not slower.
    assert outputs.default_build_formats() == ("pdf", "html")
    assert {"booklet-imposed", "cards-sheet", "booklet-accessible", "card-image", "message", "contacts"} <= set(
        outputs.build_formats())
    assert outputs.export_formats() == ("hsds", "hxl", "json")


# ------------------------------------------------------------------------------------------ the input hash


@dataclasses.dataclass(frozen=True)
class ColourOptions(BuildOptions):
    """A build option added later, known to no hand-kept list."""

    colour: str = "red"


def test_a_new_option_is_part_of_the_input_hash(tmp_path: Path, fake_outputs: None) -> None:
    workbook = _workbook(tmp_path / "w.xlsx")
    out = tmp_path / "out"
    build_directory(workbook, ColourOptions(out=out, formats=("txt",), jobs=1))
    same = build_directory(workbook, ColourOptions(out=out, formats=("txt",), jobs=1))
    assert len(same.reused) == len(DISTRICTS) and not same.rebuilt
    other = build_directory(workbook, ColourOptions(out=out, formats=("txt",), jobs=1, colour="blue"))
    assert len(other.rebuilt) == len(DISTRICTS) and not other.reused
    # What only says where or how fast to build is not an input.
    faster = build_directory(workbook, ColourOptions(out=out, formats=("txt",), jobs=2, colour="blue", force=True))
    assert len(faster.reused) == len(DISTRICTS) and not faster.rebuilt


# ------------------------------------------------------------------------------------------ the collector


def test_the_collector_is_not_left_frozen(tmp_path: Path, fake_outputs: None) -> None:
    from directory_builder.check.validate import validate_workbook

    workbook = _workbook(tmp_path / "w.xlsx")
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    validate_workbook(workbook)
    assert gc.get_freeze_count() == 0
    build_directory(workbook, BuildOptions(out=tmp_path / "out", formats=("txt",), jobs=1))
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


# ------------------------------------------------------------------------------------------ one writer


#: Calls that put a file's bytes in place or create one. Only util/storage.py makes them; the build lock
#: (a lock, not an output) is the one named exception.
_MODULE_CALLS = {("os", "replace"), ("os", "rename"), ("tempfile", "mkstemp"), ("shutil", "copyfile"),
                 ("shutil", "copy"), ("shutil", "copy2"), ("shutil", "move")}
_ALLOWED = {"util/storage.py": {"os.replace", "open for writing", "os.open O_CREAT"},
            "build/guard.py": {"os.open O_CREAT"}}


def _writes(path: Path) -> set[str]:
    """The ways ``path`` writes a file itself: os.replace and friends, Path.write_bytes/write_text,
    open() for writing, os.open with O_CREAT."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute):
            owner = func.value.id if isinstance(func.value, ast.Name) else None
            if (owner, func.attr) in _MODULE_CALLS:
                found.add(f"{owner}.{func.attr}")
            elif func.attr in ("write_bytes", "write_text") and owner not in ("storage",):
                found.add(f"Path.{func.attr}")
            elif owner == "os" and func.attr == "open" and "O_CREAT" in ast.dump(node):
                found.add("os.open O_CREAT")
        elif isinstance(func, ast.Name) and func.id == "open":
            mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
            if isinstance(mode, ast.Constant) and isinstance(mode.value, str) and set(mode.value) & set("wax+"):
                found.add("open for writing")
    return found


def test_every_file_is_written_by_the_storage_module() -> None:
    offenders = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        extra = _writes(path) - _ALLOWED.get(rel, set())
        if extra:
            offenders[rel] = sorted(extra)
    assert offenders == {}


def test_the_pocket_card_borrows_nothing_from_the_booklet() -> None:
    tree = ast.parse((SRC / "render" / "pdf_card.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "directory_builder.render.pdf_booklet" not in imported
