"""The national-scale benchmark: read, validate, select, PDF, HTML, full and incremental builds, memory,
output sizes, and the WeasyPrint route measured on the same content in the same run.

    python bench/run.py                       # sizes 2000,10000; 3 runs each; jobs 1 and 2
    python bench/run.py --quick               # about a minute: 200 services, 1 run
    python bench/run.py --sizes 10000 --repeat 1 --no-weasy

Every measurement runs in a fresh child process, so imports, font loading and memory are counted the way
a user's command pays them, and the parent samples the whole process tree's memory (workers included).
Times are medians of --repeat runs, wall clock and CPU. Workbooks are generated once into bench/data/
(cached by size, languages, seed and the generator's own hash); results go to bench/results/ as JSON.
bench/README.md and docs/benchmark.md explain each column.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RESULTS = HERE / "results"
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

#: The issue's targets, checked at the end of a run when the measurement exists.
TARGETS = {
    "build_jobs2_10000_s": 90.0,
    "weasy_speedup_min": 10.0,
    "rebuild_one_entry_s": 3.0,
    "validate_10000_s": 3.0,
    "validate_2000_s": 2.0,
    "peak_memory_mb": 1024.0,
    "pdf_kb_per_page_example": 10.0,
}


# ============================================================================================ child side


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (worker processes)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


@contextlib.contextmanager
def _timed(bucket: dict[str, list[float]], name: str) -> Iterator[None]:
    wall, cpu = time.perf_counter(), _cpu()
    yield
    bucket.setdefault(name, []).append(time.perf_counter() - wall)
    bucket.setdefault(name + "_cpu", []).append(_cpu() - cpu)


def _maxrss_mb() -> dict[str, float]:
    import resource

    return {
        "self_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "children_maxrss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def child_phases(args: dict[str, Any]) -> dict[str, Any]:
    """Each stage on its own, single process, ``repeat`` times: the numbers that say where time goes."""
    from directory_builder.build.runner import BuildOptions
    from directory_builder.check.validate import validate_raw
    from directory_builder.outputs import REGISTRY
    from directory_builder.publish.selection import select
    from directory_builder.render.html import render_district_page
    from directory_builder.render.pdf import pdf_page_count, render_booklet, render_pocket_card, warm_up
    from directory_builder.workbook.reader import read_workbook

    workbook = Path(args["workbook"])
    repeat = int(args["repeat"])
    sample = set(args.get("sample", []))
    options = BuildOptions()
    render = options.render_options()
    booklet = REGISTRY["pdf"]
    times: dict[str, list[float]] = {}
    per_view: dict[str, list[float]] = {}
    with _timed(times, "fonts"):
        warm_up(render.paper)
    pages = card_pages = 0
    accessible_pages: dict[str, int] = {}
    pdf_bytes = card_bytes = html_bytes = 0
    views_count = services = 0
    for run in range(repeat):
        with _timed(times, "read"):
            raw = read_workbook(workbook)
        with _timed(times, "validate"):
            result = validate_raw(raw)
        assert result.directory is not None and not result.errors, "the benchmark workbook must be valid"
        with _timed(times, "select"):
            views = select(result.directory).views
        first = run == 0
        with _timed(times, "pdf"):
            for view in views:
                start = time.perf_counter()
                booklet.prepare(view, render)  # QR symbols encoded and stored, as a build does before drawing
                data = render_booklet(view, render)
                key = f"{view.lang}/{view.district_slug}"
                if key in sample:
                    per_view.setdefault(key, []).append(time.perf_counter() - start)
                if first:
                    pages += pdf_page_count(data)
                    pdf_bytes += len(data)
        with _timed(times, "card"):
            for view in views:
                data = render_pocket_card(view, render)
                if first:
                    card_pages += pdf_page_count(data)
                    card_bytes += len(data)
        with _timed(times, "html"):
            for view in views:
                start = time.perf_counter()
                data = render_district_page(view, render)
                key = f"{view.lang}/{view.district_slug}"
                if key in sample:
                    per_view.setdefault("html:" + key, []).append(time.perf_counter() - start)
                if first:
                    html_bytes += len(data)
            _index(result.directory)
        if args.get("accessible"):
            _accessible_booklets(views, sample, render, per_view, accessible_pages)
        if first:
            views_count = len(views)
            services = len(result.directory.services)
    return {
        "times": times, "per_view": per_view, "views": views_count, "services": services,
        "pdf_pages": pages, "card_pages": card_pages, "pdf_bytes": pdf_bytes, "card_bytes": card_bytes,
        "html_bytes": html_bytes, "accessible_pages": accessible_pages, **_maxrss_mb(),
    }


def _accessible_booklets(views: Sequence[Any], sample: set[str], render: Any, per_view: dict[str, list[float]],
                         pages: dict[str, int]) -> None:
    """``--format booklet-accessible`` (WeasyPrint, tagged PDF/UA-1) for the sampled districts, timed per
    district as the ReportLab booklet is (its fonts are warm: the booklet's warm-up stored them)."""
    from directory_builder.render.pdf import pdf_page_count
    from directory_builder.render.pdf_accessible import render_accessible_booklet

    for view in views:
        key = f"{view.lang}/{view.district_slug}"
        if key in sample:
            start = time.perf_counter()
            data = render_accessible_booklet(view, render)
            per_view.setdefault("accessible:" + key, []).append(time.perf_counter() - start)
            pages[key] = pdf_page_count(data)


def _index(directory: Any) -> bytes:
    """index.html for every district and language, made as build.py makes it (every file present)."""
    from directory_builder.build.runner import BuildOptions, _index_entries, _render_index
    from directory_builder.publish.selection import plan

    items = plan(directory)
    present = {f"{item.key}{ext}" for item in items for ext in (".html", ".pdf", ".card.pdf")}
    return _render_index(_index_entries(items, Path("."), present), BuildOptions(), directory.settings)


def child_build(args: dict[str, Any]) -> dict[str, Any]:
    """One ``build`` call, as the CLI makes it (validation included), timed as a whole."""
    from directory_builder.build.runner import BuildOptions, build_directory

    out = Path(args["out"])
    # As the command line builds: rows checked by earlier runs reused (row cache), unless incremental=False,
    # which is `build --full` (every row checked again, every district drawn again).
    options = BuildOptions(out=out, jobs=int(args["jobs"]), incremental=bool(args.get("incremental", True)),
                           row_cache=True)
    wall, cpu = time.perf_counter(), _cpu()
    result = build_directory(args["workbook"], options)
    seconds, cpu_seconds = time.perf_counter() - wall, _cpu() - cpu
    if not result.built:
        raise SystemExit(f"the build failed: {[p.code for p in result.validation.errors][:5]}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {
        "seconds": seconds, "cpu_seconds": cpu_seconds, "rebuilt": len(result.rebuilt),
        "reused": len(result.reused), "failures": [f.message for f in result.failures][:5],
        "files": _file_summary(manifest["files"]), **_maxrss_mb(),
    }


def child_validate(args: dict[str, Any]) -> dict[str, Any]:
    """read + validate as ``validate`` does, in-process, ``repeat`` times (the first one is cold)."""
    from directory_builder.check.validate import validate_workbook

    times: dict[str, list[float]] = {}
    problems = 0
    for _ in range(int(args["repeat"])):
        with _timed(times, "validate_workbook"):
            result = validate_workbook(args["workbook"])
        problems = len(result.problems)
    return {"times": times, "problems": problems, **_maxrss_mb()}


def child_weasy(args: dict[str, Any]) -> dict[str, Any]:
    """The route most people would take: the same district's HTML page turned into PDF by WeasyPrint."""
    import weasyprint

    out = Path(args["out"])
    result: dict[str, Any] = {"version": weasyprint.__version__, "districts": {}}
    for key in args["sample"]:
        html_path = out / f"{key}.html"
        html = html_path.read_text(encoding="utf-8")
        runs = []
        data = b""
        for _ in range(int(args["repeat"])):
            start = time.perf_counter()
            data = weasyprint.HTML(string=html, base_url=str(html_path.parent)).write_pdf()
            runs.append(time.perf_counter() - start)
        from directory_builder.render.pdf import pdf_page_count

        try:
            pages = pdf_page_count(data)
        except ValueError:
            pages = _count_pages(data)
        result["districts"][key] = {"seconds": runs, "pages": pages, "bytes": len(data or b"")}
    result.update(_maxrss_mb())
    return result


def _count_pages(data: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def _file_summary(files: Sequence[dict[str, Any]]) -> dict[str, Any]:
    kinds: dict[str, dict[str, int]] = {}
    for entry in files:
        k = kinds.setdefault(entry["kind"], {"files": 0, "bytes": 0, "pages": 0})
        k["files"] += 1
        k["bytes"] += int(entry["bytes"])
        k["pages"] += int(entry.get("pages", 0))
    return kinds


CHILDREN = {"phases": child_phases, "build": child_build, "validate": child_validate, "weasy": child_weasy}


def child_main(kind: str, payload: str) -> int:
    result = CHILDREN[kind](json.loads(payload))
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


# ============================================================================================ parent side


class TreeMemory(threading.Thread):
    """Samples the memory of a process and all its descendants (pool workers) every 20 ms.

    Two sums: RSS, which counts the pages forked workers still share with the parent once per process
    (it overstates), and PSS (proportional set size: a shared page is split between its sharers), which
    is what the machine really spends. PSS is read every 5th sample (it costs more to read).
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.peak_pss = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        tick = 0
        while not self._stop_event.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            rss = pss = 0
            for proc in procs:
                with contextlib.suppress(psutil.Error, AttributeError):
                    if tick % 5 == 0:
                        full = proc.memory_full_info()
                        rss += full.rss
                        pss += getattr(full, "pss", full.rss)
                    else:
                        rss += proc.memory_info().rss
            self.peak = max(self.peak, rss)
            self.peak_pss = max(self.peak_pss, pss)
            tick += 1
            self._stop_event.wait(0.02)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p)
    if CACHE is not None:
        env["DIRECTORY_BUILDER_CACHE_DIR"] = str(CACHE)
    return env


#: The benchmark's own cache folder (fonts copied in; rows and QR codes emptied for every cold run), so that
#: "first run" means first run, whatever the user's cache holds.
CACHE: Path | None = None


def setup_cache(folder: Path) -> None:
    global CACHE
    from directory_builder.util.cachedir import user_cache_root

    CACHE = folder
    fonts = user_cache_root() / "fonts"
    if fonts.is_dir() and not (folder / "fonts").exists():
        shutil.copytree(fonts, folder / "fonts")  # built once per machine (25 s): not what is measured here


def clear_cache() -> None:
    """Forget checked rows and QR codes: the next run is a first run."""
    if CACHE is not None:
        for name in ("rows", "qr"):
            shutil.rmtree(CACHE / name, ignore_errors=True)


def _measured(cmd: list[str], what: str) -> tuple[str, dict[str, float]]:
    """Run ``cmd`` in a fresh interpreter: its stdout, wall time and sampled peak tree memory (RSS, PSS)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_child_env(), text=True)
    sampler = TreeMemory(proc.pid)
    sampler.start()
    stdout, stderr = proc.communicate()
    sampler.stop()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{what} failed ({proc.returncode}):\n{stderr[-3000:]}")
    return stdout, {"seconds": wall, "peak_tree_mb": sampler.peak / 2**20, "peak_tree_pss_mb": sampler.peak_pss / 2**20}


def run_child(kind: str, **args: Any) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; add its wall time and sampled peak tree memory."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, json.dumps(args)]
    stdout, measured = _measured(cmd, f"bench child {kind}")
    result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    result["process_seconds"] = measured["seconds"]
    result["peak_tree_mb"] = measured["peak_tree_mb"]
    result["peak_tree_pss_mb"] = measured["peak_tree_pss_mb"]
    return result


def _generator_digest() -> str:
    """Workbooks are regenerated when the generator or the template's labels change (labels come from the
    column table and the catalogs): a base and its corrected copy must differ by the correction only."""
    digest = hashlib.sha256()
    for name in ("generate.py", "textbank.py"):
        digest.update((HERE / name).read_bytes())
    package = ROOT / "src" / "directory_builder"
    for path in [package / "columns.py", package / "workbook" / "template.py",
                 *sorted(package.glob("locales/*/LC_MESSAGES/messages.po"))]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def workbook_for(services: int, districts: int, languages: Sequence[str], seed: int,
                 edits: dict[int, dict[str, Any]] | None = None, tag: str = "") -> Path:
    """The cached workbook for these parameters, generated when missing."""
    import generate

    name = f"services-{services}-d{districts}-{'-'.join(languages)}-s{seed}-{_generator_digest()}{tag}.xlsx"
    path = DATA / name
    if not path.exists():
        spec = generate.Spec(services=services, districts=districts, languages=tuple(languages), seed=seed,
                             edits=edits or {})
        start = time.perf_counter()
        generate.generate(spec, path)
        print(f"  generated {path.name} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return path


def one_phone_edit(workbook: Path) -> tuple[int, str, str, str]:
    """A published service of a middle district with a phone: (row index, district, phone A, phone B).

    The two corrections change the last digit of the first number, the smallest real fix staff make.
    """
    from directory_builder.check.validate import validate_workbook

    result = validate_workbook(workbook)
    assert result.directory is not None
    districts = result.directory.districts
    middle = districts[len(districts) // 2].name
    for service in result.directory.services:
        if (service.district == middle and service.publish == "public" and service.status == "active"
                and service.phone and not service.phone[0].short_code):
            raw = service.phone[0].raw
            rest = [p.raw for p in service.phone[1:]]
            digit = int(raw[-1])
            fixes = ["; ".join([raw[:-1] + str((digit + k) % 10), *rest]) for k in (1, 2)]
            return service.row - 3, middle, fixes[0], fixes[1]
    raise RuntimeError("no published service with a phone number in the middle district")


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _load() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    versions = {}
    for package in ("directory-builder", "reportlab", "openpyxl", "python-calamine", "jinja2", "weasyprint",
                    "phonenumbers"):
        with contextlib.suppress(Exception):
            from importlib.metadata import version

            versions[package] = version(package)
    return {"cores": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "platform": platform.platform(), "versions": versions,
            "reader": os.environ.get("DIRECTORY_BUILDER_READER", "default")}


# ============================================================================================ one size


def bench_size(services: int, args: argparse.Namespace) -> dict[str, Any]:
    districts = max(1, round(services / args.per_district))
    langs = tuple(args.languages.split(","))
    print(f"\n== {services} services, {districts} districts, languages {','.join(langs)} ==", file=sys.stderr)
    workbook = workbook_for(services, districts, langs, args.seed)
    row, district, fix_a, fix_b = one_phone_edit(workbook)
    fixed = [workbook_for(services, districts, langs, args.seed, {row: {"phone": fix}}, tag=f"-fix{n}")
             for n, fix in enumerate((fix_a, fix_b), start=1)]
    all_slugs = _slugs(workbook)
    sample_slugs = [all_slugs[0], all_slugs[len(all_slugs) // 2], all_slugs[-1]][: args.weasy_sample]
    sample = [f"{langs[0]}/{slug}" for slug in dict.fromkeys(sample_slugs)]
    out: dict[str, Any] = {"services": services, "districts": districts, "languages": list(langs),
                           "workbook": workbook.name, "workbook_bytes": workbook.stat().st_size,
                           "edited_district": district, "sample": sample}

    keep = Path(tempfile.mkdtemp(prefix="bench-out-"))
    setup_cache(keep / "cache")
    working = keep / "directory.xlsx"  # the file staff keep correcting: the same path every run
    print("  validate (first check, and after one correction; CLI and in-process)...", file=sys.stderr)
    out["validate_cli"] = [_cli_validate(workbook) for _ in range(args.repeat)]
    corrected = []
    for n in range(args.repeat):
        shutil.copyfile(workbook, working)
        _cli_validate(working)
        shutil.copyfile(fixed[n % 2], working)
        corrected.append(_cli_validate(working, cold=False))
    out["validate_cli_corrected"] = corrected
    clear_cache()
    out["validate"] = run_child("validate", workbook=str(workbook), repeat=max(args.repeat, 2))

    print("  phases (read, validate, select, PDF, card, HTML; single process)...", file=sys.stderr)
    out["phases"] = run_child("phases", workbook=str(workbook), repeat=args.repeat, sample=sample,
                              accessible=args.weasy)

    builds: dict[str, list[dict[str, Any]]] = {}
    shutil.copyfile(workbook, working)
    try:
        for jobs in args.jobs:
            runs = []
            for n in range(args.repeat):
                print(f"  full build, jobs={jobs}, run {n + 1}/{args.repeat}...", file=sys.stderr)
                target = keep / f"j{jobs}-{n}"
                clear_cache()  # a first build: no checked rows, no QR codes from earlier runs
                runs.append(run_child("build", workbook=str(working), out=str(target), jobs=jobs,
                                      incremental=False))
                if n:
                    shutil.rmtree(keep / f"j{jobs}-{n - 1}", ignore_errors=True)
            builds[str(jobs)] = runs
        out["builds"] = builds
        last = keep / f"j{args.jobs[-1]}-{args.repeat - 1}"
        first = keep / f"j{args.jobs[0]}-{args.repeat - 1}"
        out["identical_across_jobs"] = _same_tree(first, last) if first != last else None

        rebuilds = []
        for n in range(args.repeat):
            # Staff correct the workbook they built from and build again into the same folder.
            shutil.copyfile(fixed[n % 2], working)
            print(f"  rebuild after one phone correction, run {n + 1}/{args.repeat}...", file=sys.stderr)
            rebuilds.append(run_child("build", workbook=str(working), out=str(last), jobs=args.jobs[-1]))
        out["rebuilds"] = rebuilds
        out["rebuild_cli"] = []
        for n in range(args.repeat):
            shutil.copyfile(fixed[(n + 1) % 2], working)
            out["rebuild_cli"].append(_cli_build(working, last, args.jobs[-1]))

        if args.weasy:
            print(f"  WeasyPrint on {len(sample)} districts' HTML pages...", file=sys.stderr)
            try:
                out["weasy"] = run_child("weasy", out=str(first), sample=sample, repeat=args.repeat)
            except RuntimeError as exc:
                out["weasy_error"] = str(exc)[-500:]
    finally:
        global CACHE
        CACHE = None
        shutil.rmtree(keep, ignore_errors=True)
    return out


def _slugs(workbook: Path) -> list[str]:
    from directory_builder.check.validate import validate_workbook

    result = validate_workbook(workbook)
    assert result.directory is not None
    return [d.slug for d in result.directory.districts]


def _cli_validate(workbook: Path, *, cold: bool = True) -> float:
    """`directory-builder validate` as a user runs it: interpreter start, imports, read, validate, report.

    cold: the workbook's first check (no row cache); otherwise the rows checked by the last run are reused.
    """
    if cold:
        clear_cache()
    env = _child_env()
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "directory_builder", "validate", str(workbook)],
                          capture_output=True, env=env)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise RuntimeError(proc.stderr.decode(errors="replace")[-2000:])
    return seconds


def _cli_build(workbook: Path, out: Path, jobs: int) -> dict[str, Any]:
    """`directory-builder build` as a user runs it (interpreter start to exit), with its peak tree memory."""
    cmd = [sys.executable, "-m", "directory_builder", "build", str(workbook), "--out", str(out), "--jobs", str(jobs)]
    return _measured(cmd, "directory-builder build")[1]


def _same_tree(a: Path, b: Path) -> bool:
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    return files_a == files_b and all((a / f).read_bytes() == (b / f).read_bytes() for f in files_a)


def bench_example(path: Path) -> dict[str, Any]:
    """The example workbook: PDF bytes per page, the size target's reference."""
    keep = Path(tempfile.mkdtemp(prefix="bench-example-"))
    try:
        return {"workbook": str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path),
                **run_child("build", workbook=str(path), out=str(keep / "out"), jobs=1, incremental=False)}
    finally:
        shutil.rmtree(keep, ignore_errors=True)


# ============================================================================================ report


def summarise(size: dict[str, Any]) -> dict[str, Any]:
    """Medians, rates and ratios from one size's raw measurements."""
    ph = size["phases"]
    t = ph["times"]
    s: dict[str, Any] = {"services": size["services"], "districts": size["districts"],
                         "views": ph["views"]}
    for name in ("read", "validate", "select", "pdf", "card", "html", "fonts"):
        s[name] = median(t.get(name, []))
        s[name + "_cpu"] = median(t.get(name + "_cpu", []))
    s["validate_workbook"] = median(size["validate"]["times"]["validate_workbook"][1:] or
                                    size["validate"]["times"]["validate_workbook"])
    s["validate_cli"] = median(size["validate_cli"])
    s["validate_cli_corrected"] = median(size.get("validate_cli_corrected", []))
    pdf_pages = ph["pdf_pages"] + ph["card_pages"]
    s["pdf_pages"] = ph["pdf_pages"]
    s["card_pages"] = ph["card_pages"]
    s["pdf_pages_per_s"] = pdf_pages / (s["pdf"] + s["card"]) if s["pdf"] else float("nan")
    s["booklet_pages_per_s"] = ph["pdf_pages"] / s["pdf"] if s["pdf"] else float("nan")
    s["pdf_kb_per_page"] = ph["pdf_bytes"] / 1024 / max(ph["pdf_pages"], 1)
    s["html_kb_per_page"] = ph["html_bytes"] / 1024 / max(ph["views"], 1)
    s["builds"] = {}
    for jobs, runs in size["builds"].items():
        secs = median([r["seconds"] for r in runs])
        files = runs[-1]["files"]
        total_pages = sum(k.get("pages", 0) for k in files.values())
        s["builds"][jobs] = {
            "seconds": secs, "cpu_seconds": median([r["cpu_seconds"] for r in runs]),
            "process_seconds": median([r["process_seconds"] for r in runs]),
            "pages_per_s": total_pages / secs if secs else float("nan"),
            "peak_tree_mb": max(r["peak_tree_mb"] for r in runs),
            "peak_tree_pss_mb": max(r.get("peak_tree_pss_mb", 0.0) for r in runs),
            "total_mb": sum(k["bytes"] for k in files.values()) / (1024 * 1024),
            "files": files,
        }
    rebuild = size.get("rebuilds", [])
    s["rebuild_seconds"] = median([r["seconds"] for r in rebuild])
    s["rebuild_process_seconds"] = median([r["process_seconds"] for r in rebuild])
    s["rebuilt_views"] = sorted({r["rebuilt"] for r in rebuild})
    s["rebuild_cli_seconds"] = median([r["seconds"] for r in size.get("rebuild_cli", [])])
    # The target is the build's memory: full builds, rebuilds and the `build` command (main process, render
    # workers and any child checking rows). The "phases" child is the benchmark's own harness (it keeps
    # every view and every rendered file of a size in one process), reported apart.
    build_runs = [r for runs in size["builds"].values() for r in runs] + list(rebuild) + list(size.get("rebuild_cli", []))
    s["peak_tree_mb"] = max(r["peak_tree_mb"] for r in build_runs)
    s["peak_tree_pss_mb"] = max(r.get("peak_tree_pss_mb", 0.0) for r in build_runs)
    s["harness_peak_tree_mb"] = size["phases"]["peak_tree_mb"]
    s["identical_across_jobs"] = size.get("identical_across_jobs")
    weasy = size.get("weasy")
    if weasy:
        rows = []
        for key, w in weasy["districts"].items():
            ours = median(ph["per_view"].get(key, []))
            html = median(ph["per_view"].get("html:" + key, []))
            theirs = median(w["seconds"])
            rows.append({"district": key, "ours_pdf_s": ours, "html_s": html, "weasy_s": theirs,
                         "weasy_route_s": html + theirs, "weasy_pages": w["pages"], "weasy_bytes": w["bytes"],
                         "speedup": (html + theirs) / ours if ours else float("nan"),
                         "ours_over_weasy": ours / (html + theirs) if theirs else float("nan")})
        s["weasy"] = {"version": weasy["version"], "districts": rows,
                      "speedup": median([r["speedup"] for r in rows])}
    elif "weasy_error" in size:
        s["weasy"] = {"error": size["weasy_error"]}
    accessible = []
    for key in size.get("sample", []):
        if ph["per_view"].get("accessible:" + key):
            ours = median(ph["per_view"].get(key, []))
            tagged = median(ph["per_view"]["accessible:" + key])
            accessible.append({"district": key, "accessible_s": tagged, "booklet_s": ours,
                               "pages": ph.get("accessible_pages", {}).get(key),
                               "slower": tagged / ours if ours else float("nan")})
    if accessible:
        s["accessible"] = {"districts": accessible, "seconds": median([r["accessible_s"] for r in accessible]),
                           "slower": median([r["slower"] for r in accessible])}
    return s


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return "nan" if value != value else f"{value:.{digits}f}"
    return str(value)


def print_table(summaries: Sequence[dict[str, Any]], example: dict[str, Any] | None, meta: dict[str, Any]) -> None:
    cols = [str(s["services"]) for s in summaries]
    rows: list[tuple[str, list[str]]] = []

    def add(label: str, values: list[Any], digits: int = 2) -> None:
        rows.append((label, [_fmt(v, digits) for v in values]))

    add("districts x languages (views)", [s["views"] for s in summaries])
    add("read, s", [s["read"] for s in summaries])
    add("validate (rules only), s", [s["validate"] for s in summaries])
    add("read + validate (in-process), s", [s["validate_workbook"] for s in summaries])
    add("`validate` command, first check (cold), s", [s["validate_cli"] for s in summaries])
    add("`validate` command after one correction, s", [s["validate_cli_corrected"] for s in summaries])
    add("select, s", [s["select"] for s in summaries])
    add("fonts (once per process), s", [s["fonts"] for s in summaries])
    add("PDF booklets, 1 process, s", [s["pdf"] for s in summaries])
    add("  CPU, s", [s["pdf_cpu"] for s in summaries])
    add("pocket cards, 1 process, s", [s["card"] for s in summaries])
    add("HTML pages + index, s", [s["html"] for s in summaries])
    add("booklet pages", [s["pdf_pages"] for s in summaries], 0)
    add("PDF pages/s (booklets + cards, 1 core)", [s["pdf_pages_per_s"] for s in summaries], 1)
    jobs_keys = sorted({j for s in summaries for j in s["builds"]}, key=int)
    for jobs in jobs_keys:
        add(f"total build, jobs={jobs}, s", [s["builds"].get(jobs, {}).get("seconds") for s in summaries])
        add("  CPU (all processes), s", [s["builds"].get(jobs, {}).get("cpu_seconds") for s in summaries])
        add(f"  pages/s, jobs={jobs}", [s["builds"].get(jobs, {}).get("pages_per_s") for s in summaries], 1)
        add(f"  peak memory RSS (tree), jobs={jobs}, MB",
            [s["builds"].get(jobs, {}).get("peak_tree_mb") for s in summaries], 0)
        add(f"  peak memory PSS (tree), jobs={jobs}, MB",
            [s["builds"].get(jobs, {}).get("peak_tree_pss_mb") for s in summaries], 0)
    add("rebuild after 1 phone fix, s", [s["rebuild_seconds"] for s in summaries])
    add("  (whole command incl. start-up), s", [s["rebuild_process_seconds"] for s in summaries])
    add("  (`directory-builder build` command), s", [s["rebuild_cli_seconds"] for s in summaries])
    add("  district pages rebuilt", [",".join(map(str, s["rebuilt_views"])) for s in summaries])
    add("outputs identical across jobs", [s["identical_across_jobs"] for s in summaries])
    add("peak memory of any build, RSS sum (tree), MB", [s["peak_tree_mb"] for s in summaries], 0)
    add("peak memory of any build, PSS (tree), MB", [s["peak_tree_pss_mb"] for s in summaries], 0)
    add("  (the benchmark's phases harness, RSS), MB", [s["harness_peak_tree_mb"] for s in summaries], 0)
    add("output total, MB", [s["builds"][jobs_keys[0]]["total_mb"] if jobs_keys else None for s in summaries], 1)
    add("PDF KB/page (booklets)", [s["pdf_kb_per_page"] for s in summaries], 1)
    add("HTML KB/page", [s["html_kb_per_page"] for s in summaries], 1)
    add("WeasyPrint route, s/district (median)",
        [_median_of(s, "weasy_route_s") for s in summaries])
    add("ours, s/district (same districts)", [_median_of(s, "ours_pdf_s") for s in summaries])
    add("x faster than WeasyPrint", [s.get("weasy", {}).get("speedup") for s in summaries], 1)
    add("accessible booklet (tagged, WeasyPrint), s/district",
        [s.get("accessible", {}).get("seconds") for s in summaries])
    add("  x the ReportLab booklet's time", [s.get("accessible", {}).get("slower") for s in summaries], 1)
    width = max(len(r[0]) for r in rows)
    print(f"\ndirectory-builder benchmark  {meta['date']}  {meta['machine']['cores']} cores  "
          f"{meta['machine']['cpu']}  Python {meta['machine']['python']}  repeat={meta['repeat']}")
    print(f"{'services':<{width}}  " + "  ".join(f"{c:>10}" for c in cols))
    for label, values in rows:
        print(f"{label:<{width}}  " + "  ".join(f"{v:>10}" for v in values))
    if example:
        files = example["files"]
        pdf = files.get("pdf", {})
        kb = pdf.get("bytes", 0) / 1024 / max(pdf.get("pages", 0), 1)
        print(f"\nexample {example['workbook']}: {pdf.get('pages', 0)} booklet pages, {kb:.1f} KB/page, "
              f"build {example['seconds']:.2f} s")


def _median_of(summary: dict[str, Any], key: str) -> float | None:
    weasy = summary.get("weasy")
    if not weasy or "districts" not in weasy:
        return None
    return median([r[key] for r in weasy["districts"]])


def check_targets(summaries: Sequence[dict[str, Any]], example: dict[str, Any] | None) -> list[dict[str, Any]]:
    checks: list[dict[str, Any]] = []

    def check(name: str, value: float | None, limit: float, lower_is_better: bool = True) -> None:
        if value is None or value != value:
            return
        ok = value < limit if lower_is_better else value >= limit
        checks.append({"target": name, "value": round(value, 3), "limit": limit, "ok": ok})

    for s in summaries:
        n = s["services"]
        if n == 10000:
            check("build 10,000 services, jobs=2, s", s["builds"].get("2", {}).get("seconds"),
                  TARGETS["build_jobs2_10000_s"])
            check("validate 10,000 rows (`validate` command), s", s["validate_cli"], TARGETS["validate_10000_s"])
        if n == 2000:
            check("validate 2,000 rows (`validate` command), s", s["validate_cli"], TARGETS["validate_2000_s"])
        check(f"rebuild after one correction ({n}, `build` command), s", s["rebuild_cli_seconds"],
              TARGETS["rebuild_one_entry_s"])
        check(f"peak memory, PSS ({n}), MB", s["peak_tree_pss_mb"], TARGETS["peak_memory_mb"])
        check(f"peak memory, RSS sum ({n}), MB", s["peak_tree_mb"], TARGETS["peak_memory_mb"])
        if "weasy" in s and "speedup" in s["weasy"]:
            check(f"x faster than WeasyPrint ({n})", s["weasy"]["speedup"], TARGETS["weasy_speedup_min"],
                  lower_is_better=False)
    if example:
        pdf = example["files"].get("pdf", {})
        check("PDF KB/page on the example", pdf.get("bytes", 0) / 1024 / max(pdf.get("pages", 0), 1),
              TARGETS["pdf_kb_per_page_example"])
    return checks


# ============================================================================================ main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2000,10000", help="numbers of services, comma separated")
    parser.add_argument("--per-district", type=int, default=100, help="services per district (default 100)")
    parser.add_argument("--languages", default="id,en", help="languages of the directory (default id,en)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; medians are reported")
    parser.add_argument("--jobs", default="1,2", help="--jobs values for the full build (default 1,2)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--weasy-sample", type=int, default=3, help="districts converted by WeasyPrint")
    parser.add_argument("--no-weasy", dest="weasy", action="store_false", help="skip the WeasyPrint baseline")
    parser.add_argument("--example", type=Path, default=ROOT / "examples" / "jakarta-westjava.xlsx",
                        help="workbook for the PDF-size check ('' to skip)")
    parser.add_argument("--quick", action="store_true", help="a one-minute sanity run: 200 services, 1 run")
    parser.add_argument("--json", type=Path, default=None, help="where to write the JSON results")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat, args.weasy_sample = "200", 1, 1
    args.sizes = [int(x) for x in str(args.sizes).split(",") if x.strip()]
    args.jobs = [int(x) for x in str(args.jobs).split(",") if x.strip()]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--child"]:
        return child_main(argv[1], argv[2])
    args = parse_args(argv)
    started = time.perf_counter()
    meta = {"date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "machine": machine(),
            "repeat": args.repeat, "jobs": args.jobs, "languages": args.languages, "seed": args.seed,
            "load_before": _load()}
    sizes = [bench_size(n, args) for n in args.sizes]
    example = None
    if args.example and str(args.example) and Path(args.example).is_file():
        print("\n== example workbook ==", file=sys.stderr)
        example = bench_example(Path(args.example))
    meta["load_after"] = _load()
    meta["seconds"] = time.perf_counter() - started
    summaries = [summarise(s) for s in sizes]
    checks = check_targets(summaries, example)
    print_table(summaries, example, meta)
    if checks:
        print("\ntargets:")
        for c in checks:
            print(f"  {'PASS' if c['ok'] else 'FAIL'}  {c['target']}: {c['value']} (limit {c['limit']})")
    print(f"\nload average before/after: {meta['load_before']} / {meta['load_after']}; "
          f"benchmark took {meta['seconds']:.0f} s")
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = args.json or RESULTS / f"bench-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    payload = {"meta": meta, "summaries": summaries, "targets": checks, "raw": sizes, "example": example}
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
    (RESULTS / "latest.json").write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
