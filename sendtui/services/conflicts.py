"""Merge conflicts a coordinator settles: list them, restore the other laptop's value, or
keep the value the merge kept.

A merge (`sendtui.services.merge`) keeps the newer of two values changed differently on two
laptops and writes the other to `point_conflict` as JSON: text/kind/section_ref a string,
chapters/markers a list of codes, private/deleted true or false, position a number, place
{"group", "topic", "heading", "parent"} (UUIDs and the heading text). Restoring writes that
value back to the point, stamps the field's change time (so the next merge carries it to the
other laptops) and marks the conflict resolved; dismissing only marks it resolved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sendtui.errors import InputError, NotFoundError
from sendtui.models.base import sql_time, utcnow
from sendtui.services import field_times as ft
from sendtui.store.db import Db
from sendtui.store.store import Store

FIELD_NAMES = {
    "text": "text",
    "kind": "kind",
    "section_ref": "section reference",
    "chapters": "chapters",
    "markers": "markers",
    "private": "private",
    "place": "place",
    "position": "order",
    "deleted": "deleted",
}


@dataclass(frozen=True)
class Conflict:
    """One unresolved conflict: the value kept and the other one, decoded."""

    id: int
    point_id: int
    field: str
    kept: Any
    other: Any
    other_time: str
    source: str

    def describe(self) -> str:
        """One line for the review screen: what differs and where the other value came
        from (user text is returned as is: callers show it as literal text)."""
        name = FIELD_NAMES.get(self.field, self.field)
        came = f" ({self.source})" if self.source else ""
        return f"{name}: kept {_show(self.kept)}; the other laptop{came} had {_show(self.other)}"


def _show(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return f"“{value.get('heading') or 'no heading'}” in another group or topic"
    return f"“{value}”"


def _decode(raw: str) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw


def unresolved_counts(conn: Db, event_id: int) -> dict[int, int]:
    """{point id: number of unresolved conflicts} for the event's points."""
    rows = conn.execute(
        "SELECT c.point_id, count(*) FROM point_conflict c JOIN point p ON p.id = c.point_id "
        "WHERE p.event_id = ? AND c.resolved_at IS NULL GROUP BY c.point_id",
        (event_id,),
    )
    return {point_id: count for point_id, count in rows}


def for_point(conn: Db, point_id: int) -> list[Conflict]:
    """The point's unresolved conflicts, oldest first."""
    rows = conn.execute(
        "SELECT id, point_id, field, kept_value, other_value, other_time, source "
        "FROM point_conflict WHERE point_id = ? AND resolved_at IS NULL ORDER BY id",
        (point_id,),
    )
    return [
        Conflict(cid, pid, name, _decode(kept), _decode(other), time or "", source or "")
        for cid, pid, name, kept, other, time, source in rows
    ]


def dismiss(store: Store, conflict_id: int) -> Conflict:
    """Keep the value the merge kept: the conflict is marked resolved."""
    with store.write_raw() as conn:
        conflict = _get(conn, conflict_id)
        _resolve(conn, conflict_id)
    return conflict


