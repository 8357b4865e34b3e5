"""The output folder of ``build``: what the tool owns there, and the checks made before anything is written.

An output folder belongs to one edition and holds what directory-builder wrote into it, as its
``manifest.json`` lists it. So, before a build:

- a folder with a manifest of the other edition is refused (whatever ``--force`` says): a partial build
  would otherwise leave practitioner pages, with focal points' phones, beside public ones, under a manifest
  that calls them public;
- a folder that is not empty and has no manifest of this tool (none, malformed, of another shape, or a
  link) is someone else's: refused unless ``--force``;
- a file in the way of an output that the manifest does not list is refused by name unless ``--force``;
  files the manifest does not list are never removed;
- a symbolic link on the way to any output (``en -> elsewhere``), or an output that is a link, is refused
  always: a file is never written outside the folder. The folder the user names may itself be a link (that
  path is theirs); links inside it are not followed.

Files a build is about to write for the first time are listed under ``pending`` in the manifest before
they are drawn, so that a build stopped half-way (Ctrl-C, a crash) leaves only files the next build knows
as its own. New files honour the umask; the practitioner edition is readable by its owner only.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from directory_builder.i18n import _
from directory_builder.publish.view import Edition
from directory_builder.util.errors import OutputError
from directory_builder.util.oserrors import output_error
from directory_builder.util.storage import check_below, link_refused, make_folders, write_bytes

MANIFEST = "manifest.json"
TOOL = "directory-builder"
EDITIONS: tuple[Edition, ...] = ("public", "practitioners")
#: A district file's path before its output's suffix: '<lang>/<district-slug>'.
_DISTRICT_FILE = r"[a-z]{2,3}/[a-z0-9-]+"
#: Names that do not make a folder "not empty": our own temporary and lock files, and what file managers add.
_IGNORED = re.compile(r"^(\.(.*\.)?(part|lock|lock\.pid)|\.DS_Store|Thumbs\.db|desktop\.ini)$", re.IGNORECASE)


@dataclass
class OutputFolder:
    """What the folder holds before this build: the trusted manifest (or ``{}``) and the files it owns."""

    root: Path
    edition: Edition
    force: bool = False
    manifest: dict[str, Any] = field(default_factory=dict)
    listed: frozenset[str] = frozenset()
    pending: set[str] = field(default_factory=set)

    @property
    def private(self) -> bool:
        """The practitioner edition names focal points and their phones: readable by its owner only."""
        return self.edition == "practitioners"

    @property
    def owned(self) -> frozenset[str]:
        """Files this tool wrote here: listed by the manifest, or begun by a build that did not finish."""
        return self.listed | self.pending

    def write(self, rel: str, data: bytes) -> None:
        """Write one output atomically, never through a link, with the edition's file mode."""
        write_bytes(self.root / rel, data, root=self.root, private=self.private)

    def claim(self, planned: Iterable[str]) -> None:
        """Before drawing: refuse links and foreign files in the way, then record the new files as pending.

        Every path the manifest lists or this build will write is checked, so a refusal comes before any
        file is written.
        """
        paths = set(planned) | {MANIFEST}
        for rel in sorted(paths | self.owned):
            check_below(self.root, self.root / rel)
        if not self.force:
            for rel in sorted(paths - self.owned - {MANIFEST}):
                if os.path.lexists(self.root / rel):
                    raise OutputError(errno.EEXIST, _(
                        "'{path}' was not made by directory-builder (the folder's manifest.json does not list "
                        "it), and this build would replace it. Move it away, or choose another output folder, "
                        "or add --force to replace it.").format(path=self.root / rel))
        make_folders(self.root, private=self.private)
        new = paths - self.owned - {MANIFEST}
        if new:
            self.pending |= new
            claim = dict(self.manifest) or {"tool": TOOL, "edition": self.edition, "files": [], "jobs": []}
            claim["pending"] = sorted(self.pending)
            self.write(MANIFEST, (json.dumps(claim, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode())

    def remove_stale(self, keep: Collection[str]) -> None:
        """Delete the district files this tool wrote here that this build no longer produces (a removed
        district); never a file the manifest does not list, never through a link."""
        for rel in sorted(self.owned):
            if rel in keep or not removable(rel):
                continue
            path = self.root / rel
            try:
                check_below(self.root, path)
                if stat.S_ISREG(os.lstat(path).st_mode):
                    path.unlink()
            except OSError:
                continue  # a link or something odd in its place: left alone (claim() refused links already)

    def still_pending(self, listed: Collection[str]) -> list[str]:
        """Files this tool owns here that the new manifest does not list (a failed district's last good
        files, the rest of a partial build): they stay the tool's, so the next build may replace them."""
        out = []
        for rel in sorted(self.owned - set(listed) - {MANIFEST}):
            with contextlib.suppress(OSError):
                if stat.S_ISREG(os.lstat(self.root / rel).st_mode):
                    out.append(rel)
        return out


def removable(rel: str) -> bool:
    """Whether ``rel`` is a district file a registered output writes ('en/kota-bandung.card.pdf'): only
    these are ever removed (when the manifest lists them)."""
    from directory_builder.outputs import suffix_pattern

    return re.fullmatch(_DISTRICT_FILE + suffix_pattern("district"), rel) is not None


def inspect(out: Path, edition: Edition, *, force: bool = False) -> OutputFolder:
    """Look at the output folder before the workbook is read (nothing is written): refuse a folder of the
    other edition, someone else's folder (unless ``force``), a file where the folder should be."""
    root = Path(out)
    folder = OutputFolder(root, edition, force)
    if not os.path.lexists(root):
        return folder
    if not root.is_dir():
        raise OutputError(errno.ENOTDIR, _("The output folder '{path}' is a file. Give the name of a folder with "
                                           "--out.").format(path=root))
    manifest_path = root / MANIFEST
    try:
        info: os.stat_result | None = os.lstat(manifest_path)
    except OSError:
        info = None
    if info is not None and stat.S_ISLNK(info.st_mode):
        raise link_refused(manifest_path)
    manifest = trusted_manifest(manifest_path) if info is not None and stat.S_ISREG(info.st_mode) else None
    if manifest is None:
        try:
            foreign = not force and _has_content(root)
        except OSError as exc:  # a folder we may not read: one sentence, not a traceback
            plain = output_error(root, exc)
            if plain is exc:
                raise
            raise plain from exc
        if foreign:
            raise OutputError(errno.EEXIST, _(
                "The folder '{path}' is not empty and was not made by directory-builder (it has no manifest.json "
                "of this tool). Choose a new or empty folder, or add --force to build into it (files "
                "directory-builder did not make are never removed).").format(path=root))
        return folder
    if manifest["edition"] != edition:
        raise OutputError(errno.EEXIST, _(
            "The folder '{path}' holds a directory built with --edition {held}, and an output folder holds one "
            "edition only. Build --edition {wanted} into another folder, for example --out {suggestion}.").format(
            path=root, held=manifest["edition"], wanted=edition, suggestion=f"{root}-{edition}"))
    folder.manifest = manifest
    folder.listed = frozenset(f["path"] for f in manifest["files"])
    folder.pending = set(manifest.get("pending", []))
    return folder


def trusted_manifest(path: Path) -> dict[str, Any] | None:
    """The manifest at ``path`` if it is one this tool wrote (its shape, not its signature: the folder is the
    user's), else None. A planted or damaged manifest must not make its files look like ours."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(64 * 1024 * 1024 + 1)
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("tool") != TOOL or data.get("edition") not in EDITIONS:
        return None
    files, jobs, pending = data.get("files"), data.get("jobs", []), data.get("pending", [])
    if not isinstance(files, list) or not isinstance(jobs, list) or not isinstance(pending, list):
        return None
    if not all(isinstance(f, dict) and _safe_relative(f.get("path")) for f in files):
        return None
    if not all(isinstance(j, dict) and isinstance(j.get("key"), str) for j in jobs):
        return None
    if not all(_safe_relative(p) for p in pending):
        return None
    return data


def _safe_relative(value: object) -> bool:
    """A plain relative path below the folder: no '..', no absolute path, no backslash or drive."""
    if not isinstance(value, str) or not value or "\\" in value or ":" in value or "\x00" in value:
        return False
    path = PurePosixPath(value)
    return not path.is_absolute() and ".." not in path.parts and path.as_posix() == value and value != MANIFEST


def _has_content(root: Path) -> bool:
    with os.scandir(root) as entries:
        return any(not _IGNORED.match(entry.name) for entry in entries)
