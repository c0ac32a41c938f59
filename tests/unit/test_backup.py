"""Backups of the SQLite store: online, private, rotated, checked; restore keeps the old file."""

from __future__ import annotations

import logging
import shutil
import sqlite3
import stat
import time
from pathlib import Path

import pytest

from sendtui.store import backup
from sendtui.store.backup import BackupError


def points(path: Path) -> int:
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT count(*) FROM point").fetchone()[0]


def add_point(path: Path, text: str) -> sqlite3.Connection:
    """A committed point, written the raw way; it stays in the -wal (not checkpointed) while
    the connection returned is open."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute(
        "INSERT INTO point (uuid, event_id, group_id, topic_id, parent_id, heading, kind, text, "
        "section_ref, position, note_taker, private, created_at, updated_at) "
        "SELECT ?, event_id, group_id, topic_id, NULL, '', 'point', ?, '', position + 1000, '', "
        "0, created_at, updated_at FROM point ORDER BY id LIMIT 1",
        (f"uuid-{text}", text),
    )
    return conn


@pytest.fixture
def config(tmp_path: Path):
    """A SQLite store whatever SENDTUI_TEST_BACKEND says: these tests are about the file."""
    from sendtui.config import load_config

    return load_config(None, database=tmp_path / "sendtui.db")


@pytest.fixture
def db(config, demo_event, store) -> Path:
    """The demo event's store, closed, with its points in it, and no backups yet (opening a
    store makes one)."""
    store.close()
    shutil.rmtree(config.database_path.parent / "backups", ignore_errors=True)
    return config.database_path


def test_snapshot_is_a_private_complete_copy_in_backups(db: Path) -> None:
    made = backup.snapshot(db, keep=3)
    assert made is not None
    assert made.parent == db.parent / "backups"
    assert made.name.startswith(f"{db.stem}-") and made.name.endswith("Z.db")
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert points(made) == points(db) > 100
    assert backup.quick_ok(made)
    with sqlite3.connect(made) as conn:  # one self-contained file, no -wal needed beside it
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert not Path(f"{made}-wal").exists()
    assert [p.name for p in (db.parent / "backups").iterdir()] == [made.name]


def test_snapshot_keeps_the_newest_n(db: Path) -> None:
    made = [backup.snapshot(db, keep=3) for _ in range(5)]
    assert all(made)
    assert backup.backups(db) == list(reversed(made[-3:]))
    assert sorted((db.parent / "backups").iterdir()) == sorted(made[-3:])


def test_backups_of_another_store_in_the_same_folder_are_left_alone(db: Path) -> None:
    other = db.with_name("other.db")
    other.write_bytes(db.read_bytes())
    theirs = backup.snapshot(other, keep=1)
    for _ in range(3):
        backup.snapshot(db, keep=1)
    assert theirs is not None and theirs.exists()
    assert len(backup.backups(db)) == 1 and backup.backups(other) == [theirs]


def test_snapshot_while_another_connection_writes_copies_the_committed_state(db: Path) -> None:
    before = points(db)
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE point SET text = 'uncommitted' WHERE id = 1")
    try:
        made = backup.snapshot(db, keep=2)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert made is not None and points(made) == before
    with sqlite3.connect(made) as conn:
        assert conn.execute("SELECT text FROM point WHERE id = 1").fetchone()[0] != "uncommitted"


def test_snapshot_includes_commits_still_in_the_wal(db: Path) -> None:
    writer = add_point(db, "only in the wal")
    assert Path(f"{db}-wal").stat().st_size > 0
    made = backup.snapshot(db, keep=2)
    writer.close()
    assert made is not None
    with sqlite3.connect(made) as conn:
        assert conn.execute("SELECT 1 FROM point WHERE text = 'only in the wal'").fetchone()


def test_a_busy_store_gives_none_quickly_and_says_why(
    db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    locker = sqlite3.connect(db, isolation_level=None)
    locker.execute("PRAGMA locking_mode = EXCLUSIVE")
    locker.execute("BEGIN EXCLUSIVE")
    locker.execute("UPDATE point SET text = text WHERE id = 1")
    try:
        start = time.perf_counter()
        with caplog.at_level(logging.WARNING, logger="sendtui.store.backup"):
            assert backup.snapshot(db, keep=2) is None
        assert time.perf_counter() - start < 2
        assert "busy" in caplog.text
        with pytest.raises(BackupError, match="busy"):
            backup.backup_now(db, keep=2)
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert not list((db.parent / "backups").glob("*.part"))
    assert backup.backups(db) == []


def test_no_backup_when_off_missing_empty_or_recent(tmp_path: Path, db: Path) -> None:
    assert backup.snapshot(db, keep=0) is None
    assert backup.snapshot(tmp_path / "missing.db") is None
    empty = tmp_path / "empty.db"
    empty.touch()
    assert backup.snapshot(empty) is None
    first = backup.snapshot(db, keep=5, every_seconds=300)
    assert first is not None
    assert backup.snapshot(db, keep=5, every_seconds=300) is None  # not due yet
    assert backup.snapshot(db, keep=5, every_seconds=0) is not None
    with pytest.raises(BackupError, match="turned off"):
        backup.backup_now(db, keep=0)


def test_an_unwritable_backups_folder_gives_none_not_an_error(db: Path) -> None:
    (db.parent / "backups").write_text("a file where the folder should be")
    assert backup.snapshot(db) is None
    with pytest.raises(BackupError, match="cannot be written"):
        backup.backup_now(db)


def test_a_damaged_store_never_pushes_out_a_good_backup(db: Path) -> None:
    good = backup.snapshot(db, keep=1)
    data = bytearray(db.read_bytes())
    data[4096 * 3 : 4096 * 6] = b"\xff" * (4096 * 3)  # scribble over some pages
    db.write_bytes(bytes(data))
    Path(f"{db}-wal").unlink(missing_ok=True)
    assert backup.snapshot(db, keep=1) is None
    assert backup.backups(db) == [good]


def test_latest_backup_skips_damaged_ones(db: Path) -> None:
    older = backup.snapshot(db, keep=5)
    newer = backup.snapshot(db, keep=5)
    assert older and newer and backup.latest_backup(db) == newer
    newer.write_bytes(newer.read_bytes()[:5000])  # truncated
    assert backup.latest_backup(db) == older
    older.write_bytes(b"")
    assert backup.latest_backup(db) is None


def test_restore_keeps_the_current_file_and_its_wal_aside(db: Path) -> None:
    made = backup.snapshot(db, keep=2)
    assert made is not None
    before = points(db)
    writer = add_point(db, "typed after the backup")  # still open: a crashed app, say
    assert Path(f"{db}-wal").stat().st_size > 0
    aside = backup.restore(db, made)
    writer.close()
    assert points(db) == before
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0
    assert aside is not None and aside.parent == db.parent and aside != db
    assert "before-restore" in aside.name and aside.suffix == ".db"
    with sqlite3.connect(aside) as conn:  # nothing typed since the backup is lost
        assert conn.execute("SELECT 1 FROM point WHERE text = 'typed after the backup'").fetchone()
    assert made.exists()  # the backup itself stays


def test_restore_over_a_damaged_file_keeps_the_damaged_bytes(db: Path) -> None:
    made = backup.snapshot(db, keep=2)
    assert made is not None
    Path(f"{db}-wal").unlink(missing_ok=True)
    Path(f"{db}-shm").unlink(missing_ok=True)
    damaged = db.read_bytes()[:8192]
    db.write_bytes(damaged)
    aside = backup.restore(db, made)
    assert aside is not None and aside.read_bytes() == damaged
    assert backup.quick_ok(db) and points(db) == points(made)


def test_restore_refuses_a_bad_backup_and_changes_nothing(tmp_path: Path, db: Path) -> None:
    made = backup.snapshot(db, keep=2)
    assert made is not None
    made.write_bytes(made.read_bytes()[:6000])
    original = db.read_bytes()
    with pytest.raises(BackupError, match="integrity"):
        backup.restore(db, made)
    other = tmp_path / "someone-else.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(BackupError, match="not a sendtui database"):
        backup.restore(db, other)
    with pytest.raises(BackupError, match="no such backup"):
        backup.restore(db, tmp_path / "nope.db")
    with pytest.raises(BackupError, match="the store itself"):
        backup.restore(db, db)
    assert db.read_bytes() == original
    assert [p.name for p in db.parent.iterdir() if "before-restore" in p.name] == []


def test_restore_advice_names_the_latest_good_backup_and_the_command(db: Path) -> None:
    assert "No good backup" in backup.restore_advice(db)
    made = backup.snapshot(db, keep=2)
    advice = backup.restore_advice(db)
    assert str(made) in advice and f'restore "{made}"' in advice and str(db) in advice


def test_is_backup_path(db: Path, tmp_path: Path) -> None:
    assert backup.is_backup_path(db.parent / "backups" / "x.csv", db)
    assert not backup.is_backup_path(tmp_path / "elsewhere" / "x.csv", db)
