"""QR symbols kept on disk are the symbols the encoder makes; a damaged file is encoded again."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from directory_builder.render import pdf_kit, qrstore
from directory_builder.util import cachedir

URLS = ["https://example.org", "http://a.example/" + "x" * 120, "https://www.yayasan.example/layanan?a=1&b=2"]


@pytest.fixture(autouse=True)
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv(cachedir.CACHE_ENV, str(tmp_path / "cache"))
    _forget()
    folder = qrstore._folder()
    assert folder is not None and folder.parent == tmp_path / "cache" / "qr"
    yield folder
    _forget()


def _forget() -> None:
    """What this process remembers of the symbols it encoded and stored (the store is what is tested)."""
    pdf_kit.qr_modules.cache_clear()
    pdf_kit.prepare_qr.cache_clear()


def _prepare(url: str) -> tuple[int, tuple[tuple[int, int, int], ...]] | None:
    """The booklet's prepare step (which stores the symbol), then what drawing reads."""
    pdf_kit.prepare_qr(url)
    return pdf_kit.qr_modules(url)


@pytest.mark.parametrize("url", URLS)
def test_a_stored_symbol_is_the_encoded_one(url: str, store: Path) -> None:
    encoded = pdf_kit._encode_qr(url)
    assert encoded is not None
    assert _prepare(url) == encoded  # encodes and stores
    assert len(list(store.glob("*.bin"))) == 1
    _forget()
    assert qrstore.load(url) == encoded
    assert pdf_kit.qr_modules(url) == encoded  # from the file


DAMAGE = [b"", b"DBQR1", b"DBQR1\x15\x00\x01\x00", b"garbage" * 10,
          b"DBQR1\x15\x00" + b"\x30\x00\x00\x00\x01\x00"]  # a run outside the symbol


@pytest.mark.parametrize("checked", [False, True], ids=["damaged-file", "damaged-symbol-with-a-valid-header"])
@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_file_is_encoded_again(damage: bytes, checked: bool, store: Path) -> None:
    url = URLS[0]
    encoded = _prepare(url)
    path = next(store.glob("*.bin"))
    if checked:  # the right key and hash, but not a symbol _encode writes
        key = qrstore._key(url)
        assert cachedir.write_entry(store, path.name, key, damage)
    else:
        path.write_bytes(damage)
    _forget()
    assert qrstore.load(url) is None
    assert _prepare(url) == encoded
    assert qrstore.load(url) == encoded  # and stored again


def test_an_entry_made_for_another_address_is_not_used(store: Path) -> None:
    """Another address's file copied (or hard-linked) in place: its key says which address it encodes."""
    _prepare(URLS[0])
    _prepare(URLS[2])
    first, other = qrstore._path(URLS[0]), qrstore._path(URLS[2])
    assert first is not None and other is not None
    first.write_bytes(other.read_bytes())
    first.chmod(0o600)
    assert qrstore.load(URLS[0]) is None
    _forget()
    assert pdf_kit.qr_modules(URLS[0]) == pdf_kit._encode_qr(URLS[0])


def test_an_unwritable_store_only_means_encoding_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv(cachedir.CACHE_ENV, str(blocker / "cache"))
    monkeypatch.setattr(tempfile, "tempdir", str(blocker))  # no temporary folder either
    assert qrstore._folder() is None
    assert _prepare(URLS[2]) == pdf_kit._encode_qr(URLS[2])
    assert qrstore.load(URLS[2]) is None
