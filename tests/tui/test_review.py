"""The coordinator's review screen, driven through the real app."""

from __future__ import annotations

import sqlite3

from textual.widgets import Input

from sendtui.config import Config
from sendtui.store import reads
from sendtui.tui.screens.confirm import ConfirmScreen
from sendtui.tui.screens.review import ReviewScreen
from sendtui.tui.widgets.point_table import PointTable
from tests.conftest import MARKUP
from tests.tui.helpers import SIZE, app_for, screen_text, settle, type_text


async def open_review(pilot) -> ReviewScreen:
    await settle(pilot)
    await pilot.press("v")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


def chapters_of(config: Config, point_id: int) -> list[str]:
    with sqlite3.connect(config.database_path) as conn:
        return [
            r[0]
            for r in conn.execute(
                "SELECT c.code FROM point_chapter pc JOIN chapter c ON c.id = pc.chapter_id "
                "WHERE pc.point_id = ? ORDER BY c.position",
                (point_id,),
            )
        ]


async def test_filter_counts_and_tagging_with_single_keys(config: Config, demo_event: int) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        table = screen.query_one(PointTable)
        total = len(table.rows)
        assert f"Showing {total:,} of {total:,}" in screen_text(app)

        await pilot.press("ctrl+f")
        await type_text(pilot, "tribunal")
        await pilot.pause()
        shown = [table.rows[i] for i in table.view]
        assert shown and all("tribunal" in r.text.lower() for r in shown)
        assert f"Showing {len(shown)} of {total:,}" in screen_text(app)
        screen.query_one("#review-filter", Input).value = ""
        await pilot.press("enter")  # back to the table

        await pilot.press("u")  # untagged only
        await pilot.pause()
        untagged = len(table.view)
        assert untagged and all(not table.rows[i].chapters for i in table.view)
        first = table.current
        await pilot.press("4")
        await pilot.pause()
        assert chapters_of(config, first.id) == ["4"]
        assert len(table.view) == untagged - 1  # tagged: it leaves the untagged view
        assert f"{untagged - 1} untagged" in screen_text(app)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert chapters_of(config, first.id) == []
        assert len(table.view) == untagged


async def test_bulk_tagging_kinds_and_markers(config: Config, demo_event: int) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        table = screen.query_one(PointTable)
        ids = [table.rows[i].id for i in table.view[:3]]
        await pilot.press("space", "space", "space")
        assert table.selection() == ids
        assert "3 marked" in screen_text(app)
        await pilot.press("7")
        await pilot.pause()
        assert all("7" in chapters_of(config, pid) for pid in ids)
        await pilot.press("7")  # all have it: the same key takes it off again
        await pilot.pause()
        assert not any("7" in chapters_of(config, pid) for pid in ids)
        await pilot.press("question_mark")
        await pilot.pause()
        rows = reads.points_by_id(app.context.store.reader, ids)
        assert {rows[pid].kind for pid in ids} == {"question"}
        await pilot.press("at")  # @: markers, as in the capture syntax
        await pilot.pause()
        await pilot.press("space", "enter")  # tick M1, apply
        await pilot.pause()
        rows = reads.points_by_id(app.context.store.reader, ids)
        assert all("M1" in rows[pid].markers for pid in ids)
        await pilot.press("escape")  # clears the marks
        assert table.marked == set()


async def test_suggestions_are_accepted_only_when_asked(config: Config, demo_event: int) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        table = screen.query_one(PointTable)
        await pilot.press("u")
        await pilot.pause()
        suggested = [table.rows[i] for i in table.view if table.rows[i].suggestion]
        assert suggested, "the demo has untagged points with suggestions"
        assert all(chapters_of(config, r.id) == [] for r in suggested)  # nothing silent
        target = suggested[0]
        table.cursor = table.view.index(table.rows.index(target))
        await pilot.pause()
        assert f"Suggested: #{target.suggestion}" in screen_text(app)
        await pilot.press("equals_sign")  # = accepts the suggestion
        await pilot.pause()
        assert chapters_of(config, target.id) == [target.suggestion]
        rest = [r for r in suggested if r.id != target.id]
        await pilot.press("ctrl+a", "equals_sign")  # mark all shown, accept: it asks first
        await pilot.pause()
        assert f"Tag {len(rest)} points with their suggested chapters" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        assert all(chapters_of(config, r.id) == [r.suggestion] for r in rest)


async def test_two_digit_chapters(config: Config, store) -> None:
    from sendtui.services.events import EventService
    from sendtui.services.points import PointEditor
    from sendtui.services.syntax import ParsedPoint

    events = EventService(store)
    made = events.create_event("CoP 2015 event", scheme_code="cop-2015")
    group = events.add_group(made.id, "Gold Group")
    editor = PointEditor(store, made.id)
    first = editor.add(ParsedPoint("disagreement resolution"), group_id=group.id, topic_id=None)
    second = editor.add(ParsedPoint("principles"), group_id=group.id, topic_id=None)
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        table = screen.query_one(PointTable)
        assert table.current.id == first
        await pilot.press("1", "1")
        await pilot.pause()
        assert chapters_of(config, first) == ["11"]
        await pilot.press("down", "1")
        await pilot.pause(1.0)  # "1" could start 10 or 11: it waits, then tags chapter 1
        assert chapters_of(config, second) == ["1"]


async def test_rename_a_group_merges_by_name(config: Config, demo_event: int) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        table = screen.query_one(PointTable)
        before = len(table.rows)
        green = sum(1 for r in table.rows if r.group == "Green Group")
        red = sum(1 for r in table.rows if r.group == "Red Group")
        for answer in ("n", "y"):  # merging cannot be undone: it asks first
            await pilot.press("f2")
            await pilot.pause()
            app.screen.query_one("#field-name", Input).value = "Red Group"  # what: the group
            await pilot.click("#save")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert "“Red Group” already exists: merge into it?" in screen_text(app)
            await pilot.press(answer)
            await settle(pilot)
            if answer == "n":
                table = app.screen.query_one(PointTable)
                assert sum(1 for r in table.rows if r.group == "Green Group") == green
        table = app.screen.query_one(PointTable)
        assert len(table.rows) == before
        assert sum(1 for r in table.rows if r.group == "Red Group") == green + red
        assert not any(r.group == "Green Group" for r in table.rows)


async def test_a_plain_rename_does_not_ask(config: Config, demo_event: int) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await pilot.press("f2")
        await pilot.pause()
        app.screen.query_one("#field-name", Input).value = "Green Table"
        await pilot.click("#save")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        groups = {r.group for r in app.screen.query_one(PointTable).rows}
        assert "Green Table" in groups and "Green Group" not in groups


async def test_markup_in_points_shows_literally(config: Config, event, store) -> None:
    from sendtui.services.points import PointEditor
    from sendtui.services.syntax import ParsedPoint

    PointEditor(store, event["event"]).add(
        ParsedPoint(MARKUP), group_id=event["group"], topic_id=event["topic"], heading=MARKUP
    )
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        text = screen_text(app)
        assert MARKUP in text  # the detail line shows it whole
        await pilot.click(PointTable, offset=(60, 1))
        assert app.is_running
