"""Tallies, issue 10: tables never cut a column (they scroll sideways), and private points
follow the one rule `sendtui report` follows. Real key presses."""

from __future__ import annotations

import re

from sendtui.config import Config
from sendtui.services import reports
from sendtui.services.points import PointEditor
from sendtui.tui.screens.reports import ReportsScreen
from tests.tui.helpers import app_for, screen_text, settle


async def open_tallies(pilot, downs: int = 0) -> ReportsScreen:
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReportsScreen)
    for _ in range(downs):
        await pilot.press("down")
    await pilot.pause()
    return pilot.app.screen


def whole(number: int, text: str) -> bool:
    return re.search(rf"(?<![\d,]){number:,}(?![\d,])", text) is not None


async def scroll_to_the_end(pilot) -> str:
    """Press → until the table stops moving; the screen text then."""
    scroll = pilot.app.screen.query_one("#report-scroll")
    for _ in range(60):
        before = scroll.scroll_x
        await pilot.press("right")
        await pilot.pause()
        if scroll.scroll_x == before:
            break
    return screen_text(pilot.app)


async def test_chapter_by_kind_shows_every_number_whole(config: Config, demo_event: int) -> None:
    """At 120 columns the Total column was cut ("4, 11" for 41, 114): now every total
    is there in full once the table is scrolled to its right edge."""
    app = app_for(config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_tallies(pilot, downs=5)
        table = reports.report(app.context.store.reader, demo_event, "chapter-kind")
        assert screen.by == "chapter-kind"
        text = screen_text(app)
        assert "← → more" in text  # it says there are columns off the screen
        text = await scroll_to_the_end(pilot)
        assert "Total" in text.splitlines()[4]
        for total in (*table.row_totals, table.total):
            assert whole(total, text), total


async def test_group_by_chapter_keeps_untagged_and_total_at_80(
    config: Config, demo_event: int
) -> None:
    app = app_for(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tallies(pilot, downs=4)
        table = reports.report(app.context.store.reader, demo_event, "group-chapter")
        assert "← → more" in screen_text(app)
        text = await scroll_to_the_end(pilot)
        header = next(line for line in text.splitlines() if "Untagged" in line)
        assert "Total" in header
        assert whole(table.total, text)
        for total in table.row_totals:
            assert whole(total, text)
        await pilot.press("left", "left", "left", "left", "left", "left")
        await pilot.pause()
        assert "Green Group" in screen_text(app)


async def test_private_points_follow_the_report_rule(config: Config, demo_event: int) -> None:
    """Tallies and `sendtui report` both leave private points out unless asked, and say
    how many they left out; p counts them."""
    app = app_for(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        PointEditor(app.context.store, demo_event).set_private([1, 2, 3], True)
        await open_tallies(pilot)
        conn = app.context.store.reader
        default = reports.report(conn, demo_event, "chapter")  # what `sendtui report` prints
        counted = reports.report(conn, demo_event, "chapter", include_private=True)
        assert default.total < counted.total
        text = screen_text(app)
        assert "private left out (p)" in text
        assert "3 private points are left out." in text
        assert whole(default.total, text) and not whole(counted.total, text)
        await pilot.press("p")
        await pilot.pause()
        text = screen_text(app)
        assert "private counted (p)" in text and whole(counted.total, text)
