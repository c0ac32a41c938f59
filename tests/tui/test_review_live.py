"""Issue 11 on the review and tallies screens: points saved elsewhere (another note-taker,
another process on the same file) show within a second, without losing the user's place;
merge conflicts are found with the `conflicts` filter and settled with one key."""

from __future__ import annotations

import json

from textual.widgets import Input

from sendtui.config import Config
from sendtui.models.base import sql_time, utcnow
from sendtui.services import reports
from sendtui.services.bootstrap import open_store
from sendtui.services.points import PointEditor
from sendtui.services.syntax import ParsedPoint
from sendtui.store import reads
from sendtui.tui.screens.reports import ReportsScreen
from sendtui.tui.screens.review import ReviewScreen
from sendtui.tui.widgets.point_table import PointTable
from tests.tui.helpers import SIZE, app_for, screen_text, settle


def other_laptop(config: Config, event_id: int, text: str) -> int:
    """Save a point through a store of its own, as another note-taker's process would."""
    opened = open_store(config)
    try:
        group = reads.groups(opened.store.reader, event_id)[0].id
        editor = PointEditor(opened.store, event_id)
        return editor.add(ParsedPoint(text), group_id=group, topic_id=None)
    finally:
        opened.store.close()


async def wait_for(pilot, condition, seconds: float = 3.0) -> bool:
    for _ in range(int(seconds / 0.1)):
        if condition():
            return True
        await pilot.pause(0.1)
    return condition()


async def test_points_saved_elsewhere_show_and_the_place_is_kept(
    config: Config, demo_event: int
) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        table = screen.query_one(PointTable)
        await pilot.press("ctrl+f", *"local", "enter", "down", "down", "space", "up")
        await pilot.pause()
        place, marked, shown = table.current.id, set(table.marked), len(table.view)
        before = len(table.rows)
        new = other_laptop(config, demo_event, "The local offer website is out of date")
        assert await wait_for(pilot, lambda: len(table.rows) == before + 1)
        assert new in {table.rows[i].id for i in table.view}  # it matches the filter
        assert len(table.view) == shown + 1
        assert table.current.id == place and table.marked == marked
        assert screen.query_one("#review-filter", Input).value == "local"
        assert f"Showing {shown + 1} of {before + 1}" in screen_text(app)


async def test_conflicts_filter_detail_and_restore(config: Config, demo_event: int) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        table = app.screen.query_one(PointTable)
        point = table.rows[5]
        with app.context.store.write_raw() as conn:  # what a merge writes
            conn.execute(
                "INSERT INTO point_conflict (point_id, field, kept_value, other_value, "
                "other_time, source, created_at) VALUES (?, 'kind', ?, ?, ?, ?, ?)",
                (point.id, json.dumps(point.kind), json.dumps("question"),
                 "2020-01-01 10:00:00.000000", "Red laptop", sql_time(utcnow())),
            )  # fmt: skip
        assert await wait_for(pilot, lambda: "1 with conflicts" in screen_text(app))
        await pilot.press(*"conflicts", "enter")  # letters go to the filter
        await pilot.pause()
        assert [table.rows[i].id for i in table.view] == [point.id]
        text = screen_text(app)
        assert "Conflict: kind: kept" in text and "(Red laptop) had “question”" in text
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert reads.points_by_id(app.context.store.reader, [point.id])[point.id].kind == (
            "question"
        )
        assert table.view == [] and "No points match" in screen_text(app)


async def test_tallies_count_points_saved_elsewhere(config: Config, demo_event: int) -> None:
    app = app_for(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, ReportsScreen)
        total = reports.report(app.context.store.reader, demo_event, "chapter").total
        assert f"│ {total:>5} │" in screen_text(app) or str(total) in screen_text(app)
        other_laptop(config, demo_event, "Another untagged point")
        assert await wait_for(pilot, lambda: str(total + 1) in screen_text(app))
        assert app.screen.by == "chapter"
