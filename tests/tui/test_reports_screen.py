"""The tallies screen: seed 000's table layout, marker coverage, kinds and cross-tabs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

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
        assert "Questions by chapter" in text and "Questions (k)" in text
        assert "private left out (p)" in text  # the reports service's rule
        await pilot.press("p")
        await pilot.pause()
        assert "private counted (p)" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ReportsScreen)


@given(
    counts=st.lists(st.integers(0, 100_000), min_size=1, max_size=15),
    labels=st.lists(st.text(min_size=0, max_size=60), min_size=15, max_size=15),
    width=st.integers(20, 200),
)
def test_chart_lines_fit_the_width(counts: list[int], labels: list[str], width: int) -> None:
    """Every bar line fits the space it is drawn in (at 80 columns they used to wrap)."""
    from decimal import Decimal

    from sendtui.services.reports import Breakdown, CountRow
    from sendtui.tui.screens.reports import bar_chart

    rows = tuple(
        CountRow(str(n), labels[n].replace("\n", " "), c, Decimal(0)) for n, c in enumerate(counts)
    )
    chart = bar_chart(Breakdown("t", rows, sum(counts)), width)
    lines = chart.plain.rstrip("\n").split("\n")
    assert len(lines) == len(rows)
    assert all(cell_len(line) <= width for line in lines)
    if max(counts):
        assert any(line.count("█") >= 1 for line in lines)


async def test_chart_fits_and_table_shows_at_80_by_24(config: Config, demo_event: int) -> None:
    app = app_for(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reports(pilot)
        text = screen_text(app)
        assert "General" in text and "The Local Offer" in text  # the table is not squeezed out
        chart = app.screen.query_one("#report-chart")
        assert chart.virtual_region.width <= app.screen.query_one("#report-scroll").size.width
