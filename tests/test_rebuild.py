"""Rebuilds never keep a stale page: after a build that was stopped, killed, or ran beside another, the
next build leaves every file exactly as manifest.json describes it and as the current workbook says.

The workbooks differ only in phone numbers of the same length, so a page of the other version has the
same size as the right one: only its bytes tell them apart.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import hostile
from directory_builder.build import guard as buildguard
from directory_builder.build import outfolder
from directory_builder.build.runner import BuildOptions, BuildResult, build_directory
from workbook_factory import service

DISTRICTS = ["Jakarta Pusat", "Kabupaten Cianjur", "Kota Bandung"]


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file records (filestamps.py) of each test in a folder of its own; fonts from the user's cache."""
    from directory_builder.build import filestamps

    monkeypatch.setattr(filestamps, "user_cache_root", lambda: tmp_path / "user-cache")


def _phones(version: int) -> list[str]:
    """How the pages show the numbers of ``version`` ("021 3190 5001" is shown as "(021) 31905001")."""
    return [f"3190{version}00{i}" for i in range(len(DISTRICTS))]


def _workbook(path: Path, version: int, districts: list[str] = DISTRICTS) -> Path:
    return hostile.valid_workbook(path, services=[
        service(id=f"S-{i}", district=name, phone=f"021 3190 {version}00{i}")
        for i, name in enumerate(DISTRICTS) if name in districts
    ], districts=districts, settings={"Languages": "en, id"})


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    folder = tmp_path_factory.mktemp("workbooks")
    return {v: _workbook(folder / f"v{v}.xlsx", v) for v in (5, 6)}


def _options(out: Path, **kw: Any) -> BuildOptions:
    return BuildOptions(out=out, formats=("html",), jobs=1, **kw)


def _build(workbook: Path, out: Path, **kw: Any) -> BuildResult:
    result = build_directory(workbook, _options(out, **kw))
    assert result.built and not result.failures, (result.validation.errors, result.failures)
    return result


def _disk(out: Path) -> set[str]:
    ours = {buildguard.LOCK_NAME, buildguard.PID_NAME}
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name not in ours}


def check_folder(out: Path, version: int | None = None) -> None:
    """Every file on disk is in the manifest with its bytes; no temporary file; pages show ``version``."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"]: f for f in manifest["files"]}
    assert _disk(out) == set(listed) | {"manifest.json"}
    for rel, entry in listed.items():
        data = (out / rel).read_bytes()
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (entry["sha256"], entry["bytes"]), rel
    assert not [p for p in out.rglob("*.part")]
    if version is None:
        return
    other = 6 if version == 5 else 5
    pages = sorted(out.glob("*/*.html"))
    assert len(pages) == 2 * len(DISTRICTS)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert any(p in text for p in _phones(version)), f"{page} lacks the phone numbers of version {version}"
        stale = [p for p in _phones(other) if p in text]
        assert not stale, f"{page} still shows version {other}'s numbers {stale}"


# ------------------------------------------------------------------------------------------ reuse by bytes


def test_pages_left_by_a_stopped_build_are_made_again(versions: dict[int, Path], tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The issue: Ctrl-C in a build of the other version, then a rebuild of this one said "0 built"."""
    out = tmp_path / "out"
    _build(versions[5], out)
    written = 0
    real_write = outfolder.write_bytes

    def stop_after_two(path: Path, data: bytes, **kw: Any) -> None:
        nonlocal written
        written += 1
        if written > 2:
            raise KeyboardInterrupt
        real_write(path, data, **kw)

    monkeypatch.setattr(outfolder, "write_bytes", stop_after_two)
    with pytest.raises(KeyboardInterrupt):
        build_directory(versions[6], _options(out))
    monkeypatch.setattr(outfolder, "write_bytes", real_write)
    result = _build(versions[5], out)
    assert len(result.rebuilt) == 2 and len(result.reused) == 4
    check_folder(out, 5)


