"""Pausing the point tally for a bulk write (sendtui.store.tally.paused): the pause lives in
the writer's own transaction only, other connections keep counting, a failure leaves no
pause behind, and the notes import uses it; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from sendtui.models.base import new_uuid, sql_time, utcnow
from sendtui.services import import_write
from sendtui.store import tally
from tests.unit.test_point_tally import World, _add, assert_tally_right

ROWS = "SELECT event_id, dim, key, kind, private, n FROM point_tally ORDER BY 1, 2, 3, 4, 5"
NOTES = """\
# Pause day
Date: 2026-11-01

## Green
- Waiting lists are long #3
- Nobody answers the phone #3 #4
- ? Who checks the plans
"""


def _first_group(store) -> tuple[int, int]:
    return store.reader.execute("SELECT id, event_id FROM discussion_group ORDER BY id").fetchone()


def _point(db, event: int, group: int, kind: str = "concern") -> int:
    now = sql_time(utcnow())
    return db.execute(
        "INSERT INTO point (uuid, event_id, group_id, heading, kind, text, section_ref, "
        "position, note_taker, private, created_at, updated_at, field_times) "
        "VALUES (?, ?, ?, '', ?, 'x', '', 1, '', ?, ?, ?, '') RETURNING id",
        (new_uuid(), event, group, kind, False, now, now),
    ).fetchone()[0]


def test_rebuild_of_some_events_leaves_the_others_alone(backend, opened) -> None:
    world = World(opened)
    store = world.store
    with store.write_raw() as db:
        for n in range(6):
            _add(db, world, n, n % 3, bool(n & 1), [n, n + 1], [n])
    events = sorted({r[0] for r in store.reader.execute("SELECT event_id FROM point")})
    assert len(events) >= 2
    with store.write_raw() as db:
        db.execute("UPDATE point_tally SET n = n + 5")
    with store.write_raw() as db:
        tally.rebuild(db, [events[0]])
    assert tally.drift(store.reader) == events[1:]
    with store.write_raw() as db:
        tally.rebuild(db, events[1:])
    assert_tally_right(store)


def test_while_paused_no_trigger_writes_the_tally(backend, opened) -> None:
    """Every kind of write the triggers follow, inside a pause: the tally rows stay as they
    were until the block ends, then the recount brings them right."""
    world = World(opened)
    store = world.store
    group, event = _first_group(store)
    with store.write_raw() as db:
        _add(db, world, 0, 0, False, [0, 1], [0])
    kept = store.reader.execute(ROWS).fetchall()
    with store.write_raw() as db, tally.paused(db, [event]):
        point = _point(db, event, group)
        db.execute(
            "INSERT INTO point_chapter (point_id, chapter_id) VALUES (?, ?), (?, ?)",
            (point, world.chapters[0], point, world.chapters[1]),
        )
        db.execute("INSERT INTO point_marker (point_id, marker_id) VALUES (?, ?)",
                   (point, world.markers[0]))  # fmt: skip
        db.execute("UPDATE point_chapter SET chapter_id = ? WHERE point_id = ? AND chapter_id = ?",
                   (world.chapters[2], point, world.chapters[1]))  # fmt: skip
        db.execute("DELETE FROM point_marker WHERE point_id = ?", (point,))
        db.execute("UPDATE point SET kind = 'idea', private = TRUE")
        db.execute("UPDATE point SET deleted_at = ? WHERE id <> ?", (sql_time(utcnow()), point))
        db.execute("DELETE FROM point WHERE id <> ?", (point,))
        assert db.execute(ROWS).fetchall() == kept  # the writer's own view: untouched
    assert_tally_right(store)
    assert tally.stored(store.reader)[(event, "chapter_multi", 0, "idea", True)] == 1


def test_the_pause_is_the_writer_s_alone(backend, opened) -> None:
    """While one transaction is paused, another connection sees no pause row, and (on
    PostgreSQL, where two writers can overlap) its own writes are still counted."""
    world = World(opened)
    store = world.store
    group, event = _first_group(store)
    other_group, other_event = store.reader.execute(
        "SELECT id, event_id FROM discussion_group WHERE event_id <> ? ORDER BY id", (event,)
    ).fetchone()
    reader, writer = store.new_reader(), store.new_writer()
    try:
        with store.write_raw() as db, tally.paused(db, [event]):
            _point(db, event, group)
            assert tally.pauses(db) == 1
            assert tally.pauses(reader) == 0
            assert tally.pauses(writer) == 0
            if store.dialect == "postgresql":  # SQLite has one writer at a time
                _point(writer, other_event, other_group, "question")
                assert tally.stored(writer) == {
                    (other_event, "point", 0, "question", False): 1
                }  # counted by its trigger, though the first transaction is paused
        assert tally.pauses(reader) == 0
    finally:
        reader.close()
        writer.close()
    assert_tally_right(store)
    assert tally.stored(store.reader)[(event, "point", 0, "concern", False)] == 1


def test_a_caught_error_inside_the_pause_leaves_the_triggers_at_work(backend, opened) -> None:
    """If a caller swallows an error from inside the pause and commits, the pause row does
    not outlive the block and the events are still recounted."""
    world = World(opened)
    store = world.store
    group, event = _first_group(store)
    with store.write_raw() as db:
        try:
            with tally.paused(db, [event]):
                _point(db, event, group)
                raise ValueError("stop")
        except ValueError:
            pass
    assert tally.pauses(store.reader) == 0
    assert_tally_right(store)
    with store.write_raw() as db:  # unpaused: the triggers count it
        _point(db, event, group, "idea")
    assert tally.stored(store.reader)[(event, "point", 0, "idea", False)] == 1
    assert_tally_right(store)


def _import(opened, path):
    from sendtui.config import load_config
    from sendtui.services.importer import import_notes

    config = load_config(None)
    return import_notes(
        opened.store, opened.reference, path, kind_words=config.capture.kind_words.as_dict()
    )


def test_the_import_recounts_its_event_rather_than_trusting_the_triggers(
    backend, opened, tmp_path, monkeypatch
) -> None:
    """With the point and tag insert triggers gone, an import still leaves the tally right:
    it paused them and recounted its event (without the pause it would miss every point)."""
    store = opened.store
    with store.write_raw() as db:
        for table, name in (
            ("point", "tally_point_insert"),
            ("point_chapter", "tally_point_chapter_insert"),
        ):
            on = f" ON {table}" if store.dialect == "postgresql" else ""
            db.execute(f"DROP TRIGGER {name}{on}")
    used: list[list[int]] = []
    real = tally.paused

    def spy(conn, event_ids):
        used.append(list(event_ids))
        return real(conn, event_ids)

    monkeypatch.setattr(import_write.tally, "paused", spy)
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    result = _import(opened, notes)
    assert result.new_points == 3
    assert used == [[result.event_id]]
    counted = tally.stored(store.reader)
    assert counted == tally.recount(store.reader)
    by_dim = {dim: 0 for dim in ("point", "chapter", "chapter_multi")}
    for (event_id, dim, _, _, _), n in counted.items():
        assert event_id == result.event_id
        if dim in by_dim:
            by_dim[dim] += n
    assert by_dim == {"point": 3, "chapter": 3, "chapter_multi": 1}
    assert tally.pauses(store.reader) == 0


def test_an_import_that_fails_midway_leaves_no_pause_and_a_right_tally(
    backend, opened, tmp_path, monkeypatch
) -> None:
    world = World(opened)
    store = world.store
    with store.write_raw() as db:
        _add(db, world, 0, 0, False, [1, 2], [0])
    before = tally.stored(store.reader)
    (points,) = store.reader.execute("SELECT count(*) FROM point").fetchone()
    real_link = import_write._link

    def link_then_fail(*args, **kwargs):
        real_link(*args, **kwargs)  # points and tags written, the pause still on
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(import_write, "_link", link_then_fail)
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    with pytest.raises(RuntimeError, match="disk on fire"):
        _import(opened, notes)
    assert tally.pauses(store.reader) == 0
    assert store.reader.execute("SELECT count(*) FROM point").fetchone() == (points,)
    assert tally.stored(store.reader) == before
    assert_tally_right(store)
    with store.write_raw() as db:  # the triggers still count the next write
        _add(db, world, 1, 1, True, [3], [])
    assert_tally_right(store)
    monkeypatch.setattr(import_write, "_link", real_link)
    assert _import(opened, notes).new_points == 3
    assert_tally_right(store)


def test_a_dump_merge_recounts_its_event_rather_than_trusting_the_triggers(
    backend, opened, tmp_path, monkeypatch
) -> None:
    """The same for merging a dump: points gone here come back with their tags, with the
    insert triggers dropped, and the tally is still right."""
    import json

    from sendtui.exporters.json_dump import dump_event, to_json
    from sendtui.services import merge
    from sendtui.services.dump_check import parse_dump

    store = opened.store
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    event_id = _import(opened, notes).event_id
    dumped = json.loads(to_json(dump_event(store, event_id)))
    before = tally.stored(store.reader)
    with store.write_raw() as db:
        db.execute("DELETE FROM point WHERE id IN (SELECT point_id FROM point_chapter)")
        for table, name in (
            ("point", "tally_point_insert"),
            ("point_chapter", "tally_point_chapter_insert"),
        ):
            on = f" ON {table}" if store.dialect == "postgresql" else ""
            db.execute(f"DROP TRIGGER {name}{on}")
    assert tally.stored(store.reader) != before
    used: list[list[int]] = []
    real = tally.paused
    monkeypatch.setattr(
        merge.tally, "paused", lambda conn, ids: used.append(list(ids)) or real(conn, ids)
    )
    result = merge.merge_dump(store, parse_dump(dumped))
    assert (result.event_id, result.new) == (event_id, 2)
    assert used == [[event_id]]
    assert tally.stored(store.reader) == before
    assert_tally_right(store)
