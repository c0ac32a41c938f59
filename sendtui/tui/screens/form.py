"""A modal form of labelled one-line fields (and optional choices), checked before closing.

Screens pass a `check` function that raises InputError; its message is shown under the form
and the form stays open with everything typed kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from sendtui.errors import SendtuiError


@dataclass(frozen=True)
class Field:
    """One field: `choices` makes it a drop-down of (label, value) pairs."""

    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    choices: Sequence[tuple[str, str]] = field(default_factory=tuple)


class FormScreen(ModalScreen[dict[str, str] | None]):
    """Dismisses with {field name: text} when saved and `check` accepts it, None if cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        # Enter moves to the next field, so a long form can be saved from anywhere.
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        *,
        check: Callable[[dict[str, str]], Any] | None = None,
        save_label: str = "Save",
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = list(fields)
        self.check = check
        self.save_label = save_label

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="form"):
            yield Static(Text(self.form_title), id="dialog-title")
            yield Static(Text(self._hint()), id="form-hint")
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

        return (
            f"Enter: next field · {key('form.save', 'ctrl+s')}: {self.save_label.lower()} · "
            f"{key('form.cancel', 'escape')}: cancel"
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
        event.stop()
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
        else:
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
