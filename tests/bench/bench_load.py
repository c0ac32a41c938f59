"""Load test (issue 11): 8 writers at once into one event, tallies read all the while.

    python tests/bench/bench_load.py                    # PostgreSQL, then the same on SQLite
    python tests/bench/bench_load.py --writers 4 --points 100
    SENDTUI_BENCH_PG=postgresql://user@host/postgres python tests/bench/bench_load.py

Each writer is a whole `sendtui capture EVENT --group "Table N"` process, its own group of
one event, given its points on standard input (all at once: the command saves each as it
arrives, one short transaction each). Its output lines (one per saved point) are
timestamped as they come; the time per saved point is the gap between a writer's
consecutive lines (the first line, which includes the process start, is left out). While
they run, `sendtui report EVENT --by group --format csv` is run in a loop and every tally it
prints is checked: no group above its writer's count, no group going down. At the end the
store is read directly: 0 points lost, 0 duplicated, every group has its points, the total
is right, every writer printed one line per point and exited 0.

PostgreSQL: a fresh database on the server named by SENDTUI_BENCH_PG (a URL to any database
there, default the local socket postgresql://postgres@/postgres?host=/tmp/pgsock&port=5433),
dropped afterwards. SQLite: a fresh file. Goals: 0 lost, 0 duplicated, every group and the
total right; the p50/p95 per point are shown with the SQLite figures beside them.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.bench.verdict import ROOT, Figure, print_table, sendtui  # noqa: E402

WRITERS = 8
POINTS = 300
TITLE = "Load test event"
DEFAULT_PG = "postgresql://postgres@/postgres?host=/tmp/pgsock&port=5433"
SAVED = re.compile(r"\d+\t[a-z]+\t")
SETUP_NOTES = f"# {TITLE}\nDate: 2026-11-29\nScheme: cop-2015\n\n## Setup\n\n- setup point\n"


@dataclass
class Writer:
    number: int
    process: subprocess.Popen
    times: list[float] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)  # output lines that are not a saved point
    errors: str = ""


@dataclass
class Outcome:
    backend: str
    writers: int
    points: int
    per_point_ms: list[float]
    lost: int
    duplicated: int
    groups_wrong: list[str]
    total: int
    expected_total: int
    writer_problems: list[str]
    tallies_read: int
    tally_problems: list[str]
    seconds: float
    other_lines: list[str]


def point_text(writer: int, n: int) -> str:
    return f"w{writer:02d} p{n:04d} load test point about the local offer"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, int(q * len(ordered) + 0.999999) - 1))]


def run_load(location: str, writers: int, points: int, backend: str, work: Path) -> Outcome:
    """One load test against the store at `location` (fresh, empty)."""
    notes = work / "setup.md"
    notes.write_text(SETUP_NOTES, encoding="utf-8")
    done = subprocess.run(
        sendtui("--db", location, "import", str(notes)),
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"setting up the event failed: {done.stderr[-2000:]}")
    stop = threading.Event()
    tallies: list[dict[str, int]] = []
    tally_problems: list[str] = []

    def read_tallies() -> None:
        while not stop.is_set():
            got = subprocess.run(
                sendtui("--db", location, "report", TITLE, "--by", "group", "--format", "csv"),
                cwd=ROOT, capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            if got.returncode != 0:
                tally_problems.append(f"report failed: {got.stderr.strip()[-300:]}")
                continue
            rows = {r[0]: int(r[1]) for r in csv.reader(io.StringIO(got.stdout)) if r[1:2]
                    and r[1].isdigit()}  # fmt: skip
            tallies.append(rows)

    reader = threading.Thread(target=read_tallies, daemon=True)
    started = time.perf_counter()
    reader.start()
    running: list[Writer] = []
    for w in range(1, writers + 1):
        process = subprocess.Popen(
            sendtui("--db", location, "capture", TITLE, "--group", f"Table {w}"),
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, bufsize=1,
        )  # fmt: skip
        running.append(Writer(w, process))

    def collect(writer: Writer) -> None:
        assert writer.process.stdout is not None
        for line in writer.process.stdout:
            at = time.perf_counter()
            line = line.rstrip("\n")
            if SAVED.match(line):  # "id<TAB>kind<TAB>text": one saved point
                writer.times.append(at)
                writer.lines.append(line)
            else:
                writer.other.append(line)

    readers = [threading.Thread(target=collect, args=(w,), daemon=True) for w in running]
    for thread in readers:
        thread.start()
    for writer in running:  # everything at once: each process saves as fast as it can
        assert writer.process.stdin is not None
        writer.process.stdin.write("".join(f"{point_text(writer.number, n)}\n"
                                           for n in range(points)))  # fmt: skip
        writer.process.stdin.close()
    writer_problems: list[str] = []
    other_lines: list[str] = []
    for writer, thread in zip(running, readers, strict=True):
        code = writer.process.wait(timeout=1200)
        thread.join(timeout=60)
        assert writer.process.stderr is not None
        writer.errors = writer.process.stderr.read()
        if code != 0:
            writer_problems.append(f"writer {writer.number} exited {code}: {writer.errors[-300:]}")
        if len(writer.lines) != points:
            writer_problems.append(
                f"writer {writer.number} printed {len(writer.lines)} saved points, not {points}"
            )
        other_lines += writer.other
    seconds = time.perf_counter() - started
    stop.set()
    reader.join(timeout=120)
    per_point = [
        (later - earlier) * 1000
        for w in running
        for earlier, later in zip(w.times, w.times[1:], strict=False)
    ]
    texts = stored_texts(location)
    lost = duplicated = 0
    groups_wrong = []
    for w in range(1, writers + 1):
        group = texts.get(f"Table {w}", [])
        wanted = {point_text(w, n) for n in range(points)}
        lost += len(wanted - set(group))
        duplicated += len(group) - len(set(group))
        if len(group) != points:
            groups_wrong.append(f"Table {w}: {len(group)}")
    total = sum(len(v) for v in texts.values())
    # Tallies: each group never above its final count, and never going down.
    last: dict[str, int] = {}
    for rows in tallies:
        for name, count in rows.items():
            if name.startswith("Table ") and count > points:
                tally_problems.append(f"{name} tallied {count} > {points}")
            if name.startswith("Table ") and count < last.get(name, 0):
                tally_problems.append(f"{name} went down from {last[name]} to {count}")
            last[name] = count
    return Outcome(
        backend, writers, points, per_point, lost, duplicated, groups_wrong, total,
        writers * points + 1, writer_problems, len(tallies), tally_problems, seconds,
        other_lines,
    )  # fmt: skip


def stored_texts(location: str) -> dict[str, list[str]]:
    """{group name: texts of its live points}, read directly from the store."""
    sql = (
        "SELECT g.name, p.text FROM point p JOIN discussion_group g ON g.id = p.group_id "
        "JOIN event e ON e.id = p.event_id WHERE e.title = %s AND p.deleted_at IS NULL"
    )
    if location.startswith("postgresql"):
        import psycopg

        with psycopg.connect(location) as conn:
            rows = conn.execute(sql, (TITLE,)).fetchall()
    else:
        conn = sqlite3.connect(location)
        rows = conn.execute(sql.replace("%s", "?"), (TITLE,)).fetchall()
        conn.close()
    found: dict[str, list[str]] = {}
    for name, text in rows:
        found.setdefault(name, []).append(text)
    return found


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def pg_outcome(writers: int, points: int, work: Path) -> Outcome:
    import psycopg

    server = os.environ.get("SENDTUI_BENCH_PG", DEFAULT_PG)
    name = f"sendtui_load_{uuid.uuid4().hex[:10]}"
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(name)
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        return run_load(with_database(server, name), writers, points, "PostgreSQL", work)
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def sqlite_outcome(writers: int, points: int, work: Path) -> Outcome:
    return run_load(str(work / "load.db"), writers, points, "SQLite", work)


def outcome_figures(o: Outcome, other: Outcome | None = None) -> list[Figure]:
    p50, p95 = percentile(o.per_point_ms, 0.5), percentile(o.per_point_ms, 0.95)
    right = not o.groups_wrong and o.total == o.expected_total and not o.writer_problems
    where = f"{o.backend}, {o.writers} writers × {o.points}"
    out = [
        Figure(f"load test {where}: points lost / duplicated", "0 / 0",
               f"{o.lost} / {o.duplicated}", o.lost == 0 and o.duplicated == 0),
        Figure(f"  every group {o.points}, total {o.expected_total:,}, writers all OK", "yes",
               "yes" if right else "; ".join([*o.groups_wrong, f"total {o.total}",
                                              *o.writer_problems])[:90], right),
        Figure(f"  tallies read during the run ({o.tallies_read}), never wrong", "0 wrong",
               f"{len(o.tally_problems)} wrong" + (f": {o.tally_problems[0][:60]}"
                                                  if o.tally_problems else ""),
               not o.tally_problems and o.tallies_read > 0),
        Figure(f"  other output lines (not a saved point): {len(o.other_lines)}", "—",
               (o.other_lines[0][:80] if o.other_lines else "none"), None),
        Figure(f"  time per saved point, {len(o.per_point_ms):,} gaps", "—",
               f"p50 {p50:.1f} ms, p95 {p95:.1f} ms; {o.seconds:.1f} s in all", None),
    ]  # fmt: skip
    if other is not None and other.per_point_ms:
        q50, q95 = percentile(other.per_point_ms, 0.5), percentile(other.per_point_ms, 0.95)
        out.append(
            Figure(
                f"  {o.backend} vs {other.backend} per point (p50, p95)",
                "—",
                f"{p50 / q50:.2f} ×, {p95 / q95:.2f} ×",
                None,
            )
        )
    return out


def figures(writers: int = WRITERS, points: int = POINTS) -> list[Figure]:
    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        (work / "pg").mkdir()
        (work / "sqlite").mkdir()
        try:
            pg = pg_outcome(writers, points, work / "pg")
        except Exception as exc:  # no server, no driver: say so, run SQLite anyway
            pg = None
            reason = f"{type(exc).__name__}: {exc}"[:80]
        lite = sqlite_outcome(writers, points, work / "sqlite")
    out = []
    if pg is not None:
        out += outcome_figures(pg, lite)
    else:
        out.append(Figure("load test PostgreSQL", "runs", f"not run: {reason}", False))
    out += outcome_figures(lite)
    return out


if __name__ == "__main__":
    args = sys.argv[1:]
    n_writers = int(args[args.index("--writers") + 1]) if "--writers" in args else WRITERS
    n_points = int(args[args.index("--points") + 1]) if "--points" in args else POINTS
    print_table(figures(n_writers, n_points))
