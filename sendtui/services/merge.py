"""Merging a JSON event dump into the store by UUID: how a coordinator pulls together the
notes of several note-takers' laptops.

- The event is the one named by --event, else the one with the dump's UUID, else created
  (keeping the dump's UUID, so the next merge finds it). Its chapter scheme must be the
  dump's, since tags are mapped by chapter code.
- Groups and topics are matched by UUID, else by name or title (ignoring case), else added.
- Points are matched by UUID: new ones are inserted (with their UUIDs, positions, nesting,
  times, private flags and soft deletes); one already here is replaced only when the dump's
  `updated_at` is newer (the last writer wins, point by point); otherwise left unchanged.

Everything happens in one write transaction, after every check: a dump with any problem
merges nothing. Merging the same dump twice changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, text, update
from sqlmodel import Session, col, func, select

from sendtui.models import (
    Chapter,
    Event,
    Group,
    Marker,
    Point,
    PointChapter,
    PointMarker,
    Scheme,
    Topic,
)
from sendtui.models.base import new_uuid
from sendtui.services.dump_check import Dump, DumpError, DumpPoint, load_dump
from sendtui.services.events import EventService
from sendtui.store.store import Store

CHUNK = 500  # SQLite host parameters per IN (…) list


@dataclass(frozen=True)
class MergeResult:
    event_id: int
    event_title: str
    created_event: bool
    new: int
    updated: int
    unchanged: int
    new_groups: int = 0
    new_topics: int = 0

    def summary(self) -> str:
        made = "created" if self.created_event else "merged into"
        extra = ""
        if self.new_groups or self.new_topics:
            extra = f"; {self.new_groups} new groups, {self.new_topics} new topics"
        return (
            f"{made.capitalize()} event {self.event_id} “{self.event_title}”: "
            f"{self.new} new points, {self.updated} updated, {self.unchanged} unchanged{extra}."
        )


def looks_like_dump(path: Path) -> bool:
    """True for a .json file, or one whose first character is "{" (notes never start so)."""
    if path.suffix.lower() == ".json":
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False  # the notes importer reports why the file cannot be read
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{")


def merge_file(store: Store, path: Path, *, event: str | None = None) -> MergeResult:
    """Check the dump at `path` and merge it (see the module's description)."""
    return merge_dump(store, load_dump(path), event=event, source=str(path))


def merge_dump(
    store: Store, dump: Dump, *, event: str | None = None, source: str = "the dump"
) -> MergeResult:
    """Merge a checked dump into the store in one transaction; raises DumpError (nothing
    merged) if its scheme, chapters, markers or parents do not fit this store."""
    target = EventService(store).find(event) if event else None
    with store.write() as s:
        # Points may name a parent that comes later in the file: check keys at commit.
        s.execute(text("PRAGMA defer_foreign_keys = ON"))
        found, created = _event(s, dump, target.id if target else None, source)
        assert found.id is not None
        groups, topics, new_groups, new_topics = _places(s, found.id, dump, created)
        new, updated, unchanged = _merge_points(s, found, dump, groups, topics, source)
        return MergeResult(
            found.id, found.title, created, new, updated, unchanged, new_groups, new_topics
        )


def _event(s: Session, dump: Dump, event_id: int | None, source: str) -> tuple[Event, bool]:
    if event_id is not None:
        found = s.get(Event, event_id)
    else:
        found = s.exec(select(Event).where(Event.uuid == dump.uuid)).first()
    if found is None:
        scheme = s.exec(select(Scheme).where(Scheme.code == dump.scheme)).first()
        if scheme is None:
            known = ", ".join(sorted(s.exec(select(Scheme.code))))
            raise DumpError(
                source,
                [f"event.scheme.code: there is no chapter scheme “{dump.scheme}” here "
                 f"(known: {known})"],
            )  # fmt: skip
        made = Event(
            uuid=dump.uuid,
            title=dump.title,
            date=dump.date,
            venue=dump.venue,
            subject=dump.subject,
            attendance=dump.attendance,
            scheme_id=scheme.id,
            created_at=dump.created_at,
            updated_at=dump.updated_at,
        )
        s.add(made)
        s.flush()
        return made, True
    scheme_code = s.exec(select(Scheme.code).where(Scheme.id == found.scheme_id)).one()
    if scheme_code != dump.scheme:
        raise DumpError(
            source,
            [f"event.scheme.code: the file's points are tagged on “{dump.scheme}” but event "
             f"{found.id} uses “{scheme_code}”, so chapters cannot be mapped"],
        )  # fmt: skip
    if found.uuid == dump.uuid and dump.updated_at > found.updated_at:
        found.title, found.date, found.venue = dump.title, dump.date, dump.venue
        found.subject, found.attendance = dump.subject, dump.attendance
        found.updated_at = dump.updated_at
        s.add(found)
    return found, False


def _taken(s: Session, model: Any, uuids: list[str]) -> set[str]:
    """Which of `uuids` the table already uses (anywhere in the store)."""
    taken: set[str] = set()
    for start in range(0, len(uuids), CHUNK):
        chunk = uuids[start : start + CHUNK]
        taken.update(s.exec(select(model.uuid).where(col(model.uuid).in_(chunk))))
    return taken


def _places(
    s: Session, event_id: int, dump: Dump, created: bool
) -> tuple[dict[str, int], dict[str, int], int, int]:
    """Dump group and topic UUIDs → ids here, adding the ones missing; a new event keeps the
    file's order positions, an existing one gets new groups and topics at the end."""
    existing = list(s.exec(select(Group).where(Group.event_id == event_id)))
    by_uuid = {g.uuid: g for g in existing}
    by_name = {g.name.lower(): g for g in existing}
    taken = _taken(s, Group, [g.uuid for g in dump.groups])
    next_position = max((g.position for g in existing), default=-1) + 1
    groups: dict[str, Group] = {}
    fresh: set[str] = set()
    for item in dump.groups:
        group = by_uuid.get(item.uuid) or by_name.get(item.name.lower())
        if group is None:
            group = Group(
                uuid=new_uuid() if item.uuid in taken else item.uuid,
                event_id=event_id,
                name=item.name,
                position=item.position if created else next_position,
            )
            next_position += 1
            by_name[item.name.lower()] = group
            fresh.add(item.uuid)
        group.facilitator = group.facilitator or item.facilitator
        group.note_taker = group.note_taker or item.note_taker
        s.add(group)
        groups[item.uuid] = group
    s.flush()

    group_ids = {key: g.id for key, g in groups.items() if g.id is not None}
    known = list(s.exec(select(Topic).where(col(Topic.group_id).in_(set(group_ids.values())))))
    topic_by_uuid = {(t.group_id, t.uuid): t for t in known}
    topic_by_title = {(t.group_id, t.title.lower()): t for t in known}
    ends: dict[int, int] = {}
    for t in known:
        ends[t.group_id] = max(ends.get(t.group_id, -1), t.position)
    taken = _taken(s, Topic, [t.uuid for g in dump.groups for t in g.topics])
    topics: dict[str, Topic] = {}
    new_topics = 0
    for item in dump.groups:
        gid = group_ids[item.uuid]
        for entry in item.topics:
            topic = topic_by_uuid.get((gid, entry.uuid)) or topic_by_title.get(
                (gid, entry.title.lower())
            )
            if topic is None:
                keep = created or item.uuid in fresh
                ends[gid] = ends.get(gid, -1) + 1
                topic = Topic(
                    uuid=new_uuid() if entry.uuid in taken else entry.uuid,
                    group_id=gid,
                    title=entry.title,
                    position=entry.position if keep else ends[gid],
                )
                taken.add(topic.uuid)
                topic_by_title[(gid, entry.title.lower())] = topic
                s.add(topic)
                new_topics += 1
            topics[entry.uuid] = topic
    s.flush()
    topic_ids = {key: t.id for key, t in topics.items() if t.id is not None}
    return group_ids, topic_ids, len(fresh), new_topics


def _merge_points(
    s: Session,
    event: Event,
    dump: Dump,
    groups: dict[str, int],
    topics: dict[str, int],
    source: str,
) -> tuple[int, int, int]:
    chapter_ids = dict(
        s.exec(select(Chapter.code, Chapter.id).where(Chapter.scheme_id == event.scheme_id)).all()
    )
    marker_ids = dict(s.exec(select(Marker.code, Marker.id)).all())
    in_file = {p.uuid for p in dump.points}
    wanted = list(in_file | {p.parent for p in dump.points if p.parent})
    here: dict[str, tuple[int, int, Any]] = {}  # uuid → (id, event id, updated_at)
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        for uuid, pid, eid, updated in s.exec(
            select(Point.uuid, Point.id, Point.event_id, Point.updated_at).where(
                col(Point.uuid).in_(chunk)
            )
        ):
            here[uuid] = (pid, eid, updated)
    problems = _problems(dump.points, here, event, chapter_ids, marker_ids, in_file)
    if problems:
        raise DumpError(source, problems)

    next_id = (s.exec(select(func.max(Point.id))).one() or 0) + 1
    ids = {uuid: found[0] for uuid, found in here.items()}
    for point in dump.points:
        if point.uuid not in ids:
            ids[point.uuid] = next_id
            next_id += 1
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    chapter_rows: list[dict[str, int]] = []
    marker_rows: list[dict[str, int]] = []
    unchanged = 0
    for point in dump.points:
        row = {
            "id": ids[point.uuid],
            "group_id": groups[point.group],
            "topic_id": topics[point.topic] if point.topic else None,
            "parent_id": ids[point.parent] if point.parent else None,
            "heading": point.heading, "kind": point.kind, "text": point.text,
            "section_ref": point.section_ref, "position": point.position,
            "note_taker": point.note_taker, "private": point.private,
            "updated_at": point.updated_at, "deleted_at": point.deleted_at,
        }  # fmt: skip
        previous = here.get(point.uuid)
        if previous is None:
            inserts.append(
                row | {"uuid": point.uuid, "event_id": event.id, "created_at": point.created_at}
            )
        elif point.updated_at > previous[2]:
            updates.append(row)
        else:
            unchanged += 1
            continue
        chapter_rows += [
            {"point_id": row["id"], "chapter_id": chapter_ids[c]} for c in point.chapters
        ]
        marker_rows += [{"point_id": row["id"], "marker_id": marker_ids[m]} for m in point.markers]
    if inserts:
        s.execute(insert(Point), inserts)
    if updates:
        s.execute(update(Point), updates)
        retag = [row["id"] for row in updates]
        for start in range(0, len(retag), CHUNK):
            chunk = retag[start : start + CHUNK]
            s.execute(delete(PointChapter).where(col(PointChapter.point_id).in_(chunk)))
            s.execute(delete(PointMarker).where(col(PointMarker.point_id).in_(chunk)))
    if chapter_rows:
        s.execute(insert(PointChapter), chapter_rows)
    if marker_rows:
        s.execute(insert(PointMarker), marker_rows)
    return len(inserts), len(updates), unchanged


def _problems(
    points: tuple[DumpPoint, ...],
    here: dict[str, tuple[int, int, Any]],
    event: Event,
    chapter_ids: dict[str, int],
    marker_ids: dict[str, int],
    in_file: set[str],
) -> list[str]:
    """What in the file does not fit this store: tags it lacks, parents it cannot find,
    points that belong to another event here."""
    problems = []
    for p in points:
        path = f"points[{p.index}]"
        found = here.get(p.uuid)
        if found is not None and found[1] != event.id:
            problems.append(
                f"{path}.uuid: this point belongs to event {found[1]} in this store, not "
                f"{event.id}; merge the file into that event (leave out --event)"
            )
        if p.parent and p.parent not in in_file:
            parent = here.get(p.parent)
            if parent is None or parent[1] != event.id:
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
