"""Orchestration: validate, select, render every (district, language) job, write atomically, manifest.

Renderers are pure functions of (view, options); this module owns the file system. Jobs run in worker
processes (fonts and styles load once per process); a district whose inputs did not change since the last
build (same input hash in manifest.json and the same files on disk) is not rendered again. One failing
district is reported and the others still finish.
"""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import datetime as dt
import gc
import hashlib
import itertools
import json
import os
import re
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from directory_builder import __version__
from directory_builder.atomic import write_bytes
from directory_builder.fingerprint import tool_digest
from directory_builder.i18n import _, gettext_, use_language
from directory_builder.render.options import Paper, RenderOptions
from directory_builder.selection import Planned, plan, planned_view
from directory_builder.templates_path import search_path
from directory_builder.validate import ValidationResult, validate_workbook
from directory_builder.view import DistrictView, Edition

FORMATS = ("pdf", "html")
MANIFEST = "manifest.json"
_OUTPUT_PATH = re.compile(r"^[a-z]{2,3}/[a-z0-9-]+(\.card)?\.(pdf|html)$")


@dataclass(frozen=True)
class BuildOptions:
    out: Path = Path("directory")
    formats: tuple[str, ...] = FORMATS
    languages: tuple[str, ...] | None = None
    districts: tuple[str, ...] | None = None
    paper: Paper = "a5"
    edition: Edition = "public"
    skip_invalid: bool = False
    jobs: int | None = None  # None: the number of cores
    template_dirs: tuple[Path, ...] = ()
    neutral_title: bool = False
    incremental: bool = True
    pocket_card: bool = True
    row_cache: bool = False  # reuse rows checked by an earlier run (rowcache.py); the command line sets it

    def render_options(self) -> RenderOptions:
        return RenderOptions(paper=self.paper, template_dirs=self.template_dirs, neutral_title=self.neutral_title)


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
    formats: tuple[str, ...]
    pocket_card: bool
    input_hash: str

    @property
    def key(self) -> str:
        return f"{self.view.lang}/{self.view.district_slug}"

    def outputs(self) -> dict[str, str]:
        return _outputs(self.key, self.formats, self.pocket_card)


def _outputs(base: str, formats: Sequence[str], pocket_card: bool) -> dict[str, str]:
    """kind -> path relative to the output folder, for the job ``base`` ('id/jakarta-utara')."""
    out: dict[str, str] = {}
    if "pdf" in formats:
        out["pdf"] = base + ".pdf"
        if pocket_card:
            out["card"] = base + ".card.pdf"
    if "html" in formats:
        out["html"] = base + ".html"
    return out


ProgressCallback = Callable[[int, int, str], None]


def build_directory(workbook: str | Path, options: BuildOptions, *, today: dt.date | None = None,
                    progress: ProgressCallback | None = None) -> BuildResult:
    """Validate first; with errors build nothing (unless skip_invalid), else write every file."""
    with _Workers(options.jobs) as workers:
        return _build(workbook, options, today, progress, workers)


