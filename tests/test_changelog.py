"""The public changelog (diff --format markdown) quotes only what the public edition shows.

Privacy is decided once, in publish/selection.py: the changelog names entries by their published names and
quotes a value only where the published view shows that very value.
"""

from __future__ import annotations

from pathlib import Path

from directory_builder.lifecycle.diff import diff_workbooks, format_diff
from workbook_factory import make_workbook, service

SECRET_PLACE = "Jl. Melati 7, Jakarta Pusat"


def changelog(tmp_path: Path, old: list[dict[str, object]], new: list[dict[str, object]]) -> str:
    return format_diff(diff_workbooks(make_workbook(tmp_path / "old.xlsx", services=old),
                                      make_workbook(tmp_path / "new.xlsx", services=new)), "markdown")


def test_an_entry_moved_to_a_confidential_place_does_not_print_the_place(tmp_path: Path) -> None:
    shelter = service(id="K", service_name="Safe house", confidential="yes", address=SECRET_PLACE)
    md = changelog(tmp_path,
                   [shelter, service(id="N", service_name="Clinic", address="Jl. Anggrek 3, Jakarta Pusat")],
                   [shelter, service(id="N", service_name="Clinic", address=SECRET_PLACE)])
    assert "**Clinic**" in md and "Address: changed" in md
    assert "Melati" not in md


def test_a_confidential_place_typed_into_a_name_is_not_printed(tmp_path: Path) -> None:
    name = f"Safe house at {SECRET_PLACE}"
    md = changelog(tmp_path,
                   [service(id="K", service_name=name, confidential="yes", address=SECRET_PLACE, cost="free")],
                   [service(id="K", service_name=name, confidential="yes", address=SECRET_PLACE, cost="paid")])
    assert "Cost: " in md
    assert "Melati" not in md


def test_practitioner_only_fields_and_entries_are_never_quoted(tmp_path: Path) -> None:
    md = changelog(tmp_path,
                   [service(id="F", service_name="Focal", focal_point="OLD-PERSON", focal_point_phone="0812 1111 2222"),
                    service(id="P", service_name="Desk PRACTITIONERS", publish="practitioners", cost="free")],
                   [service(id="F", service_name="Focal", focal_point="NEW-PERSON", focal_point_phone="0812 3333 4444"),
                    service(id="P", service_name="Desk PRACTITIONERS", publish="practitioners", cost="paid")])
    assert "Focal point" not in md and "**Focal**" not in md  # internal changes are none of the public's business
    for secret in ("OLD-PERSON", "NEW-PERSON", "1111", "3333", "PRACTITIONERS"):
        assert secret not in md
    # The staff text keeps every value.
    text = format_diff(diff_workbooks(tmp_path / "old.xlsx", tmp_path / "new.xlsx"), "text")
    assert "NEW-PERSON" in text


def test_internal_columns_and_a_confidential_place_are_not_even_said_to_change(tmp_path: Path) -> None:
    """Seen: 'Notes (internal): changed', 'Address: changed' for a shelter, and 'Address is confidential:
    No -> Yes', which sends a reader to the old edition for the address."""
    shelter = {"id": "K", "service_name": "Safe house", "confidential": "yes"}
    md = changelog(tmp_path,
                   [service(**shelter, address=SECRET_PLACE, notes="old note", cost="free"),
                    service(id="M", service_name="Moved shelter", address="Jl. Anggrek 3, Jakarta Pusat"),
                    service(id="C", service_name="Clinic", notes="a", verified_by="Ani")],
                   [service(**shelter, address="Jl. Kenanga 9, Jakarta Pusat", notes="new note", cost="paid"),
                    service(id="M", service_name="Moved shelter", address="Jl. Anggrek 3, Jakarta Pusat",
                            confidential="yes"),
                    service(id="C", service_name="Clinic", notes="b", verified_by="Budi")])
    assert "**Safe house**" in md and "Cost: " in md  # the changes the public may know are still there
    for hidden in ("Notes", "Address", "confidential", "Verified by", "**Moved shelter**", "**Clinic**"):
        assert hidden not in md, hidden
    assert "1 changed" in md


def test_a_changed_value_the_public_edition_hides_is_said_in_the_reader_s_language(tmp_path: Path) -> None:
    from directory_builder.i18n import use_language

    name = f"Safe house at {SECRET_PLACE}"
    result = diff_workbooks(
        make_workbook(tmp_path / "old.xlsx", services=[service(id="K", service_name=name, confidential="yes",
                                                               address=SECRET_PLACE, description="Old text.")]),
        make_workbook(tmp_path / "new.xlsx", services=[service(id="K", service_name=name, confidential="yes",
                                                               address=SECRET_PLACE,
                                                               description=f"Come to {SECRET_PLACE}.")]))
    with use_language("id"):
        md = format_diff(result, "markdown")
    lines = md.splitlines()
    assert any(line.endswith(": diubah") for line in lines) and not any(line.endswith(": changed") for line in lines)
    assert "Melati" not in md
