"""Migration 0005 on a store made by the previous sendtui (schema 0004) with points: the
tally is filled with the counts the points give, its triggers keep it right afterwards, and
a downgrade removes both (and the pause table); the same on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from sendtui.services import reports
from sendtui.store import tally
from sendtui.store.schema import HEAD
from sendtui.store.store import Store

NOW = "2026-11-01 10:00:00.000000"
POINT = (
    "INSERT INTO point (id, uuid, event_id, group_id, heading, kind, text, section_ref, "
    "position, note_taker, private, created_at, updated_at, deleted_at, field_times) VALUES "
)
ROWS = [
    "INSERT INTO scheme (id, code, title, source) VALUES (1, 's', 'S', '')",
    "INSERT INTO chapter (id, scheme_id, code, title, keywords, position) VALUES "
    "(1, 1, '1', 'One', '', 1), (2, 1, '2', 'Two', '', 2), (3, 1, '3', 'Three', '', 3)",
    "INSERT INTO marker (id, code, level, title, keywords, position) "
    "VALUES (1, 'M1', 'm', 'Mark', '', 1)",
    "INSERT INTO event (id, uuid, title, title_key, date, venue, subject, attendance, "
    f"scheme_id, created_at, updated_at) VALUES (1, 'e1', 'Day', 'day', '2026-01-01', '', '', "
    f"'', 1, '{NOW}', '{NOW}')",
    "INSERT INTO discussion_group (id, uuid, event_id, name, name_key, facilitator, "
    "note_taker, position) VALUES (1, 'g1', 1, 'Green', 'green', '', '', 1)",
    # 1: concern in chapters 1 and 2 with the marker; 2: concern in chapter 1; 3: private
    # question, untagged; 4: deleted concern in chapter 3 (counted nowhere).
    POINT + f"(1, 'p1', 1, 1, '', 'concern', 'a', '', 1, '', FALSE, '{NOW}', '{NOW}', NULL, ''),"
    f"(2, 'p2', 1, 1, '', 'concern', 'b', '', 2, '', FALSE, '{NOW}', '{NOW}', NULL, ''),"
    f"(3, 'p3', 1, 1, '', 'question', 'c', '', 3, '', TRUE, '{NOW}', '{NOW}', NULL, ''),"
    f"(4, 'p4', 1, 1, '', 'concern', 'd', '', 4, '', FALSE, '{NOW}', '{NOW}', '{NOW}', '')",
    "INSERT INTO point_chapter (point_id, chapter_id) VALUES (1, 1), (1, 2), (2, 1), (4, 3)",
    "INSERT INTO point_marker (point_id, marker_id) VALUES (1, 1), (4, 1)",
]

# What 0005 must fill in for those rows, counted by hand.
EXPECTED = {
    (1, "point", 0, "concern", False): 2,
    (1, "point", 0, "question", True): 1,
    (1, "chapter", 1, "concern", False): 2,
    (1, "chapter", 2, "concern", False): 1,
    (1, "chapter_any", 0, "concern", False): 2,
    (1, "chapter_multi", 0, "concern", False): 1,
    (1, "marker", 1, "concern", False): 1,
    (1, "marker_any", 0, "concern", False): 1,
}


def _upgrade(engine, revision: str, rows: list[str] = ()) -> None:
    from alembic import command

    from sendtui.store.migrate import alembic_config

    cfg = alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)
        for sql in rows:
            connection.execute(text(sql))
    engine.dispose()


def _pg_engine(location: str):
    from sendtui.store import pg

    return create_engine(
        "postgresql+psycopg://",
        creator=lambda: pg.connect(location, raw_rows=False, autocommit=False),
    )


def _check_migrated(store: Store) -> None:
    conn = store.reader
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
    assert tally.stored(conn) == EXPECTED
    assert tally.triggers_missing(conn) == []
    assert tally.pauses(conn) == 0  # the pause table is there, and empty
    table = reports.report(conn, 1, "chapter", include_private=True)
    assert [(r.code, r.count) for r in table.rows] == [("1", 2), ("2", 1), ("3", 0), ("", 1)]
    assert table.notes == ("1 point is tagged to more than one chapter and counted in each.",)
    with store.write_raw() as db:  # the triggers work from the first write on
        db.execute("DELETE FROM point_chapter WHERE point_id = 1 AND chapter_id = 2")
        db.execute("UPDATE point SET deleted_at = NULL WHERE id = 4")
    assert tally.stored(conn) == tally.recount(conn)
    table = reports.report(conn, 1, "chapter", include_private=True)
    assert [(r.code, r.count) for r in table.rows] == [("1", 2), ("2", 0), ("3", 1), ("", 1)]
    assert table.notes == ()


def test_an_0004_file_with_points_gets_its_tally_filled(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _upgrade(create_engine(f"sqlite:///{path}"), "0004", ROWS)
    store = Store(path)
    try:
        _check_migrated(store)
    finally:
        store.close()


def test_an_0004_postgresql_database_gets_its_tally_filled(pg_location: str) -> None:
    _upgrade(_pg_engine(pg_location), "0004", ROWS)
    store = Store(pg_location)
    try:
        _check_migrated(store)
    finally:
        store.close()


@pytest.mark.parametrize("on", ["sqlite", "postgresql"])
def test_downgrade_removes_the_tally_and_its_triggers(on: str, tmp_path: Path, request) -> None:
    from alembic import command

    from sendtui.store.migrate import alembic_config

    if on == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    else:
        engine = _pg_engine(request.getfixturevalue("pg_location"))
    _upgrade(engine, "0005", ROWS)
    cfg = alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0004")
        connection.execute(text("DELETE FROM point WHERE id = 1"))  # no trigger left to fail
        if on == "sqlite":
            left = "SELECT count(*) FROM sqlite_master WHERE name LIKE 'tally%'"
        else:
            left = (
                "SELECT (SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'tally%') + "
                "(SELECT count(*) FROM pg_proc WHERE proname LIKE 'tally%') + "
                "(SELECT count(*) FROM pg_class WHERE relname IN ('point_tally', 'tally_pause'))"
            )
        assert connection.execute(text(left)).scalar() == 0
    engine.dispose()
