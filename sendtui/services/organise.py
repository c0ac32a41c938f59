"""Renaming and merging groups, topics and headings without losing or double-counting points.

Renaming to a name another group (or topic in the same group) already has merges the two:
points are moved, never copied, so they keep their ids, UUIDs, tags and order, and the
emptied group or topic is deleted. Headings are text on the points, so renaming one to an
existing heading merges them by itself. Each operation is one write transaction, and moved
points get a new `updated_at`, so merging JSON dumps later carries the change over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from sendtui.errors import InputError, NotFoundError
from sendtui.models import Group, Point, Topic
from sendtui.models.base import utcnow
from sendtui.services.names import clean_name
from sendtui.store.db import Db
from sendtui.store.store import Store
from sendtui.text import name_key


@dataclass(frozen=True)
class Reorganised:
    """What a rename did: `points` is how many (live) points now sit under the new name
    because of it; `merged_into` the id of the group or topic merged into (None for a
    plain rename); for headings, `merged` says the new heading was already in use."""

    what: str  # "group", "topic" or "heading"
    name: str
    points: int
    merged_into: int | None = None
    merged: bool = False

    def summary(self) -> str:
        noun = "point" if self.points == 1 else "points"
        if self.merged:
            return f"Merged into the {self.what} “{self.name}” ({self.points} {noun} moved)."
        return f"Renamed the {self.what} to “{self.name}” ({self.points} {noun})."


def merge_target(
    conn: Db,
    event_id: int,
    what: str,
    name: str,
    *,
    group_id: int,
    topic_id: int | None = None,
) -> str | None:
    """The name of the group (or topic of the same group) that renaming to `name` would
    merge into, or None for a plain rename. Names are compared by `name_key`, the rule the
    renames themselves use, so the question asked and the thing done always agree
    ("Élan" and "ÉLAN" are one name). Headings are labels: they never ask."""
    key = name_key(name)
    if what == "group":
        row = conn.execute(
            "SELECT name FROM discussion_group WHERE event_id = ? AND name_key = ? AND id <> ?",
            (event_id, key, group_id),
        ).fetchone()
    elif what == "topic":
        row = conn.execute(
            "SELECT title FROM topic WHERE group_id = ? AND title_key = ? AND id <> ?",
            (group_id, key, -1 if topic_id is None else topic_id),
        ).fetchone()
    else:
        return None
    return row[0] if row else None


def _group(s: Session, event_id: int, group_id: int) -> Group:
    group = s.get(Group, group_id)
    if group is None or group.event_id != event_id:
        raise NotFoundError(f"There is no group {group_id} in this event.")
    return group


def _topic(s: Session, event_id: int, topic_id: int) -> tuple[Topic, Group]:
    topic = s.get(Topic, topic_id)
    group = s.get(Group, topic.group_id) if topic else None
    if topic is None or group is None or group.event_id != event_id:
        raise NotFoundError(f"There is no topic {topic_id} in this event.")
    return topic, group


def _live(s: Session, *where) -> int:
    query = select(func.count()).select_from(Point).where(col(Point.deleted_at).is_(None), *where)
    return s.exec(query).one()


def _move_points(s: Session, where: Sequence, **values: object) -> None:
    """Move every point matching `where`, deleted ones too (so an undo of a delete finds
    its group), stamping them as changed."""
    s.execute(
        update(Point).where(*where).values(updated_at=utcnow(), **values),
        execution_options={"synchronize_session": False},
    )


def _detach_strays(s: Session, event_id: int) -> None:
    """A sub-point whose parent now sits in another group or topic becomes a top-level
    point, as moving points does in the review screen."""
    parent = aliased(Point)
    elsewhere = (
        select(parent.id)
        .where(
            parent.id == Point.parent_id,
            or_(
                parent.group_id != Point.group_id,
                col(parent.topic_id).is_distinct_from(Point.topic_id),
            ),
        )
        .exists()
    )
    _move_points(
        s, [Point.event_id == event_id, col(Point.parent_id).is_not(None), elsewhere],
        parent_id=None,
    )  # fmt: skip


def _next_topic_position(s: Session, group_id: int) -> int:
    top = s.exec(select(func.max(Topic.position)).where(Topic.group_id == group_id)).one()
    return -1 if top is None else top


def _merge_topic(s: Session, source: Topic, target: Topic, target_group: int) -> None:
    """Move the source topic's points into target, then delete the emptied source."""
    _move_points(s, [Point.topic_id == source.id], topic_id=target.id, group_id=target_group)
    s.execute(delete(Topic).where(col(Topic.id) == source.id))


