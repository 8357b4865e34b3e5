"""Orchestration: validate, select, render every (district, language) job, write atomically, manifest.

What is made comes from the output registry (``outputs/``): each district output's files per job, the
directory outputs (the index) once, each listed in the manifest under its name. Renderers are pure
functions of (view, options); their cache work is done in each output's warm-up and ``prepare`` step, and
every file is written by ``util/storage.py`` (through ``outfolder.py``). Jobs run in worker
processes (fonts and styles load once per process); a district whose inputs did not change since the last
build (same input hash in manifest.json and the same files on disk) is not rendered again. One failing
district is reported and the others still finish.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import dataclasses
import datetime as dt
import gc
import hashlib
import itertools
import json
import os
import stat
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from directory_builder import __version__
from directory_builder.build.filestamps import FileStamps
from directory_builder.build.guard import build_lock, die_with_parent
from directory_builder.build.outfolder import inspect, removable
from directory_builder.check.validate import ValidationResult, validate_workbook
from directory_builder.i18n import _, catalog_folders, use_catalog_folders, use_language
from directory_builder.model import Directory
from directory_builder.outputs import (
    REGISTRY,
    IndexView,
    LanguageOutput,
    Output,
    Scope,
    default_build_formats,
    outputs,
)
from directory_builder.publish.selection import (
    Planned,
    index_texts,
    plan,
    planned_view,
    published_neutral_title,
)
from directory_builder.publish.view import DistrictView, Edition, IndexEntry
from directory_builder.render.options import Paper, RenderOptions
from directory_builder.util import startmethod
from directory_builder.util.fingerprint import tool_digest
from directory_builder.util.gcpause import freezes_undone
from directory_builder.util.storage import check_below, make_folders
from directory_builder.util.templates_path import search_path

MANIFEST = "manifest.json"
#: Marks an option that does not change what is drawn (where, how fast, what to check again): it is left
#: out of the input hash. Every other field, including one added later, is in it (``_options_digest``).
NOT_AN_INPUT = {"input": False}


@dataclass(frozen=True)
class BuildOptions:
    out: Path = field(default=Path("directory"), metadata=NOT_AN_INPUT)
    formats: tuple[str, ...] = field(default_factory=default_build_formats)
    # Which jobs are made; each job's language and district are in its own hash.
    languages: tuple[str, ...] | None = field(default=None, metadata=NOT_AN_INPUT)
    districts: tuple[str, ...] | None = field(default=None, metadata=NOT_AN_INPUT)
    paper: Paper = "a5"
    edition: Edition = "public"
    # The rows left out change each job's services, which are in its hash.
    skip_invalid: bool = field(default=False, metadata=NOT_AN_INPUT)
    jobs: int | None = field(default=None, metadata=NOT_AN_INPUT)  # None: the number of cores
    template_dirs: tuple[Path, ...] = ()
    neutral_title: bool = False
    incremental: bool = field(default=True, metadata=NOT_AN_INPUT)
    pocket_card: bool = True
    # Reuse rows checked by an earlier run (rowcache.py); the command line sets it.
    row_cache: bool = field(default=False, metadata=NOT_AN_INPUT)
    # Build into a folder, or over files, that this tool did not make (outfolder.py).
    force: bool = field(default=False, metadata=NOT_AN_INPUT)
    print_shop: bool = False
    creep_mm: float = 0.0

    def render_options(self) -> RenderOptions:
        from directory_builder.render.share_panel import SHARED_ON_PAGE

        return RenderOptions(paper=self.paper, template_dirs=self.template_dirs, neutral_title=self.neutral_title,
                             print_shop=self.print_shop, creep_mm=self.creep_mm,
                             share=tuple(f for f in SHARED_ON_PAGE if f in self.formats))


@dataclass(frozen=True)
class Failure:
    district: str
    lang: str
    message: str


@dataclass
class BuildResult:
    validation: ValidationResult
    out: Path | None = None
    files: list[dict[str, Any]] = field(default_factory=list)
    rebuilt: list[tuple[str, str]] = field(default_factory=list)  # (district slug, lang)
    reused: list[tuple[str, str]] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    skipped_rows: list[int] = field(default_factory=list)

    @property
    def built(self) -> bool:
        return self.out is not None


@dataclass(frozen=True)
class _Job:
    view: DistrictView
    options: RenderOptions
    made: tuple[Output, ...]  # the district outputs this build makes
    input_hash: str

    @property
    def key(self) -> str:
        return f"{self.view.lang}/{self.view.district_slug}"

    def outputs(self) -> dict[str, Output]:
        return _outputs(self.key, self.made)


def _wanted(options: BuildOptions, scope: Scope) -> tuple[Output, ...]:
    """The registered outputs of ``scope`` that this build's ``--format`` values (and options) ask for."""
    return tuple(o for o in outputs(scope) if o.wanted(options.formats, options))


