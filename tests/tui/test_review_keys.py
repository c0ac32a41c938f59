"""Review screen, issue 10: where typed keys go, marked points the filter hides, one undo
step per action, and private points shown as such. Real key presses throughout."""

from __future__ import annotations

import sqlite3

from textual.widgets import Input

from sendtui.config import Config
from sendtui.tui.screens.confirm import ConfirmScreen
from sendtui.tui.screens.review import KEYS_TO_FILTER, KEYS_TO_TABLE, ReviewScreen
from sendtui.tui.widgets.point_table import PointTable
from tests.tui.helpers import SIZE, app_for, screen_text, settle


async def open_review(pilot) -> ReviewScreen:
    await settle(pilot)
    await pilot.press("v")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


def snapshot(config: Config) -> list[tuple]:
    """Every point's kind, privacy, chapters and markers: to prove nothing changed."""
    with sqlite3.connect(config.database_path) as conn:
        points = conn.execute(
            "SELECT id, kind, private, deleted_at FROM point ORDER BY id"
        ).fetchall()
        chapters = conn.execute("SELECT point_id, chapter_id FROM point_chapter ORDER BY 1, 2")
        markers = conn.execute("SELECT point_id, marker_id FROM point_marker ORDER BY 1, 2")
        return [*points, *chapters.fetchall(), *markers.fetchall()]


def chapters_of(config: Config, point_id: int) -> set[str]:
    with sqlite3.connect(config.database_path) as conn:
        rows = conn.execute(
            "SELECT c.code FROM point_chapter pc JOIN chapter c ON c.id = pc.chapter_id "
            "WHERE pc.point_id = ?",
            (point_id,),
        )
        return {r[0] for r in rows}


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def wait_for_message(pilot, before: int) -> None:
    """Until a message beyond the first `before` is shown (a loaded machine can take more
    than one pause to save and say so); at most about five seconds."""
    for _ in range(100):
        if len(messages(pilot.app)) > before:
            return
        await pilot.pause(0.05)


async def test_typing_a_word_on_the_table_filters_and_runs_nothing(
    config: Config, demo_event: int
) -> None:
    """ "parent" used to mark a point private (p), mark every point (a) and open the rename
    dialog (r). Now the first letter starts the filter and the rest goes there too."""
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        table = screen.query_one(PointTable)
        box = screen.query_one("#review-filter", Input)
        before = snapshot(config)
        assert table.has_focus and box.border_title == KEYS_TO_TABLE
        await pilot.press(*"parent")
        await pilot.pause()
        assert box.value == "parent" and box.has_focus
        assert box.border_title == KEYS_TO_FILTER  # the screen says keys go to the filter
        assert app.screen is screen  # no dialog opened
        assert table.marked == set()
        assert snapshot(config) == before
        shown = [table.rows[i] for i in table.view]
        assert shown and all("parent" in r.text.lower() for r in shown)
        await pilot.press("enter")  # back to the table, and the border says so
        assert table.has_focus and box.border_title == KEYS_TO_TABLE


async def test_typing_untagged_on_the_table_is_the_untagged_filter(
    config: Config, demo_event: int
) -> None:
    """u toggles the untagged filter; a letter straight after it joins the word being
    typed, so "untagged" typed out is the same filter and nothing else happens."""
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        table = screen.query_one(PointTable)
        before = snapshot(config)
        await pilot.press(*"untagged")
        await pilot.pause()
        assert screen.query_one("#review-filter", Input).value == "untagged"
        assert table.view and all(not table.rows[i].chapters for i in table.view)
        assert app.screen is screen and table.marked == set()
        await pilot.press("4")  # a digit now goes to the filter, not to 34 points
        await pilot.pause()
        assert snapshot(config) == before


async def test_ctrl_f_puts_the_cursor_at_the_end_of_the_filter(
    config: Config, demo_event: int
) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        box = screen.query_one("#review-filter", Input)
        await pilot.press("ctrl+f", *"local", "home", "escape")  # cursor left at the start
        assert screen.query_one(PointTable).has_focus
        await pilot.press("ctrl+f")
        assert box.has_focus and box.cursor_position == len("local")
        await pilot.press(*" offer")
        assert box.value == "local offer"


