"""Snapshots of the review and tallies screens at 80x24 and 120x40 (update with
--snapshot-update, then look at the SVGs)."""

from __future__ import annotations

import pytest

from sendtui.config import Config
from tests.tui.helpers import app_for, settle

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_review_table_keys(snap_compare, config: Config, demo_event: int, size) -> None:
    """The table has the keys (its border says so), two points marked."""

    async def open_review(pilot) -> None:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("space", "space")

    assert snap_compare(app_for(config), terminal_size=size, run_before=open_review)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_review_typing_filters(snap_compare, config: Config, demo_event: int, size) -> None:
    """A word typed on the table went to the filter, which says so; marks hidden by it
    are counted."""

    async def typed(pilot) -> None:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("ctrl+a", *"tribunal")
        await pilot.pause()

    assert snap_compare(app_for(config), terminal_size=size, run_before=typed)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
@pytest.mark.parametrize("downs", [0, 4], ids=["by-chapter", "group-chapter"])
def test_tallies(snap_compare, config: Config, demo_event: int, size, downs) -> None:
    async def open_tallies(pilot) -> None:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        for _ in range(downs):
            await pilot.press("down")
        await pilot.pause()

    assert snap_compare(app_for(config), terminal_size=size, run_before=open_tallies)


def test_marker_picker_at_80x24(snap_compare, config: Config, demo_event: int) -> None:
    """@ opens the marker picker for the marked points shown, naming the hidden ones."""

    async def open_picker(pilot) -> None:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("ctrl+f", *"local", "enter", "space", "space")
        await pilot.press("ctrl+f", *" shop", "enter", "at")  # one of the two now hidden
        await pilot.pause()

    assert snap_compare(app_for(config), terminal_size=(80, 24), run_before=open_picker)


def test_accept_all_shown_asks_at_80x24(snap_compare, config: Config, demo_event: int) -> None:
    async def ask(pilot) -> None:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("u", "ctrl+a", "equals_sign")
        await pilot.pause()

    assert snap_compare(app_for(config), terminal_size=(80, 24), run_before=ask)
