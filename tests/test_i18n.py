"""The five catalogs are complete, and labels that are read back stay unambiguous in every language."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from directory_builder.columns import DISTRICTS_COLUMNS, SERVICES_COLUMNS, SETTINGS
from directory_builder.i18n import SHIPPED_LANGUAGES, gettext_
from directory_builder.i18n.catalog_check import catalog_problems
from directory_builder.vocab import VOCABULARIES, normalise_key

LOCALES = Path(__file__).resolve().parent.parent / "src" / "directory_builder" / "locales"


def test_pot_is_up_to_date_with_the_code(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = LOCALES.parent.parent.parent
    out = tmp_path / "fresh.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "N_",
                    "-k", "gettext_", "-o", str(out), "src"], cwd=root, check=True)
    with out.open("rb") as fh:
        fresh = {m.id for m in read_po(fh) if m.id}
    with (LOCALES / "messages.pot").open("rb") as fh:
        committed = {m.id for m in read_po(fh) if m.id}
    assert fresh - committed == set(), "run `python scripts/i18n.py all` and translate the new strings"


def test_catalogs_are_complete_and_placeholders_match() -> None:
    problems = catalog_problems(LOCALES, SHIPPED_LANGUAGES)
    assert problems == [], "\n".join(problems[:40])


@pytest.mark.parametrize("lang", [lang for lang in SHIPPED_LANGUAGES if lang != "en"])
def test_catalog_header_asks_for_native_review(lang: str) -> None:
    text = (LOCALES / lang / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    assert "reviewed by a native speaker" in text.split("msgid", 1)[0]


@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_labels_read_back_are_unique_per_language(lang: str) -> None:
    groups = {
        "services": [c.label for c in SERVICES_COLUMNS],
        "districts": [c.label for c in DISTRICTS_COLUMNS],
        "settings": [s.label for s in SETTINGS],
        **{name: [t.label for t in v.terms] for name, v in VOCABULARIES.items()},
    }
    for name, labels in groups.items():
        translated = [normalise_key(gettext_(label, lang)) for label in labels]
        assert len(set(translated)) == len(translated), (lang, name, translated)


@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_sheet_names_are_valid_excel_names(lang: str) -> None:
    for msgid in ("Instructions", "Directory", "Districts", "Services", "Lists"):
        name = gettext_(msgid, lang)
        assert 0 < len(name) <= 31 and not set(name) & set("[]:*?/\\"), (lang, name)


def test_printed_dates_are_written_the_local_way() -> None:
    """Seen: Thai pages printed '5 มีนาคม ค.ศ. 2026' (the Christian era, named) where Thai readers count 2569."""
    import datetime as dt

    from directory_builder.i18n import format_date

    day = dt.date(2026, 3, 5)
    assert format_date(day, "th") == "5 มีนาคม 2569"
    assert format_date(day, "th", "medium") == "5 มี.ค. 2569"
    assert format_date(day, "vi") == "5 tháng 3 năm 2026"
    assert format_date(day, "id") == "5 Maret 2026"