def _check_available(options: BuildOptions) -> None:
    """An output this machine cannot make (an optional library missing) stops the build before it starts."""
    from directory_builder.util.errors import InputError

    for output in (*_wanted(options, "district"), *_wanted(options, "directory")):
        reason = output.unavailable()
        if reason:
            raise InputError(reason)


def _outputs(base: str, made: Sequence[Output]) -> dict[str, Output]:
    """path relative to the output folder -> its output, for the job ``base`` ('id/jakarta-utara')."""
    return {output.path(base): output for output in made}


ProgressCallback = Callable[[int, int, str], None]


def build_directory(workbook: str | Path, options: BuildOptions, *, today: dt.date | None = None,
                    progress: ProgressCallback | None = None) -> BuildResult:
    """Validate first; with errors build nothing (unless skip_invalid), else write every file."""
    _check_available(options)
    # A freeze of the collector (gcpause.py, and while drawing below) lasts until this call returns.
    with catalog_folders(options.template_dirs), freezes_undone(), _Workers(options.jobs, _wanted(options, "district"), options.render_options()) as workers, \
            contextlib.ExitStack() as guard:
        return _build(workbook, options, today, progress, workers, guard)


def _build(workbook: str | Path, options: BuildOptions, today: dt.date | None, progress: ProgressCallback | None,
           workers: _Workers, guard: contextlib.ExitStack) -> BuildResult:
    first_look = inspect(options.out, options.edition, force=options.force)  # before the workbook is read
    validation = validate_workbook(workbook, today=today, cache=options.row_cache, reuse=options.incremental)
    result = BuildResult(validation)
    if validation.directory is None or (validation.errors and not options.skip_invalid):
        return result
    directory = validation.directory
    exclude = sorted(validation.invalid_rows) if options.skip_invalid else []
    result.skipped_rows = exclude
    _check_scope(directory, options)
    _check_templates(options, options.languages or tuple(directory.settings.languages), directory, exclude)
    items = plan(directory, edition=options.edition, languages=options.languages, districts=options.districts,
                 exclude_rows=exclude)
    out = Path(options.out)
    make_folders(out, private=first_look.private)
    # From reading the last manifest to writing the new one, this build alone writes here (build/guard.py).
    # Taken after the workers started, so that they do not hold it open if this process is killed.
    guard.enter_context(build_lock(out))
    # Looked at again under the lock: another build may have changed the folder since the first look.
    folder = inspect(out, options.edition, force=options.force)
    stamps = FileStamps(out)
    render_options = options.render_options()
    made = _wanted(options, "district")
    index_output = _index_output() if _index_output().wanted(options.formats, options) else None
    joined = tuple(o for o in _wanted(options, "directory") if isinstance(o, LanguageOutput))
    languages = tuple(options.languages or directory.settings.languages)
    folder.claim([*(rel for item in items for rel in _outputs(item.key, made)),
                  *([index_output.path("")] if index_output is not None else []),
                  *(o.path(lang) for o in joined for lang in languages)])
    hasher = _InputHasher(directory, validation, render_options, options)
    # Read with --full too: the files it lists and this build no longer makes are removed, not forgotten.
    previous = folder.manifest
    prev_jobs: dict[str, dict[str, Any]] = {j["key"]: j for j in previous.get("jobs", []) if isinstance(j, dict)}
    prev_files: dict[str, dict[str, Any]] = {f["path"]: f for f in previous.get("files", []) if isinstance(f, dict)}
    reuse_jobs = prev_jobs if options.incremental else {}
    files: list[dict[str, Any]] = []
    job_entries: list[dict[str, Any]] = []
    failed_outputs: set[str] = set()
    todo: list[tuple[Planned, str]] = []
    for item in items:
        input_hash = hasher.input_hash(item)
        reusable = _reusable(stamps, _outputs(item.key, made), input_hash,
                             reuse_jobs.get(item.key), prev_files)
        if reusable is None:
            todo.append((item, input_hash))
        else:
            files.extend(reusable)
            job_entries.append(_job_entry_from(prev_jobs[item.key]))
            result.reused.append((item.district.slug, item.lang))
    done = 0
    total = len(todo)
    kept_files: list[dict[str, Any]] = []
    kept_jobs: list[dict[str, Any]] = []
    if options.districts or options.languages:
        # A partial build: the other districts and languages stay as they are, and stay in the manifest.
        in_scope = {item.key for item in items}
        making = {rel for item in items for rel in _outputs(item.key, made)}
        kept_files, kept_jobs = _kept(out, stamps, prev_files, prev_jobs, in_scope, making)

    def make_job(item: Planned, input_hash: str) -> _Job:
        view = planned_view(directory, item, options.edition)
        if options.neutral_title:
            view = dataclasses.replace(view, title=published_neutral_title(directory, view.lang))
        return _Job(view, render_options, made, input_hash)

    # A view is made only when its job is handed to a worker, and dropped once its files are written: at
    # 100,000 rows, the views of every district at once took 400 MB. (A rebuild after one correction
    # makes two or three views, not two hundred.)
    results = workers.run(make_job(item, input_hash) for item, input_hash in todo)
    index: tuple[str, dict[str, bytes] | None] | None = None
    index_previous = previous if options.incremental else {}
    if index_output is not None:
        # Made while the workers draw (again below only if a district failed: its links may change), and
        # not at all when its lines are those of the index on disk.
        everything = plan(directory, edition=options.edition, exclude_rows=exclude)
        expected = {rel for item, _hash in todo for rel in _outputs(item.key, made)}
        index = _index(everything, out, expected, options, directory, hasher, index_previous, prev_files,
                       stamps, folder.owned)
    for job, rendered, error in results:
        done += 1
        if progress:
            progress(done, total, f"{job.view.district} ({job.view.lang})")
        if error is not None:
            result.failures.append(Failure(job.view.district, job.view.lang, error))
            failed_outputs.update(job.outputs())  # the files of the last good build stay
            files.extend(_last_good(out, stamps, job.outputs(), prev_files))
            continue
        assert rendered is not None
        for rel, output in job.outputs().items():
            data = rendered[rel]
            folder.write(rel, data)
            entry = _file_entry(rel, output, data, job)
            stamps.wrote(rel, entry["sha256"])
            files.append(entry)
        job_entries.append(_job_entry(job))
        result.rebuilt.append((job.view.district_slug, job.view.lang))
    index_hash: str | None = None
    if index is not None and index_output is not None:
        if result.failures:
            index = _index(everything, out, {f["path"] for f in files}, options, directory, hasher,
                           index_previous, prev_files, stamps, folder.owned)
        index_hash, index_files = index
        if index_files is None:
            files.append(prev_files[index_output.path("")])
        for rel, data in (index_files or {}).items():
            folder.write(rel, data)
            files.append({"path": rel, "kind": index_output.name, "sha256": _sha(data), "bytes": len(data)})
            stamps.wrote(rel, files[-1]["sha256"])
    produced = {f["path"] for f in files} | failed_outputs
    if options.districts or options.languages:
        files.extend(kept_files)
        produced |= {f["path"] for f in kept_files}
    else:
        folder.remove_stale(produced)
    for entry in _joined_files(out, joined, files, folder.write):
        stamps.wrote(entry["path"], entry["sha256"])
        files.append(entry)
    files.sort(key=lambda f: f["path"])
    manifest = _manifest(directory.settings, options, [*job_entries, *kept_jobs], files, result.failures, exclude,
                         index_hash, pending=folder.still_pending({f["path"] for f in files}))
    # Last: it describes exactly the files now on disk. A build stopped before this line leaves the last
    # manifest, which may not match every file; the next build checks their bytes before reusing any.
    folder.write(MANIFEST, manifest)
    stamps.save({f["path"] for f in files})
    result.files = files
    result.out = out
    return result


