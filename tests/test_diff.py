"""diff: real edits between two editions, matched by ID (or by name where there is none)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from directory_builder.lifecycle.diff import diff_workbooks, format_diff, md_escape
from directory_builder.util.errors import InputError
from workbook_factory import make_workbook, service


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("diff")
    old = make_workbook(folder / "2025.xlsx", services=[
        service(id="A", service_name="Alpha", phone="021 3190 0110", categories="shelter"),
        service(id="B", service_name="Beta", district="Kabupaten Cianjur"),
        service(id="C", service_name="Gamma", categories="legal"),
        service(service_name="No ID", organization="Org Z"),
        service(id="P", service_name="Practitioner desk", publish="practitioners", notes="NOTE-OLD-1"),
        service(id="R", service_name="Rechecked"),
        service(id="K", service_name="Safe house", confidential="yes", address="Jl. SECRET-ADDR-OLD 1"),
        service(id="F", service_name="Focal", focal_point="OLD-FOCAL-PERSON"),
    ])
    new = make_workbook(folder / "2026.xlsx", settings={"Languages": "en, id", "Edition": "Second edition"},
                        services=[  # re-ordered on purpose
        service(id="F", service_name="Focal", focal_point="NEW-FOCAL-PERSON"),
        service(id="R", service_name="Rechecked", last_verified=dt.date(2026, 2, 1)),
        service(id="C", service_name="Gamma", categories="legal", status="closed"),
        service(id="A", service_name={"en": "Alpha", "id": "Alfa"}, phone="021 3190 0111",
                categories="shelter; medical"),
        service(id="D", service_name="Delta", district="All districts"),
        service(service_name="No ID", organization="Org Z", cost="paid"),
        service(id="P", service_name="Practitioner desk", publish="practitioners", notes="NOTE-NEW-2"),
        service(id="K", service_name="Safe house", confidential="yes", address="Jl. SECRET-ADDR-NEW 2"),
    ])
    return old, new


def test_added_removed_changed(editions: tuple[Path, Path]) -> None:
    result = diff_workbooks(*editions)
    assert [(a.entry.id, a.reason) for a in result.added] == [("D", "new")]
    assert sorted((r.entry.id, r.reason) for r in result.removed) == [("B", "deleted"), ("C", "closed")]
    changed = {c.new.id: {(f.key, f.lang): (f.old, f.new) for f in c.fields} for c in result.changed}
    assert changed["A"] == {
        ("service_name", "id"): (None, "Alfa"),
        ("categories", None): ("shelter", "shelter; medical"),
        ("phone", None): ("021 3190 0110", "021 3190 0111"),  # as the staff typed them
    }
    assert changed["R"] == {("last_verified", None): ("2026-01-15", "2026-02-01")}
    assert changed["P"] == {("notes", None): ("NOTE-OLD-1", "NOTE-NEW-2")}
    assert set(changed) == {"A", "R", "P", "K", "F", next(i for i in changed if i.startswith("gen-"))}


def test_entries_without_id_are_matched_by_name_with_a_warning(editions: tuple[Path, Path]) -> None:
    result = diff_workbooks(*editions)
    no_id = [c for c in result.changed if c.new.name == "No ID"]
    assert len(no_id) == 1 and [(f.key, f.old, f.new) for f in no_id[0].fields] == [("cost", "free", "paid")]
    assert any("without an ID (1)" in w and "--fix-ids" in w for w in result.warnings)


def test_reordered_rows_are_not_changes(tmp_path: Path) -> None:
    rows = [service(id=f"S{i}", service_name=f"Service {i}") for i in range(5)]
    old = make_workbook(tmp_path / "old.xlsx", services=rows)
    new = make_workbook(tmp_path / "new.xlsx", services=list(reversed(rows)))
    result = diff_workbooks(old, new)
    assert not result.added and not result.removed and not result.changed
    # Rows without IDs too: their generated IDs do not depend on the row.
    bare = [service(service_name=f"Bare {i}") for i in range(3)]
    old = make_workbook(tmp_path / "old2.xlsx", services=bare, omit=["id"])
    new = make_workbook(tmp_path / "new2.xlsx", services=bare[::-1], omit=["id"])
    result = diff_workbooks(old, new)
    assert not result.added and not result.removed and not result.changed


def test_text_and_json_show_internal_values_for_staff(editions: tuple[Path, Path]) -> None:
    result = diff_workbooks(*editions)
    text = format_diff(result, "text")
    assert "NOTE-NEW-2" in text and "NEW-FOCAL-PERSON" in text
    assert "Phone: 021 3190 0110 -> 021 3190 0111" in text  # as typed, not +62
    data = json.loads(format_diff(result, "json"))
    assert data["summary"] == {"added": 1, "removed": 2, "changed": 6}
    fields = {f["field"]: f for c in data["changed"] if c["id"] == "P" for f in c["fields"]}
    assert fields["notes"]["new"] == "NOTE-NEW-2" and fields["notes"]["internal"] is True


def test_markdown_changelog_is_safe_to_print(editions: tuple[Path, Path]) -> None:
    md = format_diff(diff_workbooks(*editions), "markdown")
    for secret in ("NOTE-OLD-1", "NOTE-NEW-2", "OLD-FOCAL-PERSON", "NEW-FOCAL-PERSON", "SECRET-ADDR"):
        assert secret not in md
    assert "Practitioner desk" not in md  # not in the public edition: never named in print
    # Internal columns, and the place of a confidential entry, are not even said to have changed: that a
    # shelter moved is itself worth knowing to whoever looks for it.
    assert "Focal point" not in md and "Notes" not in md and "Address" not in md
    # Grouped by district, in the new edition's order, "All districts" last.
    assert md.index("## Jakarta Pusat") < md.index("## Kabupaten Cianjur") < md.index("## All districts")
    cianjur = md[md.index("## Kabupaten Cianjur"):md.index("## All districts")]
    assert "No longer listed" in cianjur and "**Beta**" in cianjur
    assert "**Delta**" in md[md.index("## All districts"):]
    assert "Categories: Safe place to stay → Safe place to stay; Health care" in md
    assert "Entries checked again, with no other change: 1." in md  # re-verified only: counted, not listed
    assert "**Rechecked**" not in md


def test_markdown_escapes_workbook_text() -> None:
    assert md_escape("<script>*x*</script> [a](b)") == r"\<script\>\*x\*\</script\> \[a\](b)"
    assert "\n" not in md_escape("two\nlines")


def test_diff_reads_workbooks_with_errors(tmp_path: Path) -> None:
    old = make_workbook(tmp_path / "old.xlsx", services=[service(id="A"), service(id="B", cost="??")])
    new = make_workbook(tmp_path / "new.xlsx", services=[service(id="A", service_name="Renamed")],
                        settings={"Published": "not a date"})  # the Directory sheet itself is broken
    result = diff_workbooks(old, new)
    assert [c.new.id for c in result.changed] == ["A"]
    assert any("old.xlsx has errors (1)" in w for w in result.warnings)
    assert any("new.xlsx has" in w for w in result.warnings)


def test_unreadable_file_is_an_input_error(tmp_path: Path) -> None:
    good = make_workbook(tmp_path / "good.xlsx", services=[service()])
    bad = tmp_path / "bad.xlsx"
    bad.write_text("id,name\n1,x\n")
    with pytest.raises(InputError):
        diff_workbooks(good, bad)
    with pytest.raises(InputError):
        diff_workbooks(tmp_path / "missing.xlsx", good)


def test_cli_diff(editions: tuple[Path, Path]) -> None:
    from typer.testing import CliRunner

    from directory_builder.cli import app

    run = CliRunner().invoke(app, ["diff", str(editions[0]), str(editions[1]), "--format", "markdown"])
    assert run.exit_code == 0 and "# What changed in this edition" in run.stdout
