"""The front-matter texts: every shipped language is complete and parallel to English, and the loader
is strict and clear about broken files (NGOs edit these by hand)."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import ValidationError

from directory_builder.i18n import SHIPPED_LANGUAGES
from directory_builder.publish.content import (
    MAX_FILE_BYTES,
    QA,
    SECTION_IDS,
    BulletList,
    FrontMatter,
    Paragraph,
    Story,
    load_front_matter,
)
from directory_builder.util.templates_path import BUILTIN_TEMPLATES

NON_ENGLISH = [lang for lang in SHIPPED_LANGUAGES if lang != "en"]


def builtin_file(lang: str) -> Path:
    return BUILTIN_TEMPLATES / "content" / lang / "frontmatter.yaml"


def shape(front: FrontMatter) -> list[tuple[str, list[tuple[str, int]]]]:
    """Per section: each block's kind and, for lists, how many items; what a translation must keep."""
    return [
        (s.id, [(b.kind, len(b.items) if isinstance(b, BulletList) else 1) for b in s.blocks])
        for s in front.sections
    ]


def all_text(front: FrontMatter) -> list[str]:
    out = list(front.how_to_use)
    for section in front.sections:
        out.append(section.title)
        for b in section.blocks:
            if isinstance(b, Paragraph):
                out.append(b.text)
            elif isinstance(b, BulletList):
                out.extend(b.items)
            elif isinstance(b, Story):
                out += [b.title, b.text]
            elif isinstance(b, QA):
                out += [b.question, b.answer]
    return out


# --- the shipped texts -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_every_shipped_language_loads_from_its_own_file(lang: str) -> None:
    assert builtin_file(lang).is_file()
    front = load_front_matter(lang)
    assert front.language == lang
    assert front.section_ids == SECTION_IDS


@pytest.mark.parametrize("lang", NON_ENGLISH)
def test_translations_keep_every_block_of_the_english(lang: str) -> None:
    english = load_front_matter("en")
    front = load_front_matter(lang)
    assert shape(front) == shape(english)
    assert len(front.how_to_use) == len(english.how_to_use)


def test_english_content_covers_the_brief() -> None:
    en = load_front_matter("en")
    kinds = {s.id: [b.kind for b in s.blocks] for s in en.sections}
    assert kinds["stories"].count("story") == 3
    assert 6 <= kinds["faq"].count("qa") <= 8
    forms = next(b for b in en.section("forms").blocks if isinstance(b, BulletList))  # type: ignore[union-attr]
    assert len(forms.items) == 9
    text = " ".join(all_text(en)).lower()
    for phrase in (
        "not your fault",
        "not a criminal",
        "inside your own country",
        "interpreter",
        "embassy",
        "compensation",
        "say no",
        "passport",
        "children",
        "witness",
    ):
        assert phrase in text, phrase


def test_only_english_is_marked_as_reviewed() -> None:
    assert load_front_matter("en").needs_review is False
    for lang in NON_ENGLISH:
        assert load_front_matter(lang).needs_review is True
        head = builtin_file(lang).read_text(encoding="utf-8").splitlines()[0]
        assert head.startswith("#") and "native speaker" in head and "before printing" in head


@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_shipped_text_is_small_plain_nfc_text(lang: str) -> None:
    raw = builtin_file(lang).read_text(encoding="utf-8")
    # ~12 KB of text; Thai letters take 3 bytes each in UTF-8, so the bound is on characters.
    assert len(raw) < 12_000
    assert unicodedata.is_normalized("NFC", raw)  # fonts and shaping expect composed Vietnamese
    for text in all_text(load_front_matter(lang)):
        assert "<" not in text and "&" not in text and "\n" not in text


def test_each_translation_is_in_its_own_script() -> None:
    def share(lang: str, pred: Callable[[str], bool]) -> float:
        chars = [c for t in all_text(load_front_matter(lang)) for c in t if c.isalpha()]
        return sum(1 for c in chars if pred(c)) / len(chars)

    assert share("th", lambda c: "\u0e00" <= c <= "\u0e7f") > 0.95
    assert share("vi", lambda c: ord(c) > 127) > 0.2  # diacritics are present, not stripped
    vi = " ".join(all_text(load_front_matter("vi")))
    assert "Mua bán người" in vi and "đại sứ quán" in vi
    # Malay is not Indonesian: a few words that differ between the two
    ms = set(re.findall(r"\w+", " ".join(all_text(load_front_matter("ms"))).lower()))
    idn = set(re.findall(r"\w+", " ".join(all_text(load_front_matter("id"))).lower()))
    for malay, indonesian in (
        ("percuma", "gratis"),
        ("mangsa", "korban"),
        ("polis", "polisi"),
        ("pasport", "paspor"),
        ("mahkamah", "pengadilan"),
    ):
        assert malay in ms and indonesian in idn
        assert indonesian not in ms and malay not in idn


# --- the loader --------------------------------------------------------------------------------


def write(base: Path, lang: str, text: str) -> Path:
    path = base / "content" / lang / "frontmatter.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = """\
language: {lang}
how_to_use: ["Call us."]
sections:
  - id: faq
    title: "Questions"
    blocks:
      - paragraph: "{para}"
      - list: ["one", "two"]
      - story: {{title: "T", text: "Story text."}}
      - qa: {{q: "Q?", a: "A."}}
