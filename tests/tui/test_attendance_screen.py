"""The attendance screen (`a` on the events list): attendees, apologies and actions recorded
with real keys, and what the minutes then say."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from sendtui.config import Config
from sendtui.exporters import write_file
from sendtui.models.kinds import Kind
from sendtui.services.attendance import (
    read_actions,
    read_apologies,
    read_attendees,
)
from sendtui.services.points import PointEditor
from sendtui.services.syntax import ParsedPoint
from sendtui.tui.screens.attendance import AttendanceScreen
from sendtui.tui.screens.confirm import ConfirmScreen
from sendtui.tui.screens.form import FormScreen
from tests.conftest import MARKUP
from tests.tui.helpers import app_for, screen_text, settle, type_text


async def open_attendance(pilot) -> AttendanceScreen:
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AttendanceScreen)
    return screen


async def fill(pilot, *values: str | None) -> None:
    """Type each value into the form's fields in turn (None: leave as it is; Enter moves to
    the next field, and Enter on the last saves)."""
    for value in values:
        if value is not None:
            await type_text(pilot, value)
        await pilot.press("enter")
    await pilot.pause()


async def test_record_attendees_with_real_keys(
    config: Config, event: dict[str, int], tmp_path: Path
) -> None:
    app = app_for(config)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await open_attendance(pilot)
        assert "No attendance recorded yet." in screen_text(app)
        await pilot.press("n")
        assert isinstance(app.screen, FormScreen)
        await fill(pilot, "Ann Smith", "Oak School", None, None, None)
        await pilot.press("n")
        # No name: a number of people; role council (↓ in the list), level information.
        await fill(pilot, None, "Anytown Council")
        await pilot.press("space", "down", "enter")  # the role list: space opens it
        await pilot.press("enter")
        await pilot.press("space", "up", "enter")
        await pilot.press("enter")
        await pilot.press("end", "ctrl+u")
        await fill(pilot, "3")
        await settle(pilot)
        assert isinstance(app.screen, AttendanceScreen)
        rows = read_attendees(app.context.store.reader, event["event"])
        assert [(r.name, r.organisation, r.role, r.level, r.count) for r in rows] == [
            ("Ann Smith", "Oak School", "parent carer", "consultation", 1),
            ("", "Anytown Council", "council", "information", 3),
        ]
        text = screen_text(app)
        assert "4 people: 1 parent carer, 3 council" in text
        assert "by level: information 3, consultation 1" in text


async def test_a_refused_entry_keeps_the_form_and_what_was_typed(
    config: Config, event: dict[str, int]
) -> None:
    app = app_for(config)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_attendance(pilot)
        await pilot.press("n")
        await fill(pilot, MARKUP, None, None, None)
        await pilot.press("end", "ctrl+u")
        await fill(pilot, "lots")
        assert isinstance(app.screen, FormScreen)
        assert "“lots” is not a number of people" in screen_text(app)
        assert read_attendees(app.context.store.reader, event["event"]) == []
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "2")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AttendanceScreen)
        assert MARKUP in screen_text(app)  # shown literally, never as markup
        (row,) = read_attendees(app.context.store.reader, event["event"])
        assert row.name == MARKUP and row.count == 2


async def test_apologies_tab_add_edit_and_remove(config: Config, event: dict[str, int]) -> None:
    app = app_for(config)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_attendance(pilot)
        await pilot.press("2", "n")
        await fill(pilot, "Bo Jones", "Elm School")
        await settle(pilot)
        store = app.context.store
        assert [a.label for a in read_apologies(store.reader, event["event"])] == [
            "Bo Jones (Elm School)"
        ]
        await pilot.press("e")  # edit the one under the cursor
        await pilot.press("end", "ctrl+u")
        await fill(pilot, "Bo Jonas", None)
        await settle(pilot)
        assert [a.name for a in read_apologies(store.reader, event["event"])] == ["Bo Jonas"]
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # changed my mind
        assert read_apologies(store.reader, event["event"])
        await pilot.press("delete")
        await pilot.click("#yes")
        await settle(pilot)
        assert read_apologies(store.reader, event["event"]) == []
        # Kept as a removal marker, so a sync takes the removal to the other laptops.
        kept = store.reader.execute("SELECT name, deleted_at FROM apology").fetchall()
        assert [k[0] for k in kept] == ["Bo Jonas"] and kept[0][1] is not None
        assert screen.query_one("#apologies", DataTable).display is False
        assert "No apologies recorded" in screen_text(app)


async def test_actions_tab_records_an_action_point_with_who_and_when(
    config: Config, event: dict[str, int], tmp_path: Path
) -> None:
    """A point captured with `* ` is listed; `e` on it records it as an action (who, by when)
    and the minutes show the recorded action in its place."""
    store_place = {"group_id": event["group"], "topic_id": event["topic"]}
    app = app_for(config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        store = app.context.store
        PointEditor(store, event["event"]).add(
            ParsedPoint("LA to publish the Local Offer", kind=Kind.ACTION), **store_place
        )
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("3")
        assert "LA to publish the Local Offer" in screen_text(app)
        await pilot.press("e")
        await fill(pilot, None, "Council", "2024-06-30", None)
        await settle(pilot)
        (action,) = read_actions(store.reader, event["event"])
        assert (action.id is not None, action.who, action.due.isoformat()) == (
            True, "Council", "2024-06-30",
        )  # fmt: skip
        await pilot.press("n")
        await fill(pilot, "Survey parents", "Forum", "next week", None)
        assert "is not a date" in screen_text(app)  # the form stays, with the text
        await pilot.press("shift+tab", "end", "ctrl+u")  # back to the date
        await fill(pilot, "2024-07-01", None)  # the Done list left as "not yet": Enter saves
        await settle(pilot)
        assert [a.what for a in read_actions(store.reader, event["event"])] == [
            "LA to publish the Local Offer", "Survey parents",
        ]  # fmt: skip
    minutes = write_file(store, event["event"], tmp_path / "m.md", "md").read_text()
    assert "| LA to publish the Local Offer | Council | 30 June 2024 |  |" in minutes


async def test_a_point_typed_with_the_action_mark_is_in_the_actions_list(
    config: Config, event: dict[str, int]
) -> None:
    app = app_for(config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # open the event to capture
        await settle(pilot)
        await type_text(pilot, "* Forum to write to the LA")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("a", "3")
        await settle(pilot)
        assert "Forum to write to the LA" in screen_text(app)
        (action,) = read_actions(app.context.store.reader, event["event"])
        assert action.id is None and action.what == "Forum to write to the LA"
