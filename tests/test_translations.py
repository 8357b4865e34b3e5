"""translations export / import: a language's fixed texts reviewed in a spreadsheet and written back.

Every assertion reads produced bytes: the review workbook (openpyxl), the written catalog (Babel), the
front-matter file, and the booklet and web page a build makes from them (pypdf, BeautifulSoup).
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from directory_builder.build.runner import BuildOptions, build_directory
from directory_builder.cli import app
from directory_builder.i18n import gettext_
from directory_builder.i18n.catalog_check import catalog_problems
from directory_builder.translations import importer
from directory_builder.translations.drafts import draft_count
from directory_builder.translations.entries import PACKAGE_LOCALES, REVIEWED_FLAG, message_key
from directory_builder.util.templates_path import BUILTIN_TEMPLATES
from workbook_factory import make_workbook, service

CONTENTS = message_key("Contents")  # a booklet label
CHECKED_ON = message_key("Checked on {date}")  # a label with a placeholder
RIGHTS = "frontmatter:rights.title"


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the module's builds: the Thai font is merged once, not once per test."""
    return tmp_path_factory.mktemp("cache")


def _cli(*args: str) -> tuple[int, str]:
    run = CliRunner().invoke(app, ["--ui-lang", "en", *args])
    return run.exit_code, run.output


def _export(tmp_path: Path, lang: str = "th", *extra: str) -> Path:
    out = tmp_path / f"review-{lang}.xlsx"
    code, output = _cli("translations", "export", "--lang", lang, str(out), *extra)
    assert code == 0, output
    return out


def _rows(path: Path) -> dict[str, tuple[int, list[object]]]:
    ws = load_workbook(path)["Translations"]
    return {str(row[0].value): (row[0].row, [c.value for c in row]) for row in ws.iter_rows(min_row=2)}


def _edit(path: Path, edits: dict[str, dict[str, object]], out: Path, extra_rows: list[list[object]] = ()) -> Path:
    """Change cells as a translator would: {key: {"D": text, "E": status}}."""
    wb = load_workbook(path)
    ws = wb["Translations"]
    for row in ws.iter_rows(min_row=2):
        for column, value in edits.get(str(row[0].value), {}).items():
            ws[f"{column}{row[0].row}"] = value
    for values in extra_rows:
        ws.append(values)
    wb.save(out)
    return out


def test_the_export_lists_every_text_and_is_the_same_bytes_each_time(tmp_path: Path) -> None:
    first = _export(tmp_path)
    again = tmp_path / "again.xlsx"
    assert _cli("translations", "export", "--lang", "th", str(again))[0] == 0
    assert first.read_bytes() == again.read_bytes()

    wb = load_workbook(first)
    assert wb.sheetnames == ["Instructions", "Translations"]
    assert wb.properties.language == "th"
    ws = wb["Translations"]
    assert [c.value for c in ws[1]] == ["key", "where it appears", "English", "translation", "status",
                                        "placeholders"]
    assert ws.freeze_panes == "A2" and ws.protection.sheet
    assert not ws["D2"].protection.locked and not ws["E2"].protection.locked and ws["C2"].protection.locked
    (status,) = ws.data_validations.dataValidation
    assert status.formula1 == '"draft,reviewed"' and str(status.sqref) == f"E2:E{ws.max_row}"
    rows = _rows(first)
    catalog = read_po(io.BytesIO((PACKAGE_LOCALES / "th" / "LC_MESSAGES" / "messages.po").read_bytes()))
    assert {message_key(m.id) for m in catalog if m.id} <= set(rows)
    _, contents = rows[CONTENTS]
    assert contents[2:5] == ["Contents", gettext_("Contents", "th"), "draft"]
    assert "publish/labels.py" in str(contents[1]) and "(victims)" in str(contents[1])
    assert rows[CHECKED_ON][1][5] == "{date}"
    assert rows[RIGHTS][1][2] == "Your rights" and "content/th/frontmatter.yaml" in str(rows[RIGHTS][1][1])
    assert len(rows) == draft_count("th")  # today every Thai text is a draft
    instructions = " ".join(str(c.value) for c in wb["Instructions"]["A"] if c.value)
    assert "column D" in instructions and gettext_("Translations to review: {language}", "th")[:6] in instructions


