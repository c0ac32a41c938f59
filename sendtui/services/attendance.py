"""Who came to an event, who sent apologies, and the actions agreed: recorded per event, read
for the minutes and the data exports.

Attendees are people or organisations with a role (parent carer, council, health, school,
…) and the level of involvement the event gave them (information, consultation,
participation, co-production: the ladder DOMAIN.md describes), and a number (an entry may
stand for "12 parent carers"). `tally()` counts them by role × level for the minutes.

Actions are what, who and by when. A point captured with the action mark (`* `) is an
action too: the actions list holds the recorded actions and every action point that no
recorded action was made from (an action made from a point replaces it in the list).

    service = AttendanceService(store)
    service.add_attendee(event_id, name="Ann Smith", role="parent carer", level="co-production")
    service.add_action(event_id, what="Send the draft", who="LA", due="2024-04-01")
    tally(read_attendees(store.reader, event_id))
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sendtui.errors import InputError, NotFoundError
from sendtui.models.base import new_uuid
from sendtui.models.kinds import Kind
from sendtui.services import record_times
from sendtui.store.db import Db
from sendtui.text import ascii_number

if TYPE_CHECKING:
    from sendtui.store.store import Store

MAX_COUNT = 100_000  # more people than any hall holds: a typing slip


def choices() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The roles and levels sendtui offers, in form order. (Imported when needed: their
    module is the ORM model's, and exports that read no attendance should not load the ORM
    at all: a second of start-up for every `sendtui export`.)"""
    from sendtui.models.attendance import LEVELS, ROLES

    return ROLES, LEVELS


MAX_TEXT = 500
# A "by when" outside these years is a typing slip (0024 for 2024), and spreadsheets cannot
# show a date before 1900.
EARLIEST_DUE, LATEST_DUE = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


def text_problem(value: str) -> str | None:
    """What is wrong with a name, organisation, role, level, action or who (its spaces
    already collapsed), if anything: the one rule for typed text and for a merged dump's."""
    if len(value) > MAX_TEXT:
        return f"is longer than {MAX_TEXT} characters: shorten it"
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cs"):  # ESC, NUL…, or half a character
            return f"contains \\x{ord(ch):02x}, which is not a character of text"
    return None


def due_problem(when: dt.date) -> str | None:
    """Why `when` cannot be an action's "by when", if it cannot."""
    if EARLIEST_DUE <= when <= LATEST_DUE:
        return None
    return f"{when.isoformat()} is not a date from {EARLIEST_DUE.year} to {LATEST_DUE.year}"


@dataclass(frozen=True)
class AttendeeRow:
    id: int
    name: str
    organisation: str
    role: str
    level: str
    count: int

    @property
    def label(self) -> str:
        """ "Ann Smith (Oak School)", "Oak School", or "12 × parent carer" for a number."""
        named = f"{self.name} ({self.organisation})" if self.name and self.organisation else ""
        label = named or self.name or self.organisation
        if not label:
            return f"{self.count} × {self.role}"
        return f"{label} ×{self.count}" if self.count != 1 else label


@dataclass(frozen=True)
class ApologyRow:
    id: int
    name: str
    organisation: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


@dataclass(frozen=True)
class ActionRow:
    """An action for the minutes. `id` is None for an action point with no recorded action
    (`point_id` then names the point)."""

    id: int | None
    point_id: int | None
    what: str
    who: str
    due: dt.date | None
    done: bool
    private: bool = False  # an action point marked private (listed only on request)

    @property
    def due_text(self) -> str:
        return f"{self.due.day} {self.due:%B %Y}" if self.due else ""


@dataclass(frozen=True)
class Tally:
    """People by role × level. `roles` and `levels` are those with anyone, in form order."""

    roles: tuple[str, ...]
    levels: tuple[str, ...]
    cells: dict[tuple[str, str], int]
    total: int

    def count(self, role: str, level: str) -> int:
        return self.cells.get((role, level), 0)

    def role_total(self, role: str) -> int:
        return sum(self.count(role, level) for level in self.levels)

    def level_total(self, level: str) -> int:
        return sum(self.count(role, level) for role in self.roles)

    def lines(self) -> list[list[str | int]]:
        """Header, a line per role with its total, and the Total line: every format's cells."""
        out: list[list[str | int]] = [["Role", *(lv.capitalize() for lv in self.levels), "Total"]]
        for role in self.roles:
            counts = [self.count(role, level) for level in self.levels]
            out.append([role.capitalize(), *counts, self.role_total(role)])
        out.append(["Total", *(self.level_total(lv) for lv in self.levels), self.total])
        return out