def _check_scope(directory: Any, options: BuildOptions) -> None:
    """``--lang`` and ``--district`` must name what the workbook has (one plain sentence, exit 2)."""
    from directory_builder.util.errors import InputError

    unknown = [lang for lang in (options.languages or ()) if lang not in directory.settings.languages]
    if unknown:
        raise InputError(
            _("The language '{lang}' is not in the workbook's Languages setting ({known}).").format(
                lang=unknown[0], known=", ".join(directory.settings.languages))
        )
    if options.districts:
        from directory_builder.util.names import match_key

        names = {match_key(d.name) for d in directory.districts} | {d.slug for d in directory.districts}
        missing = [d for d in options.districts if match_key(d) not in names and d not in names]
        if missing:
            raise InputError(_("There is no district '{name}' on the Districts sheet.").format(name=missing[0]))


def _check_templates(options: BuildOptions, languages: Sequence[str], directory: Any = None,
                     exclude: Sequence[int] = ()) -> None:
    """Your own template folder is read once before anything is drawn: a broken file there would break every
    district, so it is named once, in a sentence, instead of once per district as a program error. Its icons
    are parsed, and its web pages rendered once (one district and the index) to refuse anything they would
    load from outside the page."""
    if not options.template_dirs:
        return  # the built-in templates are tested
    from directory_builder.publish.content import load_front_matter
    from directory_builder.util.errors import InputError

    try:
        sample = None
        if directory is not None:
            first = plan(directory, edition=options.edition, languages=options.languages,
                         districts=options.districts, exclude_rows=exclude)[:1]
            sample = planned_view(directory, first[0], options.edition) if first else None
        for lang in languages:
            load_front_matter(lang, options.template_dirs)
        from directory_builder.render.icons import check_icons

        check_icons(options.template_dirs)
        # Last: a page rendered with a broken icon would name the page instead of the icon.
        for output in (*_wanted(options, "district"), *_wanted(options, "directory")):
            output.check_templates(options.render_options(), sample)
    except Exception as exc:
        reason = " ".join(str(exc).split())
        raise InputError(
            _("A file in your template folder cannot be used: {reason} Fix it, or remove it to use the built-in "
              "one.").format(reason=reason[:400].rstrip(".") + ".")
        ) from exc


