"""Runs where staff are: Windows and macOS laptops, USB sticks.

- worker processes started with ``spawn`` (no fork on Windows, none on macOS by default) make the same
  bytes as forked ones, for a build and for a validation;
- with the POSIX-only parts of ``os`` missing (and no ``fcntl``), every module imports and a build works;
- no file a build writes has a name Windows refuses, or clashes with another when case is ignored;
- a console that cannot show Thai letters (cp1252) gets '?' instead of a traceback.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hostile
from directory_builder.build.guard import PID_NAME
from directory_builder.build.runner import BuildOptions, build_directory
from directory_builder.check.validate import validate_raw
from directory_builder.outputs import outputs
from directory_builder.util import forkwork, startmethod
from directory_builder.util.slug import assign_slugs
from directory_builder.util.winnames import case_clashes, windows_refuses
from directory_builder.workbook.reader import read_workbook
from workbook_factory import service

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "jakarta-westjava.xlsx"
SRC = ROOT / "src"
#: Names a workbook may well hold, each refused by Windows as it is, or clashing with another by case
#: ('Jakarta' and 'JAKARTA' would be one district listed twice: an error of the workbook, not a build).
HOSTILE_NAMES = ["CON", "aux", "nul.txt", "COM1", "LPT9", "Prn.", "Kota Bandung. ", "Jakarta", "JAKARTA.",
                 'a<b>c:d"e/f\\g|h?i*', "tab\there", "Kabupaten " + "Sukabumi Selatan " * 20, "ภูเก็ต", "Đà Nẵng"]


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------------------------------ start methods


def test_the_start_method_is_fork_on_linux_and_spawn_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(startmethod.ENV_VARIABLE, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert startmethod.start_method() == ("fork" if hasattr(os, "fork") else "spawn")
    for platform in ("win32", "darwin"):
        monkeypatch.setattr(sys, "platform", platform)
        assert startmethod.start_method() == "spawn"
        assert not forkwork.can_fork()


def test_the_environment_variable_forces_a_method_the_platform_has(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(startmethod.ENV_VARIABLE, " Spawn ")
    assert startmethod.start_method() == "spawn"
    assert startmethod.context().get_start_method() == "spawn"
    assert not forkwork.can_fork()
    monkeypatch.setenv(startmethod.ENV_VARIABLE, "teleport")  # unknown: the default, never an error
    assert startmethod.start_method() == startmethod.default_method()


def test_a_build_with_spawned_workers_makes_the_same_bytes_as_with_forked_ones(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform to compare with")  # pragma: no cover
    used: list[str] = []
    real = startmethod.context

    def recording() -> Any:
        ctx = real()
        used.append(ctx.get_start_method())
        return ctx

    monkeypatch.setattr(startmethod, "context", recording)
    built = {}
    methods = [m for m in ("fork", "spawn", "forkserver") if m in multiprocessing.get_all_start_methods()]
    for method in methods:
        monkeypatch.setenv(startmethod.ENV_VARIABLE, method)
        out = tmp_path / method
        result = build_directory(EXAMPLE, BuildOptions(out=out, jobs=2, districts=("Jakarta Pusat",)))
        assert result.built and not result.failures
        built[method] = _files(out)
    assert used == methods
    assert any(name.endswith(".pdf") for name in built["spawn"]) and any(n.endswith(".html") for n in built["spawn"])
    for method in methods[1:]:  # forkserver: its workers are not children of the build (die_with_parent)
        assert built[method].keys() == built["fork"].keys()
        assert [n for n in built[method] if built[method][n] != built["fork"][n]] == [], method


def test_a_validation_with_spawn_never_forks_and_finds_the_same(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """With ``spawn``, the rows a forked child would check are checked here: same problems, same model."""
    rows = [service(id=f"S{i}", service_name=f"Layanan {i}", phone="12" if i % 7 == 0 else f"021 3190 {i:04d}",
                    district="Jakarta Pusat" if i % 2 else "Kabupaten Cianjur") for i in range(30)]
    book = hostile.valid_workbook(tmp_path / "d.xlsx", services=rows, settings={"Languages": "id, en"})
    monkeypatch.setattr(forkwork, "MIN_ITEMS", 2)
    monkeypatch.setattr(forkwork, "usable_cpus", lambda: 4)
    monkeypatch.setattr(forkwork.threading, "active_count", lambda: 1)  # as in the command, one thread
    monkeypatch.setenv(startmethod.ENV_VARIABLE, "fork")
    assert len(forkwork.split(list(range(30)))) == 4  # forked children would share this work
    forked = validate_raw(read_workbook(book))
    monkeypatch.setenv(startmethod.ENV_VARIABLE, "spawn")

    def no_fork() -> int:
        raise AssertionError("os.fork called with the spawn start method")

    monkeypatch.setattr(os, "fork", no_fork, raising=False)
    spawned = validate_raw(read_workbook(book))
    assert [p.message() for p in spawned.problems] == [p.message() for p in forked.problems]
    bad_phones = {p.row for p in spawned.problems if p.severity == "error"}
    assert len(bad_phones) == 5, spawned.problems  # the phone '12' of every seventh service: 0, 7, ... 28
    assert repr(spawned.directory) == repr(forked.directory)


# ------------------------------------------------------------------------------------------ POSIX-only calls

_WITHOUT_POSIX = textwrap.dedent("""
    import os, sys, importlib, pkgutil
    for name in ("fork", "geteuid", "getuid", "getgid", "getegid", "fchmod", "fchown", "chown", "sched_getaffinity",
                 "O_NOFOLLOW", "O_DIRECTORY", "O_CLOEXEC", "O_NONBLOCK", "link", "symlink", "sync", "statvfs",
                 "getpgid", "killpg", "setsid", "WIFEXITED", "WEXITSTATUS", "getloadavg", "nice"):
        if hasattr(os, name):
            delattr(os, name)
    for name in ("fcntl", "pwd", "grp", "resource", "termios"):
        sys.modules[name] = None  # 'import fcntl' fails, as on Windows
    import directory_builder
    for module in pkgutil.walk_packages(directory_builder.__path__, "directory_builder."):
        importlib.import_module(module.name)
    from pathlib import Path
    from directory_builder.build.runner import BuildOptions, build_directory
    from directory_builder.check.validate import validate_workbook
    from directory_builder.util import startmethod
    book, out = Path(sys.argv[1]), Path(sys.argv[2])
    assert startmethod.start_method() == "spawn", startmethod.start_method()
    result = validate_workbook(book)
    assert not [p for p in result.problems if p.severity == "error"], result.problems
    build_directory(book, BuildOptions(out=out, jobs=1, formats=("html",)))
    print(sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html")))
""")


def test_every_module_imports_and_builds_without_the_posix_only_calls(tmp_path: Path) -> None:
    book = hostile.valid_workbook(tmp_path / "d.xlsx", services=[service(id="S-1")])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), str(ROOT / "tests")]),
           "DIRECTORY_BUILDER_CACHE_DIR": str(tmp_path / "cache")}
    env.pop(startmethod.ENV_VARIABLE, None)
    done = subprocess.run([sys.executable, "-c", _WITHOUT_POSIX, str(book), str(tmp_path / "out")],
                          capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "/" in done.stdout and ".html'" in done.stdout, done.stdout  # a district page, not only the index
    # No file lock there: the PID file took its place, and was removed at the end (guard.py).
    assert not (tmp_path / "out" / PID_NAME).exists()


# ------------------------------------------------------------------------------------------ Windows file names


@pytest.mark.parametrize(("name", "refused"), [
    ("CON", True), ("con.pdf", True), ("aux.html", True), ("nul.txt", True), ("COM1", True), ("lpt9.card.pdf", True),
    ("COM¹", True), ("CON .pdf", True), ("trailing.", True), ("trailing ", True), ("a:b", True), ("a\x01b", True),
    ("x" * 256, True), ("ก" * 90, True), ("", True),
    ("console.pdf", False), ("com10.pdf", False), ("kota-bandung.card.pdf", False), ("x" * 255, False),
])
def test_the_windows_rules(name: str, refused: bool) -> None:
    assert (windows_refuses(name) is not None) == refused


def test_case_clashes_are_found() -> None:
    assert case_clashes(["id/Jakarta.pdf", "id/jakarta.html", "id/JAKARTA.pdf"]) == [("id/Jakarta.pdf", "id/JAKARTA.pdf")]


def _assert_windows_safe(paths: list[str]) -> None:
    for path in paths:
        for part in path.split("/"):
            assert windows_refuses(part) is None, (path, windows_refuses(part))
        # Room for the user's own folder within Windows' 260 characters.
        assert len(path) <= 100, path
    assert case_clashes(paths) == []


_NAMES = st.one_of(st.sampled_from(HOSTILE_NAMES), st.text(min_size=1, max_size=300),
                   st.from_regex(r"(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9])[. ]*(\.[a-z]{1,4})?[. ]*", fullmatch=True))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(_NAMES, min_size=1, max_size=8), codes=st.lists(st.none() | st.text(max_size=12), max_size=8))
def test_no_district_name_gives_a_file_name_windows_refuses(names: list[str], codes: list[str | None]) -> None:
    districts = [SimpleNamespace(name=n, code=codes[i] if i < len(codes) else None) for i, n in enumerate(names)]
    slugs = [slug for _d, slug, _clash in assign_slugs(districts)]
    paths = [output.path(f"{lang}/{slug}") for output in outputs("district") for lang in ("id", "th") for slug in slugs]
    paths += [output.path("") for output in outputs("directory")]
    _assert_windows_safe(paths)


def test_a_build_of_hostile_district_names_writes_only_names_windows_accepts(tmp_path: Path) -> None:
    rows = [service(id=f"S-{i}", service_name=f"Layanan {i}", district=name) for i, name in enumerate(HOSTILE_NAMES)]
    book = hostile.valid_workbook(tmp_path / "d.xlsx", services=rows, districts=HOSTILE_NAMES)
    out = tmp_path / "out"
    result = build_directory(book, BuildOptions(out=out, jobs=1, formats=("html",)))  # all outputs: the test above
    files = list(_files(out))
    assert len([f for f in files if f.endswith(".html") and "/" in f]) == len(HOSTILE_NAMES), files
    _assert_windows_safe(files)
    assert result.built and not result.failures


# ------------------------------------------------------------------------------------------ the console


def test_a_cp1252_console_shows_question_marks_for_thai_instead_of_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONIOENCODING": "cp1252",
           "DIRECTORY_BUILDER_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "directory_builder", "validate", str(EXAMPLE), "--ui-lang", "th"],
                          capture_output=True, env=env, timeout=300, check=False)
    assert b"Traceback" not in done.stderr and b"UnicodeEncodeError" not in done.stderr, done.stderr[-2000:]
    assert done.returncode == 0
    assert b"Services!" in done.stdout and b"?" in done.stdout


# ------------------------------------------------------------------------------------------ a file held open


def test_a_file_open_in_another_program_on_windows_is_named_with_what_to_do(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows ``os.replace`` onto a PDF open in a viewer raises PermissionError (EACCES)."""
    import errno

    from directory_builder.util.oserrors import output_error

    pdf = tmp_path / "jakarta-pusat.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    denied = PermissionError(errno.EACCES, "Access is denied")
    monkeypatch.setattr(sys, "platform", "win32")
    message = str(output_error(pdf, denied))
    assert str(pdf) in message and "open in another program" in message and "Close it" in message
    monkeypatch.setattr(sys, "platform", "linux")
    assert "open in another program" not in str(output_error(pdf, denied))  # a read-only folder there
