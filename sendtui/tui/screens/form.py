"""A modal form of labelled one-line fields (and optional choices), checked before closing.

Screens pass a `check` function that raises InputError; its message is shown under the form
and the form stays open with everything typed kept.

Enter and Tab visit EVERY field in order, drop-downs and tick boxes included (`EnterMovesOn`,
shared with the claim form and the approve dialog): Enter on a closed drop-down or a tick
box moves on instead of opening or ticking it (space, ↑ or ↓ opens a drop-down; space
ticks), so text typed after two Enters always lands in the third field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from sendtui.errors import SendtuiError


@dataclass(frozen=True)
class Field:
    """One field: `choices` makes it a drop-down of (label, value) pairs."""

    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    choices: Sequence[tuple[str, str]] = field(default_factory=tuple)


FIELD_TYPES = (Input, Select, Checkbox)
NEXT_FIELD = Binding(
    "enter", "next_field", "Next field", id="form.next_field", show=False, priority=True
)


class EnterMovesOn:
    """For a screen of fields: Enter moves to the next field shown, whatever its kind.

    A priority binding, so a closed Select or a Checkbox does not take Enter for itself; an
    open drop-down list, a button or a table still gets its Enter (SkipAction passes it on).
    """

    focused: Widget | None
    focus_chain: list[Widget]

    def field_chain(self) -> list[Widget]:
        """The fields that can take focus now, in order (hidden rows are left out)."""
        return [w for w in self.focus_chain if isinstance(w, FIELD_TYPES)]

    def action_next_field(self) -> None:
        focused = self.focused
        if not isinstance(focused, FIELD_TYPES):
            raise SkipAction()  # a button, a table, an open drop-down's list
        if isinstance(focused, Select) and focused.expanded:
            raise SkipAction()
        chain = self.field_chain()
        index = chain.index(focused) if focused in chain else -1
        if index + 1 < len(chain):
            chain[index + 1].focus()
        else:
            self.last_field_entered()

    def last_field_entered(self) -> None:
        """Enter on the last field (FormScreen saves)."""


class FormScreen(EnterMovesOn, ModalScreen[dict[str, str] | None]):
    """Dismisses with {field name: text} when saved and `check` accepts it, None if cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        # Enter moves to the next field, so a long form can be saved from anywhere.
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
        NEXT_FIELD,
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        *,
        check: Callable[[dict[str, str]], Any] | None = None,
        save_label: str = "Save",
        intro: str = "",
    ) -> None:
        super().__init__()
        self.intro = intro  # shown above the fields: what the form acts on
        self.form_title = title
        self.fields = list(fields)
        self.check = check
        self.save_label = save_label

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="form"):
            yield Static(Text(self.form_title), id="dialog-title")
            yield Static(Text(self._hint()), id="form-hint")
            if self.intro:
                yield Static(Text(self.intro), id="form-intro")
            with VerticalScroll(id="fields"):
                for f in self.fields:
                    with Horizontal(classes="field"):
                        yield Label(Text(f.label), classes="field-label")
                        if f.choices:
                            yield Select(
                                [(Text(label), value) for label, value in f.choices],
                                value=f.value or f.choices[0][1],
                                allow_blank=False,
                                id=f"field-{f.name}",
                                compact=True,
                            )
                        else:
                            yield Input(
                                f.value,
                                placeholder=f.placeholder,
                                id=f"field-{f.name}",
                                compact=True,
                            )
            yield Static("", id="form-error")
            with Horizontal(classes="buttons"):
                yield Button(self.save_label, id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one(f"#field-{self.fields[0].name}").focus()

    def _hint(self) -> str:
        def key(binding_id: str, default: str) -> str:
            keys = self.app._keymap.get(binding_id, default)  # as remapped in config.toml
            return self.app.get_key_display(Binding(keys.split(",")[0], ""))

        lists = "space: choose from a list · " if any(f.choices for f in self.fields) else ""
        return (
            f"Enter: next field · {lists}{key('form.save', 'ctrl+s')}: "
            f"{self.save_label.lower()} · {key('form.cancel', 'escape')}: cancel"
        )

    def action_save(self) -> None:
        self._save()

    def values(self) -> dict[str, str]:
        result: dict[str, str] = {}
        for f in self.fields:
            widget = self.query_one(f"#field-{f.name}")
            value = widget.value if isinstance(widget, Input | Select) else ""
            result[f.name] = "" if value is Select.BLANK else str(value)
        return result

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()  # Enter is the next_field binding; this is for a programmatic submit
        self.action_next_field()

    def last_field_entered(self) -> None:
        self._save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self._save()
        else:
            self.dismiss(None)

    def _save(self) -> None:
        values = self.values()
        if self.check is not None:
            try:
                self.check(values)
            except SendtuiError as exc:
                self.show_error(exc.message)
                return
        self.dismiss(values)

    def show_error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(Text(message))
        self.query_one("#form-error").add_class("shown")

    def action_cancel(self) -> None:
        self.dismiss(None)
