"""A complete, lossless JSON dump of one event: everything needed to rebuild it elsewhere
(the json export format, `sendtui sync`'s files; read back by `dump_check`).

Points keep their UUIDs, positions, nesting, timestamps, private flags, soft deletes and the
time each field last changed (`field_times`, what a field-by-field merge compares); tags are
written by code and title. Attendees, apologies and actions (version 2) keep their UUIDs
and every field; an action names its point by UUID; since version 3 with their change times,
and removed ones too (marked), so a removal travels. The dump names the laptop it came from
and its note-taker, so a merge can say where a conflicting value came from. The format is
described in docs/dump-format.md.

Read on the plain driver (no ORM objects for 100,000 points) and encoded with msgspec: its
encoder, then its formatter for the two-space indentation people read.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec

from sendtui import __version__
from sendtui.errors import NotFoundError, SendtuiError
from sendtui.services import field_times
from sendtui.store.db import Db
from sendtui.store.store import Store

FORMAT = "sendtui-event"
VERSION = 3  # 2: attendees, apologies and actions; 3: their change times and removals
_NONE = object()


def iso_time(value: Any) -> str | None:
    """A stored time (SQLite's "YYYY-MM-DD HH:MM:SS.ffffff", UTC) as ISO 8601 with its zone."""
    if value is None or value == "":
        return None
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.isoformat()


def _tags(conn: Db, event_id: int, sql: str) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = {}
    for row in conn.execute(sql, (event_id,)):
        found.setdefault(row[0], []).append(row[1:])
    return found


def dump_event(store: Store, event_id: int, *, note_taker: str | None = None) -> dict[str, Any]:
    """The whole event as plain JSON-ready data. `note_taker` is who took these notes (the
    store's own note-taker, if it has one recorded, when not given)."""
    from sendtui.services import dump_attendance
    from sendtui.services.sync import laptop_id, store_note_taker

    conn: Db = store.reader
    event = conn.execute(
        "SELECT e.id, e.uuid, e.title, e.date, e.venue, e.subject, e.attendance, s.code, "
        "s.title, e.created_at, e.updated_at FROM event e JOIN scheme s ON s.id = e.scheme_id "
        "WHERE e.id = ?",
        (event_id,),
    ).fetchone()
    if event is None:
        raise NotFoundError(f"There is no event {event_id}.")
    groups = conn.execute(
        "SELECT id, uuid, name, facilitator, note_taker, position FROM discussion_group "
        "WHERE event_id = ? ORDER BY position, id",
        (event_id,),
    ).fetchall()
    topics = _tags(
        conn,
        event_id,
        "SELECT t.group_id, t.uuid, t.title, t.position, t.id FROM topic t "
        "JOIN discussion_group g ON g.id = t.group_id WHERE g.event_id = ? "
        "ORDER BY t.position, t.id",
    )
    chapters = _tags(
        conn,
        event_id,
        "SELECT pc.point_id, c.code, c.title FROM point_chapter pc "
        "JOIN chapter c ON c.id = pc.chapter_id JOIN point p ON p.id = pc.point_id "
        "WHERE p.event_id = ? ORDER BY c.position, c.id",
    )
    markers = _tags(
        conn,
        event_id,
        "SELECT pm.point_id, m.code FROM point_marker pm JOIN marker m ON m.id = pm.marker_id "
        "JOIN point p ON p.id = pm.point_id WHERE p.event_id = ? ORDER BY m.position, m.id",
    )
    points = conn.execute(
        "SELECT id, uuid, group_id, topic_id, parent_id, heading, kind, text, section_ref, "
        "position, note_taker, private, created_at, updated_at, deleted_at, field_times "
        "FROM point WHERE event_id = ? ORDER BY position, uuid",
        (event_id,),
    ).fetchall()
    # Points imported or merged together share their times: convert each distinct one once.
    times: dict[Any, str | None] = {}
    stamps: dict[str, dict[str, object]] = {}

    def when(value: Any) -> str | None:
        found = times.get(value, _NONE)
        if found is _NONE:
            found = times[value] = iso_time(value)
        return found  # type: ignore[return-value]

    def changed(raw: str) -> dict[str, object]:
        found = stamps.get(raw)
        if found is None:
            found = stamps[raw] = field_times.for_dump(raw, laptop)
        return found

    group_uuid = {g[0]: g[1] for g in groups}
    topic_uuid = {t[3]: t[0] for ts in topics.values() for t in ts}
    point_uuid = {p[0]: p[1] for p in points}
    try:
        laptop = laptop_id(store)
    except SendtuiError:
        laptop = ""  # a read-only store: the dump just does not name its laptop
    return {
        "format": FORMAT,
        "version": VERSION,
        "sendtui": __version__,
        "exported_at": iso_time(datetime.now(UTC)),
        "laptop": {
            "id": laptop,
            "note_taker": store_note_taker(store) if note_taker is None else note_taker,
        },
        "event": {
            "uuid": event[1],
            "title": event[2],
            "date": str(event[3]) if event[3] else None,
            "venue": event[4],
            "subject": event[5],
            "attendance": event[6],
            "scheme": {"code": event[7], "title": event[8]},
            "created_at": iso_time(event[9]),
            "updated_at": iso_time(event[10]),
        },
        "groups": [
            {
                "uuid": g[1],
                "name": g[2],
                "facilitator": g[3],
                "note_taker": g[4],
                "position": g[5],
                "topics": [
                    {"uuid": t[0], "title": t[1], "position": t[2]} for t in topics.get(g[0], [])
                ],
            }
            for g in groups
        ],
        "points": [
            {
                "uuid": p[1],
                "group": group_uuid[p[2]],
                "topic": topic_uuid.get(p[3]) if p[3] else None,
                "parent": point_uuid.get(p[4]) if p[4] else None,
                "heading": p[5],
                "kind": p[6],
                "text": p[7],
                "section_ref": p[8],
                "chapters": [{"code": c[0], "title": c[1]} for c in chapters.get(p[0], [])],
                "markers": [m[0] for m in markers.get(p[0], [])],
                "position": p[9],
                "note_taker": p[10],
                "private": bool(p[11]),
                "created_at": when(p[12]),
                "updated_at": when(p[13]),
                "deleted_at": when(p[14]),
                "field_times": changed(p[15] or ""),
            }
            for p in points
        ],
        **dump_attendance.build(conn, event_id, point_uuid),
    }


_ENCODER = msgspec.json.Encoder()


def to_json(data: dict[str, Any]) -> str:
    """The dump as indented UTF-8 JSON text (non-ASCII written as itself, not escaped)."""
    return msgspec.json.format(_ENCODER.encode(data), indent=2).decode("utf-8") + "\n"