def _build(workbook: str | Path, options: BuildOptions, today: dt.date | None, progress: ProgressCallback | None,
           workers: _Workers) -> BuildResult:
    validation = validate_workbook(workbook, today=today, cache=options.row_cache, reuse=options.incremental)
    result = BuildResult(validation)
    if validation.directory is None or (validation.errors and not options.skip_invalid):
        return result
    directory = validation.directory
    exclude = sorted(validation.invalid_rows) if options.skip_invalid else []
    result.skipped_rows = exclude
    _check_scope(directory, options)
    _check_templates(options, options.languages or tuple(directory.settings.languages))
    items = plan(directory, edition=options.edition, languages=options.languages, districts=options.districts,
                 exclude_rows=exclude)
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    render_options = options.render_options()
    formats = tuple(f for f in FORMATS if f in options.formats)
    hasher = _InputHasher(directory, validation, render_options, options)
    previous = _read_manifest(out) if options.incremental else {}
    prev_jobs: dict[str, dict[str, Any]] = {j["key"]: j for j in previous.get("jobs", []) if isinstance(j, dict)}
    prev_files: dict[str, dict[str, Any]] = {f["path"]: f for f in previous.get("files", []) if isinstance(f, dict)}
    files: list[dict[str, Any]] = []
    job_entries: list[dict[str, Any]] = []
    failed_outputs: set[str] = set()
    todo: list[tuple[Planned, str]] = []
    for item in items:
        input_hash = hasher.input_hash(item)
        reusable = _reusable(out, _outputs(item.key, formats, options.pocket_card), input_hash,
                             prev_jobs.get(item.key), prev_files)
        if reusable is None:
            todo.append((item, input_hash))
        else:
            files.extend(reusable)
            job_entries.append(_job_entry_from(prev_jobs[item.key]))
            result.reused.append((item.district.slug, item.lang))
    done = 0
    total = len(todo)
    # A view is made only when its job is handed to a worker, and dropped once its files are written: at
    # 100,000 rows, the views of every district at once took 400 MB. (A rebuild after one correction
    # makes two or three views, not two hundred.)
    jobs = (_Job(planned_view(directory, item, options.edition), render_options, formats, options.pocket_card,
                 input_hash) for item, input_hash in todo)
    results = workers.run(jobs)
    index: tuple[str, bytes | None] | None = None
    if "html" in options.formats:
        # Made while the workers draw (again below only if a district failed: its links may change), and
        # not at all when its lines are those of the index on disk.
        everything = plan(directory, edition=options.edition, exclude_rows=exclude)
        expected = {rel for item, _hash in todo for rel in _outputs(item.key, formats, options.pocket_card).values()}
        index = _index(everything, out, expected, options, directory.settings, hasher, previous, prev_files)
    for job, rendered, error in results:
        done += 1
        if progress:
            progress(done, total, f"{job.view.district} ({job.view.lang})")
        if error is not None:
            result.failures.append(Failure(job.view.district, job.view.lang, error))
            failed_outputs.update(job.outputs().values())  # the files of the last good build stay
            continue
        assert rendered is not None
        for kind, rel in job.outputs().items():
            data = rendered[kind]
            write_bytes(out / rel, data)
            files.append(_file_entry(rel, kind, data, job))
        job_entries.append(_job_entry(job))
        result.rebuilt.append((job.view.district_slug, job.view.lang))
    index_hash: str | None = None
    if index is not None:
        if result.failures:
            index = _index(everything, out, frozenset(), options, directory.settings, hasher, previous, prev_files)
        index_hash, index_bytes = index
        if index_bytes is None:
            files.append(prev_files["index.html"])
        else:
            write_bytes(out / "index.html", index_bytes)
            files.append({"path": "index.html", "kind": "index", "sha256": _sha(index_bytes), "bytes": len(index_bytes)})
    produced = {f["path"] for f in files} | failed_outputs
    kept_jobs: list[dict[str, Any]] = []
    if options.districts or options.languages:
        # A partial build: the other districts and languages stay as they are, and stay in the manifest.
        in_scope = {item.key for item in items}
        kept_jobs = [j for k, j in prev_jobs.items() if k not in in_scope]
        kept_paths = {p for p, f in prev_files.items() if p not in produced and f.get("kind") != "index"
                      and (out / p).is_file()}
        files.extend(prev_files[p] for p in sorted(kept_paths))
        produced |= kept_paths
    else:
        _remove_stale(out, prev_files, produced)
    files.sort(key=lambda f: f["path"])
    manifest = _manifest(directory.settings, options, [*job_entries, *kept_jobs], files, result.failures, exclude,
                         index_hash)
    write_bytes(out / MANIFEST, manifest)
    result.files = files
    result.out = out
    return result


def _check_scope(directory: Any, options: BuildOptions) -> None:
    """``--lang`` and ``--district`` must name what the workbook has (one plain sentence, exit 2)."""
    from directory_builder.errors import InputError

    unknown = [lang for lang in (options.languages or ()) if lang not in directory.settings.languages]
    if unknown:
        raise InputError(
            _("The language '{lang}' is not in the workbook's Languages setting ({known}).").format(
                lang=unknown[0], known=", ".join(directory.settings.languages))
        )
    if options.districts:
        names = {d.name.casefold() for d in directory.districts} | {d.slug for d in directory.districts}
        missing = [d for d in options.districts if d.casefold() not in names]
        if missing:
            raise InputError(_("There is no district '{name}' on the Districts sheet.").format(name=missing[0]))