# ------------------------------------------------------------------------------------------- jobs


class _Workers:
    """The render processes, started before the workbook is checked.

    Started first, they load fonts, styles and templates while the main process reads and validates (at
    national scale both take about a second), so a rebuild of one district starts drawing at once. With
    one job (``--jobs 1``, or one core) everything runs in this process. Forked on Linux, spawned elsewhere
    (``util/startmethod.py``): everything a worker gets (the outputs, the options, each job) is pickled,
    and it assumes no state of this process beyond what it imports.
    """

    def __init__(self, max_workers: int | None, made: tuple[Output, ...] = (),
                 options: RenderOptions | None = None) -> None:
        self.count = max(1, max_workers or os.cpu_count() or 1)
        self._pool: cf.ProcessPoolExecutor | None = None
        self._warm = (made, options or RenderOptions())

    def __enter__(self) -> _Workers:
        if self.count > 1:
            ctx = startmethod.context()
            # A forkserver's workers are children of the fork server, not of this process (see _worker_init).
            parent = None if ctx.get_start_method() == "forkserver" else os.getpid()
            self._pool = cf.ProcessPoolExecutor(max_workers=self.count, mp_context=ctx, initializer=_worker_init,
                                                initargs=(parent, *self._warm))
            self._pool.submit(_ready)  # the first task starts every worker (and its warm-up) now
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def run(self, jobs: Iterable[_Job]) -> Iterator[tuple[_Job, dict[str, bytes] | None, str | None]]:
        """Hand the first jobs to the workers now; the results come as they are done (in this process: one
        by one, as the iterator is read). ``jobs`` is read as workers become free, a few jobs ahead, so
        only those jobs (and their views) are in memory at a time."""
        # The views and the model are hundreds of thousands of long-lived objects: keep the garbage
        # collector from walking them again and again while pages are laid out. No gc.collect() first:
        # it would walk them all once more (0.5 s at national scale) to find no garbage.
        gc.freeze()
        if self._pool is None:
            return self._in_process(iter(jobs), *self._warm)
        queue = iter(jobs)
        futures: dict[cf.Future[Any], _Job] = {}
        self._submit(queue, futures)  # the workers start drawing while the caller goes on
        return self._collect(queue, futures)

    @staticmethod
    def _in_process(jobs: Iterator[_Job], made: tuple[Output, ...],
                    options: RenderOptions) -> Iterator[tuple[_Job, dict[str, bytes] | None, str | None]]:
        first = next(jobs, None)
        if first is None:
            return
        _warm_up(made, options)
        for job in itertools.chain((first,), jobs):
            yield (job, *_render_job_safe(job))

    def _submit(self, queue: Iterator[_Job], futures: dict[cf.Future[Any], _Job]) -> None:
        """Keep every worker busy with one job and one more waiting (a view is made just before)."""
        assert self._pool is not None
        while len(futures) < 2 * self.count:
            job = next(queue, None)
            if job is None:
                return
            futures[self._pool.submit(_render_job_safe, job)] = job

    def _collect(self, queue: Iterator[_Job],
                 futures: dict[cf.Future[Any], _Job]) -> Iterator[tuple[_Job, dict[str, bytes] | None, str | None]]:
        try:
            while futures:
                done, _running = cf.wait(futures, return_when=cf.FIRST_COMPLETED)
                for future in done:
                    job = futures.pop(future)  # the caller writes the bytes; don't keep every result alive
                    try:
                        rendered, error = future.result()
                    except Exception as exc:  # a worker died (out of memory, killed)
                        rendered, error = None, f"{type(exc).__name__}: {exc}"
                    yield job, rendered, error
                self._submit(queue, futures)
        except KeyboardInterrupt:
            for f in futures:
                f.cancel()
            raise


