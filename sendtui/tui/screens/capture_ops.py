"""What the capture screen does with points: save, edit, delete, move, reorder, undo.

A mixin, so the screen module keeps to layout and focus. Every change goes through the
headless PointEditor; the list is then patched with the affected rows only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Input

from sendtui.errors import InputError, SendtuiError
from sendtui.services.state import capture_key
from sendtui.services.syntax import HeadingChange, ParsedPoint
from sendtui.store import reads
from sendtui.tui.screens.form import Field, FormScreen
from sendtui.tui.screens.place_picker import PlacePickerScreen
from sendtui.tui.widgets.place_tree import PlaceTree
from sendtui.tui.widgets.point_list import PointList

if TYPE_CHECKING:
    from sendtui.services.points import Change, PointEditor
    from sendtui.services.syntax import CaptureSyntax


class CaptureOps:
    """Point operations for CaptureScreen (which provides the attributes used here)."""

    event_id: int
    group_id: int | None
    topic_id: int | None
    heading: str
    editing: int | None
    editor: PointEditor | None
    syntax: CaptureSyntax | None
    app: Any

    if TYPE_CHECKING:  # provided by CaptureScreen / Screen
        place_tree: PlaceTree
        point_list: PointList
        capture_line: Input

        def show_message(self, message: str, *, error: bool = False) -> None: ...
        def update_context(self) -> None: ...
        def remember(self, **extra: object) -> None: ...
        def set_place(
            self, group_id: int | None, topic_id: int | None, *, remember: bool = True
        ) -> None: ...
        def reload_points(self) -> None: ...

    # -- saving ----------------------------------------------------------------------------

    def submit(self, value: str) -> None:
        """Enter in the capture line: save a point, set a heading, or save an edit."""
        if self.editor is None or self.syntax is None:
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
                self._save_edit(parsed)
            else:
                self._save_new(parsed)
        except SendtuiError as exc:
            self.show_message(exc.message, error=True)  # the typed text stays in the input
            return
        # After an edit, the line gets back what was being typed before it; otherwise it is
        # cleared. Either way Input.Changed saves the draft.
        draft = ""
        if was_editing:
            draft = str(self.app.context.state.get(capture_key(self.event_id)).get("draft", ""))
        self.capture_line.value = draft

    def _set_heading(self, heading: str) -> None:
        self.heading = heading
        self.remember()
        self.update_context()
        self.show_message(f"Heading: {heading}" if heading else "Heading cleared.")

    def _save_new(self, parsed: ParsedPoint) -> None:
        from sendtui.services.points import last_root

        if self.group_id is None:
            raise InputError("Pick a group first (ctrl+l), or add one with ctrl+g.")
        assert self.editor is not None
        store = self.app.context.store
        parent = None
        if parsed.nested:
            parent = last_root(store, self.event_id, self.group_id, self.topic_id)
            if parent is None:
                raise InputError("There is no point above to make this a sub-point of.")
        point_id = self.editor.add(
            parsed,
            group_id=self.group_id,
            topic_id=self.topic_id,
            heading=self.heading,
            parent_id=parent,
        )
        row = reads.points_by_id(store.reader, [point_id])[point_id]
        if row is not None:
            self.point_list.append(row)
        self.place_tree.bump(self.group_id, self.topic_id, 1)
        self.show_message(f"Saved ({parsed.kind.label.lower()}).")

    def _save_edit(self, parsed: ParsedPoint) -> None:
        assert self.editor is not None and self.editing is not None
        change = self.editor.edit(self.editing, parsed)
        self.editing = None
        self._show_change(change, "Saved the edit.")
        self.update_context()
        self.point_list.focus()

    def cancel_edit(self) -> None:
        self.editing = None
        capture = self.capture_line
        state = self.app.context.state.get(capture_key(self.event_id))
        capture.value = str(state.get("draft", ""))
        self.update_context()
        self.show_message("Edit cancelled.")
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
        capture.focus()
        self.update_context()

    def _do(
        self, operation: Any, *args: Any, done: str = "", suffix: str = ".", **kwargs: Any
    ) -> None:
        if self.editor is None:
            return
        try:
            change = operation(*args, **kwargs)
        except SendtuiError as exc:
            self.show_message(exc.message, error=True)
            return
        if change is None:
            self.show_message("Nothing to do there.")
            return
        self._show_change(change, done or change.label.capitalize() + suffix)

    def action_delete(self) -> None:
        if (point_id := self._highlighted()) is not None and self.editor:
            self._do(self.editor.delete, [point_id])
            self.show_message(self.editor.undo_stack[-1].label.capitalize() + ": ctrl+z to undo.")

    def action_move_up(self) -> None:
        if (point_id := self._highlighted()) is not None and self.editor:
            self._do(self.editor.reorder, point_id, -1)

    def action_move_down(self) -> None:
        if (point_id := self._highlighted()) is not None and self.editor:
            self._do(self.editor.reorder, point_id, 1)

    def action_indent(self) -> None:
        if (point_id := self._highlighted()) is not None and self.editor:
            self._do(self.editor.indent, point_id, done="Now a sub-point.")

    def action_outdent(self) -> None:
        if (point_id := self._highlighted()) is not None and self.editor:
            self._do(self.editor.outdent, point_id, done="No longer a sub-point.")

    def action_private(self) -> None:
        point = self.point_list.highlighted
        if point is not None and self.editor:
            self._do(self.editor.set_private, [point.id], not point.private)

    def action_move(self) -> None:
        if (point_id := self._highlighted()) is None or self.editor is None:
            return
        places = self.place_tree.places()

        def chosen(place: tuple[int, int | None] | None) -> None:
            if place is None or self.editor is None:
                return
            self._do(self.editor.move, [point_id], group_id=place[0], topic_id=place[1])
            self.place_tree.refresh_counts(self.app.context.store.reader)

        self.app.push_screen(PlacePickerScreen("Move the point to…", places), chosen)

    def action_undo(self) -> None:
        if self.editor is None:
            return
        change = self._guard(self.editor.undo)
        if change is None:
            self.show_message("Nothing to undo.")
        else:
            self._show_change(change, f"Undid: {change.label}.", undo=True)

    def action_redo(self) -> None:
        if self.editor is None:
            return
        change = self._guard(self.editor.redo)
        if change is None:
            self.show_message("Nothing to redo.")
        else:
            self._show_change(change, f"Redid: {change.label}.")

    def _guard(self, operation: Any) -> Any:
        try:
            return operation()
        except SendtuiError as exc:
            self.show_message(exc.message, error=True)
            return None

    def _show_change(self, change: Change, message: str, *, undo: bool = False) -> None:
        """Patch the list with the changed rows (those now elsewhere drop out of it)."""
        store = self.app.context.store
        rows = reads.points_by_id(store.reader, change.point_ids)
        in_place = {
            pid: row if row is not None and self._in_scope(row) else None
            for pid, row in rows.items()
        }
        points = self.point_list
        points.apply(in_place, keep=change.point_ids[0] if undo or len(change.point_ids) else None)
        self.place_tree.refresh_counts(store.reader)
        self.show_message(message)

    def _in_scope(self, row: reads.PointRow) -> bool:
        if self.group_id is None:
            return True
        return row.group_id == self.group_id and row.topic_id == self.topic_id

    # -- groups and topics ---------------------------------------------------------------

    def action_new_group(self) -> None:
        if self.app.context.store is None:
            return
        fields = [
            Field("name", "Group name", "", "e.g. Green Group"),
            Field("facilitator", "Facilitator (optional)"),
            Field("note_taker", "Note-taker (optional)"),
        ]

        def check(values: dict[str, str]) -> None:
            from sendtui.services.events import clean_name

            clean_name(values["name"], "group name")

        def made(values: dict[str, str] | None) -> None:
            if values is None:
                return
            from sendtui.services.events import EventService

            try:
                group = EventService(self.app.context.store).add_group(
                    self.event_id,
                    values["name"],
                    facilitator=values["facilitator"],
                    note_taker=values["note_taker"],
                )
            except SendtuiError as exc:
                self.show_message(exc.message, error=True)
                return
            self.place_tree.load(self.app.context.store.reader)
            self.set_place(group.id, None)
            self.show_message("Group ready. Add a topic with ctrl+t, or type points.")
            self.capture_line.focus()

        self.app.push_screen(
            FormScreen("Add a discussion group", fields, check=check, save_label="Add"), made
        )

    def action_new_topic(self) -> None:
        if self.app.context.store is None:
            return
        if self.group_id is None:
            self.show_message("Pick or add a group first (ctrl+l / ctrl+g).", error=True)
            return
        group_id = self.group_id
        tree = self.place_tree
        fields = [
            Field(
                "title",
                f"Topic in {tree.group_name(group_id)}",
                "",
                "e.g. Q. Parental support and engagement, or Exercise 1",
            )
        ]

        def check(values: dict[str, str]) -> None:
            from sendtui.services.events import clean_name

            clean_name(values["title"], "topic")

        def made(values: dict[str, str] | None) -> None:
            if values is None:
                return
            from sendtui.services.events import EventService

            try:
                topic = EventService(self.app.context.store).add_topic(group_id, values["title"])
            except SendtuiError as exc:
                self.show_message(exc.message, error=True)
                return
            tree.load(self.app.context.store.reader)
            self.set_place(group_id, topic.id)
            self.capture_line.focus()

        self.app.push_screen(FormScreen("Add a topic", fields, check=check, save_label="Add"), made)


def _kind(value: str):
    from sendtui.models.kinds import Kind

    try:
        return Kind(value)
    except ValueError:
        return Kind.POINT
