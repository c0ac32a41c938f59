"""Issue 2's performance targets, measured (run by hand, not part of the test run):

    python tests/bench/bench_capture.py            # all three
    python tests/bench/bench_capture.py enter      # Enter → visible and committed
    python tests/bench/bench_capture.py startup    # start-up vs a minimal Textual app
    python tests/bench/bench_capture.py import     # import of a 10k-point notes file

Enter: events of 1k, 10k and 100k points, all in ONE topic, so the capture list really holds
N points (the worst case). Each sample types a point and measures from Enter until the point
is committed, appended to the list and the screen has been redrawn (Pilot's idle wait), and,
separately, the synchronous part (commit + list update) alone. "Visible" is the next frame
the compositor produces (every frame passes through App._display).
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.bench.frames import frame_times  # noqa: E402
from tests.bench.generate import cached_store, notes_text  # noqa: E402

SAMPLES = 200


def single_topic_notes(points: int) -> str:
    body = [line for line in notes_text(points).splitlines() if not line.startswith("##")]
    head = body[:4]
    bullets = [line.lstrip() for line in body[4:] if line.strip()]
    return "\n".join([*head, "## Green Group", "### Exercise 1", *bullets]) + "\n"


def make_store(points: int, folder: Path) -> Path:
    from sendtui.config import load_config
    from sendtui.services.bootstrap import open_store
    from sendtui.services.importer import import_notes

    db = folder / f"enter-{points}.db"
    config = load_config(None, database=db)
    opened = open_store(config)
    notes = folder / f"notes-{points}.md"
    notes.write_text(single_topic_notes(points), encoding="utf-8")
    import_notes(
        opened.store, opened.reference, notes, kind_words=config.capture.kind_words.as_dict()
    )
    opened.store.close()
    return db


async def enter_latency(db: Path) -> tuple[list[float], list[float], int]:
    """(ms to the next frame, ms for the synchronous save, rows in the list)."""
    from sendtui.config import load_config
    from sendtui.tui.app import make_app
    from sendtui.tui.widgets.point_list import PointList
    from tests.tui.helpers import settle

    app = make_app(load_config(None, database=db))
    frames = frame_times(app)
    full, sync = [], []
    async with app.run_test(size=(110, 32)) as pilot:
        await settle(pilot)
        app.open_event(1)
        await settle(pilot)
        screen = app.screen
        points = screen.query_one(PointList)
        shown = len(points.rows)
        capture = screen.query_one("#capture")
        for n in range(SAMPLES):
            capture.value = f"benchmark point {n} about the local offer #4 @M1"
            await pilot.pause()
            await asyncio.sleep(0.05)  # let any pending frame go out first
            frames.clear()
            start = time.perf_counter()
            screen.submit(capture.value)
            middle = time.perf_counter()
            while not frames:
                await asyncio.sleep(0)
            assert points.rows[-1].text.startswith(f"benchmark point {n} ")
            sync.append((middle - start) * 1000)
            full.append((frames[0] - start) * 1000)
    return full, sync, shown


def bench_enter() -> None:
    floor = asyncio.run(floor_latency(10_000))
    print(f"Enter → point committed and visible ({SAMPLES} points typed into each event)")
    print(
        f"  Textual floor (same widgets, list of 10,000 lines, no store): median "
        f"{statistics.median(floor):.2f}ms"
    )
    print(f"{'event':>12} {'list rows':>10} {'median':>9} {'p90':>8} {'sync median':>12}")
    with tempfile.TemporaryDirectory() as folder:
        for size in (1_000, 10_000, 100_000):
            db = make_store(size, Path(folder))
            full, sync, shown = asyncio.run(enter_latency(db))
            p90 = statistics.quantiles(full, n=10)[-1]
            print(
                f"{size:>12,} {shown:>10,} {statistics.median(full):>7.2f}ms "
                f"{p90:>6.2f}ms {statistics.median(sync):>10.2f}ms"
            )


async def floor_latency(lines: int) -> list[float]:
    """The framework's own cost for the same change: a screen shaped like the capture screen
    (header, tree, a ScrollView list that grows by one line and scrolls to it, a preview, an
    input cleared on Enter, a footer of ten keys) and no store; measured like enter_latency."""
    from rich.segment import Segment
    from textual.app import App
    from textual.binding import Binding
    from textual.containers import Horizontal, Vertical
    from textual.geometry import Size
    from textual.scroll_view import ScrollView
    from textual.strip import Strip
    from textual.widgets import Footer, Header, Input, Static, Tree

    class Lines(ScrollView):
        def __init__(self) -> None:
            super().__init__(id="lines")
            self.items = [f"line {n}" for n in range(lines)]

        def on_mount(self) -> None:
            self.virtual_size = Size(self.size.width, len(self.items))

        def add(self, text: str) -> None:
            self.items.append(text)
            self.virtual_size = Size(self.size.width, len(self.items))
            self.scroll_end(animate=False, immediate=True)
            self.refresh()

        def render_line(self, y: int) -> Strip:
            index = self.scroll_offset.y + y
            text = self.items[index] if index < len(self.items) else ""
            return Strip([Segment(text.ljust(self.size.width))])

    class Floor(App[None]):
        BINDINGS = [Binding(f"f{n}", "bell", f"Key {n}") for n in range(2, 12)]

        def compose(self):
            yield Header()
            with Horizontal():
                tree: Tree[None] = Tree("Whole event")
                for group in ("Green", "Red", "Blue", "Gold"):
                    tree.root.add_leaf(group)
                yield tree
                with Vertical():
                    yield Lines()
                    yield Static("", id="preview")
                    yield Static("", id="message")
            yield Input(id="capture")
            yield Footer()

        def on_input_submitted(self, event: Input.Submitted) -> None:
            self.query_one(Lines).add(event.value)
            self.query_one("#preview", Static).update(event.value)
            self.query_one("#message", Static).update("Saved.")
            event.input.value = ""

    app = Floor()
    frames = frame_times(app)
    full: list[float] = []
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.pause()
        capture = app.query_one(Input)
        for n in range(SAMPLES):
            capture.value = f"benchmark point {n} about the local offer"
            await pilot.pause()
            await asyncio.sleep(0.05)
            frames.clear()
            start = time.perf_counter()
            app.on_input_submitted(Input.Submitted(capture, capture.value))
            while not frames:
                await asyncio.sleep(0)
            full.append((frames[0] - start) * 1000)
    return full


MINIMAL = """
import os, time
from textual.app import App
from textual.widgets import Label
class Minimal(App):
    def compose(self):
        yield Label("hello")
    def on_mount(self):
        self.call_after_refresh(self.ready)
    def ready(self):
        print(time.time(), flush=True)
        os._exit(0)
