"""The point tally (sendtui.store.tally) stays equal to a recount of the points through any
sequence of writes, on SQLite and PostgreSQL, and the reports read from it give exactly what
counting the points gives (`live_tally`, the reference)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sendtui.models import Kind
from sendtui.models.base import new_uuid, sql_time, utcnow
from sendtui.services import reports
from sendtui.services.crosstabs import dimension, kept_tally, live_tally, private_count
from sendtui.services.events import EventService
from sendtui.store import tally
from sendtui.store.db import Db

KINDS = [k.value for k in Kind] + ["oddity"]  # a kind Kind does not list is counted too
SCHEME = "indicative-2013-03"
KEPT = [("chapter",), ("marker",), ("kind",), ("chapter", "kind"), ("kind", "marker")]


class World:
    """A store with a few events and groups, and the writes the property test draws."""

    def __init__(self, opened) -> None:
        self.store = opened.store
        conn = self.store.reader
        self.chapters = [r[0] for r in conn.execute(
            "SELECT c.id FROM chapter c JOIN scheme s ON s.id = c.scheme_id WHERE s.code = ? "
            "ORDER BY c.position", (SCHEME,))][:4]  # fmt: skip
        self.markers = [r[0] for r in conn.execute("SELECT id FROM marker ORDER BY position")][:3]
        self.made = 0
        for _ in range(3):
            self.new_event()

    def new_event(self) -> None:
        self.made += 1
        events = EventService(self.store)
        event = events.create_event(f"Event {self.made}", scheme_code=SCHEME)
        for name in ("Green", "Red"):
            events.add_group(event.id, name)

    def ids(self, sql: str) -> list[int]:
        return [r[0] for r in self.store.reader.execute(sql)]

    def pick(self, sql: str, n: int) -> int | None:
        found = self.ids(sql)
        return found[n % len(found)] if found else None


def _add(db: Db, w: World, n: int, kind: int, private: bool, chapters: list[int],
         markers: list[int], deleted: str | None = None) -> None:  # fmt: skip
    group = w.pick("SELECT id FROM discussion_group ORDER BY id", n)
    if group is None:
        return
    (event,) = db.execute("SELECT event_id FROM discussion_group WHERE id = ?", (group,)).fetchone()
    now = sql_time(utcnow())
    (point,) = db.execute(
        "INSERT INTO point (uuid, event_id, group_id, heading, kind, text, section_ref, "
        "position, note_taker, private, created_at, updated_at, deleted_at, field_times) "
        "VALUES (?, ?, ?, '', ?, 'words', '', ?, '', ?, ?, ?, ?, '') RETURNING id",
        (new_uuid(), event, group, KINDS[kind], n, private, now, now, deleted),
    ).fetchone()
    for link, column, tags, pool in (
        ("point_chapter", "chapter_id", chapters, w.chapters),
        ("point_marker", "marker_id", markers, w.markers),
    ):
        chosen = sorted({pool[t % len(pool)] for t in tags})
        if chosen:  # one statement for all of a point's tags (many rows per statement)
            values = ", ".join(f"({point}, {tag})" for tag in chosen)
            db.execute(f"INSERT INTO {link} (point_id, {column}) VALUES {values}")


POINT = "SELECT id FROM point ORDER BY id"
GROUP = "SELECT id FROM discussion_group ORDER BY id"
CHAPTER = ("point_chapter", "chapter_id", "chapters")
MARKER = ("point_marker", "marker_id", "markers")


def _tag(db: Db, w: World, n: int, m: int, which: tuple[str, str, str], on: bool) -> None:
    link, column, pool_name = which
    point, pool = w.pick(POINT, n), getattr(w, pool_name)
    if point is None:
        return
    if on:
        sql = f"INSERT INTO {link} (point_id, {column}) VALUES (?, ?) ON CONFLICT DO NOTHING"
    else:
        sql = f"DELETE FROM {link} WHERE point_id = ? AND {column} = ?"
    db.execute(sql, (point, pool[m % len(pool)]))


def _on_point(sql: str, args: Callable[[World, int, int], tuple]) -> Callable[..., None]:
    """A write to one point (the n-th), skipped when there are none."""

    def run(db: Db, w: World, n: int, m: int) -> None:
        point = w.pick(POINT, n)
        if point is not None:
            db.execute(sql, (*args(w, point, m),))

    return run


def _move(db: Db, w: World, n: int, m: int) -> None:
    point, group = w.pick(POINT, n), w.pick(GROUP, m)
    if point is not None and group is not None:
        db.execute(
            "UPDATE point SET event_id = (SELECT event_id FROM discussion_group WHERE id = ?), "
            "group_id = ? WHERE id = ?",
            (group, group, point),
        )


def _statement(sql: str, args: Callable[[World, int, int], tuple]) -> Callable[..., None]:
    """A write that may touch many points (or none) in one statement."""
    return lambda db, w, n, m: db.execute(sql, args(w, n, m))


def _paused_batch(db: Db, w: World, n: int, m: int) -> None:
    """A bulk write with the triggers paused (as an import makes): new points, tags,
    kinds, private flags, soft and hard deletes, all within one event, which the pause
    then recounts."""
    group = w.pick(GROUP, n)
    if group is None:
        return
    (event,) = db.execute("SELECT event_id FROM discussion_group WHERE id = ?", (group,)).fetchone()
    mine = f"SELECT id FROM point WHERE event_id = {event}"
    with tally.paused(db, [event]):
        for i in range(m % 4 + 1):
            # `n` picks the same group each time: every point is the event's.
            _add(db, w, n, (m + i) % len(KINDS), bool(i & 1), [m, i, i + 1][: i % 4], [i])
        db.execute(
            f"INSERT INTO point_chapter (point_id, chapter_id) SELECT id, ? FROM point "
            f"WHERE id IN ({mine}) AND id % 2 = ? ON CONFLICT DO NOTHING",
            (w.chapters[m % len(w.chapters)], n % 2),
        )
        db.execute(
            f"DELETE FROM point_marker WHERE marker_id = ? AND point_id IN ({mine})",
            (w.markers[n % len(w.markers)],),
        )
        db.execute(f"UPDATE point SET kind = ? WHERE id IN ({mine}) AND id % 3 = ?",
                   (KINDS[n % len(KINDS)], m % 3))  # fmt: skip
        db.execute(f"UPDATE point SET private = NOT private WHERE id IN ({mine}) AND id % 4 = 1")
        db.execute(f"UPDATE point SET deleted_at = ? WHERE id IN ({mine}) AND id % 5 = ?",
                   (sql_time(utcnow()), n % 5))  # fmt: skip
        db.execute(f"DELETE FROM point WHERE id IN ({mine}) AND id % 7 = ?", (m % 7,))
    assert tally.pauses(db) == 0


OPERATIONS: dict[str, Callable[..., None]] = {
    "add": lambda db, w, n, m: _add(db, w, n, m % len(KINDS), bool(m & 1), [m, n], [n]),
    "add_bare": lambda db, w, n, m: _add(db, w, n, m % len(KINDS), False, [], []),
    # A point that arrives deleted, as a merge brings one (its tags still count nowhere).
    "add_deleted": lambda db, w, n, m: _add(
        db, w, n, m % len(KINDS), bool(m & 1), [m], [n], sql_time(utcnow())
    ),
    "tag": lambda db, w, n, m: _tag(db, w, n, m, CHAPTER, True),
    "untag": lambda db, w, n, m: _tag(db, w, n, m, CHAPTER, False),
    "mark": lambda db, w, n, m: _tag(db, w, n, m, MARKER, True),
    "unmark": lambda db, w, n, m: _tag(db, w, n, m, MARKER, False),
    "tag_many": _statement(
        "INSERT INTO point_chapter (point_id, chapter_id) SELECT id, ? FROM point "
        "WHERE id % 3 = ? ON CONFLICT DO NOTHING",
        lambda w, n, m: (w.chapters[m % len(w.chapters)], n % 3),
    ),
    "untag_chapter": _statement(
        "DELETE FROM point_chapter WHERE chapter_id = ?",
        lambda w, n, m: (w.chapters[m % len(w.chapters)],),
    ),
    "untag_point": _on_point("DELETE FROM point_chapter WHERE point_id = ?", lambda w, p, m: (p,)),
    "kind": _on_point(
        "UPDATE point SET kind = ? WHERE id = ?", lambda w, p, m: (KINDS[m % len(KINDS)], p)
    ),
    "private": _on_point(
        "UPDATE point SET private = ? WHERE id = ?", lambda w, p, m: (bool(m & 1), p)
    ),
    "private_many": _statement(
        "UPDATE point SET private = NOT private WHERE id % 3 = ?", lambda w, n, m: (n % 3,)
    ),
    "soft_delete": _on_point(
        "UPDATE point SET deleted_at = ? WHERE id = ?", lambda w, p, m: (sql_time(utcnow()), p)
    ),
    "undelete": _on_point("UPDATE point SET deleted_at = NULL WHERE id = ?", lambda w, p, m: (p,)),
    "text": _on_point("UPDATE point SET text = ? WHERE id = ?", lambda w, p, m: (str(m), p)),
    "hard_delete": _on_point("DELETE FROM point WHERE id = ?", lambda w, p, m: (p,)),
    "move_event": _move,
    # Tag updates: sendtui never makes them, but the counts must survive them.
    "retag": _on_point(
        "UPDATE point_chapter SET chapter_id = ? WHERE point_id = ?",
        lambda w, p, m: (w.chapters[m % len(w.chapters)], p),
    ),
    "move_tags": _statement(
        "UPDATE point_marker SET point_id = ? WHERE point_id = ?",
        lambda w, n, m: (w.pick(POINT, n), w.pick(POINT, m)),
    ),
    "delete_group": _statement(
        "DELETE FROM discussion_group WHERE id = ?", lambda w, n, m: (w.pick(GROUP, n),)
    ),
    "delete_event": _statement(
        "DELETE FROM event WHERE id = ?",
        lambda w, n, m: (w.pick("SELECT id FROM event ORDER BY id", n),),
    ),
    "paused_batch": _paused_batch,
}
OPS = list(OPERATIONS)


def assert_tally_right(store) -> None:
    conn = store.reader
    assert tally.stored(conn) == tally.recount(conn)
    assert tally.drift(conn) == []
    for (event_id,) in conn.execute("SELECT id FROM event").fetchall():
        for names in KEPT:
            dims = [dimension(n) for n in names]
            for kind in (None, "concern", "oddity"):
                for private in (True, False):
                    kept = kept_tally(conn, event_id, dims, kind=kind, include_private=private)
                    live = live_tally(conn, event_id, dims, kind=kind, include_private=private)
                    assert kept is not None
                    assert kept.counts == live.counts, (names, kind, private)
                    assert kept.notes(dims) == live.notes(dims), (names, kind, private)
            for kind in (None, "concern"):
                (hidden,) = conn.execute(
                    "SELECT count(*) FROM point WHERE event_id = ? AND deleted_at IS NULL "
                    "AND private" + (" AND kind = ?" if kind else ""),
                    [event_id, *([kind] if kind else [])],
                ).fetchone()
                assert private_count(conn, event_id, kind) == hidden


_WORLDS: dict[int, World] = {}  # one per test run: hypothesis reuses the function's store


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(OPS), st.integers(0, 50), st.integers(0, 50)),
        min_size=1,
        max_size=25,
    )
)
def test_any_writes_leave_the_tally_equal_to_a_recount(backend, opened, steps) -> None:
    """Every example starts from the store the last one left: the tally must be right
    from any state, so the writes pile up into crowded, multi-tagged events."""
    world = _WORLDS.get(id(opened))
    if world is None or world.store is not opened.store:
        world = _WORLDS[id(opened)] = World(opened)
    for op, n, m in steps:
        if op == "delete_event" and len(world.ids("SELECT id FROM event")) <= 1:
            world.new_event()
        try:
            with world.store.write_raw() as db:
                OPERATIONS[op](db, world, n, m)
        except Exception as exc:  # a key clash from a tag update: nothing written
            assert "UNIQUE" in str(exc) or "duplicate key" in str(exc), exc
        if not world.ids("SELECT id FROM discussion_group"):
            world.new_event()
    assert_tally_right(world.store)


@pytest.mark.parametrize("broken", ["tally_point_chapter_insert", "tally_point_update"])
def test_check_finds_a_tally_that_drifted_and_rebuild_mends_it(backend, opened, broken) -> None:
    """With a trigger gone, writes leave the tally wrong: `sendtui check`'s rules name the
    missing trigger and the event, and `repair` puts the trigger back and recounts."""
    from sendtui.store.health import check_rules

    world = World(opened)
    conn = world.store.reader
    with world.store.write_raw() as db:
        if getattr(db, "dialect", "sqlite") == "postgresql":
            table = "point_chapter" if "chapter" in broken else "point"
            db.execute(f"DROP TRIGGER {broken} ON {table}")
        else:
            db.execute(f"DROP TRIGGER {broken}")
    with world.store.write_raw() as db:
        _add(db, world, 0, 0, False, [1, 2], [0])
        db.execute("UPDATE point SET kind = 'concern', private = TRUE")
    assert tally.triggers_missing(conn) == [broken]
    (event,) = conn.execute("SELECT event_id FROM point").fetchone()
    assert tally.drift(conn) == [event]
    sqlite = world.store.dialect == "sqlite"
    found = [str(p) for p in check_rules(conn, sqlite=sqlite) if p.area == "tally"]
    assert found == [
        f"tally: the triggers that keep report counts are missing: {broken}; reports can be wrong.",
        f"tally: the report counts kept for 1 event differ from its points (id {event}); "
        "reports for them are wrong until the counts are rebuilt.",
    ]
    with world.store.write_raw() as db:
        tally.repair(db)
    assert tally.triggers_missing(conn) == []
    assert tally.drift(conn) == []
    assert check_rules(conn, sqlite=sqlite) == []
    with world.store.write_raw() as db:  # the trigger is back at work
        _add(db, world, 1, 1, True, [3], [])
    assert tally.stored(conn) == tally.recount(conn)


def test_the_app_s_own_writes_keep_the_tally_right(backend, opened, config, tmp_path) -> None:
    """Through the services rather than raw SQL: an import, the editor's tagging, kinds,
    private flags, deletes and undo, a group purged, and a dump merged into another store."""
    from sendtui.config import load_config
    from sendtui.exporters.json_dump import dump_event, to_json
    from sendtui.services.bootstrap import open_store
    from sendtui.services.dump_check import parse_dump
    from sendtui.services.merge import merge_dump
    from sendtui.services.places import delete_group
    from sendtui.services.points import PointEditor
    from tests.unit.test_reports import build_seed_event

    store = opened.store
    event_id = build_seed_event(opened, tmp_path, config.capture)
    assert_tally_right(store)
    editor = PointEditor(store, event_id)
    ids = [r[0] for r in store.reader.execute(
        "SELECT id FROM point WHERE event_id = ? ORDER BY id", (event_id,))]  # fmt: skip
    editor.tag_chapter(ids[:40], "3", True)
    editor.tag_marker(ids[20:60], "M1", True)
    editor.tag_chapter(ids[30:35], "3", False)
    editor.set_kind(ids[50:70], Kind.QUESTION)
    editor.set_private(ids[60:90], True)
    editor.delete(ids[85:100])
    editor.undo()
    editor.delete(ids[100:110])
    assert_tally_right(store)
    group = EventService(store).add_group(event_id, "Empty for now")
    with store.write_raw() as db:
        db.execute("UPDATE point SET group_id = ? WHERE id = ?", (group.id, ids[100]))
    delete_group(store, event_id, group.id)  # purges the deleted point there, for good
    assert_tally_right(store)

    dumped = json.loads(to_json(dump_event(store, event_id)))
    other = open_store(load_config(None, database=tmp_path / "other.db"))
    try:
        result = merge_dump(other.store, parse_dump(dumped))
        assert_tally_right(other.store)
        for by in ("chapter", "marker", "kind"):
            mine = reports.report(store.reader, event_id, by, include_private=True)
            theirs = reports.report(other.store.reader, result.event_id, by, include_private=True)
            assert theirs.rows == mine.rows and theirs.notes == mine.notes
            assert sum(r.count for r in mine.rows) > 0
    finally:
        other.store.close()


def test_a_point_inserted_after_its_tags_counts_them(tmp_path) -> None:
    """Only with SQLite's foreign keys off (another program, a repair) can tags exist
    before their point: the insert then counts them, as the general trigger does."""
    import sqlite3

    from sendtui.config import load_config
    from sendtui.services.bootstrap import open_store

    opened = open_store(load_config(None, database=tmp_path / "s.db"))
    try:
        world = World(opened)
    finally:
        opened.store.close()
    conn = sqlite3.connect(tmp_path / "s.db")  # foreign keys off: sqlite3's default
    with conn:
        (group, event) = conn.execute("SELECT id, event_id FROM discussion_group").fetchone()
        conn.execute("INSERT INTO point_chapter VALUES (900, ?), (900, ?)", world.chapters[:2])
        conn.execute("INSERT INTO point_marker VALUES (900, ?)", world.markers[:1])
        conn.execute(
            "INSERT INTO point (id, uuid, event_id, group_id, heading, kind, text, section_ref, "
            "position, note_taker, private, created_at, updated_at, field_times) VALUES "
            "(900, 'u900', ?, ?, '', 'concern', 'x', '', 1, '', 0, 'x', 'x', '')",
            (event, group),
        )
    assert tally.stored(conn) == tally.recount(conn)
    assert tally.stored(conn)[(event, "chapter_multi", 0, "concern", False)] == 1
    conn.close()
