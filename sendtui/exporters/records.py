"""The points of an event as flat records, read for every export (minutes and data) with a
few flat queries on the stdlib reader, never one query per point: 100,000 points load in
well under a second.

    records = load_points(store.reader, event_id, include_private=False)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from sendtui.errors import NotFoundError
from sendtui.models.kinds import Kind
from sendtui.store.db import Db

_KIND_WORDS = {k.value: k.label for k in Kind}
# The characters sendtui.text.xml_safe replaces (XML 1.0 cannot hold them): one search over
# many texts finds out whether any needs it, far faster at 100,000 points than xml_safe on
# each; the writers then call xml_safe, the one rule.
XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class Readable(Protocol):
    """A Store, or anything else with a stdlib connection to read the store through."""

    @property
    def reader(self) -> Db: ...


def kind_word(kind: str) -> str:
    """ "Question", "Concern", …; "" for a plain point (minutes write no word for those)."""
    return "" if kind == Kind.POINT.value else _KIND_WORDS.get(kind, kind.capitalize())


@dataclass(frozen=True, slots=True)
class ChapterRef:
    code: str
    title: str

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}"


class PointRecord(NamedTuple):
    """One point with everything an export writes about it. `number` is its place (from 1)
    among the exported points in the order made; `parent` the number of the point it is
    nested under, if that point is exported too. (A named tuple: 100,000 are made per
    export, and tuples are the cheapest immutable records to build.)"""

    id: int
    number: int
    parent: int | None
    group_id: int
    topic_id: int | None
    group: str
    topic: str
    heading: str
    kind: str
    text: str
    chapters: tuple[ChapterRef, ...]
    markers: tuple[str, ...]
    section_ref: str
    note_taker: str
    created_at: str  # as stored (UTC); iso_utc() writes it as ISO 8601
    private: bool

    @property
    def kind_word(self) -> str:
        return kind_word(self.kind)


@dataclass(frozen=True)
class EventDetails:
    title: str
    date: dt.date | None
    venue: str
    subject: str
    attendance: str
    scheme: str  # the chapter scheme's title


# Builds a named tuple without its Python-level __new__: a third of the cost at 100k points.
new_tuple = tuple.__new__


# -- reading --------------------------------------------------------------------------------


def event_details(conn: Db, event_id: int) -> EventDetails:
    row = conn.execute(
        "SELECT e.title, e.date, e.venue, e.subject, e.attendance, s.title FROM event e "
        "JOIN scheme s ON s.id = e.scheme_id WHERE e.id = ?",
        (event_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"There is no event {event_id}.")
    when = dt.date.fromisoformat(row[1]) if row[1] else None
    return EventDetails(row[0], when, row[2], row[3], row[4], row[5])


def event_groups(conn: Db, event_id: int) -> list[tuple[int, str, str, str]]:
    """(id, name, facilitator, note-taker) of each group, in the event's order."""
    return conn.execute(
        "SELECT id, name, facilitator, note_taker FROM discussion_group WHERE event_id = ? "
        "ORDER BY position, id",
        (event_id,),
    ).fetchall()


def event_topics(conn: Db, event_id: int) -> list[tuple[int, int, str]]:
    """(id, group id, title) of each topic, in order. (store.reads.topics also counts each
    topic's points, which the exports do not need.)"""
    return conn.execute(
        "SELECT t.id, t.group_id, t.title FROM topic t JOIN discussion_group g ON g.id = "
        "t.group_id WHERE g.event_id = ? ORDER BY g.position, g.id, t.position, t.id",
        (event_id,),
    ).fetchall()


def scheme_chapters(conn: Db, event_id: int) -> dict[int, ChapterRef]:
    """chapter id → code and title, in the scheme's order."""
    rows = conn.execute(
        "SELECT c.id, c.code, c.title FROM chapter c JOIN event e ON e.scheme_id = c.scheme_id "
        "WHERE e.id = ? ORDER BY c.position, c.id",
        (event_id,),
    )
    return {cid: ChapterRef(code, title) for cid, code, title in rows}


