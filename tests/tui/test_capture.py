"""The note-taker's journey, driven through the real app with Pilot."""

from __future__ import annotations

import sqlite3

from textual.widgets import DataTable, Input

from sendtui.config import Config
from sendtui.store import reads
from sendtui.tui.screens.capture import CaptureScreen
from sendtui.tui.screens.events import EventsScreen
from sendtui.tui.screens.form import FormScreen
from sendtui.tui.widgets.place_tree import PlaceTree
from sendtui.tui.widgets.point_list import PointList
from tests.tui.helpers import SIZE, app_for, screen_text, settle, type_text


def db_points(config: Config) -> list[tuple[str, str, str]]:
    """(text, kind, heading) of saved points, read through a separate connection."""
    with sqlite3.connect(config.database_path) as conn:
        return conn.execute(
            "SELECT text, kind, heading FROM point WHERE deleted_at IS NULL ORDER BY position"
        ).fetchall()


async def new_event(pilot, title: str = "Autumn consultation") -> None:
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FormScreen)
    await type_text(pilot, title)
    await pilot.press("tab")
    await type_text(pilot, "2026-10-01")
    await pilot.press("tab")
    await type_text(pilot, "Town Hall")
    pilot.app.screen.query_one("#field-scheme").value = "indicative-2013-03"
    await pilot.click("#save")
    await settle(pilot)


async def new_group(pilot, name: str) -> None:
    await pilot.press("ctrl+g")
    await pilot.pause()
    await type_text(pilot, name)
    await pilot.press("enter", "enter", "enter")  # name → facilitator → note-taker → save
    await settle(pilot)


async def new_topic(pilot, title: str) -> None:
    await pilot.press("ctrl+t")
    await pilot.pause()
    await type_text(pilot, title)
    await pilot.press("enter")
    await settle(pilot)


async def capture(pilot, line: str) -> None:
    await type_text(pilot, line)
    await pilot.press("enter")
    await pilot.pause()


async def test_create_event_groups_topics_and_capture(config: Config) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, EventsScreen)
        assert "No events yet" in screen_text(app)
        await new_event(pilot)
        assert isinstance(app.screen, CaptureScreen)
        for name in ("Green Group", "Red Group", "Blue Group"):
            await new_group(pilot, name)
        await new_topic(pilot, "Exercise 1")
        screen = app.screen
        tree = screen.query_one(PlaceTree)
        assert screen.group_id is not None and tree.group_name(screen.group_id) == "Blue Group"
        assert tree.topic_title(screen.topic_id) == "Exercise 1"
        capture_line = screen.query_one("#capture", Input)
        assert capture_line.has_focus

        await capture(pilot, "## Remuneration")
        await capture(pilot, "? How do we engage with Health? #3 @M4")
        await capture(pilot, "+ Easier to read than the last one")
        await capture(pilot, "  and a sub-point")
        points = screen.query_one(PointList)
        assert [r.text for r in points.rows] == [
            "How do we engage with Health?",
            "Easier to read than the last one",
            "and a sub-point",
        ]
        assert points.highlighted is not None and points.highlighted.text == "and a sub-point"
        assert capture_line.value == ""
        assert db_points(config) == [
            ("How do we engage with Health?", "question", "Remuneration"),
            ("Easier to read than the last one", "positive", "Remuneration"),
            ("and a sub-point", "point", "Remuneration"),
        ]
        assert points.rows[0].chapters == ("3",) and points.rows[0].markers == ("M4",)
        assert points.rows[2].parent_id == points.rows[1].id
        assert "Remuneration" in screen_text(app)
        assert "Blue Group  3" in screen_text(app) or "Blue Group" in screen_text(app)


async def test_unknown_code_is_refused_and_text_kept(config: Config, event) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await capture(pilot, "Needs clarity #99")
        screen = app.screen
        assert screen.query_one("#capture", Input).value == "Needs clarity #99"
        assert "There is no chapter 99" in screen_text(app)
        assert "#0–#7" in screen_text(app)
        assert db_points(config) == []
        screen.query_one("#capture", Input).value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert "Type a point first" in screen_text(app)


