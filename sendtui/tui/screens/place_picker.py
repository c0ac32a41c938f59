"""Pick a group and topic (to move points there): type to filter, Enter to choose."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

Place = tuple[int, int | None]  # (group id, topic id or None)


class PlacePickerScreen(ModalScreen[Place | None]):
    """Dismisses with the chosen (group id, topic id), or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="picker.cancel")]

    def __init__(self, title: str, places: list[tuple[str, Place]]) -> None:
        super().__init__()
        self.picker_title = title
        self.places = places

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="picker"):
            yield Static(Text(self.picker_title), id="dialog-title")
            yield Input(placeholder="Type to filter", id="picker-filter")
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, text: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        needle = text.casefold()
        options.add_options(
            Option(Text(label), id=str(index))
            for index, (label, _) in enumerate(self.places)
            if needle in label.casefold()
        )
        if options.option_count:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted).id)

    def on_key(self, event) -> None:
        if event.key in ("up", "down") and self.query_one(Input).has_focus:
            options = self.query_one(OptionList)
            if options.option_count:
                current = options.highlighted or 0
                step = 1 if event.key == "down" else -1
                options.highlighted = max(0, min(options.option_count - 1, current + step))
            event.stop()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        if option_id is not None:
            self.dismiss(self.places[int(option_id)][1])

    def action_cancel(self) -> None:
        self.dismiss(None)
