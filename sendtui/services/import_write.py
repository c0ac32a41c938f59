"""Writing a parsed notes document into an event: its groups, topics and new points, on the
plain driver with `executemany` (one statement per table, not one per point), inside the
caller's write transaction, with the point tally's triggers paused and the event recounted
once at the end (sendtui.store.tally.paused).

Each point's UUID comes from its event's title and date and where the point sits (group,
topic, heading, parent, text, and which repeat of that text it is), so importing the same
file again finds every point there, and the same file imported on two laptops gives the
same points.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

from sendtui.models.base import new_uuid, sql_time, utcnow
from sendtui.services import field_times
from sendtui.services.notes import NotesDocument
from sendtui.store import tally
from sendtui.store.db import Db
from sendtui.text import name_key

NAMESPACE = uuid.UUID("5d3b8f0e-6c1a-4a8e-9a57-2f6f0c1d9e11")
_NAMESPACE_BYTES = NAMESPACE.bytes


def point_keys(event: str, doc: NotesDocument, norm: Callable[[str], str]) -> list[str]:
    """Each point's UUID: from its event, place and text, and which repeat of those it is."""
    keys: list[str] = []
    seen: Counter[str] = Counter()
    norm = functools.cache(norm)  # a few names, 100,000 points
    for item in doc.points:
        parent_key = keys[item.parent] if item.parent is not None else ""
        base = "\x1f".join(
            [event, norm(item.group), norm(item.topic or ""), item.heading, parent_key,
             item.point.text]
        )  # fmt: skip
        seen[base] += 1
        keys.append(_uuid5(f"{base}\x1f{seen[base]}"))
    return keys


def _uuid5(name: str) -> str:
    """`str(uuid.uuid5(NAMESPACE, name))`, without building UUID objects (100,000 a file)."""
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + name.encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    x = digest.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


def _lower(value: str) -> str:
    return value.lower()


