"""Saving a typed point: the one rule shared by the capture screen and `sendtui capture`.

A capture line becomes a *pending point*: everything the store needs (a new UUID, the place,
the parsed text and tags, the time it was typed) as a JSON-able dict, decided the moment
Enter is pressed. `commit` writes one pending point in the caller's short transaction,
idempotently by UUID, so a point that is retried after a crash or a dropped connection is
saved exactly once. Whether it is written at once or queued first is the capture queue's
business (sendtui/services/capture_queue.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sendtui.errors import InputError, NotFoundError
from sendtui.models.base import new_uuid, sql_time, utcnow
from sendtui.models.kinds import Kind
from sendtui.services import field_times
from sendtui.services.syntax import CaptureSyntax, HeadingChange, ParsedPoint
from sendtui.store.db import Db

Pending = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Committed:
    """A pending point now in the store."""

    uuid: str
    id: int
    position: int
    parent_id: int | None
    topic_id: int | None
    new: bool  # False: it was already there (a retry after a crash)


class Tags:
    """An event's chapter and marker codes and their ids, read once per capture session."""

    def __init__(self, db: Db, event_id: int) -> None:
        rows = db.execute(
            "SELECT c.code, c.id FROM chapter c JOIN event e ON e.scheme_id = c.scheme_id "
            "WHERE e.id = ? ORDER BY c.position",
            (event_id,),
        ).fetchall()
        self.chapter_ids: dict[str, int] = {code: cid for code, cid in rows}
        markers = db.execute("SELECT code, id FROM marker ORDER BY position").fetchall()
        self.marker_ids: dict[str, int] = {code: mid for code, mid in markers}
        self.stamps = has_field_times(db)

    def ids(self, point: ParsedPoint) -> tuple[list[int], list[int]]:
        try:
            chapters = [self.chapter_ids[c] for c in point.chapters]
            markers = [self.marker_ids[m] for m in point.markers]
        except KeyError as exc:
            raise InputError(f"Unknown tag {exc.args[0]} for this event.") from None
        return chapters, markers


def pending_point(
    point: ParsedPoint,
    tags: Tags,
    *,
    event_id: int,
    group_id: int,
    topic_id: int | None,
    heading: str = "",
    parent_id: int | None = None,
    parent_uuid: str | None = None,
    note_taker: str = "",
) -> Pending:
    """Everything needed to save `point` later, fixed now (its UUID and time included)."""
    chapters, markers = tags.ids(point)
    return {
        "uuid": new_uuid(),
        "event_id": event_id,
        "group_id": group_id,
        "topic_id": topic_id,
        "heading": heading,
        "parent_id": parent_id,
        "parent_uuid": parent_uuid,
        "kind": point.kind.value,
        "text": point.text,
        "section_ref": ", ".join(point.section_refs),
        "chapters": chapters,
        "markers": markers,
        "chapter_codes": list(point.chapters),
        "marker_codes": list(point.markers),
        "note_taker": note_taker,
        "created_at": sql_time(utcnow()),
    }


def typed_point(
    parsed: ParsedPoint,
    tags: Tags,
    *,
    event_id: int,
    group_id: int,
    topic_id: int | None,
    heading: str,
    parent_id: int | None,
    parent_uuid: str | None,
    note_taker: str,
) -> Pending:
    """A typed line's point, ready to save: the one rule for the capture screen and
    `sendtui capture` (an indented line needs a point above it to nest under)."""
    if parsed.depth and parent_id is None and parent_uuid is None:
        raise InputError("There is no point above to make this a sub-point of.")
    return pending_point(
        parsed,
        tags,
        event_id=event_id,
        group_id=group_id,
        topic_id=topic_id,
        heading=heading,
        parent_id=parent_id,
        parent_uuid=parent_uuid,
        note_taker=note_taker,
    )


def parse_line(syntax: CaptureSyntax, line: str) -> ParsedPoint | HeadingChange:
    """A capture line read the same way everywhere (the screen, the CLI)."""
    return syntax.parse(line)


def has_field_times(db: Db) -> bool:
    """Whether the store has the per-field change times yet (migration 0003)."""
    try:
        db.execute("SELECT field_times FROM point WHERE id = ?", (-1,)).fetchall()
    except Exception:
        return False
    return True


