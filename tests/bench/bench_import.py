"""`sendtui import` of 10k and 100k points, as a whole process and in-process (issue 12).

    python tests/bench/bench_import.py [--runs N]

Each run imports a generated notes file (tests/bench/generate.py) into a fresh copy of an
empty store that is already at the current schema (as a forum's store is: the migration is
not part of an import). Whole process: `python -m sendtui --db COPY import NOTES`, from
spawn to exit, the very first run (cold caches) dropped. In-process: `import_notes`
alone, shown for context.
Goals (whole process): 10k ≤ 1.2 s, 100k ≤ 6 s.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.bench.generate import notes_text  # noqa: E402
from tests.bench.verdict import (  # noqa: E402
    Figure,
    fmt_s,
    median,
    print_table,
    process_seconds,
    sendtui,
)

GOALS = {10_000: 1.2, 100_000: 6.0}
RUNS = {10_000: 3, 100_000: 1}


def empty_store(folder: Path) -> Path:
    """A store at the current schema with its reference data, and nothing else."""
    from sendtui.config import load_config
    from sendtui.services.bootstrap import open_store

    db = folder / "empty.db"
    open_store(load_config(None, database=db)).store.close()
    shutil.rmtree(folder / "backups", ignore_errors=True)
    return db


def fresh_copy(empty: Path, folder: Path) -> Path:
    target = folder / "run" / "import.db"
    shutil.rmtree(target.parent, ignore_errors=True)
    target.parent.mkdir()
    shutil.copy(empty, target)
    return target


def in_process(db: Path, notes: Path) -> float:
    from sendtui.config import load_config
    from sendtui.services.bootstrap import open_store
    from sendtui.services.importer import import_notes

    config = load_config(None, database=db)
    opened = open_store(config)
    try:
        start = time.perf_counter()
        import_notes(
            opened.store, opened.reference, notes, kind_words=config.capture.kind_words.as_dict()
        )
        return time.perf_counter() - start
    finally:
        opened.store.close()


def figures(runs: dict[int, int] | None = None) -> list[Figure]:
    runs = runs or RUNS
    out = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        empty = empty_store(folder)
        for points, goal in GOALS.items():
            if not runs.get(points):
                continue
            notes = folder / f"notes-{points}.md"
            notes.write_text(notes_text(points), encoding="utf-8")
            whole, inside = [], []
            warm_up = 1 if points == min(GOALS) else 0  # cold caches: the first run only
            for n in range(runs[points] + warm_up):
                db = fresh_copy(empty, folder)
                took = process_seconds(sendtui("--db", str(db), "import", str(notes)))
                if n >= warm_up:
                    whole.append(took)
            for _ in range(runs[points]):
                inside.append(in_process(fresh_copy(empty, folder), notes))
            measured = median(whole)
            out.append(
                Figure(
                    f"sendtui import {points // 1000}k points, whole process "
                    f"(median of {len(whole)})",
                    f"≤ {goal:g} s",
                    fmt_s(measured),
                    measured <= goal,
                )
            )
            out.append(
                Figure(
                    f"  import_notes in-process, {points // 1000}k (context)",
                    "—",
                    fmt_s(median(inside)),
                    None,
                )
            )
    return out


if __name__ == "__main__":
    count = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else None
    print_table(figures({p: count for p in GOALS} if count else None))
