"""Importing a notes file into the store, all or nothing, without duplicates.

Each imported point gets a UUID derived from the event and where the point sits (group,
topic, heading, parent, text, and which repeat of that text it is), so importing the same
file again finds every point already there.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import col, func, select

from sendtui.errors import InputError, NotesError
from sendtui.models import (
    Chapter,
    Event,
    Group,
    Kind,
    Marker,
    Point,
    PointChapter,
    PointMarker,
    Topic,
)
from sendtui.models.base import utcnow
from sendtui.services.events import EventService, clean_name
from sendtui.services.notes import NotesDocument, parse_notes
from sendtui.services.reference import ReferenceData
from sendtui.services.syntax import CaptureSyntax
from sendtui.store.store import Store

NAMESPACE = uuid.UUID("5d3b8f0e-6c1a-4a8e-9a57-2f6f0c1d9e11")
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class ImportResult:
    event_id: int
    event_title: str
    created_event: bool
    new_points: int
    existing_points: int

    def summary(self) -> str:
        made = "created" if self.created_event else "into"
        noun = "point" if self.new_points == 1 else "points"
        return (
            f"{self.new_points} new {noun} {made} event {self.event_id} "
            f"“{self.event_title}”; {self.existing_points} already there."
        )


def read_notes_file(path: Path) -> str:
    """The file's text, or a NotesError that says why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise NotesError(
                str(path),
                [
                    (
                        1,
                        f"the file is {size // 2**20} MB; notes files "
                        f"are at most {MAX_FILE_BYTES // 2**20} MB",
                    )
                ],
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotesError(str(path), [(1, "no such file")]) from None
    except IsADirectoryError:
        raise NotesError(str(path), [(1, "this is a folder, not a notes file")]) from None
    except OSError as exc:
        raise NotesError(str(path), [(1, f"cannot be read ({exc.strerror})")]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise NotesError(
            str(path), [(line, "is not UTF-8 text; save the notes as UTF-8")]
        ) from None


def import_notes(
    store: Store,
    reference: ReferenceData,
    path: Path,
    *,
    event: str | None = None,
    kind_words: Mapping[Kind, list[str]],
    marks: Mapping[Kind, str] | None = None,
    default_scheme: str = "cop-2015",
    note_taker: str = "",
) -> ImportResult:
    """Import `path` into the event named by `event` (id or title), or the event its
    `# title` names (created if new). Raises NotesError listing every problem."""
    text = read_notes_file(path)
    events = EventService(store)
    target = events.find(event) if event else None
    target_scheme = events.scheme_of(target.id).code if target and target.id else None
    marker_codes = [m.code for m in reference.markers] or [m.code for m in events.markers()]

    def syntax_for(code: str | None) -> CaptureSyntax:
        code = code or target_scheme or default_scheme
        if target_scheme and code != target_scheme:
            raise InputError(f"the file's scheme {code} is not the event's ({target_scheme})")
        scheme = reference.schemes.get(code)
        if scheme is None:
            raise InputError(
                f"unknown chapter scheme '{code}' (known: {', '.join(sorted(reference.schemes))})"
            )
        return CaptureSyntax(
            marks, [c.code for c in scheme.chapters], marker_codes, scheme_name=code
        )

    doc = parse_notes(
        text,
        syntax_for=syntax_for,
        kind_words=kind_words,
        path=str(path),
        default_scheme=target_scheme or default_scheme,
    )
    if target is None:
        target, created = _find_or_create_event(events, doc, default_scheme)
    else:
        created = False
    assert target.id is not None
    new, existing = _write_points(store, target, doc, note_taker)
    return ImportResult(target.id, target.title, created, new, existing)


def _find_or_create_event(
    events: EventService, doc: NotesDocument, default_scheme: str
) -> tuple[Event, bool]:
    title = clean_name(doc.title or "", "event title")
    with events.store.session() as s:
        query = select(Event).where(func.lower(Event.title) == title.lower())
        if doc.date:
            query = query.where(Event.date == doc.date)
        found = s.exec(query).first()
    if found:
        return found, False
    made = events.create_event(
        title,
        scheme_code=doc.scheme or default_scheme,
        date=doc.date,
        venue=doc.venue,
        subject=doc.subject,
        attendance=doc.attendance,
    )
    return made, True


def _write_points(
    store: Store, event: Event, doc: NotesDocument, note_taker: str
) -> tuple[int, int]:
    with store.write() as s:
        groups = {
            g.name.lower(): g for g in s.exec(select(Group).where(Group.event_id == event.id))
        }
        for name, info in doc.groups.items():
            group = groups.get(name.lower())
            if group is None:
                group = Group(event_id=event.id, name=name, position=len(groups))
                groups[name.lower()] = group
            group.facilitator = info.facilitator or group.facilitator
            group.note_taker = info.note_taker or group.note_taker
            s.add(group)
        s.flush()
        topics: dict[tuple[int, str], Topic] = {}
        group_ids = [g.id for g in groups.values()]
        for t in s.exec(select(Topic).where(col(Topic.group_id).in_(group_ids))):
            topics[(t.group_id, t.title.lower())] = t
        for group_name, title in doc.topics:
            group = groups[group_name.lower()]
            key = (group.id, title.lower())
            if key not in topics:
                count = sum(1 for k in topics if k[0] == group.id)
                topics[key] = Topic(group_id=group.id, title=title, position=count)
                s.add(topics[key])
        s.flush()

        chapter_ids = dict(
            s.exec(
                select(Chapter.code, Chapter.id).where(Chapter.scheme_id == event.scheme_id)
            ).all()
        )
        marker_ids = dict(s.exec(select(Marker.code, Marker.id)).all())
        known = set(s.exec(select(Point.uuid).where(Point.event_id == event.id)).all())
        next_id = (s.exec(select(func.max(Point.id))).one() or 0) + 1
        position = (
            s.exec(select(func.max(Point.position)).where(Point.event_id == event.id)).one() or 0
        ) + 1

        keys: list[str] = []
        ids: list[int | None] = []
        seen: Counter[str] = Counter()
        rows, chapter_rows, marker_rows = [], [], []
        now = utcnow()
        for item in doc.points:
            parent_key = keys[item.parent] if item.parent is not None else ""
            base = "\x1f".join(
                [
                    event.uuid,
                    item.group.lower(),
                    (item.topic or "").lower(),
                    item.heading,
                    parent_key,
                    item.point.text,
                ]
            )
            seen[base] += 1
            key = str(uuid.uuid5(NAMESPACE, f"{base}\x1f{seen[base]}"))
            keys.append(key)
            if key in known:
                ids.append(None)
                continue
            group = groups[item.group.lower()]
            topic = topics.get((group.id, item.topic.lower())) if item.topic else None
            parent_id = ids[item.parent] if item.parent is not None else None
            if item.parent is not None and parent_id is None:
                parent_id = s.exec(select(Point.id).where(Point.uuid == keys[item.parent])).first()
            rows.append(
                {
                    "id": next_id,
                    "uuid": key,
                    "event_id": event.id,
                    "group_id": group.id,
                    "topic_id": topic.id if topic else None,
                    "parent_id": parent_id,
                    "heading": item.heading,
                    "kind": item.point.kind.value,
                    "text": item.point.text,
                    "section_ref": ", ".join(item.point.section_refs),
                    "position": position,
                    "note_taker": note_taker or group.note_taker,
                    "private": False,
                    "created_at": now,
                    "updated_at": now,
                    "deleted_at": None,
                }
            )
            chapter_rows += [
                {"point_id": next_id, "chapter_id": chapter_ids[c]} for c in item.point.chapters
            ]
            marker_rows += [
                {"point_id": next_id, "marker_id": marker_ids[m]} for m in item.point.markers
            ]
            ids.append(next_id)
            known.add(key)
            next_id += 1
            position += 1
        if rows:
            s.execute(insert(Point), rows)
        if chapter_rows:
            s.execute(insert(PointChapter), chapter_rows)
        if marker_rows:
            s.execute(insert(PointMarker), marker_rows)
    return len(rows), len(doc.points) - len(rows)
