"""What an output is: a name, the files it writes, its warm-up and ``render(view, options) -> {path: bytes}``.

An output never writes a file: it returns bytes per path, and ``build`` (or ``export``) hands them to
``util/storage.py``. Cache work (fonts cut, QR symbols encoded and stored) is done in ``warm_up`` (once per
process) and ``prepare`` (once per job, before ``render``): ``render`` itself only reads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal

from directory_builder.publish.view import DistrictView, IndexEntry, IndexLink, PublishedDirectory
from directory_builder.render.options import RenderOptions

#: district: one file per (district, language); directory: the index, one file for the whole output folder,
#: made from the lines of every district (``IndexView``); export: what the ``export`` command writes.
Scope = Literal["district", "directory", "export"]


@dataclass(frozen=True)
class IndexView:
    """What index.html is made from: its lines, its title and the directory's languages."""

    entries: Sequence[IndexEntry]
    title: str
    lang: str
    languages: Sequence[str]
    quick_exit: str | None = None  # the workbook's quick-exit page in ``lang``, if it set one


#: What an export is made from: one edition's published directory (``selection.published_directory``).
ExportView = PublishedDirectory


class Output:
    """One kind of file the tool makes. A new output is a subclass in its own module, registered by one
    line in ``outputs/__init__.py``; build, the index, the manifest and the command line then know it."""

    #: The manifest's ``kind`` of its files, and the name it is registered under.
    name: ClassVar[str]
    #: The ``--format`` value that asks for it (the pocket card comes with ``pdf``).
    format: ClassVar[str]
    scope: ClassVar[Scope] = "district"
    #: district outputs: the file is ``<lang>/<district-slug><suffix>``; directory outputs: the file name.
    suffix: ClassVar[str] = ""
    #: How index.html links it, or None when it is not linked.
    link: ClassVar[IndexLink | None] = None
    #: The manifest records the page count of each file (PDF).
    counts_pages: ClassVar[bool] = False
    #: The manifest records how many entries the file shows.
    counts_entries: ClassVar[bool] = False
    #: Made only when ``--format`` names it: not part of the default build.
    opt_in: ClassVar[bool] = False

    def manifest_facts(self, data: bytes) -> Mapping[str, Any]:
        """More facts about one of its files for manifest.json (the message's SMS segments), from its bytes."""
        return {}

    def wanted(self, formats: Sequence[str], options: Any = None) -> bool:
        """Whether a build with these ``--format`` values (and build ``options``) makes this output."""
        return self.format in formats

    def unavailable(self) -> str | None:
        """Why this output cannot be made on this machine (a sentence saying how to fix it), or None.
        Asked before a build that wants it starts, so it fails at once instead of in every district."""
        return None

    def path(self, key: str) -> str:
        """The file of the job ``key`` ('id/jakarta-utara'), relative to the output folder."""
        return key + self.suffix if self.scope == "district" else self.suffix

    def warm_up(self, options: RenderOptions) -> None:
        """Once per process, before the first job: load or make what every job needs (fonts, styles)."""

    def prepare(self, view: Any, options: RenderOptions) -> None:
        """Once per job, before ``render``: the job's cache work (QR symbols), so rendering only reads."""

    def check_templates(self, options: RenderOptions, sample: DistrictView | None) -> None:
        """Read the user's template folder once before anything is drawn (ValueError naming a bad file)."""

    def render(self, view: Any, options: RenderOptions) -> Mapping[str, bytes]:
        """The output's files for ``view``: {path relative to the output folder: bytes}. Pure."""
        raise NotImplementedError


class DistrictOutput(Output):
    """An output with one file per (district, language)."""

    def render(self, view: DistrictView, options: RenderOptions) -> Mapping[str, bytes]:
        return {self.path(f"{view.lang}/{view.district_slug}"): self.render_bytes(view, options)}

    def render_bytes(self, view: DistrictView, options: RenderOptions) -> bytes:
        raise NotImplementedError


class LanguageOutput(Output):
    """One file per language that joins the files a district output made for every district of that
    language (``joins``: that output's name), in district order: made by ``build`` in the main process once the
    districts are written, from their bytes, so it holds exactly what they hold."""

    scope: ClassVar[Scope] = "directory"
    joins: ClassVar[str]

    def path(self, key: str) -> str:
        """The file of the language ``key``: ``suffix`` with ``{lang}`` filled in (a top-level file name,
        so it can never be taken for a district's file)."""
        return self.suffix.format(lang=key)

    def join(self, files: Sequence[bytes]) -> bytes:
        raise NotImplementedError


class ExportOutput(Output):
    """What ``directory-builder export --format NAME`` writes: one file, or a folder of files."""

    scope: ClassVar[Scope] = "export"
    #: The export is a folder of files (HSDS), not one file.
    folder: ClassVar[bool] = False
    #: The name of its one file in ``render``'s answer (the user chooses where it goes).
    example: ClassVar[str] = ""

    def check_destination(self, out: Path) -> None:
        """Refuse a destination that cannot hold this export (InputError), before the workbook is read."""

    def render(self, view: ExportView, options: RenderOptions | None = None) -> Mapping[str, bytes]:
        """A one-file export: {``example``: its bytes}; a folder export returns its files instead."""
        return {self.example: self.file_bytes(view)}

    def file_bytes(self, view: ExportView) -> bytes:
        raise NotImplementedError
