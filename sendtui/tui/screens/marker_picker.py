"""Pick markers of good practice for the marked points: space ticks, Enter applies."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static


class MarkerPickerScreen(ModalScreen[set[str] | None]):
    """Dismisses with the set of marker codes ticked, or None if cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="markers.cancel"),
        Binding("enter", "apply", "Apply", id="markers.apply", priority=True),
    ]

    def __init__(
        self, markers: list[tuple[str, str]], on: set[str], count: int, hidden: int = 0
    ) -> None:
        super().__init__()
        self.markers = markers
        self.on = on
        self.count = count
        self.hidden = hidden  # marked points the filter hides: left alone, and said so

    def compose(self) -> ComposeResult:
        noun = "point" if self.count == 1 else f"{self.count:,} points shown"
        title = f"Markers of good practice for the {noun} (space ticks, Enter applies)"
        if self.hidden:
            title += f"; {self.hidden:,} more marked but hidden by the filter: left alone"
        with Vertical(id="dialog", classes="picker"):
            yield Static(Text(title), id="dialog-title")
            yield SelectionList[str](
                *[
                    (Text(f"{code}  {title}"), code, code in self.on)
                    for code, title in self.markers
                ],
                id="marker-options",
            )

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_apply(self) -> None:
        self.dismiss(set(self.query_one(SelectionList).selected))

    def action_cancel(self) -> None:
        self.dismiss(None)
