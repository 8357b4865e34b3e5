"""Nothing lost: a failed write, a full disk, a failing district or Ctrl-C never spoils a good file.

The build tests replace the renderers with fakes (tests/hostile.py) so they test build.py's own work:
writing atomically, finishing the other districts, listing failures in the manifest, cleaning up.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import hostile
from directory_builder.build import runner as build
from directory_builder.build.runner import BuildOptions, build_directory
from directory_builder.util import storage as atomic
from directory_builder.util.errors import InputError, OutputError
from workbook_factory import service

GOOD = b"the good file, complete\n"


# ------------------------------------------------------------------------------------------ atomic.py


def test_block_that_raises_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(GOOD)
    with pytest.raises(RuntimeError), atomic.replace_on_success(target) as tmp:
        tmp.write_bytes(b"half a fi")
        raise RuntimeError("renderer crashed")
    assert target.read_bytes() == GOOD
    assert hostile.part_files(tmp_path) == []


def test_ctrl_c_in_the_block_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(GOOD)
    with pytest.raises(KeyboardInterrupt), atomic.replace_on_success(target) as tmp:
        tmp.write_bytes(b"half")
        raise KeyboardInterrupt
    assert target.read_bytes() == GOOD
    assert hostile.part_files(tmp_path) == []


def test_success_replaces_and_leaves_no_part_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.pdf"
    atomic.write_bytes(target, GOOD)
    atomic.write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)
    assert hostile.part_files(tmp_path) == []


class _FullDisk:
    """A file whose writes stop with ENOSPC after ``room`` bytes, like a disk that fills up."""

    def __init__(self, real: Any, room: int) -> None:
        self.real, self.room = real, room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            self.real.write(data[: self.room])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return int(self.real.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.real.close()


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT, errno.EFBIG])
def test_full_disk_keeps_the_good_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    target = tmp_path / "district.pdf"
    target.write_bytes(GOOD)

    def full_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = open(file, mode, *args, **kwargs)  # noqa: SIM115
        if "w" not in mode:
            return handle
        disk = _FullDisk(handle, room=10)
        original = disk.write

        def write(data: bytes) -> int:
            try:
                return original(data)
            except OSError as exc:
                raise OSError(code, os.strerror(code)) from exc

        disk.write = write  # type: ignore[method-assign]
        return disk

    monkeypatch.setattr(atomic, "open", full_open, raising=False)
    with pytest.raises(OSError) as info:
        atomic.write_bytes(target, b"a new version that does not fit on the disk")
    assert isinstance(info.value, OutputError) and isinstance(info.value, InputError)
    assert info.value.errno == code
    message = str(info.value)
    assert "no space" in message and str(target) in message and "\n" not in message
    assert target.read_bytes() == GOOD
    assert hostile.part_files(tmp_path) == []


def test_failing_rename_keeps_the_good_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "district.html"
    target.write_bytes(GOOD)

    def broken_replace(src: Any, dst: Any) -> None:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(OSError) as info:
        atomic.write_bytes(target, b"new")
    # An I/O error on the user's output is not a bug either: a sentence naming the file and the reason.
    assert info.value.errno == errno.EIO and isinstance(info.value, OutputError)
    assert str(target) in str(info.value) and "(I/O error)" in str(info.value)
    assert target.read_bytes() == GOOD
    assert hostile.part_files(tmp_path) == []


def test_read_only_folder_is_a_plain_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder we may not write to. Root may write anywhere, so the refusal is simulated where the OS
    would give it: creating the temporary file."""
    folder = tmp_path / "ro"
    folder.mkdir()

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic, "_open_new", refused)
    with pytest.raises(OutputError, match="may not write"):
        atomic.write_bytes(folder / "x.pdf", b"x")
    assert list(folder.iterdir()) == []


# ------------------------------------------------------------------------------------------ build.py


