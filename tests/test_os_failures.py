"""Ordinary failures get ordinary sentences: every command that writes, through every usual way writing fails.

A file where a folder is needed, a folder where a file is needed, a file on the way, a pipe or device as
the output, a read-only folder, a full disk, an I/O error: each is one translated sentence on stderr that
names the path and says what to do, exit 2, no traceback, and never "unexpected problem" (that sentence is
for bugs only). Root may write anywhere, so a read-only folder and a full disk are injected where the OS
would report them (creating files and folders; fsync; rename); a real full disk is a file size limit
(RLIMIT_FSIZE), in a child process.
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import hostile
from directory_builder import cli
from workbook_factory import service

Argv = Callable[[Path, Path], list[str]]


@dataclass(frozen=True)
class Command:
    argv: Argv  # (workbook, target) -> arguments
    kind: str  # what the target must be: "file" or "folder"
    suffix: str = ""


COMMANDS: dict[str, Command] = {
    "template": Command(lambda wb, t: ["template", str(t), "--force"], "file", ".xlsx"),
    "validate --annotate": Command(lambda wb, t: ["validate", str(wb), "--annotate", str(t)], "file", ".xlsx"),
    "validate --fix-ids": Command(lambda wb, t: ["validate", str(wb), "--fix-ids", str(t)], "file", ".xlsx"),
    "build": Command(lambda wb, t: ["build", str(wb), "--out", str(t), "--jobs", "1", "--format", "html"], "folder"),
    "export hsds": Command(lambda wb, t: ["export", str(wb), "--format", "hsds", "--out", str(t)], "folder"),
    "export hxl": Command(lambda wb, t: ["export", str(wb), "--format", "hxl", "--out", str(t)], "file", ".csv"),
    "export json": Command(lambda wb, t: ["export", str(wb), "--format", "json", "--out", str(t)], "file", ".json"),
    "report --out": Command(lambda wb, t: ["report", str(wb), "--format", "html", "--out", str(t)], "file", ".html"),
}
FILE_COMMANDS = [name for name, c in COMMANDS.items() if c.kind == "file"]
FOLDER_COMMANDS = [name for name, c in COMMANDS.items() if c.kind == "folder"]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("input")
    return hostile.valid_workbook(folder / "w.xlsx", services=[service(id="S-1"), service(id="S-2")])


@pytest.fixture(autouse=True)
def _environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIRECTORY_BUILDER_LANG", "en")
    monkeypatch.setenv("DIRECTORY_BUILDER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("DIRECTORY_BUILDER_DEBUG", raising=False)


def run(argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """The real CLI, in this process (fault injection needs it): exit code and stderr."""
    capsys.readouterr()
    monkeypatch.setattr(sys, "argv", ["directory-builder", *argv])
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    code = stopped.value.code
    return (code if isinstance(code, int) else 1), capsys.readouterr().err


def assert_plain(code: int, stderr: str, target: Path, *words: str) -> None:
    """Exit 2, one sentence naming ``target`` with ``words``, no traceback, not "unexpected problem"."""
    message = stderr.strip()
    assert code == 2, (code, message)
    assert "Traceback" not in message and "unexpected problem" not in message, message
    assert message.count("\n") == 0, message
    assert str(target) in message, (str(target), message)
    for word in words:
        assert word in message, (word, message)


def _target(tmp_path: Path, name: str, folder: str = "") -> Path:
    command = COMMANDS[name]
    base = tmp_path / folder if folder else tmp_path
    return base / (("out" + command.suffix) if command.kind == "file" else "out")


# ------------------------------------------------------------------------------------------ real cases


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_file_on_the_way_is_named(name: str, tmp_path: Path, workbook: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    target = _target(tmp_path, name, "notes.txt")
    code, err = run(COMMANDS[name].argv(workbook, target), capsys, monkeypatch)
    assert_plain(code, err, target, f"'{blocker}' is a file, not a folder")
    assert blocker.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize("name", FOLDER_COMMANDS)
def test_a_file_where_a_folder_is_needed(name: str, tmp_path: Path, workbook: Path,
                                         capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out"
    target.write_text("keep me", encoding="utf-8")
    code, err = run(COMMANDS[name].argv(workbook, target), capsys, monkeypatch)
    assert_plain(code, err, target, "is a file")
    assert target.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("name", FILE_COMMANDS)
def test_a_folder_where_a_file_is_needed(name: str, tmp_path: Path, workbook: Path,
                                         capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    target = _target(tmp_path, name)
    target.mkdir()
    (target / "inside.txt").write_text("keep me", encoding="utf-8")
    code, err = run(COMMANDS[name].argv(workbook, target), capsys, monkeypatch)
    assert_plain(code, err, target, "is a folder")
    assert (target / "inside.txt").read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("name", FILE_COMMANDS)
def test_a_pipe_or_device_is_never_replaced(name: str, tmp_path: Path, workbook: Path,
                                            capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Like /dev/full or /dev/null: renaming a file over it (as root) would destroy the device node."""
    target = _target(tmp_path, name)
    os.mkfifo(target)
    code, err = run(COMMANDS[name].argv(workbook, target), capsys, monkeypatch)
    assert_plain(code, err, target, "not an ordinary file")
    assert stat.S_ISFIFO(os.lstat(target).st_mode)


