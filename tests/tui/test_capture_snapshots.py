"""The capture screen as a note-taker sees it, at 80x24 and 120x40 (update with
--snapshot-update after an intended change, then look at the report)."""

from __future__ import annotations

import sqlite3

from sendtui.config import Config
from tests.tui.helpers import app_for, settle, type_text


async def _open(pilot) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    pilot.app.screen.capture_line.cursor_blink = False  # a blinking cursor is not a change


async def _points(pilot) -> None:
    await _open(pilot)
    for line in ("## Money", "? Who pays for transport? #2", "  the council, we were told"):
        await type_text(pilot, line)
        await pilot.press("enter")
    for line in ("##", "+ Good to be asked #0", "* Send the minutes to the council"):
        await type_text(pilot, line)
        await pilot.press("enter")
    await pilot.pause()


def test_capture_120x40_headings_and_kinds(snap_compare, config: Config, event) -> None:
    assert snap_compare(app_for(config), terminal_size=(120, 40), run_before=_points)


def test_capture_80x24_editing(snap_compare, config: Config, event) -> None:
    async def editing(pilot) -> None:
        await _points(pilot)
        await pilot.press("up", "up")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app_for(config), terminal_size=(80, 24), run_before=editing)


def test_capture_80x24_points_waiting(snap_compare, config: Config, event) -> None:
    blocker = sqlite3.connect(config.database_path, isolation_level=None)

    async def waiting(pilot) -> None:
        await _open(pilot)
        blocker.execute("BEGIN IMMEDIATE")
        for line in ("typed while the store was busy", "and another"):
            await type_text(pilot, line)
            await pilot.press("enter")
        await pilot.pause()

    try:
        assert snap_compare(app_for(config), terminal_size=(80, 24), run_before=waiting)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_capture_80x24_whole_event(snap_compare, config: Config, event) -> None:
    async def whole(pilot) -> None:
        await _points(pilot)
        await pilot.press("ctrl+l")
        await pilot.pause()
        await pilot.press("home")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app_for(config), terminal_size=(80, 24), run_before=whole)
