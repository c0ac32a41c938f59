"""The point tally: counts of live points kept by the database itself, for reports.

`point_tally` holds, per event, kind and private flag, how many live (not soft-deleted)
points there are in each of these `dim`s (`key` is an id, or 0 where there is none):

- "point": every live point;
- "chapter" / "marker": one per (point, tag): a point with two chapters counts in both;
- "chapter_any" / "marker_any": points with at least one chapter (marker), so the untagged
  are "point" less these, and making an untagged point writes one row, not three;
- "chapter_multi" / "marker_multi": points with more than one chapter (marker).

Triggers on `point`, `point_chapter` and `point_marker` keep it right on every write
(capture, tagging, merges, imports, sync, hard deletes and their cascades) on SQLite and
PostgreSQL, so no service has to. Rows are never removed by the triggers, only brought to 0;
readers skip zeros. `recount(conn)` is the same counts from the points themselves (what
`sendtui check` compares) and `rebuild(conn)` writes them back. A bulk write (the notes
import, a dump merge) runs `with paused(conn, event_ids):` instead: the triggers do nothing
in its transaction, and those events are recounted once at the end.

A SQLite migration that copies `point`, `point_chapter` or `point_marker` (batch mode) drops
their triggers with the old table: it must call `create_triggers` again (the check finds
a tally that has drifted, and `triggers_missing` names the missing triggers).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress

from sendtui.store.db import Db

TABLE = "point_tally"
# A row here (only ever inside a bulk write's own transaction: see `paused`) turns every
# trigger into a no-op.
PAUSE = "tally_pause"
_UNPAUSED = f"NOT EXISTS (SELECT 1 FROM {PAUSE})"
TAGS = (("chapter", "point_chapter", "chapter_id"), ("marker", "point_marker", "marker_id"))
_COLUMNS = "event_id, dim, key, kind, private, n"
_UPSERT = (
    "ON CONFLICT (event_id, dim, key, kind, private) DO UPDATE SET n = point_tally.n + excluded.n"
)

TallyKey = tuple[int, str, int, str, bool]


def _contribution(x: str, sign: int) -> str:
    """One point's counts (its values in the row `x`, NEW or OLD, read in a trigger) added
    with `sign`: nothing for a soft-deleted point."""
    parts = [f"SELECT 'point' AS dim, 0 AS key WHERE {x}.deleted_at IS NULL"]
    for dim, link, column in TAGS:
        of = f"FROM {link} WHERE point_id = {x}.id"
        parts += [
            f"SELECT '{dim}', {column} {of} AND {x}.deleted_at IS NULL",
            f"SELECT '{dim}_any', 0 WHERE {x}.deleted_at IS NULL AND EXISTS (SELECT 1 {of})",
            f"SELECT '{dim}_multi', 0 WHERE {x}.deleted_at IS NULL AND (SELECT count(*) {of}) > 1",
        ]
    return (
        f"INSERT INTO {TABLE} ({_COLUMNS}) SELECT {x}.event_id, d.dim, d.key, {x}.kind, "
        f"{x}.private, {sign} * count(*) FROM ({' UNION ALL '.join(parts)}) d "
        f"WHERE true GROUP BY d.dim, d.key {_UPSERT}"
    )


def _untagged(x: str) -> str:
    """The point in row `x` has no tags: true of every new point, since tags refer to it."""
    return " AND ".join(
        f"NOT EXISTS (SELECT 1 FROM {link} WHERE point_id = {x}.id)" for _, link, _ in TAGS
    )


def _new_untagged(x: str) -> str:
    """`_contribution` for a live point without tags (a point just made): one row, a
    fraction of the general form's cost on an import of thousands of points."""
    return (
        f"INSERT INTO {TABLE} ({_COLUMNS}) VALUES ({x}.event_id, 'point', 0, {x}.kind, "
        f"{x}.private, 1) {_UPSERT}"
    )