def rename_group(store: Store, event_id: int, group_id: int, new_name: str) -> Reorganised:
    """Rename a discussion group; if another group of the event already has that name
    (ignoring case), merge this one into it: its topics move across (a topic whose title
    the other group already has is merged into that one), its points follow, and the
    emptied group is deleted. Facilitator and note-taker fill the other's blanks."""
    name = clean_name(new_name, "group name")
    with store.write() as s:
        group = _group(s, event_id, group_id)
        target = s.exec(
            select(Group).where(
                Group.event_id == event_id,
                Group.name_key == name_key(name),
                Group.id != group_id,
            )
        ).first()
        if target is None:
            group.name = name
            s.add(group)
            return Reorganised("group", name, _live(s, Point.group_id == group_id))
        assert target.id is not None
        moved = _live(s, Point.group_id == group_id)
        existing = {
            name_key(t.title): t for t in s.exec(select(Topic).where(Topic.group_id == target.id))
        }
        position = _next_topic_position(s, target.id)
        topics = s.exec(
            select(Topic).where(Topic.group_id == group_id).order_by(col(Topic.position))
        ).all()
        for topic in topics:
            same = existing.get(name_key(topic.title))
            if same is not None:
                _merge_topic(s, topic, same, target.id)
            else:
                position += 1
                topic.group_id, topic.position = target.id, position
                s.add(topic)
        s.flush()
        _move_points(s, [Point.group_id == group_id], group_id=target.id)
        target.facilitator = target.facilitator or group.facilitator
        target.note_taker = target.note_taker or group.note_taker
        s.add(target)
        s.flush()
        s.execute(delete(Group).where(col(Group.id) == group_id))
        return Reorganised("group", target.name, moved, target.id, merged=True)


def rename_topic(
    store: Store,
    event_id: int,
    topic_id: int,
    new_title: str,
    *,
    group_id: int | None = None,
) -> Reorganised:
    """Rename a topic, or move it to another group of the event (`group_id`). If the
    group it ends up in already has a topic with that title (ignoring case), the two are
    merged: points move across and the emptied topic is deleted."""
    title = clean_name(new_title, "topic")
    with store.write() as s:
        topic, group = _topic(s, event_id, topic_id)
        to_group = _group(s, event_id, group_id) if group_id is not None else group
        assert to_group.id is not None
        target = s.exec(
            select(Topic).where(
                Topic.group_id == to_group.id,
                Topic.title_key == name_key(title),
                Topic.id != topic_id,
            )
        ).first()
        moved = _live(s, Point.topic_id == topic_id)
        if target is not None:
            _merge_topic(s, topic, target, to_group.id)
            s.flush()
            _detach_strays(s, event_id)
            return Reorganised("topic", target.title, moved, target.id, merged=True)
        if to_group.id != group.id:
            topic.position = _next_topic_position(s, to_group.id) + 1
            topic.group_id = to_group.id
            _move_points(s, [Point.topic_id == topic_id], group_id=to_group.id)
        topic.title = title
        s.add(topic)
        s.flush()
        if to_group.id != group.id:
            _detach_strays(s, event_id)
        return Reorganised("topic", title, moved)


def rename_heading(
    store: Store,
    event_id: int,
    old: str,
    new: str,
    *,
    group_id: int | None = None,
    topic_id: int | None = None,
) -> Reorganised:
    """Rename a heading on every point of the event that has it, or only those in one
    group or topic. `old` may be "" to give unheaded points a heading. If some points
    already have the new heading the two merge (`merged` is True)."""
    heading = clean_name(new, "heading")
    old = old.strip()
    if heading == old:
        raise InputError("The new heading is the same as the old one.")
    with store.write() as s:
        where = [Point.event_id == event_id]
        if group_id is not None:
            _group(s, event_id, group_id)
            where.append(Point.group_id == group_id)
        if topic_id is not None:
            _topic(s, event_id, topic_id)
            where.append(Point.topic_id == topic_id)
        count = _live(s, *where, Point.heading == old)
        if not count:
            raise NotFoundError(f"No point has the heading “{old}” here.")
        merged = _live(s, *where, Point.heading == heading) > 0
        _move_points(s, [*where, Point.heading == old], heading=heading)
        return Reorganised("heading", heading, count, merged=merged)