@pytest.mark.parametrize("name", ["report --out", "export json"])
def test_a_name_too_long_for_the_disk(name: str, tmp_path: Path, workbook: Path,
                                      capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / ("x" * 300 + COMMANDS[name].suffix)
    code, err = run(COMMANDS[name].argv(workbook, target), capsys, monkeypatch)
    assert_plain(code, err, target, "too long")


def test_a_link_to_itself(tmp_path: Path, workbook: Path, capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    target = loop / "report.html"
    code, err = run(COMMANDS["report --out"].argv(workbook, target), capsys, monkeypatch)
    assert_plain(code, err, target)


# ------------------------------------------------------------------------------------------ injected faults


def _inside(root: Path, path: Any) -> bool:
    try:
        if isinstance(path, int):
            path = os.readlink(f"/proc/self/fd/{path}")
        resolved = Path(os.fsdecode(path)).resolve()
    except (OSError, TypeError, ValueError):
        return False
    return resolved == root or root in resolved.parents


@pytest.fixture
def faulty(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path, str], None]:
    """``faulty(folder, kind)``: from now on the OS fails under ``folder`` the way ``kind`` does.

    - "read-only": creating a file or folder, or renaming into it, fails with EROFS;
    - "full": fsync fails with ENOSPC (the disk filled while writing; NFS and quotas report it there);
    - "io": the final rename fails with EIO (a disk that went away).
    """

    def install(folder: Path, kind: str) -> None:
        root = folder.resolve()
        real_open, real_mkdir, real_replace = os.open, os.mkdir, os.replace
        real_rename, real_fsync, real_builtin_open = os.rename, os.fsync, builtins.open

        def fail(code: int, path: Any = None) -> OSError:
            return OSError(code, os.strerror(code), None if path is None else os.fsdecode(path))

        if kind == "read-only":
            def os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
                if flags & (os.O_CREAT | os.O_WRONLY | os.O_RDWR) and _inside(root, path):
                    raise fail(errno.EROFS, path)
                return real_open(path, flags, *args, **kwargs)

            def mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
                if _inside(root, path) and not os.path.isdir(path):
                    raise fail(errno.EROFS, path)
                real_mkdir(path, *args, **kwargs)

            def builtin_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
                if any(c in mode for c in "wax+") and not isinstance(file, int) and _inside(root, file):
                    raise fail(errno.EROFS, file)
                return real_builtin_open(file, mode, *args, **kwargs)

            monkeypatch.setattr(os, "open", os_open)
            monkeypatch.setattr(os, "mkdir", mkdir)
            monkeypatch.setattr(builtins, "open", builtin_open)
        if kind in ("read-only", "io"):
            code = errno.EROFS if kind == "read-only" else errno.EIO

            def renamer(real: Callable[..., None]) -> Callable[..., None]:
                def rename(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
                    if _inside(root, dst):
                        raise fail(code, src)
                    real(src, dst, *args, **kwargs)
                return rename

            monkeypatch.setattr(os, "replace", renamer(real_replace))
            monkeypatch.setattr(os, "rename", renamer(real_rename))
        if kind == "full":
            def fsync(fd: int) -> None:
                if _inside(root, fd):
                    raise fail(errno.ENOSPC)
                real_fsync(fd)

            monkeypatch.setattr(os, "fsync", fsync)

    return install


FAULTS = {
    "read-only": "may not write",
    "full": "no space left",
    "io": "could not write",
}


def _leftovers(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if not p.is_dir())


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("name", list(COMMANDS))
def test_injected_faults_are_one_sentence(name: str, fault: str, tmp_path: Path, workbook: Path,
                                          faulty: Callable[[Path, str], None], capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    target = _target(tmp_path, name, "disk")
    faulty(disk, fault)
    code, err = run(COMMANDS[name].argv(workbook, target), capsys, monkeypatch)
    monkeypatch.undo()
    message = err.strip()
    assert code == 2, (code, message)
    assert "Traceback" not in message and "unexpected problem" not in message, message
    assert message.count("\n") == 0, message
    assert FAULTS[fault] in message, message
    # The output named: the file, or (for a folder output) the folder or a file in it.
    assert str(target) in message, message
    assert _leftovers(disk) == [], "a failed write left files behind"


def test_an_io_error_names_the_reason(tmp_path: Path, workbook: Path, faulty: Callable[[Path, str], None],
                                      capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    faulty(disk, "io")
    code, err = run(COMMANDS["export json"].argv(workbook, disk / "x.json"), capsys, monkeypatch)
    assert code == 2 and os.strerror(errno.EIO) in err, err


@pytest.mark.parametrize("argv", [["validate", "{wb}"], ["report", "{wb}"], ["diff", "{wb}", "{wb}"],
                                  ["export", "{wb}", "--format", "json", "--out", "{out}"]])
def test_a_workbook_you_may_not_read(argv: list[str], tmp_path: Path, workbook: Path,
                                     capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the user's own file fails with EACCES (a file of another user, a locked share)."""
    real = io.open

    def refusing(file: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(file, int) and Path(os.fsdecode(file)) == workbook:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", refusing)
    code, err = run([a.format(wb=workbook, out=tmp_path / "x.json") for a in argv], capsys, monkeypatch)
    assert_plain(code, err, workbook, "may not read")


def test_a_failure_elsewhere_is_still_a_bug(tmp_path: Path, workbook: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """An OSError about a path the user never gave (here: inside the tool) keeps the bug sentence."""
    import directory_builder.lifecycle.report as report

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", "/usr/share/directory-builder/x")

    monkeypatch.setattr(report, "make_report", broken)
    code, err = run(["report", str(workbook)], capsys, monkeypatch)
    assert code == 2 and "unexpected problem" in err, err


# ------------------------------------------------------------------------------------------ real full disk


def _small_disk() -> None:  # in the child, before exec: every write past 2 kB fails with EFBIG
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))


def _run_small_disk(argv: list[str], cwd: Path, stdout: Any = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    env = hostile.cli_env(DIRECTORY_BUILDER_CACHE_DIR=str(cwd / "cache"))
    return subprocess.run([sys.executable, "-m", "directory_builder", *argv], stdout=stdout,
                          stderr=subprocess.PIPE, text=True, cwd=cwd, env=env, preexec_fn=_small_disk, timeout=120)


@pytest.mark.parametrize("name", ["template", "validate --annotate", "export json", "export hsds", "report --out"])
def test_a_really_full_disk(name: str, tmp_path: Path) -> None:
    """Not injected: the kernel refuses the write (EFBIG, as on a full disk or quota). (build is covered by
    tests/test_atomic.py::test_cli_full_disk_keeps_the_previous_build, with fake renderers: in a fresh cache
    folder the real one would first spend 40 s building fonts it then cannot keep.)"""
    workbook = hostile.valid_workbook(tmp_path / "w.xlsx", services=[
        service(id=f"S-{i}", description="We help people who were trafficked. " * 20) for i in range(6)])
    target = _target(tmp_path, name)
    proc = _run_small_disk(COMMANDS[name].argv(workbook, target), tmp_path)
    assert_plain(proc.returncode, proc.stderr, target, "no space left")


OUTPUT_COMMANDS = [["validate", "{old}"], ["diff", "{old}", "{new}"], ["report", "{old}", "--format", "json"]]


@pytest.fixture(scope="module")
def two_editions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("editions")
    rows = [service(id=f"S-{i}", phone="12") for i in range(20)]  # twenty problems: a long report
    return (hostile.valid_workbook(folder / "old.xlsx", services=rows),
            hostile.valid_workbook(folder / "new.xlsx"))


class _FullStream(io.StringIO):
    """stdout redirected to a file on a full disk."""

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("argv", OUTPUT_COMMANDS)
def test_output_sent_to_a_full_disk(argv: list[str], two_editions: tuple[Path, Path],
                                    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """``command > file`` on a full disk: one sentence on stderr, exit 2 (was a traceback)."""
    old, new = two_editions
    monkeypatch.setattr(sys, "stdout", _FullStream())
    code, err = run([a.format(old=old, new=new) for a in argv], capsys, monkeypatch)
    message = err.strip().splitlines()[-1]
    assert code == 2, (code, err)
    assert "Traceback" not in err and "unexpected problem" not in err, err
    assert message.startswith("The output could not be written: there is no space left"), err


@pytest.mark.parametrize("argv", OUTPUT_COMMANDS)
def test_output_sent_to_dev_full(argv: list[str], two_editions: tuple[Path, Path], tmp_path: Path) -> None:
    """The same with the real device (writing to /dev/full always fails with ENOSPC)."""
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode), "/dev/full is missing on this machine"
    old, new = two_editions
    with open("/dev/full", "w", encoding="utf-8") as full:
        proc = subprocess.run([sys.executable, "-m", "directory_builder", *(a.format(old=old, new=new) for a in argv)],
                              stdout=full, stderr=subprocess.PIPE, text=True, cwd=tmp_path, timeout=120,
                              env=hostile.cli_env(DIRECTORY_BUILDER_CACHE_DIR=str(tmp_path / "cache")))
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr and "unexpected problem" not in proc.stderr, proc.stderr
    assert "there is no space left" in proc.stderr.strip().splitlines()[-1], proc.stderr