def test_a_partial_build_keeps_only_the_other_districts_files_that_match(versions: dict[int, Path], tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """--district after a stopped build: the other districts' pages the stopped build replaced are not
    what the manifest lists; they are removed (and made again by the next build that includes them)."""
    out = tmp_path / "out"
    _build(versions[5], out)
    written: list[str] = []
    real_write = outfolder.write_bytes

    def stop_after_three(path: Path, data: bytes, **kw: Any) -> None:
        if len(written) == 3:
            raise KeyboardInterrupt
        written.append(Path(path).relative_to(out).as_posix())
        real_write(path, data, **kw)

    monkeypatch.setattr(outfolder, "write_bytes", stop_after_three)
    with pytest.raises(KeyboardInterrupt):
        build_directory(versions[6], _options(out))
    monkeypatch.setattr(outfolder, "write_bytes", real_write)
    first = Path(written[0]).stem
    district = next(d for d in DISTRICTS if d.lower().replace(" ", "-") == first)
    result = _build(versions[5], out, districts=(district,))
    assert sorted(result.rebuilt) == [(first, "en"), (first, "id")]
    others = [rel for rel in written if Path(rel).stem != first]
    assert others and not [rel for rel in others if (out / rel).exists()]
    check_folder(out)
    jobs = {j["key"] for j in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["jobs"]}
    assert not {rel.removesuffix(".html") for rel in others} & jobs
    _build(versions[5], out)
    check_folder(out, 5)


@pytest.mark.parametrize("name", ["en/kota-bandung.html", "index.html"])
def test_a_file_changed_without_changing_its_size_is_made_again(versions: dict[int, Path], tmp_path: Path,
                                                               name: str) -> None:
    out = tmp_path / "out"
    _build(versions[5], out)
    target = out / name
    data = target.read_bytes()
    info = target.stat()
    target.write_bytes(data.replace(b"<", b"[", 3))  # same size, other bytes
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))  # even with the old time
    _build(versions[5], out)
    assert target.read_bytes() == data
    check_folder(out, 5)