def tally(attendees: Iterable[AttendeeRow]) -> Tally:
    cells: dict[tuple[str, str], int] = {}
    for a in attendees:
        cells[(a.role, a.level)] = cells.get((a.role, a.level), 0) + a.count
    if not cells:
        return Tally((), (), cells, 0)
    known_roles, known_levels = choices()
    roles = _in_order({r for r, _ in cells}, known_roles)
    levels = _in_order({lv for _, lv in cells}, known_levels)
    return Tally(roles, levels, cells, sum(cells.values()))


def _in_order(found: set[str], known: Sequence[str]) -> tuple[str, ...]:
    """Known values in their order, then any others (a forum's own, from an older file)."""
    return (*(k for k in known if k in found), *sorted(found - set(known)))


# -- reading (any Db: the store's reader or an export's snapshot) ------------------------------


def read_attendees(conn: Db, event_id: int) -> list[AttendeeRow]:
    rows = conn.execute(
        "SELECT id, name, organisation, role, level, count FROM attendee WHERE event_id = ? "
        "AND deleted_at IS NULL ORDER BY position, uuid",
        (event_id,),
    ).fetchall()
    return [AttendeeRow(*row) for row in rows]


def read_apologies(conn: Db, event_id: int) -> list[ApologyRow]:
    rows = conn.execute(
        "SELECT id, name, organisation FROM apology WHERE event_id = ? AND deleted_at IS NULL "
        "ORDER BY position, uuid",
        (event_id,),
    ).fetchall()
    return [ApologyRow(*row) for row in rows]


def read_actions(
    conn: Db,
    event_id: int,
    *,
    include_private: bool = False,
    action_points: Iterable[tuple[int, str, bool]] | None = None,
) -> list[ActionRow]:
    """The recorded actions in order, then the action points (in the order made) that no
    recorded action was made from. Private action points only with `include_private`.
    A caller that has the event's points already (an export) passes the action points as
    (id, text, private), in order, sparing a scan of every point."""
    recorded = [
        ActionRow(aid, pid, what, who, dt.date.fromisoformat(due) if due else None, bool(done))
        for aid, pid, what, who, due, done in conn.execute(
            "SELECT id, point_id, what, who, due, done FROM action_item WHERE event_id = ? "
            "AND deleted_at IS NULL ORDER BY position, uuid",
            (event_id,),
        ).fetchall()
    ]
    linked = {a.point_id for a in recorded if a.point_id is not None}
    hidden = "" if include_private else " AND NOT private"
    points = (
        action_points
        if action_points is not None
        else conn.execute(
            "SELECT id, text, private FROM point WHERE event_id = ? AND kind = ? "
            "AND deleted_at IS NULL"
            f"{hidden} ORDER BY position, uuid",
            (event_id, Kind.ACTION.value),
        ).fetchall()
    )
    unlinked = [ActionRow(None, pid, text, "", None, False, bool(p)) for pid, text, p in points]
    return recorded + [a for a in unlinked if a.point_id not in linked]


# -- recording -----------------------------------------------------------------------------------


def _text(value: str, what: str, *, required: bool = False) -> str:
    value = " ".join(value.split())
    if required and not value:
        raise InputError(f"Type the {what}.")
    if (problem := text_problem(value)) is not None:
        raise InputError(f"The {what} {problem}.")
    return value


def _choice(value: str, known: Sequence[str], what: str) -> str:
    value = " ".join(value.split()).lower()
    if value not in known:
        raise InputError(f"“{value[:40]}” is not a {what}: choose one of {', '.join(known)}.")
    return value


def parse_count(value: str | int) -> int:
    """A number of people: a whole number from 1 to MAX_COUNT, typed in ASCII digits."""
    text = str(value).strip()
    count = ascii_number(text, 6)
    if count is None:
        raise InputError(f"“{text[:20]}” is not a number of people: type a whole number.")
    if not 1 <= count <= MAX_COUNT:
        raise InputError(f"A number of people is from 1 to {MAX_COUNT:,}, not {count:,}.")
    return count


