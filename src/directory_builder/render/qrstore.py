"""QR symbols remembered between builds, in the user's cache folder.

Encoding a QR code is a third of the time of drawing a district's booklet (ReportLab's encoder is pure
Python and tries eight masks), and the same websites are printed build after build. A symbol depends
only on the address, the encoder options and the tool, so it is kept on disk: one small file per address,
in a folder named after the tool's fingerprint (so an upgrade starts afresh).

The symbol is what a reader's phone opens, and the booklet prints the address beside it, so a wrong symbol
sends a victim elsewhere under the real address. Every file goes through ``cachedir``: ours alone, not a
link, and made for exactly this key (a hash of the address, the options and the tool's fingerprint) with
its content hash; anything else is encoded again and replaced. A damaged file is encoded again too.
"""

from __future__ import annotations

import struct
from array import array
from pathlib import Path

from directory_builder.util import cachedir
from directory_builder.util.fingerprint import tool_digest

Symbol = tuple[int, tuple[tuple[int, int, int], ...]]  # (modules per side, dark runs (row, column, length))

_MAGIC = b"DBQR1"
_MAX_SIDE = 177  # version 40
#: What ``pdf_kit._encode_qr`` asks the encoder for; part of every key.
OPTIONS = "error-correction=M"


def _folder() -> Path | None:
    return cachedir.cache_folder(f"qr/{tool_digest()[:20]}")


def _key(data: str) -> str:
    return cachedir.entry_key("qr", _MAGIC, OPTIONS, tool_digest(), data)


def _name(key: str) -> str:
    return key[:40] + ".bin"


def _path(data: str) -> Path | None:
    """Where the symbol of ``data`` is kept (None when no cache folder can be used)."""
    folder = _folder()
    return folder / _name(_key(data)) if folder is not None else None


def load(data: str) -> Symbol | None:
    key = _key(data)
    blob = cachedir.read_entry(_folder(), _name(key), key)
    return _decode(blob) if blob is not None else None


def save(data: str, symbol: Symbol) -> None:
    """Never fails a build: a read-only or full cache folder only means encoding again next time."""
    key = _key(data)
    cachedir.write_entry(_folder(), _name(key), key, _encode(symbol))


def _encode(symbol: Symbol) -> bytes:
    side, runs = symbol
    flat = array("H", (n for run in runs for n in run))
    return _MAGIC + struct.pack("<H", side) + flat.tobytes()


def _decode(blob: bytes) -> Symbol | None:
    """The symbol, or None for anything that is not exactly what _encode writes."""
    head = len(_MAGIC) + 2
    if not blob.startswith(_MAGIC) or len(blob) < head or (len(blob) - head) % 6:
        return None
    (side,) = struct.unpack_from("<H", blob, len(_MAGIC))
    flat = array("H")
    flat.frombytes(blob[head:])
    if array("H", [1]).tobytes() != b"\x01\x00":
        flat.byteswap()  # stored little-endian
    if not 21 <= side <= _MAX_SIDE:
        return None
    runs = tuple(zip(flat[0::3], flat[1::3], flat[2::3], strict=True))
    if any(r >= side or c >= side or n < 1 or c + n > side for r, c, n in runs):
        return None
    return side, runs
