"""The output folder holds one edition, and only what directory-builder wrote into it (outfolder.py).

Seen before: a practitioner build into the public folder replaced the public files, and a later partial
public build kept the practitioner pages under a manifest saying "public"; a link ``out/en -> elsewhere``
was followed; files the tool did not write were overwritten without a word; a damaged manifest was
trusted. The build tests use the real HTML renderer where what is published matters, and fake renderers
(tests/hostile.py) where only the file system does.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

import hostile
from directory_builder.build import runner as build
from directory_builder.build.runner import BuildOptions, build_directory
from directory_builder.util.errors import OutputError
from workbook_factory import SECRETS, make_secrets_workbook, service

PRACTITIONER_ONLY = [SECRETS["focal_point"].encode(), SECRETS["practitioners_service"].encode()]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _manifest(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return data


def _cli(tmp_path: Path, *args: str | Path) -> hostile.CliRun:
    env = hostile.cli_env(DIRECTORY_BUILDER_CACHE_DIR=str(tmp_path / "cache"))
    return hostile.run_cli("build", *args, "--format", "html", "--jobs", "1", cwd=tmp_path, env=env)


def _one_sentence(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr, stderr
    assert len(lines) == 1, stderr
    return lines[0]


# ------------------------------------------------------------------------------------------ one edition


def test_other_edition_into_the_same_folder_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    workbook = make_secrets_workbook(tmp_path / "w.xlsx")
    out = tmp_path / "directory"
    first = _cli(tmp_path, workbook, "--out", out)
    assert first.returncode == 0, first.stderr
    before = _snapshot(out)

    run = _cli(tmp_path, workbook, "--out", out, "--edition", "practitioners")
    assert run.returncode == 2, run.stderr
    line = _one_sentence(run.stderr)
    assert "--edition public" in line and "another folder" in line and str(out) in line
    assert _snapshot(out) == before, "a refused build changed the folder"
    assert not any(secret in data for data in _snapshot(out).values() for secret in PRACTITIONER_ONLY)

    forced = _cli(tmp_path, workbook, "--out", out, "--edition", "practitioners", "--force")
    assert forced.returncode == 2, "--force takes over someone else's folder, never mixes two editions"
    assert _snapshot(out) == before


def test_public_build_into_a_practitioner_folder_is_refused(tmp_path: Path) -> None:
    workbook = make_secrets_workbook(tmp_path / "w.xlsx")
    out = tmp_path / "staff"
    assert _cli(tmp_path, workbook, "--out", out, "--edition", "practitioners").returncode == 0
    before = _snapshot(out)
    run = _cli(tmp_path, workbook, "--out", out, "--district", "Jakarta Pusat")
    assert run.returncode == 2
    assert "--edition practitioners" in _one_sentence(run.stderr)
    assert _snapshot(out) == before


def test_no_partial_build_publishes_a_page_of_the_other_edition(tmp_path: Path) -> None:
    """The seen sequence: public, then practitioners into the same folder, then a partial public build.
    Every file the manifest lists must be a public file, and the index links no practitioner page."""
    workbook = make_secrets_workbook(tmp_path / "w.xlsx")
    out = tmp_path / "directory"
    assert _cli(tmp_path, workbook, "--out", out).returncode == 0
    _cli(tmp_path, workbook, "--out", out, "--edition", "practitioners")
    partial = _cli(tmp_path, workbook, "--out", out, "--district", "Jakarta Pusat", "--lang", "en")
    assert partial.returncode == 0, partial.stderr
    manifest = _manifest(out)
    assert manifest["edition"] == "public"
    listed = [f["path"] for f in manifest["files"]]
    assert "id/kabupaten-cianjur.html" in listed  # the partial build kept the other districts ...
    for rel in listed:
        data = (out / rel).read_bytes()
        for secret in PRACTITIONER_ONLY:
            assert secret not in data, f"{rel} is listed as public but holds {secret!r}"
    for path in out.rglob("*"):  # ... and nothing else of another edition is in the folder
        if path.is_file():
            assert not any(secret in path.read_bytes() for secret in PRACTITIONER_ONLY), path


def test_partial_builds_keep_every_listed_file_of_the_folder_edition(tmp_path: Path,
                                                                     fake_renderers: dict[str, Any]) -> None:
    workbook = _workbook(tmp_path / "w.xlsx")
    out = tmp_path / "out"
    build_directory(workbook, _options(out, edition="practitioners"))
    fake_renderers["version"] = "2"
    build_directory(workbook, _options(out, edition="practitioners", districts=("Kota Bandung",)))
    manifest = _manifest(out)
    assert manifest["edition"] == "practitioners"
    assert {f["path"] for f in manifest["files"]} == {"index.html", "en/jakarta-pusat.html",
                                                       "en/kabupaten-cianjur.html", "en/kota-bandung.html"}
    with pytest.raises(OutputError, match="--edition practitioners"):
        build_directory(workbook, _options(out, districts=("Kota Bandung",)))
    assert _manifest(out) == manifest


# ------------------------------------------------------------------------------------------ links


def test_a_linked_subfolder_is_never_written_through(tmp_path: Path, fake_renderers: dict[str, Any]) -> None:
    workbook = _workbook(tmp_path / "w.xlsx")
    out = tmp_path / "out"
    build_directory(workbook, _options(out))
    elsewhere = tmp_path / "elsewhere"
    (out / "en").rename(elsewhere)
    (out / "en").symlink_to(elsewhere, target_is_directory=True)
    before = _snapshot(elsewhere)
    manifest = (out / "manifest.json").read_bytes()
    fake_renderers["version"] = "2"
    for force in (False, True):
        with pytest.raises(OutputError) as info:
            build_directory(workbook, _options(out, force=force))
        message = str(info.value)
        assert str(out / "en") in message and "link" in message and "\n" not in message
        assert _snapshot(elsewhere) == before, "a file was written outside the output folder"
        assert (out / "manifest.json").read_bytes() == manifest


def test_a_linked_output_file_is_refused_and_kept(tmp_path: Path, fake_renderers: dict[str, Any]) -> None:
    workbook = _workbook(tmp_path / "w.xlsx")
    out = tmp_path / "out"
    build_directory(workbook, _options(out))
    target = tmp_path / "someone-elses.html"
    target.write_bytes(b"not yours")
    page = out / "en" / "kota-bandung.html"
    page.unlink()
    page.symlink_to(target)
    fake_renderers["version"] = "2"
    with pytest.raises(OutputError, match="link"):
        build_directory(workbook, _options(out, incremental=False))
    assert page.is_symlink() and target.read_bytes() == b"not yours"
    assert b" 1</html>" in (out / "en" / "jakarta-pusat.html").read_bytes(), "refused, yet files were written"


def test_a_linked_manifest_is_refused(tmp_path: Path, fake_renderers: dict[str, Any]) -> None:
    workbook = _workbook(tmp_path / "w.xlsx")
    out = tmp_path / "out"
    build_directory(workbook, _options(out))
    real = tmp_path / "manifest-elsewhere.json"
    (out / "manifest.json").rename(real)
    (out / "manifest.json").symlink_to(real)
    before = real.read_bytes()
    with pytest.raises(OutputError, match="link"):
        build_directory(workbook, _options(out))
    assert real.read_bytes() == before and (out / "manifest.json").is_symlink()


def test_the_output_folder_itself_may_be_a_link_the_user_gave(tmp_path: Path,
                                                             fake_renderers: dict[str, Any]) -> None:
    """The path the user names is theirs: a link there is followed; only links inside it are refused."""
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    build_directory(_workbook(tmp_path / "w.xlsx"), _options(link))
    assert (real / "en" / "kota-bandung.html").is_file() and (real / "manifest.json").is_file()


# ------------------------------------------------------------------------------------------ foreign files


def test_a_folder_of_other_files_is_refused_without_force(tmp_path: Path, fake_renderers: dict[str, Any]) -> None:
    out = tmp_path / "out"
    (out / "en").mkdir(parents=True)
    (out / "index.html").write_bytes(b"my own home page")
    (out / "en" / "jakarta-pusat.html").write_bytes(b"my own page")
    (out / "notes.txt").write_bytes(b"my notes")
    before = _snapshot(out)
    with pytest.raises(OutputError) as info:
        build_directory(_workbook(tmp_path / "w.xlsx"), _options(out))
    assert "not made by directory-builder" in str(info.value) and "--force" in str(info.value)
    assert _snapshot(out) == before

    result = build_directory(_workbook(tmp_path / "w.xlsx"), _options(out, force=True))
    assert result.built and not result.failures
    assert (out / "notes.txt").read_bytes() == b"my notes", "--force never removes a file it did not make"
    assert (out / "en" / "jakarta-pusat.html").read_bytes().startswith(b"<html>en/jakarta-pusat")
    assert "notes.txt" not in {f["path"] for f in _manifest(out)["files"]}


def test_cli_refuses_a_foreign_folder_in_one_sentence(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text('{"tool": "directory-builder", "files": [', encoding="utf-8")
    (out / "index.html").write_bytes(b"my own home page")
    workbook = _workbook(tmp_path / "w.xlsx")
    run = _cli(tmp_path, workbook, "--out", out)
    assert run.returncode == 2
    line = _one_sentence(run.stderr)
    assert str(out) in line and "--force" in line
    assert (out / "index.html").read_bytes() == b"my own home page"


@pytest.mark.parametrize("manifest", [
    b"{ this is not json",
    b"[1, 2, 3]",
    b'{"tool": "another-tool", "edition": "public", "files": [], "jobs": []}',
    b'{"tool": "directory-builder", "edition": "draft", "files": [], "jobs": []}',
    b'{"tool": "directory-builder", "edition": "public", "files": "en/jakarta-pusat.html", "jobs": []}',
    b'{"tool": "directory-builder", "edition": "public", "files": [{"path": "../outside.html"}], "jobs": []}',
    b'{"tool": "directory-builder", "edition": "public", "files": [{"path": "/etc/passwd"}], "jobs": []}',
    b'{"tool": "directory-builder", "edition": "public", "files": [], "jobs": [{"district": "x"}]}',
    b'{"tool": "directory-builder", "edition": "public", "files": [], "jobs": [], "pending": ["../../x"]}',
])
def test_a_manifest_not_of_this_tool_is_not_trusted(tmp_path: Path, fake_renderers: dict[str, Any],
                                                    manifest: bytes) -> None:
    out = tmp_path / "out"
    (out / "en").mkdir(parents=True)
    (out / "manifest.json").write_bytes(manifest)
    (out / "en" / "jakarta-pusat.html").write_bytes(b"planted")
    before = _snapshot(out)
    with pytest.raises(OutputError, match="not made by directory-builder"):
        build_directory(_workbook(tmp_path / "w.xlsx"), _options(out))
    assert _snapshot(out) == before


def test_a_file_in_the_way_that_the_manifest_does_not_list_is_refused_by_name(
        tmp_path: Path, fake_renderers: dict[str, Any]) -> None:
    out = tmp_path / "out"
    two = hostile.valid_workbook(tmp_path / "two.xlsx", services=[
        service(id="S-1", district="Jakarta Pusat"), service(id="S-2", district="Kabupaten Cianjur")],
        districts=["Jakarta Pusat", "Kabupaten Cianjur"])
    build_directory(two, _options(out))
    planted = out / "en" / "kota-bandung.html"
    planted.write_bytes(b"someone else's page")
    manifest = (out / "manifest.json").read_bytes()
    with pytest.raises(OutputError) as info:
        build_directory(_workbook(tmp_path / "w.xlsx"), _options(out))  # now Kota Bandung has a service
    assert str(planted) in str(info.value) and "--force" in str(info.value)
    assert planted.read_bytes() == b"someone else's page"
    assert (out / "manifest.json").read_bytes() == manifest

    build_directory(_workbook(tmp_path / "w.xlsx"), _options(out, force=True))
    assert planted.read_bytes().startswith(b"<html>en/kota-bandung")
    assert "en/kota-bandung.html" in {f["path"] for f in _manifest(out)["files"]}


def test_files_the_manifest_does_not_list_are_never_removed_nor_linked(
        tmp_path: Path, fake_renderers: dict[str, Any]) -> None:
    out = tmp_path / "out"
    workbook = _workbook(tmp_path / "w.xlsx")
    build_directory(workbook, _options(out, districts=("Jakarta Pusat",)))
    planted = out / "en" / "kota-bandung.html"  # a district of the workbook that this folder never built
    planted.write_bytes(b"a page directory-builder did not make")
    (out / "en" / "old-district.html").write_bytes(b"not ours either")
    build_directory(workbook, _options(out, districts=("Kabupaten Cianjur",)))
    index = (out / "index.html").read_bytes()
    assert b'href="en/kota-bandung.html"' not in index and b"en/kabupaten-cianjur.html" in index
    assert b"en/jakarta-pusat.html" in index
    build_directory(workbook, _options(out, districts=("Jakarta Pusat",), incremental=False, force=True))
    assert (out / "en" / "old-district.html").read_bytes() == b"not ours either"


# ------------------------------------------------------------------------------------------ stopped builds


def test_a_first_build_stopped_half_way_is_finished_without_force(tmp_path: Path,
                                                                 fake_renderers: dict[str, Any]) -> None:
    """The files a build begins are listed as ``pending`` before they are drawn: the next build knows them."""
    workbook = _workbook(tmp_path / "w.xlsx")
    out = tmp_path / "out"
    fake_renderers.update(interrupt=2)
    with pytest.raises(KeyboardInterrupt):
        build_directory(workbook, _options(out))
    assert (out / "en" / "jakarta-pusat.html").is_file()
    assert "en/kota-bandung.html" in _manifest(out)["pending"]
    fake_renderers.update(interrupt=None, version="2")
    result = build_directory(workbook, _options(out))
    assert not result.failures
    manifest = _manifest(out)
    assert "pending" not in manifest
    assert len(manifest["files"]) == 4


def test_a_partial_full_rebuild_keeps_the_other_districts_owned(tmp_path: Path,
                                                               fake_renderers: dict[str, Any]) -> None:
    workbook = _workbook(tmp_path / "w.xlsx")
    out = tmp_path / "out"
    build_directory(workbook, _options(out))
    build_directory(workbook, _options(out, districts=("Kota Bandung",), incremental=False))
    fake_renderers["version"] = "2"
    result = build_directory(workbook, _options(out))  # no file of the first build may now look foreign
    assert not result.failures
    manifest = _manifest(out)
    assert "en/jakarta-pusat.html" in {f["path"] for f in manifest["files"]}  # still listed: the tool's own
    assert "pending" not in manifest


# ------------------------------------------------------------------------------------------ modes


def _modes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in [folder, *folder.rglob("*")]}


@pytest.mark.parametrize(("edition", "umask", "file_mode", "folder_mode"), [
    ("public", 0o022, 0o644, 0o755),
    ("public", 0o077, 0o600, 0o700),
    ("public", 0o027, 0o640, 0o750),
    ("practitioners", 0o022, 0o600, 0o700),
    ("practitioners", 0o000, 0o600, 0o700),
])
def test_build_modes_follow_the_umask_and_the_edition(tmp_path: Path, fake_renderers: dict[str, Any],
                                                      edition: str, umask: int, file_mode: int,
                                                      folder_mode: int) -> None:
    workbook = _workbook(tmp_path / "w.xlsx")
    out = tmp_path / "new" / "out"
    old = os.umask(umask)
    try:
        build_directory(workbook, _options(out, edition=edition))
    finally:
        os.umask(old)
    modes = _modes(out)
    assert modes["."] == folder_mode and modes["en"] == folder_mode
    assert {rel: mode for rel, mode in modes.items() if (out / rel).is_file()} == {
        rel: file_mode for rel in ("index.html", "manifest.json", "en/jakarta-pusat.html",
                                   "en/kabupaten-cianjur.html", "en/kota-bandung.html")}


# ------------------------------------------------------------------------------------------ helpers


def _workbook(path: Path) -> Path:
    return hostile.valid_workbook(path, services=[
        service(id="S-1", district="Jakarta Pusat"),
        service(id="S-2", district="Kabupaten Cianjur"),
        service(id="S-3", district="Kota Bandung"),
    ], districts=["Jakarta Pusat", "Kabupaten Cianjur", "Kota Bandung"])


def _options(out: Path, **kw: Any) -> BuildOptions:
    return BuildOptions(out=out, formats=("html",), jobs=1, **kw)


@pytest.fixture
def fake_renderers(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Fake renderers: {"version": text in every page, "interrupt": the call that raises KeyboardInterrupt}."""
    steer: dict[str, Any] = {"version": "1", "interrupt": None, "calls": 0}

    def render(job: Any) -> dict[str, bytes]:
        steer["calls"] += 1
        if steer["interrupt"] is not None and steer["calls"] == steer["interrupt"]:
            raise KeyboardInterrupt
        return hostile.fake_render_job(job, version=steer["version"])

    def index(view: Any, *args: Any, **kwargs: Any) -> bytes:
        links = "".join(f'<a href="{href}">' for e in view.entries for href, _link in e.links
                        if href.endswith(".html"))
        return f"<html>index {links}</html>".encode()

    monkeypatch.setattr(build, "_render_job", render)
    monkeypatch.setattr(build, "_render_index", index)
    return steer