def _ready() -> None:
    """Nothing: submitted once so that the pool starts its workers before there is work."""


def _worker_init(parent: int | None, made: tuple[Output, ...], options: RenderOptions) -> None:
    """Workers leave Ctrl-C to the main process, which cancels the queue and stops cleanly (no worker
    tracebacks). SIGTERM ends a worker as it always did (the main process turns it into Ctrl-C for itself
    only), and a worker ends with the main process even when that one is killed outright. ``parent`` is
    None with ``forkserver``: the worker's parent is the fork server, which ends with the main process."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if parent is not None:
        die_with_parent(parent)
    use_catalog_folders(options.template_dirs)  # a spawned worker starts with none
    _warm_up(made, options)


def _warm_up(made: Sequence[Output], options: RenderOptions) -> None:
    """Each output's warm-up, once per process before the first job (fonts, styles, templates)."""
    for output in made:
        with contextlib.suppress(Exception):  # a broken font must surface as a job failure, with its message
            output.warm_up(options)


def _render_job_safe(job: _Job) -> tuple[dict[str, bytes] | None, str | None]:
    try:
        _prepare_job(job)
        return _render_job(job), None
    except Exception as exc:
        if os.environ.get("DIRECTORY_BUILDER_DEBUG"):
            traceback.print_exc()
        return None, f"{type(exc).__name__}: {exc}"


