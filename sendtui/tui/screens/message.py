"""A modal that shows one message (an error, or a result) until dismissed."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class MessageScreen(ModalScreen[None]):
    """Title, message and an OK button; the message is shown literally."""

    BINDINGS = [Binding("escape,enter", "close", "Close", id="message.close")]

    def __init__(
        self, title: str, message: str, *, error: bool = True, quit_on_close: bool = False
    ) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.error = error
        self.quit_on_close = quit_on_close

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="error" if self.error else ""):
            yield Static(Text(self.title_text), id="dialog-title")
            yield Static(Text(self.message), id="dialog-body")
            yield Button("OK", id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_close()

    def action_close(self) -> None:
        if self.quit_on_close:
            self.app.exit(return_code=2, message=self.message)
        else:
            self.dismiss(None)