class AttendanceService:
    """Add, edit and remove an event's attendees, apologies and actions."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # attendees

    def add_attendee(
        self, event_id: int, *, name: str = "", organisation: str = "",
        role: str = "parent carer", level: str = "consultation", count: str | int = 1,
    ) -> int:  # fmt: skip
        values = _attendee(name, organisation, role, level, count)
        with self.store.write_raw(event_id=event_id) as conn:
            _check_event(conn, event_id)
            return conn.execute(
                "INSERT INTO attendee (uuid, event_id, name, organisation, role, level, count, "
                "position, field_times) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (new_uuid(), event_id, *values, _next_position(conn, "attendee", event_id),
                 record_times.new_times("attendee")),
            ).fetchone()[0]  # fmt: skip

    def edit_attendee(
        self, attendee_id: int, *, name: str, organisation: str, role: str, level: str,
        count: str | int,
    ) -> None:  # fmt: skip
        values = _attendee(name, organisation, role, level, count)
        names = ("name", "organisation", "role", "level", "count")
        with self.store.write_raw() as conn:
            record_times.edit(conn, "attendee", attendee_id,
                              dict(zip(names, values, strict=True)))  # fmt: skip

    def remove_attendee(self, attendee_id: int) -> None:
        self._remove("attendee", attendee_id)

    # apologies

    def add_apology(self, event_id: int, *, name: str, organisation: str = "") -> int:
        values = _apology(name, organisation)
        with self.store.write_raw(event_id=event_id) as conn:
            _check_event(conn, event_id)
            return conn.execute(
                "INSERT INTO apology (uuid, event_id, name, organisation, position, field_times) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (new_uuid(), event_id, *values, _next_position(conn, "apology", event_id),
                 record_times.new_times("apology")),
            ).fetchone()[0]  # fmt: skip

    def edit_apology(self, apology_id: int, *, name: str, organisation: str = "") -> None:
        values = _apology(name, organisation)
        with self.store.write_raw() as conn:
            names = ("name", "organisation")
            record_times.edit(conn, "apology", apology_id, dict(zip(names, values, strict=True)))

    def remove_apology(self, apology_id: int) -> None:
        self._remove("apology", apology_id)

    # actions

    def add_action(
        self, event_id: int, *, what: str, who: str = "", due: str | dt.date | None = None,
        done: bool = False, point_id: int | None = None,
    ) -> int:  # fmt: skip
        what, who, due_text = _action(what, who, due)
        with self.store.write_raw(event_id=event_id) as conn:
            _check_event(conn, event_id)
            if point_id is not None:
                found = conn.execute(
                    "SELECT id FROM point WHERE id = ? AND event_id = ?", (point_id, event_id)
                ).fetchone()
                if found is None:
                    raise NotFoundError(f"There is no point {point_id} in this event.")
            return conn.execute(
                "INSERT INTO action_item (uuid, event_id, point_id, what, who, due, done, "
                "position, field_times) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (new_uuid(), event_id, point_id, what, who, due_text, bool(done),
                 _next_position(conn, "action_item", event_id),
                 record_times.new_times("action_item")),
            ).fetchone()[0]  # fmt: skip

    def edit_action(
        self, action_id: int, *, what: str, who: str = "", due: str | dt.date | None = None,
        done: bool = False,
    ) -> None:  # fmt: skip
        what, who, due_text = _action(what, who, due)
        values = {"what": what, "who": who, "due": due_text, "done": bool(done)}
        with self.store.write_raw() as conn:
            record_times.edit(conn, "action_item", action_id, values)

    def remove_action(self, action_id: int) -> None:
        self._remove("action_item", action_id)

    def _remove(self, table: str, row_id: int) -> None:
        """A removal is a marker with its time, so it travels to other laptops (a DELETE
        would let their copies bring the record back)."""
        with self.store.write_raw() as conn:
            times = record_times.live_times(conn, table, row_id)
            # Later than every change it saw, even one from a laptop whose clock runs ahead.
            now = max(record_times.now(), *record_times.load(times).values())
            conn.execute(
                f"UPDATE {table} SET deleted_at = ?, field_times = ? WHERE id = ?",
                (now, record_times.touch(table, times, [record_times.DELETED], now), row_id),
            )


def _attendee(
    name: str, organisation: str, role: str, level: str, count: str | int
) -> tuple[str, str, str, str, int]:
    name, organisation = _text(name, "name"), _text(organisation, "organisation")
    number = parse_count(count)  # no name: "12 × parent carer" stands for a number of people
    roles, levels = choices()
    return (name, organisation, _choice(role, roles, "role"),
            _choice(level, levels, "level of involvement"), number)  # fmt: skip


def _apology(name: str, organisation: str) -> tuple[str, str]:
    return _text(name, "name of who sent apologies", required=True), _text(
        organisation, "organisation"
    )


def _action(what: str, who: str, due: str | dt.date | None) -> tuple[str, str, str | None]:
    from sendtui.services.events import parse_date  # the one date rule (it loads the ORM)

    when = due if isinstance(due, dt.date) else parse_date(due or "")
    if when is not None and (problem := due_problem(when)) is not None:
        raise InputError(f"“By when”: {problem}.")
    return (
        _text(what, "action", required=True),
        _text(who, "name of who does it"),
        (when.isoformat() if when else None),
    )


def _check_event(conn: Db, event_id: int) -> None:
    if conn.execute("SELECT id FROM event WHERE id = ?", (event_id,)).fetchone() is None:
        raise NotFoundError(f"There is no event {event_id}.")


def _next_position(conn: Db, table: str, event_id: int) -> int:
    row = conn.execute(
        f"SELECT coalesce(max(position), 0) + 1 FROM {table} WHERE event_id = ?", (event_id,)
    ).fetchone()
    return int(row[0])
