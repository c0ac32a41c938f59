"""A filter key's result is one frame: the rows, the counts line and the highlighted point's
details all change together, before anything else is drawn (issue 12: what the user waits
for is the frame that shows the result, all of it)."""

from __future__ import annotations

from textual.widgets import Input, Static

from sendtui.config import Config
from sendtui.tui.widgets.point_table import PointTable
from tests.tui.helpers import SIZE, app_for
from tests.tui.test_review import open_review


async def test_the_counts_and_details_change_with_the_rows(config: Config, demo_event: int) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        table = screen.query_one(PointTable)
        await pilot.press("ctrl+f")
        for key in "tribunal":
            await pilot.press(key)
        await pilot.pause()
        first = table.current
        assert first is not None and "tribunal" in first.text.lower()
        detail = screen.query_one("#review-detail", Static)
        assert first.text[:20] in str(detail.render())

        # Straight after filtering, before any message is handled (the table's Moved
        # message included): the details already name the new highlighted point, and the
        # counts line the new number.
        box = screen.query_one("#review-filter", Input)
        box.value = "?"  # questions only: the tribunal point above is not one
        screen.query_text = box.value
        screen.apply_filter()
        now = table.current
        assert now is not None and now.kind == "question" and now is not first
        assert screen._detail_of is now
        assert now.text[:20] in str(detail.render())
        counts = str(screen.query_one("#review-counts", Static).render())
        assert f"Showing {len(table.view):,} of" in counts


async def test_the_highlighted_point_stays_highlighted_while_it_is_shown(
    config: Config, demo_event: int
) -> None:
    """Narrowing the filter keeps the cursor on the same point when the point is still
    shown, in the order made (found by binary search) and in another order."""
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        table = screen.query_one(PointTable)
        for descending in (False, True):
            table.descending = descending
            screen.apply_filter()
            await pilot.press("home")
            for _ in range(7):
                await pilot.press("down")
            chosen = table.current
            assert chosen is not None and table.cursor == 7
            word = max(chosen.text.split(), key=len).lower()
            box = screen.query_one("#review-filter", Input)
            box.value = word
            await pilot.pause()
            assert len(table.view) < len(table.rows)  # the filter hid some points
            assert table.current is chosen
            box.value = ""
            await pilot.pause()
            assert table.current is chosen
