"""F1 on the review screen explains the review keys (letters filter, digits tag…)."""

from __future__ import annotations

from sendtui.config import Config
from sendtui.tui.screens.help import HelpScreen
from tests.tui.helpers import SIZE, app_for, settle


async def test_f1_on_review_lists_the_review_keys(config: Config) -> None:
    app = app_for(config, demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape")  # the demo opens on its capture screen
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.query("#help-review")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")  # back to the events list: F1 there has no review part
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert not app.screen.query("#help-review")
