"""The first screen: the events in the store, newest first; create, open or import one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from sendtui.errors import SendtuiError
from sendtui.services.state import LAST
from sendtui.store import reads
from sendtui.tui.widgets.key_bar import KeyBar
from sendtui.tui.widgets.tables import cursor_id

if TYPE_CHECKING:
    from sendtui.tui.screens.form import Field


def today() -> dt.date:
    return dt.date.today()


class EventsScreen(Screen[None]):
    """Lists events: id, date, title, venue, scheme and number of points."""

    # F1, ctrl+q, x and c first, so the footer keeps them at 80 columns; every key is in F1's
    # help and the command palette.
    BINDINGS = [
        Binding("f1", "app.help", "Help", id="events.help"),
        Binding("ctrl+q", "app.quit", "Quit", id="events.quit"),
        Binding("x", "export", "Export", id="events.export"),
        Binding("c", "claims", "Claims", id="events.claims"),
        Binding("enter", "open", "Open", id="events.open", show=True),
        Binding("n", "new", "New", id="events.new"),
        Binding("v", "review", "Review", id="events.review"),
        Binding("t", "reports", "Tallies", id="events.reports"),
        Binding("a", "attendance", "Attendance", id="events.attendance"),
        Binding("e", "edit", "Details", id="events.edit"),
        Binding("i", "import_notes", "Import", id="events.import"),
        Binding("r", "refresh", "Refresh", id="events.refresh", show=False),
    ]
    POLL_SECONDS = 0.5  # live counts: how often to ask the store whether anything changed
    _left: int | None = None  # the event whose screen was opened from here: the cursor's
    _watcher = None  # the store's change watcher, once the store is open
    _queued: str | None = None  # an action asked for while the store was still opening

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="events-empty")
        yield DataTable(id="events", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # Short, fixed columns first, so a narrow terminal still shows every count.
        table.add_column("Id", key="id")
        table.add_column("Date", key="date")
        table.add_column("Points", key="points")
        table.add_column("Title", key="title")
        table.add_column("Scheme", key="scheme")
        table.add_column("Venue", key="venue")
        ctx = self.app.context  # type: ignore[attr-defined]
        conn = ctx.quick_reader()
        if conn is not None:
            try:
                self._fill(reads.event_summaries(conn), reads.ui_state(conn, LAST))
            finally:
                conn.close()
        else:
            self._show_empty("Opening the database…")
        self._when_ready()

    @work(group="events-ready")
    async def _when_ready(self) -> None:
        await self.app.context.ready.wait()  # type: ignore[attr-defined]
        self.action_refresh()
        store = self.app.context.store  # type: ignore[attr-defined]
        if store is not None and self._watcher is None:
            self._watcher = store.watcher()
            self.set_interval(self.POLL_SECONDS, self._poll)
        queued, self._queued = self._queued, None
        if store is not None and queued is not None and self.is_current:
            await self.run_action(queued)

    def _poll(self) -> None:
        """Live counts: points saved by another note-taker or a CLI import show within a
        second (the counts are re-read off the UI thread)."""
        # `is_current` is also true under a screen on top: only reload when this one shows,
        # or every point saved on the capture screen would recount the store here.
        if self._watcher is not None and self.app.screen is self and self._watcher.changed():
            self._reload()

    @work(thread=True, exclusive=True, group="events-reload")
    def _reload(self) -> None:
        store = self.app.context.store  # type: ignore[attr-defined]
        conn = store.new_reader()
        try:
            events = reads.event_summaries(conn)
        finally:
            conn.close()
        self.app.call_from_thread(self._refilled, events)

    def _refilled(self, events: list[reads.EventSummary]) -> None:
        if self.is_attached:  # the screen may have gone while the counts were read
            self._fill(events)

    def on_unmount(self) -> None:
        if self._watcher is not None:
            self._watcher.close()

    def _fill(self, events: list[reads.EventSummary], last: str | None = None) -> None:
        import json

        table = self.query_one(DataTable)
        keep = table.cursor_row if table.row_count else None
        keep_id = self.selected_event()
        table.clear()
        for e in events:
            table.add_row(
                Text(str(e.id), justify="right"),
                Text(e.date.isoformat() if e.date else "—"),
                Text(f"{e.points:,}", justify="right"),
                Text(e.title),
                Text(e.scheme_code),
                Text(e.venue),
                key=str(e.id),
            )
        if not events:
            self._show_empty(
                "No events yet. Press n to create one, i to import typed notes, "
                "or quit and run `sendtui --demo` to explore a real event."
            )
            return
        self.query_one("#events-empty").display = False
        table.display = True
        target = None
        try:
            target = json.loads(last).get("event_id") if last else None
        except (ValueError, AttributeError):
            target = None
        # The event just left first; then the one the cursor was on (by id: live counts
        # never move the cursor); then the last event captured (at start-up).
        for wanted in (self._left, keep_id, target):
            if wanted is not None and (row := self._row_of(wanted)) is not None:
                table.move_cursor(row=row)
                break
        else:
            if keep is not None:
                table.move_cursor(row=min(keep, table.row_count - 1))
        self._left = None

    def _row_of(self, event_id: object) -> int | None:
        table = self.query_one(DataTable)
        try:
            return table.get_row_index(str(event_id))
        except Exception:
            return None

    def _show_empty(self, message: str) -> None:
        empty = self.query_one("#events-empty", Static)
        empty.update(Text(message))
        empty.display = True
        self.query_one(DataTable).display = False

    def on_screen_resume(self) -> None:
        if self.app.context.store is not None:  # type: ignore[attr-defined]
            self.action_refresh()

    def action_refresh(self) -> None:
        ctx = self.app.context  # type: ignore[attr-defined]
        if ctx.store is None:
            return
        last = reads.ui_state(ctx.store.reader, LAST)
        self._fill(reads.event_summaries(ctx.store.reader), last)

    def selected_event(self) -> int | None:
        return cursor_id(self.query_one(DataTable))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def _chosen(self, action: str) -> int | None:
        """The event under the cursor, remembered as the one to come back to; None (and
        nothing remembered) if there is none, or the store is still opening (the action then
        follows once it is open)."""
        event_id = self.selected_event()
        if event_id is None or not self._ready(action):
            return None
        self._left = event_id
        return event_id

    def action_open(self) -> None:
        # At once, even while the store is still opening: the capture screen draws straight
        # away and fills itself when the store is ready, so the first Enter is never lost.
        if (event_id := self.selected_event()) is not None:
            self._left = event_id
            self.app.open_event(event_id)  # type: ignore[attr-defined]

    def action_review(self) -> None:
        if (event_id := self._chosen("review")) is not None:
            from sendtui.tui.screens.review import ReviewScreen

            self.app.push_screen(ReviewScreen(event_id))

    def action_reports(self) -> None:
        if (event_id := self._chosen("reports")) is not None:
            from sendtui.tui.screens.reports import ReportsScreen

            self.app.push_screen(ReportsScreen(event_id))

    def action_export(self) -> None:
        if (event_id := self._chosen("export")) is not None:
            from sendtui.tui.screens.export import ExportScreen

            self.app.push_screen(ExportScreen(event_id))

    def action_attendance(self) -> None:
        if (event_id := self._chosen("attendance")) is not None:
            from sendtui.tui.screens.attendance import AttendanceScreen

            title = str(self.query_one(DataTable).get_row(str(event_id))[3])
            self.app.push_screen(AttendanceScreen(event_id, title))

    def action_claims(self) -> None:
        if self._ready("claims"):
            from sendtui.tui.screens.claims import ClaimsScreen

            self.app.push_screen(ClaimsScreen())

    def _ready(self, action: str) -> bool:
        """True once the store is open; until then the key is remembered (the latest one
        wins) and its action runs as soon as the store is open, rather than being lost."""
        if self.app.context.store is None:  # type: ignore[attr-defined]
            self._queued = action
            self.app.say("Opening the database… that follows as soon as it is open.")  # type: ignore[attr-defined]
            return False
        return True

    def _event_fields(self, event: object | None = None) -> list[Field]:
        from sendtui.services.events import EventService
        from sendtui.tui.screens.form import Field

        ctx = self.app.context  # type: ignore[attr-defined]
        schemes = EventService(ctx.store).schemes()
        default = getattr(event, "scheme_code", None) or ctx.config.capture.default_scheme
        if default not in {s.code for s in schemes} and schemes:
            default = schemes[0].code
        # A new event is usually typed up on the day: today, which the note-taker can change.
        date = getattr(event, "date", None) if event is not None else today()
        return [
            Field("title", "Title", getattr(event, "title", ""), "e.g. SEND strategy consultation"),
            Field("date", "Date (YYYY-MM-DD)", date.isoformat() if date else "", "blank: no date"),
            Field("venue", "Venue", getattr(event, "venue", "")),
            Field("subject", "Subject", getattr(event, "subject", "")),
            Field(
                "scheme",
                "Chapter scheme",
                default,
                choices=[(f"{s.code} — {s.title}", s.code) for s in schemes],
            ),
        ]

    @staticmethod
    def _check_event(values: dict[str, str]) -> None:
        from sendtui.services.events import parse_date
        from sendtui.services.names import clean_name

        clean_name(values["title"], "event title")
        parse_date(values["date"])

    def action_new(self) -> None:
        if not self._ready("new"):
            return
        from sendtui.tui.screens.form import FormScreen

        def created(values: dict[str, str] | None) -> None:
            if values is None:
                return
            from sendtui.services.events import EventService, parse_date

            try:
                event = EventService(self.app.context.store).create_event(  # type: ignore[attr-defined]
                    values["title"],
                    scheme_code=values["scheme"],
                    date=parse_date(values["date"]),
                    venue=values["venue"],
                    subject=values["subject"],
                )
            except SendtuiError as exc:
                self.app.say(exc.message, severity="error")  # type: ignore[attr-defined]
                return
            self._left = event.id
            self.action_refresh()
            self._left = event.id  # still the one to come back to, after capturing
            self.app.open_event(event.id)  # type: ignore[attr-defined]

        self.app.push_screen(
            FormScreen(
                "New event", self._event_fields(), check=self._check_event, save_label="Create"
            ),
            created,
        )

    def action_edit(self) -> None:
        event_id = self._chosen("edit")
        if event_id is None:
            return
        from sendtui.services.events import EventService, parse_date
        from sendtui.tui.screens.form import FormScreen

        service = EventService(self.app.context.store)  # type: ignore[attr-defined]
        event = service.get(event_id)
        fields = [f for f in self._event_fields(event) if f.name != "scheme"]

        def saved(values: dict[str, str] | None) -> None:
            if values is None:
                return
            try:
                service.update_event(
                    event_id,
                    title=values["title"],
                    date=parse_date(values["date"]),
                    venue=values["venue"].strip(),
                    subject=values["subject"].strip(),
                )
            except SendtuiError as exc:
                self.app.say(exc.message, severity="error")  # type: ignore[attr-defined]
            self.action_refresh()

        self.app.push_screen(FormScreen("Event details", fields, check=self._check_event), saved)

    def action_import_notes(self) -> None:
        if not self._ready("import_notes"):
            return
        from sendtui.tui.screens.form import Field, FormScreen

        fields = [
            Field(
                "path",
                "Notes (.md, .docx) or a dump (.json)",
                "",
                "e.g. ~/notes/green-group.md",
            )
        ]

        def chosen(values: dict[str, str] | None) -> None:
            if values and values["path"].strip():
                self._import(Path(values["path"].strip()).expanduser())

        self.app.push_screen(
            FormScreen("Import notes or merge a dump", fields, save_label="Import"), chosen
        )

    @work(thread=True, exclusive=True, group="import")
    def _import(self, path: Path) -> None:
        # One service decides by the file: notes (.md, .docx) are imported, a JSON dump is
        # merged (field by field), exactly as `sendtui import` does.
        from sendtui.services.importer import import_file

        ctx = self.app.context  # type: ignore[attr-defined]
        capture = ctx.config.capture
        try:
            result = import_file(
                ctx.store,
                ctx.reference,
                path,
                kind_words=capture.kind_words.as_dict(),
                marks=capture.kind_marks.as_dict(),
                default_scheme=capture.default_scheme,
                note_taker=capture.note_taker,
            )
        except SendtuiError as exc:
            self.app.call_from_thread(self._import_failed, exc.message)
            return
        self.app.call_from_thread(self._imported, result.summary())

    def _import_failed(self, message: str) -> None:
        from sendtui.tui.screens.message import MessageScreen

        self.app.push_screen(MessageScreen("Nothing was imported", message))

    def _imported(self, summary: str) -> None:
        self.app.say(summary)  # type: ignore[attr-defined]
        self.action_refresh()
