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
import os
import re
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
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
    workbook = contents["xl/workbook.xml"].decode("utf-8")
    titles = re.findall(r'<sheet [^>]*name="([^"]+)"', workbook)
    return f"xl/worksheets/sheet{titles.index(title) + 1}.xml"


# ------------------------------------------------------------------------------------------ not a zip


def csv_as_xlsx(path: Path) -> Path:
    path.write_text("District,Province\nJakarta Pusat,DKI Jakarta\n", encoding="utf-8")
    return path


def _cfb(streams: list[str], *, big: str | None = None, big_size: int = 0) -> bytes:
    """A minimal, well-formed OLE2 compound file (version 3) holding streams with these names.

    Every stream is empty except ``big``, which holds ``big_size`` zero bytes placed before the directory
    (as in a large encrypted workbook, whose directory can sit megabytes into the file). Layout: the FAT
    sectors, then the big stream's sectors, then one directory sector with the root entry and the streams as
    a right-leaning chain of black siblings (a valid red-black tree: names are sorted in CFB order).
    """
    free, end, fatsect, nostream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    data_sectors = -(-big_size // 512)
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + data_sectors + 1:
        fat_sectors += 1
    assert fat_sectors <= 109, "keep the FAT in the header's DIFAT"
    dir_sector = fat_sectors + data_sectors
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, fat_sectors, dir_sector, 0, 4096, end, 0, end, 0)
    header += b"".join(struct.pack("<I", i) for i in range(fat_sectors)) + struct.pack("<I", free) * (109 - fat_sectors)
    assert len(header) == 512
    fat = [fatsect] * fat_sectors
    fat += [fat_sectors + i + 1 for i in range(data_sectors - 1)] + ([end] if data_sectors else [])
    fat += [end]  # the directory
    fat += [free] * (fat_sectors * 128 - len(fat))

    def entry(name: str, kind: int, right: int, child: int, start: int = end, size: int = 0) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        return (raw.ljust(64, b"\x00") + struct.pack("<HBB", len(raw), kind, 1)
                + struct.pack("<III", nostream, right, child) + bytes(16 + 4 + 16)
                + struct.pack("<IQ", start, size))

    entries = [entry("Root Entry", 5, nostream, 1 if names else nostream)]
    for i, name in enumerate(names, start=1):
        right = i + 1 if i < len(names) else nostream
        if name == big and data_sectors:
            entries.append(entry(name, 2, right, nostream, fat_sectors, big_size))
        else:
            entries.append(entry(name, 2, right, nostream))
    empty = bytes(64) + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", nostream, nostream, nostream) + bytes(52)
    while len(entries) % 4:
        entries.append(empty)
    assert len(entries) == 4, "keep the directory in one sector"
    data = bytes(data_sectors * 512)
    return header + struct.pack(f"<{len(fat)}I", *fat) + data + b"".join(entries)


def ole2_xls(path: Path) -> Path:
    """An old binary Excel file as far as anyone can tell without parsing BIFF: a 'Workbook' stream."""
    path.write_bytes(_cfb(["Workbook", "\x05SummaryInformation"]))
    return path


def ole2_encrypted(path: Path, package_bytes: int = 0) -> Path:
    """What Excel writes for a password-protected .xlsx: an OLE2 file with EncryptionInfo/EncryptedPackage.

    ``package_bytes`` puts that much (zero) package data before the directory, so the stream names sit deep
    in the file.
    """
    path.write_bytes(_cfb(["EncryptionInfo", "EncryptedPackage"], big="EncryptedPackage", big_size=package_bytes))
    return path


def encrypted_with_msoffcrypto(path: Path, plain: Path, password: str = "Passw0rd!") -> Path:
    """A real password-protected workbook (Agile encryption), when msoffcrypto-tool is installed."""
    from msoffcrypto.format.ooxml import OOXMLFile

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


def shared_strings_bomb(path: Path, base: Path, count: int, member: str = "xl/sharedStrings.xml") -> Path:
    """``count`` tiny distinct shared strings: small on disk, but openpyxl loads every one when it opens the file.

    ``member`` may put them anywhere: openpyxl finds the part through [Content_Types].xml.
    """
    contents = members(base)
    contents.pop("xl/sharedStrings.xml", None)
    types = re.sub(rb'<Override PartName="/xl/sharedStrings.xml"[^>]*/>', b"", contents["[Content_Types].xml"])
    contents["[Content_Types].xml"] = types.replace(
        b"</Types>", f'<Override PartName="/{member}" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in contents.items():
            zf.writestr(name, data)
        with zf.open(member, "w") as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{SHEET_NS}" count="{count}" '
                     f'uniqueCount="{count}">'.encode())
            step = 100_000
            for start in range(0, count, step):
                fh.write("".join(f"<si><t>{i:x}</t></si>" for i in range(start, min(count, start + step))).encode())
            fh.write(b"</sst>")
    return path


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


# ------------------------------------------------------------------------------------------ running the CLI

