"""Where a dump's points go: its groups and topics matched to this event's (by UUID, else by
`name_key`) or added, and what in the dump does not fit this store."""

from __future__ import annotations

from typing import Any

from sendtui.services.dump_check import Dump, DumpPoint
from sendtui.store.db import Db
from sendtui.text import name_key

CHUNK = 500  # host parameters per IN (…) list


def _taken(conn: Db, table: str, uuids: list[str]) -> set[str]:
    """Which of `uuids` the table already uses (anywhere in the store)."""
    taken: set[str] = set()
    for start in range(0, len(uuids), CHUNK):
        chunk = uuids[start : start + CHUNK]
        marks = ", ".join("?" * len(chunk))
        sql = f"SELECT uuid FROM {table} WHERE uuid IN ({marks})"
        taken.update(r[0] for r in conn.execute(sql, chunk))
    return taken


def places(
    conn: Db, event_id: int, dump: Dump, created: bool
) -> tuple[dict[str, int], dict[str, int], int, int]:
    """Dump group and topic UUIDs → ids here, adding the ones missing; a new event keeps the
    file's order positions, an existing one gets new groups and topics at the end."""
    from sendtui.models.base import new_uuid

    rows = conn.execute(
        "SELECT id, uuid, name_key, position, facilitator, note_taker FROM discussion_group "
        "WHERE event_id = ?",
        (event_id,),
    ).fetchall()
    by_uuid = {r[1]: r for r in rows}
    by_key = {r[2]: r for r in rows}
    taken = _taken(conn, "discussion_group", [g.uuid for g in dump.groups])
    end = max((r[3] for r in rows), default=-1)
    groups: dict[str, int] = {}
    fresh: set[str] = set()
    for item in dump.groups:
        found = by_uuid.get(item.uuid) or by_key.get(name_key(item.name))
        if found is None:
            end += 1
            key = name_key(item.name)
            gid = conn.execute(
                "INSERT INTO discussion_group (uuid, event_id, name, name_key, facilitator, "
                "note_taker, position) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (new_uuid() if item.uuid in taken else item.uuid, event_id, item.name, key,
                 item.facilitator, item.note_taker, item.position if created else end),
            ).fetchone()[0]  # fmt: skip
            by_key[key] = (gid, item.uuid, key, end, item.facilitator, item.note_taker)
            fresh.add(item.uuid)
        else:
            gid = found[0]
            if (not found[4] and item.facilitator) or (not found[5] and item.note_taker):
                conn.execute(
                    "UPDATE discussion_group SET facilitator = ?, note_taker = ? WHERE id = ?",
                    (found[4] or item.facilitator, found[5] or item.note_taker, gid),
                )
        groups[item.uuid] = gid

    known = conn.execute(
        "SELECT t.id, t.uuid, t.group_id, t.title_key, t.position FROM topic t "
        "JOIN discussion_group g ON g.id = t.group_id WHERE g.event_id = ?",
        (event_id,),
    ).fetchall()
    topic_by_uuid = {(r[2], r[1]): r[0] for r in known}
    topic_by_key = {(r[2], r[3]): r[0] for r in known}
    ends: dict[int, int] = {}
    for r in known:
        ends[r[2]] = max(ends.get(r[2], -1), r[4])
    taken = _taken(conn, "topic", [t.uuid for g in dump.groups for t in g.topics])
    topics: dict[str, int] = {}
    new_topics = 0
    for item in dump.groups:
        gid = groups[item.uuid]
        for entry in item.topics:
            key = name_key(entry.title)
            tid = topic_by_uuid.get((gid, entry.uuid)) or topic_by_key.get((gid, key))
            if tid is None:
                keep = created or item.uuid in fresh
                ends[gid] = ends.get(gid, -1) + 1
                made = new_uuid() if entry.uuid in taken else entry.uuid
                taken.add(made)
                tid = conn.execute(
                    "INSERT INTO topic (uuid, group_id, title, title_key, position) "
                    "VALUES (?, ?, ?, ?, ?) RETURNING id",
                    (made, gid, entry.title, key, entry.position if keep else ends[gid]),
                ).fetchone()[0]
                topic_by_key[(gid, key)] = tid
                new_topics += 1
            topics[entry.uuid] = tid
    return groups, topics, len(fresh), new_topics


def point_problems(
    points: tuple[DumpPoint, ...],
    here: dict[str, Any],
    event_id: int,
    chapter_ids: dict[str, int],
    marker_ids: dict[str, int],
) -> list[str]:
    """What in the file does not fit this store: tags it lacks, parents it cannot find,
    points that belong to another event here."""
    in_file = {p.uuid for p in points}
    problems = []
    for p in points:
        path = f"points[{p.index}]"
        found = here.get(p.uuid)
        if found is not None and found.event_id != event_id:
            problems.append(
                f"{path}.uuid: this point belongs to event {found.event_id} in this store, "
                f"not {event_id}; merge the file into that event (leave out --event)"
            )
        if p.parent and p.parent not in in_file:
            parent = here.get(p.parent)
            if parent is None or parent.event_id != event_id:
                problems.append(f"{path}.parent: no such point in the file or the event")
        for n, code in enumerate(p.chapters):
            if code not in chapter_ids:
                problems.append(
                    f"{path}.chapters[{n}].code: no chapter “{code}” in this event's scheme"
                )
        for n, code in enumerate(p.markers):
            if code not in marker_ids:
                problems.append(f"{path}.markers[{n}]: no marker “{code}” here")
    return problems