def _check_templates(options: BuildOptions, languages: Sequence[str]) -> None:
    """Your own template folder is read once before anything is drawn: a broken file there would break every
    district, so it is named once, in a sentence, instead of once per district as a program error."""
    if not options.template_dirs:
        return  # the built-in templates are tested
    from directory_builder.content import load_front_matter
    from directory_builder.errors import InputError

    try:
        if "pdf" in options.formats:
            from directory_builder.render.pdf_style import load_style

            load_style(options.template_dirs)
        for lang in languages:
            load_front_matter(lang, options.template_dirs)
        if "html" in options.formats:
            from directory_builder.render.html import check_templates

            check_templates(options.template_dirs)
    except Exception as exc:
        reason = " ".join(str(exc).split())
        raise InputError(
            _("A file in your template folder cannot be used: {reason} Fix it, or remove it to use the built-in "
              "one.").format(reason=reason[:400].rstrip(".") + ".")
        ) from exc


# ------------------------------------------------------------------------------------------- jobs


class _Workers:
    """The render processes, started before the workbook is checked.

    Forked first, they load fonts, styles and templates while the main process reads and validates (at
    national scale both take about a second), so a rebuild of one district starts drawing at once. With
    one job (``--jobs 1``, or one core) everything runs in this process.
    """

    def __init__(self, max_workers: int | None) -> None:
        self.count = max(1, max_workers or os.cpu_count() or 1)
        self._pool: cf.ProcessPoolExecutor | None = None

    def __enter__(self) -> _Workers:
        if self.count > 1:
            import multiprocessing

            ctx = multiprocessing.get_context("fork") if hasattr(os, "fork") else multiprocessing.get_context()
            self._pool = cf.ProcessPoolExecutor(max_workers=self.count, mp_context=ctx, initializer=_worker_init)
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
            return self._in_process(iter(jobs))
        queue = iter(jobs)
        futures: dict[cf.Future[Any], _Job] = {}
        self._submit(queue, futures)  # the workers start drawing while the caller goes on
        return self._collect(queue, futures)

    @staticmethod
    def _in_process(jobs: Iterator[_Job]) -> Iterator[tuple[_Job, dict[str, bytes] | None, str | None]]:
        first = next(jobs, None)
        if first is None:
            return
        _warm_up()
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


def _worker_init() -> None:
    """Workers leave Ctrl-C to the main process, which cancels the queue and stops cleanly (no worker tracebacks)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _warm_up()


def _warm_up() -> None:
    """Load fonts, styles and templates once per process, before the first job."""
    try:
        from directory_builder.render import pdf

        warm = getattr(pdf, "warm_up", None)
        if callable(warm):
            warm()
    except Exception:  # a broken font must surface as a job failure, with its message
        pass


def _render_job_safe(job: _Job) -> tuple[dict[str, bytes] | None, str | None]:
    try:
        return _render_job(job), None
    except Exception as exc:
        if os.environ.get("DIRECTORY_BUILDER_DEBUG"):
            traceback.print_exc()
        return None, f"{type(exc).__name__}: {exc}"


def _render_job(job: _Job) -> dict[str, bytes]:
    rendered: dict[str, bytes] = {}
    with use_language(job.view.lang):
        if "pdf" in job.formats:
            from directory_builder.render.pdf import render_booklet, render_pocket_card

            rendered["pdf"] = render_booklet(job.view, job.options)
            if job.pocket_card:
                rendered["card"] = render_pocket_card(job.view, job.options)
        if "html" in job.formats:
            from directory_builder.render.html import render_district_page

            rendered["html"] = render_district_page(job.view, job.options)
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
            "edition": options.edition,
            "render": {"paper": render.paper, "neutral_title": render.neutral_title},
            "formats": sorted(options.formats),
            "card": options.pocket_card,
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


def _read_manifest(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _reusable(out: Path, outputs: dict[str, str], input_hash: str, prev: dict[str, Any] | None,
              prev_files: dict[str, dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The manifest entries of the earlier files, when they can stand for this build's: same inputs, and
    every file still there with the size it was written with (a file deleted, truncated or replaced by
    another is made again). The bytes are not hashed again: at national scale that is 150 MB to read on
    every rebuild, to find what the size check already finds."""
    if not prev or prev.get("input_hash") != input_hash:
        return None
    entries = []
    for rel in outputs.values():
        entry = prev_files.get(rel)
        if entry is None:
            return None
        try:
            if (out / rel).stat().st_size != entry.get("bytes"):
                return None
        except OSError:
            return None
        entries.append(entry)
    return entries