def load_points(
    conn: Db,
    event_id: int,
    *,
    include_private: bool = False,
    detail: bool = True,
) -> list[PointRecord]:
    """The event's live points in the order made, with names, tags and nesting resolved.
    `detail=False` (for minutes) leaves out what minutes never print: markers, note-taker
    and time stay empty, and are not even read.

    A sub-point whose parent is not exported (private) is attached to the nearest exported
    point above it, or stands on its own: it is never dropped, so the minutes list exactly
    the points the chapter breakdown counts."""
    live = "p.event_id = ? AND p.deleted_at IS NULL"
    if not include_private:
        live += " AND NOT p.private"
    names = {gid: name for gid, name, *_ in event_groups(conn, event_id)}
    titles = {tid: title for tid, _, title in event_topics(conn, event_id)}
    chapters = scheme_chapters(conn, event_id)
    tags: dict[int, tuple[ChapterRef, ...]] = {}
    for pid, cid in conn.execute(
        f"SELECT pc.point_id, pc.chapter_id FROM point_chapter pc JOIN point p "
        f"ON p.id = pc.point_id WHERE {live}",
        (event_id,),
    ):
        tags[pid] = (*tags[pid], chapters[cid]) if pid in tags else (chapters[cid],)
    order = {ref: i for i, ref in enumerate(chapters.values())}
    for pid, refs in tags.items():
        if len(refs) > 1:
            tags[pid] = tuple(sorted(refs, key=order.__getitem__))
    markers: dict[int, tuple[str, ...]] = {}
    for pid, code in conn.execute(
        f"SELECT pm.point_id, m.code FROM point_marker pm JOIN marker m ON m.id = pm.marker_id "
        f"JOIN point p ON p.id = pm.point_id WHERE {live} ORDER BY pm.point_id, m.position",
        (event_id,),
    ) if detail else ():  # fmt: skip
        markers[pid] = (*markers[pid], code) if pid in markers else (code,)
    extra = "p.note_taker, p.created_at" if detail else "'', ''"
    rows = conn.execute(
        "SELECT p.id, p.parent_id, p.group_id, p.topic_id, p.heading, p.kind, p.text, "
        f"p.section_ref, {extra}, p.private FROM point p WHERE {live} "
        "ORDER BY p.position, p.uuid",
        (event_id,),
    ).fetchall()
    number = {row[0]: n for n, row in enumerate(rows, start=1)}
    parents = _parents(conn, event_id, rows, number)
    titles[None] = ""
    none: tuple[()] = ()
    records = [
        new_tuple(PointRecord, (
            pid, n, parents.get(pid), gid, tid, names[gid], titles.get(tid, ""), heading, kind,
            text, tags.get(pid, none), markers.get(pid, none), ref, taker, made or "",
            bool(private),
        ))
        for n, (pid, _, gid, tid, heading, kind, text, ref, taker, made, private) in enumerate(
            rows, start=1
        )
    ]  # fmt: skip
    return records


def _parents(conn: Db, event_id: int, rows: list[tuple], number: dict[int, int]) -> dict[int, int]:
    """point id → the number of the exported point it is nested under. A parent that is
    not exported (private, or deleted) hands its sub-points on to its own parent; a parent
    listed after its sub-point (never made by the editor) is ignored, so no loop is
    possible and no point is lost."""
    found: dict[int, int] = {}
    hidden: dict[int, int | None] | None = None
    for pid, up, *_ in rows:
        if up is None:
            continue
        seen: set[int] = set()
        while up is not None and up not in number and up not in seen:
            if hidden is None:
                hidden = dict(conn.execute(
                    "SELECT id, parent_id FROM point WHERE event_id = ? "
                    "AND (deleted_at IS NOT NULL OR private)",
                    (event_id,),
                ).fetchall())  # fmt: skip
            seen.add(up)
            up = hidden.get(up)
        if up is not None and up in number and number[up] < number[pid]:
            found[pid] = number[up]
    return found


def iso_utc(stored: str | None) -> str:
    """A stored UTC time ("2013-07-08 10:15:00.123456") as ISO 8601 to the second, with Z."""
    if not stored:
        return ""
    if len(stored) >= 19 and stored[10] in " T" and (len(stored) == 19 or stored[19] == "."):
        return f"{stored[:10]}T{stored[11:19]}Z"  # the usual form: no parsing needed
    value = dt.datetime.fromisoformat(stored)
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(timespec="seconds") + "Z"
