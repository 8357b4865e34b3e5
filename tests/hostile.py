"""Generators of hostile and broken input files, made at test time (no committed binaries).

Each function writes one file to ``path`` and returns the path. They are small on disk even when they
claim to be huge: a zip bomb here is about a megabyte that inflates to more than a gigabyte, built from a
repeated, byte-aligned deflate block, so neither the generator nor the test ever holds the inflated data.

Kinds:
- ``valid_workbook``: a small correct workbook (tests/workbook_factory.py), the base for the others.
- ``csv_as_xlsx``, ``ole2_xls``, ``ole2_encrypted``, ``encrypted_with_msoffcrypto``: not a zip at all.
- ``truncated_zip``, ``zip_not_workbook``, ``corrupt_workbook_xml``, ``no_services_sheet``: broken zips.
- ``zip_bomb``: a member that declares (or, lying, only inflates to) far more than any workbook holds.
- ``entity_bomb``: billion laughs inside sharedStrings.xml or a sheet.
- ``huge_dimension``: a sheet that claims to span every row and column Excel allows.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from workbook_factory import make_workbook, service

GB = 1024 * 1024 * 1024
MB = 1024 * 1024
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


# ------------------------------------------------------------------------------------------ valid base


def valid_workbook(path: Path, services: Iterable[dict[str, Any]] | None = None, **kwargs: Any) -> Path:
    """A small workbook that validates with no error (one service unless told otherwise)."""
    rows = list(services) if services is not None else [service(id="S-1")]
    return make_workbook(path, services=rows, **kwargs)


def members(path: Path) -> dict[str, bytes]:
    """Every member of a (small, trusted) zip, in archive order."""
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def rezip(path: Path, contents: dict[str, bytes]) -> Path:
    """Write ``contents`` as a normal deflated zip."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in contents.items():
            zf.writestr(name, data)
    return path


def sheet_member(contents: dict[str, bytes], title: str) -> str:
    """The archive path of the sheet named ``title`` (openpyxl writes sheet1.xml, sheet2.xml... in order)."""
    import re

    workbook = contents["xl/workbook.xml"].decode("utf-8")
    titles = re.findall(r'<sheet [^>]*name="([^"]+)"', workbook)
    return f"xl/worksheets/sheet{titles.index(title) + 1}.xml"


# ------------------------------------------------------------------------------------------ not a zip


def csv_as_xlsx(path: Path) -> Path:
    path.write_text("District,Province\nJakarta Pusat,DKI Jakarta\n", encoding="utf-8")
    return path


