"""Peak memory of ``validate`` and ``build`` on a workbook at the documented row limit (Linux).

    python bench/memory.py                          # the row limit: validate x3, build x1 (~15 min on 2 cores)
    python bench/memory.py --no-build               # validate only (a few minutes)
    python bench/memory.py --rows 100000 --no-build --runs 1   # past the limit: what it would take

The workbook comes from ``generate.py`` (the limit in ``workbook/limits.py`` by default, 100 districts, two
languages) and is cached in ``bench/data/``. Each command runs as a user runs it
(``python -m directory_builder ...``, in a fresh interpreter, with its own empty cache folder), and this
script samples the whole process tree every 20 ms: the command, its forked checkers and its render
workers. Two sums are kept: RSS (a page shared by forked processes counts once per process, so it
overstates) and PSS (a shared page is split between its sharers: what the machine spends). The target is
both under 1 GB. Results go to ``bench/results/memory-latest.json``; docs/benchmark.md has the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import run as bench  # noqa: E402

from directory_builder.workbook import limits  # noqa: E402

TARGET_MB = 1024


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                found.extend(int(c) for c in fh.read().split())
        except OSError:
            pass
    return found


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(_children(current))
    return out


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """The largest RSS and PSS sums of a process tree, sampled every 20 ms (PSS every 5th sample)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_rss_kb = 0
        self.peak_pss_kb = 0
        self.peak_processes = 0
        self._done = threading.Event()

    def run(self) -> None:
        tick = 0
        while not self._done.is_set():
            pids = _tree(self.pid)
            self.peak_processes = max(self.peak_processes, len(pids))
            self.peak_rss_kb = max(self.peak_rss_kb, sum(_rss_kb(p) for p in pids))
            if tick % 5 == 0:
                self.peak_pss_kb = max(self.peak_pss_kb, sum(_pss_kb(p) for p in pids))
            tick += 1
            self._done.wait(0.02)

    def stop(self) -> None:
        self._done.set()
        self.join()


def measure(cmd: Sequence[str], env: dict[str, str]) -> dict[str, Any]:
    """Run ``cmd``; its wall time, exit code and peak tree memory in MB."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    _out, err = proc.communicate()
    seconds = time.perf_counter() - start
    sampler.stop()
    if proc.returncode != 0:
        sys.stderr.write(err.decode(errors="replace")[-2000:])
    return {"seconds": round(seconds, 2), "exit": proc.returncode, "rss_mb": round(sampler.peak_rss_kb / 1024),
            "pss_mb": round(sampler.peak_pss_kb / 1024), "processes": sampler.peak_processes}


def _env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(bench.ROOT / "src"), env.get("PYTHONPATH", "")) if p)
    env["DIRECTORY_BUILDER_CACHE_DIR"] = str(cache)
    return env


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "runs": len(runs),
        "median_rss_mb": statistics.median(r["rss_mb"] for r in runs),
        "median_pss_mb": statistics.median(r["pss_mb"] for r in runs),
        "max_rss_mb": max(r["rss_mb"] for r in runs),
        "max_pss_mb": max(r["pss_mb"] for r in runs),
        "median_seconds": statistics.median(r["seconds"] for r in runs),
        "all": runs,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=limits.MAX_ROWS, help="Services rows (default: the limit)")
    parser.add_argument("--districts", type=int, default=100, help="districts (default 100)")
    parser.add_argument("--languages", default="id,en")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="validate runs of each kind (default 3)")
    parser.add_argument("--build-runs", type=int, default=1, help="full builds (default 1)")
    parser.add_argument("--jobs", type=int, default=2, help="build --jobs (default 2)")
    parser.add_argument("--no-build", action="store_true", help="measure validate only")
    parser.add_argument("--workbook", type=Path, help="measure this workbook instead of a generated one")
    args = parser.parse_args(argv)

    langs = tuple(args.languages.split(","))
    districts = args.districts
    workbook = args.workbook or bench.workbook_for(args.rows, districts, langs, args.seed)
    work = Path(tempfile.mkdtemp(prefix="db-memory-"))
    results: dict[str, Any] = {"workbook": str(workbook), "rows": args.rows, "districts": districts,
                               "languages": list(langs), "jobs": args.jobs, "target_mb": TARGET_MB,
                               "machine": bench.machine()}
    py = [sys.executable, "-m", "directory_builder"]
    try:
        first, again, nocache = [], [], []
        for _ in range(args.runs):
            cache = work / "cache"
            shutil.rmtree(cache, ignore_errors=True)
            bench.setup_cache(cache)  # fonts copied in: built once per machine, not measured here
            env = _env(cache)
            first.append(measure([*py, "validate", str(workbook)], env))  # empty row cache: written at the end
            again.append(measure([*py, "validate", str(workbook)], env))  # every row from the row cache
            nocache.append(measure([*py, "validate", str(workbook)], {**env, "DIRECTORY_BUILDER_NO_CACHE": "1"}))
            print(f"validate: first {first[-1]}, from the row cache {again[-1]}, no cache {nocache[-1]}", flush=True)
        results["validate_first"] = _summary(first)
        results["validate_cached"] = _summary(again)
        results["validate_no_cache"] = _summary(nocache)
        if not args.no_build:
            builds = []
            for _ in range(args.build_runs):
                cache = work / "cache"
                shutil.rmtree(cache, ignore_errors=True)
                bench.setup_cache(cache)
                out = work / "out"
                shutil.rmtree(out, ignore_errors=True)
                builds.append(measure([*py, "build", str(workbook), "--out", str(out), "--jobs", str(args.jobs),
                                       "--full"], _env(cache)))
                print(f"build --jobs {args.jobs}: {builds[-1]}", flush=True)
            results["build"] = _summary(builds)
            # Again into the same folder with the same caches: every row from the row cache (the most the
            # main process holds), every district reused, the render workers started all the same.
            again_runs = [measure([*py, "build", str(workbook), "--out", str(work / "out"), "--jobs", str(args.jobs)],
                                  _env(work / "cache"))]
            print(f"build again, nothing changed: {again_runs[-1]}", flush=True)
            results["build_again"] = _summary(again_runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"\n{args.rows:,} rows, {districts} districts, languages {', '.join(langs)}")
    print(f"{'command':<42}{'runs':>5}{'RSS MB':>9}{'PSS MB':>9}{'s':>8}")
    ok = True
    for key, label in (("validate_first", "validate, first check (row cache written)"),
                       ("validate_cached", "validate, rows from the row cache"),
                       ("validate_no_cache", "validate, DIRECTORY_BUILDER_NO_CACHE=1"),
                       ("build", f"build --full --jobs {args.jobs}"),
                       ("build_again", "build again, nothing changed")):
        if key not in results:
            continue
        s = results[key]
        print(f"{label:<42}{s['runs']:>5}{s['median_rss_mb']:>9.0f}{s['median_pss_mb']:>9.0f}{s['median_seconds']:>8.1f}")
        ok = ok and s["max_pss_mb"] < TARGET_MB and all(r["exit"] == 0 for r in s["all"])  # 1: errors (too many rows?)
    print(f"\npeak memory under {TARGET_MB} MB (PSS of the process tree, every run): {'PASS' if ok else 'FAIL'}")
    folder = HERE / "results"
    folder.mkdir(exist_ok=True)
    (folder / "memory-latest.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
