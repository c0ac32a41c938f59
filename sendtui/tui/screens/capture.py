"""The note-taker's screen: pick a group and topic, type points, press Enter.

A point is committed to the store before it appears in the list. The capture line is saved
on every keystroke, so a crash or a closed terminal never loses what was being typed.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from sendtui.errors import SendtuiError
from sendtui.services.state import LAST, capture_key
from sendtui.store import reads
from sendtui.tui.screens.capture_ops import CaptureOps
from sendtui.tui.text import kind_label, tags_text
from sendtui.tui.widgets.place_tree import PlaceTree
from sendtui.tui.widgets.point_list import PointList

PLACEHOLDER = "Type a point, Enter saves · ? question + positive - negative ! concern > solution"
LIST_ONLY = {"edit", "delete", "move", "move_up", "move_down", "indent", "outdent", "private"}


class CaptureScreen(CaptureOps, Screen[None]):
    """Capture points for one event."""

    BINDINGS = [
        Binding("ctrl+z", "undo", "Undo", id="capture.undo"),
        Binding("ctrl+y", "redo", "Redo", id="capture.redo"),
        Binding("ctrl+g", "new_group", "New group", id="capture.new_group"),
        Binding("ctrl+t", "new_topic", "New topic", id="capture.new_topic"),
        Binding("ctrl+l", "places", "Groups", id="capture.places"),
        Binding("ctrl+f", "filter", "Filter", id="capture.filter"),
        Binding("escape", "back", "Back", id="capture.back"),
        Binding("up", "to_list", "Points", show=False, id="capture.to_list"),
        Binding("enter", "edit", "Edit", id="capture.edit"),
        Binding("delete,ctrl+d", "delete", "Delete", id="capture.delete"),
        Binding("f6", "move", "Move", id="capture.move"),
        Binding("alt+up,ctrl+up", "move_up", "Move up", show=False, id="capture.move_up"),
        Binding("alt+down,ctrl+down", "move_down", "Move down", show=False, id="capture.move_down"),
        Binding("alt+right,ctrl+right", "indent", "Sub-point", show=False, id="capture.indent"),
        Binding("alt+left,ctrl+left", "outdent", "Un-nest", show=False, id="capture.outdent"),
        Binding("f7", "private", "Private", show=False, id="capture.private"),
    ]

    def __init__(self, event_id: int) -> None:
        super().__init__()
        self.event_id = event_id
        self.group_id: int | None = None
        self.topic_id: int | None = None
        self.heading = ""
        self.editing: int | None = None  # id of the point whose text is in the input
        self.editor = None
        self.syntax = None

    def compose(self) -> ComposeResult:
        # Kept as attributes: saving a point touches five of them, and a query per widget
        # per Enter costs more than the save itself.
        self.place_tree = PlaceTree(self.event_id, id="places")
        self.context_line = Static("", id="context")
        self.filter_box = Input(
            placeholder="Filter points as you type", id="filter", select_on_focus=False
        )
        self.point_list = PointList(id="points")
        self.preview = Static("", id="preview")
        self.message_line = Static("", id="message")
        self.capture_line = Input(placeholder=PLACEHOLDER, id="capture", select_on_focus=False)
        yield Header()
        with Horizontal(id="capture-body"):
            yield self.place_tree
            with Vertical(id="capture-main"):
                yield self.context_line
                yield self.filter_box
                yield self.point_list
                yield self.preview
                yield self.message_line
                yield self.capture_line
        yield Footer()

    # -- start -----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.filter_box.display = False
        self.capture_line.focus()
        self._start()

    @work(group="capture-ready")
    async def _start(self) -> None:
        ctx = self.app.context  # type: ignore[attr-defined]
        await ctx.ready.wait()
        from sendtui.services.events import EventService
        from sendtui.services.points import PointEditor

        try:
            events = EventService(ctx.store)
            event = events.get(self.event_id)
            self.syntax = events.syntax_for(self.event_id, ctx.config.capture.kind_marks.as_dict())
            self.editor = PointEditor(
                ctx.store, self.event_id, note_taker=ctx.config.capture.note_taker
            )
        except SendtuiError as exc:
            self.app.say(exc.message, severity="error")  # type: ignore[attr-defined]
            self.dismiss()
            return
        self.sub_title = event.title
        saved = ctx.state.get(capture_key(self.event_id))
        tree = self.place_tree
        tree.load(ctx.store.reader)
        group_id, topic_id = saved.get("group_id"), saved.get("topic_id")
        if not tree.has_place(group_id, topic_id):
            group_id, topic_id = tree.first_place()
        self.heading = str(saved.get("heading", "")) if group_id == saved.get("group_id") else ""
        self.set_place(group_id, topic_id, remember=False)
        capture = self.capture_line
        if draft := saved.get("draft"):
            capture.value = str(draft)
            capture.cursor_position = len(capture.value)
            self.show_message("Restored the text you were typing.")
        ctx.state.put(LAST, {"event_id": self.event_id, "screen": "capture"})
        if group_id is None:
            self.show_message("Add a discussion group first: ctrl+g (then ctrl+t for a topic).")

    # -- where points go -----------------------------------------------------------------

    def set_place(
        self, group_id: int | None, topic_id: int | None, *, remember: bool = True
    ) -> None:
        """Choose the group and topic that new points go to, and show their points."""
        if group_id != self.group_id:
            self.heading = "" if remember else self.heading
        self.group_id, self.topic_id = group_id, topic_id
        self.place_tree.select_place(group_id, topic_id)
        self.reload_points()
        self.update_context()
        if remember:
            self.remember()

    def reload_points(self) -> None:
        store = self.app.context.store  # type: ignore[attr-defined]
        points = self.point_list
        if store is None:
            return
        if self.group_id is None:
            rows = reads.points(store.reader, self.event_id)
        else:
            rows = reads.points(
                store.reader, self.event_id, group_id=self.group_id, topic_id=self.topic_id
            )
            if self.topic_id is None:
                rows = [r for r in rows if r.topic_id is None]
        points.load(rows)

    def update_context(self) -> None:
        tree = self.place_tree
        text = Text()
        if self.group_id is None:
            text.append("Whole event: pick a group to add points (ctrl+l)", style="italic")
        else:
            text.append(Text(tree.group_name(self.group_id), style="bold"))
            if self.topic_id is not None:
                text.append(" › ")
                text.append(Text(tree.topic_title(self.topic_id)))
        if self.heading:
            text.append("  ## ")
            text.append(Text(self.heading))
        if self.editing is not None:
            text.append("   editing a point: Enter saves, Esc cancels", style="reverse")
        self.context_line.update(text)

    def remember(self, **extra: object) -> None:
        state = self.app.context.state  # type: ignore[attr-defined]
        state.update(
            capture_key(self.event_id),
            group_id=self.group_id,
            topic_id=self.topic_id,
            heading=self.heading,
            **extra,
        )

    def on_place_tree_place_chosen(self, message: PlaceTree.PlaceChosen) -> None:
        self.set_place(message.group_id, message.topic_id)
        self.capture_line.focus()

    # -- typing ----------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "capture" and self.editing is None:
            self.remember(draft=event.value)
        elif event.input.id == "filter":
            self.point_list.set_filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "filter":
            self.point_list.focus()
        elif event.input.id == "capture":
            self.submit(event.value)

    def show_message(self, message: str, *, error: bool = False) -> None:
        widget = self.message_line
        widget.update(Text(message))
        widget.set_class(error, "error")

    def on_point_list_highlighted(self, message: PointList.Highlighted) -> None:
        preview = self.preview
        point = message.point
        if point is None:
            preview.update("")
            return
        text = Text()
        if point.kind != "point":
            text.append(kind_label(point.kind) + ": ", style="bold")
        text.append(Text(point.text))
        tags = tags_text(point.chapters, point.markers, point.section_ref)
        if tags:
            text.append("  ")
            tags.stylize("dim")
            text.append(tags)
        preview.update(text)

    # -- focus and keys ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        focused = self.focused
        if action in LIST_ONLY:
            return isinstance(focused, PointList)
        if action == "to_list":
            return isinstance(focused, Input) and focused.id == "capture"
        return True

    def action_to_list(self) -> None:
        points = self.point_list
        points.focus()
        if points.highlighted is None:
            points.jump_to_end()

    def on_key(self, event: events.Key) -> None:
        """Typing while the list has focus goes to the capture line: list commands are all
        non-printing keys, so a note-taker who forgets where focus is loses nothing."""
        if isinstance(self.focused, PointList) and event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            capture = self.capture_line
            capture.focus()
            capture.insert_text_at_cursor(event.character)

    def action_places(self) -> None:
        self.place_tree.focus()

    def action_filter(self) -> None:
        box = self.filter_box
        box.display = True
        box.focus()

    def action_back(self) -> None:
        """Esc: cancel an edit, close the filter, return to the input, or leave."""
        capture = self.capture_line
        box = self.filter_box
        if self.editing is not None:
            self.cancel_edit()
        elif box.display and (box.has_focus or box.value):
            box.value = ""
            box.display = False
            self.point_list.set_filter("")
            capture.focus()
        elif not capture.has_focus:
            capture.focus()
        else:
            self.app.context.state.put(  # type: ignore[attr-defined]
                LAST, {"event_id": self.event_id, "screen": "events"}
            )
            self.dismiss()
