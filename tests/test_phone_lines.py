"""A phone number is never broken across lines in a PDF: a victim could dial the wrong number.

Seen before the fix: the national hotline "0812 5550 0170" printed as "0812-5550-017" with "0" on the
next line on the A5 booklet's cover and the back page. Checked from the produced bytes (poppler's
pdftotext, one line of text per printed line) for numbers of many lengths, with extensions and two
numbers in one cell, on A5, A4 and Letter: cover, entries, back page, running footer and pocket card.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pytest

from directory_builder.publish.view import CategorySection, DistrictView, NamedNumber, PhoneView
from directory_builder.render.options import RenderOptions
from directory_builder.render.pdf import render_booklet, render_pocket_card
from factories import sample_view, service, short

LONG_NAME = "Crisis centre of the women's and children's integrated service, Jl. Melati No. 12, Kota Bandung"


def pdf_pages(data: bytes, tmp_path: Path) -> list[str]:
    """The text of each page as poppler reads it: one line of text per printed line."""
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    pages = out.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def one_spaced(text: str) -> str:
    """Spaces (no-break ones too) as one plain space, line breaks kept."""
    return "\n".join(re.sub(r"[^\S\n]+", " ", line).strip() for line in text.split("\n"))


def mobile(groups: int) -> PhoneView:
    """An Indonesian mobile number of ``groups`` groups of four digits after 0812 (longer and longer)."""
    rest = [f"{5550 + n}" for n in range(groups)]
    local = "-".join(["0812", *rest])
    return PhoneView(international="+62 " + local[1:], local=local, dial="+62" + "".join(local[1:].split("-")))


def with_extension(ext: str) -> PhoneView:
    return PhoneView(international=f"+62 21 3190 0110 ext. {ext}", local=f"(021) 3190 0110 ext. {ext}",
                     dial="+622131900110", extension=ext)


#: Numbers of every length a workbook holds: the seen case, longer mobiles, extensions, an international
#: number typed as such (both forms the same).
NUMBERS = [
    mobile(2),
    mobile(3),
    mobile(4),
    with_extension("12"),
    with_extension("123456"),
    PhoneView(international="+62 812 5550 0170", local="+62 812 5550 0170", dial="+6281255500170"),
]


def printed_forms(phone: PhoneView) -> list[str]:
    return list(dict.fromkeys([phone.local, phone.international]))


def numbers_view(phone: PhoneView, other: PhoneView) -> DistrictView:
    """``phone`` as the first national hotline (cover, footer, back page, card) under a long name and as a
    service's two numbers in one cell (with ``other``)."""
    entry = service("S-NUM", "Integrated crisis service", ["hotline"], phones=(phone, other), hotlines=(phone,))
    return sample_view(
        national_hotlines=(NamedNumber(LONG_NAME, phone), NamedNumber("Police", short("110"))),
        local_emergency=(NamedNumber("Crisis centre", other),),
        sections=(CategorySection("hotline", (entry,)),),
        all_district_sections=(),
    )


def breaks(text: str, number: str) -> list[str]:
    """Places where a line ends with the start of ``number`` and one of the next lines begins with its rest."""
    lines = [line for line in one_spaced(text).split("\n") if line]
    found = []
    for n, line in enumerate(lines):
        for k in range(1, len(number)):
            head, rest = number[:k].strip(), number[k:].strip()
            if head and rest and line.endswith(head) and any(nxt.startswith(rest) for nxt in lines[n + 1:n + 4]):
                found.append(f"{line!r} / {rest!r}")
    return found


def assert_whole(pages: list[str], number: str, where: str) -> int:
    """``number`` is never broken over two lines on any page; returns how many times it is printed whole."""
    for n, page in enumerate(pages):
        assert not breaks(page, number), f"{where} page {n + 1}: {breaks(page, number)}\n{one_spaced(page)}"
    return sum(one_spaced(page).count(number) for page in pages)


@pytest.mark.parametrize("paper", ["a5", "a4", "letter"])
@pytest.mark.parametrize("phone", NUMBERS, ids=lambda p: p.local)
def test_no_number_breaks_in_the_booklet(phone: PhoneView, paper: str, tmp_path: Path) -> None:
    other = NUMBERS[(NUMBERS.index(phone) + 1) % len(NUMBERS)]
    pages = pdf_pages(render_booklet(numbers_view(phone, other), RenderOptions(paper=paper)), tmp_path)  # type: ignore[arg-type]
    for form in printed_forms(phone):
        assert_whole(pages, form, f"{paper} {form}")
        assert form in one_spaced(pages[0]) and form in one_spaced(pages[-1]), form  # cover and back page
        assert sum(one_spaced(page).count(form) for page in pages[1:-1]) >= 2  # footers and the entry
    for form in printed_forms(other):
        assert assert_whole(pages, form, f"{paper} {form}") >= 3  # cover, entry, back page


@pytest.mark.parametrize("phone", NUMBERS, ids=lambda p: p.local)
def test_no_number_breaks_on_the_pocket_card(phone: PhoneView, tmp_path: Path) -> None:
    other = NUMBERS[(NUMBERS.index(phone) + 1) % len(NUMBERS)]
    pages = pdf_pages(render_pocket_card(numbers_view(phone, other), RenderOptions()), tmp_path)
    assert assert_whole(pages, phone.local, f"card {phone.local}") >= 2  # emergency side and services side


def test_a_number_wider_than_the_column_is_set_smaller_not_broken(tmp_path: Path) -> None:
    huge = PhoneView(international="+62 21 3190 0110 5550 5551 5552 ext. 123456",
                     local="(021) 3190 0110 5550 5551 5552 ext. 123456", dial="+622131900110", extension="123456")
    view = dataclasses.replace(numbers_view(huge, NUMBERS[0]), title="T")
    data = render_booklet(view, RenderOptions(paper="a5"))
    assert assert_whole(pdf_pages(data, tmp_path), huge.local, "huge") >= 3
    assert render_booklet(view, RenderOptions(paper="a5")) == data  # set smaller the same way every time
    card = render_pocket_card(view, RenderOptions())
    assert assert_whole(pdf_pages(card, tmp_path), huge.local, "huge card") >= 1
    assert render_pocket_card(view, RenderOptions()) == card
