"""QR symbols kept on disk are the symbols the encoder makes; a damaged file is encoded again."""

from __future__ import annotations

from pathlib import Path

import pytest

from directory_builder.render import pdf_kit, qrstore

URLS = ["https://example.org", "http://a.example/" + "x" * 120, "https://www.yayasan.example/layanan?a=1&b=2"]


@pytest.fixture(autouse=True)
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(qrstore, "_folder", lambda: tmp_path / "qr")
    pdf_kit.qr_modules.cache_clear()
    yield tmp_path / "qr"
    pdf_kit.qr_modules.cache_clear()


@pytest.mark.parametrize("url", URLS)
def test_a_stored_symbol_is_the_encoded_one(url: str, store: Path) -> None:
    encoded = pdf_kit._encode_qr(url)
    assert encoded is not None
    assert pdf_kit.qr_modules(url) == encoded  # encodes and stores
    assert len(list(store.glob("*.bin"))) == 1
    pdf_kit.qr_modules.cache_clear()
    assert qrstore.load(url) == encoded
    assert pdf_kit.qr_modules(url) == encoded  # from the file


@pytest.mark.parametrize("damage", [b"", b"DBQR1", b"DBQR1\x15\x00\x01\x00", b"garbage" * 10,
                                    b"DBQR1\x15\x00" + b"\x30\x00\x00\x00\x01\x00"])  # a run outside the symbol
def test_a_damaged_file_is_encoded_again(damage: bytes, store: Path) -> None:
    url = URLS[0]
    encoded = pdf_kit.qr_modules(url)
    path = next(store.glob("*.bin"))
    path.write_bytes(damage)
    pdf_kit.qr_modules.cache_clear()
    assert qrstore.load(url) is None
    assert pdf_kit.qr_modules(url) == encoded
    assert qrstore.load(url) == encoded  # and stored again


def test_an_unwritable_store_only_means_encoding_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setattr(qrstore, "_folder", lambda: blocker / "qr")
    assert pdf_kit.qr_modules(URLS[2]) == pdf_kit._encode_qr(URLS[2])
