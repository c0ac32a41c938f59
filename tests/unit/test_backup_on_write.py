"""The routine backup waits for the first write: reading never copies the file, and the
copy is of the store as it was before that write (issue 12: start-up and reading commands
must not pay for a backup; nothing saved is lost)."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

from sendtui.config import load_config
from sendtui.store import backup, reads
from sendtui.store.store import Store


def count_points(path: Path) -> int:
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT count(*) FROM point").fetchone()[0]


@pytest.fixture
def config(tmp_path: Path):
    """A SQLite store whatever SENDTUI_TEST_BACKEND says: these tests are about the file."""
    return load_config(None, database=tmp_path / "sendtui.db")


@pytest.fixture
def filled(config, demo_event, store) -> Path:
    """The demo event's store file, closed, with no backups yet."""
    store.close()
    for made in backup.backups(config.database_path):
        made.unlink()
    return config.database_path


def add_raw_point(store: Store, text: str) -> None:
    with store.write_raw() as conn:
        conn.execute(
            "INSERT INTO point (uuid, event_id, group_id, topic_id, parent_id, heading, kind, "
            "text, section_ref, position, note_taker, private, created_at, updated_at) "
            "SELECT ?, event_id, group_id, topic_id, NULL, '', 'point', ?, '', position + 1000, "
            "'', 0, created_at, updated_at FROM point ORDER BY id LIMIT 1",
            (f"uuid-{text}", text),
        )


def test_opening_and_reading_make_no_backup(filled: Path) -> None:
    store = Store(filled)
    try:
        assert reads.event_summaries(store.reader)
    finally:
        store.close()
    assert backup.backups(filled) == []


def test_the_first_write_is_preceded_by_a_backup_of_the_store_before_it(filled: Path) -> None:
    before = count_points(filled)
    store = Store(filled)
    try:
        add_raw_point(store, "first")
        add_raw_point(store, "second")
    finally:
        store.close()  # waits for the copy
    (made,) = backup.backups(filled)
    assert count_points(made) == before
    assert count_points(filled) == before + 2


def test_no_second_backup_while_the_last_is_recent(filled: Path) -> None:
    for text in ("one", "two"):
        store = Store(filled)
        try:
            add_raw_point(store, text)
        finally:
            store.close()
    assert len(backup.backups(filled)) == 1


def test_a_new_store_is_not_backed_up(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    store = Store(path)
    try:
        with store.write_raw() as conn:
            conn.execute("SELECT 1")
    finally:
        store.close()
    assert backup.backups(path) == []


def test_the_write_goes_on_while_a_big_copy_is_made(
    filled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The write does not wait for the copy to finish: a copy held back until the write
    has committed still ends up with the store as it was before the write."""
    committed = threading.Event()
    real = sqlite3.Connection.backup

    class SlowSource(sqlite3.Connection):
        def backup(self, target, **kwargs):  # type: ignore[override]
            assert committed.wait(10), "the write waited for the backup"
            return real(self, target, **kwargs)

    opener = backup._open_source

    def open_slow(db_path: Path):
        uri = f"{db_path.absolute().as_uri()}?mode=rw"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, factory=SlowSource)
        return closing(conn)

    monkeypatch.setattr(backup, "_open_source", open_slow)
    before = count_points(filled)
    store = Store(filled)
    try:
        add_raw_point(store, "during the copy")
        committed.set()
    finally:
        store.close()
    monkeypatch.setattr(backup, "_open_source", opener)
    (made,) = backup.backups(filled)
    assert count_points(made) == before
    assert count_points(filled) == before + 1
