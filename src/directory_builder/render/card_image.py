"""The pocket card as two pictures for chat apps: each side of the card PDF rendered as a PNG.

Most victims receive information as a picture in a chat, not as a PDF. The pictures are drawn from the
card itself (``pdf_card``, rendered by PDFium through pypdfium2), so they say exactly what the printed card
says: a neutral title, the emergency numbers large, the five most essential services. At ``WIDTH`` pixels
an A7 side is about as large on a 5-inch phone as the printed card in the hand.

Small and deterministic: the picture is reduced to a palette of ``COLOURS`` shades without dithering (text
and flat colours need no more, and it reads the same in grayscale), and written by Pillow with fixed
settings and no metadata (no time, no text chunks), so the same card gives the same bytes.
"""

from __future__ import annotations

import io

from PIL import Image

#: Width of each picture in pixels: what chat apps keep without scaling down.
WIDTH = 1080
#: Palette size: enough for anti-aliased text on the card's few flat colours.
COLOURS = 32


def card_pictures(card_pdf: bytes) -> tuple[bytes, ...]:
    """One PNG per page of the card PDF (front, back), each ``WIDTH`` pixels wide."""
    import pypdfium2

    document = pypdfium2.PdfDocument(card_pdf)
    try:
        pictures = []
        for index in range(len(document)):
            page = document[index]
            try:
                bitmap = page.render(scale=WIDTH / page.get_width(), may_draw_forms=False)
                pictures.append(_png(bitmap.to_pil()))
            finally:
                page.close()
        return tuple(pictures)
    finally:
        document.close()


def _png(image: Image.Image) -> bytes:
    rgb = image.convert("RGB")
    if rgb.width != WIDTH:  # the page width rounds: make it exact
        rgb = rgb.resize((WIDTH, round(rgb.height * WIDTH / rgb.width)), Image.Resampling.LANCZOS)
    # Fast octree: a third of the time of median cut, for the same picture at this palette size.
    small = rgb.quantize(colors=COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG", compress_level=9)
    return out.getvalue()