def test_reviewed_texts_reach_the_build_through_a_template_folder(tmp_path: Path, shared_cache: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIRECTORY_BUILDER_CACHE_DIR", str(shared_cache))
    review = _edit(_export(tmp_path, "id"), {CONTENTS: {"D": "NEW CONTENTS", "E": "reviewed"},
                                       RIGHTS: {"D": "NEW RIGHTS TITLE", "E": "reviewed"}}, tmp_path / "done.xlsx")
    mine = tmp_path / "mine"
    code, output = _cli("translations", "import", str(review), "--into", str(mine))
    assert code == 0, output
    po = mine / "locales" / "id" / "LC_MESSAGES" / "messages.po"
    written = {m.id: m for m in read_po(io.BytesIO(po.read_bytes())) if m.id}
    assert written["Contents"].string == "NEW CONTENTS" and REVIEWED_FLAG in written["Contents"].flags
    assert REVIEWED_FLAG not in written["Ages"].flags
    assert draft_count("id", (mine,)) == draft_count("id") - 2

    workbook = make_workbook(tmp_path / "w.xlsx", [service()], districts=["Jakarta Pusat"],
                             settings={"Languages": "id"})
    out = tmp_path / "out"
    result = build_directory(workbook, BuildOptions(out=out, jobs=1, template_dirs=(mine,)))
    assert result.built and not result.failures
    booklet = next(p for p in (out / "id").glob("*.pdf") if not p.name.endswith(".card.pdf"))
    text = "".join(page.extract_text() for page in PdfReader(booklet).pages)
    assert "NEW CONTENTS" in text and "NEW RIGHTS TITLE" in text
    page = BeautifulSoup(next((out / "id").glob("*.html")).read_text(encoding="utf-8"), "html.parser")
    assert "NEW RIGHTS TITLE" in page.get_text()
    assert gettext_("Contents", "id") != "NEW CONTENTS"  # the build's catalog folder ended with the build

    # Exported again from the folder: the two texts are reviewed; set one back to draft and it is a draft.
    again = _export(tmp_path, "id", "--template-dir", str(mine))
    rows = _rows(again)
    assert rows[CONTENTS][1][3:5] == ["NEW CONTENTS", "reviewed"] and rows[RIGHTS][1][4] == "reviewed"
    back = _edit(again, {CONTENTS: {"E": "draft"}}, tmp_path / "back.xlsx")
    assert _cli("translations", "import", str(back), "--into", str(mine))[0] == 0
    assert _rows(_export(tmp_path, "id", "--template-dir", str(mine)))[CONTENTS][1][4] == "draft"
    assert "- rights.title" in (mine / "content" / "id" / "frontmatter.yaml").read_text(encoding="utf-8")


def test_every_problem_is_reported_with_its_cell_and_nothing_is_written(tmp_path: Path) -> None:
    review = _export(tmp_path)
    rows = _rows(review)
    bad = _edit(review, {
        CONTENTS: {"D": "   "},
        CHECKED_ON: {"D": "ตรวจแล้ว {day}"},
        RIGHTS: {"E": "done"},
    }, tmp_path / "bad.xlsx", extra_rows=[["message:000000000000", "", "x", "y", "draft", ""],
                                         [CONTENTS, "", "Contents", "again", "draft", ""]])
    mine = tmp_path / "mine"
    code, output = _cli("translations", "import", str(bad), "--into", str(mine))
    assert code == 1
    last = max(row for row, _ in rows.values())
    expected = [f"Translations!D{rows[CONTENTS][0]}  error  The translation is empty.",
                f"Translations!D{rows[CHECKED_ON][0]}  error  The words in braces must be the same as in the "
                "English text: {date}.",
                f"Translations!E{rows[RIGHTS][0]}  error  The status must be draft or reviewed.",
                f"Translations!A{last + 1}  error  'message:000000000000' is not a text of directory-builder."]
    for line in expected:
        assert line in output, output
    assert "Nothing was written" in output and "Traceback" not in output
    assert not mine.exists()


def test_a_workbook_that_is_not_a_review_file_is_refused_plainly(tmp_path: Path) -> None:
    other = tmp_path / "other.xlsx"
    wb = Workbook()
    wb.properties.language = "th"
    assert wb.active is not None
    wb.active.title = "Sheet"
    wb.save(other)
    code, output = _cli("translations", "import", str(other), "--into", str(tmp_path / "mine"))
    assert code == 1 and "Translations!A1  error  The workbook has no sheet named Translations." in output

    moved = _edit(_export(tmp_path), {}, tmp_path / "moved.xlsx")
    wb = load_workbook(moved)
    wb["Translations"]["C1"] = "Source"
    wb.properties.language = None
    wb.save(moved)
    code, output = _cli("translations", "import", str(moved))
    assert code == 1 and "Translations!A1  error  This file does not say which language" in output

    for hostile in ("../th", "../locales/th", "en"):  # the language is never a path, and English is the source
        wb = load_workbook(moved)
        wb.properties.language = hostile
        wb.save(moved)
        code, output = _cli("translations", "import", str(moved), "--into", str(tmp_path / "x" / "y"))
        assert code == 1 and "This file does not say which language" in output, hostile
    assert not (tmp_path / "x").exists() and not (tmp_path / "locales").exists()

    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    code, output = _cli("translations", "import", str(broken))
    assert code == 2 and "Traceback" not in output and "broken.xlsx" in output


def test_a_long_translation_is_a_warning_and_is_written(tmp_path: Path) -> None:
    review = _edit(_export(tmp_path), {CONTENTS: {"D": "ก" * 60}}, tmp_path / "long.xlsx")
    code, output = _cli("translations", "import", str(review), "--into", str(tmp_path / "mine"))
    assert code == 0, output
    assert re.search(r"Translations!D\d+  warning  The translation is much longer than the English text", output)
    assert "ก" * 60 in (tmp_path / "mine/locales/th/LC_MESSAGES/messages.po").read_text(encoding="utf-8")


def test_without_into_the_projects_own_catalog_and_front_matter_are_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(PACKAGE_LOCALES / "vi", locales / "vi")
    (locales / "vi" / "LC_MESSAGES" / "messages.mo").write_bytes(b"stale")
    templates = tmp_path / "templates"
    shutil.copytree(BUILTIN_TEMPLATES / "content" / "vi", templates / "content" / "vi")
    monkeypatch.setattr(importer, "PACKAGE_LOCALES", locales)
    monkeypatch.setattr(importer, "BUILTIN_TEMPLATES", templates)
    review = _edit(_export(tmp_path, "vi"), {CONTENTS: {"D": "Mục lục mới", "E": "reviewed"}}, tmp_path / "vi.xlsx")
    code, output = _cli("translations", "import", str(review))
    assert code == 0, output
    assert 'msgstr "Mục lục mới"' in (locales / "vi/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    import gettext

    mo = gettext.GNUTranslations(io.BytesIO((locales / "vi/LC_MESSAGES/messages.mo").read_bytes()))
    assert mo.gettext("Contents") == "Mục lục mới"  # the compiled copy follows
    assert (templates / "content/vi/frontmatter.yaml").read_text(encoding="utf-8").startswith("# Front matter")


def test_the_reviewed_flag_survives_an_update_and_is_not_a_catalog_problem(tmp_path: Path) -> None:
    from babel.messages.pofile import write_po

    locales = tmp_path / "locales"
    shutil.copy(PACKAGE_LOCALES / "messages.pot", tmp_path / "locales.pot")
    (locales / "th" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(tmp_path / "locales.pot", locales / "messages.pot")
    catalog = read_po(io.BytesIO((PACKAGE_LOCALES / "th/LC_MESSAGES/messages.po").read_bytes()))
    catalog["Contents"].flags.add(REVIEWED_FLAG)
    catalog.update(read_po(io.BytesIO((locales / "messages.pot").read_bytes())), no_fuzzy_matching=True)
    assert REVIEWED_FLAG in catalog["Contents"].flags  # what scripts/i18n.py update does keeps it
    with (locales / "th/LC_MESSAGES/messages.po").open("wb") as fh:
        write_po(fh, catalog, width=110, ignore_obsolete=True)
    assert catalog_problems(locales, ["th"]) == []


def test_a_build_with_drafts_says_so_once_and_never_in_an_output(tmp_path: Path, shared_cache: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIRECTORY_BUILDER_CACHE_DIR", str(shared_cache))
    workbook = make_workbook(tmp_path / "w.xlsx", [service(), service(district="Jakarta Timur")],
                             districts=["Jakarta Pusat", "Jakarta Timur"], settings={"Languages": "th,en"})
    code, output = _cli("build", str(workbook), "--out", str(tmp_path / "out"), "--jobs", "1", "--format", "html")
    assert code == 0, output
    assert output.count("translations export") == 1
    assert f"th {draft_count('th')}" in output and "en 0" not in output
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            assert b"translations export" not in path.read_bytes(), path
    code, output = _cli("build", str(workbook), "--out", str(tmp_path / "en"), "--lang", "en", "--jobs", "1", "--format", "html")
    assert code == 0 and "translations export" not in output
