"""When each field of an attendee, apology or action last changed, and when it was removed:
what merging two laptops' copies compares (see `sendtui.services.merge_attendance`).

A record's `field_times` column holds a JSON object in the form of a point's (without `by`
and `seen`): `{"name": "2026-11-29 10:01:02.000000", …}`, UTC times as `sql_time` writes
them. `deleted` is the time of the last removal (absent: never removed).

A record is removed when its removal is at least as late as every change of its fields: a
removal on one laptop wins over an earlier edit on another, and loses to a later one (the
record comes back with that edit). Its `deleted_at` column says so, for every read.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from sendtui.errors import NotFoundError

if TYPE_CHECKING:
    from sendtui.store.db import Db

# The fields of each table compared on their own ("point": an action's point, by UUID in a
# dump). Migration 0004 keeps its own copy of these names.
FIELDS = {
    "attendee": ("name", "organisation", "role", "level", "count", "position"),
    "apology": ("name", "organisation", "position"),
    "action_item": ("point", "what", "who", "due", "done", "position"),
}
DELETED = "deleted"


def known(table: str) -> tuple[str, ...]:
    """Every name a record of `table` may have a time for."""
    return (*FIELDS[table], DELETED)


def load(raw: str | None) -> dict[str, str]:
    """The stored `field_times` value ({} for an empty or unreadable one)."""
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        return {}
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str) and v}


def dump(table: str, times: dict[str, str]) -> str:
    """Times as stored: known names in their order, empty times left out."""
    out = {k: times[k] for k in known(table) if times.get(k)}
    return json.dumps(out, separators=(",", ":")) if out else ""


def all_fields(table: str, at: str) -> str:
    """The times of a new record: every field made `at`."""
    return dump(table, dict.fromkeys(FIELDS[table], at))


def touch(table: str, raw: str | None, fields: list[str], at: str) -> str:
    times = load(raw)
    for name in fields:
        if name not in known(table):
            raise ValueError(f"not a field of {table}: {name}")
        times[name] = at
    return dump(table, times)


def removed_at(table: str, times: dict[str, str]) -> str | None:
    """The removal time if the record is removed by the rule above, else None."""
    gone = times.get(DELETED, "")
    if not gone:
        return None
    latest = max((times.get(name, "") for name in FIELDS[table]), default="")
    return gone if gone >= latest else None


def now() -> str:
    from sendtui.models.base import sql_time, utcnow

    return sql_time(utcnow())


def new_times(table: str) -> str:
    return all_fields(table, now())


def live_times(conn: Db, table: str, row_id: int) -> str:
    """The record's field times; NotFoundError if it is gone or removed."""
    return _live(conn, table, row_id, ["field_times"])[0]


def _live(conn: Db, table: str, row_id: int, columns: list[str]) -> tuple:
    found = conn.execute(
        f"SELECT {', '.join(columns)} FROM {table} WHERE id = ? AND deleted_at IS NULL",
        (row_id,),
    ).fetchone()
    if found is None:
        what = table.replace("_item", "")
        raise NotFoundError(f"That {what} is no longer there (removed elsewhere?).")
    return tuple(found)


def edit(conn: Db, table: str, row_id: int, values: dict[str, object]) -> None:
    """Set the fields and stamp those whose value changed (what a merge compares)."""
    names = list(values)
    row = _live(conn, table, row_id, [*names, "field_times"])
    before = dict(zip(names, row[:-1], strict=True))
    if "due" in before:  # SQLite: text; PostgreSQL: a date
        before["due"] = due_iso(before["due"])
        before["done"] = bool(before["done"])
    changed = [name for name in names if before[name] != values[name]]
    if not changed:
        return
    times = touch(table, row[-1], changed, now())
    sets = ", ".join(f"{name} = ?" for name in changed)
    conn.execute(
        f"UPDATE {table} SET {sets}, field_times = ? WHERE id = ?",
        (*(values[name] for name in changed), times, row_id),
    )


def due_iso(value: object) -> str | None:
    """A stored due date (SQLite: text; PostgreSQL: a date) as YYYY-MM-DD."""
    if value is None or value == "":
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]


def time_text(value: Any) -> str | None:
    """A stored time (SQLite: text; PostgreSQL: a datetime) as `sql_time` writes it."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(sep=" ", timespec="microseconds")
    return str(value)