def _prepare_job(job: _Job) -> None:
    """The job's cache work (QR symbols), before anything is drawn: rendering only reads the caches."""
    for output in job.made:
        output.prepare(job.view, job.options)


def _render_job(job: _Job) -> dict[str, bytes]:
    """{path: bytes} of every file of the job, each output rendered in the job's language."""
    rendered: dict[str, bytes] = {}
    with use_language(job.view.lang):
        for output in job.made:
            rendered.update(output.render(job.view, job.options))
    return rendered


# ------------------------------------------------------------------------------------------- manifest


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(type(value).__name__)


class _InputHasher:
    """Everything one district's files depend on, hashed without making its view.

    The view of a (district, language) is a function of the settings, the district's row, the edition's
    services shown there, the options, the templates and the tool (code, catalogs, built-in templates and
    the libraries that draw). Each service counts through the digest validation made of its row's cells
    and their context (free, where hashing every service would take 0.4 s at national scale), plus its ID,
    which can change after the row check; a service without one (made by other code) is hashed whole.
    Today's date is not an input: an unchanged directory built the next night reuses every file.
    """

    def __init__(self, directory: Any, validation: ValidationResult, render: RenderOptions,
                 options: BuildOptions) -> None:
        self._row_digests = validation.row_digests
        self._services: dict[int, str] = {}
        self.common = _sha(json.dumps({
            "settings": _sha(repr(directory.settings).encode("utf-8")),
            "options": _options_digest(options),
            "render": _options_digest(render),
            "templates": _templates_digest(options.template_dirs),
            "tool": tool_digest(),
        }, sort_keys=True).encode("utf-8"))

    def _service(self, service: Any) -> str:
        digest = self._services.get(id(service))
        if digest is None:
            row = self._row_digests.get(service.row)
            # The ID is set after the row check when generated IDs clash, so it is added to the row's digest.
            digest = f"{row}:{service.id}" if row else _sha(repr(service).encode("utf-8"))
            self._services[id(service)] = digest
        return digest

    def input_hash(self, item: Planned) -> str:
        digest = hashlib.sha256(self.common.encode())
        digest.update(repr((item.lang, item.district)).encode("utf-8"))
        for service in item.services:
            digest.update(self._service(service).encode())
            digest.update(b"\n")
        return digest.hexdigest()


def _options_digest(options: Any) -> str:
    """A hash of every field of an options dataclass (its subclasses' too), walked, not listed by hand: an
    option added later changes the hash, so files drawn without it are never reused. Only fields marked
    ``NOT_AN_INPUT`` (where to write, how many processes) are left out; lists of formats are sorted."""
    values: dict[str, Any] = {}
    for spec in dataclasses.fields(options):
        if spec.metadata.get("input", True):
            value = getattr(options, spec.name)
            values[spec.name] = sorted(value) if spec.name == "formats" else value
    return _sha(json.dumps([type(options).__name__, values], sort_keys=True, default=_json_default).encode("utf-8"))


