"""The app on a shared PostgreSQL store: the events list, and a point typed in capture
reaches the server (where another note-taker's app reads it)."""

from __future__ import annotations

from pathlib import Path

from sendtui.config import load_config
from sendtui.store import reads
from tests.conftest import DEMO_NOTES
from tests.tui.helpers import SIZE, app_for, screen_text, settle, type_text


def _demo_on(location: str, tmp_path: Path, monkeypatch) -> int:
    from sendtui.services.bootstrap import open_store
    from sendtui.services.importer import import_notes

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home"))  # this laptop's own state
    config = load_config(None, database=location)
    opened = open_store(config)
    try:
        result = import_notes(
            opened.store,
            opened.reference,
            DEMO_NOTES,
            kind_words=config.capture.kind_words.as_dict(),
        )
    finally:
        opened.store.close()
    return result.event_id


async def test_the_app_lists_and_captures_on_postgres(
    pg_location: str, tmp_path: Path, monkeypatch
) -> None:
    event_id = _demo_on(pg_location, tmp_path, monkeypatch)
    app = app_for(load_config(None, database=pg_location))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.context.store.dialect == "postgresql"
        assert "SEN Code of Practice" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        await type_text(pilot, "Typed on the shared server")
        await pilot.press("enter")
        await settle(pilot)
        for _ in range(20):
            texts = [p.text for p in reads.points(app.context.store.reader, event_id)]
            if "Typed on the shared server" in texts:
                break
            await pilot.pause(0.1)
        assert "Typed on the shared server" in texts