def commit(db: Db, pending: Pending, *, strict: bool = True, stamp: bool = True) -> Committed:
    """Write a pending point inside the caller's write transaction (idempotent by UUID).

    `strict` refuses a point whose topic or parent has gone (interactive saving, where the
    note-taker can fix it); a queued point is never dropped: it loses the topic or parent
    instead and is saved in its group."""
    existing = _by_uuid(db, pending["uuid"])
    if existing is not None:
        return existing
    event_id, group_id, topic_id = pending["event_id"], pending["group_id"], pending["topic_id"]
    place = db.execute(
        "SELECT g.event_id, (SELECT group_id FROM topic WHERE id = ?), "
        "(SELECT max(position) FROM point WHERE event_id = ?) "
        "FROM discussion_group g WHERE g.id = ?",
        (topic_id, event_id, group_id),
    ).fetchone()
    if place is None or place[0] != event_id:
        raise NotFoundError("That group is not part of this event (was it deleted?).")
    if topic_id is not None and place[1] != group_id:
        if strict:
            raise NotFoundError("That topic is not part of the group.")
        topic_id = None
    parent_id = _parent(db, pending, group_id, topic_id)
    if parent_id is None and (pending["parent_id"] or pending["parent_uuid"]) and strict:
        raise NotFoundError("The point to nest under no longer exists.")
    position = (place[2] or 0) + 1
    at = pending["created_at"]
    values = [
        pending["uuid"], event_id, group_id, topic_id, parent_id, pending["heading"],
        pending["kind"], pending["text"], pending["section_ref"], position,
        pending["note_taker"], False, at, at,
    ]  # fmt: skip
    extra = ""
    if stamp:
        extra = ", field_times"
        values.append(field_times.all_fields(at))
    marks = ", ".join("?" * len(values))
    row = db.execute(
        "INSERT INTO point (uuid, event_id, group_id, topic_id, parent_id, heading, kind, "
        f"text, section_ref, position, note_taker, private, created_at, updated_at{extra}) "
        f"VALUES ({marks}) ON CONFLICT (uuid) DO NOTHING RETURNING id",
        values,
    ).fetchone()
    if row is None:  # another writer saved this very point a moment ago
        found = _by_uuid(db, pending["uuid"])
        assert found is not None
        return found
    point_id = int(row[0])
    db.executemany(
        "INSERT INTO point_chapter (point_id, chapter_id) VALUES (?, ?)",
        [(point_id, c) for c in dict.fromkeys(pending["chapters"])],
    )
    db.executemany(
        "INSERT INTO point_marker (point_id, marker_id) VALUES (?, ?)",
        [(point_id, m) for m in dict.fromkeys(pending["markers"])],
    )
    return Committed(pending["uuid"], point_id, position, parent_id, topic_id, True)


def saved_point(db: Db, uuid: str) -> Committed | None:
    """The point with `uuid` if the store has it (saved by any process), else None."""
    return _by_uuid(db, uuid)


def _by_uuid(db: Db, uuid: str) -> Committed | None:
    row = db.execute(
        "SELECT id, position, parent_id, topic_id FROM point WHERE uuid = ?", (uuid,)
    ).fetchone()
    if row is None:
        return None
    return Committed(uuid, int(row[0]), int(row[1]), row[2], row[3], False)


def _parent(db: Db, pending: Pending, group_id: int, topic_id: int | None) -> int | None:
    """The parent's id, if it still exists, undeleted, in the same place."""
    if pending["parent_uuid"]:
        row = db.execute(
            "SELECT id, group_id, topic_id, deleted_at FROM point WHERE uuid = ?",
            (pending["parent_uuid"],),
        ).fetchone()
    elif pending["parent_id"]:
        row = db.execute(
            "SELECT id, group_id, topic_id, deleted_at FROM point WHERE id = ?",
            (pending["parent_id"],),
        ).fetchone()
    else:
        return None
    if row is None or row[3] is not None or row[1] != group_id or row[2] != topic_id:
        return None
    return int(row[0])


def last_root_id(db: Db, event_id: int, group_id: int, topic_id: int | None) -> int | None:
    """The newest top-level point in a group/topic: where an indented capture line goes."""
    sql = (
        "SELECT id FROM point WHERE event_id = ? AND group_id = ? AND parent_id IS NULL "
        "AND deleted_at IS NULL AND "
        + ("topic_id IS NULL" if topic_id is None else "topic_id = ?")
        + " ORDER BY position DESC, uuid DESC LIMIT 1"
    )
    args: tuple[Any, ...] = (event_id, group_id) + (() if topic_id is None else (topic_id,))
    row = db.execute(sql, args).fetchone()
    return int(row[0]) if row else None


def newest_point_id(db: Db) -> int:
    """The highest point id in the store (one index lookup): has anyone saved a point?"""
    row = db.execute("SELECT max(id) FROM point").fetchone()
    return int(row[0] or 0)


def point_ids_after(db: Db, event_id: int, after: int) -> list[int]:
    """The event's points saved since `after` (by anyone), for live screens."""
    rows = db.execute("SELECT id FROM point WHERE id > ? AND event_id = ?", (after, event_id))
    return [int(r[0]) for r in rows]