Minimal().run(headless=True)
"""

SENDTUI = """
import os, sys, time
from pathlib import Path
from sendtui.config import load_config
from sendtui.tui.app import SendtuiApp, make_app
class Probe(SendtuiApp):
    def on_mount(self):  # Textual also calls SendtuiApp.on_mount (it walks the MRO)
        self.call_after_refresh(self._first_screen)
    def _first_screen(self):
        # the events screen, drawn with its rows (from the stdlib reader)
        table = self.screen.query_one("DataTable")
        assert table.row_count == 1, table.row_count
        print(time.time(), flush=True)
        os._exit(0)  # not waiting for the store to finish opening in its thread
app = make_app(load_config(None, database=Path(sys.argv[1])))
app.__class__ = Probe
app.run(headless=True)
"""


def run_seconds(code: str, *args: str) -> float:
    """Seconds from spawning the process to its first frame (the child prints the time)."""
    start = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True
    )
    return float(done.stdout.strip().splitlines()[-1]) - start


def bench_startup() -> None:
    db = cached_store(100_000)
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.db"
        copy.write_bytes(db.read_bytes())
        run_seconds(MINIMAL)  # warm the file cache and .pyc files
        run_seconds(SENDTUI, str(copy))
        minimal, ours = [], []
        for _ in range(10):
            minimal.append(run_seconds(MINIMAL))
            ours.append(run_seconds(SENDTUI, str(copy)))
    m, o = statistics.median(minimal), statistics.median(ours)
    print("Start-up to the first screen (process start to first frame, median of 10)")
    print(f"  minimal Textual app        {m * 1000:7.0f} ms")
    print(f"  sendtui, 100k-point store  {o * 1000:7.0f} ms   ratio {o / m:.2f} (target ≤ 1.5)")


def bench_import() -> None:
    from sendtui.config import load_config
    from sendtui.services.bootstrap import open_store
    from sendtui.services.importer import import_notes

    times = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as folder:
            notes = Path(folder) / "notes.md"
            notes.write_text(notes_text(10_000), encoding="utf-8")
            config = load_config(None, database=Path(folder) / "i.db")
            opened = open_store(config)
            start = time.perf_counter()
            result = import_notes(
                opened.store,
                opened.reference,
                notes,
                kind_words=config.capture.kind_words.as_dict(),
            )
            times.append(time.perf_counter() - start)
            opened.store.close()
            assert result.new_points == 10_000
    print(
        f"Import of a 10k-point notes file: median {statistics.median(times):.2f} s "
        f"(target ≤ 2 s; runs {', '.join(f'{t:.2f}' for t in times)})"
    )


if __name__ == "__main__":
    wanted = set(sys.argv[1:]) or {"enter", "startup", "import"}
    if "import" in wanted:
        bench_import()
    if "startup" in wanted:
        bench_startup()
    if "enter" in wanted:
        bench_enter()