def _templates_digest(template_dirs: Sequence[Path]) -> str:
    """A hash of every template file that could be used (user folders and the built-in ones)."""
    digest = hashlib.sha256()
    for base in search_path(template_dirs):
        if not base.is_dir():
            continue
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            digest.update(path.relative_to(base).as_posix().encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _reusable(stamps: FileStamps, made: dict[str, Output], input_hash: str, prev: dict[str, Any] | None,
              prev_files: dict[str, dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The manifest entries of the earlier files, when they can stand for this build's: same inputs, and
    every file still there with exactly the bytes the manifest records. The size alone is not enough: a
    build that was stopped, or ran beside another, leaves pages of the same size with other phone numbers.
    The bytes are read again only when the file system's record of the file changed (filestamps.py): at
    national scale hashing every file would read 150 MB on every rebuild."""
    if not prev or prev.get("input_hash") != input_hash:
        return None
    entries = []
    for rel in made:
        entry = prev_files.get(rel)
        if not stamps.matches(rel, entry):
            return None
        assert entry is not None
        entries.append(entry)
    return entries


def _last_good(out: Path, stamps: FileStamps, outputs: Any, prev_files: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """A district that failed keeps the files of the last good build, listed as they were. A file of its
    name that is not that (left by a stopped build: maybe another workbook's numbers) is removed."""
    kept = []
    for rel in outputs:
        if stamps.matches(rel, prev_files.get(rel)):
            kept.append(prev_files[rel])
        else:
            _remove_output(out, rel)
    return kept


def _kept(out: Path, stamps: FileStamps, prev_files: dict[str, dict[str, Any]], prev_jobs: dict[str, dict[str, Any]],
          in_scope: set[str], making: set[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A partial build's view of what it does not make (``making``: the files of the districts and
    languages in scope): (those files, the other jobs) as the last manifest lists them, but only files
    whose bytes are still those. Any other is removed, and its district's job forgotten, so the next build
    that includes it makes it again."""
    files: list[dict[str, Any]] = []
    dropped: set[str] = set()
    for rel in sorted(prev_files):
        entry = prev_files[rel]
        key = rel.split(".", 1)[0]
        if entry.get("kind") in _DIRECTORY_KINDS or rel in making:  # made again by every build that makes them
            continue
        if stamps.matches(rel, entry):
            files.append(entry)
        else:
            dropped.add(key)
            _remove_output(out, rel)
    jobs = [j for k, j in prev_jobs.items() if k not in in_scope and k not in dropped]
    return files, jobs


#: The kinds of the directory outputs (the index, the per-language files): never kept as they were.
_DIRECTORY_KINDS = frozenset(o.name for o in outputs("directory"))


def _joined_files(out: Path, joined: Sequence[LanguageOutput], files: Sequence[dict[str, Any]],
                  write: Callable[[str, bytes], None]) -> list[dict[str, Any]]:
    """Each per-language output's file (``LanguageOutput``), joined from the district files of its language
    that the manifest will list (made now, reused or kept: on disk with the recorded bytes), in path order."""
    entries = []
    for output in joined:
        by_lang: dict[str, list[str]] = {}
        for entry in sorted(files, key=lambda f: f["path"]):
            if entry.get("kind") == output.joins and entry.get("lang"):
                by_lang.setdefault(entry["lang"], []).append(entry["path"])
        for lang, paths in sorted(by_lang.items()):
            rel = output.path(lang)
            data = output.join([(out / path).read_bytes() for path in paths])
            write(rel, data)
            entry = {"path": rel, "kind": output.name, "lang": lang, "sha256": _sha(data), "bytes": len(data)}
            if output.counts_pages:
                from directory_builder.render.pdfcount import pdf_page_count

                entry["pages"] = pdf_page_count(data)
            entries.append(entry)
    return entries


def _remove_output(out: Path, rel: str) -> None:
    """Remove one of this tool's output files (never anything else, never through a link)."""
    if not removable(rel):
        return
    path = out / rel
    with contextlib.suppress(OSError):
        check_below(out, path)
        if stat.S_ISREG(os.lstat(path).st_mode):
            path.unlink()


_JOB_FIELDS = ("key", "district", "slug", "lang", "input_hash", "entries", "categories")


def _job_entry(job: _Job) -> dict[str, Any]:
    view = job.view
    return {"key": job.key, "district": view.district, "slug": view.district_slug, "lang": view.lang,
            "input_hash": job.input_hash, "entries": len(view.services),
            "categories": {s.category: len(s.services) for s in view.sections}}


def _job_entry_from(previous: dict[str, Any]) -> dict[str, Any]:
    """A reused job's entry, as the build that made its files wrote it (same inputs, so same values)."""
    return {k: previous.get(k) for k in _JOB_FIELDS}


def _file_entry(rel: str, output: Output, data: bytes, job: _Job) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "path": rel,
        "kind": output.name,
        "district": job.view.district,
        "lang": job.view.lang,
        "sha256": _sha(data),
        "bytes": len(data),
    }
    if output.counts_pages:
        from directory_builder.render.pdfcount import pdf_page_count

        entry["pages"] = pdf_page_count(data)
    if output.counts_entries:
        entry["entries"] = len(job.view.services)
    entry.update(output.manifest_facts(data))
    return entry


def _manifest(settings: Any, options: BuildOptions, jobs: Sequence[dict[str, Any]], files: list[dict[str, Any]],
              failures: Sequence[Failure], skipped_rows: Sequence[int], index_hash: str | None = None,
              pending: Sequence[str] = ()) -> bytes:
    """Deterministic: no timestamps, sorted keys and lists; the input hashes drive incremental builds.
    ``pending``: files this tool wrote here that are not listed (outfolder.py), so they stay its own."""
    payload = {
        "tool": "directory-builder",
        "version": __version__,
        "edition": options.edition,
        "published": settings.published.isoformat(),
        "paper": options.paper,
        "formats": sorted(options.formats),
        "jobs": sorted(jobs, key=lambda j: j["key"]),
        "files": files,
        "failed": [dataclasses.asdict(f) for f in failures],
        "skipped_rows": list(skipped_rows),
        "index_input_hash": index_hash,
    }
    if pending:
        payload["pending"] = list(pending)
    return (json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _index_entries(items: Sequence[Planned], out: Path, expected: set[str] | frozenset[str] = frozenset(),
                   owned: frozenset[str] | None = None) -> list[IndexEntry]:
    """Every district and language of the directory whose files are in ``out`` (a partial build keeps the
    rest), or are about to be (``expected``: the files being drawn), with a link to each file of every
    registered output that declares one. With ``owned``, a file on disk is linked only if this tool wrote
    it (outfolder.py): never a page it did not make."""
    linked = sorted((o for o in outputs("district") if o.link is not None),
                    key=lambda o: o.link.position if o.link is not None else 0)

    def there(rel: str) -> bool:
        return rel in expected or ((owned is None or rel in owned) and (out / rel).is_file())

    entries = []
    for item in items:
        links = tuple((o.path(item.key), o.link) for o in linked if o.link is not None and there(o.path(item.key)))
        if links:
            entries.append(IndexEntry(
                district=item.district.name, province=item.district.province, lang=item.lang, links=links,
                services=len(item.services),  # = len(view.services): each service once, under its first category
            ))
    return entries


def _index(items: Sequence[Planned], out: Path, expected: set[str] | frozenset[str], options: BuildOptions,
           directory: Directory, hasher: _InputHasher, previous: dict[str, Any],
           prev_files: dict[str, dict[str, Any]], stamps: FileStamps,
           owned: frozenset[str] | None = None) -> tuple[str, dict[str, bytes] | None]:
    """(input hash, {path: bytes} of the index), or (hash, None) when the index on disk was made from the
    same (and still has the bytes the manifest records)."""
    entries = _index_entries(items, out, expected, owned)
    lang = directory.settings.default_language
    with use_language(lang):
        title, quick_exit = index_texts(directory, lang, neutral=options.neutral_title)
    view = IndexView(entries, title, lang, directory.settings.languages, quick_exit)
    digest = _index_hash(view, hasher)
    path = _index_output().path("")
    if previous.get("index_input_hash") == digest and stamps.matches(path, prev_files.get(path)):
        return digest, None
    return digest, {path: _render_index(view, options)}


def _index_output() -> Output:
    """The index: the one directory output, made from the lines of every district (``IndexView``)."""
    return REGISTRY["index"]


def _index_hash(view: IndexView, hasher: _InputHasher) -> str:
    """What index.html is made from: its lines, title, languages and quick exit, options, templates, tool."""
    return _sha(repr((view, hasher.common)).encode("utf-8"))


def _render_index(view: IndexView, options: BuildOptions) -> bytes:
    with use_language(view.lang):
        (data,) = _index_output().render(view, options.render_options()).values()
        return data
