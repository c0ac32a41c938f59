"""User text is shown literally everywhere, and markup in it never runs an action."""

from __future__ import annotations

from textual.widgets import Input

from sendtui.config import Config
from sendtui.services.events import EventService
from sendtui.services.points import PointEditor
from sendtui.services.syntax import ParsedPoint
from sendtui.tui.widgets.point_list import PointList
from tests.conftest import MARKUP
from tests.tui.helpers import SIZE, app_for, screen_text, settle


def seed(store) -> int:
    events = EventService(store)
    event = events.create_event(MARKUP, scheme_code="cop-2015", venue=MARKUP)
    group = events.add_group(event.id, MARKUP)
    topic = events.add_topic(group.id, MARKUP + " topic")
    PointEditor(store, event.id).add(
        ParsedPoint(MARKUP, chapters=("4",)),
        group_id=group.id,
        topic_id=topic.id,
        heading=MARKUP + " heading",
    )
    return event.id


async def test_every_widget_shows_markup_literally(config: Config, store) -> None:
    seed(store)
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert MARKUP in screen_text(app)  # the events table: title and venue
        assert screen_text(app).count(MARKUP) == 2
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        # tree (group, topic), context line, heading separator, the point's line, the preview,
        # and the header's sub-title (the event title)
        assert text.count(MARKUP) >= 6, text
        assert MARKUP + " heading" in text and MARKUP + " topic" in text
        # Clicking the point's line must not quit (or do anything but highlight it).
        points = app.screen.query_one(PointList)
        await pilot.click(PointList, offset=(10, 1))
        await pilot.click(PointList, offset=(4, 1))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert points.rows[0].text == MARKUP


async def test_error_messages_quote_typed_text_literally(config: Config, store) -> None:
    seed(store)
    app = app_for(config)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        capture = app.screen.query_one("#capture", Input)
        capture.value = "x #4[bold]"
        await pilot.press("enter")
        await pilot.pause()
        assert "“#4[bold]” looks like a chapter tag" in screen_text(app)
        app.say("[@click=app.quit]notify[/]")
        await pilot.pause(0.3)
        toasts = [str(toast.render()) for toast in app.screen.query("Toast")]
        assert any("[@click=app.quit]notify[/]" in text for text in toasts), toasts


async def test_whole_event_view_waiting_points_and_renames_show_markup_literally(
    config: Config, store
) -> None:
    import sqlite3

    seed(store)
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        blocker = sqlite3.connect(config.database_path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        screen.capture_line.value = MARKUP + " waiting"
        await pilot.press("enter")  # a stand-in row, drawn from the typed text
        await pilot.pause()
        assert MARKUP + " waiting" in screen_text(app)
        blocker.execute("ROLLBACK")
        blocker.close()
        screen.place_tree.select_place(None, None)
        await pilot.press("ctrl+l", "enter")  # the whole event: each point shows its group
        await pilot.pause()
        text = screen_text(app)
        assert text.count(MARKUP[:16]) >= 3, text
        assert app.is_running and app.return_code is None
