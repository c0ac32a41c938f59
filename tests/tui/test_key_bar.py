"""The key bar at the foot of each screen (issue 12: one widget, not one per key): the keys
in the screen's order, F1 first; clicking a key presses it; the palette key on the right
when there is room."""

from __future__ import annotations

from sendtui.config import Config
from sendtui.tui.widgets.key_bar import KeyBar
from tests.tui.helpers import app_for, screen_text, settle


async def test_clicking_a_key_presses_it(config: Config, demo_event: int) -> None:
    app = app_for(config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert footer.startswith(" f1 Help")
        column = footer.index("x Export")
        await pilot.click(KeyBar, offset=(column, 0))
        await settle(pilot)
        assert type(app.screen).__name__ == "ExportScreen"


async def test_the_palette_key_shows_on_the_right_only_when_there_is_room(
    config: Config, demo_event: int
) -> None:
    app = app_for(config)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        wide = screen_text(app).splitlines()[-1]
        assert wide.rstrip().endswith("^p palette") and "f1 Help" in wide
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        narrow = screen_text(app).splitlines()[-1]
        assert narrow.startswith(" f1 Help") and "palette" not in narrow


async def test_markup_in_a_description_stays_text(config: Config, demo_event: int) -> None:
    """Key descriptions come from bindings (ours or a user's keymap), drawn as plain text."""
    app = app_for(config)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen._bindings.bind("z", "app.bell", "[b]bold[/b]", show=True)
        screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert "[b]bold[/b]" in screen_text(app).splitlines()[-1]
