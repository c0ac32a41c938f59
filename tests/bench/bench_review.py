"""Issue 3's review-filter target, measured (run by hand, not part of the test run):

    python tests/bench/bench_review.py

The review screen is opened on the 100,000-point store (cached in the temp folder, built
with tests/bench/generate.py if missing), and filters are typed into the filter line one
key at a time, as a coordinator would: words (each letter narrows the last result), then
deleted letter by letter (each key searches everything again), tags, kinds and field
filters. Each keystroke is timed from the key to the next frame the compositor produces,
with the table filtered and the counts updated; "sync" is the filtering alone
(ReviewScreen.apply_filter). Target: ≤ 50 ms a keystroke.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.bench.frames import frame_times  # noqa: E402
from tests.bench.generate import cached_store  # noqa: E402

TYPED = [
    ("words, letter by letter", "local offer", False),
    ("deleting them again", "local offer", True),
    ("a chapter tag", "#4", False),
    ("a marker and a kind", "@M1 ?", False),
    ("a group and untagged", "group:green untagged", False),
    ("words that match nothing", "zebra crossing", False),
]


async def keystrokes(db: Path) -> list[tuple[str, list[float], list[float], int]]:
    from sendtui.config import load_config
    from sendtui.tui.app import make_app
    from sendtui.tui.screens.review import ReviewScreen
    from sendtui.tui.widgets.point_table import PointTable
    from tests.tui.helpers import settle

    app = make_app(load_config(None, database=db))
    frames = frame_times(app)
    sync: list[float] = []
    apply = ReviewScreen.apply_filter

    def timed_apply(self, *, force: bool = False) -> None:
        start = time.perf_counter()
        apply(self, force=force)
        sync.append((time.perf_counter() - start) * 1000)

    ReviewScreen.apply_filter = timed_apply  # type: ignore[method-assign]
    results = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(ReviewScreen(1))
        await settle(pilot)
        screen = app.screen
        table = screen.query_one(PointTable)
        while screen.matcher is None:  # rows load in a worker
            await asyncio.sleep(0.05)
        await settle(pilot)
        rows = len(table.rows)
        box = screen.query_one("#review-filter")
        box.focus()
        for label, text, deleting in TYPED:
            if deleting:
                box.value = text
                box.cursor_position = len(text)
            else:
                box.value = ""
            await pilot.pause()
            await asyncio.sleep(0.1)
            full: list[float] = []
            sync.clear()
            for n in range(len(text)):
                frames.clear()
                start = time.perf_counter()
                if deleting:
                    box.action_delete_left()
                else:
                    box.insert_text_at_cursor(text[n])
                while not frames:
                    await asyncio.sleep(0)
                full.append((frames[0] - start) * 1000)
                await asyncio.sleep(0.03)
            results.append((label, full, list(sync), len(table.view)))
    ReviewScreen.apply_filter = apply  # type: ignore[method-assign]
    print(f"review table of {rows:,} points")
    return results


def main() -> None:
    source = cached_store(100_000)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "review.db"
        shutil.copy(source, db)
        results = asyncio.run(keystrokes(db))
    print("Filter keystroke → table filtered and drawn (target ≤ 50 ms)")
    print(f"  {'typed':28}{'keys':>5}{'median':>9}{'max':>9}{'sync med':>10}{'shown':>9}")
    worst = 0.0
    for label, full, sync, shown in results:
        worst = max(worst, statistics.median(full))
        print(
            f"  {label:28}{len(full):>5}{statistics.median(full):>7.1f}ms{max(full):>7.1f}ms"
            f"{statistics.median(sync):>8.1f}ms{shown:>9,}"
        )
    verdict = "meets" if worst <= 50 else "misses"
    print(f"  slowest median {worst:.1f} ms: {verdict} the target")


if __name__ == "__main__":
    main()
