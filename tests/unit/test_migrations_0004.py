"""Migration 0004 on a store made by the previous sendtui (schema 0003) with attendance:
every row kept, each field stamped with the migration's time, nothing removed; a backup of
the file first; the same on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from sendtui.services.attendance import read_actions, read_apologies, read_attendees
from sendtui.services.record_times import FIELDS, all_fields
from sendtui.store.schema import HEAD
from sendtui.store.store import Store

NOW = "2026-11-01 10:00:00.000000"

ROWS = [
    "INSERT INTO scheme (id, code, title, source) VALUES (1, 's', 'S', '')",
    "INSERT INTO event (id, uuid, title, title_key, date, venue, subject, attendance, "
    f"scheme_id, created_at, updated_at) VALUES (1, 'e1', 'Day', 'day', '2026-01-01', '', '', "
    f"'', 1, '{NOW}', '{NOW}')",
    "INSERT INTO attendee (id, uuid, event_id, name, organisation, role, level, count, "
    "position) VALUES (1, 'a1', 1, 'Ann Smith', 'Oak School', 'school', 'co-production', 1, 1),"
    " (2, 'a2', 1, '', '', 'parent carer', 'consultation', 12, 2)",
    "INSERT INTO apology (id, uuid, event_id, name, organisation, position) "
    "VALUES (1, 'p1', 1, 'Bo Jones', 'NHS Trust', 1)",
    "INSERT INTO action_item (id, uuid, event_id, point_id, what, who, due, done, position) "
    "VALUES (1, 'x1', 1, NULL, 'Send the draft', 'LA', '2024-04-01', TRUE, 1)",
]


def make_0003_store(url: str) -> None:
    """A database at schema 0003, as the previous release left it, with attendance."""
    from alembic import command

    from sendtui.store.migrate import alembic_config

    engine = create_engine(url)
    cfg = alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0003")
        for sql in ROWS:
            connection.execute(text(sql))
    engine.dispose()


def check_migrated(store: Store, before: dt.datetime) -> None:
    conn = store.reader
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
    assert [(a.name, a.organisation, a.role, a.level, a.count)
            for a in read_attendees(conn, 1)] == [
        ("Ann Smith", "Oak School", "school", "co-production", 1),
        ("", "", "parent carer", "consultation", 12),
    ]  # fmt: skip
    assert [(a.name, a.organisation) for a in read_apologies(conn, 1)] == [
        ("Bo Jones", "NHS Trust")
    ]
    assert [(x.what, x.who, x.due, x.done) for x in read_actions(conn, 1)] == [
        ("Send the draft", "LA", dt.date(2024, 4, 1), True)
    ]
    stamp = before.strftime("%Y-%m-%d %H:%M:%S.%f")
    for table in FIELDS:
        rows = conn.execute(f"SELECT field_times, deleted_at FROM {table}").fetchall()
        assert rows
        for raw, deleted in rows:
            assert deleted is None
            times = json.loads(raw)
            assert list(times) == list(FIELDS[table])
            (at,) = set(times.values())  # every field at the migration's one time
            assert at >= stamp
            assert raw == all_fields(table, at)


def test_an_0003_file_with_attendance_migrates_after_a_backup(tmp_path: Path) -> None:
    from sendtui.store import backup

    path = tmp_path / "old.db"
    make_0003_store(f"sqlite:///{path}")
    before = dt.datetime.now(dt.UTC)
    store = Store(path)
    try:
        check_migrated(store, before)
    finally:
        store.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    (copy,) = backup.backups(path)
    with sqlite3.connect(copy) as conn:  # the copy is of the store before migrating
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0003",)
        assert conn.execute("SELECT count(*) FROM attendee").fetchone() == (2,)
        columns = [r[1] for r in conn.execute("PRAGMA table_info(attendee)")]
        assert "field_times" not in columns


def test_an_0003_postgresql_database_migrates(pg_location: str) -> None:
    make_0003_store_pg(pg_location)
    before = dt.datetime.now(dt.UTC)
    store = Store(pg_location)
    try:
        check_migrated(store, before)
    finally:
        store.close()


def make_0003_store_pg(location: str) -> None:
    from sendtui.store import pg

    engine = create_engine(
        "postgresql+psycopg://",
        creator=lambda: pg.connect(location, raw_rows=False, autocommit=False),
    )
    from alembic import command

    from sendtui.store.migrate import alembic_config

    cfg = alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0003")
        for sql in ROWS:
            connection.execute(text(sql))
    engine.dispose()


def test_a_removal_then_downgrade_and_upgrade_keep_the_live_rows(tmp_path: Path) -> None:
    """The downgrade drops removed records (the older schema has no marker) and the rest."""
    from alembic import command

    from sendtui.services.attendance import AttendanceService
    from sendtui.store.migrate import alembic_config

    path = tmp_path / "old.db"
    make_0003_store(f"sqlite:///{path}")
    store = Store(path)
    try:
        AttendanceService(store).remove_apology(1)
        assert read_apologies(store.reader, 1) == []
    finally:
        store.close()
    engine = create_engine(f"sqlite:///{path}")
    cfg = alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0003")
    engine.dispose()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM apology").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM attendee").fetchone() == (2,)


def test_the_migrations_copy_of_the_fields_matches_the_service() -> None:
    from importlib import import_module

    migration = import_module("sendtui.store.migrations.versions.0004_attendance_times_removals")
    assert migration.FIELDS == FIELDS
    for table in FIELDS:
        assert migration.all_fields(table, NOW) == all_fields(table, NOW)


@pytest.mark.parametrize("table", list(FIELDS))
def test_record_times_reject_an_unknown_field(table: str) -> None:
    from sendtui.services.record_times import touch

    with pytest.raises(ValueError, match="not a field"):
        touch(table, "", ["colour"], NOW)
