"""The tallies screen: seed 000's table layout, marker coverage, kinds and cross-tabs."""

from __future__ import annotations

from sendtui.config import Config
from sendtui.tui.screens.reports import ReportsScreen
from tests.tui.helpers import app_for, screen_text, settle


async def open_reports(pilot) -> ReportsScreen:
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReportsScreen)
    return pilot.app.screen


async def test_by_chapter_then_other_reports(config: Config, demo_event: int) -> None:
    app = app_for(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_reports(pilot)
        text = screen_text(app)
        assert "Points by chapter" in text and "The Local Offer" in text
        assert "Total" in text and "100.00%" in text
        assert "█" in text  # the bar chart
        await pilot.press("down")  # by marker (coverage)
        await pilot.pause()
        text = screen_text(app)
        assert "M1" in text and "D5" in text  # every marker, with or without points
        await pilot.press("down", "down")  # by kind
        await pilot.pause()
        assert "Question" in screen_text(app)
        await pilot.press("down")  # group × chapter
        await pilot.pause()
        text = screen_text(app)
        assert "Green Group" in text and "Total" in text
        assert "█" not in text  # no chart for a cross-tab


async def test_kind_filter_and_private_toggle(config: Config, demo_event: int) -> None:
    app = app_for(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_reports(pilot)
        await pilot.press("k")  # questions
        await pilot.pause()
        text = screen_text(app)
        assert "Questions by chapter" in text and "Kind: questions" in text
        await pilot.press("p")
        await pilot.pause()
        assert "private points left out" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ReportsScreen)
