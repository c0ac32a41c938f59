"""Changing an event's points, with undo and redo.

Every change is recorded as the affected points' state before and after, so undo and redo
are the same operation (write a list of states) and cannot drift from what was done. Deletes
are soft, so undoing one brings the very same point back (same id and UUID).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from sqlmodel import Session, col, select

from sendtui.errors import InputError, NotFoundError
from sendtui.models import Chapter, Event, Group, Kind, Marker, Point
from sendtui.models import Topic as TopicModel
from sendtui.services.capture import (
    Committed,
    Pending,
    Tags,
    commit,
    last_root_id,
    pending_point,
)
from sendtui.services.point_states import Change, PointState, read_states, write_states
from sendtui.services.syntax import ParsedPoint
from sendtui.store.store import Store

UNDO_LIMIT = 500

__all__ = ["Change", "PlaceChange", "PointEditor", "PointState", "last_root"]


@dataclass(frozen=True)
class PlaceChange(Change):
    """An undoable change to a group or topic (a rename or a delete), not to points: undo
    and redo run the given functions instead of writing point states."""

    undo_fn: Callable[[], None]
    redo_fn: Callable[[], None]


class PointEditor:
    """All changes to one event's points go through here."""

    def __init__(self, store: Store, event_id: int, *, note_taker: str = "") -> None:
        self.store = store
        self.event_id = event_id
        self.note_taker = note_taker
        with store.session() as s:
            event = s.get(Event, event_id)
            if event is None:
                raise NotFoundError(f"There is no event {event_id}.")
            chapters = s.exec(select(Chapter).where(Chapter.scheme_id == event.scheme_id))
            self.chapter_ids = {c.code: c.id for c in chapters if c.id is not None}
            self.marker_ids = {m.code: m.id for m in s.exec(select(Marker)) if m.id is not None}
        self.chapter_codes = {v: k for k, v in self.chapter_ids.items()}
        self.marker_codes = {v: k for k, v in self.marker_ids.items()}
        self.undo_stack: list[Change] = []
        self.redo_stack: list[Change] = []
        self._tags: Tags | None = None

    # -- the changes -------------------------------------------------------------------------

    def add(
        self,
        point: ParsedPoint,
        *,
        group_id: int,
        topic_id: int | None,
        heading: str = "",
        parent_id: int | None = None,
    ) -> int:
        """Save a new point at the end of the event (waiting for the write lock); returns its
        id once committed. The capture screen saves through the capture queue instead, which
        never waits; both use the same `capture.commit`."""
        if self._tags is None:
            self._tags = Tags(self.store.reader, self.event_id)
        pending = pending_point(
            point,
            self._tags,
            event_id=self.event_id,
            group_id=group_id,
            topic_id=topic_id,
            heading=heading,
            parent_id=parent_id,
            note_taker=self.note_taker,
        )
        with self.store.write_raw() as conn:
            done = commit(conn, pending, stamp=self._tags.stamps)
        self.record_add(pending, done)
        return done.id

    def record_add(self, pending: Pending, done: Committed) -> Change:
        """Put a saved new point on the undo stack (undo deletes it, redo restores it)."""
        after = PointState(
            id=done.id,
            group_id=pending["group_id"],
            topic_id=done.topic_id,
            parent_id=done.parent_id,
            heading=pending["heading"],
            kind=pending["kind"],
            text=pending["text"],
            section_ref=pending["section_ref"],
            position=done.position,
            private=False,
            deleted=False,
            chapters=frozenset(pending["chapters"]),
            markers=frozenset(pending["markers"]),
        )
        change = Change("add point", (replace(after, deleted=True),), (after,))
        self._record(change)
        return change

    def edit(self, point_id: int, point: ParsedPoint) -> Change:
        """Replace a point's text, kind and tags with what was typed."""
        chapters, markers = self._tag_ids(point)
        return self._change(
            "edit point",
            [point_id],
            lambda st: replace(
                st,
                text=point.text,
                kind=point.kind.value,
                section_ref=", ".join(point.section_refs),
                chapters=frozenset(chapters),
                markers=frozenset(markers),
            ),
        )

    def delete(self, point_ids: Sequence[int]) -> Change:
        """Delete points and their sub-points."""
        ids = self._with_descendants(point_ids)
        label = f"delete {len(ids)} point{'s' if len(ids) != 1 else ''}"
        return self._change(label, ids, lambda st: replace(st, deleted=True))

    def move(self, point_ids: Sequence[int], *, group_id: int, topic_id: int | None) -> Change:
        """Move points (with their sub-points) to another group or topic."""
        with self.store.session() as s:
            self._check_place(s, group_id, topic_id)
        roots = set(point_ids)
        ids = self._with_descendants(point_ids)

        def moved(st: PointState) -> PointState:
            detach = st.id in roots and st.parent_id not in roots
            return replace(
                st, group_id=group_id, topic_id=topic_id, parent_id=None if detach else st.parent_id
            )

        return self._change(f"move {len(ids)} point{'s' if len(ids) != 1 else ''}", ids, moved)

    def reorder(self, point_id: int, offset: int) -> Change | None:
        """Swap a point (and its sub-points) with the sibling before (-1) or after (+1)."""
        with self.store.session() as s:
            siblings = self._siblings(s, point_id)
        index = siblings.index(point_id)
        other = index + (1 if offset > 0 else -1)
        if not 0 <= other < len(siblings):
            return None
        first, second = sorted((point_id, siblings[other]), key=siblings.index)
        block_a, block_b = self._with_descendants([first]), self._with_descendants([second])
        return self._permute("move point " + ("down" if offset > 0 else "up"), block_b + block_a)

    def indent(self, point_id: int) -> Change | None:
        """Make a point a sub-point of the sibling above it."""
        with self.store.session() as s:
            siblings = self._siblings(s, point_id)
        index = siblings.index(point_id)
        if index == 0:
            return None
        parent = siblings[index - 1]
        return self._change("indent point", [point_id], lambda st: replace(st, parent_id=parent))

    def outdent(self, point_id: int) -> Change | None:
        """Make a sub-point a sibling of its parent, placed after the parent's sub-points."""
        with self.store.session() as s:
            point = self._point(s, point_id)
            if point.parent_id is None:
                return None
            parent = self._point(s, point.parent_id)
            siblings = self._siblings(s, point_id)
        later = siblings[siblings.index(point_id) + 1 :]
        block = self._with_descendants([point_id])
        rest = self._with_descendants(later) if later else []
        change = self._permute("outdent point", rest + block, record=False)
        states = {st.id: st for st in (change.after if change else ())}
        with self.store.write() as s:
            before = read_states(s, self.event_id, list(dict.fromkeys([*states, point_id])))
            wanted = [
                replace(states.get(st.id, st), parent_id=parent.parent_id)
                if st.id == point_id
                else states.get(st.id, st)
                for st in before
            ]
            after = write_states(s, wanted)
        original = {st.id: st for st in (change.before if change else ())}
        full_before = tuple(original.get(st.id, st) for st in before)
        result = Change("outdent point", full_before, after)
        self._record(result)
        return result

    def set_kind(self, point_ids: Sequence[int], kind: Kind) -> Change:
        return self._change(
            f"mark as {kind.label.lower()}", point_ids, lambda st: replace(st, kind=kind.value)
        )

    def set_heading(self, point_ids: Sequence[int], heading: str) -> Change:
        return self._change(
            "change heading", point_ids, lambda st: replace(st, heading=heading.strip())
        )

    def set_private(self, point_ids: Sequence[int], private: bool) -> Change:
        label = "mark private" if private else "mark not private"
        return self._change(label, point_ids, lambda st: replace(st, private=private))

    def tag_chapter(self, point_ids: Sequence[int], code: str, on: bool) -> Change:
        chapter = self.chapter_ids.get(code)
        if chapter is None:
            raise InputError(f"There is no chapter {code} in this event's scheme.")
        op = frozenset.union if on else frozenset.difference
        label = f"{'tag' if on else 'untag'} chapter {code}"
        return self._change(
            label, point_ids, lambda st: replace(st, chapters=op(st.chapters, {chapter}))
        )

    def tag_marker(self, point_ids: Sequence[int], code: str, on: bool) -> Change:
        marker = self.marker_ids.get(code.upper())
        if marker is None:
            raise InputError(f"There is no marker {code}.")
        op = frozenset.union if on else frozenset.difference
        label = f"{'tag' if on else 'untag'} marker {code.upper()}"
        return self._change(
            label, point_ids, lambda st: replace(st, markers=op(st.markers, {marker}))
        )

    def record_place(
        self, label: str, undo: Callable[[], None], redo: Callable[[], None]
    ) -> Change:
        """Put a group or topic change on the same undo stack as point changes."""
        change = PlaceChange(label, (), (), undo, redo)
        self._record(change)
        return change

    # -- undo ------------------------------------------------------------------------------

    def undo(self) -> Change | None:
        if not self.undo_stack:
            return None
        change = self.undo_stack[-1]
        if isinstance(change, PlaceChange):
            change.undo_fn()
            self.redo_stack.append(self.undo_stack.pop())
            return change
        with self.store.write() as s:
            write_states(s, change.before)
        self.redo_stack.append(self.undo_stack.pop())
        return change

    def redo(self) -> Change | None:
        if not self.redo_stack:
            return None
        change = self.redo_stack[-1]
        if isinstance(change, PlaceChange):
            change.redo_fn()
            self.undo_stack.append(self.redo_stack.pop())
            return change
        with self.store.write() as s:
            write_states(s, change.after)
        self.undo_stack.append(self.redo_stack.pop())
        return change

    # -- machinery -------------------------------------------------------------------------

    def _record(self, change: Change) -> None:
        self.undo_stack.append(change)
        del self.undo_stack[:-UNDO_LIMIT]
        self.redo_stack.clear()

    def _change(self, label: str, point_ids: Iterable[int], alter) -> Change:
        ids = list(dict.fromkeys(point_ids))
        if not ids:
            raise InputError("Select a point first.")
        with self.store.write() as s:
            before = read_states(s, self.event_id, ids)
            after = write_states(s, [alter(state) for state in before])
        change = Change(label, before, after)
        self._record(change)
        return change

    def _permute(self, label: str, ordered_ids: list[int], *, record: bool = True) -> Change:
        """Give `ordered_ids` the same set of positions they hold now, in the new order."""
        with self.store.write() as s:
            before = read_states(s, self.event_id, ordered_ids)
            by_id = {st.id: st for st in before}
            positions = sorted(st.position for st in before)
            wanted = [
                replace(by_id[i], position=p) for i, p in zip(ordered_ids, positions, strict=True)
            ]
            after = write_states(s, wanted)
        change = Change(label, before, after)
        if record:
            self._record(change)
        return change

    def _tag_ids(self, point: ParsedPoint) -> tuple[list[int], list[int]]:
        try:
            chapters = [self.chapter_ids[c] for c in point.chapters]
            markers = [self.marker_ids[m] for m in point.markers]
        except KeyError as exc:
            raise InputError(f"Unknown tag {exc.args[0]} for this event.") from None
        return chapters, markers

    def _check_place(self, s: Session, group_id: int, topic_id: int | None) -> None:
        group = s.get(Group, group_id)
        if group is None or group.event_id != self.event_id:
            raise NotFoundError("That group is not part of this event.")
        if topic_id is not None:
            topic = s.get(TopicModel, topic_id)
            if topic is None or topic.group_id != group_id:
                raise NotFoundError("That topic is not part of the group.")

    def _point(self, s: Session, point_id: int) -> Point:
        point = s.get(Point, point_id)
        if point is None or point.event_id != self.event_id or point.deleted_at is not None:
            raise NotFoundError("That point no longer exists.")
        return point

    def _siblings(self, s: Session, point_id: int) -> list[int]:
        point = self._point(s, point_id)
        query = select(Point.id).where(
            Point.event_id == self.event_id,
            Point.group_id == point.group_id,
            col(Point.deleted_at).is_(None),
        )
        query = query.where(
            col(Point.topic_id).is_(None)
            if point.topic_id is None
            else Point.topic_id == point.topic_id
        )
        query = query.where(
            col(Point.parent_id).is_(None)
            if point.parent_id is None
            else Point.parent_id == point.parent_id
        )
        return [i for i in s.exec(query.order_by(col(Point.position))) if i is not None]

    def _with_descendants(self, point_ids: Iterable[int]) -> list[int]:
        roots = list(dict.fromkeys(point_ids))
        if not roots:
            return []
        marks = ",".join("?" * len(roots))
        rows = self.store.reader.execute(
            f"""WITH RECURSIVE tree(id) AS (
                    SELECT id FROM point WHERE id IN ({marks})
                    UNION SELECT p.id FROM point p JOIN tree ON p.parent_id = tree.id
                    WHERE p.deleted_at IS NULL)
                SELECT p.id FROM point p JOIN tree ON tree.id = p.id ORDER BY p.position""",
            roots,
        ).fetchall()
        return [r[0] for r in rows]


def last_root(store: Store, event_id: int, group_id: int, topic_id: int | None) -> int | None:
    """The newest top-level point in a group/topic: where a nested capture line goes."""
    return last_root_id(store.reader, event_id, group_id, topic_id)