@dataclass(frozen=True, slots=True)
class Taken:
    """What one capture line did: set the heading, or saved (or queued) a point."""

    parsed: ParsedPoint | HeadingChange
    pending: Pending | None = None
    committed: Committed | None = None  # None with `pending` set: queued, saved later


class CaptureSession:
    """One capture line's worth of state, for `sendtui capture` (and any other caller that
    feeds lines): the place, the heading, and the last point at each indent depth, so an
    indented line nests under the point above it exactly as on the capture screen. Saving
    is `save(pending)`: a CaptureQueue's, or a plain commit."""

    def __init__(
        self,
        syntax: CaptureSyntax,
        tags: Tags,
        save: Callable[[Pending], Committed | None],
        *,
        event_id: int,
        group_id: int,
        topic_id: int | None,
        heading: str = "",
        note_taker: str = "",
        last_root: int | None = None,
    ) -> None:
        self.syntax, self.tags, self.save = syntax, tags, save
        self.event_id, self.group_id, self.topic_id = event_id, group_id, topic_id
        self.heading, self.note_taker = heading, note_taker
        # chain[d] = (id or None, uuid) of the last point saved at depth d
        self.chain: list[tuple[int | None, str | None]] = (
            [(last_root, None)] if last_root is not None else []
        )

    def take(self, line: str) -> Taken:
        """Parse and act on one line; raises SendtuiError for a line that is refused."""
        parsed = parse_line(self.syntax, line)
        if isinstance(parsed, HeadingChange):
            self.heading = parsed.heading
            return Taken(parsed)
        depth = min(parsed.depth, len(self.chain))
        parent_id, parent_uuid = self.chain[depth - 1] if depth else (None, None)
        pending = typed_point(
            parsed,
            self.tags,
            event_id=self.event_id,
            group_id=self.group_id,
            topic_id=self.topic_id,
            heading=self.heading,
            parent_id=parent_id,
            parent_uuid=None if parent_id is not None else parent_uuid,
            note_taker=self.note_taker,
        )
        done = self.save(pending)
        del self.chain[depth:]
        self.chain.append((done.id if done else None, pending["uuid"]))
        return Taken(parsed, pending, done)


def place_counts(db: Db, event_id: int) -> dict[tuple[int | None, int | None], int]:
    """(group id, topic id) → number of live points there, for the groups tree's labels."""
    counts: dict[tuple[int | None, int | None], int] = {(None, None): 0}
    for group_id, topic_id, count in db.execute(
        "SELECT group_id, topic_id, count(*) FROM point "
        "WHERE event_id = ? AND deleted_at IS NULL GROUP BY group_id, topic_id",
        (event_id,),
    ):
        counts[(group_id, topic_id)] = count
    return counts


@dataclass(frozen=True, slots=True)
class CaptureSetup:
    """What the capture screen needs to open: the event's title and its capture syntax."""

    title: str
    syntax: CaptureSyntax


def capture_setup(db: Db, event_id: int, marks: Mapping[Kind, str] | None = None) -> CaptureSetup:
    """The event's title and capture syntax on the plain driver, so the capture screen opens
    without loading the ORM (the same syntax as EventService.syntax_for: the scheme's chapter
    codes and every marker code, in their order)."""
    row = db.execute(
        "SELECT e.title, s.code FROM event e JOIN scheme s ON s.id = e.scheme_id WHERE e.id = ?",
        (event_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"There is no event {event_id}.")
    chapters = db.execute(
        "SELECT c.code FROM chapter c JOIN event e ON e.scheme_id = c.scheme_id "
        "WHERE e.id = ? ORDER BY c.position",
        (event_id,),
    ).fetchall()
    markers = db.execute("SELECT code FROM marker ORDER BY position").fetchall()
    syntax = CaptureSyntax(
        marks, [c[0] for c in chapters], [m[0] for m in markers], scheme_name=row[1]
    )
    return CaptureSetup(str(row[0]), syntax)


def place_names(db: Db, event_id: int) -> tuple[list[tuple[int, str]], list[tuple[int, int, str]]]:
    """The event's groups as (id, name) and topics as (id, group id, title), in their order,
    without counting points (place_counts counts them all in one pass)."""
    groups = db.execute(
        "SELECT id, name FROM discussion_group WHERE event_id = ? ORDER BY position, id",
        (event_id,),
    ).fetchall()
    topics = db.execute(
        "SELECT t.id, t.group_id, t.title FROM topic t "
        "JOIN discussion_group g ON g.id = t.group_id "
        "WHERE g.event_id = ? ORDER BY g.position, g.id, t.position, t.id",
        (event_id,),
    ).fetchall()
    return (
        [(int(g[0]), str(g[1])) for g in groups],
        [(int(t[0]), int(t[1]), str(t[2])) for t in topics],
    )
