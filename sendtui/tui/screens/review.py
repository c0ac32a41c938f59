"""The coordinator's review screen: every point of an event in a table, filtered as you type,
tagged to chapters with single keys, markers from a picker, kinds with the capture marks.

Rows load in a worker thread (100,000 points take a moment); every change goes through the
headless PointEditor and patches just the changed rows.
"""

from __future__ import annotations

import gc
import time

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, Static

from sendtui.services.point_index import Matcher, Selection
from sendtui.services.point_query import ReviewRow, parse_query
from sendtui.tui.screens.review_live import ReviewLive
from sendtui.tui.screens.review_ops import ReviewOps
from sendtui.tui.text import kind_label, tags_text
from sendtui.tui.widgets.key_bar import KeyBar
from sendtui.tui.widgets.point_table import PointTable

FILTER_HINT = "Filter: words  #7  @M3  ? + - ! >  group:red  topic:offer  untagged  private"
# What the filter's border says, so the screen always shows where keys go.
KEYS_TO_TABLE = "Keys act on the table · letters type here (/)"
KEYS_TO_FILTER = "Typing filters · Enter or ↓ back to the table"
TABLE_ONLY = {
    "chapter_key",
    "kind",
    "markers",
    "accept",
    "edit",
    "private",
    "rename",
    "sort",
    "mark_all",
    "untagged",
    "restore_other",
    "keep_ours",
}
# The u key toggles the "untagged" filter word; a letter straight after it means the user
# was typing a word that starts with u ("under"), so the u joins that word instead.
TYPED_AFTER_U = 1.0  # seconds


