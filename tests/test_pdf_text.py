"""text.py: cleaning untrusted workbook text and Thai word-break opportunities."""

from __future__ import annotations

import unicodedata

import pytest

from directory_builder.util.text import (
    ZWSP,
    clean_text,
    escape_markup,
    has_thai,
    needs_shaping,
    nobreak,
    segment_for_wrapping,
    thai_words,
)

THAI = "ศูนย์ช่วยเหลือผู้เสียหายจากการค้ามนุษย์ให้บริการที่พักพิงชั่วคราว"


def test_clean_text_drops_controls_and_keeps_lines() -> None:
    raw = "Line\x00 one\x07\r\nline\ttwo\u202e  \ufeff\n\n  three  "
    assert clean_text(raw) == "Line one\nline two\nthree"


def test_clean_text_drops_private_use_and_unassigned() -> None:
    assert clean_text("a\ue000b\U000effffc\ufdd0d") == "abcd"


def test_clean_text_composes_vietnamese() -> None:
    decomposed = unicodedata.normalize("NFD", "Người hỗ trợ ệ")
    assert clean_text(decomposed) == "Người hỗ trợ ệ"
    assert not needs_shaping(clean_text(decomposed))


def test_escape_markup_makes_tags_literal() -> None:
    assert escape_markup("<b>&amp; <script>") == "&lt;b&gt;&amp;amp; &lt;script&gt;"
    assert escape_markup("a\nb") == "a<br/>b"


def test_segment_inserts_breaks_only_between_thai_words() -> None:
    out = segment_for_wrapping(THAI, "th")
    words = out.split(ZWSP)
    assert "".join(words) == THAI
    assert len(words) >= 8
    assert "ช่วยเหลือ" in words
    assert "ผู้เสียหาย" in words


def test_segment_never_separates_marks_from_their_letter() -> None:
    for word in segment_for_wrapping(THAI).split(ZWSP):
        assert unicodedata.category(word[0]) != "Mn", word


def test_segment_leaves_other_scripts_alone() -> None:
    text = "Tiếng Việt, Bahasa Indonesia, English 129"
    assert segment_for_wrapping(text, "vi") is text


def test_segment_handles_mixed_text() -> None:
    text = "มูลนิธิ (Foundation) โทร 1300 ตลอด 24 ชั่วโมง"
    out = segment_for_wrapping(text, "en")
    assert out.replace(ZWSP, "") == text
    assert "Foundation" in out and "1300" in out


def test_thai_words_round_trip() -> None:
    assert "".join(thai_words(THAI)) == THAI


@pytest.mark.parametrize(("text", "expected"), [("ไทย", True), ("abc", False), ("Việt", False)])
def test_has_thai(text: str, expected: bool) -> None:
    assert has_thai(text) is expected


def test_nobreak() -> None:
    assert nobreak("(022) 423 1234") == "(022)\u00a0423\u00a01234"