def _point_of(point_id: str, sign: int, when: str = "true") -> str:
    """`_contribution` for the point with id `point_id`, read from the table (SQLite's tag
    updates, which sendtui never makes but which must not corrupt the counts either)."""
    live = f"p.id = {point_id} AND p.deleted_at IS NULL AND {when}"
    parts = [f"SELECT 'point' AS dim, 0 AS key FROM point p WHERE {live}"]
    for dim, link, column in TAGS:
        of = f"FROM {link} t WHERE t.point_id = p.id"
        parts += [
            f"SELECT '{dim}', t.{column} FROM point p JOIN {link} t ON t.point_id = p.id "
            f"WHERE {live}",
            f"SELECT '{dim}_any', 0 FROM point p WHERE {live} AND EXISTS (SELECT 1 {of})",
            f"SELECT '{dim}_multi', 0 FROM point p WHERE {live} AND (SELECT count(*) {of}) > 1",
        ]
    return (
        f"INSERT INTO {TABLE} ({_COLUMNS}) SELECT p.event_id, d.dim, d.key, p.kind, p.private, "
        f"{sign} * count(*) FROM ({' UNION ALL '.join(parts)}) d JOIN point p "
        f"ON p.id = {point_id} WHERE true GROUP BY d.dim, d.key, p.event_id, p.kind, p.private "
        f"{_UPSERT}"
    )


def _sqlite_tag_change(dim: str, link: str, column: str, row: str, sign: int) -> str:
    """A tag row added (sign 1, after the insert) or removed (-1, after the delete): its own
    count, then the point's "any" or "multi" count if it crossed 0/1 or 1/2 tags."""
    any_at, multi_at = (1, 2) if sign > 0 else (0, 1)
    live = f"p.id = {row}.point_id AND p.deleted_at IS NULL"
    tags = f"(SELECT count(*) AS c FROM {link} WHERE point_id = {row}.point_id) k"
    return (
        f"INSERT INTO {TABLE} ({_COLUMNS}) SELECT p.event_id, '{dim}', {row}.{column}, p.kind, "
        f"p.private, {sign} FROM point p WHERE {live} {_UPSERT}; "
        f"INSERT INTO {TABLE} ({_COLUMNS}) SELECT p.event_id, CASE k.c WHEN {any_at} THEN "
        f"'{dim}_any' ELSE '{dim}_multi' END, 0, p.kind, p.private, {sign} FROM point p, {tags} "
        f"WHERE {live} AND k.c IN ({any_at}, {multi_at}) {_UPSERT}"
    )


def sqlite_triggers() -> list[str]:
    """CREATE TRIGGER statements for SQLite (row triggers run right after each row, so a
    tag's count before it is the count after it, less one)."""
    changed = " OR ".join(
        f"OLD.{c} IS NOT NEW.{c}" for c in ("event_id", "kind", "private", "deleted_at")
    )
    on = _UNPAUSED
    out = [
        f"CREATE TRIGGER tally_point_insert AFTER INSERT ON point "
        f"WHEN {on} AND NEW.deleted_at IS NULL AND {_untagged('NEW')} "
        f"BEGIN {_new_untagged('NEW')}; END",
        # Tags before their point: only where foreign keys were off (never in sendtui).
        f"CREATE TRIGGER tally_point_insert_tagged AFTER INSERT ON point "
        f"WHEN {on} AND NOT ({_untagged('NEW')}) BEGIN {_contribution('NEW', 1)}; END",
        # Before the row goes, while its tags are there: the cascade that removes the tags
        # runs after the row is gone, and their triggers then find no point to count.
        f"CREATE TRIGGER tally_point_delete BEFORE DELETE ON point WHEN {on} BEGIN "
        f"{_contribution('OLD', -1)}; END",
        f"CREATE TRIGGER tally_point_update AFTER UPDATE OF event_id, kind, private, deleted_at "
        f"ON point WHEN {on} AND ({changed}) BEGIN {_contribution('OLD', -1)}; "
        f"{_contribution('NEW', 1)}; END",
    ]
    for dim, link, column in TAGS:
        out += [
            f"CREATE TRIGGER tally_{link}_insert AFTER INSERT ON {link} WHEN {on} BEGIN "
            f"{_sqlite_tag_change(dim, link, column, 'NEW', 1)}; END",
            f"CREATE TRIGGER tally_{link}_delete AFTER DELETE ON {link} WHEN {on} BEGIN "
            f"{_sqlite_tag_change(dim, link, column, 'OLD', -1)}; END",
            f"CREATE TRIGGER tally_{link}_update_before BEFORE UPDATE ON {link} WHEN {on} BEGIN "
            f"{_point_of('OLD.point_id', -1)}; "
            f"{_point_of('NEW.point_id', -1, 'NEW.point_id <> OLD.point_id')}; END",
            f"CREATE TRIGGER tally_{link}_update_after AFTER UPDATE ON {link} WHEN {on} BEGIN "
            f"{_point_of('OLD.point_id', 1)}; "
            f"{_point_of('NEW.point_id', 1, 'NEW.point_id <> OLD.point_id')}; END",
        ]
    return out


