"""A backup of the 100,000-point store (sendtui.store.backup.snapshot), as the app makes one.

    python tests/bench/bench_backup.py

The copy is made with SQLite's online backup API, checked (quick_check) and fsynced. It runs
when a store is opened for writing and every few minutes while capturing, so it must stay
short. Goal: median ≤ 1 s. The size of the store is shown with it.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.bench.generate import cached_store  # noqa: E402
from tests.bench.verdict import Figure, fmt_s, median, print_table  # noqa: E402

GOAL_S = 1.0


def figures(runs: int = 3, points: int = 100_000) -> list[Figure]:
    from sendtui.store.backup import backup_now

    source = cached_store(points)
    times = []
    with tempfile.TemporaryDirectory() as name:
        db = Path(name) / "store.db"
        shutil.copy(source, db)
        for _ in range(runs):
            start = time.perf_counter()
            backup_now(db, keep=2)
            times.append(time.perf_counter() - start)
        size = db.stat().st_size
    took = median(times)
    return [
        Figure(
            f"backup of the {points // 1000}k-point store ({size / 1e6:.0f} MB), median of {runs}",
            f"≤ {fmt_s(GOAL_S)}",
            fmt_s(took),
            took <= GOAL_S,
        )
    ]


if __name__ == "__main__":
    print_table(figures())
