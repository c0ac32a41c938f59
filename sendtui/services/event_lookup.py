"""Which event a command means: by id, by exact title, or by a part of the title that only
one event has. The one rule for `sendtui export|report|capture|claims … EVENT`, on the plain
driver so a command never loads the ORM just to find its event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sendtui.errors import NotFoundError
from sendtui.store.db import Db
from sendtui.text import ascii_number, name_key, printable

# Ids are SQL integers: a longer digit string names no event (and int() of 5,000 digits fails).
_MAX_ID_DIGITS = 18


@dataclass(frozen=True, slots=True)
class FoundEvent:
    id: int
    title: str
    date: dt.date | None


def _row(r: tuple) -> FoundEvent:
    return FoundEvent(r[0], r[1], dt.date.fromisoformat(str(r[2])[:10]) if r[2] else None)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_event(db: Db, id_or_title: str) -> FoundEvent:
    """The event `id_or_title` names, or NotFoundError saying why (none, or several)."""
    key = id_or_title.strip()
    if not name_key(key):  # "" would be part of every title, and pick the only event
        raise NotFoundError(
            "Name the event: its id or (part of) its title. `sendtui events` lists them."
        )
    if (event_id := ascii_number(key, _MAX_ID_DIGITS)) is not None:
        row = db.execute("SELECT id, title, date FROM event WHERE id = ?", (event_id,)).fetchone()
        if row:
            return _row(row)
    wanted = name_key(key)
    exact = [
        _row(r)
        for r in db.execute(
            "SELECT id, title, date FROM event WHERE title_key = ? ORDER BY id", (wanted,)
        )
    ]
    if len(exact) == 1:
        return exact[0]
    near = [
        _row(r)
        for r in db.execute(
            "SELECT id, title, date FROM event WHERE title_key LIKE ? ESCAPE '\\' ORDER BY id",
            (f"%{_like_escape(wanted)}%",),
        )
    ]
    if len(near) == 1 and not exact:
        return near[0]
    found = exact or near
    shown = printable(key if len(key) <= 60 else key[:59] + "…")
    if len(found) > 1:
        listing = "; ".join(f"{e.id}: {printable(e.title)}" for e in found[:10])
        raise NotFoundError(f"“{shown}” matches several events ({listing}); use the id.")
    raise NotFoundError(f"There is no event “{shown}”. `sendtui events` lists them.")
