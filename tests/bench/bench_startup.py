"""Start-up until the first screen RESPONDS: Enter opens an event (issue 12).

    python tests/bench/bench_startup.py [--runs N]

Both sides are whole processes, paired in the same run (sendtui, baseline, sendtui, …; the
first pair, with cold caches, dropped). Each child is driven by Pilot with real key events:
as soon as its first screen is drawn with its list, it presses Enter, and again every time
the screen did not change, until the next screen is drawn. The figure is from spawning the
process to that frame.

- sendtui: the 100,000-point store; the events screen, Enter opens the event's capture
  screen. Before each run the remembered place (ui_state) and the backups folder are
  cleared, so it opens as after a break of more than a few minutes (a backup is due).
- baseline: a minimal Textual app with an Input and a list (like sendtui's first screen);
  Enter on the list pushes a second screen.

Goal: ≤ 1.5 × the baseline. First paint is shown for context.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.bench.generate import cached_store  # noqa: E402
from tests.bench.verdict import (  # noqa: E402
    PYTHON,
    ROOT,
    Figure,
    fmt_s,
    median,
    print_table,
    ratio_figure,
)

LIMIT = 1.5

PROBE = """
import asyncio, os, sys, time
sys.path.insert(0, @ROOT@)
from tests.bench.frames import frame_log, first_showing

async def drive(app, has_list, opened):
    log = frame_log(app, lambda: (has_list(app), opened(app)), clock=time.time)
    async with app.run_test(size=(110, 32)) as pilot:
        deadline = time.time() + 60
        while first_showing([(t, s[0]) for t, s in log], 0) is None:
            assert time.time() < deadline, "no first screen"
            await asyncio.sleep(0.001)
        first = first_showing([(t, s[0]) for t, s in log], 0)
        while not opened(app):
            assert time.time() < deadline, "Enter never opened the next screen"
            await pilot.press("enter")
        while first_showing([(t, s[1]) for t, s in log], 0) is None:
            await asyncio.sleep(0.001)
        done = first_showing([(t, s[1]) for t, s in log], 0)
        print(first, done, flush=True)
    os._exit(0)
"""

SENDTUI = (
    PROBE
    + """
from pathlib import Path
from sendtui.config import load_config
from sendtui.tui.app import make_app

def has_list(app):
    tables = app.screen.query("DataTable")
    return bool(tables) and tables.first().row_count > 0

def opened(app):
    return type(app.screen).__name__ == "CaptureScreen"

asyncio.run(drive(make_app(load_config(None, database=Path(sys.argv[1]))), has_list, opened))
"""
)

BASELINE = (
    PROBE
    + """
from textual.app import App
from textual.screen import Screen
from textual.widgets import Input, Label, ListItem, ListView

class Opened(Screen):
    def compose(self):
        yield Label("opened")

class Minimal(App):
    def compose(self):
        yield Input(placeholder="filter")
        yield ListView(*(ListItem(Label(f"event {n}")) for n in range(3)), id="events")

    def on_mount(self):
        self.query_one(ListView).focus()

    def on_list_view_selected(self, event):
        self.push_screen(Opened())

def has_list(app):
    lists = app.screen.query("ListView")
    return bool(lists) and len(lists.first().children) > 0

def opened(app):
    return isinstance(app.screen, Opened)

asyncio.run(drive(Minimal(), has_list, opened))
"""
)


def run_child(code: str, *args: str) -> tuple[float, float]:
    """(seconds to the first screen, seconds until Enter had opened the next one)."""
    start = time.time()
    done = subprocess.run(
        [PYTHON, "-c", code.replace("@ROOT@", repr(str(ROOT))), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=180,
    )
    if done.returncode != 0:
        raise RuntimeError(f"start-up probe failed: {done.stderr[-3000:]}")
    first, responded = (float(x) for x in done.stdout.split()[-2:])
    return first - start, responded - start


def fresh_start(db: Path) -> None:
    """As after a break: nothing remembered, no recent backup."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("DELETE FROM ui_state")
    conn.close()
    shutil.rmtree(db.parent / "backups", ignore_errors=True)


def figures(runs: int = 6, points: int = 100_000) -> list[Figure]:
    source = cached_store(points)
    series: dict[str, list[tuple[float, float]]] = {"due": [], "base": [], "recent": []}
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "startup.db"
        shutil.copy(source, db)
        for n in range(runs + 1):  # interleaved; the first round (cold caches) dropped
            fresh_start(db)
            due = run_child(SENDTUI, str(db))
            base = run_child(BASELINE)
            # the run above left a backup seconds old: this one opens without making one
            conn = sqlite3.connect(db)
            with conn:
                conn.execute("DELETE FROM ui_state")
            conn.close()
            recent = run_child(SENDTUI, str(db))
            if n:
                series["due"].append(due)
                series["base"].append(base)
                series["recent"].append(recent)

    def med(name: str, index: int) -> float:
        return median([run[index] for run in series[name]])

    base, first_base = med("base", 1), med("base", 0)
    return [
        ratio_figure(
            f"start-up until Enter opens an event ({points // 1000}k points), median of {runs}",
            med("due", 1),
            base,
            LIMIT,
            "minimal Textual app",
        ),
        ratio_figure(
            "  same, a backup made in the last 5 minutes",
            med("recent", 1),
            base,
            LIMIT,
            "minimal Textual app",
        ),
        Figure(
            "  first paint only (context)",
            "—",
            f"{med('due', 0) / first_base:.2f} × ({fmt_s(med('due', 0))} vs {fmt_s(first_base)})",
            None,
        ),
    ]


if __name__ == "__main__":
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 6
    print_table(figures(runs))
