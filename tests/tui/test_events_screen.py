"""The events list (issues 10 and 11): the cursor comes back to the event just left, the
footer keeps F1, ctrl+q, x and c at 80 columns, `i` imports notes or merges a dump through
the one import service, counts are live; snapshots at 80x24 and 120x40."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import DataTable

from sendtui.config import Config
from sendtui.services.events import EventService
from sendtui.services.points import PointEditor
from sendtui.services.syntax import ParsedPoint
from tests.conftest import DEMO_NOTES
from tests.tui.helpers import app_for, screen_text, settle, type_text


def cursor_key(app) -> str:
    table = app.screen.query_one("#events", DataTable)
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def make_events(store) -> list[int]:
    """Three events, listed newest first: ids 3, 2, 1."""
    events = EventService(store)
    made = []
    for n, date in enumerate(("2024-01-10", "2024-02-10", "2024-03-10"), start=1):
        event = events.create_event(
            f"Event {n}", scheme_code="indicative-2013-03", date=dt.date.fromisoformat(date)
        )
        made.append(event.id)
    return made


@pytest.mark.parametrize(
    ("key", "screen_name"),
    [("v", "ReviewScreen"), ("t", "ReportsScreen"), ("a", "AttendanceScreen"),
     ("x", "ExportScreen"), ("enter", "CaptureScreen")],
)  # fmt: skip
async def test_back_on_the_list_the_cursor_is_on_the_event_just_left(
    config: Config, store, key: str, screen_name: str
) -> None:
    first, *_ = make_events(store)
    app = app_for(config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")  # newest first: the oldest event, "Event 1"
        assert cursor_key(app) == str(first)
        await pilot.press(key)
        await settle(pilot)
        assert type(app.screen).__name__ == screen_name
        # Meanwhile another event is added elsewhere (the list now has a new row on top).
        EventService(app.context.store).create_event("Newest", scheme_code="cop-2015")
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "EventsScreen"
        assert cursor_key(app) == str(first)


async def test_footer_keeps_the_essential_keys_at_80_columns(config: Config, store) -> None:
    make_events(store)
    app = app_for(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        for shown in ("f1 Help", "^q Quit", "x Export", "c Claims"):
            assert shown in footer, footer


async def test_import_a_json_dump_merges_it_and_notes_are_imported(
    config: Config, tmp_path: Path
) -> None:
    """`i` with a .json file merges the dump (as `sendtui import` does; the notes importer
    used to refuse it with thousands of problems); with notes, imports them."""
    from sendtui.config import load_config
    from sendtui.exporters import write_file
    from sendtui.services.bootstrap import open_store
    from sendtui.services.importer import import_notes

    laptop = load_config(None, database=tmp_path / "laptop.db")  # another laptop's store
    opened = open_store(laptop)
    try:
        made = import_notes(opened.store, opened.reference, DEMO_NOTES,
                            kind_words=laptop.capture.kind_words.as_dict())  # fmt: skip
        dump = write_file(opened.store, made.event_id, tmp_path / "dump.json", "json")
    finally:
        opened.store.close()
    app = app_for(config)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await type_text(pilot, str(dump))
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "EventsScreen", screen_text(app)
        store = app.context.store
        assert store.reader.execute("SELECT count(*) FROM event").fetchone()[0] == 1
        assert store.reader.execute("SELECT count(*) FROM point").fetchone()[0] == 355
        notes = tmp_path / "notes.md"
        notes.write_text("# Second event\nDate: 2024-05-01\n\n## Red Group\n- A point\n")
        await pilot.press("i")
        await type_text(pilot, str(notes))
        await pilot.press("enter")
        await settle(pilot)
        assert store.reader.execute("SELECT count(*) FROM event").fetchone()[0] == 2
        assert "Second event" in screen_text(app)


async def test_counts_are_live(config: Config, store) -> None:
    first, *_ = make_events(store)
    group = EventService(store).add_group(first, "Green Group")
    app = app_for(config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#events", DataTable)
        assert str(table.get_cell(str(first), "points")) == "0"
        # Another process (here: another connection) saves two points.
        from sendtui.store.store import Store

        other = Store(config.database_path)
        try:
            editor = PointEditor(other, first)
            for text in ("One", "Two"):
                editor.add(ParsedPoint(text), group_id=group.id, topic_id=None)
        finally:
            other.close()
        for _ in range(20):  # within a second or so
            await pilot.pause(0.1)
            if str(table.get_cell(str(first), "points")) == "2":
                break
        assert str(table.get_cell(str(first), "points")) == "2"


def test_events_screen_80x24(snap_compare, config: Config, demo_event: int) -> None:
    assert snap_compare(app_for(config), terminal_size=(80, 24), run_before=settle)


def test_events_screen_120x40(snap_compare, config: Config, demo_event: int) -> None:
    assert snap_compare(app_for(config), terminal_size=(120, 40), run_before=settle)


def test_attendance_screen_80x24(snap_compare, config: Config, demo_event: int, store) -> None:
    from sendtui.services.attendance import AttendanceService

    service = AttendanceService(store)
    service.add_attendee(demo_event, name="Ann Smith", organisation="Oak School",
                         level="co-production")  # fmt: skip
    service.add_attendee(demo_event, role="parent carer", count=12)
    service.add_attendee(demo_event, organisation="Anytown Council", role="council",
                         level="information", count=2)  # fmt: skip

    async def open_attendance(pilot) -> None:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)

    assert snap_compare(app_for(config), terminal_size=(80, 24), run_before=open_attendance)


@pytest.mark.parametrize(
    ("key", "screen_name"), [("enter", "CaptureScreen"), ("v", "ReviewScreen")]
)
async def test_a_key_pressed_while_the_store_opens_is_not_lost(
    config: Config, store, monkeypatch: pytest.MonkeyPatch, key: str, screen_name: str
) -> None:
    """The list is drawn from a quick read before the store is open (issue 12): Enter opens
    the event at once, and another key's action follows as soon as the store is open."""
    import threading

    from sendtui.tui.app import SendtuiApp

    make_events(store)
    store.close()
    release = threading.Event()
    real_open = SendtuiApp._open

    def slow_open(self):
        assert release.wait(30)
        return real_open(self)

    monkeypatch.setattr(SendtuiApp, "_open", slow_open)
    app = app_for(config)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(200):
            if app.screen.query("#events") and app.screen.query_one(DataTable).row_count:
                break
            await pilot.pause(0.01)
        assert app.context.store is None  # still opening
        await pilot.press(key)
        await pilot.pause()
        if key == "enter":
            assert type(app.screen).__name__ == screen_name  # at once, before the store
        release.set()
        await settle(pilot)
        for _ in range(200):
            if type(app.screen).__name__ == screen_name and app.context.store is not None:
                break
            await pilot.pause(0.01)
        assert type(app.screen).__name__ == screen_name
        assert app.context.store is not None


async def test_the_list_does_not_recount_under_the_capture_screen(
    config: Config, store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counts are re-read while the list shows, not for every point saved on the capture
    screen above it (issue 12: each recount repainted the capture screen); coming back
    shows the new count."""
    from sendtui.tui.screens.events import EventsScreen

    make_events(store)
    EventService(store).add_group(3, "Green Group")
    reloads: list[int] = []
    real = EventsScreen._reload

    def counted(self) -> None:
        reloads.append(1)
        real(self)

    monkeypatch.setattr(EventsScreen, "_reload", counted)
    monkeypatch.setattr(EventsScreen, "POLL_SECONDS", 0.05)
    app = app_for(config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the newest event, 3
        await settle(pilot)
        assert type(app.screen).__name__ == "CaptureScreen"
        reloads.clear()
        for text in ("one point", "another"):
            await type_text(pilot, text)
            await pilot.press("enter")
            await pilot.pause(0.2)
        assert reloads == []
        await pilot.press("escape")
        await settle(pilot)
        assert "2" in str(app.screen.query_one(DataTable).get_row("3")[2])
