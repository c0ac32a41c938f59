"""Merging a dump's attendees, apologies and actions into an event (`merge_dump` calls this
after the points, in the same transaction; the rules are in docs/dump-format.md).

- The same record: the one here with its UUID; else, among records not removed, an
  attendee with the same name, organisation (by `name_key`) and role, if it has a name or an
  organisation; an apology with the same name and organisation; an action made from the
  same point. Two laptops that each typed "Ann Smith, parent carer" get one attendee, not
  two; a record matched so takes the smaller of the two UUIDs, so every laptop ends with the
  same one.
- A new record is added as it is, at its position in the file (positions, then UUIDs, order
  records alike on every laptop); a removed one too, marked removed, so its removal stays.
- Each field on its own: the value changed later wins (`field_times`, see `record_times`);
  a value without a time (a version 1 or 2 dump) is older than any change made since. At the
  same time (two copies without times) the greater value wins (true over false, a value over
  none, the later date, the larger number, text later in Unicode order) and the difference
  is listed, so someone can check it. The latest removal time is kept; the record is removed
  when that removal is at least as late as every change of its fields (a later edit on
  another laptop brings it back). Each part is a join, so merging in either order, or
  again, gives the same result.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sendtui.services import record_times
from sendtui.services.dump_attendance import Attendance, due_text
from sendtui.services.dump_check import Dump
from sendtui.store.db import Db
from sendtui.text import name_key, printable

CHUNK = 500


@dataclass(frozen=True)
class RecordConflict:
    """A field of an attendee, apology or action that differed between the two copies."""

    what: str  # "attendee", "apology", "action"
    label: str
    field: str
    kept: Any
    other: Any

    def line(self) -> str:
        words = self.label[:40] + ("…" if len(self.label) > 40 else "")
        return printable(
            f"  {self.what} “{words}” {self.field}: kept "
            f"{json.dumps(self.kept, ensure_ascii=False)}, the other was "
            f"{json.dumps(self.other, ensure_ascii=False)}"
        )


@dataclass
class RecordsMerged:
    new: dict[str, int] = field(default_factory=dict)  # by table
    updated: int = 0
    removed: int = 0  # records here that a removal from the other laptop took away
    conflicts: list[RecordConflict] = field(default_factory=list)

    def summary(self) -> str:
        """ "2 new attendees, 1 new action, 1 updated" ("" when nothing changed)."""
        parts = []
        for table, one, many in _NOUNS:
            n = self.new.get(table, 0)
            if n:
                parts.append(f"{n} new {one if n == 1 else many}")
        if self.updated:
            parts.append(f"{self.updated} attendance record{'s' if self.updated != 1 else ''} "
                         "updated")  # fmt: skip
        if self.removed:
            parts.append(f"{self.removed} attendance record{'s' if self.removed != 1 else ''} "
                         "removed")  # fmt: skip
        return ", ".join(parts)


_NOUNS = (("attendee", "attendee", "attendees"), ("apology", "apology", "apologies"),
          ("action_item", "action", "actions"))  # fmt: skip


@dataclass(frozen=True)
class _Table:
    name: str
    what: str
    section: str
    fields: tuple[str, ...]  # columns merged; for actions "point" is the point's UUID
    key: Callable[[dict[str, Any]], tuple | None]
    label: Callable[[dict[str, Any]], str]


def _attendee_key(v: dict[str, Any]) -> tuple | None:
    if not (v["name"] or v["organisation"]):
        return None  # "12 × parent carer": two such entries may well be different people
    return (name_key(v["name"]), name_key(v["organisation"]), name_key(v["role"]))


TABLES = (
    _Table("attendee", "attendee", "attendees",
           ("name", "organisation", "role", "level", "count", "position"), _attendee_key,
           lambda v: v["name"] or v["organisation"] or f"{v['count']} × {v['role']}"),
    _Table("apology", "apology", "apologies", ("name", "organisation", "position"),
           lambda v: (name_key(v["name"]), name_key(v["organisation"])),
           lambda v: v["name"]),
    _Table("action_item", "action", "actions",
           ("point", "what", "who", "due", "done", "position"),
           lambda v: ("point", v["point"]) if v["point"] else None,
           lambda v: v["what"]),
)  # fmt: skip


def _order(value: Any) -> tuple:
    """The rule's order: none lowest, then by value (False < True, ISO dates as text)."""
    return (value is not None, value)