def write_points(
    conn: Db, event_id: int, event_uuid: str, doc: NotesDocument, note_taker: str
) -> tuple[int, int]:
    """Add the document's groups, topics and new points to the event; (new, existing)."""
    groups: dict[str, list[Any]] = {}  # name key → [id, facilitator, note_taker]
    end = -1
    for gid, key, facilitator, taker, position in conn.execute(
        "SELECT id, name_key, facilitator, note_taker, position FROM discussion_group "
        "WHERE event_id = ?",
        (event_id,),
    ):
        groups[key] = [gid, facilitator, taker]
        end = max(end, position)
    for name, info in doc.groups.items():
        key = name_key(name)
        if key not in groups:
            end += 1
            gid = conn.execute(
                "INSERT INTO discussion_group (uuid, event_id, name, name_key, facilitator, "
                "note_taker, position) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (new_uuid(), event_id, name, key, info.facilitator, info.note_taker, end),
            ).fetchone()[0]
            groups[key] = [gid, info.facilitator, info.note_taker]
        elif (info.facilitator and info.facilitator != groups[key][1]) or (
            info.note_taker and info.note_taker != groups[key][2]
        ):
            known = groups[key]
            known[1], known[2] = info.facilitator or known[1], info.note_taker or known[2]
            conn.execute(
                "UPDATE discussion_group SET facilitator = ?, note_taker = ? WHERE id = ?",
                (known[1], known[2], known[0]),
            )
    topics: dict[tuple[int, str], int] = {}
    ends: dict[int, int] = {}
    for tid, gid, key, position in conn.execute(
        "SELECT t.id, t.group_id, t.title_key, t.position FROM topic t "
        "JOIN discussion_group g ON g.id = t.group_id WHERE g.event_id = ?",
        (event_id,),
    ):
        topics[(gid, key)] = tid
        ends[gid] = max(ends.get(gid, -1), position)
    for group_name, title in doc.topics:
        gid = groups[name_key(group_name)][0]
        key = (gid, name_key(title))
        if key not in topics:
            ends[gid] = ends.get(gid, -1) + 1
            topics[key] = conn.execute(
                "INSERT INTO topic (uuid, group_id, title, title_key, position) "
                "VALUES (?, ?, ?, ?, ?) RETURNING id",
                (new_uuid(), gid, title, key[1], ends[gid]),
            ).fetchone()[0]

    group_of = functools.cache(lambda name: groups[name_key(name)])
    topic_of = functools.cache(lambda gid, title: topics.get((gid, name_key(title))))
    known = {
        row[0] for row in conn.execute("SELECT uuid FROM point WHERE event_id = ?", (event_id,))
    }
    # Keys come from the event's title and date, not its UUID, so the same notes imported on
    # two laptops give the same points, and merging their dumps doubles nothing.
    title_key, date = conn.execute(
        "SELECT title_key, date FROM event WHERE id = ?", (event_id,)
    ).fetchone()
    keys = point_keys(f"{title_key}\x1e{date or ''}", doc, name_key)
    if known:
        # Files imported by earlier versions keyed points by the event's UUID and
        # lower-cased names: a point found under that key is already there too.
        legacy = point_keys(event_uuid, doc, _lower)
        keys = [old if old in known else new for new, old in zip(keys, legacy, strict=True)]
    top = conn.execute("SELECT max(position) FROM point WHERE event_id = ?", (event_id,))
    position = (top.fetchone()[0] or 0) + 1
    now = sql_time(utcnow())
    times = field_times.all_fields(now)
    rows: list[tuple[Any, ...]] = []
    fresh: list[int] = []  # indexes into doc.points of the points added
    for index, item in enumerate(doc.points):
        key = keys[index]
        if key in known:
            continue
        known.add(key)
        group = group_of(item.group)
        topic = topic_of(group[0], item.topic) if item.topic else None
        rows.append(
            (key, event_id, group[0], topic, item.heading, item.point.kind.value,
             item.point.text, ", ".join(item.point.section_refs), position,
             note_taker or group[2], False, now, now, times)
        )  # fmt: skip
        fresh.append(index)
        position += 1
    if not rows:
        return 0, len(doc.points)
    # Every point written is the event's: one recount of it costs less than the tally's
    # triggers on thousands of points and their tags.
    with tally.paused(conn, [event_id]):
        conn.executemany(
            "INSERT INTO point (uuid, event_id, group_id, topic_id, heading, kind, text, "
            "section_ref, position, note_taker, private, created_at, updated_at, field_times) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        _link(conn, event_id, doc, keys, fresh, rows[0][8])
    return len(rows), len(doc.points) - len(rows)


def _link(
    conn: Db, event_id: int, doc: NotesDocument, keys: list[str], fresh: list[int], first: int
) -> None:
    """Parents and tags of the points just added (at positions `first`, `first` + 1, …, in
    the order of `fresh`), now that they have ids."""
    scheme_id = conn.execute("SELECT scheme_id FROM event WHERE id = ?", (event_id,)).fetchone()[0]
    chapter_ids = dict(
        conn.execute("SELECT code, id FROM chapter WHERE scheme_id = ?", (scheme_id,)).fetchall()
    )
    marker_ids = dict(conn.execute("SELECT code, id FROM marker").fetchall())
    # The new points' ids by position (whole numbers, on the event's position index); a
    # parent already in the store before this import is found by its UUID.
    by_position = dict(
        conn.execute(
            "SELECT position, id FROM point WHERE event_id = ? AND position >= ?",
            (event_id, first),
        ).fetchall()
    )
    made = {index: by_position[first + n] for n, index in enumerate(fresh)}
    old: dict[str, int] | None = None
    parents, chapters, markers = [], [], []
    for index in fresh:
        item = doc.points[index]
        point_id = made[index]
        if item.parent is not None:
            parent_id = made.get(item.parent)
            if parent_id is None:
                if old is None:
                    old = dict(
                        conn.execute(
                            "SELECT uuid, id FROM point WHERE event_id = ?", (event_id,)
                        ).fetchall()
                    )
                parent_id = old[keys[item.parent]]
            parents.append((parent_id, point_id))
        chapters += [(point_id, chapter_ids[c]) for c in item.point.chapters]
        markers += [(point_id, marker_ids[m]) for m in item.point.markers]
    if parents:
        conn.executemany("UPDATE point SET parent_id = ? WHERE id = ?", parents)
    if chapters:
        conn.executemany("INSERT INTO point_chapter (point_id, chapter_id) VALUES (?, ?)", chapters)
    if markers:
        conn.executemany("INSERT INTO point_marker (point_id, marker_id) VALUES (?, ?)", markers)
