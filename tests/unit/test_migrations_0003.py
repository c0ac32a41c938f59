"""Migration 0003 on a store made by the previous sendtui: keys, field times, no data lost."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from sqlalchemy import create_engine

from sendtui.services.field_times import FIELDS
from sendtui.store.schema import APPLICATION_ID
from sendtui.store.store import Store
from sendtui.text import name_key

NOW = "2026-11-01 10:00:00.000000"


def make_0002_store(path: Path) -> None:
    """A file at schema 0002, as the previous release left it."""
    from alembic import command

    from sendtui.store.migrate import alembic_config

    engine = create_engine(f"sqlite:///{path}")
    cfg = alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0002")
    engine.dispose()


def fill_with_duplicates(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO scheme (id, code, title, source) VALUES (1, 's', 'S', '')")
        for i, title in enumerate(["Événement régional", "ÉVÉNEMENT  RÉGIONAL", "Other"], 1):
            conn.execute(
                "INSERT INTO event (id, uuid, title, date, venue, subject, attendance, "
                "scheme_id, created_at, updated_at) VALUES (?, ?, ?, '2026-01-01', '', '', '', "
                "1, ?, ?)",
                (i, f"e{i}", title, NOW, NOW),
            )
        for i, name in enumerate(["Green Group", "GREEN GROUP", "green  group"], 1):
            conn.execute(
                "INSERT INTO discussion_group (id, uuid, event_id, name, facilitator, "
                "note_taker, position) VALUES (?, ?, 1, ?, '', '', ?)",
                (i, f"g{i}", name, i),
            )
        for i, title in enumerate(["Straße", "STRASSE"], 1):
            conn.execute(
                "INSERT INTO topic (id, uuid, group_id, title, position) VALUES (?, ?, 1, ?, ?)",
                (i, f"t{i}", title, i),
            )
        for i, name in enumerate(["Łukasz Nowak", "łukasz nowak"], 1):
            conn.execute(
                "INSERT INTO member (id, uuid, name, email, phone, address, grade, "
                "payment_preference, payment_reference, notes, created_at, updated_at) "
                "VALUES (?, ?, ?, '', '', '', '', 'member', '', '', ?, ?)",
                (i, f"m{i}", name, NOW, NOW),
            )
        for i in range(1, 4):
            conn.execute(
                "INSERT INTO point (id, uuid, event_id, group_id, topic_id, heading, kind, text, "
                "section_ref, position, note_taker, private, created_at, updated_at) "
                "VALUES (?, ?, 1, ?, ?, '', 'point', ?, '', ?, '', 0, ?, ?)",
                (i, f"p{i}", i, 2 if i == 2 else None, f"point {i}", i, NOW, NOW),
            )


def test_upgrade_keeps_every_row_and_makes_keys_unique(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_0002_store(path)
    fill_with_duplicates(path)
    Store(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        events = conn.execute("SELECT id, title, title_key FROM event ORDER BY id").fetchall()
        groups = conn.execute("SELECT id, name, name_key FROM discussion_group ORDER BY id")
        groups = groups.fetchall()
        topics = conn.execute("SELECT id, title, title_key FROM topic ORDER BY id").fetchall()
        members = conn.execute("SELECT id, name, name_key FROM member ORDER BY id").fetchall()
        points = conn.execute("SELECT id, group_id, topic_id, field_times FROM point").fetchall()
        meta = conn.execute("SELECT value FROM store_meta WHERE key = 'application'").fetchone()
    assert meta == ("sendtui",)
    # The first of each keeps its name; later duplicates are numbered, nothing is dropped.
    assert [e[1] for e in events] == ["Événement régional", "ÉVÉNEMENT  RÉGIONAL (2)", "Other"]
    assert [g[1] for g in groups] == ["Green Group", "GREEN GROUP (2)", "green  group (3)"]
    assert [t[1] for t in topics] == ["Straße", "STRASSE (2)"]
    assert [m[1] for m in members] == ["Łukasz Nowak", "łukasz nowak (2)"]
    for rows in (events, groups, topics, members):
        assert all(key == name_key(name) for _, name, key in rows)
        assert len({key for *_, key in rows}) == len(rows)
    # Points stay where they were (no cascade from copying tables), each with field times.
    assert sorted((p[0], p[1], p[2]) for p in points) == [(1, 1, None), (2, 2, 2), (3, 3, None)]
    for *_, raw in points:
        assert json.loads(raw) == dict.fromkeys(FIELDS, NOW)


def test_new_names_are_compared_by_key_after_upgrade(tmp_path: Path) -> None:
    from sendtui.config import load_config
    from sendtui.services.bootstrap import open_store

    path = tmp_path / "old.db"
    make_0002_store(path)
    opened = open_store(load_config(None, database=path))
    try:
        from sendtui.services.events import EventService

        events = EventService(opened.store)
        made = events.create_event("Élodie's day", scheme_code="cop-2015")
        first = events.add_group(made.id, "Ｇreen Group")
        again = events.add_group(made.id, "GREEN   group")
        assert again.id == first.id
        topic = events.add_topic(first.id, "Straße")
        assert events.add_topic(first.id, "STRASSE").id == topic.id
        assert events.find("élodie's DAY").id == made.id
    finally:
        opened.store.close()


def test_an_event_of_the_same_title_and_date_is_refused(store) -> None:
    import datetime as dt

    import pytest

    from sendtui.errors import InputError
    from sendtui.services.events import EventService

    events = EventService(store)
    day = dt.date(2026, 3, 1)
    made = events.create_event("Événement régional", scheme_code="cop-2015", date=day)
    with pytest.raises(InputError, match="already an event"):
        events.create_event("ÉVÉNEMENT  régional", scheme_code="cop-2015", date=day)
    other = events.create_event("Événement régional", scheme_code="cop-2015")
    with pytest.raises(InputError, match="already has that title"):
        events.update_event(other.id, date=day)
    assert made.id != other.id


def test_the_migrations_copy_of_field_times_matches_the_service() -> None:
    from importlib import import_module

    from sendtui.services import field_times

    migration = import_module("sendtui.store.migrations.versions.0003_keys_conflicts_attendance")
    assert migration.FIELDS == field_times.FIELDS
    assert migration.all_fields(NOW) == field_times.all_fields(NOW)