def _pg_tag_change(dim: str, link: str, column: str, new: bool, old: bool) -> str:
    """A statement's tag changes (PostgreSQL's transition tables): for each point touched,
    its counts with the tags it has now less those with the tags it had before."""
    nothing = f"(SELECT NULL::integer AS point_id, NULL::integer AS {column} WHERE false) none"
    added = "new_rows" if new else nothing
    removed = "old_rows" if old else nothing
    return f"""
    WITH changed AS (
        SELECT point_id, {column} AS tag, 1 AS added FROM {added}
        UNION ALL SELECT point_id, {column}, -1 FROM {removed}),
    pts AS (SELECT DISTINCT point_id FROM changed),
    cur AS (SELECT t.point_id, t.{column} AS tag FROM {link} t JOIN pts USING (point_id)),
    was AS ((SELECT point_id, tag FROM cur
             EXCEPT SELECT point_id, tag FROM changed WHERE added = 1)
            UNION SELECT point_id, tag FROM changed WHERE added = -1),
    cnt AS (SELECT pts.point_id,
                   (SELECT count(*) FROM cur WHERE cur.point_id = pts.point_id) AS now,
                   (SELECT count(*) FROM was WHERE was.point_id = pts.point_id) AS before
            FROM pts),
    d AS (SELECT point_id, '{dim}' AS dim, tag AS key, 1 AS n FROM cur
          UNION ALL SELECT point_id, '{dim}', tag, -1 FROM was
          UNION ALL SELECT point_id, '{dim}_any', 0, (now > 0)::int - (before > 0)::int FROM cnt
          UNION ALL SELECT point_id, '{dim}_multi', 0, (now > 1)::int - (before > 1)::int
                    FROM cnt)
    INSERT INTO {TABLE} ({_COLUMNS})
    SELECT p.event_id, d.dim, d.key, p.kind, p.private, sum(d.n) FROM d
    JOIN point p ON p.id = d.point_id WHERE p.deleted_at IS NULL
    GROUP BY p.event_id, d.dim, d.key, p.kind, p.private HAVING sum(d.n) <> 0 {_UPSERT}"""


def _pg_function(name: str, body: str, returns: str) -> str:
    """A trigger function that does nothing while the tally is paused (PostgreSQL's
    trigger WHEN takes no subquery)."""
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $fn$ "
        f"BEGIN IF NOT {_UNPAUSED} THEN RETURN {returns}; END IF; {body}; RETURN {returns}; "
        f"END $fn$"
    )


