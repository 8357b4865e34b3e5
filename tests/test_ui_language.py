"""Staff read messages in their own language without asking: the order of the language rungs, typer's own
words (help, usage errors) translated, repeated warnings summed up with errors first, and the small
wordings (email reasons, setting cells, call list, diff) that used to leak English or ids."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from directory_builder.check.problems import grouped_report_text, make_problem, report_dict
from directory_builder.cli import app
from directory_builder.i18n.ui import locale_language, ui_language
from workbook_factory import make_workbook, service


def run(args: list[str], tmp_path: Path, **env: str | None) -> tuple[int, str]:
    """The CLI in this process, with no language set anywhere unless ``env`` sets it."""
    base: dict[str, str | None] = {"DIRECTORY_BUILDER_LANG": None, "LANGUAGE": None, "LC_ALL": None,
                                   "LC_MESSAGES": None, "LANG": "C.UTF-8"}
    result = CliRunner().invoke(app, args, env={**base, **env})
    return result.exit_code, result.output


def set_core_language(path: Path, lang: str | None) -> Path:
    """Rewrite dc:language of ``path`` (None: drop the element), as another program might."""
    with zipfile.ZipFile(path) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    core = parts["docProps/core.xml"].decode()
    start, end = core.find("<dc:language"), core.find("</dc:language>")
    if start >= 0:
        core = core[:start] + core[end + len("</dc:language>"):]
    if lang is not None:
        core = core.replace("</cp:coreProperties>", f'<dc:language xmlns:dc="http://purl.org/dc/elements/1.1/">'
                                                     f"{lang}</dc:language></cp:coreProperties>")
    parts["docProps/core.xml"] = core.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


@pytest.fixture
def english_labels_id_languages(tmp_path: Path) -> Path:
    """A hand-made workbook (English labels, no recorded language) whose Languages start with id."""
    return make_workbook(tmp_path / "w.xlsx", services=[service(id="S1", phone="12")],
                         settings={"Languages": "id, en"})


# ------------------------------------------------------------------------------------- the rungs, in order


def test_ui_lang_is_accepted_after_the_command_name(english_labels_id_languages: Path, tmp_path: Path) -> None:
    code, out = run(["validate", str(english_labels_id_languages), "--ui-lang", "vi"], tmp_path)
    assert code == 1 and "lỗi" in out and "error" not in out


def test_ui_lang_before_the_command_name_beats_the_environment(english_labels_id_languages: Path,
                                                               tmp_path: Path) -> None:
    code, out = run(["--ui-lang", "th", "validate", str(english_labels_id_languages)], tmp_path,
                    DIRECTORY_BUILDER_LANG="ms")
    assert code == 1 and "ข้อผิดพลาด" in out


def test_the_environment_beats_the_workbook(english_labels_id_languages: Path, tmp_path: Path) -> None:
    code, out = run(["validate", str(english_labels_id_languages)], tmp_path, DIRECTORY_BUILDER_LANG="ms")
    assert code == 1 and "ralat" in out and "kesalahan" not in out


def test_the_workbook_made_with_template_lang_speaks_its_language(tmp_path: Path) -> None:
    book = tmp_path / "blank.xlsx"
    code, out = run(["template", str(book), "--lang", "id"], tmp_path)
    assert code == 0 and "Templat" in out and "Template written" not in out
    code, out = run(["validate", str(book)], tmp_path, LANG="en_GB.UTF-8")  # the workbook beats the locale
    assert code == 1 and "kesalahan" in out and "error" not in out


def test_the_recorded_language_beats_the_languages_setting(english_labels_id_languages: Path,
                                                          tmp_path: Path) -> None:
    set_core_language(english_labels_id_languages, "th")
    code, out = run(["validate", str(english_labels_id_languages)], tmp_path)
    assert code == 1 and "ข้อผิดพลาด" in out


def test_without_a_recorded_language_the_first_of_the_languages_setting(english_labels_id_languages: Path,
                                                                         tmp_path: Path) -> None:
    code, out = run(["validate", str(english_labels_id_languages)], tmp_path)
    assert code == 1 and "kesalahan" in out and "  error  " not in out


def test_the_locale_when_the_workbook_says_nothing_we_ship(tmp_path: Path) -> None:
    book = make_workbook(tmp_path / "fr.xlsx", services=[service(id="S1", phone="12")],
                         settings={"Languages": "fr"})
    code, out = run(["validate", str(book)], tmp_path, LANG="vi_VN.UTF-8")
    assert code == 1 and "lỗi" in out
    code, out = run(["validate", str(book)], tmp_path)  # LANG=C.UTF-8: English
    assert code == 1 and "  error  " in out


@pytest.mark.parametrize(("environ", "expected"), [
    ({"LC_ALL": "th_TH.UTF-8", "LANG": "id_ID.UTF-8"}, "th"),
    ({"LC_MESSAGES": "ms_MY.UTF-8", "LANG": "id_ID.UTF-8"}, "ms"),
    ({"LANG": "id_ID.UTF-8", "LANGUAGE": "vi:id"}, "vi"),
    ({"LC_ALL": "C", "LANG": "id_ID.UTF-8", "LANGUAGE": "vi"}, None),
    ({"LANG": "fr_FR.UTF-8"}, None),
    ({}, None),
])
def test_locale_language_follows_posix_order(environ: Mapping[str, str], expected: str | None) -> None:
    assert locale_language(environ) == expected


def test_the_workbook_is_read_only_when_nothing_earlier_decides() -> None:
    def workbook() -> str:
        raise AssertionError("the workbook was opened although --ui-lang decided")

    assert ui_language("id", workbook, environ={}) == "id"
    assert ui_language(None, workbook, environ={"DIRECTORY_BUILDER_LANG": "th"}) == "th"
    assert ui_language(None, lambda: "ms", environ={"LANG": "vi_VN"}) == "ms"
    assert ui_language(None, lambda: None, environ={}) == "en"


def test_an_unknown_ui_lang_is_a_usage_error(tmp_path: Path) -> None:
    code, out = run(["validate", "x.xlsx", "--ui-lang", "fr"], tmp_path)
    assert code == 2 and "'fr' is not a language of messages" in out


# ------------------------------------------------------------------------------------- typer's own words


def test_help_is_in_the_staff_language_with_typers_words(tmp_path: Path) -> None:
    code, out = run(["validate", "--help", "--ui-lang", "id"], tmp_path)
    assert code == 0
    assert "Cara pakai:" in out and "[PILIHAN]" in out and "Tampilkan pesan ini lalu keluar." in out
    for english in ("Usage:", "Options", "OPTIONS", "Arguments", "Show this message and exit.", "[required]",
                    "Language of messages"):
        assert english not in out


def test_usage_errors_are_in_the_staff_language(tmp_path: Path) -> None:
    code, out = run(["validate", "w.xlsx", "--bogus", "--ui-lang", "id"], tmp_path)
    assert code == 2
    assert "Tidak ada pilihan --bogus" in out and "Kesalahan:" in out and "Coba '" in out
    assert "No such option" not in out and "Error:" not in out and "Try '" not in out
    code, out = run(["validate", "--ui-lang", "vi"], tmp_path)
    assert code == 2 and "Thiếu đối số" in out and "Missing argument" not in out
    code, out = run(["validat", "--ui-lang", "ms"], tmp_path)
    assert code == 2 and "Tiada arahan 'validat'." in out and "Did you mean" not in out
    code, out = run(["build", "w.xlsx", "--jobs", "0"], tmp_path, DIRECTORY_BUILDER_LANG="th")
    assert code == 2 and "ใส่ตัวเลขอย่างน้อย 1" in out and "greater than" not in out


# ------------------------------------------------------------------------------------- errors first, summed up


def many_missing_translations(tmp_path: Path) -> Path:
    rows = [service(id=f"S{i}", service_name={"id": f"Layanan {i}"}, district="Kabupaten Cianjur") for i in range(9)]
    rows.append(service(id="BAD", email="info@@example"))
    return make_workbook(tmp_path / "m.xlsx", services=rows, settings={"Languages": "id, en"})


def test_repeated_warnings_are_one_line_per_column_and_district_after_the_errors(tmp_path: Path) -> None:
    code, out = run(["validate", str(many_missing_translations(tmp_path)), "--ui-lang", "en"], tmp_path)
    assert code == 1
    lines = out.splitlines()
    assert "  error  " in lines[0]
    summed = [line for line in lines if "9 cells (Kabupaten Cianjur): 'Service name' has no English" in line]
    assert len(summed) == 1, out
    assert summed[0].startswith("Services!E3, E4, E5, E6, E7, E8, E9, E10, E11  warning  ")
    assert sum("'Service name' has no English text" in line for line in lines) == 2  # + the row with an error


def test_json_keeps_every_problem(tmp_path: Path) -> None:
    code, out = run(["validate", str(many_missing_translations(tmp_path)), "--format", "json"], tmp_path)
    assert code == 1
    warnings = json.loads(out)["warnings"]
    # 10 names, 10 descriptions, and the title, edition and publisher settings
    assert sum(w["code"] == "missing-translation" for w in warnings) == 23


def test_a_long_run_names_the_first_cells_and_counts_the_rest() -> None:
    problems = [make_problem("missing-translation", sheet="Services", row=r, col=3, column="Service name",
                             language="English", default="Indonesian") for r in range(3, 33)]
    (line,) = grouped_report_text(problems, "en")
    assert line.startswith("Services!C3, C4, C5, C6, C7, C8, C9, C10, C11, C12, C13, C14 and 18 more  warning  "
                           "30 cells: ")
    assert len(report_dict(problems, {})["warnings"]) == 30


def test_build_says_how_many_warnings_it_did_not_print(tmp_path: Path) -> None:
    book = make_workbook(tmp_path / "ok.xlsx", services=[service(id=f"S{i}", service_name={"id": f"L {i}"})
                                                          for i in range(3)], settings={"Languages": "id, en"})
    code, out = run(["build", str(book), "--out", str(tmp_path / "out"), "--format", "html", "--jobs", "1",
                     "--ui-lang", "en"], tmp_path)
    assert code == 0, out
    assert f"warnings were not shown. To see them all: directory-builder validate {book}" in out


# ------------------------------------------------------------------------------------- wordings


def test_email_reasons_are_ours_and_translated(tmp_path: Path) -> None:
    book = make_workbook(tmp_path / "e.xlsx", services=[service(id="S1", email="info@@example")],
                         settings={"Languages": "id"})
    code, out = run(["validate", str(book)], tmp_path)
    assert code == 1
    assert "'info@@example' bukan alamat email: alamat email harus berisi tepat satu tanda @." in out
    assert "@-sign" not in out and "The part after" not in out


def test_a_setting_problem_names_its_cell(tmp_path: Path) -> None:
    book = make_workbook(tmp_path / "s.xlsx", services=[service(id="S1")],
                         settings={"Languages": "id, en", "Title": {"id": "Direktori", "en": None}})
    wb = load_workbook(book)
    ws = wb["Directory"]
    title_en = next(row[0].row for row in ws.iter_rows() if row[0].value == "Title (en)")
    ws.cell(title_en, 2).value = None
    wb.save(book)
    code, out = run(["validate", str(book), "--ui-lang", "en"], tmp_path)
    assert code == 0
    assert f"Directory!B{title_en}  warning  'Title' has no English text" in out


def test_the_call_list_falls_back_to_the_services_own_phone(tmp_path: Path) -> None:
    import datetime as dt

    from directory_builder.lifecycle.report import make_report

    book = make_workbook(tmp_path / "r.xlsx", services=[
        service(id="OLD", phone="021 3190 0110", last_verified=dt.date(2024, 1, 5))])
    (entry,) = make_report(book, today=dt.date(2026, 3, 1)).stale
    assert entry.focal_point is None and entry.focal_point_phone == "+62 21 31900110"


def test_the_diff_shows_no_generated_ids(tmp_path: Path) -> None:
    from directory_builder.lifecycle.diff import diff_workbooks, format_diff

    old = make_workbook(tmp_path / "a.xlsx", services=[service(service_name="Rumah aman", phone="021 3190 0110")],
                        omit=["id"])
    new = make_workbook(tmp_path / "b.xlsx", services=[service(service_name="Rumah aman", phone="021 3190 0111")],
                        omit=["id"])
    result = diff_workbooks(old, new)
    (change,) = result.changed
    text = format_diff(result, "text")
    assert change.new.id_generated and change.new.id not in text
    assert "[row 3] Rumah aman" in text and "Phone: 021 3190 0110 -> 021 3190 0111" in text


def test_list_hints_name_the_labels_in_the_staff_language_not_codes(tmp_path: Path) -> None:
    book = make_workbook(tmp_path / "c.xlsx", services=[service(id="S1", categories="rumah; shelter",
                                                                organization_type="yayasan")],
                         settings={"Languages": "id"})
    code, out = run(["validate", str(book)], tmp_path)
    assert code == 1
    assert "Pilih salah satu: Telepon bantuan; Tempat tinggal aman; Kesehatan;" in out
    assert "Pilih salah satu: Pemerintah; LSM" in out
    assert "mental_health" not in out and "government" not in out


def test_the_templates_input_help_lists_labels_not_codes(tmp_path: Path) -> None:
    book = tmp_path / "t.xlsx"
    assert run(["template", str(book), "--lang", "id"], tmp_path)[0] == 0
    ws = load_workbook(book)["Layanan"]
    prompts = [v.prompt or "" for v in ws.data_validations.dataValidation]
    (for_whom,) = [p for p in prompts if "Pekerja migran" in p]
    assert "Perempuan; Laki-laki" in for_whom and "migrant_workers" not in for_whom
    notes = [c.comment.text for c in ws[1] if c.comment]
    assert any("Tempat tinggal aman" in n for n in notes) and not any("mental_health" in n for n in notes)


def test_phone_problems_name_the_country_in_words_and_how_to_separate_two_numbers(tmp_path: Path) -> None:
    book = make_workbook(tmp_path / "p.xlsx", services=[service(id="S1", phone="12"),
                                                        service(id="S2", phone="021 3190 0110 3190 0111")],
                         settings={"Languages": "vi"})
    code, out = run(["validate", str(book)], tmp_path)
    invalid, too_long = (line for line in out.splitlines() if "  lỗi  " in line)
    assert code == 1 and "Indonesia" in invalid and "';'" in invalid and "(ID)" not in invalid
    assert "Indonesia" in too_long and "; 112" in too_long


def test_an_empty_required_setting_names_its_value_cell(tmp_path: Path) -> None:
    book = tmp_path / "blank.xlsx"
    assert run(["template", str(book), "--lang", "id"], tmp_path)[0] == 0
    ws = load_workbook(book)["Direktori"]
    publisher = next(row[0].row for row in ws.iter_rows() if str(row[0].value).startswith("Penerbit"))
    code, out = run(["validate", str(book)], tmp_path)
    assert code == 1
    assert f"Direktori!B{publisher}  kesalahan  Pengaturan 'Penerbit'" in out
