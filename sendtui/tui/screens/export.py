"""Export an event: pick a format, a grouping and a path; the headless exporter does the
work in a thread, with progress, and any failure becomes one error dialog."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static

from sendtui.errors import SendtuiError

FORMAT_LABELS = {
    "docx": "Word minutes (.docx)",
    "md": "Markdown minutes (.md)",
    "html": "Web page minutes (.html)",
    "xlsx": "Excel tallies and data (.xlsx)",
    "csv": "CSV data, one row per point (.csv)",
    "json": "Complete JSON dump (.json)",
}


# The one rule for private points: minutes and data leave them out unless asked; a dump is
# complete and lossless, so it always holds them (and is written 0600, as every export is).
DUMP_NOTE = "A JSON dump is complete and lossless: it always includes private points."


class ExportScreen(ModalScreen[Path | None]):
    """Dismisses with the written path, or None if cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    def __init__(self, event_id: int) -> None:
        super().__init__()
        self.event_id = event_id
        self._edited_path = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="form"):
            yield Static(Text("Export the event"), id="dialog-title")
            with Horizontal(classes="field"):
                yield Label("Format", classes="field-label")
                yield Select(
                    [(Text(label), key) for key, label in FORMAT_LABELS.items()],
                    value="docx",
                    allow_blank=False,
                    id="export-format",
                    compact=True,
                )
            with Horizontal(classes="field"):
                yield Label("Points grouped by", classes="field-label")
                yield Select(
                    [(Text("group, topic and heading"), "group"), (Text("chapter"), "chapter")],
                    value="group",
                    allow_blank=False,
                    id="export-by",
                    compact=True,
                )
            with Horizontal(classes="field"):
                yield Label("Private points", classes="field-label")
                yield Select(
                    [
                        (Text("leave out (for minutes people will read)"), "no"),
                        (Text("include"), "yes"),
                    ],
                    value="no",
                    allow_blank=False,
                    id="export-private",
                    compact=True,
                )
            yield Static(Text(DUMP_NOTE), id="export-private-note")
            with Horizontal(classes="field"):
                yield Label("Save as", classes="field-label")
                yield Input(id="export-path", compact=True)
            yield ProgressBar(total=1.0, show_eta=False, id="export-progress")
            yield Static("", id="form-error")
            with Horizontal(classes="buttons"):
                yield Button("Export", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#export-progress").display = False
        self.query_one("#export-private-note").display = False
        self._suggest_path()
        self.query_one("#export-format").focus()

    def _suggest_path(self) -> None:
        from sendtui.exporters import default_filename
        from sendtui.services.events import EventService

        event = EventService(self.app.context.store).get(self.event_id)  # type: ignore[attr-defined]
        fmt = str(self.query_one("#export-format", Select).value)
        self.query_one("#export-path", Input).value = str(Path.cwd() / default_filename(event, fmt))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "export-format":
            return
        dump = event.value == "json"
        self.query_one("#export-private", Select).disabled = dump  # a dump holds them all
        self.query_one("#export-private-note").display = dump
        if not self._edited_path:
            self._suggest_path()
            self._edited_path = False

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.has_focus:
            self._edited_path = True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self._start()
        else:
            self.dismiss(None)

    def _start(self) -> None:
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self._error("Type where to save the file.")
            return
        path = Path(raw).expanduser()
        self.query_one("#save", Button).disabled = True
        self.query_one("#export-progress").display = True
        self._export(
            path,
            str(self.query_one("#export-format", Select).value),
            str(self.query_one("#export-by", Select).value),
            self.query_one("#export-private", Select).value == "yes",
        )

    @work(thread=True, exclusive=True, group="export")
    def _export(self, path: Path, fmt: str, by: str, include_private: bool) -> None:
        from sendtui.exporters import write_file

        ctx = self.app.context  # type: ignore[attr-defined]
        bar = self.query_one("#export-progress", ProgressBar)

        def progress(fraction: float) -> None:
            self.app.call_from_thread(bar.update, progress=fraction)

        try:
            written = write_file(
                ctx.store,
                self.event_id,
                path,
                fmt,
                by=by,
                include_private=include_private,
                forum_name=ctx.config.forum.name,
                progress=progress,
                template=ctx.config.minutes_template if fmt == "docx" else None,
            )
        except SendtuiError as exc:
            self.app.call_from_thread(self._failed, exc.message)
            return
        except OSError as exc:  # a file system surprise the exporter did not foresee
            self.app.call_from_thread(self._failed, f"Could not write {path}: {exc}")
            return
        self.app.call_from_thread(self._done, written)

    def _done(self, path: Path) -> None:
        self.app.say(f"Wrote {path}")  # type: ignore[attr-defined]
        self.dismiss(path)

    def _failed(self, message: str) -> None:
        from sendtui.tui.screens.message import MessageScreen

        self.query_one("#save", Button).disabled = False
        self.query_one("#export-progress").display = False
        self.app.push_screen(MessageScreen("The export failed", message))

    def _error(self, message: str) -> None:
        error = self.query_one("#form-error", Static)
        error.update(Text(message))
        error.add_class("shown")

    def action_cancel(self) -> None:
        self.dismiss(None)
