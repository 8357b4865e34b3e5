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
import json
import os
import re
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from directory_builder import __version__
from directory_builder.atomic import write_bytes
from directory_builder.i18n import _, gettext_, use_language
from directory_builder.render.options import Paper, RenderOptions
from directory_builder.selection import select
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
        """kind -> path relative to the output folder."""
        base = f"{self.view.lang}/{self.view.district_slug}"
        out: dict[str, str] = {}
        if "pdf" in self.formats:
            out["pdf"] = base + ".pdf"
            if self.pocket_card:
                out["card"] = base + ".card.pdf"
        if "html" in self.formats:
            out["html"] = base + ".html"
        return out


ProgressCallback = Callable[[int, int, str], None]


def build_directory(workbook: str | Path, options: BuildOptions, *, today: dt.date | None = None,
                    progress: ProgressCallback | None = None) -> BuildResult:
    """Validate first; with errors build nothing (unless skip_invalid), else write every file."""
    validation = validate_workbook(workbook, today=today)
    result = BuildResult(validation)
    if validation.directory is None or (validation.errors and not options.skip_invalid):
        return result
    directory = validation.directory
    exclude = sorted(validation.invalid_rows) if options.skip_invalid else []
    result.skipped_rows = exclude
    unknown = [lang for lang in (options.languages or ()) if lang not in directory.settings.languages]
    if unknown:
        from directory_builder.errors import InputError

        raise InputError(
            _("The language '{lang}' is not in the workbook's Languages setting ({known}).").format(
                lang=unknown[0], known=", ".join(directory.settings.languages))
        )
    if options.districts:
        names = {d.name.casefold() for d in directory.districts} | {d.slug for d in directory.districts}
        missing = [d for d in options.districts if d.casefold() not in names]
        if missing:
            from directory_builder.errors import InputError

            raise InputError(
                _("There is no district '{name}' on the Districts sheet.").format(name=missing[0])
            )
    selection = select(directory, edition=options.edition, languages=options.languages,
                       districts=options.districts, exclude_rows=exclude)
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    render_options = options.render_options()
    templates_digest = _templates_digest(options.template_dirs)
    jobs = [
        _Job(view, render_options, tuple(f for f in FORMATS if f in options.formats), options.pocket_card,
             _input_hash(view, render_options, options, templates_digest))
        for view in selection.views
    ]
    previous = _read_manifest(out) if options.incremental else {}
    prev_jobs: dict[str, dict[str, Any]] = {j["key"]: j for j in previous.get("jobs", [])}
    prev_files: dict[str, dict[str, Any]] = {f["path"]: f for f in previous.get("files", [])}
    todo, reused_files = [], []
    for job in jobs:
        reusable = _reusable(out, job, prev_jobs.get(job.key), prev_files)
        if reusable is None:
            todo.append(job)
        else:
            reused_files.extend(reusable)
            result.reused.append((job.view.district_slug, job.view.lang))
    files: list[dict[str, Any]] = list(reused_files)
    done = 0
    total = len(todo)
    for job, rendered, error in _run(todo, options.jobs):
        done += 1
        if progress:
            progress(done, total, f"{job.view.district} ({job.view.lang})")
        if error is not None:
            result.failures.append(Failure(job.view.district, job.view.lang, error))
            continue
        assert rendered is not None
        for kind, rel in job.outputs().items():
            data = rendered[kind]
            write_bytes(out / rel, data)
            files.append(_file_entry(rel, kind, data, job))
        result.rebuilt.append((job.view.district_slug, job.view.lang))
    ok_jobs = [j for j in jobs if not any(f.district == j.view.district and f.lang == j.view.lang
                                          for f in result.failures)]
    if "html" in options.formats:
        everything = select(directory, edition=options.edition, exclude_rows=exclude)
        index_bytes = _render_index(everything.views, options, directory.settings, out)
        write_bytes(out / "index.html", index_bytes)
        files.append({"path": "index.html", "kind": "index", "sha256": _sha(index_bytes), "bytes": len(index_bytes)})
    produced = {f["path"] for f in files} | {rel for j in jobs if j not in ok_jobs for rel in j.outputs().values()}
    kept_jobs: list[dict[str, Any]] = []
    if options.districts or options.languages:
        # A partial build: the other districts and languages stay as they are, and stay in the manifest.
        in_scope = {j.key for j in jobs}
        kept_jobs = [j for k, j in prev_jobs.items() if k not in in_scope]
        kept_paths = {p for p, f in prev_files.items() if p not in produced and f.get("kind") != "index"
                      and (out / p).is_file()}
        files.extend(prev_files[p] for p in sorted(kept_paths))
        produced |= kept_paths
    else:
        _remove_stale(out, prev_files, produced)
    files.sort(key=lambda f: f["path"])
    manifest = _manifest(directory.settings, options, ok_jobs, files, result.failures, exclude, kept_jobs)
    write_bytes(out / MANIFEST, manifest)
    result.files = files
    result.out = out
    return result


# ------------------------------------------------------------------------------------------- jobs


