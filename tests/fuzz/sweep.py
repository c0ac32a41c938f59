"""A generated sweep of bad inputs and faults across sendtui's entry points.

    python -m tests.fuzz.sweep [--quick] [--jobs N] [--timeout S] [--keep]

Notes files, config.toml files, claims CSV files, JSON dumps, command lines, --db values
and damaged stores, about 1,300 cases, each run through `sendtui.cli.main` in a worker
process (tests/fuzz/worker.py) that is killed and restarted when a case takes longer than
--timeout (a hang). Counted per entry point: cases, exit codes, tracebacks (an exception
escaping main(), or "Traceback" on stderr), hangs, refused inputs that changed the store
(the store's bytes before and after, when the exit status is not 0) and terminal escapes
that reached the output. Not collected by pytest (no test functions); the unit tests hold
the regressions this sweep found.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import select
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from tests.fuzz import inputs

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Case:
    category: str
    label: str
    argv: list[str]
    folder: Path
    store: Path | None = None  # a copy of the seed store, hashed before and after
    always_unchanged: bool = False  # another program's file: never changed, whatever the code
    result: dict = field(default_factory=dict)


class Worker:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.fuzz.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=REPO,
            env=self.env,
        )

    def run(self, case: Case, timeout: float) -> dict:
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        assert self.proc and self.proc.stdin and self.proc.stdout
        payload = json.dumps({"argv": case.argv, "cwd": str(case.folder)}, ensure_ascii=True)
        try:
            self.proc.stdin.write(payload + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            self.proc = None
            return {"code": -2, "err": "worker died", "traceback": "", "hang": False}
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            self.kill()
            return {"code": None, "err": "", "traceback": "", "hang": True}
        line = self.proc.stdout.readline()
        if not line:  # the worker died (os._exit, a crash in C code)
            code = self.proc.wait()
            self.proc = None
            return {"code": code, "err": "worker died", "traceback": f"died {code}", "hang": False}
        result = json.loads(line)
        result["hang"] = False
        return result

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


def digest(store: Path | None) -> str | None:
    if store is None:
        return None
    h = hashlib.sha256()
    for suffix in ("", "-wal", "-journal"):
        part = Path(f"{store}{suffix}")
        h.update(suffix.encode())
        if part.is_file():
            h.update(part.read_bytes())
    return h.hexdigest()


def signature(traceback_text: str) -> str:
    """The exception line and the deepest sendtui frame: one line per distinct bug."""
    lines = [line for line in traceback_text.strip().splitlines() if line.strip()]
    last = lines[-1][:160] if lines else "?"
    frames = [
        line.strip()
        for line in lines
        if line.strip().startswith('File "') and "sendtui" in line and "fuzz" not in line
    ]
    where = frames[-1].replace(str(REPO) + "/", "") if frames else ""
    return f"{last}  @ {where}"


def make_seed(root: Path) -> inputs.Seed:
    """A store with the demo event and a month of claims, and a JSON dump of the event."""
    from sendtui.cli import main

    seed = root / "seed"
    seed.mkdir()
    store = seed / "sendtui.db"
    quiet = open(os.devnull, "w")  # noqa: SIM115 - for the whole seeding
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = quiet
    try:
        assert main(["--db", str(store), "import", str(inputs.DEMO_NOTES)]) == 0
        sheet = seed / "claims.csv"
        sheet.write_text(inputs.CLAIMS_CSV, encoding="utf-8")
        main(["--db", str(store), "claims", "import", str(sheet), "--as", "Sweep"])
        evil = seed / "evil.md"  # event 2: every name carries terminal escapes
        evil.write_text(inputs.EVIL_NOTES, encoding="utf-8")
        assert main(["--db", str(store), "import", str(evil)]) == 0
        _add_attendance(store)
        dump = seed / "dump.json"
        assert main(["--db", str(store), "export", "1", "--format", "json", "-o", str(dump)]) == 0
    finally:
        sys.stdout, sys.stderr = saved
        quiet.close()
    with sqlite3.connect(store) as conn:  # fold the WAL in, so copies are one file
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return inputs.Seed(root=root, store=store, dump=dump, notes=inputs.DEMO_NOTES.read_text())


def _add_attendance(path: Path) -> None:
    """Event 1 gets attendees (named, and a number only), an apology and an action from its
    first point, so mutated dumps carry every attendance section."""
    import datetime as dt

    from sendtui.services.attendance import AttendanceService
    from sendtui.store.store import Store

    store = Store(path)
    try:
        attendance = AttendanceService(store)
        attendance.add_attendee(1, name="Ann Smith", organisation="Forum", role="parent carer")
        attendance.add_attendee(1, role="council", level="information", count=12)
        attendance.add_apology(1, name="Bea Jones", organisation="Health")
        first = store.reader.execute(
            "SELECT id FROM point WHERE event_id = 1 ORDER BY position LIMIT 1"
        ).fetchone()[0]
        attendance.add_action(
            1, what="Send the draft", who="Ann", due=dt.date(2026, 12, 1), point_id=first
        )
    finally:
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the cases")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a hang")
    parser.add_argument("--keep", action="store_true", help="keep the case folders")
    parser.add_argument("--only", help="one category (notes, config, csv, dump, cli, db, store)")
    parser.add_argument("--report", type=Path, help="write every failure's details here")
    options = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="sendtui-sweep-"))
    env = dict(os.environ)
    env.update(
        HOME=str(root / "home"),
        XDG_DATA_HOME=str(root / "home" / "data"),
        SENDTUI_CONFIG=str(root / "empty-config.toml"),
        PYTHONPATH=str(REPO),
    )
    env.pop("SENDTUI_DB", None)
    (root / "home").mkdir()
    (root / "empty-config.toml").write_text("", encoding="utf-8")
    os.environ.update({k: env[k] for k in ("HOME", "XDG_DATA_HOME", "SENDTUI_CONFIG")})
    seed = make_seed(root)
    rng = random.Random(20261129)
    cases = inputs.all_cases(seed, rng, Case, scale=0.1 if options.quick else 1.0)
    if options.only:
        cases = [c for c in cases if c.category == options.only]

    worker = Worker(env)
    started = time.monotonic()
    for number, case in enumerate(cases, start=1):
        if case.store is not None and not case.store.exists() and not case.always_unchanged:
            shutil.copy(seed.store, case.store)
        before = digest(case.store)
        case.result = worker.run(case, options.timeout)
        if case.result.get("traceback"):
            worker.kill()  # the next case starts with fresh imports, whatever this one left
        after = digest(case.store)
        code = case.result.get("code")
        case.result["changed"] = before != after and (code != 0 or case.always_unchanged)
        if number % 100 == 0:
            print(f"  {number}/{len(cases)} cases, {time.monotonic() - started:.0f} s", flush=True)
    worker.kill()

    print_summary(cases, time.monotonic() - started, options.report)
    if not options.keep:
        shutil.rmtree(root, ignore_errors=True)
    else:
        print(f"cases kept in {root}")
    bad = sum(1 for c in cases if c.result.get("traceback") or c.result.get("hang"))
    return 1 if bad else 0


def print_summary(cases: list[Case], seconds: float, report: Path | None) -> None:
    rows: dict[str, Counter[str]] = defaultdict(Counter)
    problems: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        row = rows[case.category]
        row["cases"] += 1
        result = case.result
        code = result.get("code")
        row[f"exit {code}" if code in (0, 1, 2) else "exit other"] += 1 if not result["hang"] else 0
        if result.get("traceback"):
            row["tracebacks"] += 1
            problems["traceback: " + signature(result["traceback"])].append(case)
        if result.get("hang"):
            row["hangs"] += 1
            problems["hang"].append(case)
        if result.get("changed"):
            row["changed"] += 1
            problems["store changed by a refused input"].append(case)
        if result.get("out_escape"):
            row["escapes"] += 1
            problems["terminal escape reached the output"].append(case)
    columns = [
        "cases",
        "exit 0",
        "exit 1",
        "exit 2",
        "exit other",
        "tracebacks",
        "hangs",
        "changed",
        "escapes",
    ]
    print(f"\nsendtui sweep: {len(cases)} cases in {seconds:.0f} s\n")
    print(f"{'entry point':<12}" + "".join(f"{c:>11}" for c in columns))
    total: Counter[str] = Counter()
    for category, row in rows.items():
        total.update(row)
        print(f"{category:<12}" + "".join(f"{row[c]:>11}" for c in columns))
    print(f"{'total':<12}" + "".join(f"{total[c]:>11}" for c in columns))
    print(
        "\n(changed: the store's bytes differ after a refused input; escapes: an ESC ] "
        "sequence reached stdout or stderr)"
    )
    if problems:
        print("\nDistinct problems:")
    lines = []
    for what, found in sorted(problems.items(), key=lambda kv: -len(kv[1])):
        example = found[0]
        print(f"  {len(found):>4} × {what}")
        print(f"         e.g. [{example.category}] {example.label}: {_argv(example.argv)}")
        lines.append(f"== {len(found)} × {what}")
        for case in found[:5]:
            lines.append(f"[{case.category}] {case.label}: {_argv(case.argv)}")
            lines.append(case.result.get("traceback") or case.result.get("err") or "")
    if report:
        report.write_text("\n".join(lines), encoding="utf-8", errors="backslashreplace")


def _argv(argv: list[str]) -> str:
    shown = " ".join(a if len(a) < 60 else a[:57] + "…" for a in argv)
    return shown.encode("unicode_escape").decode("ascii")[:300]


if __name__ == "__main__":
    raise SystemExit(main())
