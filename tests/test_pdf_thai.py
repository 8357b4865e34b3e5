"""Thai in the PDF: lines break only between words, marks survive shaping and text extraction."""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter

import pdfplumber
import pytest
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from directory_builder.render.pdf_kit import get_kit, text
from directory_builder.util.text import ZWSP, segment_for_wrapping

LONG_THAI = (
    "ศูนย์ช่วยเหลือผู้เสียหายจากการค้ามนุษย์ให้บริการที่พักพิงชั่วคราวแก่ผู้หญิงและเด็ก"
    "เจ้าหน้าที่สังคมสงเคราะห์จะรับฟังและช่วยวางแผนขั้นตอนต่อไปอย่างปลอดภัย "
    "คุณไม่ต้องเล่าเรื่องทั้งหมดเพื่อขอความช่วยเหลือ น้ำดื่มและอาหารไม่มีค่าใช้จ่าย "
    "โทรหาเราได้ตลอดยี่สิบสี่ชั่วโมงทุกวันรวมทั้งวันหยุดราชการ"
)


def _norm(s: str) -> str:
    """What survives any PDF text extractor's reordering: base letters only, no marks, no spaces.

    NFKD first: the shaper draws SARA AM (U+0E33) as its two parts, NIKHAHIT + SARA AA, and the PDF
    maps those glyphs to those two characters, which is the compatibility decomposition of U+0E33.
    """
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if not ch.isspace() and ch != ZWSP and unicodedata.category(ch) != "Mn")


def _render(markup: str, width: float) -> bytes:
    kit = get_kit("a5")
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=(width + 20, 1200), invariant=1)
    doc.addPageTemplates([PageTemplate("p", [Frame(10, 10, width, 1180, leftPadding=0, rightPadding=0,
                                                    topPadding=0, bottomPadding=0)])])
    doc.build([kit.p(markup, "body")])
    return buf.getvalue()


def _lines(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [line["text"] for line in pdf.pages[0].extract_text_lines()]


@pytest.mark.parametrize("width", [150.0, 220.0, 330.0])
def test_thai_lines_break_only_between_words(width: float) -> None:
    lines = _lines(_render(text(LONG_THAI, "th"), width))
    assert len(lines) >= 4
    boundaries = set()
    pos = 0
    for word in re.split(f"[{ZWSP} ]", segment_for_wrapping(LONG_THAI, "th")):
        pos += len(_norm(word))
        boundaries.add(pos)
    assert "".join(_norm(line) for line in lines) == _norm(LONG_THAI)  # nothing lost or added
    end = 0
    for line in lines[:-1]:
        end += len(_norm(line))
        assert end in boundaries, f"line ends inside a word: {line!r}"


def test_break_marks_add_no_space() -> None:
    kit = get_kit("a5")
    plain = kit.p(LONG_THAI[:40], "body")
    segmented = kit.p(text(LONG_THAI[:40], "th"), "body")
    assert ZWSP in segmented.text
    widths = []
    for para in (plain, segmented):
        para.wrap(2000, 100)
        (line,) = para.blPara.lines
        widths.append(2000 - line.extraSpace)
    assert widths[0] == pytest.approx(widths[1], abs=0.01)


def test_thai_marks_survive_extraction() -> None:
    # HarfBuzz swaps some marks for glyph variants without a code point ("น้ำ" lowers the tone mark);
    # the PDF must still map them back to the right characters for copy, search and screen readers.
    sample = "น้ำ ผู้หญิง ปั้น ฝั่ง ญี่ปุ่น ฐาน ฎีกา กรุงเทพฯ ค่ำ"
    data = _render(text(sample, "th"), 400)
    extracted = "".join(_lines(data))
    assert not re.search(r"[\ue000-\uf8ff]", extracted)
    def letters(s: str) -> Counter[str]:
        return Counter(c for c in unicodedata.normalize("NFKD", s) if not c.isspace())

    assert letters(extracted) == letters(sample)
