"""The app on a store it cannot write: read-only mode with a banner, saving says so."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from sendtui.config import load_config
from tests.tui.helpers import SIZE, app_for, screen_text, settle


@pytest.fixture
def read_only_store(tmp_path: Path, demo_event, config, monkeypatch: pytest.MonkeyPatch):
    """The demo store, which sendtui must believe it cannot write (root writes anything)."""
    monkeypatch.setattr("sendtui.store.store._can_write", lambda _path: False)
    return config.database_path


async def test_read_only_store_opens_with_a_banner_and_refuses_to_save(
    read_only_store: Path, tmp_path: Path
) -> None:
    before = hashlib.sha256(read_only_store.read_bytes()).hexdigest()
    app = app_for(load_config(None, database=read_only_store))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert app.context.read_only
        text = screen_text(app)
        assert "Read-only:" in text and "nothing can be saved" in text
        assert "read-only" in app.title
        assert "SEN Code of Practice" in text  # the events are listed
        await pilot.press("n")  # a new event: the form opens, saving is refused
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        shown = screen_text(app) + " ".join(n.message for n in app._notifications)
        assert "read-only" in shown
        assert "Traceback" not in shown
    assert hashlib.sha256(read_only_store.read_bytes()).hexdigest() == before


async def test_banner_is_on_every_screen_shown(read_only_store: Path) -> None:
    app = app_for(load_config(None, database=read_only_store))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")  # tallies of the demo event
        await settle(pilot)
        assert app.screen.query("#read-only-banner")
        assert "Read-only:" in screen_text(app)


async def test_a_writable_store_has_no_banner(tmp_path: Path, demo_event, config) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.context.read_only
        assert not app.screen.query("#read-only-banner")