def _workbook(path: Path, version: str = "1") -> Path:
    return hostile.valid_workbook(path, services=[
        service(id="S-1", district="Jakarta Pusat", description=f"Version {version}."),
        service(id="S-2", district="Kabupaten Cianjur"),
        service(id="S-3", district="Kota Bandung"),
    ], districts=["Jakarta Pusat", "Kabupaten Cianjur", "Kota Bandung"])


def _options(out: Path, **kw: Any) -> BuildOptions:
    return BuildOptions(out=out, formats=("html",), jobs=1, **kw)


@pytest.fixture
def fake_renderers(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Replace the renderers; the returned dict steers them: {"fail": district, "version": text, "interrupt": n}."""
    steer: dict[str, Any] = {"fail": None, "version": "1", "interrupt": None, "calls": 0}

    def render(job: Any) -> dict[str, bytes]:
        steer["calls"] += 1
        if steer["interrupt"] is not None and steer["calls"] == steer["interrupt"]:
            raise KeyboardInterrupt
        return hostile.fake_render_job(job, version=steer["version"], fail=steer["fail"])

    monkeypatch.setattr(build, "_render_job", render)
    monkeypatch.setattr(build, "_render_index", lambda *args, **kwargs: b"<html>index</html>")
    return steer


def test_one_failing_district_does_not_stop_the_others(tmp_path: Path, fake_renderers: dict[str, Any]) -> None:
    fake_renderers["fail"] = "Kabupaten Cianjur"
    out = tmp_path / "out"
    result = build_directory(_workbook(tmp_path / "w.xlsx"), _options(out))
    assert [(f.district, f.lang) for f in result.failures] == [("Kabupaten Cianjur", "en")]
    assert "renderer exploded" in result.failures[0].message
    assert (out / "en" / "jakarta-pusat.html").is_file()
    assert (out / "en" / "kota-bandung.html").is_file()
    assert not (out / "en" / "kabupaten-cianjur.html").exists()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [(f["district"], f["lang"]) for f in manifest["failed"]] == [("Kabupaten Cianjur", "en")]
    assert "renderer exploded" in manifest["failed"][0]["message"]
    assert "en/kabupaten-cianjur.html" not in {f["path"] for f in manifest["files"]}
    assert {j["district"] for j in manifest["jobs"]} == {"Jakarta Pusat", "Kota Bandung"}
    assert hostile.part_files(out) == []


def test_failing_district_keeps_its_previous_files(tmp_path: Path, fake_renderers: dict[str, Any]) -> None:
    out = tmp_path / "out"
    wb = _workbook(tmp_path / "w.xlsx")
    build_directory(wb, _options(out))
    old = (out / "en" / "kabupaten-cianjur.html").read_bytes()
    fake_renderers.update(fail="Kabupaten Cianjur", version="2")
    result = build_directory(wb, _options(out, incremental=False))
    assert len(result.failures) == 1
    assert (out / "en" / "kabupaten-cianjur.html").read_bytes() == old, "the last good file was removed"
    assert b" 2</html>" in (out / "en" / "jakarta-pusat.html").read_bytes()


def test_ctrl_c_during_a_build_leaves_complete_files(tmp_path: Path, fake_renderers: dict[str, Any]) -> None:
    out = tmp_path / "out"
    wb = _workbook(tmp_path / "w.xlsx")
    build_directory(wb, _options(out))
    manifest_before = (out / "manifest.json").read_bytes()
    fake_renderers.update(version="2", interrupt=2, calls=0)
    with pytest.raises(KeyboardInterrupt):
        build_directory(wb, _options(out, incremental=False))
    assert hostile.part_files(out) == []
    for page in (out / "en").glob("*.html"):
        data = page.read_bytes()
        assert data.startswith(b"<html>en/") and data.endswith(b"." * 2000), f"{page} is half-written"
    assert (out / "manifest.json").read_bytes() == manifest_before, "the manifest must describe complete files"


# ------------------------------------------------------------------------------------------ through the CLI


def _driver(tmp_path: Path) -> Path:
    path = tmp_path / "fake_cli.py"
    path.write_text(hostile.FAKE_DRIVER, encoding="utf-8")
    return path


def test_cli_names_the_failed_district(tmp_path: Path) -> None:
    wb = _workbook(tmp_path / "w.xlsx")
    env = hostile.cli_env(FAKE_MODE="fail", FAKE_FAIL="Kota Bandung")
    run = hostile.run_cli("build", wb, "--out", tmp_path / "out", "--format", "html", "--jobs", "2",
                          cwd=tmp_path, env=env, python_args=(str(_driver(tmp_path)),))
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    failed = [line for line in run.stderr.splitlines() if "Kota Bandung" in line]
    assert failed and "renderer exploded" in failed[0], run.stderr
    assert (tmp_path / "out" / "en" / "jakarta-pusat.html").is_file()


def test_cli_full_disk_keeps_the_previous_build(tmp_path: Path) -> None:
    """RLIMIT_FSIZE makes every write past 1 kB fail with EFBIG, as a full disk would (Python ignores SIGXFSZ)."""
    wb = _workbook(tmp_path / "w.xlsx")
    out = tmp_path / "out"
    driver = str(_driver(tmp_path))
    first = hostile.run_cli("build", wb, "--out", out, "--format", "html", "--jobs", "1", cwd=tmp_path,
                            env=hostile.cli_env(), python_args=(driver,))
    assert first.returncode == 0, first.stderr
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def small_disk() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))

    proc = subprocess.run([sys.executable, driver, "build", str(wb), "--out", str(out), "--format", "html",
                           "--jobs", "1", "--full"], capture_output=True, text=True, cwd=tmp_path,
                          env=hostile.cli_env(FAKE_VERSION="2", FAKE_SIZE="5000"), preexec_fn=small_disk,
                          timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "no space" in proc.stderr, proc.stderr
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before, "a failed write changed or removed a good file"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cli_ctrl_c_stops_cleanly(tmp_path: Path, jobs: str) -> None:
    """SIGINT in the middle of a build: exit 130, one message, no traceback, no .part file, no half file."""
    wb = _workbook(tmp_path / "w.xlsx")
    out = tmp_path / "out"
    env = hostile.cli_env(FAKE_MODE="slow", FAKE_SLEEP="1.5")
    proc = subprocess.Popen([sys.executable, str(_driver(tmp_path)), "build", str(wb), "--out", str(out),
                             "--format", "html", "--jobs", jobs],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=env,
                            start_new_session=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not list(out.glob("en/*.html")):
        time.sleep(0.05)
    assert list(out.glob("en/*.html")), "the build never wrote a first page"
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group, workers included
    try:
        _stdout, stderr = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("the build did not stop within 20 s of Ctrl-C")
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr, stderr
    assert "Stopped" in stderr
    assert hostile.part_files(out) == []
    for page in out.rglob("*.html"):
        assert page.read_bytes().endswith(b"." * 2000), f"{page} is half-written"


# ------------------------------------------------------------------------------------------ reproducible


def _run_build(workbook: Path, out: Path, env: dict[str, str], jobs: str, faketime: str | None) -> None:
    prefix = ["faketime", faketime] if faketime else []
    proc = subprocess.run([*prefix, sys.executable, "-m", "directory_builder", "build", str(workbook), "--out",
                           str(out), "--jobs", jobs, "--full"], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr


def test_same_input_gives_byte_identical_outputs(tmp_path: Path) -> None:
    """Two builds in different time zones, locales, hash seeds, job counts (and, with faketime, dates)."""
    hostile.renderers_or_xfail(("pdf", "html"))
    import shutil

    workbook = hostile.valid_workbook(tmp_path / "w.xlsx", settings={"Languages": "en, th", "Published": dt.date(2020, 1, 15)}, services=[
        service(id="S-1", service_name={"en": "Safe house", "th": "บ้านพักปลอดภัย"}),
        service(id="S-2", district="Kabupaten Cianjur", categories="legal; hotline", hotline="129"),
        service(id="S-3", district="All districts", categories="hotline", hotline="1300", confidential="yes"),
    ])
    first, second = tmp_path / "first", tmp_path / "second"
    _run_build(workbook, first, hostile.cli_env(TZ="UTC", LANG="C.UTF-8", PYTHONHASHSEED="0"), "1", None)
    faketime = "2031-07-15 23:59:59" if shutil.which("faketime") else None
    env = hostile.cli_env(TZ="Pacific/Kiritimati", LANG="th_TH.UTF-8", LC_ALL="vi_VN.UTF-8",
                          PYTHONHASHSEED="12345")
    env.pop("DIRECTORY_BUILDER_LANG")
    _run_build(workbook, second, env, "2", faketime)

    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert len([f for f in files if f.suffix == ".pdf"]) >= 4
    different = [str(f) for f in files if (first / f).read_bytes() != (second / f).read_bytes()]
    assert different == [], f"outputs differ between runs: {different}"
    today = dt.date.today()
    assert today != dt.date(2020, 1, 15), "the workbook's Published date must differ from today for this check"
    stamps = [today.isoformat(), today.strftime("%d/%m/%Y"), today.strftime("%d %B %Y"), today.strftime("%Y%m%d")]
    if faketime:
        stamps += ["2031-07-15", "20310715", "15/07/2031"]
    for f in files:
        data = (first / f).read_bytes()
        for stamp in stamps:
            assert stamp.encode() not in data, f"{f} holds the date of the build ({stamp})"


def test_the_index_links_only_the_pages_that_were_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The index is made while the districts are drawn; a district that fails is then not linked."""
    monkeypatch.setattr(build, "_render_job",
                        lambda job: hostile.fake_render_job(job, version="1", fail="Kabupaten Cianjur"))
    out = tmp_path / "out"
    result = build_directory(_workbook(tmp_path / "w.xlsx"), _options(out))
    assert [f.district for f in result.failures] == ["Kabupaten Cianjur"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="en/jakarta-pusat.html"' in index and 'href="en/kota-bandung.html"' in index
    assert 'href="en/kabupaten-cianjur.html"' not in index
    assert not (out / "en" / "kabupaten-cianjur.html").exists()


# ------------------------------------------------------------------------------------------ modes and links


class _Umask:
    """Run a block under another umask (process-wide: restored at once, and pytest runs tests one by one)."""

    def __init__(self, mask: int) -> None:
        self.mask, self.old = mask, 0

    def __enter__(self) -> None:
        self.old = os.umask(self.mask)

    def __exit__(self, *exc: object) -> None:
        os.umask(self.old)


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.mark.parametrize(("mask", "file_mode", "folder_mode"), [
    (0o022, 0o644, 0o755), (0o077, 0o600, 0o700), (0o027, 0o640, 0o750), (0o002, 0o664, 0o775)])
def test_new_files_and_folders_honour_the_umask(tmp_path: Path, mask: int, file_mode: int,
                                                folder_mode: int) -> None:
    target = tmp_path / "a" / "b" / "out.html"
    with _Umask(mask):
        atomic.write_bytes(target, GOOD)
        atomic.write_bytes(target, b"again")  # a replaced file gets the mode of a new one too
    assert _mode(target) == file_mode
    assert _mode(tmp_path / "a") == folder_mode and _mode(tmp_path / "a" / "b") == folder_mode


@pytest.mark.parametrize("mask", [0o000, 0o022])
def test_private_files_and_folders_are_the_owners_only(tmp_path: Path, mask: int) -> None:
    target = tmp_path / "a" / "b" / "staff.csv"
    with _Umask(mask):
        atomic.write_bytes(target, GOOD, private=True)
    assert _mode(target) == 0o600
    assert _mode(tmp_path / "a") == 0o700 and _mode(tmp_path / "a" / "b") == 0o700


def test_a_write_below_a_root_never_follows_a_link(tmp_path: Path) -> None:
    root, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    root.mkdir()
    elsewhere.mkdir()
    (root / "en").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OutputError) as info:
        atomic.write_bytes(root / "en" / "x.html", GOOD, root=root)
    assert str(root / "en") in str(info.value) and "\n" not in str(info.value)
    assert list(elsewhere.iterdir()) == []
    (root / "th").mkdir()
    (root / "th" / "x.html").symlink_to(elsewhere / "target.html")
    with pytest.raises(OutputError, match="link"):
        atomic.write_bytes(root / "th" / "x.html", GOOD, root=root)
    assert (root / "th" / "x.html").is_symlink() and not (elsewhere / "target.html").exists()
    assert hostile.part_files(root) == []
    with pytest.raises(OutputError, match="outside the output folder"):
        atomic.write_bytes(tmp_path / "x.html", GOOD, root=root)


def test_a_folder_in_the_place_of_a_file_is_a_plain_error(tmp_path: Path) -> None:
    (tmp_path / "en" / "x.html").mkdir(parents=True)
    with pytest.raises(OutputError, match="is a folder"):
        atomic.write_bytes(tmp_path / "en" / "x.html", GOOD, root=tmp_path)
    (tmp_path / "th").write_bytes(b"a file")
    with pytest.raises(OutputError, match="is a file"):
        atomic.write_bytes(tmp_path / "th" / "x.html", GOOD, root=tmp_path)


def test_exports_reports_and_copies_of_the_workbook_are_the_owners_only(tmp_path: Path) -> None:
    """Every export format (either edition), the staff report and the annotated / fixed-ID copies: 0600
    files, 0700 folders, even under a permissive umask. The blank template keeps the umask."""
    from typer.testing import CliRunner

    from directory_builder.build.export import export_workbook
    from directory_builder.check.validate import validate_workbook
    from directory_builder.cli import app
    from directory_builder.workbook.annotate import annotate_workbook
    from directory_builder.workbook.ids import write_fixed_ids
    from directory_builder.workbook.template import write_template

    workbook = _workbook(tmp_path / "w.xlsx")
    result = validate_workbook(workbook)
    with _Umask(0o022):
        for edition in ("public", "practitioners"):
            export_workbook(workbook, "json", tmp_path / "x" / edition / "services.json", edition=edition)
            export_workbook(workbook, "hxl", tmp_path / edition / "services.csv", edition=edition)
            export_workbook(workbook, "hsds", tmp_path / edition / "hsds", edition=edition)
        annotate_workbook(workbook, result.problems, tmp_path / "copies" / "annotated.xlsx")
        write_fixed_ids(workbook, result.generated_ids(), tmp_path / "copies" / "ids.xlsx")
        run = CliRunner().invoke(app, ["report", str(workbook), "--format", "html", "--out",
                                       str(tmp_path / "staff" / "report.html")])
        assert run.exit_code == 0, run.output
        write_template(tmp_path / "blank.xlsx")
    private = [tmp_path / "x" / e / "services.json" for e in ("public", "practitioners")]
    private += [tmp_path / e / "services.csv" for e in ("public", "practitioners")]
    private += [p for e in ("public", "practitioners") for p in (tmp_path / e / "hsds").iterdir()]
    private += [tmp_path / "copies" / "annotated.xlsx", tmp_path / "copies" / "ids.xlsx",
                tmp_path / "staff" / "report.html"]
    assert len(private) > 10
    assert {str(p): _mode(p) for p in private} == {str(p): 0o600 for p in private}
    folders = [tmp_path / "x", tmp_path / "x" / "public", tmp_path / "public" / "hsds",
               tmp_path / "practitioners" / "hsds", tmp_path / "copies", tmp_path / "staff"]
    assert {str(p): _mode(p) for p in folders} == {str(p): 0o700 for p in folders}
    assert _mode(tmp_path / "blank.xlsx") == 0o644
