"""What the capture screen does with points: edit, delete, move, reorder, undo.

A mixin, so the screen module keeps to layout and focus. Every change goes through the
headless PointEditor; the list is then patched with the affected rows only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work

from sendtui.errors import SendtuiError
from sendtui.services.syntax import ParsedPoint
from sendtui.store import reads
from sendtui.tui.screens.place_picker import PlacePickerScreen
from sendtui.tui.widgets.capture_line import CaptureLine
from sendtui.tui.widgets.place_tree import PlaceTree
from sendtui.tui.widgets.point_list import PointList

if TYPE_CHECKING:
    from sendtui.services.capture import Committed, Pending
    from sendtui.services.capture_queue import CaptureQueue
    from sendtui.services.points import Change, PointEditor
    from sendtui.services.syntax import CaptureSyntax


STILL_OPENING = "Still opening the database; try again in a moment."


class CaptureOps:
    """Point operations for CaptureScreen (which provides the attributes used here)."""

    event_id: int
    group_id: int | None
    topic_id: int | None
    heading: str
    editing: int | None
    editor: PointEditor | None
    syntax: CaptureSyntax | None
    queue: CaptureQueue | None
    app: Any

    if TYPE_CHECKING:  # provided by CaptureScreen / Screen
        place_tree: PlaceTree
        point_list: PointList
        capture_line: CaptureLine
        draft: str

        def show_message(self, message: str, *, error: bool = False) -> None: ...
        def update_context(self) -> None: ...
        def remember(self, **extra: object) -> None: ...
        def set_place(
            self, group_id: int | None, topic_id: int | None, *, remember: bool = True
        ) -> None: ...
        def reload_points(self) -> None: ...

    # The undo history of points saved before the editor was ready (a moment after opening).
    early_adds: list[tuple[Pending, Committed]]

    # -- the point editor (ORM), opened in a thread after the screen is up ----------------------

    @work(thread=True, group="capture-editor")
    def warm_editor(self) -> None:
        """Open the point editor off the UI thread: it loads the ORM (a second or so). Saving
        points never needs it; until it is ready, their undo steps are kept (record_add) and
        edits, moves and undo say to try again in a moment."""
        from sendtui.services.points import PointEditor

        ctx = self.app.context
        try:
            editor = PointEditor(ctx.store, self.event_id, note_taker=ctx.config.capture.note_taker)
        except SendtuiError as exc:
            self.app.call_from_thread(self.show_message, exc.message, error=True)
            return
        self.app.call_from_thread(self._editor_ready, editor)

    def _editor_ready(self, editor: PointEditor) -> None:
        for pending, done in self.early_adds:
            editor.record_add(pending, done)
        self.early_adds.clear()
        self.editor = editor

    def record_add(self, pending: Pending, done: Committed) -> None:
        """A saved new point goes on the undo stack (kept until the editor is ready)."""
        if self.editor is not None:
            self.editor.record_add(pending, done)
        else:
            self.early_adds.append((pending, done))

    def no_editor(self) -> bool:
        """True, and says so, while the editor is still being opened."""
        if self.editor is not None:
            return False
        self.show_message(STILL_OPENING, error=True)
        return True

    # -- editing ---------------------------------------------------------------------------

    def _save_edit(self, parsed: ParsedPoint) -> None:
        assert self.editor is not None and self.editing is not None
        change = self.editor.edit(self.editing, parsed)
        self.editing = None
        self.remember(editing=None)
        self._show_change(change, "Saved the edit.")
        self.update_context()
        self.point_list.focus()

    def cancel_edit(self) -> None:
        self.editing = None
        self.remember(editing=None)
        capture = self.capture_line
        capture.value = self.draft
        capture.forget_typing()
        self.update_context()
        self.show_message("Cancelled the edit.")
        self.point_list.focus()

    # -- changes to the highlighted point ------------------------------------------------

    def _highlighted(self) -> int | None:
        point = self.point_list.highlighted
        if point is None:
            self.show_message("No point is highlighted.", error=True)
            return None
        return point.id

    def action_edit(self) -> None:
        point = self.point_list.highlighted
        if point is None or self.syntax is None:
            return
        if point.id in self.point_list.pending:
            self.show_message("That point is still being saved; edit it once it is.")
            return
        parsed = ParsedPoint(
            point.text,
            _kind(point.kind),
            point.chapters,
            tuple(r.strip() for r in point.section_ref.split(",") if r.strip()),
            point.markers,
        )
        self.editing = point.id
        capture = self.capture_line
        capture.value = self.syntax.format_point(parsed)
        capture.cursor_position = len(capture.value)
        capture.forget_typing()
        capture.focus()
        self.update_context()
        self.remember(editing={"id": point.id, "text": capture.value})
        self.show_message("")

    def _do(
        self, operation: Any, *args: Any, done: str = "", keep: int | None = None, **kwargs: Any
    ) -> None:
        if self.no_editor():
            return
        try:
            change = operation(*args, **kwargs)
        except SendtuiError as exc:
            self.show_message(exc.message, error=True)
            return
        if change is None:
            self.show_message("Nothing to do there.")
            return
        self._show_change(change, done or past_tense(change.label) + ".", keep=keep)

    def _highlighted_saved(self) -> int | None:
        point_id = self._highlighted()
        if point_id is not None and point_id in self.point_list.pending:
            self.show_message("That point is still being saved; try again once it is.")
            return None
        return point_id

    def action_delete(self) -> None:
        if (point_id := self._highlighted_saved()) is not None and not self.no_editor():
            self._do(self.editor.delete, [point_id])
            label = past_tense(self.editor.undo_stack[-1].label)
            self.show_message(f"{label} (ctrl+z to undo).")

    def action_move_up(self) -> None:
        if (point_id := self._highlighted_saved()) is not None and not self.no_editor():
            self._do(self.editor.reorder, point_id, -1, keep=point_id, done="Moved the point up.")

    def action_move_down(self) -> None:
        # The highlight follows the moved point, so the next key acts on it again.
        if (point_id := self._highlighted_saved()) is not None and not self.no_editor():
            self._do(self.editor.reorder, point_id, 1, keep=point_id, done="Moved the point down.")

    def action_indent(self) -> None:
        if (point_id := self._highlighted_saved()) is not None and not self.no_editor():
            self._do(self.editor.indent, point_id, keep=point_id, done="Made it a sub-point.")

    def action_outdent(self) -> None:
        if (point_id := self._highlighted_saved()) is not None and not self.no_editor():
            self._do(
                self.editor.outdent, point_id, keep=point_id, done="Made it a top-level point."
            )

    def action_private(self) -> None:
        point = self.point_list.highlighted
        if point is not None and self._highlighted_saved() is not None and not self.no_editor():
            done = "Marked not private." if point.private else "Marked private."
            self._do(
                self.editor.set_private, [point.id], not point.private, keep=point.id, done=done
            )

    def action_move(self) -> None:
        if (point_id := self._highlighted_saved()) is None or self.no_editor():
            return
        places = self.place_tree.places()

        def chosen(place: tuple[int, int | None] | None) -> None:
            if place is None or self.editor is None:
                return
            name = self.place_tree.place_name(*place)
            self._do(
                self.editor.move,
                [point_id],
                group_id=place[0],
                topic_id=place[1],
                done=f"Moved 1 point to {name}.",
            )
            self.place_tree.refresh_counts(self.app.context.store.reader)

        self.app.push_screen(PlacePickerScreen("Move the point to…", places), chosen)

    def action_undo(self) -> None:
        """ctrl+z: with text in the capture line, take back typing; otherwise undo the last
        saved change, wherever it was (the message says where)."""
        line = self.capture_line
        if line.has_focus and line.value and line.undo_typing():
            self.show_message("Undid typing.")
            return
        if self.no_editor():
            return
        waiting = self.queue.waiting if self.queue is not None else 0
        if waiting:  # the newest points are not on the undo stack until they are saved
            self.show_message(
                f"{waiting} typed point{'s are' if waiting != 1 else ' is'} still being saved; "
                "undo once saved (the list shows “saving…” until then).",
                error=True,
            )
            return
        change = self._guard(self.editor.undo)
        if change is None:
            self.show_message("Nothing to undo.")
        else:
            self._show_change(change, f"Undid: {change.label}{self._where(change)}.", undo=True)

    def action_redo(self) -> None:
        if self.no_editor():
            return
        change = self._guard(self.editor.redo)
        if change is None:
            self.show_message("Nothing to redo.")
        else:
            self._show_change(change, f"Redid: {change.label}{self._where(change)}.")

    def _where(self, change: Change) -> str:
        states = change.before or change.after
        if not states:
            return ""
        places = {(st.group_id, st.topic_id) for st in states}
        if len(places) > 1:
            return " in several groups"
        return " in " + self.place_tree.place_name(*places.pop())

    def _guard(self, operation: Any) -> Any:
        try:
            return operation()
        except SendtuiError as exc:
            self.show_message(exc.message, error=True)
            return None

    def _show_change(
        self, change: Change, message: str, *, undo: bool = False, keep: int | None = None
    ) -> None:
        """Patch the list with the changed rows (those now elsewhere drop out of it)."""
        store = self.app.context.store
        if not change.point_ids:  # a group or topic change: redraw the places and points
            self.place_tree.load(store.reader)
            if not self.place_tree.has_place(self.group_id, self.topic_id):
                self.set_place(*self.place_tree.first_place(), remember=True)
            else:
                self.set_place(self.group_id, self.topic_id, remember=False)
            self.show_message(message)
            return
        rows = reads.points_by_id(store.reader, change.point_ids)
        in_place = {
            pid: row if row is not None and self._in_scope(row) else None
            for pid, row in rows.items()
        }
        points = self.point_list
        points.apply(in_place, keep=keep if keep is not None else change.point_ids[0])
        self.place_tree.refresh_counts(store.reader)
        self.show_message(message)

    def _in_scope(self, row: reads.PointRow) -> bool:
        if self.group_id is None:
            return True
        return row.group_id == self.group_id and row.topic_id == self.topic_id


def past_tense(label: str) -> str:
    """ "delete 2 points" → "Deleted 2 points": messages say what was done."""
    verbs = {"delete": "Deleted", "move": "Moved", "edit": "Edited", "indent": "Indented",
             "outdent": "Outdented", "mark": "Marked", "tag": "Tagged", "untag": "Untagged",
             "change": "Changed", "add": "Added", "rename": "Renamed"}  # fmt: skip
    verb, _, rest = label.partition(" ")
    return f"{verbs.get(verb, verb.capitalize())} {rest}".strip()


def _kind(value: str):
    from sendtui.models.kinds import Kind

    try:
        return Kind(value)
    except ValueError:
        return Kind.POINT
