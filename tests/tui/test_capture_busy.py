"""Typing never waits on the store: another process holding the write lock, a crash with
points still waiting, and points saved by another note-taker showing up live."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time

from sendtui.config import Config
from sendtui.paths import REPO_DIR as ROOT
from sendtui.tui.widgets.point_list import PointList
from tests.tui.helpers import SIZE, app_for, screen_text, settle, type_text


def saved(config: Config) -> list[str]:
    with sqlite3.connect(config.database_path) as conn:
        return [
            r[0]
            for r in conn.execute(
                "SELECT text FROM point WHERE deleted_at IS NULL ORDER BY position, uuid"
            )
        ]


def hold_lock(config: Config, seconds: float) -> threading.Thread:
    """Another writer (as a CLI import would) holding BEGIN IMMEDIATE for `seconds`."""
    ready = threading.Event()

    def run() -> None:
        conn = sqlite3.connect(config.database_path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        ready.set()
        time.sleep(seconds)
        conn.execute("ROLLBACK")
        conn.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(5)
    return thread


async def open_event(pilot) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def test_three_points_typed_while_the_store_is_locked(config: Config, event) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await open_event(pilot)
        screen = app.screen
        points = screen.query_one(PointList)
        blocker = hold_lock(config, 3.0)
        started = time.perf_counter()
        for text in ("first point", "second point", "third point"):
            await type_text(pilot, text)
            await pilot.press("enter")
            await pilot.pause()
        assert time.perf_counter() - started < 2.5  # typing did not wait for the lock
        assert [r.text for r in points.rows] == ["first point", "second point", "third point"]
        assert len(points.pending) == 3
        text = screen_text(app)
        assert "saving…" in text
        assert "The database is busy: 3 points waiting." in text
        assert screen.capture_line.value == ""
        assert saved(config) == []  # nothing merged into one point, nothing dropped
        await pilot.press("ctrl+z")  # not an older change while the newest are unsaved
        await pilot.pause()
        assert "3 typed points are still" in screen_text(app)
        blocker.join(10)
        for _ in range(100):
            await pilot.pause(0.05)
            if not points.pending:
                break
        assert saved(config) == ["first point", "second point", "third point"]
        assert not points.pending and all(r.id > 0 for r in points.rows)
        assert "Saved: every point is in the database." in screen_text(app)
        assert "saving…" not in screen_text(app)
        # once the store is free again, a point is saved at once
        await type_text(pilot, "fourth point")
        await pilot.press("enter")
        await pilot.pause()
        assert saved(config)[-1] == "fourth point"


async def test_sub_point_typed_under_a_waiting_point(config: Config, event) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await open_event(pilot)
        points = app.screen.query_one(PointList)
        blocker = hold_lock(config, 1.5)
        await type_text(pilot, "parent point")
        await pilot.press("enter")
        await type_text(pilot, "  child point")
        await pilot.press("enter")
        await pilot.pause()
        assert points.rows[1].parent_id == points.rows[0].id < 0
        blocker.join(10)
        for _ in range(100):
            await pilot.pause(0.05)
            if not points.pending:
                break
        rows = points.rows
        assert rows[1].parent_id == rows[0].id > 0


TYPIST = """
import asyncio, os, signal, sqlite3, sys
from pathlib import Path
from sendtui.config import load_config
from tests.tui.helpers import app_for, settle, type_text

async def main():
    config = load_config(None, database=Path(sys.argv[1]))
    app = app_for(config)
    async with app.run_test(size=(110, 32)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        blocker = sqlite3.connect(sys.argv[1], isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        for text in ("one", "two", "three"):
            await type_text(pilot, text)
            await pilot.press("enter")
            await pilot.pause()
        print("typed", len(app.screen.point_list.pending), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)  # a crash, the lock still held

asyncio.run(main())
"""


async def test_a_crash_with_points_waiting_loses_none_and_doubles_none(
    config: Config, event, tmp_path
) -> None:
    script = tmp_path / "typist.py"
    script.write_text(textwrap.dedent(TYPIST))
    result = subprocess.run(
        [sys.executable, str(script), str(config.database_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=os.getcwd(),
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == -signal.SIGKILL, result.stderr[-2000:]
    assert "typed 3" in result.stdout
    assert saved(config) == []
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await open_event(pilot)
        points = app.screen.query_one(PointList)
        for _ in range(100):
            if saved(config) == ["one", "two", "three"] and not points.pending:
                break
            await pilot.pause(0.05)
        assert saved(config) == ["one", "two", "three"]
        assert [r.text for r in points.rows] == ["one", "two", "three"]
    app = app_for(config)  # and a second start saves nothing twice
    async with app.run_test(size=SIZE) as pilot:
        await open_event(pilot)
        await pilot.pause(0.3)
        assert saved(config) == ["one", "two", "three"]


async def test_points_saved_elsewhere_appear_without_losing_place_or_text(
    config: Config, event
) -> None:
    from sendtui.services.bootstrap import open_store
    from sendtui.services.points import PointEditor
    from sendtui.services.syntax import ParsedPoint

    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await open_event(pilot)
        screen = app.screen
        points = screen.query_one(PointList)
        for text in ("mine one", "mine two"):
            await type_text(pilot, text)
            await pilot.press("enter")
        await pilot.press("up")  # into the list
        await pilot.press("up")  # highlight "mine one"
        assert points.highlighted is not None and points.highlighted.text == "mine one"
        await type_text(pilot, "half typed")  # typing goes back to the capture line
        other = open_store(config).store  # another note-taker on the same file
        PointEditor(other, event["event"]).add(
            ParsedPoint("from the next table"), group_id=event["group"], topic_id=event["topic"]
        )
        other.close()
        for _ in range(40):
            await pilot.pause(0.05)
            if len(points.rows) == 3:
                break
        assert [r.text for r in points.rows] == ["mine one", "mine two", "from the next table"]
        assert points.highlighted is not None and points.highlighted.text == "mine one"
        assert screen.capture_line.value == "half typed"