@dataclass
class _Record:
    uuid: str
    values: dict[str, Any]
    times: dict[str, str]
    id: int = 0  # here; 0 for the dump's
    deleted_at: str | None = None  # as stored here


def _local(conn: Db, table: _Table, event_id: int) -> list[_Record]:
    """The event's records here (removed ones too), in the minutes' order."""
    if table.name == "action_item":
        sql = (
            "SELECT a.id, a.uuid, a.field_times, a.deleted_at, p.uuid, a.what, a.who, a.due, "
            "a.done, a.position FROM action_item a LEFT JOIN point p ON p.id = a.point_id "
            "WHERE a.event_id = ? ORDER BY a.position, a.uuid"
        )
    else:
        sql = (f"SELECT id, uuid, field_times, deleted_at, {', '.join(table.fields)} "
               f"FROM {table.name} WHERE event_id = ? ORDER BY position, uuid")  # fmt: skip
    out = []
    for row in conn.execute(sql, (event_id,)).fetchall():
        values = dict(zip(table.fields, row[4:], strict=True))
        if table.name == "action_item":
            values["due"], values["done"] = due_text(values["due"]), bool(values["done"])
        out.append(_Record(row[1], values, record_times.load(row[2]), row[0],
                           record_times.time_text(row[3])))  # fmt: skip
    return out


def _dumped(table: _Table, records: Attendance) -> list[_Record]:
    items = getattr(records, table.section)
    out = []
    for item in items:
        values = {name: getattr(item, name) for name in table.fields}
        if "due" in values:
            values["due"] = values["due"].isoformat() if values["due"] else None
        out.append(_Record(item.uuid, values, dict(item.times)))
    return out


def problems(conn: Db, event_id: int, dump: Dump) -> list[str]:
    """What in the file's attendance does not fit this store: records that belong to another
    event here, actions made from a point neither the file nor the event has."""
    found: list[str] = []
    for table in TABLES:
        uuids = [item.uuid for item in getattr(dump.records, table.section)]
        where: dict[str, int] = {}
        for start in range(0, len(uuids), CHUNK):
            chunk = uuids[start : start + CHUNK]
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT uuid, event_id FROM {table.name} WHERE uuid IN ({marks})"
            where.update(conn.execute(sql, chunk))
        for n, uuid in enumerate(uuids):
            if uuid in where and where[uuid] != event_id:
                found.append(
                    f"{table.section}[{n}].uuid: this {table.what} belongs to event "
                    f"{where[uuid]} in this store, not {event_id}; merge the file into that "
                    "event (leave out --event)"
                )
    in_file = {p.uuid for p in dump.points}
    wanted = [a.point for a in dump.records.actions if a.point and a.point not in in_file]
    here = _point_ids(conn, event_id) if wanted else {}
    for n, action in enumerate(dump.records.actions):
        if action.point and action.point not in in_file and action.point not in here:
            found.append(f"actions[{n}].point: no such point in the file or the event")
    return found


def _point_ids(conn: Db, event_id: int) -> dict[str, int]:
    return dict(conn.execute("SELECT uuid, id FROM point WHERE event_id = ?", (event_id,)))


def merge_records(conn: Db, event_id: int, records: Attendance) -> RecordsMerged:
    """Merge the dump's records into event `event_id` (see the module's description); the
    dump's points are already merged, so every point an action names is here."""
    result = RecordsMerged()
    if not records:
        return result
    points = _point_ids(conn, event_id) if records.actions else {}
    for table in TABLES:
        dumped = _dumped(table, records)
        if dumped:
            _merge_table(conn, table, event_id, dumped, points, result)
    return result