class ReviewScreen(ReviewLive, ReviewOps, Screen[None]):
    """Review and tag one event's points.

    Letters never run commands on the table (typing "parent" used to mark a point private,
    mark every point and open a dialog): a letter starts the filter. Commands are digits,
    the capture marks, space, and named keys."""

    BINDINGS = [
        # F1 first, so the footer shows it even at 80 columns (the rest are in F1's help).
        Binding("f1", "app.help", "Help", id="review.help"),
        Binding("ctrl+f,slash", "filter", "Filter", id="review.filter"),
        Binding("escape", "back", "Back", id="review.back"),
        Binding("down", "to_table", "Table", show=False, id="review.to_table"),
        Binding("ctrl+z", "undo", "Undo", show=False, id="review.undo"),
        Binding("ctrl+y", "redo", "Redo", show=False, id="review.redo"),
        *[
            Binding(
                str(d),
                f"chapter_key('{d}')",
                "Tag",
                show=d == 0,
                key_display="0-9",
                id=f"review.chapter_{d}",
            )
            for d in range(10)
        ],
        Binding("at", "markers", "Markers", id="review.markers"),
        Binding("question_mark", "kind('question')", "Kind", id="review.kind_question"),
        Binding("plus", "kind('positive')", "Positive", show=False, id="review.kind_positive"),
        Binding("minus", "kind('negative')", "Negative", show=False, id="review.kind_negative"),
        Binding(
            "exclamation_mark", "kind('concern')", "Concern", show=False, id="review.kind_concern"
        ),
        Binding(
            "greater_than_sign",
            "kind('solution')",
            "Solution",
            show=False,
            id="review.kind_solution",
        ),
        Binding("full_stop", "kind('point')", "Plain point", show=False, id="review.kind_point"),
        Binding("equals_sign", "accept", "Accept", id="review.accept"),
        Binding("u", "untagged", "Untagged", show=False, id="review.untagged"),
        Binding("ctrl+a", "mark_all", "Mark all shown", show=False, id="review.mark_all"),
        Binding("enter", "edit", "Edit", show=False, id="review.edit"),
        Binding("f7", "private", "Private", show=False, id="review.private"),
        Binding("f2", "rename", "Rename/merge", show=False, id="review.rename"),
        Binding("ctrl+o", "sort", "Sort", show=False, id="review.sort"),
        Binding("ctrl+r", "restore_other", "Restore other", show=False, id="review.restore"),
        Binding("ctrl+k", "keep_ours", "Keep this value", show=False, id="review.keep"),
    ]
    # Keys the table acts on: any other printable key typed there starts the filter.
    COMMAND_KEYS = frozenset(
        (*"0123456789", "question_mark", "plus", "minus", "exclamation_mark", "at", "u")
    ) | {"greater_than_sign", "full_stop", "equals_sign", "slash", "space"}

    def __init__(self, event_id: int) -> None:
        super().__init__()
        self.event_id = event_id
        self.matcher: Matcher | None = None
        self.query_text = ""
        self.selection = Selection([], 0, 0)  # what the filter shows, with its counts
        self._counts_text: Text | None = None  # what the counts line shows
        self.editor = None
        self.syntax = None
        self._digits = ""
        self._digit_timer: Timer | None = None
        self._untagged_added_at: float | None = None  # when u last added "untagged"
        self._detail_of: ReviewRow | None = None  # the row the detail pane shows
        self._typing = False  # a letter typed on the table started a word in the filter

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading points…", id="review-counts")
        yield Input(placeholder=FILTER_HINT, id="review-filter", select_on_focus=False)
        yield PointTable(id="review-table", command_keys=self.COMMAND_KEYS)
        yield Static("", id="review-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(PointTable).focus()
        self._show_key_target()
        self._load()

    @work(thread=True, exclusive=True, group="review-load")
    def _load(self) -> None:
        from sendtui.services.events import EventService
        from sendtui.services.point_query import changed_rows, review_rows
        from sendtui.services.points import PointEditor

        ctx = self.app.context  # type: ignore[attr-defined]
        store = ctx.store
        events = EventService(store)
        event = events.get(self.event_id)
        syntax = events.syntax_for(self.event_id, ctx.config.capture.kind_marks.as_dict())
        editor = PointEditor(store, self.event_id, note_taker=ctx.config.capture.note_taker)
        # A connection of this thread's own: the shared reader belongs to the UI thread.
        conn = store.new_reader()
        try:
            _, since = changed_rows(conn, self.event_id, None)  # read first: nothing missed
            rows = review_rows(conn, self.event_id)
            suggester = self.make_suggester(conn)
        finally:
            conn.close()
        if suggester is not None:
            rows = self.with_suggestions(rows, suggester)
        matcher = Matcher(rows)  # here: about a second at 100,000 points
        self.app.call_from_thread(
            self._loaded, event.title, matcher, editor, syntax, suggester, since
        )

    def _loaded(self, title: str, matcher: Matcher, editor, syntax, suggester, since=None) -> None:
        self.sub_title = f"Review — {title}"
        self.editor, self.syntax, self.suggester = editor, syntax, suggester
        table = self.query_one(PointTable)
        table.rows = matcher.rows
        self.matcher = matcher
        # 100,000 rows and their folded texts live as long as the screen: keep them out of
        # the collector's full scans, which otherwise pause a keystroke now and then.
        gc.freeze()
        self.apply_filter()
        if self._watcher is None:
            self.start_watching(since)
        else:
            self._since = since  # reloaded (after a rename): catch up from here

    # -- filtering -------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "review-filter":
            self.query_text = event.value
            self.apply_filter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.set_focus(self.query_one(PointTable))  # at once: the next key is a command

    def apply_filter(self) -> None:
        """Filter the table by the filter line (the matcher's index answers in a few
        milliseconds at 100,000 points, counts included)."""
        if self.matcher is None:
            return
        table = self.query_one(PointTable)
        query = parse_query(
            self.query_text,
            self.app.context.config.capture.kind_marks.as_dict(),  # type: ignore[attr-defined]
        )
        selection = self.matcher.select(query)
        self.selection = selection
        found = selection.rows
        table.set_view(
            table.sorted_view(found) if table.sort_key != "made" or table.descending else found
        )
        # The counts and the highlighted point's details now, not when the table's Moved
        # message arrives: the frame that shows the new rows shows them too (and no second
        # frame follows).
        self.on_point_table_moved()

    def update_counts(self) -> None:
        table = self.query_one(PointTable)
        rows, view = table.rows, table.view
        untagged_count, suggested = self.selection.untagged, self.selection.suggested
        text = Text()
        if view or not rows:
            text.append(f"Showing {len(view):,} of {len(rows):,}", style="bold")
        else:
            text.append(f"No points match (of {len(rows):,})", style="bold")
        text.append(f" · {untagged_count:,} untagged")
        if suggested:
            text.append(f" ({suggested:,} suggested: = accepts)")
        conflicted = self.matcher.flagged("conflicts") if self.matcher else 0
        if conflicted:
            text.append(f" · {conflicted:,} with conflicts", style="bold")
        if table.marked:
            _, hidden = table.marked_split()
            text.append(f" · {len(table.marked):,} marked", style="bold")
            if hidden:
                text.append(f" ({hidden:,} hidden by the filter)", style="bold")
        text.append(f" · sorted by {table.sort_key}{' ↓' if table.descending else ''}", style="dim")
        if text != self._counts_text:  # unchanged (the cursor moved): nothing to redraw
            self._counts_text = text
            # One line, always: no layout pass (which would redraw every widget).
            self.query_one("#review-counts", Static).update(text, layout=False)

    def on_point_table_moved(self) -> None:
        self.update_counts()
        row = self.query_one(PointTable).current
        if row is self._detail_of:
            return  # the same point (row objects are replaced when they change)
        self._detail_of = row
        detail = self.query_one("#review-detail", Static)
        if row is None:
            detail.update("")
            return
        text = Text()
        where = " › ".join(x for x in (row.group, row.topic, row.heading) if x)
        text.append(Text(where, style="dim"))
        if row.private:
            text.append("  private (left out of minutes and reports)", style="bold")
        text.append("\n")
        if row.kind != "point":
            text.append(kind_label(row.kind) + ": ", style="bold")
        text.append(Text(row.text))
        tags = tags_text(row.chapters, row.markers, row.section_ref)
        if tags:
            text.append("  ")
            tags.stylize("dim")
            text.append(tags)
        for conflict in self.current_conflicts():
            text.append("\nConflict: ", style="bold")
            text.append(Text(conflict.describe()))
            text.append("  (ctrl+r restores it, ctrl+k keeps this)", style="dim")
        if not row.chapters and row.suggestion:
            text.append(f"\nSuggested: #{row.suggestion} ", style="italic")
            text.append(Text(self.suggestion_reason(row), style="italic"))
            text.append("  (= to accept)", style="dim")
        detail.update(text)

    # -- keys ------------------------------------------------------------------------------

    def on_point_table_typed(self, message: PointTable.Typed) -> None:
        """A key the table has no command for (or pasted text) goes to the filter."""
        self._type_into_filter(message.text)

    def _type_into_filter(self, typed: str) -> None:
        box = self.query_one("#review-filter", Input)
        value = box.value
        if self._typing:  # the rest of a word whose first letter started the filter
            box.value = value + typed
            self.action_filter()
            return
        added = self._untagged_added_at
        if added is not None and time.monotonic() - added < TYPED_AFTER_U:
            # "u" then a letter: the user is typing a word, so u starts it.
            words = value.split()
            if words and words[-1] == "untagged":
                value, typed = " ".join(words[:-1]), "u" + typed
        self._untagged_added_at = None
        if value and not value.endswith(" "):
            value += " "  # a new word, narrowing what is shown
        box.value = value + typed
        self._typing = True
        self.action_filter()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, PointTable):
            self._typing = False  # back on the table: the next letter starts a new word
        self._show_key_target()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self._show_key_target()

    def _show_key_target(self) -> None:
        """The filter's border says where keys go: the table or the filter."""
        box = self.query_one("#review-filter", Input)
        box.border_title = KEYS_TO_FILTER if box.has_focus else KEYS_TO_TABLE
        self.set_class(box.has_focus, "-typing")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in TABLE_ONLY:
            return isinstance(self.focused, PointTable)
        if action == "to_table":
            return isinstance(self.focused, Input)
        return True

    def action_to_table(self) -> None:
        self.set_focus(self.query_one(PointTable))

    def action_filter(self) -> None:
        box = self.query_one("#review-filter", Input)
        # At once, not after this message (focus() waits): the very next key, typed fast,
        # must already go to the filter.
        self.set_focus(box)
        box.cursor_position = len(box.value)  # go on typing where the filter ends

    def on_unmount(self) -> None:
        self.stop_watching()
        gc.unfreeze()  # the rows go with the screen: let the collector see what is left

    def action_back(self) -> None:
        box = self.query_one("#review-filter", Input)
        if box.has_focus:
            self.set_focus(self.query_one(PointTable))
        elif self.query_one(PointTable).marked:
            self.query_one(PointTable).mark_all(False)
            self._say("Cleared the marks.")
        else:
            self.dismiss()

    def action_untagged(self) -> None:
        box = self.query_one("#review-filter", Input)
        words = box.value.split()
        if "untagged" in words:
            box.value = " ".join(w for w in words if w != "untagged")
            self._untagged_added_at = None
        else:
            box.value = " ".join([*words, "untagged"])
            self._untagged_added_at = time.monotonic()

    def action_mark_all(self) -> None:
        """Mark every point shown, or unmark them when they all are (marks on hidden
        points stay: Esc clears every mark)."""
        table = self.query_one(PointTable)
        shown = set(table.visible_ids())
        if shown and shown <= table.marked:
            table.set_marks(table.marked - shown)
        else:
            table.set_marks(table.marked | shown)

    def action_chapter_key(self, digit: str) -> None:
        """Digits tag or untag a chapter; a digit that starts a longer code (1 → 10, 11)
        waits a moment for the next one."""
        self._digits += digit
        codes = list(self.editor.chapter_ids) if self.editor else []
        longer = [c for c in codes if c.startswith(self._digits) and c != self._digits]
        if self._digit_timer is not None:
            self._digit_timer.stop()
        if longer:
            self._digit_timer = self.set_timer(0.7, self._commit_digits)
        else:
            self._commit_digits()

    def _commit_digits(self) -> None:
        code, self._digits = self._digits, ""
        if code:
            self.toggle_chapter(code)