def postgresql_triggers() -> list[str]:
    """CREATE FUNCTION / TRIGGER statements for PostgreSQL. Point changes are row triggers;
    tag changes are statement triggers with transition tables, because a row trigger after
    a many-row INSERT sees every row of it, not the count before each one."""
    changed = " OR ".join(
        f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in ("event_id", "kind", "private", "deleted_at")
    )
    out = [
        _pg_function(
            "tally_point_insert",
            f"IF NEW.deleted_at IS NULL AND {_untagged('NEW')} THEN {_new_untagged('NEW')}; "
            f"ELSE {_contribution('NEW', 1)}; END IF",
            "NULL",
        ),
        _pg_function("tally_point_delete", _contribution("OLD", -1), "OLD"),
        _pg_function(
            "tally_point_update",
            f"{_contribution('OLD', -1)}; {_contribution('NEW', 1)}",
            "NULL",
        ),
        "CREATE TRIGGER tally_point_insert AFTER INSERT ON point "
        "FOR EACH ROW EXECUTE FUNCTION tally_point_insert()",
        # Before the row goes, while its tags are there (see sqlite_triggers).
        "CREATE TRIGGER tally_point_delete BEFORE DELETE ON point "
        "FOR EACH ROW EXECUTE FUNCTION tally_point_delete()",
        "CREATE TRIGGER tally_point_update AFTER UPDATE OF event_id, kind, private, deleted_at "
        f"ON point FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION tally_point_update()",
    ]
    for dim, link, column in TAGS:
        for event, new, old in (
            ("insert", True, False),
            ("delete", False, True),
            ("update", True, True),
        ):
            name = f"tally_{link}_{event}"
            refs = " ".join(
                part
                for part, wanted in (("NEW TABLE AS new_rows", new), ("OLD TABLE AS old_rows", old))
                if wanted
            )
            out += [
                _pg_function(name, _pg_tag_change(dim, link, column, new, old), "NULL"),
                f"CREATE TRIGGER {name} AFTER {event.upper()} ON {link} REFERENCING {refs} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
            ]
    return out


def trigger_names(dialect: str = "sqlite") -> list[str]:
    """The tally's triggers in a store of `dialect`."""
    tag_updates = ("update",) if dialect == "postgresql" else ("update_before", "update_after")
    names = ["tally_point_insert", "tally_point_delete", "tally_point_update"]
    if dialect != "postgresql":
        names.append("tally_point_insert_tagged")
    for _, link, _ in TAGS:
        names += [f"tally_{link}_{e}" for e in ("insert", "delete", *tag_updates)]
    return names


def _dialect(conn: Db) -> str:
    return getattr(conn, "dialect", "sqlite")


def create_triggers(conn: Db) -> None:
    statements = postgresql_triggers() if _dialect(conn) == "postgresql" else sqlite_triggers()
    for sql in statements:
        conn.execute(sql)


def drop_triggers(conn: Db) -> None:
    if _dialect(conn) == "postgresql":
        for _, link, _ in TAGS:
            for event in ("insert", "delete", "update"):
                conn.execute(f"DROP TRIGGER IF EXISTS tally_{link}_{event} ON {link}")
                conn.execute(f"DROP FUNCTION IF EXISTS tally_{link}_{event}()")
        for event in ("insert", "delete", "update"):
            conn.execute(f"DROP TRIGGER IF EXISTS tally_point_{event} ON point")
            conn.execute(f"DROP FUNCTION IF EXISTS tally_point_{event}()")
        return
    for name in trigger_names():
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")


def triggers_missing(conn: Db) -> list[str]:
    """The tally's triggers that the store lacks (none: all there)."""
    if _dialect(conn) == "postgresql":
        rows = conn.execute(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'tally%'"
        )
    else:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    have = {r[0] for r in rows}
    return [n for n in trigger_names(_dialect(conn)) if n not in have]


def _recount_sql(events: list[int] | None = None) -> str:
    """The counts of every event, or of `events` only."""
    live = "p.deleted_at IS NULL"
    within = ""
    if events is not None:
        within = f"p.event_id IN ({', '.join(str(int(e)) for e in events) or 'NULL'})"
        live += f" AND {within}"
    parts = [
        f"SELECT p.event_id, 'point' AS dim, 0 AS key, p.kind, p.private, count(*) AS n "
        f"FROM point p WHERE {live} GROUP BY p.event_id, p.kind, p.private"
    ]
    for dim, link, column in TAGS:
        multi = f"(SELECT point_id FROM {link} GROUP BY point_id HAVING count(*) > 1)"
        if events is not None:  # only those events' tags, not the whole table's
            multi = (
                f"(SELECT t.point_id FROM {link} t JOIN point p ON p.id = t.point_id "
                f"WHERE {within} GROUP BY t.point_id HAVING count(*) > 1)"
            )
        parts += [
            f"SELECT p.event_id, '{dim}', t.{column}, p.kind, p.private, count(*) FROM point p "
            f"JOIN {link} t ON t.point_id = p.id WHERE {live} "
            f"GROUP BY p.event_id, t.{column}, p.kind, p.private",
            f"SELECT p.event_id, '{dim}_any', 0, p.kind, p.private, count(*) FROM point p "
            f"WHERE {live} AND EXISTS (SELECT 1 FROM {link} t WHERE t.point_id = p.id) "
            f"GROUP BY p.event_id, p.kind, p.private",
            f"SELECT p.event_id, '{dim}_multi', 0, p.kind, p.private, count(*) FROM point p "
            f"JOIN {multi} m ON m.point_id = p.id WHERE {live} "
            f"GROUP BY p.event_id, p.kind, p.private",
        ]
    return " UNION ALL ".join(parts)


