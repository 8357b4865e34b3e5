"""QR symbols remembered between builds, in the user's cache folder.

Encoding a QR code is a third of the time of drawing a district's booklet (ReportLab's encoder is pure
Python and tries eight masks), and the same websites are printed build after build. A symbol depends
only on the address and the encoder, so it is kept on disk: one small file per address, named by a hash
of it, in a folder named after the ReportLab version (so an upgrade starts afresh). Files are written
atomically, so parallel workers never read half a file; a damaged file is encoded again.

Only service websites are encoded, which are public; the folder is private (0700) all the same.
"""

from __future__ import annotations

import hashlib
import os
import struct
from array import array
from pathlib import Path

from directory_builder.cachedir import user_cache_root

Symbol = tuple[int, tuple[tuple[int, int, int], ...]]  # (modules per side, dark runs (row, column, length))

_MAGIC = b"DBQR1"
_MAX_SIDE = 177  # version 40


def _folder() -> Path:
    import reportlab

    return user_cache_root() / "qr" / f"rl{reportlab.Version}-1"


def _path(data: str) -> Path:
    return _folder() / (hashlib.sha256(data.encode("utf-8")).hexdigest()[:40] + ".bin")


def load(data: str) -> Symbol | None:
    try:
        blob = _path(data).read_bytes()
    except OSError:
        return None
    return _decode(blob)


def save(data: str, symbol: Symbol) -> None:
    """Never fails a build: a read-only or full cache folder only means encoding again next time."""
    path = _path(data)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
        tmp.write_bytes(_encode(symbol))
        os.replace(tmp, path)
    except OSError:
        pass


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
