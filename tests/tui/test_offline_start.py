"""A shared server that cannot be reached at start-up: the app names it and offers to work
on a local file (to sync later) instead of leaving the note-taker with nothing."""

from __future__ import annotations

from pathlib import Path

from sendtui.config import load_config
from sendtui.tui.app import make_app
from sendtui.tui.screens.confirm import ConfirmScreen
from tests.tui.helpers import SIZE

UNREACHABLE = "postgresql://forum:s3cret@/sendtui?host=/nonexistent-sendtui-sock&port=5999"


def _config(tmp_path: Path):
    path = tmp_path / "config.toml"
    path.write_text(f'[store]\ndatabase = "{UNREACHABLE}"\n', encoding="utf-8")
    return load_config(path)


async def test_unreachable_server_offers_a_local_file(tmp_path: Path) -> None:
    app = make_app(_config(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)  # not settle(): the store never becomes ready here
        for _ in range(50):
            if isinstance(app.screen, ConfirmScreen):
                break
            await pilot.pause(0.1)
        assert isinstance(app.screen, ConfirmScreen)
        assert "5999" in app.screen.question and "s3cret" not in app.screen.question
        await pilot.press("y")
        for _ in range(50):
            if app.context.store is not None:
                break
            await pilot.pause(0.1)
        store = app.context.store
        assert store is not None and store.path == tmp_path / "data" / "sendtui-offline.db"


async def test_unreachable_server_quit(tmp_path: Path) -> None:
    app = make_app(_config(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)  # not settle(): the store never becomes ready here
        for _ in range(50):
            if isinstance(app.screen, ConfirmScreen):
                break
            await pilot.pause(0.1)
        await pilot.press("n")
        await pilot.pause(0.2)
    assert app.return_code == 2
    assert not (tmp_path / "data").exists()