async def test_marked_but_hidden_points_are_counted_and_left_alone(
    config: Config, demo_event: int
) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        table = screen.query_one(PointTable)
        total = len(table.rows)
        await pilot.press("ctrl+a")  # mark every point shown: all of them
        assert len(table.marked) == total
        await pilot.press("ctrl+f", *"tribunal", "enter")
        await pilot.pause()
        shown = [table.rows[i].id for i in table.view]
        hidden = total - len(shown)
        assert 0 < len(shown) < total
        text = screen_text(app)
        assert f"Showing {len(shown)} of {total}" in text
        assert f"{total} marked ({hidden} hidden by the filter)" in text
        before = len(messages(app))
        await pilot.press("7")
        await wait_for_message(pilot, before)
        tagged = {pid for pid in (r.id for r in table.rows) if "7" in chapters_of(config, pid)}
        assert set(shown) <= tagged
        assert not (tagged - set(shown)) - {r.id for r in table.rows if "7" in r.chapters}
        said = messages(app)[-1]
        assert f"to chapter 7 ({hidden} marked points hidden by the filter left as is)" in said


async def test_marked_points_all_hidden_does_nothing_and_says_why(
    config: Config, demo_event: int
) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        table = screen.query_one(PointTable)
        await pilot.press("space")  # mark the first point
        await pilot.press("ctrl+f", *"zzzz", "enter")
        await pilot.pause()
        assert "No points match" in screen_text(app)
        before = snapshot(config)
        shown = len(messages(app))
        await pilot.press("4")
        await wait_for_message(pilot, shown)
        assert snapshot(config) == before
        assert "None of the 1 marked points is shown" in messages(app)[-1]
        assert len(table.marked) == 1


async def test_accepting_all_suggestions_is_one_undo_step(config: Config, demo_event: int) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        table = screen.query_one(PointTable)
        before = snapshot(config)
        await pilot.press("u")
        await pilot.pause()
        ready = [table.rows[i] for i in table.view if table.rows[i].suggestion]
        chapters = {r.suggestion for r in ready}
        assert len(ready) > 1 and len(chapters) > 1
        await pilot.press("ctrl+a", "equals_sign")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert messages(app)[-1] == f"Tagged {len(ready)} points to {len(chapters)} chapters."
        assert all(chapters_of(config, r.id) == {r.suggestion} for r in ready)
        await pilot.press("ctrl+z")  # one key undoes the whole action
        await pilot.pause()
        assert snapshot(config) == before
        assert (
            messages(app)[-1] == f"Undid: tagged {len(ready)} points to {len(chapters)} chapters."
        )
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert messages(app)[-1] == "Nothing to undo."
        await pilot.press("ctrl+y", "ctrl+y")
        await pilot.pause()
        assert all(chapters_of(config, r.id) == {r.suggestion} for r in ready)
        assert messages(app)[-1] == "Nothing to redo."


async def test_two_markers_ticked_are_one_undo_step(config: Config, demo_event: int) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        before = snapshot(config)
        await pilot.press("space", "space", "up", "up", "at")  # two points marked, then @
        await pilot.pause()
        await pilot.press("space", "down", "space", "enter")  # tick M1 and M2, apply
        await pilot.pause()
        assert messages(app)[-1] == "Tagged 2 points to M1, M2."
        assert snapshot(config) != before
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert snapshot(config) == before


async def test_private_points_say_so_in_the_detail_pane(config: Config, demo_event: int) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert "private (left out" not in screen_text(app)
        await pilot.press("f7")
        await pilot.pause()
        assert messages(app)[-1] == "Marked 1 point private."
        assert "private (left out of minutes and reports)" in screen_text(app)
        assert screen.query_one(PointTable).current.private


async def test_a_burst_of_keys_reaches_the_filter_whole(config: Config, demo_event: int) -> None:
    """Keys that arrive together (fast typing, a busy machine) all reach the table before
    the focus moves to the filter: none may be lost, none may run a command."""
    from textual import events

    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        table = screen.query_one(PointTable)
        before = snapshot(config)
        for ch in "pause":  # p, a, u and s once ran commands
            app.post_message(events.Key(ch, ch))
        await pilot.pause()
        await pilot.pause()
        assert screen.query_one("#review-filter", Input).value == "pause"
        assert table.marked == set() and snapshot(config) == before
        await pilot.press("enter", "ctrl+a", "4")  # back on the table: commands again
        await pilot.pause()
        assert screen.query_one("#review-filter", Input).value == "pause"
        assert table.marked == {table.rows[i].id for i in table.view}
