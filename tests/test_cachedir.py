"""Every cache (fonts, QR codes, rows) uses only files this user wrote for this key; anything else is redone.

The threat: another user of a shared machine (or a shared cache folder) plants a file where the tool looks
for a cache entry: a QR symbol that opens a phishing page under the printed address, a swapped font, a
pickle that runs code. Files owned by another user are made with ``os.chown`` to uid 65534 (the tests run
as root); without root, ``cachedir._owner`` is told that the file is someone else's.
"""

from __future__ import annotations

import os
import pickle
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from directory_builder.build.filestamps import FileStamps
from directory_builder.check import rowcache
from directory_builder.check.rowcache import RowCache
from directory_builder.outputs import REGISTRY
from directory_builder.render import fonts, pdf_kit, qrstore
from directory_builder.render.fonts import BOLD, FACES, REGULAR, register_fonts
from directory_builder.render.options import RenderOptions
from directory_builder.render.pdf import render_booklet, render_pocket_card
from directory_builder.util import cachedir
from factories import sample_view

NOBODY = 65534
WEBSITE = "https://puskesmas-sukajadi.example.org/layanan"  # printed with its QR code in sample_view()
PHISHING = "https://puskesmas-sukajadi.example.net/login"


def as_another_user(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``path`` (a file or folder, not followed if a link) belong to another user."""
    if os.geteuid() == 0:
        os.chown(path, NOBODY, NOBODY, follow_symlinks=False)
        return
    target = os.lstat(path).st_ino
    real = cachedir._owner
    monkeypatch.setattr(cachedir, "_owner", lambda info: NOBODY if info.st_ino == target else real(info))


@pytest.fixture(scope="module")
def genuine_faces() -> dict[str, bytes]:
    """The faces from the user's cache (building them takes half a minute), registered with ReportLab."""
    register_fonts()
    return {face.name: fonts.face_bytes(face) for face in FACES}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh cache folder, and a temporary directory of our own for the fallback."""
    monkeypatch.setenv(cachedir.CACHE_ENV, str(tmp_path / "cache"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    monkeypatch.setattr(cachedir, "_fresh_temp", None)
    monkeypatch.setattr(rowcache, "cache_folder", lambda: tmp_path / "cache" / "rows")
    pdf_kit.qr_modules.cache_clear()
    pdf_kit.prepare_qr.cache_clear()
    yield tmp_path / "cache"
    pdf_kit.qr_modules.cache_clear()
    pdf_kit.prepare_qr.cache_clear()


# ---------------------------------------------------------------------------- the three caches, alike


@dataclass
class Store:
    """One cache seen from outside: fill it, find its entry, ask whether the entry was used."""

    fill: Callable[[], Path]  # writes a genuine entry, returns its file
    used: Callable[[], bool]  # True when the next lookup took the entry from the file


def _qr_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Store:
    def fill() -> Path:
        pdf_kit.prepare_qr.cache_clear()
        pdf_kit.prepare_qr(WEBSITE)  # the booklet's prepare step stores it
        path = qrstore._path(WEBSITE)
        assert path is not None and path.is_file()
        return path

    def used() -> bool:
        return qrstore.load(WEBSITE) is not None

    return Store(fill, used)


def _font_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Store:
    built: list[str] = []
    monkeypatch.setattr(fonts, "build_face", lambda face: built.append(face.name) or b"FACE-" + face.style.encode())

    def fill() -> Path:
        assert fonts.face_bytes(FACES[0]) == b"FACE-Regular"
        folder = fonts._cache_folder()
        assert folder is not None
        return folder / fonts._entry(FACES[0])[0]

    def used() -> bool:
        built.clear()
        assert fonts.face_bytes(FACES[0]) == b"FACE-Regular"
        return not built

    return Store(fill, used)


def _row_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Store:
    book = tmp_path / "directory.xlsx"

    def fill() -> Path:
        rows = RowCache(book)
        rows.bind("context")
        assert rows.get(b"row-1") is None
        rows.put(b"row-1", "service", ["problem"])
        rows.save()
        assert rows.path.is_file()
        return rows.path

    def used() -> bool:
        rows = RowCache(book)
        rows.bind("context")
        return rows.get(b"row-1") == ("service", ["problem"])

    return Store(fill, used)


def _stamps_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Store:
    """The records of an output folder's files (filestamps.py): a planted record could keep a stale page."""
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    (out / "index.html").write_bytes(b"<p>page</p>")

    def fill() -> Path:
        stamps = FileStamps(out)
        found = stamps.digest("index.html")
        assert found is not None
        stamps.save({"index.html"})
        assert stamps.path.is_file()
        return stamps.path

    def used() -> bool:
        return bool(FileStamps(out)._old)

    return Store(fill, used)


STORES = {"qr": _qr_store, "fonts": _font_store, "rows": _row_store, "outputs": _stamps_store}


def _link_to_copy(path: Path) -> None:
    """The entry, byte for byte and ours, but reached through a symbolic link."""
    copy = path.parent.parent / ("copy-" + path.name)
    shutil.copy2(path, copy)
    path.unlink()
    path.symlink_to(copy)


def _link_folder_to_copy(path: Path) -> None:
    folder = path.parent
    copy = folder.parent / (folder.name + "-copy")
    shutil.copytree(folder, copy)
    shutil.rmtree(folder)
    folder.symlink_to(copy, target_is_directory=True)


TAMPER: dict[str, Callable[[Path, pytest.MonkeyPatch], None]] = {
    "another-users-file": as_another_user,
    "group-writable": lambda path, mp: path.chmod(0o620),
    "others-writable": lambda path, mp: path.chmod(0o602),
    "symlinked-file": lambda path, mp: _link_to_copy(path),
    "another-users-folder": lambda path, mp: as_another_user(path.parent, mp),
    "symlinked-folder": lambda path, mp: _link_folder_to_copy(path),
    "content-changed": lambda path, mp: path.write_bytes(path.read_bytes()[:-1] + b"!"),
    "fifo": lambda path, mp: (path.unlink(), os.mkfifo(path)),
}


@pytest.mark.parametrize("tamper", TAMPER)
@pytest.mark.parametrize("kind", STORES)
def test_an_entry_that_is_not_ours_alone_is_ignored_and_made_again(
    kind: str, tamper: str, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = STORES[kind](monkeypatch, tmp_path)
    path = store.fill()
    assert store.used()  # the genuine entry is used...
    TAMPER[tamper](path, monkeypatch)
    assert not store.used()  # ...the same entry, tampered with, is not
    if tamper in ("another-users-folder", "symlinked-folder"):
        return  # the folder is refused as a whole (the fallback is tested below)
    store.fill()  # made again and stored: a private regular file of ours replaces what was there
    info = os.lstat(path)
    assert stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o600
    assert cachedir._owner(info) == os.geteuid()
    assert store.used()


@pytest.mark.parametrize("kind", STORES)
def test_folders_and_files_are_private(kind: str, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.mkdir(mode=0o755)  # an existing cache root is left as it is; what the tool makes inside is 0700
    (cache / kind).mkdir(mode=0o777)
    (cache / kind).chmod(0o777)  # ours but open to all (an older version, a careless copy): closed again
    path = STORES[kind](monkeypatch, tmp_path).fill()
    folder = path.parent
    while folder != cache:
        assert stat.S_IMODE(folder.lstat().st_mode) == 0o700, folder
        folder = folder.parent
    assert stat.S_IMODE(path.lstat().st_mode) == 0o600
    assert not list(path.parent.glob("*.part"))


def test_a_cache_root_others_may_write_is_not_used(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.mkdir()
    cache.chmod(0o777)
    folder = cachedir.cache_folder("qr")
    assert folder is not None and cache not in folder.parents
    assert stat.S_IMODE(cache.stat().st_mode) == 0o777  # not ours to change: it may be shared on purpose
    assert cachedir.cache_folder("rows", temp_fallback=False) is None
    assert cachedir.private_folder(cache / "rows") is None


# ---------------------------------------------------------------------------- what a reader would see


def test_a_planted_qr_code_is_not_printed(genuine_faces: dict[str, bytes], cache: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Another user plants, in the exact format and key the tool writes, the symbol of a phishing address."""
    view = sample_view()
    qrstore.save(WEBSITE, pdf_kit._encode_qr(PHISHING))
    planted = qrstore._path(WEBSITE)
    assert planted is not None
    as_another_user(planted, monkeypatch)
    booklet = render_booklet(view, RenderOptions())

    shutil.rmtree(cache / "qr")
    pdf_kit.qr_modules.cache_clear()
    assert render_booklet(view, RenderOptions()) == booklet  # as with an empty cache
    assert qrstore.load(WEBSITE) is None  # drawing only reads the store
    REGISTRY["pdf"].prepare(view, RenderOptions())  # the booklet's prepare step, as a build runs it
    assert qrstore.load(WEBSITE) == pdf_kit._encode_qr(WEBSITE)
    pdf_kit.qr_modules.cache_clear()
    assert render_booklet(view, RenderOptions()) == booklet

    # The check above can fail: a booklet that used the planted symbol differs.
    monkeypatch.setattr(qrstore, "load", lambda data: pdf_kit._encode_qr(PHISHING) if data == WEBSITE else None)
    pdf_kit.qr_modules.cache_clear()
    assert render_booklet(view, RenderOptions()) != booklet


def test_drawing_writes_nothing_to_the_caches(genuine_faces: dict[str, bytes], cache: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Renderers are pure: the QR symbols and faces are stored by the outputs' warm-up and prepare steps."""
    monkeypatch.setattr(fonts, "build_face", lambda face: genuine_faces[face.name])
    view = sample_view()
    before = _files(cache)
    pdf_kit.qr_modules.cache_clear()
    register_fonts.cache_clear()
    try:
        render_booklet(view, RenderOptions())
        render_pocket_card(view, RenderOptions())
        assert _files(cache) == before  # (looking makes the folders, empty)
    finally:
        register_fonts.cache_clear()
        register_fonts()


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if not p.is_dir())


def test_a_planted_font_is_not_used(genuine_faces: dict[str, bytes], cache: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Another user plants the bold design as the regular face, in the exact format and key the tool writes."""
    built: list[str] = []
    monkeypatch.setattr(fonts, "build_face", lambda face: built.append(face.name) or genuine_faces[face.name])
    try:
        _planted_font(genuine_faces, cache, built, monkeypatch)
    finally:  # the genuine faces registered again (built_face gives them), for the tests that follow
        register_fonts.cache_clear()
        register_fonts()


def _planted_font(genuine_faces: dict[str, bytes], cache: Path, built: list[str],
                  monkeypatch: pytest.MonkeyPatch) -> None:
    view = sample_view()
    folder = fonts._cache_folder()
    assert folder is not None
    for face in FACES:
        name, key = fonts._entry(face)
        assert cachedir.write_entry(folder, name, key, genuine_faces[BOLD if face.name == REGULAR else face.name])
    swapped = folder / fonts._entry(FACES[0])[0]
    as_another_user(swapped, monkeypatch)

    register_fonts.cache_clear()
    fonts.store_faces()  # the booklet's warm-up
    register_fonts()
    assert built == [REGULAR]  # the planted face was refused and built again; the others came from the cache
    booklet = render_booklet(view, RenderOptions())
    name, key = fonts._entry(FACES[0])
    assert cachedir.read_entry(folder, name, key) == genuine_faces[REGULAR]  # and replaced

    shutil.rmtree(cache / "fonts")
    register_fonts.cache_clear()
    register_fonts()
    assert render_booklet(view, RenderOptions()) == booklet  # byte-identical to a build with a fresh cache


# ---------------------------------------------------------------------------- the temporary fallback


@pytest.fixture
def no_home(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's cache folder cannot be made (a file is in the way); returns the temporary directory."""
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv(cachedir.CACHE_ENV, str(blocker / "cache"))
    return tmp_path / "tmp"


def test_the_temporary_fallback_is_per_user_and_private(no_home: Path) -> None:
    shared = no_home / f"directory-builder-{os.geteuid()}"
    assert cachedir.cache_folder("qr") == shared / "qr"
    info = shared.lstat()
    assert stat.S_IMODE(info.st_mode) == 0o700 and info.st_uid == os.geteuid()
    pdf_kit.prepare_qr(WEBSITE)
    assert qrstore.load(WEBSITE) == pdf_kit._encode_qr(WEBSITE)
    assert len(list(shared.rglob("*.bin"))) == 1


def test_the_row_cache_never_goes_to_the_temporary_folder(no_home: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows hold confidential addresses: no user cache, no row cache."""
    monkeypatch.setattr(rowcache, "cache_folder", lambda: tmp_path / "blocker" / "cache" / "rows")
    store = _row_store(monkeypatch, tmp_path)
    rows = RowCache(tmp_path / "directory.xlsx")
    rows.bind("context")
    rows.put(b"row-1", "service", [])
    rows.save()  # never fails
    assert not store.used()
    assert cachedir.cache_folder("rows", temp_fallback=False) is None
    assert not any(no_home.rglob("*"))


def _plant_folder(no_home: Path, how: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    shared = no_home / f"directory-builder-{os.geteuid()}"
    if how == "symlink":
        elsewhere = no_home.parent / "elsewhere"
        elsewhere.mkdir(mode=0o700)
        shared.symlink_to(elsewhere, target_is_directory=True)
        return elsewhere
    shared.mkdir()
    (shared / "qr").mkdir()
    shared.chmod(0o777 if how == "mode-0777" else 0o700)
    if how == "another-user":
        as_another_user(shared / "qr", monkeypatch)
        as_another_user(shared, monkeypatch)
    return shared


@pytest.mark.parametrize("how", ["another-user", "mode-0777", "symlink"])
def test_a_planted_temporary_folder_is_refused_for_a_fresh_one(how: str, no_home: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    planted = _plant_folder(no_home, how, monkeypatch)
    before = sorted(p.name for p in planted.rglob("*"))
    mode = stat.S_IMODE(planted.stat().st_mode)
    folder = cachedir.cache_folder("qr")
    assert folder is not None and planted not in folder.parents
    fresh = folder.parent
    assert fresh.parent == no_home and fresh.name.startswith("directory-builder-")
    assert stat.S_IMODE(fresh.lstat().st_mode) == 0o700 and fresh.lstat().st_uid == os.geteuid()
    assert cachedir.cache_folder("fonts") == fresh / "fonts"  # one fresh folder for the whole process

    pdf_kit.prepare_qr(WEBSITE)
    assert qrstore.load(WEBSITE) == pdf_kit._encode_qr(WEBSITE)
    assert sorted(p.name for p in planted.rglob("*")) == before  # nothing written to, or read from, the plant
    assert stat.S_IMODE(planted.stat().st_mode) == mode  # nor changed

    cachedir._remove_fresh_temp(fresh, os.getpid() + 1)  # a forked worker leaves it to its parent
    assert fresh.is_dir()
    cachedir._remove_fresh_temp(fresh, os.getpid())  # the process that made it removes it when it ends
    assert not fresh.exists()


# ---------------------------------------------------------------------------- one writer, one policy


def test_a_cache_that_cannot_be_written_is_skipped(cache: Path, tmp_path: Path) -> None:
    folder = cachedir.cache_folder("qr")
    assert folder is not None
    key = cachedir.entry_key("test", 1)
    (folder / "entry").mkdir()  # a folder where the entry should go
    assert cachedir.write_entry(folder, "entry", key, b"content") is False
    assert cachedir.write_entry(tmp_path / "missing", "entry", key, b"content") is False
    assert cachedir.write_entry(None, "entry", key, b"content") is False
    assert list(folder.iterdir()) == [folder / "entry"]  # no temporary file left behind
    assert cachedir.read_entry(folder, "entry", key) is None


def test_an_entry_is_read_only_for_its_own_key(cache: Path) -> None:
    folder = cachedir.cache_folder("qr")
    key, other = cachedir.entry_key("test", 1), cachedir.entry_key("test", 2)
    assert cachedir.write_entry(folder, "entry", key, b"content")
    assert cachedir.read_entry(folder, "entry", key) == b"content"
    assert cachedir.read_entry(folder, "entry", other) is None


def test_an_entry_written_in_pieces_is_the_same_entry(cache: Path) -> None:
    """The row cache streams its pickle (a national workbook's rows are not held twice in memory)."""
    folder = cachedir.cache_folder("rows", temp_fallback=False)
    key = cachedir.entry_key("test", 1)
    assert cachedir.write_entry_with(folder, "pieces", key, lambda fh: (fh.write(b"con"), fh.write(b"tent")))
    assert cachedir.write_entry(folder, "whole", key, b"content")
    assert folder is not None and (folder / "pieces").read_bytes() == (folder / "whole").read_bytes()
    assert cachedir.read_entry(folder, "pieces", key) == b"content"


def test_a_writer_that_fails_half_way_leaves_nothing(cache: Path) -> None:
    folder = cachedir.cache_folder("rows", temp_fallback=False)
    assert folder is not None

    def dump(fh: object) -> None:
        fh.write(b"half an entry")  # type: ignore[attr-defined]
        raise pickle.PicklingError("cannot pickle this")

    assert cachedir.write_entry_with(folder, "entry", cachedir.entry_key("test"), dump) is False
    assert list(folder.iterdir()) == []