"""


def test_block_kinds_and_fields() -> None:
    f = FrontMatter.model_validate(
        {
            "language": "en",
            "how_to_use": [" Call us. "],
            "sections": [
                {
                    "id": "faq",
                    "title": "Q",
                    "blocks": [
                        {"paragraph": "p"},
                        {"list": ["a", "b"]},
                        {"story": {"title": "t", "text": "x"}},
                        {"qa": {"q": "q", "a": "a"}},
                    ],
                }
            ],
        }
    )
    blocks = f.sections[0].blocks
    assert [b.kind for b in blocks] == ["paragraph", "list", "story", "qa"]
    assert isinstance(blocks[1], BulletList) and blocks[1].items == ("a", "b")
    assert isinstance(blocks[2], Story) and (blocks[2].title, blocks[2].text) == ("t", "x")
    assert isinstance(blocks[3], QA) and (blocks[3].question, blocks[3].answer) == ("q", "a")
    assert f.how_to_use == ("Call us.",)
    assert f.needs_review is False
    with pytest.raises(ValidationError):
        f.sections[0].blocks[0].text = "changed"  # type: ignore[union-attr]  # shared cached object


def test_user_template_dir_overrides_one_language(tmp_path: Path) -> None:
    write(tmp_path, "vi", MINIMAL.format(lang="vi", para="Văn bản của tổ chức"))
    vi = load_front_matter("vi", [tmp_path])
    assert vi.section_ids == ("faq",)
    assert vi.sections[0].blocks[0].text == "Văn bản của tổ chức"  # type: ignore[union-attr]
    # the other languages still come from the built-in files
    assert load_front_matter("id", [tmp_path]) == load_front_matter("id")
    assert load_front_matter("vi").section_ids == SECTION_IDS


def test_a_user_dir_can_add_a_language(tmp_path: Path) -> None:
    write(tmp_path, "km", MINIMAL.format(lang="km", para="ព័ត៌មាន"))
    assert load_front_matter("km", [tmp_path]).language == "km"


def test_missing_language_falls_back_to_english(tmp_path: Path) -> None:
    front = load_front_matter("km", [tmp_path])
    assert front.language == "en"
    assert front == load_front_matter("en")


def test_edited_file_is_read_again(tmp_path: Path) -> None:
    path = write(tmp_path, "th", MINIMAL.format(lang="th", para="first"))
    assert load_front_matter("th", [tmp_path]).sections[0].blocks[0].text == "first"  # type: ignore[union-attr]
    path.write_text(MINIMAL.format(lang="th", para="second"), encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert load_front_matter("th", [tmp_path]).sections[0].blocks[0].text == "second"  # type: ignore[union-attr]


BROKEN = {
    "yaml syntax": ("language: en\nsections: [\n", "not valid YAML at line"),
    "not a mapping": ("- just a list\n", "expected a mapping"),
    "unknown block": (
        MINIMAL.format(lang="en", para="x").replace("paragraph:", "paragrph:"),
        "sections[0].blocks[0]: each block must have exactly one key",
    ),
    "story without text": (
        MINIMAL.format(lang="en", para="x").replace(', text: "Story text."', ""),
        "sections[0].blocks[2].text: Field required",
    ),
    "empty list item": (
        MINIMAL.format(lang="en", para="x").replace('"two"', '"  "'),
        "sections[0].blocks[1].list[1]",
    ),
    "typo in key": (MINIMAL.format(lang="en", para="x").replace("how_to_use", "how_to_us"), "how_to_us"),
    "duplicate ids": (
        MINIMAL.format(lang="en", para="x")
        + '  - id: faq\n    title: "Again"\n    blocks: [paragraph: "p"]\n',
        "repeated: faq",
    ),
    "wrong language": (MINIMAL.format(lang="vi", para="x"), "says 'language: vi'"),
    "alias": ("language: &l en\nhow_to_use: [*l]\nsections: []\n", "anchors and aliases"),
    "python tag": ("language: !!python/object:os.system en\n", "not valid YAML"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_malformed_file_gives_clear_error(tmp_path: Path, case: str) -> None:
    text, expected = BROKEN[case]
    path = write(tmp_path, "en", text)
    with pytest.raises(ValueError) as info:
        load_front_matter("en", [tmp_path])
    message = str(info.value)
    assert str(path.resolve()) in message
    assert expected in message


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    write(tmp_path, "en", "# " + "x" * MAX_FILE_BYTES + "\n")
    with pytest.raises(ValueError, match="larger than"):
        load_front_matter("en", [tmp_path])


def test_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    path = write(tmp_path, "th", "")
    path.write_bytes(MINIMAL.format(lang="th", para="ภาษาไทย").encode("cp874"))
    with pytest.raises(ValueError, match="not UTF-8"):
        load_front_matter("th", [tmp_path])


@pytest.mark.parametrize("bad", ["../en", "en/../../x", "", "e n"])
def test_language_code_cannot_escape_the_template_folder(bad: str) -> None:
    with pytest.raises(ValueError, match="not a language code"):
        load_front_matter(bad)
