"""Where the time goes: one stage under pyinstrument (a sampling profiler), as a text call tree.

    python bench/profile.py --what pdf --services 2000      # one district's booklet, 100 services
    python bench/profile.py --what validate --services 10000
    python bench/profile.py --what build --services 2000 --jobs 1

Stages: read, validate (rules only, on rows already read), select, pdf (one booklet), card, html (one
page), build (the whole ``build_directory`` call, single process unless --jobs), rebuild (an incremental
build after one phone correction). The report goes to bench/results/profile-<stage>-<services>.txt.
Needs ``pip install pyinstrument``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import run as bench  # noqa: E402

STAGES = ("read", "validate", "select", "pdf", "card", "html", "build", "rebuild")


def prepare(stage: str, workbook: Path, fixed: Path, jobs: int, tmp: Path) -> Callable[[], Any]:
    """Everything the stage needs, done before profiling starts; returns the call to profile."""
    from directory_builder.build.runner import BuildOptions, build_directory
    from directory_builder.check.validate import validate_raw
    from directory_builder.publish.selection import select
    from directory_builder.render.html import render_district_page
    from directory_builder.render.pdf import render_booklet, render_pocket_card, warm_up
    from directory_builder.workbook.reader import read_workbook

    if stage == "read":
        read_workbook(workbook)  # imports and caches warm, as in a long-running process
        return lambda: read_workbook(workbook)
    if stage in ("build", "rebuild"):
        options = BuildOptions(out=tmp / "out", jobs=jobs, incremental=stage == "rebuild")
        if stage == "rebuild":
            build_directory(workbook, options)
            return lambda: build_directory(fixed, options)
        return lambda: build_directory(workbook, options)
    raw = read_workbook(workbook)
    result = validate_raw(raw)
    if stage == "validate":
        return lambda: validate_raw(raw)
    assert result.directory is not None
    directory = result.directory
    if stage == "select":
        return lambda: select(directory)
    view = select(directory).views[len(select(directory).views) // 2]
    render = BuildOptions().render_options()
    warm_up(render.paper)
    renderer = {"pdf": render_booklet, "card": render_pocket_card, "html": render_district_page}[stage]
    renderer(view, render)  # the first call loads templates and caches
    return lambda: renderer(view, render)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--what", choices=STAGES, required=True)
    parser.add_argument("--services", type=int, default=2000)
    parser.add_argument("--per-district", type=int, default=100)
    parser.add_argument("--languages", default="id,en")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--interval", type=float, default=0.001, help="sampling interval in seconds")
    args = parser.parse_args(argv)
    from pyinstrument import Profiler

    langs = tuple(args.languages.split(","))
    districts = max(1, round(args.services / args.per_district))
    workbook = bench.workbook_for(args.services, districts, langs, args.seed)
    fixed = workbook
    if args.what == "rebuild":
        row, _district, fix, _other = bench.one_phone_edit(workbook)
        fixed = bench.workbook_for(args.services, districts, langs, args.seed, {row: {"phone": fix}}, tag="-fix1")
    tmp = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    try:
        call = prepare(args.what, workbook, fixed, args.jobs, tmp)
        profiler = Profiler(interval=args.interval)
        profiler.start()
        call()
        profiler.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    text = profiler.output_text(unicode=False, color=False, show_all=False)
    bench.RESULTS.mkdir(parents=True, exist_ok=True)
    path = bench.RESULTS / f"profile-{args.what}-{args.services}.txt"
    path.write_text(text, encoding="utf-8")
    print(text)
    print(f"written to {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
