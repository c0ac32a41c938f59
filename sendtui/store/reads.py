"""Fast read queries on the stdlib driver: the lists and counts the screens show.

Portable SQL (SQLite and PostgreSQL) through a `Db`. No SQLModel here, so the first screen
can be drawn from a 100,000-point store before the ORM is even imported;
rows come back as small frozen dataclasses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sendtui.store.db import Db


@dataclass(frozen=True, slots=True)
class EventSummary:
    id: int
    title: str
    date: dt.date | None
    venue: str
    scheme_code: str
    points: int


@dataclass(frozen=True, slots=True)
class GroupRow:
    id: int
    name: str
    facilitator: str
    note_taker: str
    points: int


@dataclass(frozen=True, slots=True)
class TopicRow:
    id: int
    group_id: int
    title: str
    points: int


@dataclass(frozen=True, slots=True)
class PointRow:
    """A point as lists show it. `chapters`/`markers` are codes in scheme order."""

    id: int
    group_id: int
    topic_id: int | None
    parent_id: int | None
    position: int
    heading: str
    kind: str
    text: str
    section_ref: str
    chapters: tuple[str, ...]
    markers: tuple[str, ...]
    private: bool


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def event_summaries(conn: Db) -> list[EventSummary]:
    """Every event, newest first, with its number of (not deleted) points."""
    rows = conn.execute(
        """
        SELECT e.id, e.title, e.date, e.venue, s.code,
               (SELECT count(*) FROM point p WHERE p.event_id = e.id AND p.deleted_at IS NULL)
        FROM event e JOIN scheme s ON s.id = e.scheme_id
        ORDER BY e.date IS NULL, e.date DESC, e.id DESC
        """
    ).fetchall()
    return [EventSummary(r[0], r[1], _date(r[2]), r[3], r[4], r[5]) for r in rows]


def groups(conn: Db, event_id: int) -> list[GroupRow]:
    rows = conn.execute(
        """
        SELECT g.id, g.name, g.facilitator, g.note_taker,
               (SELECT count(*) FROM point p WHERE p.group_id = g.id AND p.deleted_at IS NULL)
        FROM discussion_group g WHERE g.event_id = ? ORDER BY g.position, g.id
        """,
        (event_id,),
    ).fetchall()
    return [GroupRow(*r) for r in rows]


def topics(conn: Db, event_id: int) -> list[TopicRow]:
    rows = conn.execute(
        """
        SELECT t.id, t.group_id, t.title,
               (SELECT count(*) FROM point p WHERE p.topic_id = t.id AND p.deleted_at IS NULL)
        FROM topic t JOIN discussion_group g ON g.id = t.group_id
        WHERE g.event_id = ? ORDER BY g.position, g.id, t.position, t.id
        """,
        (event_id,),
    ).fetchall()
    return [TopicRow(*r) for r in rows]


_POINT_SELECT = (
    "SELECT p.id, p.group_id, p.topic_id, p.parent_id, p.position, p.heading, p.kind, "
    "p.text, p.section_ref, p.private FROM point p"
)


def points(
    conn: Db,
    event_id: int,
    *,
    group_id: int | None = None,
    topic_id: int | None = None,
    no_topic: bool = False,
    include_private: bool = True,
) -> list[PointRow]:
    """The event's points in the order they were made, optionally one group's or topic's
    (`no_topic`: only the points in no topic, as a group's own place shows).

    Three flat queries (points, then their chapter and marker codes) joined in Python: at
    100,000 points this is several times faster than per-row subqueries."""
    where = ["p.event_id = ?", "p.deleted_at IS NULL"]
    args: list[object] = [event_id]
    if group_id is not None:
        where.append("p.group_id = ?")
        args.append(group_id)
    if topic_id is not None:
        where.append("p.topic_id = ?")
        args.append(topic_id)
    elif no_topic:
        where.append("p.topic_id IS NULL")
    if not include_private:
        where.append("NOT p.private")
    clause = " AND ".join(where)
    # (position, uuid): two writers may pick the same position; the uuid breaks the tie the
    # same way on every laptop and both databases.
    return _rows(conn, clause, args, order=" ORDER BY p.position, p.uuid")


def _rows(conn: Db, clause: str, args: Sequence[object], *, order: str = "") -> list[PointRow]:
    chapters = _codes(conn, "point_chapter", "chapter", "chapter_id", clause, args)
    markers = _codes(conn, "point_marker", "marker", "marker_id", clause, args)
    empty: tuple[str, ...] = ()
    return [
        PointRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8],
                 chapters.get(r[0], empty), markers.get(r[0], empty), bool(r[9]))
        for r in conn.execute(f"{_POINT_SELECT} WHERE {clause}{order}", args)
    ]  # fmt: skip


def _codes(
    conn: Db, link: str, table: str, column: str, clause: str, args: Sequence[object]
) -> dict[int, tuple[str, ...]]:
    """point id → its tag codes in scheme order, for the points matching `clause`."""
    found: dict[int, list[str]] = {}
    for point_id, code in conn.execute(
        f"SELECT l.point_id, t.code FROM {link} l JOIN {table} t ON t.id = l.{column} "
        f"JOIN point p ON p.id = l.point_id WHERE {clause} ORDER BY l.point_id, t.position",
        args,
    ):
        found.setdefault(point_id, []).append(code)
    return {point_id: tuple(codes) for point_id, codes in found.items()}


def points_by_id(conn: Db, ids: Iterable[int]) -> dict[int, PointRow | None]:
    """The current rows for `ids`; None for a point that is deleted (or never existed)."""
    wanted = list(dict.fromkeys(ids))
    found: dict[int, PointRow | None] = dict.fromkeys(wanted)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in _rows(conn, f"p.id IN ({marks}) AND p.deleted_at IS NULL", chunk):
            found[row.id] = row
    return found


def ui_state(conn: Db, key: str) -> str | None:
    row = conn.execute("SELECT value FROM ui_state WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def markers(conn: Db) -> list[tuple[str, str]]:
    """Every marker of good practice as (code, title), in the order they are listed."""
    return [(r[0], r[1]) for r in conn.execute("SELECT code, title FROM marker ORDER BY position")]