_JOB_FIELDS = ("key", "district", "slug", "lang", "input_hash", "entries", "categories")


def _job_entry(job: _Job) -> dict[str, Any]:
    view = job.view
    return {"key": job.key, "district": view.district, "slug": view.district_slug, "lang": view.lang,
            "input_hash": job.input_hash, "entries": len(view.services),
            "categories": {s.category: len(s.services) for s in view.sections}}


def _job_entry_from(previous: dict[str, Any]) -> dict[str, Any]:
    """A reused job's entry, as the build that made its files wrote it (same inputs, so same values)."""
    return {k: previous.get(k) for k in _JOB_FIELDS}


def _file_entry(rel: str, kind: str, data: bytes, job: _Job) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "path": rel,
        "kind": kind,
        "district": job.view.district,
        "lang": job.view.lang,
        "sha256": _sha(data),
        "bytes": len(data),
    }
    if kind in ("pdf", "card"):
        from directory_builder.render.pdfcount import pdf_page_count

        entry["pages"] = pdf_page_count(data)
    if kind in ("pdf", "html"):
        entry["entries"] = len(job.view.services)
    return entry


def _manifest(settings: Any, options: BuildOptions, jobs: Sequence[dict[str, Any]], files: list[dict[str, Any]],
              failures: Sequence[Failure], skipped_rows: Sequence[int], index_hash: str | None = None) -> bytes:
    """Deterministic: no timestamps, sorted keys and lists; the input hashes drive incremental builds."""
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
    return (json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _remove_stale(out: Path, prev_files: dict[str, dict[str, Any]], keep: set[str]) -> None:
    """Delete files an earlier build wrote that this build no longer produces (a removed district)."""
    root = out.resolve()
    for rel in prev_files:
        if rel in keep or not _OUTPUT_PATH.match(rel):  # only files this tool writes, whatever the manifest says
            continue
        path = (out / rel).resolve()
        if root in path.parents and path.is_file():
            path.unlink()


def _index_entries(items: Sequence[Planned], out: Path, expected: set[str] | frozenset[str] = frozenset()) -> list[Any]:
    """Every district and language of the directory whose files are in ``out`` (a partial build keeps the
    rest), or are about to be (``expected``: the files being drawn)."""
    from directory_builder.view import IndexEntry

    def href(rel: str) -> str | None:
        return rel if rel in expected or (out / rel).is_file() else None

    entries = []
    for item in items:
        base = item.key
        entry = IndexEntry(
            district=item.district.name, province=item.district.province, lang=item.lang,
            html_href=href(base + ".html"), pdf_href=href(base + ".pdf"), card_href=href(base + ".card.pdf"),
            services=len(item.services),  # = len(view.services): each service once, under its first category
        )
        if entry.html_href or entry.pdf_href:
            entries.append(entry)
    return entries


def _index(items: Sequence[Planned], out: Path, expected: set[str] | frozenset[str], options: BuildOptions,
           settings: Any, hasher: _InputHasher, previous: dict[str, Any],
           prev_files: dict[str, dict[str, Any]]) -> tuple[str, bytes | None]:
    """(input hash, bytes of index.html), or (hash, None) when the index on disk was made from the same."""
    entries = _index_entries(items, out, expected)
    digest = _index_hash(entries, settings, hasher)
    old = prev_files.get("index.html")
    if previous.get("index_input_hash") == digest and old is not None:
        try:
            if (out / "index.html").stat().st_size == old.get("bytes"):
                return digest, None
        except OSError:
            pass
    return digest, _render_index(entries, options, settings)


def _index_hash(entries: Sequence[Any], settings: Any, hasher: _InputHasher) -> str:
    """What index.html is made from: its lines, the directory's title and languages, options, templates, tool."""
    return _sha(repr((entries, settings.title, settings.languages, hasher.common)).encode("utf-8"))


def _render_index(entries: Sequence[Any], options: BuildOptions, settings: Any) -> bytes:
    from directory_builder.render.html import render_index

    lang = settings.default_language
    with use_language(lang):
        title = settings.title.get(lang, lang) or gettext_("Directory of Services", lang)
        return render_index(entries, options.render_options(), title=title, lang=lang,
                            languages=settings.languages)
