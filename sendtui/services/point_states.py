"""A point's state as a value, read and written whole: what PointEditor records for undo
and redo (the state before and after a change), so both are the same operation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from sendtui.errors import NotFoundError
from sendtui.models import Point, PointChapter, PointMarker
from sendtui.models.base import sql_time, utcnow
from sendtui.services import field_times


@dataclass(frozen=True)
class PointState:
    """Everything about a point that a change can alter."""

    id: int
    group_id: int
    topic_id: int | None
    parent_id: int | None
    heading: str
    kind: str
    text: str
    section_ref: str
    position: int
    private: bool
    deleted: bool
    chapters: frozenset[int]
    markers: frozenset[int]


@dataclass(frozen=True)
class Change:
    """One undoable step: a label for messages, and the states on either side."""

    label: str
    before: tuple[PointState, ...]
    after: tuple[PointState, ...]

    @property
    def point_ids(self) -> list[int]:
        return [state.id for state in self.after]


def read_states(s: Session, event_id: int, ids: Sequence[int]) -> tuple[PointState, ...]:
    """The points' states now (all must belong to `event_id`)."""
    rows = {p.id: p for p in s.exec(select(Point).where(col(Point.id).in_(ids)))}
    chapters: dict[int, set[int]] = {i: set() for i in ids}
    markers: dict[int, set[int]] = {i: set() for i in ids}
    for pid, cid in s.exec(
        select(PointChapter.point_id, PointChapter.chapter_id).where(
            col(PointChapter.point_id).in_(ids)
        )
    ):
        chapters[pid].add(cid)
    for pid, mid in s.exec(
        select(PointMarker.point_id, PointMarker.marker_id).where(
            col(PointMarker.point_id).in_(ids)
        )
    ):
        markers[pid].add(mid)
    states = []
    for i in ids:
        p = rows.get(i)
        if p is None or p.event_id != event_id:
            raise NotFoundError("That point no longer exists.")
        states.append(
            PointState(
                id=i,
                group_id=p.group_id,
                topic_id=p.topic_id,
                parent_id=p.parent_id,
                heading=p.heading,
                kind=p.kind,
                text=p.text,
                section_ref=p.section_ref,
                position=p.position,
                private=p.private,
                deleted=p.deleted_at is not None,
                chapters=frozenset(chapters[i]),
                markers=frozenset(markers[i]),
            )
        )
    return tuple(states)


def write_states(s: Session, states: Iterable[PointState]) -> tuple[PointState, ...]:
    """Write states to the store (inside the caller's transaction)."""
    now = utcnow()
    stamp = sql_time(now)
    written = []
    for st in states:
        point = s.get(Point, st.id)
        if point is None:
            raise NotFoundError("That point no longer exists.")
        changed = _changed_fields(s, point, st)
        if changed:  # what a field-by-field merge compares: when each field last changed
            point.field_times = field_times.touch(point.field_times, changed, stamp)
        point.group_id, point.topic_id, point.parent_id = st.group_id, st.topic_id, st.parent_id
        point.heading, point.kind, point.text = st.heading, st.kind, st.text
        point.section_ref, point.position, point.private = (
            st.section_ref,
            st.position,
            st.private,
        )
        if st.deleted and point.deleted_at is None:
            point.deleted_at = now
        elif not st.deleted:
            point.deleted_at = None
        point.updated_at = now
        s.add(point)
        write_tags(s, st.id, st.chapters, st.markers, replace_existing=True)
        written.append(st)
    s.flush()
    return tuple(written)


def _changed_fields(s: Session, point: Point, st: PointState) -> list[str]:
    """The field_times names of what writing `st` changes on `point`."""
    changed = [
        name
        for name, old, new in (
            ("text", point.text, st.text),
            ("kind", point.kind, st.kind),
            ("section_ref", point.section_ref, st.section_ref),
            ("private", point.private, st.private),
            ("position", point.position, st.position),
            ("deleted", point.deleted_at is not None, st.deleted),
        )
        if old != new
    ]
    place = (point.group_id, point.topic_id, point.heading, point.parent_id)
    if place != (st.group_id, st.topic_id, st.heading, st.parent_id):
        changed.append("place")
    chapters = set(s.exec(select(PointChapter.chapter_id).where(PointChapter.point_id == point.id)))
    if chapters != set(st.chapters):
        changed.append("chapters")
    markers = set(s.exec(select(PointMarker.marker_id).where(PointMarker.point_id == point.id)))
    if markers != set(st.markers):
        changed.append("markers")
    return changed


def write_tags(
    s: Session,
    point_id: int,
    chapters: Iterable[int],
    markers: Iterable[int],
    *,
    replace_existing: bool = False,
) -> None:
    if replace_existing:
        s.execute(delete(PointChapter).where(col(PointChapter.point_id) == point_id))
        s.execute(delete(PointMarker).where(col(PointMarker.point_id) == point_id))
    chapter_rows = [{"point_id": point_id, "chapter_id": c} for c in chapters]
    marker_rows = [{"point_id": point_id, "marker_id": m} for m in markers]
    if chapter_rows:
        s.execute(insert(PointChapter), chapter_rows)
    if marker_rows:
        s.execute(insert(PointMarker), marker_rows)