def _run(jobs: Sequence[_Job], max_workers: int | None) -> Iterator[tuple[_Job, dict[str, bytes] | None, str | None]]:
    # The views and the model are hundreds of thousands of long-lived objects: keep the garbage collector
    # from walking them again and again while pages are laid out (and share them untouched with forks).
    gc.collect()
    gc.freeze()
    try:
        yield from _run_jobs(jobs, max_workers)
    finally:
        gc.unfreeze()


def _run_jobs(jobs: Sequence[_Job], max_workers: int | None) -> Iterator[tuple[_Job, dict[str, bytes] | None, str | None]]:
    workers = max(1, min(max_workers or os.cpu_count() or 1, len(jobs) or 1))
    if workers == 1:
        _warm_up()
        for job in jobs:
            yield (job, *_render_job_safe(job))
        return
    import multiprocessing

    ctx = multiprocessing.get_context("fork") if hasattr(os, "fork") else multiprocessing.get_context()
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init) as pool:
        futures = {pool.submit(_render_job_safe, job): job for job in jobs}
        try:
            for future in cf.as_completed(futures):
                job = futures.pop(future)  # the caller writes the bytes; don't keep every result alive
                try:
                    rendered, error = future.result()
                except Exception as exc:  # a worker died (out of memory, killed)
                    rendered, error = None, f"{type(exc).__name__}: {exc}"
                yield job, rendered, error
        except KeyboardInterrupt:
            for f in futures:
                f.cancel()
            raise


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


def _input_hash(view: DistrictView, render: RenderOptions, options: BuildOptions, templates_digest: str) -> str:
    """Everything a district's files depend on: its view (services, settings), options, templates, version."""
    payload = {
        "view": hashlib.sha256(repr(view).encode("utf-8")).hexdigest(),  # frozen dataclasses: a stable repr
        "render": {"paper": render.paper, "neutral_title": render.neutral_title},
        "formats": sorted(options.formats),
        "card": options.pocket_card,
        "templates": templates_digest,
        "version": __version__,
    }
    data = json.dumps(payload, sort_keys=True, default=_json_default, ensure_ascii=False).encode("utf-8")
    return _sha(data)


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


def _reusable(out: Path, job: _Job, prev: dict[str, Any] | None,
              prev_files: dict[str, dict[str, Any]]) -> list[dict[str, Any]] | None:
    if not prev or prev.get("input_hash") != job.input_hash:
        return None
    entries = []
    for rel in job.outputs().values():
        entry = prev_files.get(rel)
        path = out / rel
        if entry is None or not path.is_file() or path.stat().st_size != entry.get("bytes"):
            return None
        if _sha(path.read_bytes()) != entry.get("sha256"):
            return None
        entries.append(entry)
    return entries


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
        from directory_builder.render.pdf import pdf_page_count

        entry["pages"] = pdf_page_count(data)
    if kind in ("pdf", "html"):
        entry["entries"] = len(job.view.services)
    return entry


def _manifest(settings: Any, options: BuildOptions, jobs: Sequence[_Job], files: list[dict[str, Any]],
              failures: Sequence[Failure], skipped_rows: Sequence[int],
              kept_jobs: Sequence[dict[str, Any]] = ()) -> bytes:
    """Deterministic: no timestamps, sorted keys and lists; the input hashes drive incremental builds."""
    payload = {
        "tool": "directory-builder",
        "version": __version__,
        "edition": options.edition,
        "published": settings.published.isoformat(),
        "paper": options.paper,
        "formats": sorted(options.formats),
        "jobs": sorted(
            [*({"key": j.key, "district": j.view.district, "slug": j.view.district_slug, "lang": j.view.lang,
                "input_hash": j.input_hash, "entries": len(j.view.services),
                "categories": {s.category: len(s.services) for s in j.view.sections}} for j in jobs),
             *kept_jobs],
            key=lambda j: j["key"],
        ),
        "files": files,
        "failed": [dataclasses.asdict(f) for f in failures],
        "skipped_rows": list(skipped_rows),
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


def _render_index(views: Sequence[DistrictView], options: BuildOptions, settings: Any, out: Path) -> bytes:
    """Every district and language of the directory whose files are in ``out`` (a partial build keeps the rest)."""
    from directory_builder.render.html import IndexEntry, render_index

    def href(rel: str) -> str | None:
        return rel if (out / rel).is_file() else None

    entries = []
    for view in views:
        base = f"{view.lang}/{view.district_slug}"
        entry = IndexEntry(
            district=view.district, province=view.province, lang=view.lang,
            html_href=href(base + ".html"), pdf_href=href(base + ".pdf"), card_href=href(base + ".card.pdf"),
            services=len(view.services),
        )
        if entry.html_href or entry.pdf_href:
            entries.append(entry)
    lang = settings.default_language
    with use_language(lang):
        title = settings.title.get(lang, lang) or gettext_("Directory of Services", lang)
        return render_index(entries, options.render_options(), title=title, lang=lang,
                            languages=settings.languages)