def _cfb(streams: list[str]) -> bytes:
    """A minimal, well-formed OLE2 compound file (version 3) holding empty streams with these names.

    Sector 0 is the FAT, sector 1 the directory (root entry plus the streams as a right-leaning chain of
    black siblings, which is a valid red-black tree because names are given in CFB order: length first).
    """
    free, end, fatsect, nostream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108
    assert len(header) == 512
    fat = struct.pack("<II", fatsect, end) + struct.pack("<I", free) * 126

    def entry(name: str, kind: int, right: int, child: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        return (raw.ljust(64, b"\x00") + struct.pack("<HBB", len(raw), kind, 1)
                + struct.pack("<III", nostream, right, child) + bytes(16 + 4 + 16)
                + struct.pack("<IQ", end, 0))

    entries = [entry("Root Entry", 5, nostream, 1 if names else nostream)]
    for i, name in enumerate(names, start=1):
        entries.append(entry(name, 2, i + 1 if i < len(names) else nostream, nostream))
    empty = bytes(64) + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", nostream, nostream, nostream) + bytes(52)
    while len(entries) % 4:
        entries.append(empty)
    assert len(entries) == 4, "keep the directory in one sector"
    return header + fat + b"".join(entries)


def ole2_xls(path: Path) -> Path:
    """An old binary Excel file as far as anyone can tell without parsing BIFF: a 'Workbook' stream."""
    path.write_bytes(_cfb(["Workbook", "\x05SummaryInformation"]))
    return path


def ole2_encrypted(path: Path) -> Path:
    """What Excel writes for a password-protected .xlsx: an OLE2 file with EncryptionInfo/EncryptedPackage."""
    path.write_bytes(_cfb(["EncryptionInfo", "EncryptedPackage"]))
    return path


def encrypted_with_msoffcrypto(path: Path, plain: Path, password: str = "Passw0rd!") -> Path:
    """A real password-protected workbook (Agile encryption), when msoffcrypto-tool is installed."""
    from msoffcrypto.format.ooxml import OOXMLFile  # type: ignore[import-untyped]

    with plain.open("rb") as src, path.open("wb") as dst:
        OOXMLFile(src).encrypt(password, dst)
    return path


# ------------------------------------------------------------------------------------------ broken zips


def truncated_zip(path: Path, base: Path, keep: float = 0.6) -> Path:
    data = base.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def zip_not_workbook(path: Path) -> Path:
    return rezip(path, {"readme.txt": b"holiday photos\n", "photo.jpg": b"\xff\xd8\xff" + bytes(100)})


def corrupt_workbook_xml(path: Path, base: Path) -> Path:
    contents = members(base)
    contents["xl/workbook.xml"] = contents["xl/workbook.xml"][:200] + b"<<<not xml"
    return rezip(path, contents)


def no_services_sheet(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Directory"
    ws.append(["Setting", "Value"])
    ws.append(["Title", "A directory"])
    other = wb.create_sheet("Budget")
    other.append(["Item", "Amount"])
    other.append(["Rent", 100])
    wb.save(path)
    return path


# ------------------------------------------------------------------------------------------ bombs


def _deflate_repeated(prefix: bytes, unit: bytes, repeat: int, suffix: bytes) -> tuple[list[bytes], int, int]:
    """A raw deflate stream of prefix + unit*repeat + suffix, built without ever inflating it.

    Each part ends with a full flush: the stream is byte-aligned and no back-reference crosses a part, so
    the compressed unit can simply be repeated. Returns (chunks, crc32, uncompressed size).
    """
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = comp.compress(prefix) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(unit) + comp.flush(zlib.Z_FULL_FLUSH)
    tail = comp.compress(suffix) + comp.flush(zlib.Z_FINISH)
    crc = zlib.crc32(prefix)
    for _ in range(repeat):
        crc = zlib.crc32(unit, crc)
    crc = zlib.crc32(suffix, crc)
    chunks = [head, *([block] * repeat), tail]
    return chunks, crc & 0xFFFFFFFF, len(prefix) + len(unit) * repeat + len(suffix)


class _RawZip:
    """Just enough of a zip writer to put a member with any declared size into an archive (no zip64)."""

    def __init__(self, fh: io.BufferedWriter) -> None:
        self.fh = fh
        self.central: list[bytes] = []

    def add(self, name: str, chunks: list[bytes], crc: int, size: int, declared: int | None = None) -> None:
        raw_name = name.encode("utf-8")
        csize = sum(len(c) for c in chunks)
        usize = size if declared is None else declared
        offset = self.fh.tell()
        self.fh.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, csize, usize,
                                  len(raw_name), 0) + raw_name)
        for chunk in chunks:
            self.fh.write(chunk)
        self.central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, csize,
                                        usize, len(raw_name), 0, 0, 0, 0, 0, offset) + raw_name)

    def add_bytes(self, name: str, data: bytes) -> None:
        comp = zlib.compressobj(6, zlib.DEFLATED, -15)
        self.add(name, [comp.compress(data) + comp.flush()], zlib.crc32(data) & 0xFFFFFFFF, len(data))

    def close(self) -> None:
        start = self.fh.tell()
        for record in self.central:
            self.fh.write(record)
        size = self.fh.tell() - start
        n = len(self.central)
        self.fh.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, size, start, 0))