async def test_refusal_names_the_codes_even_at_80_columns(config: Config, event) -> None:
    app = app_for(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await capture(pilot, "Needs clarity #99")
        text = " ".join(screen_text(app).split())
        assert "There is no chapter 99" in text
        assert "#0–#7" in text  # the message wraps instead of being cut off


async def test_a_form_saves_from_any_field_with_ctrl_s(config: Config, event) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "Enter: next field · ^s: add · esc: cancel" in screen_text(app)
        await type_text(pilot, "Gold Group")
        await pilot.press("ctrl+s")  # from the first field; facilitator and note-taker blank
        await settle(pilot)
        assert isinstance(app.screen, CaptureScreen)
        screen = app.screen
        assert screen.place_tree.group_name(screen.group_id) == "Gold Group"


async def test_edit_delete_undo_redo_move_reorder(config: Config, event, store) -> None:
    from sendtui.services.events import EventService

    red = EventService(store).add_group(event["event"], "Red Group")
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        for line in ("first", "second", "third"):
            await capture(pilot, line)
        screen = app.screen
        points = screen.query_one(PointList)

        capture_line = screen.query_one("#capture", Input)
        capture_line.value = "a draft in progress"
        await pilot.pause()
        await pilot.press("up")  # into the list, on "third"
        assert points.has_focus and points.highlighted.text == "third"
        await pilot.press("up", "enter")  # edit "second"
        assert capture_line.value == "second" and capture_line.has_focus
        await pilot.press("end", *"!")
        capture_line.value = "! second, edited #5"
        await pilot.press("enter")
        await pilot.pause()
        assert [r.text for r in points.rows] == ["first", "second, edited", "third"]
        assert points.rows[1].kind == "concern" and points.rows[1].chapters == ("5",)
        assert capture_line.value == "a draft in progress"  # the edit did not lose the draft
        capture_line.value = ""

        await pilot.press("delete")  # list has focus again, on the edited point
        await pilot.pause()
        assert [r.text for r in points.rows] == ["first", "third"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert [r.text for r in points.rows] == ["first", "second, edited", "third"]
        await pilot.press("ctrl+z")  # undo the edit
        await pilot.pause()
        assert points.rows[1].text == "second"
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert points.rows[1].text == "second, edited"

        points.focus()
        points.select_point(points.rows[2].id)
        await pilot.press("alt+up")  # "third" above "second, edited"
        await pilot.pause()
        assert [r.text for r in points.rows] == ["first", "third", "second, edited"]

        await pilot.press("f6")  # move "third" to the Red Group
        await pilot.pause()
        await type_text(pilot, "red")
        await pilot.press("enter")
        await settle(pilot)
        assert [r.text for r in points.rows] == ["first", "second, edited"]
        moved = reads.points(store.reader, event["event"], group_id=red.id)
        assert [r.text for r in moved] == ["third"]


async def test_typing_while_the_list_has_focus_goes_to_the_input(config: Config, event) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await capture(pilot, "keep me")
        await pilot.press("up")
        await pilot.press(*"departed")  # d, e, p… must not delete, edit or mark private
        screen = app.screen
        assert screen.query_one("#capture", Input).value == "departed"
        assert [r.text for r in screen.query_one(PointList).rows] == ["keep me"]
        assert db_points(config) == [("keep me", "point", "")]


async def test_filter_as_you_type(config: Config, demo_event: int) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_event(demo_event)
        await settle(pilot)
        screen = app.screen
        screen.set_place(None, None)  # the whole event
        points = screen.query_one(PointList)
        total = len(points.visible_points)
        await pilot.press("ctrl+f")
        await type_text(pilot, "tribunal")
        await pilot.pause()
        visible = points.visible_points
        assert 0 < len(visible) < total
        assert all("tribunal" in r.text.lower() for r in visible)
        await pilot.press("escape")
        assert len(points.visible_points) == total


async def test_restart_restores_place_heading_and_draft(config: Config, event) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await capture(pilot, "## Practical Steps")
        await type_text(pilot, "half-typed sentence about the loc")
        await pilot.pause()
        # Saved on every keystroke: already in the file before any clean exit.
        with sqlite3.connect(config.database_path) as conn:
            saved = conn.execute("SELECT value FROM ui_state WHERE key LIKE 'capture:%'").fetchone()
        assert "half-typed sentence about the loc" in saved[0]

    again = app_for(config)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = again.screen
        assert isinstance(screen, CaptureScreen)
        assert (screen.group_id, screen.topic_id) == (event["group"], event["topic"])
        assert screen.heading == "Practical Steps"
        assert screen.query_one("#capture", Input).value == "half-typed sentence about the loc"
        assert "Restored the text you were typing" in screen_text(again)


async def test_escape_returns_to_events_and_events_reopen(config: Config, event) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await capture(pilot, "one point")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, EventsScreen)
        table = app.screen.query_one(DataTable)
        assert table.get_row_at(0)[2].plain == "1"

    again = app_for(config)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, EventsScreen)  # left from the events list last time
