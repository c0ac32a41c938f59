"""A complete, lossless JSON dump of one event: everything needed to rebuild it elsewhere.

Points keep their UUIDs, positions, nesting, timestamps, private flags and soft deletes, and
tags are written by code and title, so a dump can be merged into another store by UUID.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import col, select

from sendtui import __version__
from sendtui.models import Chapter, Event, Group, Marker, Point, PointChapter, PointMarker, Scheme
from sendtui.models import Topic as TopicModel
from sendtui.store.store import Store

FORMAT = "sendtui-event"
VERSION = 1


def _time(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def dump_event(store: Store, event_id: int) -> dict[str, Any]:
    """The whole event as plain JSON-ready data."""
    with store.session() as s:
        event = s.get(Event, event_id)
        assert event is not None
        scheme = s.get(Scheme, event.scheme_id)
        assert scheme is not None
        groups = list(
            s.exec(
                select(Group)
                .where(Group.event_id == event_id)
                .order_by(col(Group.position), col(Group.id))
            )
        )
        group_ids = [g.id for g in groups]
        topics = list(
            s.exec(
                select(TopicModel)
                .where(col(TopicModel.group_id).in_(group_ids))
                .order_by(col(TopicModel.position), col(TopicModel.id))
            )
        )
        points = list(
            s.exec(
                select(Point)
                .where(Point.event_id == event_id)
                .order_by(col(Point.position), col(Point.id))
            )
        )
        chapters = {
            c.id: c for c in s.exec(select(Chapter).where(Chapter.scheme_id == event.scheme_id))
        }
        markers = {m.id: m for m in s.exec(select(Marker))}
        point_chapters: dict[int, list[Chapter]] = {}
        for pid, cid in s.exec(
            select(PointChapter.point_id, PointChapter.chapter_id)
            .join(Point, col(Point.id) == PointChapter.point_id)
            .where(Point.event_id == event_id)
        ):
            point_chapters.setdefault(pid, []).append(chapters[cid])
        point_markers: dict[int, list[Marker]] = {}
        for pid, mid in s.exec(
            select(PointMarker.point_id, PointMarker.marker_id)
            .join(Point, col(Point.id) == PointMarker.point_id)
            .where(Point.event_id == event_id)
        ):
            point_markers.setdefault(pid, []).append(markers[mid])

    group_uuid = {g.id: g.uuid for g in groups}
    topic_uuid = {t.id: t.uuid for t in topics}
    point_uuid = {p.id: p.uuid for p in points}
    return {
        "format": FORMAT,
        "version": VERSION,
        "sendtui": __version__,
        "exported_at": _time(datetime.now(UTC)),
        "event": {
            "uuid": event.uuid,
            "title": event.title,
            "date": _date(event.date),
            "venue": event.venue,
            "subject": event.subject,
            "attendance": event.attendance,
            "scheme": {"code": scheme.code, "title": scheme.title},
            "created_at": _time(event.created_at),
            "updated_at": _time(event.updated_at),
        },
        "groups": [
            {
                "uuid": g.uuid,
                "name": g.name,
                "facilitator": g.facilitator,
                "note_taker": g.note_taker,
                "position": g.position,
                "topics": [
                    {"uuid": t.uuid, "title": t.title, "position": t.position}
                    for t in topics
                    if t.group_id == g.id
                ],
            }
            for g in groups
        ],
        "points": [
            {
                "uuid": p.uuid,
                "group": group_uuid[p.group_id],
                "topic": topic_uuid.get(p.topic_id) if p.topic_id else None,
                "parent": point_uuid.get(p.parent_id) if p.parent_id else None,
                "heading": p.heading,
                "kind": p.kind,
                "text": p.text,
                "section_ref": p.section_ref,
                "chapters": [
                    {"code": c.code, "title": c.title}
                    for c in sorted(point_chapters.get(p.id or 0, []), key=lambda c: c.position)
                ],
                "markers": [
                    m.code
                    for m in sorted(point_markers.get(p.id or 0, []), key=lambda m: m.position)
                ],
                "position": p.position,
                "note_taker": p.note_taker,
                "private": p.private,
                "created_at": _time(p.created_at),
                "updated_at": _time(p.updated_at),
                "deleted_at": _time(p.deleted_at),
            }
            for p in points
        ],
    }


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