def zip_bomb(path: Path, base: Path, *, inflated: int = GB + 64 * MB, declared: int | None = None,
             sheet: str = "Services") -> Path:
    """The base workbook with one sheet replaced by XML padded with spaces to ``inflated`` bytes.

    ``declared`` (default: the truth) is the uncompressed size written in the zip headers; a small lie
    makes a bomb that passes a check of declared sizes and only shows itself when inflated.
    """
    contents = members(base)
    target = sheet_member(contents, sheet)
    prefix = (f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{SHEET_NS}"><sheetData>'
              '<row r="1"><c r="A1" t="inlineStr"><is><t>Organization</t></is></c></row>').encode()
    suffix = b"</sheetData></worksheet>"
    unit = b" " * (4 * MB)
    repeat = max(1, (inflated - len(prefix) - len(suffix)) // len(unit))
    chunks, crc, size = _deflate_repeated(prefix, unit, repeat, suffix)
    with path.open("wb") as fh:
        out = _RawZip(fh)
        for name, data in contents.items():
            if name == target:
                out.add(name, chunks, crc, size, declared=declared)
            else:
                out.add_bytes(name, data)
        out.close()
    return path


def _laughs(levels: int = 10) -> str:
    lines = ['<!ENTITY lol0 "lol">']
    for i in range(1, levels):
        lines.append(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">')
    return "<!DOCTYPE lolz [\n" + "\n".join(lines) + "\n]>"


def entity_bomb(path: Path, base: Path, *, where: str = "sharedStrings", external: bool = False) -> Path:
    """Billion laughs (or, with ``external``, an external entity reading /etc/passwd) in one XML part.

    ``where``: "sharedStrings" (read by defusedxml), "sheet" (the Services sheet, read by defusedxml) or
    "workbook" (xl/workbook.xml, read by openpyxl's non-resolving lxml parser when lxml is installed).
    """
    contents = members(base)
    doctype = ('<!DOCTYPE r [<!ENTITY lol9 SYSTEM "file:///etc/passwd">]>' if external else _laughs())
    bomb = "&lol9;"
    if where == "sharedStrings":
        xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n<sst xmlns="{SHEET_NS}" count="1" '
               f'uniqueCount="1"><si><t>{bomb}</t></si></sst>')
        contents["xl/sharedStrings.xml"] = xml.encode()
        if b"sharedStrings" not in contents["[Content_Types].xml"]:
            contents["[Content_Types].xml"] = contents["[Content_Types].xml"].replace(
                b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    elif where == "sheet":
        target = sheet_member(contents, "Services")
        xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n<worksheet xmlns="{SHEET_NS}"><sheetData>'
               f'<row r="1"><c r="A1" t="inlineStr"><is><t>{bomb}</t></is></c></row></sheetData></worksheet>')
        contents[target] = xml.encode()
    else:
        original = contents["xl/workbook.xml"].decode("utf-8")
        body = original.split("?>", 1)[1] if original.startswith("<?xml") else original
        body = body.replace('name="Services"', f'name="{bomb}"', 1)
        contents["xl/workbook.xml"] = f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}{body}'.encode()
    return rezip(path, contents)


def huge_dimension(path: Path, base: Path, rows: int = 3000) -> Path:
    """The Services sheet claims A1:XFD1048576 and holds ``rows`` rows with one cell in column XFD each."""
    contents = members(base)
    target = sheet_member(contents, "Services")
    body = "".join(f'<row r="{r}"><c r="XFD{r}" t="inlineStr"><is><t>x</t></is></c></row>' for r in range(3, rows))
    xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{SHEET_NS}"><dimension ref="A1:XFD1048576"/>'
           f'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Organization</t></is></c></row>{body}'
           '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>end</t></is></c></row>'
           '</sheetData></worksheet>')
    contents[target] = xml.encode()
    return rezip(path, contents)


#: name -> (generator taking (path, base)) for the table-driven CLI tests.
Maker = Callable[[Path, Path], Path]
