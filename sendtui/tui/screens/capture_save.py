"""Saving what is typed on the capture screen, without ever waiting on the store.

A mixin for CaptureScreen. Enter turns the line into a pending point (sendtui.services.capture)
and hands it to the capture queue: committed at once when the store is free, or kept in the
outbox and shown as "saving…" until the writer thread has saved it. The draft text is written
by a background writer too, and points added by other note-takers appear as they are saved.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from textual.message import Message

from sendtui.errors import InputError, SendtuiError
from sendtui.services.capture import (
    Committed,
    Pending,
    Tags,
    newest_point_id,
    point_ids_after,
    typed_point,
)
from sendtui.services.capture_queue import CaptureQueue, shared_queue, waiting_text
from sendtui.services.syntax import HeadingChange, ParsedPoint
from sendtui.store import reads
from sendtui.tui.screens.capture_ops import STILL_OPENING
from sendtui.tui.screens.confirm import ConfirmScreen
from sendtui.tui.widgets.capture_line import CaptureLine, split_lines

if TYPE_CHECKING:
    from sendtui.services.drafts import DraftWriter
    from sendtui.services.points import PointEditor
    from sendtui.services.syntax import CaptureSyntax
    from sendtui.tui.widgets.place_tree import PlaceTree
    from sendtui.tui.widgets.point_list import PointList

PENDING_POSITION = 10**15  # waiting points sort after every saved one until they are saved


class PointSaved(Message):
    """The writer thread saved a waiting point."""

    def __init__(self, pending: Pending, committed: Committed) -> None:
        super().__init__()
        self.pending = pending
        self.committed = committed


class QueueStatus(Message):
    """How many points are waiting, and why ('busy', 'offline' or a message)."""

    def __init__(self, count: int, reason: str) -> None:
        super().__init__()
        self.count = count
        self.reason = reason


class CaptureSaving:
    """Enter, paste, drafts and live updates for CaptureScreen."""

    event_id: int
    group_id: int | None
    topic_id: int | None
    heading: str
    editing: int | None
    editor: PointEditor | None
    syntax: CaptureSyntax | None
    drafts: DraftWriter | None
    draft: str
    app: Any

    if TYPE_CHECKING:  # provided by CaptureScreen / Screen
        place_tree: PlaceTree
        point_list: PointList
        capture_line: CaptureLine

        def show_message(self, message: str, *, error: bool = False) -> None: ...
        def update_context(self) -> None: ...
        def remember(self, **extra: object) -> None: ...
        def post_message(self, message: Message) -> bool: ...
        def _save_edit(self, parsed: ParsedPoint) -> None: ...
        def _in_scope(self, row: reads.PointRow) -> bool: ...
        def show_preview(self, point: reads.PointRow | None) -> None: ...
        def record_add(self, pending: Pending, done: Committed) -> None: ...

    queue: CaptureQueue | None = None
    tags: Tags | None = None

    def open_saving(self) -> None:
        """Start saving: the shared queue for this store (which first saves anything left in
        the outbox by a previous run) and the stand-ins for points still waiting."""
        store = self.app.context.store
        self.tags = Tags(store.reader, self.event_id)
        self.early_adds: list[tuple[Pending, Committed]] = []  # undo steps before the editor
        self.temp_of: dict[str, int] = {}  # uuid of a waiting point → its stand-in row id
        self._mine: set[int] = set()  # ids this screen saved since the live check last looked
        self.queue = queue = shared_queue(store, stamp=self.tags.stamps)
        queue.on_saved = lambda pending, done: self.post_message(PointSaved(pending, done))
        queue.on_status = lambda count, reason: self.post_message(QueueStatus(count, reason))
        queue.start()
        if queue.waiting:
            self.show_waiting(queue.waiting, queue.reason)

    def close_saving(self) -> None:
        watcher = getattr(self, "_watcher", None)
        if watcher is not None:
            watcher.close()
        if self.queue is not None:
            self.queue.on_saved = lambda pending, done: None
            self.queue.on_status = lambda count, reason: None
            if not self.queue.waiting:
                self.queue.stop()

    def waiting_rows(self) -> list[reads.PointRow]:
        """Stand-in rows for this event's waiting points (for the list to show)."""
        if self.queue is None:
            return []
        rows = []
        for entry in self.queue.outbox.entries():
            pending = entry.payload
            if pending.get("event_id") != self.event_id:
                continue
            row = self._stand_in(pending)
            if self._in_scope(row):
                rows.append(row)
        return rows

    def _stand_in(self, pending: Pending) -> reads.PointRow:
        temp = self.temp_of.get(pending["uuid"])
        if temp is None:
            temp = self.temp_of[pending["uuid"]] = -(len(self.temp_of) + 1)
        parent = pending["parent_id"] or self.temp_of.get(pending["parent_uuid"] or "")
        return reads.PointRow(
            temp, pending["group_id"], pending["topic_id"], parent,
            PENDING_POSITION + abs(temp), pending["heading"], pending["kind"], pending["text"],
            pending["section_ref"], tuple(pending["chapter_codes"]),
            tuple(pending["marker_codes"]), False,
        )  # fmt: skip

    # -- Enter -----------------------------------------------------------------------------

    def submit(self, value: str) -> None:
        """Enter in the capture line: save a point, set a heading, or save an edit."""
        if self.syntax is None or self.queue is None:
            self.show_message(
                "Still opening the database; your text is kept. Try again.", error=True
            )
            return
        was_editing = self.editing is not None
        try:
            parsed = self.syntax.parse(value)
            if isinstance(parsed, HeadingChange):
                if self.editing is not None:
                    raise InputError("A point cannot become a heading; Esc cancels the edit.")
                self._set_heading(parsed.heading)
            elif self.editing is not None:
                if self.editor is None:  # opened a moment ago: the editor is on its way
                    raise InputError(STILL_OPENING)
                self._save_edit(parsed)
            else:
                self._save_new(parsed)
        except SendtuiError as exc:
            self.show_message(exc.message, error=True)  # the typed text stays in the input
            return
        # After an edit, the line gets back what was being typed before it; otherwise it is
        # cleared. Either way Input.Changed saves the draft.
        line = self.capture_line
        line.value = self.draft if was_editing else ""
        line.forget_typing()

    def _set_heading(self, heading: str) -> None:
        self.heading = heading
        self.remember()
        self.update_context()
        self.show_message(f"Heading set: {heading}." if heading else "Heading cleared.")

    def _save_new(self, parsed: ParsedPoint, *, quiet: bool = False) -> None:
        if self.group_id is None:
            raise InputError("Pick a group first (ctrl+l), or add one with ctrl+g.")
        assert self.queue is not None and self.tags is not None
        parent_id, parent_uuid = self._parent_for(parsed.depth)
        pending = typed_point(
            parsed,
            self.tags,
            event_id=self.event_id,
            group_id=self.group_id,
            topic_id=self.topic_id,
            heading=self.heading,
            parent_id=parent_id,
            parent_uuid=parent_uuid,
            note_taker=self.app.context.config.capture.note_taker,
        )
        done = self.queue.save(pending)
        points = self.point_list
        if done is None:  # waiting for the store: shown at once, saved in order later
            row = self._stand_in(pending)
            points.pending.add(row.id)
            points.append(row)
            return
        self.record_add(pending, done)
        self._mine.add(done.id)
        row = reads.points_by_id(self.app.context.store.reader, [done.id])[done.id]
        if row is not None:
            points.append(row)
        # The count in the groups tree follows a moment later, in a frame of its own.
        self.place_tree.bump(self.group_id, self.topic_id, 1, soon=True)
        if row is not None and not points.matches(row):
            self.show_message(f"Saved {_a(parsed.kind.label)}; the filter hides it (Esc).")
        elif not quiet:
            self.show_message(f"Saved {_a(parsed.kind.label)}.")

    def _parent_for(self, depth: int) -> tuple[int | None, str | None]:
        """The point an indented line nests under: the last point above it that is less
        indented (two spaces a level), saved or still waiting."""
        if depth <= 0:
            return None, None
        points = self.point_list
        for row in reversed(points.rows):
            if points.depth_of(row.id) <= depth - 1:
                if row.id > 0:
                    return row.id, None
                uuid = next((u for u, t in self.temp_of.items() if t == row.id), None)
                return None, uuid
        return None, None

    # -- the writer thread's news ------------------------------------------------------------

    def on_point_saved(self, message: PointSaved) -> None:
        pending, done = message.pending, message.committed
        if self.editor is not None and done.new:
            self.record_add(pending, done)
        self._mine.add(done.id)
        temp = self.temp_of.pop(pending["uuid"], None)
        store = self.app.context.store
        row = reads.points_by_id(store.reader, [done.id])[done.id]
        if temp is not None and row is not None:
            self.point_list.replace_row(temp, row)
            self.show_preview(self.point_list.highlighted)  # drop its "saving…" at once
        self.place_tree.bump(pending["group_id"], done.topic_id, 1)
        if self.queue is not None and self.queue.waiting:
            self.capture_line.border_subtitle = f"saving… {self.queue.waiting} waiting"

    def on_queue_status(self, message: QueueStatus) -> None:
        self.show_waiting(message.count, message.reason)

    def show_waiting(self, count: int, reason: str) -> None:
        line = self.capture_line
        if count:
            line.border_subtitle = f"saving… {count} waiting"
            self.show_message(waiting_text(count, reason), error=reason not in ("busy",))
            self.sticky_message = True  # stays while points wait, whatever is typed
        else:
            line.border_subtitle = ""
            self.show_message("Saved: every point is in the database.")

    # -- paste -----------------------------------------------------------------------------

    def on_capture_line_multi_line_paste(self, message: CaptureLine.MultiLinePaste) -> None:
        lines = [line for line in split_lines(message.text) if line.strip()]

        def answer(each: bool | None) -> None:
            if each:
                self.save_lines(lines)
            else:
                self.capture_line.insert_text_at_cursor(" ".join(x.strip() for x in lines))
                self.show_message(f"Kept all {len(lines)} pasted lines in the line as one point.")

        self.app.push_screen(
            ConfirmScreen(
                f"You pasted {len(lines)} lines. Save each line as a point (capture syntax; "
                "two spaces of indent make a sub-point), or keep all of it as one point?",
                yes=f"Save {len(lines)} points",
                no="Keep as one point",
            ),
            answer,
        )

    def save_lines(self, lines: list[str]) -> None:
        """Save pasted lines one by one; all or nothing: a refused line saves none, and the
        paste goes into the capture line with the line number named."""
        assert self.syntax is not None
        parsed_lines = []
        for number, line in enumerate(lines, 1):
            try:
                parsed_lines.append(self.syntax.parse(line))
            except SendtuiError as exc:
                self.capture_line.insert_text_at_cursor(" ".join(x.strip() for x in lines))
                self.show_message(
                    f"Pasted line {number}: {exc.message} Nothing was saved; the paste is "
                    "in the capture line.",
                    error=True,
                )
                return
        saved = index = 0
        try:
            for parsed in parsed_lines:
                if isinstance(parsed, HeadingChange):
                    self.heading = parsed.heading
                    self.remember()
                else:
                    self._save_new(parsed, quiet=True)
                    saved += 1
                index += 1
        except SendtuiError as exc:
            rest = lines[index:]
            self.capture_line.insert_text_at_cursor(" ".join(x.strip() for x in rest))
            self.show_message(f"Saved {saved} points; then: {exc.message}", error=True)
            return
        self.update_context()
        self.show_message(f"Saved {saved} pasted point{'s' if saved != 1 else ''}.")

    # -- points saved elsewhere ------------------------------------------------------------

    def watch_store(self) -> None:
        """Show points other note-takers (or a CLI import) save, within a second, without
        moving the highlight or touching the typed text."""
        store = self.app.context.store
        self._watcher = None
        # Without a watcher, the newest point id is compared each time (one indexed lookup).
        with contextlib.suppress(AttributeError, ImportError):
            self._watcher = store.watcher()  # cheap: PRAGMA data_version / LISTEN
        self._seen_id = self._max_point_id()
        self.set_interval(0.5, self._poll_store)  # type: ignore[attr-defined]

    def _max_point_id(self) -> int:
        return newest_point_id(self.app.context.store.reader)

    def _poll_store(self) -> None:
        store = self.app.context.store
        if store is None:
            return
        if self._watcher is not None and not self._watcher.changed():
            return
        newest = self._max_point_id()
        if newest <= self._seen_id:
            return
        ids = point_ids_after(store.reader, self.event_id, self._seen_id)
        self._seen_id = newest
        ids = [pid for pid in ids if pid not in self._mine]  # our own are shown already
        self._mine.clear()
        if not ids:
            return
        points = self.point_list
        shown = {row.id for row in points.rows}
        others = [
            row
            for pid, row in reads.points_by_id(store.reader, ids).items()
            if pid not in shown and row is not None
        ]
        for row in others:  # counted without a query over the whole event
            self.place_tree.bump(row.group_id, row.topic_id, 1)
        fresh = [row for row in others if self._in_scope(row)]
        if fresh:
            points.add_rows(fresh)


def _a(label: str) -> str:
    """ "a point", "an action"."""
    word = label.lower()
    return ("an " if word[:1] in "aeiou" else "a ") + word
