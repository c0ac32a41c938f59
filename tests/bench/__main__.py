"""Run every benchmark and print one table: figure, goal, measured, verdict.

    python -m tests.bench                  # everything, at the sizes the goals are set for
    python -m tests.bench --quick          # fewer runs; no 100k import; exports on 10k points
    python -m tests.bench --only startup,capture
    python -m tests.bench --load           # also the PostgreSQL load test (bench_load.py)

Run by hand, not part of the test run. The figures are CPU-bound: other work on the machine
inflates them, so the load average at start and end is printed with the table. A benchmark
that fails (a screen renamed, a command missing) shows as one ERROR row; the others still run.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.bench.verdict import Figure, load_note, print_table  # noqa: E402


def plan(quick: bool) -> dict[str, Callable[[], list[Figure]]]:
    """Each benchmark's figures() with the settings for a full or a quick run."""
    from tests.bench import (
        bench_backup,
        bench_capture,
        bench_exports,
        bench_import,
        bench_reports,
        bench_review,
        bench_startup,
    )

    return {
        "startup": lambda: bench_startup.figures(runs=2 if quick else 6),
        "capture": lambda: bench_capture.figures(samples=30 if quick else 100),
        "review": bench_review.figures,
        "import": lambda: bench_import.figures({10_000: 1, 100_000: 0} if quick else None),
        "reports": lambda: bench_reports.figures(runs=2 if quick else 5),
        "exports": lambda: bench_exports.figures(points=10_000 if quick else 100_000, quick=quick),
        "backup": bench_backup.figures,
    }


def load_figures() -> list[Figure]:
    from tests.bench import bench_load

    return bench_load.figures()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs, smaller stores")
    parser.add_argument("--only", help="comma-separated: startup,capture,review,import,…")
    parser.add_argument("--load", action="store_true", help="also run the load test")
    args = parser.parse_args(argv)
    benches = plan(args.quick)
    if args.load:
        benches["load"] = load_figures
    if args.only:
        wanted = [name.strip() for name in args.only.split(",")]
        unknown = [name for name in wanted if name not in benches and name != "load"]
        if unknown:
            parser.error(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(benches)}")
        if "load" in wanted:
            benches["load"] = load_figures
        benches = {name: benches[name] for name in wanted}
    print(f"start: {load_note()}", flush=True)
    figures: list[Figure] = []
    started = time.perf_counter()
    for name, run in benches.items():
        began = time.perf_counter()
        try:
            got = run()
        except Exception as exc:
            traceback.print_exc()
            got = [Figure(f"{name}: ERROR", "—", f"{type(exc).__name__}: {exc}"[:90], False)]
        figures += got
        print(f"  {name}: {time.perf_counter() - began:.0f} s", flush=True)
    print_table(figures, title="sendtui benchmarks" + (" (quick)" if args.quick else ""))
    print(f"end: {load_note()}; took {time.perf_counter() - started:.0f} s")
    return 0 if all(f.passed is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