def restore(store: Store, conflict_id: int) -> Conflict:
    """Write the other laptop's value back to the point, stamp the field as changed now,
    and mark the conflict resolved. InputError if the value no longer fits (a chapter or
    group it names is not here)."""
    now = sql_time(utcnow())
    with store.write_raw() as conn:
        conflict = _get(conn, conflict_id)
        row = conn.execute(
            "SELECT p.event_id, p.field_times, e.scheme_id FROM point p "
            "JOIN event e ON e.id = p.event_id WHERE p.id = ?",
            (conflict.point_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError("The point of that conflict no longer exists.")
        event_id, times, scheme_id = row
        _write(conn, conflict, event_id, scheme_id, now)
        conn.execute(
            "UPDATE point SET updated_at = ?, field_times = ? WHERE id = ?",
            (now, ft.touch(times, [conflict.field], now), conflict.point_id),
        )
        _resolve(conn, conflict_id)
    return conflict


def _get(conn: Db, conflict_id: int) -> Conflict:
    row = conn.execute(
        "SELECT id, point_id, field, kept_value, other_value, other_time, source, resolved_at "
        "FROM point_conflict WHERE id = ?",
        (conflict_id,),
    ).fetchone()
    if row is None or row[7] is not None:
        raise NotFoundError("That conflict is settled already.")
    cid, pid, name, kept, other, time, source, _ = row
    return Conflict(cid, pid, name, _decode(kept), _decode(other), time or "", source or "")


def _resolve(conn: Db, conflict_id: int) -> None:
    conn.execute(
        "UPDATE point_conflict SET resolved_at = ? WHERE id = ?",
        (sql_time(utcnow()), conflict_id),
    )


def _write(conn: Db, conflict: Conflict, event_id: int, scheme_id: int, now: str) -> None:
    """Set one field of the point to the conflict's other value."""
    value, point_id, name = conflict.other, conflict.point_id, conflict.field
    if name in ("text", "kind", "section_ref") and isinstance(value, str):
        column = {"text": "text", "kind": "kind", "section_ref": "section_ref"}[name]
        conn.execute(f"UPDATE point SET {column} = ? WHERE id = ?", (value, point_id))
    elif name == "private" and isinstance(value, bool):
        conn.execute("UPDATE point SET private = ? WHERE id = ?", (value, point_id))
    elif name == "deleted" and isinstance(value, bool):
        conn.execute(
            "UPDATE point SET deleted_at = ? WHERE id = ?", (now if value else None, point_id)
        )
    elif name == "position" and isinstance(value, int) and not isinstance(value, bool):
        conn.execute("UPDATE point SET position = ? WHERE id = ?", (value, point_id))
    elif name in ("chapters", "markers") and isinstance(value, list):
        _retag(conn, name, [str(v) for v in value], point_id, scheme_id)
    elif name == "place" and isinstance(value, dict):
        _move(conn, value, point_id, event_id)
    else:
        raise InputError(f"The other value of this conflict ({name}) cannot be restored.")


def _retag(conn: Db, name: str, codes: list[str], point_id: int, scheme_id: int) -> None:
    if name == "chapters":
        known = dict(conn.execute("SELECT code, id FROM chapter WHERE scheme_id = ?", (scheme_id,)))
        link, column = "point_chapter", "chapter_id"
    else:
        known = dict(conn.execute("SELECT code, id FROM marker"))
        link, column = "point_marker", "marker_id"
    missing = [c for c in codes if c not in known]
    if missing:
        raise InputError(f"The other value names {name} this store lacks: {', '.join(missing)}.")
    conn.execute(f"DELETE FROM {link} WHERE point_id = ?", (point_id,))
    conn.executemany(
        f"INSERT INTO {link} (point_id, {column}) VALUES (?, ?)",
        [(point_id, known[c]) for c in dict.fromkeys(codes)],
    )


def _move(conn: Db, place: dict[str, Any], point_id: int, event_id: int) -> None:
    def by_uuid(sql: str, uuid: Any) -> int | None:
        if not uuid:
            return None
        found = conn.execute(sql, (uuid, event_id)).fetchone()
        if found is None:
            raise InputError("The other value's group, topic or parent point is not here.")
        return found[0]

    group = by_uuid(
        "SELECT id FROM discussion_group WHERE uuid = ? AND event_id = ?", place.get("group")
    )
    topic = by_uuid(
        "SELECT t.id FROM topic t JOIN discussion_group g ON g.id = t.group_id "
        "WHERE t.uuid = ? AND g.event_id = ?",
        place.get("topic"),
    )
    parent = by_uuid("SELECT id FROM point WHERE uuid = ? AND event_id = ?", place.get("parent"))
    if group is None:
        raise InputError("The other value names no group.")
    conn.execute(
        "UPDATE point SET group_id = ?, topic_id = ?, heading = ?, parent_id = ? WHERE id = ?",
        (group, topic, str(place.get("heading") or ""), parent, point_id),
    )
