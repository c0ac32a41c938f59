"""Snapshot tests: each screen as a user sees it (update with --snapshot-update)."""

from __future__ import annotations

from sendtui.config import Config
from tests.tui.helpers import app_for, settle

SIZE = (110, 32)


async def steady(pilot) -> None:
    """Settled, with the capture line's cursor not blinking: the point editor loads while
    the event loop runs on, so the blink's phase at the snapshot would vary."""
    await settle(pilot)
    pilot.app.screen.capture_line.cursor_blink = False


def test_events_screen(snap_compare, config: Config, demo_event: int) -> None:
    assert snap_compare(app_for(config), terminal_size=SIZE, run_before=settle)


def test_events_screen_empty(snap_compare, config: Config) -> None:
    assert snap_compare(app_for(config), terminal_size=(80, 24), run_before=settle)


def test_capture_screen_on_the_demo(snap_compare, config: Config) -> None:
    assert snap_compare(app_for(config, demo=True), terminal_size=SIZE, run_before=steady)


def test_capture_screen_small_terminal(snap_compare, config: Config) -> None:
    async def into_list(pilot) -> None:
        await steady(pilot)
        await pilot.press("up", "up")

    assert snap_compare(app_for(config, demo=True), terminal_size=(80, 24), run_before=into_list)


def test_new_event_form(snap_compare, config: Config, monkeypatch) -> None:
    import datetime as dt

    from sendtui.tui.screens import events

    monkeypatch.setattr(events, "today", lambda: dt.date(2026, 10, 1))

    async def open_form(pilot) -> None:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()

    assert snap_compare(app_for(config), terminal_size=(80, 24), run_before=open_form)


def test_help_screen(snap_compare, config: Config) -> None:
    async def open_help(pilot) -> None:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(app_for(config, demo=True), terminal_size=SIZE, run_before=open_help)


def test_review_screen(snap_compare, config: Config, demo_event: int) -> None:
    async def open_review(pilot) -> None:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("u", "space")

    assert snap_compare(app_for(config), terminal_size=SIZE, run_before=open_review)


def test_reports_screen(snap_compare, config: Config, demo_event: int) -> None:
    async def open_reports(pilot) -> None:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)

    assert snap_compare(app_for(config), terminal_size=(110, 40), run_before=open_reports)


def test_export_modal(snap_compare, config: Config, demo_event: int) -> None:
    async def open_export(pilot) -> None:
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        from textual.widgets import Input

        pilot.app.screen.query_one("#export-path", Input).value = "/tmp/minutes.docx"
        await pilot.pause()

    assert snap_compare(app_for(config), terminal_size=(80, 24), run_before=open_export)


def test_move_to_place_picker(snap_compare, config: Config) -> None:
    async def open_picker(pilot) -> None:
        await steady(pilot)
        await pilot.press("up", "f6")  # into the list, then move the point
        await pilot.pause()

    assert snap_compare(app_for(config, demo=True), terminal_size=(80, 24), run_before=open_picker)


def test_marker_picker(snap_compare, config: Config, demo_event: int) -> None:
    async def open_picker(pilot) -> None:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("at")
        await pilot.pause()

    assert snap_compare(app_for(config), terminal_size=SIZE, run_before=open_picker)


def test_confirmation(snap_compare, config: Config, demo_event: int) -> None:
    async def accept_all(pilot) -> None:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("ctrl+a", "equals_sign")  # accept every shown suggestion: asks first
        await pilot.pause()

    assert snap_compare(app_for(config), terminal_size=(80, 24), run_before=accept_all)


def test_database_error_message(snap_compare) -> None:
    from pathlib import Path

    from sendtui.config import load_config
    from sendtui.tui.screens.message import MessageScreen

    folder = Path("/tmp/sendtui-snapshot")  # fixed: the message names the file
    folder.mkdir(exist_ok=True)
    notes = folder / "notes.db"
    notes.write_text("These are my notes, not a database.\n" * 200, encoding="utf-8")

    async def until_message(pilot) -> None:
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(pilot.app.screen, MessageScreen):
                break
        assert isinstance(pilot.app.screen, MessageScreen)

    app = app_for(load_config(None, database=notes))
    assert snap_compare(app, terminal_size=(80, 24), run_before=until_message)
