"""Exports over 100,000 points, each format against its floor (issue 12).

    python tests/bench/bench_exports.py              # every format
    python tests/bench/bench_exports.py docx csv     # some formats
    python tests/bench/bench_exports.py --points 10000

The floor (tests/bench/floors.py) writes the same content the plainest fast way: rows read
plainly (one query for the points, one per tag table; no correlated subquery per row), the
library alone (csv, openpyxl, python-docx, msgspec for JSON, string building for Markdown
and HTML), and the chapter chart drawn with matplotlib wherever sendtui draws one (HTML,
Word). Two figures per format, each paired in the same run (export, floor, export, …):

- whole process: `python -m sendtui --db STORE export 1 --format F -o OUT` against
  `python tests/bench/floors.py F STORE OUT`, from spawn to exit, the first pair dropped;
- in-process: `write_file` against `Floor.write`, after one untimed run of each.

Goal: each ≤ 1.5 × its floor. The store is a copy: the shared benchmark store is never
written to.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.bench.floors import FORMATS, Floor  # noqa: E402
from tests.bench.generate import cached_store  # noqa: E402
from tests.bench.verdict import (  # noqa: E402
    PYTHON,
    Figure,
    median,
    paired,
    print_table,
    process_seconds,
    ratio_figure,
    sendtui,
)

LIMIT = 1.5
RUNS = {"csv": 3, "md": 3, "html": 3, "json": 3, "xlsx": 2, "docx": 2}


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def figures(
    formats: list[str] | None = None, points: int = 100_000, *, quick: bool = False
) -> list[Figure]:
    """Both figures per format. `quick`: one pair each, no dropped whole-process pair (the
    interpreter's files are warm from the benchmarks before), for a loaded machine."""
    from sendtui.exporters import write_file
    from sendtui.store.store import Store

    formats = formats or list(FORMATS)
    source = cached_store(points)
    out: list[Figure] = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        db = folder / "bench.db"
        shutil.copy(source, db)
        store = Store(db)
        event_id = store.reader.execute("SELECT min(id) FROM event").fetchone()[0]
        floor_conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
        floor = Floor(floor_conn, event_id)
        for fmt in formats:
            ours_out, floor_out = folder / f"out.{fmt}", folder / f"floor.{fmt}"
            runs = 1 if quick else RUNS[fmt]
            whole_ours, whole_floor = paired(
                runs,
                lambda fmt=fmt, o=ours_out: process_seconds(
                    sendtui("--db", str(db), "export", str(event_id), "--format", fmt, "-o", str(o))
                ),
                lambda fmt=fmt, o=floor_out: process_seconds(
                    [PYTHON, str(HERE / "floors.py"), fmt, str(db), str(o)]
                ),
                warm_up=0 if quick else 1,
            )
            inside_ours, inside_floor = paired(
                runs,
                lambda fmt=fmt, o=ours_out: timed(lambda: write_file(store, event_id, o, fmt)),
                lambda fmt=fmt, o=floor_out: timed(lambda: floor.write(fmt, o)),
            )
            out.append(
                ratio_figure(
                    f"sendtui export --format {fmt}, {points // 1000}k, whole process",
                    median(whole_ours),
                    median(whole_floor),
                    LIMIT,
                    "floor process",
                )
            )
            out.append(
                ratio_figure(
                    f"  export {fmt} in-process",
                    median(inside_ours),
                    median(inside_floor),
                    LIMIT,
                    "floor",
                )
            )
        floor_conn.close()
        store.close()
    return out


if __name__ == "__main__":
    args = sys.argv[1:]
    size = int(args[args.index("--points") + 1]) if "--points" in args else 100_000
    print_table(figures([a for a in args if a in FORMATS] or None, size))
