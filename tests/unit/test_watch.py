"""Live changes: a watcher sees another writer's commit, cheaply, on both backends."""

from __future__ import annotations

import subprocess
import sys
import time

from sendtui.store.store import Store
from tests.unit.test_pg_store import _event, _point


def _eventually(watcher, seconds: float = 3.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if watcher.changed():
            return True
        time.sleep(0.05)
    return False


def test_a_watcher_sees_another_writers_commit(opened_any, config) -> None:
    from sendtui.services.bootstrap import open_store

    mine = opened_any.store
    other = open_store(config).store
    watcher = mine.watcher()
    try:
        assert watcher.changed() is False  # nothing yet
        with other.write_raw() as conn:
            event, group = _event(conn)
        assert _eventually(watcher)
        assert watcher.changed() is False  # once per batch
        with other.write_raw(event_id=event) as conn:
            _point(conn, event, group, "p1", 1, "from the other laptop")
        assert _eventually(watcher)
        if mine.dialect == "postgresql":
            assert watcher.events in (set(), {event})
        # An ORM write is seen too.
        from sendtui.services.events import EventService

        EventService(other).add_group(event, "Blue Group")
        assert _eventually(watcher)
    finally:
        watcher.close()
        other.close()


def test_a_write_from_another_process_is_seen(opened_any, config) -> None:
    """A CLI import into the same store shows up (SQLite: data_version; PG: NOTIFY)."""
    from tests.conftest import DEMO_NOTES

    watcher = opened_any.store.watcher()
    try:
        assert watcher.changed() is False
        location = str(config.database)
        done = subprocess.run(
            [sys.executable, "-m", "sendtui", "--db", location, "import", str(DEMO_NOTES)],
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert done.returncode == 0, done.stderr
        assert _eventually(watcher)
    finally:
        watcher.close()


def test_changed_is_cheap_and_never_blocks(opened_any) -> None:
    watcher = opened_any.store.watcher()
    try:
        start = time.perf_counter()
        for _ in range(200):
            watcher.changed()
        per_call = (time.perf_counter() - start) / 200
        assert per_call < 0.005, per_call
    finally:
        watcher.close()


def test_a_watcher_whose_server_went_away_says_no_change(opened_any) -> None:
    watcher = opened_any.store.watcher()
    watcher._conn.close()  # the connection drops (Wi-Fi)
    assert watcher.changed() is False
    assert watcher.changed() in (False, True)  # reconnected, no exception
    watcher.close()


def test_store_is_importable_without_a_watcher(tmp_path) -> None:
    Store(tmp_path / "s.db").close()
