"""render/fonts.py: static Noto Sans faces (real bold), Thai merged in, cached on disk, deterministic."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from reportlab.pdfbase import pdfmetrics

from directory_builder.render import fonts
from directory_builder.render.fonts import BOLD, FACES, ITALIC, REGULAR, register_fonts
from directory_builder.util import cachedir


@pytest.fixture(scope="module")
def faces() -> dict[str, TTFont]:
    register_fonts()
    out = {}
    for face in FACES:
        out[face.name] = TTFont(io.BytesIO(fonts.face_bytes(face)))
    return out


def test_registered_with_reportlab() -> None:
    names = register_fonts()
    assert (names.regular, names.bold, names.italic) == (REGULAR, BOLD, ITALIC)
    for name in (REGULAR, BOLD, ITALIC):
        assert pdfmetrics.getFont(name).shapable
    assert register_fonts() is names  # once per process


def test_faces_are_static_with_real_weights(faces: dict[str, TTFont]) -> None:
    for face in faces.values():
        assert "fvar" not in face and "gvar" not in face
    assert faces[REGULAR]["OS/2"].usWeightClass == 400
    assert faces[BOLD]["OS/2"].usWeightClass == 700
    assert faces[ITALIC]["post"].italicAngle != 0
    # Bold is a different design, not the regular outlines: its stems are wider.
    assert faces[BOLD]["hmtx"]["n"][0] > faces[REGULAR]["hmtx"]["n"][0]


def test_every_face_covers_latin_vietnamese_and_thai(faces: dict[str, TTFont]) -> None:
    wanted = "AZaz09€ĐđƠơƯưệỗữặẫ" + "กขฃคฅฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรฤลฦวศษสหฬอฮฯะัาำิีึืฺุู฿เแโใไๅๆ็่้๊๋์ํ๏๐๙"
    for name, face in faces.items():
        cmap = face.getBestCmap()
        missing = [c for c in wanted if ord(c) not in cmap]
        assert not missing, (name, missing)
        scripts = {r.ScriptTag for r in face["GPOS"].table.ScriptList.ScriptRecord}
        assert {"latn", "thai"} <= scripts, name


def test_postscript_names(faces: dict[str, TTFont]) -> None:
    assert faces[REGULAR]["name"].getDebugName(6) == "NotoSans-Regular"
    assert faces[BOLD]["name"].getDebugName(6) == "NotoSans-Bold"
    assert faces[ITALIC]["name"].getDebugName(6) == "NotoSans-Italic"


def test_cache_key_depends_on_sources_and_recipe(monkeypatch: pytest.MonkeyPatch) -> None:
    key = fonts.cache_key()
    assert len(key) == 20
    fonts.cache_key.cache_clear()
    monkeypatch.setattr(fonts, "RECIPE_VERSION", fonts.RECIPE_VERSION + 1)
    try:
        assert fonts.cache_key() != key
    finally:
        fonts.cache_key.cache_clear()


def test_cache_dir_env_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DIRECTORY_BUILDER_CACHE_DIR", str(tmp_path))
    assert fonts._cache_folder() == tmp_path / "fonts" / fonts.cache_key()


def test_unwritable_cache_falls_back(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be")
    monkeypatch.setenv("DIRECTORY_BUILDER_CACHE_DIR", str(blocked / "cache"))
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setattr(fonts, "build_face", lambda face: b"FAKE-" + face.style.encode())
    assert fonts.face_bytes(FACES[1]) == b"FAKE-Bold"
    fallback = temp / f"directory-builder-{os.geteuid()}" / "fonts" / fonts.cache_key()
    assert fonts._cache_folder() == fallback
    name, key = fonts._entry(FACES[1])
    assert cachedir.read_entry(fallback, name, key) == b"FAKE-Bold"
    # Nothing writable at all: the bytes, kept in memory.
    monkeypatch.setattr(tempfile, "tempdir", str(blocked))
    assert fonts._cache_folder() is None
    assert fonts.face_bytes(FACES[0]) == b"FAKE-Regular"


@pytest.mark.slow
def test_build_is_deterministic() -> None:
    cached = fonts.face_bytes(FACES[0])
    assert fonts.build_face(FACES[0]) == cached
