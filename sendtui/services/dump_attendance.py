"""The attendance sections of a JSON event dump (version 2, with change times and removals
since version 3): who came, who sent apologies, and the actions agreed, written by
`dump_build` and read back, checked, by `dump_check`.

Each record keeps its UUID (its identity across laptops), every field and its position;
an action names the point it was made from by the point's UUID. Since version 3 each also
has `field_times` (when each field last changed, see `record_times`) and `deleted_at`, and
removed records are written too, so a removal travels. A dump without these sections
(version 1, or a hand-made file) simply has none; a record without times (version 2) has
values older than any change made since.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sendtui.services import record_times
from sendtui.services.attendance import MAX_COUNT, due_problem, text_problem
from sendtui.services.dump_values import MISSING, Checker, stored_time
from sendtui.store.db import Db

SECTIONS = ("attendees", "apologies", "actions")


@dataclass(frozen=True)
class DumpAttendee:
    uuid: str
    name: str
    organisation: str
    role: str
    level: str
    count: int
    position: int
    times: dict[str, str] = field(default_factory=dict)  # field (or "deleted") -> stored time


@dataclass(frozen=True)
class DumpApology:
    uuid: str
    name: str
    organisation: str
    position: int
    times: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DumpAction:
    uuid: str
    point: str | None  # the UUID of the point it was made from
    what: str
    who: str
    due: dt.date | None
    done: bool
    position: int
    times: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Attendance:
    """An event's attendance as a dump holds it (each part in the file's order)."""

    attendees: tuple[DumpAttendee, ...] = ()
    apologies: tuple[DumpApology, ...] = ()
    actions: tuple[DumpAction, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.attendees or self.apologies or self.actions)


# -- writing -------------------------------------------------------------------------------------


due_text = record_times.due_iso  # the name the merge and older callers use


def build(conn: Db, event_id: int, point_uuid: dict[int, str]) -> dict[str, list[dict]]:
    """The three sections of event `event_id`, in the order the minutes list them; removed
    records too (with their `deleted_at`), so the removal reaches other laptops."""
    from sendtui.services.dump_build import iso_time

    def stamps(table: str, raw: str, deleted: Any) -> dict[str, Any]:
        return {"field_times": json.loads(record_times.dump(table, record_times.load(raw))
                                          or "{}"),
                "deleted_at": iso_time(deleted)}  # fmt: skip

    attendees = conn.execute(
        "SELECT uuid, name, organisation, role, level, count, position, field_times, "
        "deleted_at FROM attendee WHERE event_id = ? ORDER BY position, uuid",
        (event_id,),
    ).fetchall()
    apologies = conn.execute(
        "SELECT uuid, name, organisation, position, field_times, deleted_at FROM apology "
        "WHERE event_id = ? ORDER BY position, uuid",
        (event_id,),
    ).fetchall()
    actions = conn.execute(
        "SELECT uuid, point_id, what, who, due, done, position, field_times, deleted_at "
        "FROM action_item WHERE event_id = ? ORDER BY position, uuid",
        (event_id,),
    ).fetchall()
    return {
        "attendees": [
            {
                "uuid": a[0],
                "name": a[1],
                "organisation": a[2],
                "role": a[3],
                "level": a[4],
                "count": a[5],
                "position": a[6],
                **stamps("attendee", a[7], a[8]),
            }
            for a in attendees
        ],
        "apologies": [
            {
                "uuid": a[0],
                "name": a[1],
                "organisation": a[2],
                "position": a[3],
                **stamps("apology", a[4], a[5]),
            }
            for a in apologies
        ],
        "actions": [
            {
                "uuid": a[0],
                "point": point_uuid.get(a[1]) if a[1] else None,
                "what": a[2],
                "who": a[3],
                "due": due_text(a[4]),
                "done": bool(a[5]),
                "position": a[6],
                **stamps("action_item", a[7], a[8]),
            }
            for a in actions
        ],
    }


# -- reading -------------------------------------------------------------------------------------


def _text(check: Checker, item: dict[str, Any], key: str, path: str, *, required: bool = False,
          ) -> str:  # fmt: skip
    """Text as the attendance service keeps it: spaces collapsed, its one rule checked."""
    if required and item.get(key) is None:
        check.fail(f"{path}.{key}", "missing")
        return ""
    before = len(check.problems)
    value = " ".join(check.text(item, key, path).split())
    if len(check.problems) > before:  # not text, or half a character: named already
        return ""
    if required and not value:
        check.fail(f"{path}.{key}", "is empty")
    elif (problem := text_problem(value)) is not None:
        check.fail(f"{path}.{key}", problem)
    return value


def _count(check: Checker, item: dict[str, Any], path: str) -> int:
    value = item.get("count", MISSING)
    where = f"{path}.count"
    if value is MISSING or value is None:
        check.fail(where, "missing")
    elif isinstance(value, bool) or not isinstance(value, int):
        check.fail(where, "must be a whole number of people")
    elif not 1 <= value <= MAX_COUNT:
        check.fail(where, f"must be a number of people from 1 to {MAX_COUNT:,}")
    else:
        return value
    return 1


def _due_date(check: Checker, item: dict[str, Any], path: str) -> dt.date | None:
    when = check.date(item, "due", path)  # names a value that is not a date
    if when is not None and (problem := due_problem(when)) is not None:
        check.fail(f"{path}.due", problem)
        return None
    return when


def _times(check: Checker, item: dict[str, Any], path: str, table: str) -> dict[str, str]:
    """A record's `field_times` and `deleted_at` (version 3) as stored times; a removal is
    the `deleted` time, else `deleted_at`. Absent (version 2): no times."""
    found: dict[str, str] = {}
    value = item.get("field_times")
    where = f"{path}.field_times"
    if value is not None and not isinstance(value, dict):
        check.fail(where, "must be an object { … }")
    elif value is not None:
        names = record_times.known(table)
        for name in value:
            if name not in names:
                check.fail(f"{where}.{str(name)[:40]}", f"is not one of {', '.join(names)}")
                continue
            when = check.time(value, name, where)
            if when is not None:
                found[name] = stored_time(when)
    gone = check.time(item, "deleted_at", path, optional=True)
    if gone is not None and record_times.DELETED not in found:
        found[record_times.DELETED] = stored_time(gone)
    if gone is None and "deleted_at" in item and item["deleted_at"] is not None:
        return found  # a bad deleted_at: named already
    if gone is not None and record_times.removed_at(table, found) is None:
        check.fail(f"{path}.deleted_at", "is set, but a field changed after the removal")
    elif gone is None and record_times.removed_at(table, found) is not None:
        check.fail(f"{path}.deleted_at", "missing: field_times.deleted says it was removed")
    return found


def _records(check: Checker, root: dict[str, Any], key: str) -> list[tuple[str, dict, str]]:
    """(path, object, uuid) for each well-formed entry of section `key` (absent: none);
    a UUID repeated in the section is a problem."""
    value = root.get(key, MISSING)
    if value is MISSING or value is None:
        return []
    if not isinstance(value, list):
        check.fail(key, "must be a list [ … ]")
        return []
    found: list[tuple[str, dict, str]] = []
    seen: dict[str, str] = {}
    for index, raw in enumerate(value):
        path = f"{key}[{index}]"
        item = check.obj(raw, path)
        if item is None:
            continue
        uuid = check.uuid(item, "uuid", path)
        if uuid in seen:
            check.fail(f"{path}.uuid", f"repeats {seen[uuid]}")
        elif uuid:
            seen[uuid] = path
        found.append((path, item, uuid or ""))
    return found


def parse(check: Checker, root: dict[str, Any]) -> Attendance:
    """The attendance sections of a parsed dump, every problem collected in `check`."""
    attendees = tuple(
        DumpAttendee(
            uuid,
            _text(check, item, "name", path),
            _text(check, item, "organisation", path),
            _text(check, item, "role", path, required=True).lower(),
            _text(check, item, "level", path, required=True).lower(),
            _count(check, item, path),
            check.integer(item, "position", path, n),
            _times(check, item, path, "attendee"),
        )
        for n, (path, item, uuid) in enumerate(_records(check, root, "attendees"))
    )
    apologies = tuple(
        DumpApology(
            uuid,
            _text(check, item, "name", path, required=True),
            _text(check, item, "organisation", path),
            check.integer(item, "position", path, n),
            _times(check, item, path, "apology"),
        )
        for n, (path, item, uuid) in enumerate(_records(check, root, "apologies"))
    )
    actions = tuple(
        DumpAction(
            uuid,
            check.uuid(item, "point", path, optional=True),
            _text(check, item, "what", path, required=True),
            _text(check, item, "who", path),
            _due_date(check, item, path),
            check.boolean(item, "done", path),
            check.integer(item, "position", path, n),
            _times(check, item, path, "action_item"),
        )
        for n, (path, item, uuid) in enumerate(_records(check, root, "actions"))
    )
    return Attendance(attendees, apologies, actions)