def test_unchanged_files_are_not_read_again(versions: dict[int, Path], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild trusts the record made after each file was written: at national scale hashing every file
    would read 150 MB. A copied folder (no record) is hashed once, then trusted."""
    from directory_builder.build import filestamps

    out = tmp_path / "out"
    _build(versions[5], out)
    hashed: list[str] = []
    real_open = open

    def counting_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "r" in mode and "b" in mode and Path(file).suffix == ".html":  # not the record itself (.json)
            hashed.append(Path(file).name)
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(filestamps, "open", counting_open, raising=False)
    result = _build(versions[5], out)
    assert result.rebuilt == [] and hashed == []
    copy = tmp_path / "copy"
    import shutil

    shutil.copytree(out, copy)
    result = _build(versions[5], copy)
    assert result.rebuilt == [] and len(hashed) == 7  # six pages and the index, once
    hashed.clear()
    _build(versions[5], copy)
    assert hashed == []
    check_folder(copy, 5)


def test_the_records_are_private_and_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Records of other output folders go beyond MAX_FOLDERS; one written by someone else is ignored."""
    from directory_builder.build import filestamps

    monkeypatch.setattr(filestamps, "MAX_FOLDERS", 2)
    cache = tmp_path / "records"
    for n in range(4):
        folder = tmp_path / f"out{n}"
        folder.mkdir()
        (folder / "index.html").write_bytes(b"x")
        stamps = filestamps.FileStamps(folder, cache)
        assert stamps.digest("index.html") is not None
        stamps.save({"index.html"})
        os.utime(stamps.path, (n, n))
    assert len(list(cache.glob("*.json"))) == 2
    assert oct(cache.stat().st_mode & 0o777) == oct(0o700)
    stamps = filestamps.FileStamps(tmp_path / "out3", cache)
    assert stamps._old
    stamps.path.chmod(0o666)
    assert filestamps.FileStamps(tmp_path / "out3", cache)._old == {}


def test_full_build_removes_the_pages_of_a_removed_district(versions: dict[int, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(versions[5], out)
    two = _workbook(tmp_path / "two.xlsx", 5, DISTRICTS[:2])
    _build(two, out, incremental=False)
    assert not list(out.glob("*/kota-bandung.*"))
    check_folder(out)


# ------------------------------------------------------------------------------------------ the lock


def test_a_second_build_waits_then_stops_with_one_sentence(versions: dict[int, Path], tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    _build(versions[5], out)
    before = {rel: (out / rel).read_bytes() for rel in _disk(out)}
    monkeypatch.setattr(buildguard, "LOCK_WAIT", 0.3)
    with buildguard.build_lock(out), pytest.raises(buildguard.BuildLocked) as info:
        build_directory(versions[6], _options(out))
    message = str(info.value)
    assert str(out) in message and "Another build" in message and "\n" not in message
    assert {rel: (out / rel).read_bytes() for rel in _disk(out)} == before


def test_a_second_build_waits_for_the_first_to_finish(versions: dict[int, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    held = threading.Event()
    release = threading.Event()

    def first() -> None:
        with buildguard.build_lock(out):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=first)
    thread.start()
    assert held.wait(10)
    threading.Timer(0.5, release.set).start()
    _build(versions[6], out)
    thread.join()
    check_folder(out, 6)


def test_the_lock_of_a_killed_build_is_taken_over(versions: dict[int, Path], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from directory_builder.build.guard import build_lock\n"
        "with build_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)\n"), str(out)],
        stdout=subprocess.PIPE, text=True, env=hostile.cli_env())
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        monkeypatch.setattr(buildguard, "LOCK_WAIT", 0.3)
        with pytest.raises(buildguard.BuildLocked):
            build_directory(versions[5], _options(out))
        holder.kill()
        holder.wait()
        _build(versions[5], out)
    finally:
        holder.kill()
        holder.wait()
    check_folder(out, 5)
    assert not (out / buildguard.LOCK_NAME).exists(), "the build that took the lock over removes it when done"
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert buildguard.LOCK_NAME not in manifest
    assert buildguard.LOCK_NAME not in (out / "index.html").read_text(encoding="utf-8")


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_without_flock_a_pid_file_locks_and_a_dead_owner_is_taken_over(versions: dict[int, Path], tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Some network drives have no flock: an O_EXCL file with PID and host name stands in."""
    monkeypatch.setattr(buildguard, "_try_os_lock", lambda fd: False)
    monkeypatch.setattr(buildguard, "LOCK_WAIT", 0.3)
    out = tmp_path / "out"
    out.mkdir()
    pid_file = out / buildguard.PID_NAME
    pid_file.write_text(f"{_dead_pid()} {socket.gethostname()}\n", encoding="utf-8")
    _build(versions[5], out)
    assert not pid_file.exists(), "released at the end"
    check_folder(out, 5)

    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        pid_file.write_text(f"{sleeper.pid} {socket.gethostname()}\n", encoding="utf-8")
        with pytest.raises(buildguard.BuildLocked) as info:
            build_directory(versions[6], _options(out))
        assert str(pid_file) in str(info.value)
    finally:
        sleeper.kill()
        sleeper.wait()
    _build(versions[6], out)  # its process is gone now
    check_folder(out, 6)


# ------------------------------------------------------------------------------------------ .part files


def test_part_files_of_a_killed_build_are_removed_and_only_those(versions: dict[int, Path], tmp_path: Path) -> None:
    from directory_builder.util import storage as atomic

    out = tmp_path / "out"
    _build(versions[5], out)
    ours = [out / ".index.html.a1b2c3d4.part", out / ".manifest.json.zz_9x8w7.part",
            out / "en" / ".kota-bandung.html.qwertyui.part", out / "id" / ".jakarta-pusat.card.pdf.0123abcd.part"]
    theirs = [out / ".notes.txt.a1b2c3d4.part", out / "en" / "draft.part", out / "en" / ".kota-bandung.html.part",
              out / "assets" / ".index.html.a1b2c3d4.part", tmp_path / ".index.html.a1b2c3d4.part"]
    for path in [*ours, *theirs]:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"half a fi")
    with atomic.replace_on_success(out / "en" / "kota-bandung.html") as tmp:  # the names atomic.py makes
        assert buildguard.district_part(tmp.name), tmp.name
        tmp.write_bytes((out / "en" / "kota-bandung.html").read_bytes())
    _build(versions[5], out)
    assert [p for p in ours if p.exists()] == []
    assert [p for p in theirs if not p.exists()] == []


# ------------------------------------------------------------------------------------------ through the CLI


def _driver(tmp_path: Path) -> Path:
    """hostile.FAKE_DRIVER (fake renderers), with the lock's wait set by FAKE_LOCK_WAIT."""
    path = tmp_path / "fake_cli.py"
    path.write_text("import os\nimport directory_builder.build.guard as guard\n"
                    "guard.LOCK_WAIT = float(os.environ.get('FAKE_LOCK_WAIT', '5'))\n" + hostile.FAKE_DRIVER,
                    encoding="utf-8")
    return path


def _fake_workbook(path: Path) -> Path:
    return hostile.valid_workbook(path, services=[service(id=f"S-{i}", district=name)
                                                  for i, name in enumerate(DISTRICTS)], districts=DISTRICTS)


def _check_fake_folder(out: Path, version: str) -> None:
    check_folder(out)
    for page in out.glob("en/*.html"):
        assert page.read_bytes().startswith(f"<html>en/{page.stem} {version}</html>".encode()), page


class _Build:
    """A build command in a child process; its messages go to a file, not a pipe: a worker that outlives
    the build would hold a pipe open, and reading it would never end."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        with open(log, "wb") as err:
            self.proc = subprocess.Popen([sys.executable, *args], stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=err, env=env)
        self.pid = self.proc.pid

    def wait(self, timeout: float) -> tuple[int | None, str]:
        """(exit code, stderr); the exit code is None when the build did not end in time (it is killed)."""
        try:
            code: int | None = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            code = None
        return code, self.log.read_text(encoding="utf-8", errors="replace")


def _children(pid: int) -> set[int]:
    """Every process descended from ``pid`` (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        kids = {p for p, pp in parents.items() if pp == parent}
        todo += sorted(kids - found)
        found |= kids
    return found


def _running(pids: set[int]) -> set[int]:
    """Those of ``pids`` still running (a zombie has ended: it only waits to be reaped)."""
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def _wait_gone(pids: set[int], seconds: float = 10.0) -> set[int]:
    deadline = time.monotonic() + seconds
    while _running(pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return _running(pids)


def test_two_builds_at_once_the_second_stops(tmp_path: Path) -> None:
    """The issue: two builds into one folder at once both exited 0 and left a mix of both."""
    wb = _fake_workbook(tmp_path / "w.xlsx")
    out = tmp_path / "out"
    driver = str(_driver(tmp_path))
    args = [driver, "build", str(wb), "--out", str(out), "--format", "html", "--jobs", "1"]
    first = _Build(args, hostile.cli_env(FAKE_MODE="slow", FAKE_SLEEP="2", FAKE_VERSION="1"), tmp_path / "1.log")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not list(out.glob("en/*.html")):
        time.sleep(0.05)
    assert list(out.glob("en/*.html")), "the first build never wrote a page"
    code, stderr = _Build(args, hostile.cli_env(FAKE_VERSION="2", FAKE_LOCK_WAIT="1"), tmp_path / "2.log").wait(60)
    assert first.proc.poll() is None, "the first build ended before the second gave up: make it slower"
    first_code, first_err = first.wait(60)
    assert first_code == 0, first_err
    assert code == 2, stderr
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and str(out) in lines[0] and "Another build" in lines[0], stderr
    _check_fake_folder(out, "1")


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGKILL"])
def test_a_stopped_build_leaves_no_worker_behind(tmp_path: Path, sig: str) -> None:
    """SIGTERM (kill, a service manager) stops a build as Ctrl-C does; after SIGKILL the workers end too."""
    wb = _fake_workbook(tmp_path / "w.xlsx")
    out = tmp_path / "out"
    proc = _Build([str(_driver(tmp_path)), "build", str(wb), "--out", str(out), "--format", "html", "--jobs", "2"],
                  hostile.cli_env(FAKE_MODE="slow", FAKE_SLEEP="1.5"), tmp_path / "build.log")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not list(out.glob("en/*.html")):
        time.sleep(0.05)
    workers = _children(proc.pid)
    assert list(out.glob("en/*.html")) and workers, "the build never wrote a first page"
    os.kill(proc.pid, getattr(signal, sig))  # the build alone, as `kill PID` does, not its process group
    code, stderr = proc.wait(30)
    try:
        assert code is not None, f"the build did not stop within 30 s of {sig}"
        assert _wait_gone(workers) == set(), "worker processes outlived the build"
    finally:
        for pid in _running(workers):
            os.kill(pid, signal.SIGKILL)
    if sig == "SIGTERM":
        assert code == 130, stderr
        assert "Traceback" not in stderr and "Stopped" in stderr, stderr
        assert [p for p in out.rglob("*.part")] == []
    for page in out.rglob("*.html"):
        assert page.read_bytes().endswith(b"." * 2000), f"{page} is half-written"


# ------------------------------------------------------------------------------------------ crash and rebuild


def _start(workbook: Path, out: Path, formats: str, cache: Path) -> _Build:
    return _Build(["-m", "directory_builder", "build", str(workbook), "--out", str(out), "--format", formats,
                   "--jobs", "2"], hostile.cli_env(DIRECTORY_BUILDER_CACHE_DIR=str(cache)), cache.parent / "build.log")


def _finish(build: _Build) -> str:
    code, stderr = build.wait(120)
    assert code == 0, stderr
    return stderr


def _fonts_into(cache: Path) -> None:
    """The PDF engine's fonts are cut once per machine (slow): start from the user's."""
    import shutil

    from directory_builder.util.cachedir import user_cache_root

    fonts = user_cache_root() / "fonts"
    if fonts.is_dir():
        shutil.copytree(fonts, cache / "fonts")


@pytest.mark.slow
def test_killed_at_random_moments_the_next_build_puts_everything_right(versions: dict[int, Path],
                                                                       tmp_path: Path) -> None:
    """Builds of one version killed (SIGINT, SIGTERM, SIGKILL) at random moments over a folder built from
    the other, then rebuilt from either: every file matches the manifest and the workbook built."""
    rng = random.Random(20261205)
    out = tmp_path / "out"
    cache = tmp_path / "cache"
    _fonts_into(cache)
    start = time.monotonic()
    _finish(_start(versions[5], out, "html", cache))
    took = time.monotonic() - start
    current = 5
    kills = [signal.SIGINT, signal.SIGTERM, signal.SIGKILL] * 4
    rng.shuffle(kills)
    for n, sig in enumerate(kills):
        other = 11 - current
        formats = "html,pdf" if n % 4 == 3 else "html"
        proc = _start(versions[other], out, formats, cache)
        time.sleep(rng.uniform(0.4, 1.1) * took)
        workers = _children(proc.pid)
        if proc.proc.poll() is None:
            proc.proc.send_signal(sig)
        code, stderr = proc.wait(60)
        # 130 once the command runs; killed by the signal itself while Python starts (nothing written yet)
        assert code in (0, 130, -sig), (sig.name, code, stderr)
        assert _wait_gone(workers) == set(), f"workers outlived the build killed with {sig.name}"
        current = other if n % 2 else current  # rebuild the killed build's version, or go back
        _finish(_start(versions[current], out, formats, cache))
        check_folder(out, current)


def test_a_build_that_waited_on_a_removed_lock_file_still_excludes_a_third(tmp_path: Path) -> None:
    """The lock file is removed on release; a build that was waiting on it must not hold a lock nobody
    else can see: it locks the file now in its place, so a third build is still kept out."""
    out = tmp_path / "out"
    out.mkdir()
    second_holds = threading.Event()
    release_second = threading.Event()

    def second() -> None:
        with buildguard.build_lock(out, wait=5):
            second_holds.set()
            release_second.wait(10)

    with buildguard.build_lock(out, wait=0):
        waiter = threading.Thread(target=second)
        waiter.start()
        time.sleep(0.3)  # the second build is now waiting on this lock file
    assert second_holds.wait(5)
    try:
        with pytest.raises(buildguard.BuildLocked), buildguard.build_lock(out, wait=0.3):
            pass
    finally:
        release_second.set()
        waiter.join(10)
    assert not (out / buildguard.LOCK_NAME).exists()
