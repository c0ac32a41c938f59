"""One store API on both backends: the same schema, rows of the same shape, the same
opening rules, and two writers who see each other's points (issue 11)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendtui.errors import StoreError
from sendtui.models.base import sql_time, utcnow
from sendtui.store import reads
from sendtui.store.pg import translate
from sendtui.store.schema import HEAD
from sendtui.store.store import Store


def test_a_new_store_gets_the_schema_and_its_marker(backend: Path | str) -> None:
    store = Store(backend)
    try:
        conn = store.reader
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
        row = conn.execute("SELECT value FROM store_meta WHERE key = ?", ("application",))
        assert row.fetchone() == ("sendtui",)
        assert store.dialect == ("sqlite" if isinstance(backend, Path) else "postgresql")
    finally:
        store.close()
    Store(backend).close()  # and opens again without migrating


def test_the_migrations_match_the_models_on_each_backend(backend: Path | str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    store = Store(backend)
    try:
        with store.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
        assert diff == []
    finally:
        store.close()


def test_a_newer_schema_is_refused_on_each_backend(backend: Path | str) -> None:
    store = Store(backend)
    with store.write_raw() as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    store.close()
    with pytest.raises(StoreError, match="newer sendtui"):
        Store(backend)


def test_a_postgres_database_of_another_program_is_refused(pg_location: str) -> None:
    import psycopg

    with psycopg.connect(pg_location, autocommit=True) as conn:
        conn.execute("CREATE TABLE accounts (id integer)")
    with pytest.raises(StoreError, match="not a sendtui database"):
        Store(pg_location)
    with psycopg.connect(pg_location, autocommit=True) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchall()
    assert tables == [("accounts",)]


def test_a_postgres_database_without_the_marker_is_refused(pg_location: str) -> None:
    Store(pg_location).close()
    import psycopg

    with psycopg.connect(pg_location, autocommit=True) as conn:
        conn.execute("DELETE FROM store_meta")
    with pytest.raises(StoreError, match="not marked as a sendtui database"):
        Store(pg_location)


def _event(conn, title: str = "Shared") -> tuple[int, int]:
    scheme = conn.execute("SELECT id FROM scheme WHERE code = 'cop-2015'").fetchone()[0]
    now = sql_time(utcnow())
    event = conn.execute(
        "INSERT INTO event (uuid, title, title_key, date, venue, subject, attendance, "
        "scheme_id, created_at, updated_at) VALUES (?, ?, ?, ?, '', '', '', ?, ?, ?) "
        "RETURNING id",
        (f"u-{title}", title, title.lower(), "2026-03-01", scheme, now, now),
    ).fetchone()[0]
    group = conn.execute(
        "INSERT INTO discussion_group (uuid, event_id, name, name_key, facilitator, "
        "note_taker, position) VALUES (?, ?, 'Green', 'green', '', '', 0) RETURNING id",
        (f"g-{title}", event),
    ).fetchone()[0]
    return event, group


def _point(conn, event: int, group: int, uuid: str, position: int, text: str) -> None:
    now = sql_time(utcnow())
    conn.execute(
        "INSERT INTO point (uuid, event_id, group_id, heading, kind, text, section_ref, "
        "position, note_taker, private, created_at, updated_at, field_times) "
        "VALUES (?, ?, ?, '', 'point', ?, '', ?, '', ?, ?, ?, '')",
        (uuid, event, group, text, position, False, now, now),
    )


def test_rows_have_the_same_shape_on_each_backend(opened_any) -> None:
    store = opened_any.store
    with store.write_raw() as conn:
        event, group = _event(conn)
        _point(conn, event, group, "p1", 1, "one")
        _point(conn, event, group, "p2", 2, "two 100%")
    row = store.reader.execute(
        "SELECT e.date, p.created_at, p.text, (SELECT sum(position) FROM point), "
        "(SELECT count(*) FROM point WHERE text LIKE '%100%%') "
        "FROM point p JOIN event e ON e.id = p.event_id WHERE p.uuid = :uuid",
        {"uuid": "p2"},
    ).fetchone()
    assert row[0] == "2026-03-01"
    assert isinstance(row[1], str) and len(row[1]) == len("2026-11-29 10:00:00.000000")
    assert row[2:] == ("two 100%", 3, 1)
    summary = reads.event_summaries(store.reader)
    assert [(s.id, s.title, s.points, str(s.date)) for s in summary] == [
        (event, "Shared", 2, "2026-03-01")
    ]


def test_points_are_ordered_by_position_then_uuid(opened_any) -> None:
    store = opened_any.store
    with store.write_raw() as conn:
        event, group = _event(conn)
        for uuid, position in (("c", 2), ("b", 1), ("a", 2), ("0", 3)):
            _point(conn, event, group, uuid, position, f"text {uuid}")
    texts = [p.text for p in reads.points(store.reader, event)]
    assert texts == ["text b", "text a", "text c", "text 0"]


def test_a_failed_write_leaves_nothing_on_each_backend(opened_any) -> None:
    store = opened_any.store
    with pytest.raises(StoreError, match=r"(?i)foreign key"), store.write_raw() as conn:
        conn.execute("INSERT INTO store_meta (key, value) VALUES ('kept?', 'no')")
        _point(conn, 9999, 9999, "orphan", 1, "orphan")
    assert (
        store.reader.execute("SELECT count(*) FROM store_meta WHERE key = 'kept?'").fetchone()[0]
        == 0
    )


def test_two_writers_see_each_others_points(opened_any, config) -> None:
    from sendtui.services.bootstrap import open_store

    first = opened_any.store
    second = open_store(config).store
    try:
        with first.write_raw() as conn:
            event, group = _event(conn)
        for i in range(5):
            with first.write_raw(event_id=event) as conn:
                _point(conn, event, group, f"first-{i}", 2 * i, f"first {i}")
            with second.write_raw(event_id=event) as conn:
                _point(conn, event, group, f"second-{i}", 2 * i + 1, f"second {i}")
            seen_by_first = {p.text for p in reads.points(first.reader, event)}
            seen_by_second = {p.text for p in reads.points(second.reader, event)}
            assert seen_by_first == seen_by_second
            assert {f"first {i}", f"second {i}"} <= seen_by_first
        assert len(reads.points(second.reader, event)) == 10
    finally:
        second.close()


def test_the_orm_and_raw_paths_agree_on_each_backend(opened_any) -> None:
    from sendtui.services.events import EventService

    events = EventService(opened_any.store)
    made = events.create_event("Événement régional", scheme_code="cop-2015")
    group = events.add_group(made.id, "Ｇreen Group")
    assert events.add_group(made.id, "green group").id == group.id
    assert events.find("ÉVÉNEMENT RÉGIONAL").id == made.id
    (row,) = opened_any.store.reader.execute(
        "SELECT title_key, created_at FROM event WHERE id = ?", (made.id,)
    ).fetchall()
    assert row[0] == "événement régional" and len(row[1]) == 26


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT ? , ?", "SELECT %s , %s"),
        ("x = :name AND y = :y_2", "x = %(name)s AND y = %(y_2)s"),
        ("SELECT a::text, '?:x', \"q?\" FROM t", "SELECT a::text, '?:x', \"q?\" FROM t"),
        ("LIKE '%a' || ?", "LIKE '%%a' || %s"),
        ("'it''s ?' = ?", "'it''s ?' = %s"),
        ("12:30", "12:30"),
    ],
)
def test_parameters_are_translated_outside_quotes(sql: str, expected: str) -> None:
    assert translate(sql) == expected


@given(st.text(alphabet="?:'\"%ab _x1", max_size=60))
def test_translation_never_leaves_a_bare_question_mark(sql: str) -> None:
    out = translate(sql)
    # Outside quotes every ? became %s, and no lone % is left for psycopg to misread.
    in_quote = None
    i = 0
    while i < len(out):
        ch = out[i]
        if in_quote:
            if ch == in_quote:
                in_quote = None
        elif ch in "'\"":
            in_quote = ch
        else:
            assert ch != "?"
        if ch == "%":
            assert out[i + 1 : i + 2] in ("%", "s", "(")
            i += 2
            continue
        i += 1


def test_sqlite_store_is_still_a_plain_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_dropped_server_connection_is_one_message_then_reconnects(pg_location: str) -> None:
    import psycopg

    store = Store(pg_location)
    try:
        reader = store.reader
        pid = reader.execute("SELECT pg_backend_pid()").fetchone()[0]
        with psycopg.connect(pg_location, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        with pytest.raises(StoreError) as caught:
            reads.event_summaries(reader)
        assert "offline" in caught.value.message or "Cannot reach" in caught.value.message
        assert reads.event_summaries(store.reader) == []  # a new connection
    finally:
        store.close()


def test_a_read_transaction_sees_one_moment_on_each_backend(opened_any) -> None:
    store = opened_any.store
    with store.write_raw() as conn:
        event, group = _event(conn)
        _point(conn, event, group, "before", 1, "before")
    snapshot = store.new_reader()
    try:
        snapshot.execute("BEGIN")
        assert snapshot.execute("SELECT count(*) FROM point").fetchone() == (1,)
        with store.write_raw() as conn:
            _point(conn, event, group, "during", 2, "during")
        assert snapshot.execute("SELECT count(*) FROM point").fetchone() == (1,)
        snapshot.execute("ROLLBACK")
        assert snapshot.execute("SELECT count(*) FROM point").fetchone() == (2,)
    finally:
        snapshot.close()
