"""The note-taker's screen: pick a group and topic, type points, press Enter.

Typing never waits on the store: a point is committed at once when the store is free, or
kept in a durable outbox and shown as "saving…" until it is (capture_save.py). The capture
line, and the half-edited text of an existing point, is remembered on every keystroke by a
background writer, so a crash or a closed terminal never loses what was being typed.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Static, Tree

from sendtui.errors import SendtuiError
from sendtui.services.capture import capture_setup
from sendtui.services.state import LAST, StateStore, capture_key
from sendtui.store import reads
from sendtui.tui.screens.capture_gc import QuietCollector
from sendtui.tui.screens.capture_ops import CaptureOps
from sendtui.tui.screens.capture_places import CapturePlaces
from sendtui.tui.screens.capture_save import CaptureSaving
from sendtui.tui.text import kind_label, tags_text
from sendtui.tui.widgets.capture_line import CaptureLine
from sendtui.tui.widgets.key_bar import KeyBar
from sendtui.tui.widgets.place_tree import PlaceTree
from sendtui.tui.widgets.point_list import PointList
from sendtui.tui.widgets.status_line import StatusLine

PLACEHOLDER = "Type a point, Enter saves · ? question + positive - negative ! concern > solution"
LIST_ONLY = {"edit", "delete", "move", "move_up", "move_down", "indent", "outdent", "private"}
TREE_ONLY = {"rename_place", "delete_place"}
EDITING = "Editing a point: Enter saves · Esc cancels"


class CaptureScreen(CaptureOps, CaptureSaving, CapturePlaces, Screen[None]):
    """Capture points for one event."""

    # Esc and F1 (the app's) come first in the footer so they stay visible at 80 columns;
    # every key is listed in F1.
    BINDINGS = [
        Binding("escape", "back", "Back", id="capture.back"),
        Binding("f1", "app.help", "Help", id="capture.help"),
        Binding("ctrl+z", "undo", "Undo", id="capture.undo"),
        Binding("ctrl+y", "redo", "Redo", show=False, id="capture.redo"),
        Binding("ctrl+g", "new_group", "Group+", id="capture.new_group"),
        Binding("ctrl+t", "new_topic", "Topic+", id="capture.new_topic"),
        Binding("ctrl+l", "places", "Groups", id="capture.places"),
        Binding("ctrl+f", "filter", "Filter", id="capture.filter"),
        Binding("alt+pagedown,f8", "next_group", "Next group", show=False, id="capture.next_group"),
        Binding(
            "alt+pageup,shift+f8",
            "previous_group",
            "Previous group",
            show=False,
            id="capture.previous_group",
        ),
        Binding(
            "ctrl+pagedown,f9", "next_place", "Next topic", show=False, id="capture.next_topic"
        ),
        Binding(
            "ctrl+pageup,shift+f9",
            "previous_place",
            "Previous topic",
            show=False,
            id="capture.previous_topic",
        ),
        Binding("f2", "rename_place", "Rename", id="capture.rename_place"),
        Binding("delete", "delete_place", "Delete", id="capture.delete_place"),
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
        self.drafts = None
        self.draft = ""  # what was being typed before an edit took over the line
        self.sticky_message = False  # a message that typing must not clear ("3 waiting")
        self.message_shown = ""
        self.collector = QuietCollector()
        self._typed_at_message = ""

    def compose(self) -> ComposeResult:
        # Kept as attributes: saving a point touches five of them, and a query per widget
        # per Enter costs more than the save itself.
        self.place_tree = PlaceTree(self.event_id, id="places")
        self.context_line = Static("", id="context")
        self.filter_box = Input(
            placeholder="Filter points as you type", id="filter", select_on_focus=False
        )
        self.point_list = PointList(id="points")
        self.preview = StatusLine(max_rows=3, id="preview")
        self.message_line = StatusLine(max_rows=3, min_rows=1, id="message")
        self.capture_line = CaptureLine(
            placeholder=PLACEHOLDER, id="capture", select_on_focus=False
        )
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
        yield KeyBar()

    # -- start -----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.filter_box.display = False
        self.capture_line.focus()
        self._start()

    def on_unmount(self) -> None:
        self.collector.stop()
        self.close_saving()
        if self.drafts is not None:
            self.drafts.stop()

    @work(group="capture-ready")
    async def _start(self) -> None:
        ctx = self.app.context  # type: ignore[attr-defined]
        await ctx.ready.wait()
        from sendtui.services.drafts import DraftWriter

        # The plain driver only: the ORM (a second or so to import) is loaded for the point
        # editor in a thread once the screen is up (warm_editor), not on the way to it.
        try:
            setup = capture_setup(
                ctx.store.reader, self.event_id, ctx.config.capture.kind_marks.as_dict()
            )
            self.syntax = setup.syntax
            self.open_saving()
        except SendtuiError as exc:
            self.app.say(exc.message, severity="error")  # type: ignore[attr-defined]
            self.dismiss()
            return
        path = ctx.db_path
        self.drafts = DraftWriter(lambda: StateStore(path))
        self.sub_title = setup.title
        saved = ctx.state.get(capture_key(self.event_id))
        tree = self.place_tree
        tree.load(ctx.store.reader)
        group_id, topic_id = saved.get("group_id"), saved.get("topic_id")
        if not tree.has_place(group_id, topic_id):
            group_id, topic_id = tree.first_place()
        self.heading = str(saved.get("heading", "")) if group_id == saved.get("group_id") else ""
        self.set_place(group_id, topic_id, remember=False)
        self.draft = str(saved.get("draft") or "")
        self._restore(saved)
        self.drafts.update(LAST, event_id=self.event_id, screen="capture")
        if group_id is None:
            self.show_message("Add a discussion group first: ctrl+g (then ctrl+t for a topic).")
        self.watch_store()
        # Loaded: from now on the collector's long passes wait for a pause in the typing.
        self.collector.start()
        self.set_interval(0.5, self.collector.tick)
        self.warm_editor()  # a thread: the ORM loads beside the UI, not in its way

    def _restore(self, saved: dict[str, object]) -> None:
        """Put back the half-typed line, or the half-edited text of a point, after a crash."""
        capture = self.capture_line
        edit = saved.get("editing")
        if isinstance(edit, dict) and isinstance(edit.get("id"), int):
            point_id = edit["id"]
            row = reads.points_by_id(self.app.context.store.reader, [point_id])[point_id]
            if row is not None:
                self.point_list.select_point(point_id)
                self.editing = point_id
                capture.value = str(edit.get("text", ""))
                self.update_context()
                self.show_message("Restored the edit you were making: Enter saves, Esc cancels.")
                return
        if self.draft:
            capture.value = self.draft
            self.show_message("Restored the text you were typing.")
        capture.cursor_position = len(capture.value)

    # -- where points go -----------------------------------------------------------------

    def set_place(
        self, group_id: int | None, topic_id: int | None, *, remember: bool = True
    ) -> None:
        """Choose the group and topic that new points go to, and show their points."""
        if group_id != self.group_id:
            self.heading = "" if remember else self.heading
        moved = (group_id, topic_id) != (self.group_id, self.topic_id)
        self.group_id, self.topic_id = group_id, topic_id
        if moved and not self.sticky_message and self.message_shown:
            self.show_message("")  # a message about the last place no longer applies
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
                store.reader,
                self.event_id,
                group_id=self.group_id,
                topic_id=self.topic_id,
                no_topic=self.topic_id is None,  # a group's own place: not its topics' points
            )
        waiting = self.waiting_rows()
        names = None
        if self.group_id is None:
            tree = self.place_tree
            names = {row.group_id: tree.group_name(row.group_id) for row in rows}
        points.load([*rows, *waiting], pending=[r.id for r in waiting], group_names=names)
        self.show_filter_count()

    def update_context(self) -> None:
        tree = self.place_tree
        text = Text()
        if self.group_id is None:
            text.append("Whole event (each point shows its group): pick one to add points (ctrl+l)")
        else:
            text.append(Text(tree.group_name(self.group_id), style="bold"))
            if self.topic_id is not None:
                text.append(" › ")
                text.append(Text(tree.topic_title(self.topic_id)))
        if self.heading:
            text.append("  ## ")
            text.append(Text(self.heading))
        self.context_line.update(text)
        # The editing state is in the capture line's own border, so it is never cut off.
        self.capture_line.border_title = EDITING if self.editing is not None else ""
        self.capture_line.set_class(self.editing is not None, "editing")

    def remember(self, **extra: object) -> None:
        """Remember the place and heading (and `extra`), off the UI thread."""
        values = {
            "group_id": self.group_id,
            "topic_id": self.topic_id,
            "heading": self.heading,
            **extra,
        }
        if self.drafts is not None:
            self.drafts.update(capture_key(self.event_id), **values)
        else:
            self.app.context.state.update(capture_key(self.event_id), **values)  # type: ignore[attr-defined]

    def on_place_tree_place_chosen(self, message: PlaceTree.PlaceChosen) -> None:
        self.set_place(message.group_id, message.topic_id)
        self.capture_line.focus()

    # -- typing ----------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        self.collector.touch()
        if event.input.id == "capture":
            if (
                self.message_shown
                and not self.sticky_message
                and event.value
                and event.value != self._typed_at_message
            ):
                self.show_message("")  # typing on: an old message no longer applies
            if self.editing is None:
                self.draft = event.value
                self.remember(draft=event.value, editing=None)
            else:
                self.remember(editing={"id": self.editing, "text": event.value})
        elif event.input.id == "filter":
            self.point_list.set_filter(event.value)
            self.show_filter_count()

    def show_filter_count(self) -> None:
        box = self.filter_box
        points = self.point_list
        if not points.filtering:
            box.border_subtitle = ""
        elif points.matching:
            box.border_subtitle = f"{points.matching} of {len(points.rows)} points"
        else:
            box.border_subtitle = f"no points match (of {len(points.rows)})"

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.collector.touch()
        if event.input.id == "filter":
            self.point_list.focus()
        elif event.input.id == "capture":
            with self.app.batch_update():  # the saved point, message and cleared line: one frame
                self.submit(event.value)
                self.show_preview(self.point_list.highlighted)

    def show_message(self, message: str, *, error: bool = False) -> None:
        widget = self.message_line
        widget.show(Text(message))
        widget.set_class(error, "error")
        self.sticky_message = False
        self.message_shown = message
        self._typed_at_message = self.capture_line.value

    def on_point_list_highlighted(self, message: PointList.Highlighted) -> None:
        self.show_preview(message.point)

    def show_preview(self, point: reads.PointRow | None) -> None:
        """The highlighted point's full text below the list."""
        preview = self.preview
        if point is None:
            preview.show("")
            return
        text = Text()
        if self.group_id is None:
            text.append(Text(self.place_tree.place_name(point.group_id, point.topic_id)))
            text.append(": ", style="dim")
        if point.kind != "point":
            text.append(kind_label(point.kind) + ": ", style="bold")
        text.append(Text(point.text))
        tags = tags_text(point.chapters, point.markers, point.section_ref)
        if tags:
            text.append("  ")
            tags.stylize("dim")
            text.append(tags)
        if point.id in self.point_list.pending:
            text.append("  saving…", style="italic")
        preview.show(text)

    # -- focus and keys ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        focused = self.focused
        if action in LIST_ONLY:
            return isinstance(focused, PointList)
        if action in TREE_ONLY:
            return isinstance(focused, Tree)
        if action == "to_list":
            return isinstance(focused, Input) and focused.id == "capture"
        return True

    def action_to_list(self) -> None:
        points = self.point_list
        points.focus()
        if points.highlighted is None:
            points.jump_to_end()

    def on_key(self, event: events.Key) -> None:
        """Typing while the list or the groups tree has focus goes to the capture line: their
        commands are all non-printing keys, so a note-taker who forgets where focus is loses
        nothing."""
        self.collector.touch()
        if (
            isinstance(self.focused, PointList | PlaceTree)
            and event.is_printable
            and event.character
        ):
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
        box.cursor_position = len(box.value)

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
            self.show_filter_count()
            capture.focus()
        elif not capture.has_focus:
            capture.focus()
        else:
            if self.drafts is not None:
                self.drafts.update(LAST, event_id=self.event_id, screen="events")
            self.dismiss()