def _merge_table(
    conn: Db, table: _Table, event_id: int, dumped: list[_Record],
    points: dict[str, int], result: RecordsMerged,
) -> None:  # fmt: skip
    local = _local(conn, table, event_id)
    by_uuid = {row.uuid: row for row in local}
    matched: dict[int, _Record] = {}
    for n, record in enumerate(dumped):  # by UUID first: a key never takes a UUID's row
        if record.uuid in by_uuid:
            matched[n] = by_uuid[record.uuid]
    used = {row.id for row in matched.values()}
    # By key only between records not removed: a removal is of that record, not its name.
    by_key: dict[tuple, list[_Record]] = {}
    for row in local:
        if row.id not in used and row.deleted_at is None and (key := table.key(row.values)):
            by_key.setdefault(key, []).append(row)
    for n, record in enumerate(dumped):
        if n in matched or record_times.removed_at(table.name, record.times) is not None:
            continue
        if (key := table.key(record.values)) is not None and by_key.get(key):
            matched[n] = by_key[key].pop(0)
    inserts, updates = [], []
    for n, record in enumerate(dumped):
        row = matched.get(n)
        times = record_times.dump(table.name, record.times)
        if row is None:
            gone = record_times.removed_at(table.name, record.times)
            inserts.append((record.uuid, *_columns(table, record.values, points), times, gone))
            if gone is None:
                result.new[table.name] = result.new.get(table.name, 0) + 1
            continue
        values, merged_times = _merge_fields(table, row, record, result)
        gone = record_times.removed_at(table.name, merged_times)
        same_uuid = min(row.uuid, record.uuid)
        times = record_times.dump(table.name, merged_times)
        if (values != row.values or same_uuid != row.uuid or gone != row.deleted_at
                or times != record_times.dump(table.name, row.times)):  # fmt: skip
            updates.append((same_uuid, *_columns(table, values, points), times, gone, row.id))
            result.updated += 1
            if gone is not None and row.deleted_at is None:
                result.removed += 1
    columns = ["point_id" if f == "point" else f for f in table.fields]
    columns += ["field_times", "deleted_at"]
    if inserts:
        marks = ", ".join("?" * (len(columns) + 2))
        conn.executemany(
            f"INSERT INTO {table.name} (uuid, event_id, {', '.join(columns)}) VALUES ({marks})",
            [(row[0], event_id, *row[1:]) for row in inserts],
        )
    if updates:
        sets = ", ".join(f"{c} = ?" for c in ["uuid", *columns])
        conn.executemany(f"UPDATE {table.name} SET {sets} WHERE id = ?", updates)


def _merge_fields(
    table: _Table, here: _Record, there: _Record, result: RecordsMerged
) -> tuple[dict[str, Any], dict[str, str]]:
    """The merged values and times of two copies of a record: per field the later change,
    at the same time the greater value (listed: the times cannot tell which is newer)."""
    values, times = dict(here.values), {}
    differences = []
    for name in table.fields:
        mine, theirs = here.values[name], there.values[name]
        t_mine, t_theirs = here.times.get(name, ""), there.times.get(name, "")
        if mine == theirs:
            times[name] = max(t_mine, t_theirs)
            continue
        take = (t_theirs, _order(theirs)) > (t_mine, _order(mine))
        values[name], times[name] = (theirs, t_theirs) if take else (mine, t_mine)
        if t_mine == t_theirs and name != "position":  # positions only order records
            differences.append((name, values[name], mine if take else theirs))
    gone = max(here.times.get(record_times.DELETED, ""),
               there.times.get(record_times.DELETED, ""))  # fmt: skip
    if gone:
        times[record_times.DELETED] = gone
    result.conflicts += [
        RecordConflict(table.what, table.label(values), name, kept, other)
        for name, kept, other in differences
    ]
    return values, times


def _columns(table: _Table, values: dict[str, Any], points: dict[str, int]) -> tuple:
    """The values as SQL parameters, in `table.fields` order (a point's UUID as its id)."""
    return tuple(
        (points[values[name]] if values[name] else None) if name == "point" else values[name]
        for name in table.fields
    )