SRC = Path(__file__).resolve().parent.parent / "src"
MEMORY_LIMIT = 2 * GB  # address space the CLI may map (RLIMIT_AS)


@dataclass(frozen=True)
class CliRun:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_kb: int  # peak resident memory of the child (Linux reports KiB)


def cli_env(**extra: str) -> dict[str, str]:
    """The CLI's environment: this package first on the path, English messages, no debug, no terminal."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIRECTORY_BUILDER_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH", "")) if p)
    env["DIRECTORY_BUILDER_LANG"] = "en"
    env.update(extra)
    return env


def _limit_memory() -> None:  # runs in the child between fork and exec
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None,
            kill_after: float = 120.0, python_args: tuple[str, ...] = ("-m", "directory_builder")) -> CliRun:
    """Run ``python -m directory_builder ARGS`` under a 2 GB address-space limit; measure time and memory.

    ``os.wait4`` gives this child's own peak RSS (not the maximum over every child the test run made).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, *python_args, *map(str, args)], stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL, cwd=cwd, env=env or cli_env(),
                                preexec_fn=_limit_memory)
        timer = threading.Timer(kill_after, proc.kill)
        timer.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return CliRun(proc.returncode, out.read().decode("utf-8", "replace"),
                      err.read().decode("utf-8", "replace"), seconds, usage.ru_maxrss)


# ------------------------------------------------------------------------------------------ fake renderers

#: A CLI entry point whose renderers are replaced by fakes, to test what build.py does around them (failures,
#: Ctrl-C, a full disk) without depending on ReportLab. Environment: FAKE_MODE = ok | slow | fail,
#: FAKE_FAIL = a district that fails, FAKE_VERSION = text that changes the bytes, FAKE_SIZE = bytes per file.
FAKE_DRIVER = '''
import os, sys, time
import directory_builder.build.runner as build

def fake_render_job(job):
    mode = os.environ.get("FAKE_MODE", "ok")
    if mode == "slow":
        time.sleep(float(os.environ.get("FAKE_SLEEP", "0.5")))
    if mode == "fail" and job.view.district == os.environ.get("FAKE_FAIL"):
        raise RuntimeError("renderer exploded")
    size = int(os.environ.get("FAKE_SIZE", "2000"))
    text = "<html>" + job.key + " " + os.environ.get("FAKE_VERSION", "1") + "</html>"
    return {kind: (text + "." * size).encode() for kind in job.outputs()}

build._render_job = fake_render_job
build._render_index = lambda *args, **kwargs: b"<html>index</html>"
from directory_builder.cli import main
sys.argv = ["directory-builder", *sys.argv[1:]]
main()
'''


def fake_render_job(job: Any, *, version: str = "1", fail: str | None = None) -> dict[str, bytes]:
    """The in-process twin of FAKE_DRIVER's renderer, for monkeypatching ``build._render_job``."""
    if job.view.district == fail:
        raise RuntimeError("renderer exploded")
    text = f"<html>{job.key} {version}</html>" + "." * 2000
    return {kind: text.encode() for kind in job.outputs()}


def part_files(folder: Path) -> list[Path]:
    """Temporary files storage.py leaves behind if something went wrong (there must be none). The build
    lock (buildguard.LOCK_NAME) is not one: it stays in the output folder on purpose."""
    from directory_builder.build.guard import LOCK_NAME

    return sorted(p for p in folder.rglob("*") if p.name != LOCK_NAME
                  and (p.name.endswith(".part") or (p.name.startswith(".") and p.is_file())))


# ------------------------------------------------------------------------------------------ renderers present?


def renderers_or_xfail(formats: Iterable[str] = ("pdf", "html")) -> None:
    """xfail the calling test while a renderer is not built yet (missing module or NotImplementedError).

    Any other failure of the smoke render is a real bug and is raised. The check renders the sample view
    of tests/factories.py once per format.
    """
    import pytest

    for fmt in formats:
        problem = _renderer_problem(fmt)
        if problem:
            pytest.xfail(f"renderer not yet built: {problem}")


_RENDER_CHECKED: dict[str, str] = {}


def _renderer_problem(fmt: str) -> str:
    if fmt in _RENDER_CHECKED:
        return _RENDER_CHECKED[fmt]
    problem = ""
    try:
        from directory_builder.render.options import RenderOptions
        from factories import sample_view

        view, options = sample_view(), RenderOptions()
        if fmt == "pdf":
            from directory_builder.render.pdf import render_booklet, render_pocket_card

            render_booklet(view, options)
            render_pocket_card(view, options)
        else:
            from directory_builder.render.html import render_district_page

            render_district_page(view, options)
    except (ImportError, NotImplementedError) as exc:
        problem = f"{fmt}: {type(exc).__name__} {exc}".strip()
    _RENDER_CHECKED[fmt] = problem
    return problem


def export_or_xfail() -> Any:
    """``directory_builder.export.export_workbook``, or xfail while the exports are not built."""
    import pytest

    try:
        from directory_builder.build.export import export_workbook
    except ImportError as exc:
        pytest.xfail(f"exports not yet built: {exc}")
    return export_workbook