def _keyed(rows: Iterable[tuple]) -> dict[TallyKey, int]:
    out: dict[TallyKey, int] = {}
    for event_id, dim, key, kind, private, n in rows:
        if n:
            out[(event_id, dim, key, kind, bool(private))] = n
    return out


def recount(conn: Db) -> dict[TallyKey, int]:
    """What the tally should hold, counted from the points and tags (zeros left out)."""
    return _keyed(conn.execute(_recount_sql()))


def stored(conn: Db) -> dict[TallyKey, int]:
    """What the tally holds (zeros left out)."""
    return _keyed(conn.execute(f"SELECT {_COLUMNS} FROM {TABLE}"))


def drift(conn: Db) -> list[int]:
    """The events whose kept counts differ from a recount (none: the tally is right)."""
    kept, counted = stored(conn), recount(conn)
    return sorted({key[0] for key in kept.keys() ^ counted.keys()} | {
        key[0] for key in kept.keys() & counted.keys() if kept[key] != counted[key]
    })  # fmt: skip


def rebuild(conn: Db, event_ids: Iterable[int] | None = None) -> None:
    """Recount the tally from the points, of every event or of `event_ids` only (inside
    the caller's write transaction)."""
    if event_ids is None:
        conn.execute(f"DELETE FROM {TABLE}")
        conn.execute(f"INSERT INTO {TABLE} ({_COLUMNS}) {_recount_sql()}")
        return
    events = sorted({int(e) for e in event_ids})
    if not events:
        return
    conn.execute(f"DELETE FROM {TABLE} WHERE event_id IN ({', '.join(map(str, events))})")
    conn.execute(f"INSERT INTO {TABLE} ({_COLUMNS}) {_recount_sql(events)}")


@contextmanager
def paused(conn: Db, event_ids: Iterable[int]) -> Iterator[None]:
    """Within the caller's write transaction: the triggers do nothing while the block
    writes, then the tally rows of `event_ids` are recounted. For bulk writes (thousands
    of points) that touch points of those events only: one recount costs less than a
    trigger per row. Other connections never see the pause (it is never committed), and
    an error rolls it back with everything else. Nested pauses each keep their own row."""
    events = sorted({int(e) for e in event_ids})
    (mine,) = conn.execute(
        f"INSERT INTO {PAUSE} (id) SELECT coalesce(max(id), 0) + 1 FROM {PAUSE} RETURNING id"
    ).fetchone()
    try:
        yield
    except BaseException:
        # The caller's transaction rolls back, pause and all; if it were caught and
        # committed instead, the tally must still be right and the triggers at work.
        with suppress(Exception):  # an aborted PostgreSQL transaction: the rollback undoes it
            rebuild(conn, events)
            conn.execute(f"DELETE FROM {PAUSE} WHERE id = ?", (mine,))
        raise
    rebuild(conn, events)
    conn.execute(f"DELETE FROM {PAUSE} WHERE id = ?", (mine,))


def pauses(conn: Db) -> int:
    """How many pauses `conn` sees (0 for any other connection than the pausing one)."""
    return conn.execute(f"SELECT count(*) FROM {PAUSE}").fetchone()[0]


def repair(conn: Db) -> None:
    """Put back every trigger and recount (inside the caller's write transaction): what
    mends a tally `sendtui check` found wrong."""
    drop_triggers(conn)
    create_triggers(conn)
    rebuild(conn)
