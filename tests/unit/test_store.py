"""The SQLite file: private, WAL, foreign keys, migrations, clear errors, two processes."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sendtui.errors import StoreError
from sendtui.store import migrate
from sendtui.store.schema import HEAD
from sendtui.store.store import Store


def test_new_store_is_private_wal_with_foreign_keys(tmp_path: Path) -> None:
    store = Store(tmp_path / "new.db")
    try:
        for name in ("new.db", "new.db-wal", "new.db-shm"):
            path = tmp_path / name
            if path.exists():
                assert stat.S_IMODE(path.stat().st_mode) == 0o600, name
        conn = store.reader
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        with store.session() as s:
            conn2 = s.connection().connection.driver_connection
            assert conn2.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert migrate.current_revision(conn) == HEAD
    finally:
        store.close()


def test_head_matches_the_newest_migration() -> None:
    from alembic.script import ScriptDirectory

    from sendtui.store.migrate import alembic_config

    heads = ScriptDirectory.from_config(alembic_config(None)).get_heads()
    assert heads == [HEAD]


def test_migrations_match_the_models(tmp_path: Path) -> None:
    """Autogenerate finds nothing to do: the migrations create exactly the models' schema."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    store = Store(tmp_path / "m.db")
    try:
        with store.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
        assert diff == []
    finally:
        store.close()


def test_foreign_keys_are_enforced(store) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), store.write() as s:
        from sendtui.models import Group

        s.add(Group(event_id=9999, name="orphan"))


def test_raw_writes_are_durable_checked_and_all_or_nothing(store) -> None:
    """The hot path's stdlib transaction: synchronous=FULL, foreign keys on, and an error
    inside the block leaves nothing behind."""
    with store.write_raw() as conn:
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.in_transaction
    with pytest.raises(StoreError, match=r"(?i)foreign key"), store.write_raw() as conn:
        conn.execute("INSERT INTO scheme (code, title, source) VALUES ('kept?', 'no', '')")
        conn.execute(
            "INSERT INTO topic (group_id, title, title_key, uuid, position) "
            "VALUES (9999, 'orphan', 'orphan', 'u', 0)"
        )
    assert store.reader.execute("SELECT count(*) FROM scheme WHERE code = 'kept?'").fetchone() == (
        0,
    )


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("this is not SQLite " * 100)
    with pytest.raises(StoreError, match="not a sendtui database"):
        Store(path)
    assert path.read_text().startswith("this is not SQLite")


def test_someone_elses_sqlite_file_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE accounts (id INTEGER)")
    with pytest.raises(StoreError, match="not a sendtui database"):
        Store(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write read-only files")
def test_read_only_file_opens_read_only(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    Store(path).close()
    path.chmod(0o400)
    store = Store(path)
    try:
        assert store.read_only
        assert store.reader.execute("SELECT count(*) FROM event").fetchone() == (0,)
        with pytest.raises(StoreError, match="read-only"), store.write_raw():
            pass
    finally:
        store.close()


def test_read_only_file_as_any_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root may write anything, so pretend the permission check says no."""
    path = tmp_path / "ro.db"
    Store(path).close()
    monkeypatch.setattr("sendtui.store.store.os.access", lambda *_: False)
    store = Store(path)
    try:
        assert store.read_only
        with pytest.raises(StoreError, match="read-only"), store.write():
            pass
    finally:
        store.close()


def test_read_only_message_is_clear() -> None:
    from sendtui.store.connection import store_error

    error = store_error(sqlite3.OperationalError("attempt to write a readonly database"), "x.db")
    assert "read-only" in error.message and "not saved" in error.message


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match="newer sendtui"):
        Store(path)


def test_locked_database_gives_a_clear_message(tmp_path: Path) -> None:
    """Another process holds the write lock longer than the busy timeout."""
    path = tmp_path / "locked.db"
    Store(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3,sys,time;c=sqlite3.connect(sys.argv[1],isolation_level=None);"
            "c.execute('BEGIN IMMEDIATE');print('locked',flush=True);time.sleep(3)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        store = Store(path, busy_timeout_ms=200)
        from sendtui.services.events import EventService

        with pytest.raises(StoreError, match="busy"):
            EventService(store).create_event("x", scheme_code="cop-2015")
        store.close()
    finally:
        holder.kill()
        holder.wait()


def test_two_processes_write_to_one_file(tmp_path: Path, config) -> None:
    """Two writers interleave through the busy timeout; nothing is lost or corrupted."""
    from sendtui.services.bootstrap import open_store
    from sendtui.services.events import EventService

    opened = open_store(config)
    events = EventService(opened.store)
    made = events.create_event("Shared", scheme_code="cop-2015")
    group = events.add_group(made.id, "Green Group")
    opened.store.close()
    script = (
        "import sys\nfrom pathlib import Path\n"
        "from sendtui.store.store import Store\nfrom sendtui.services.points import PointEditor\n"
        "from sendtui.services.syntax import ParsedPoint\n"
        "s = Store(Path(sys.argv[1]))\ne = PointEditor(s, int(sys.argv[2]))\n"
        "for i in range(60):\n"
        "    e.add(ParsedPoint(f'{sys.argv[4]} {i}'), group_id=int(sys.argv[3]), topic_id=None)\n"
    )
    args = [str(config.database_path), str(made.id), str(group.id)]
    procs = [
        subprocess.Popen([sys.executable, "-c", script, *args, name])
        for name in ("first", "second")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    with sqlite3.connect(config.database_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        texts = {r[0] for r in conn.execute("SELECT text FROM point")}
    assert len(texts) == 120
