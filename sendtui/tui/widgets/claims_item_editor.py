"""The claim form's item editor: the fields one item needs, each with its message beside it.

Only the fields the chosen category uses are shown (miles for mileage, hours and rate for
care, …). Every change posts `ItemEditor.Changed`, so the form can work the amount out as
the treasurer types and put it in `#item-working`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static

from sendtui.services.claims.items import FIELDS_BY_KIND, ItemInput
from sendtui.services.claims.rules import CategoryRule

# (field name, label, placeholder) of the text fields, in the order they are shown.
TEXT_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("description", "Description", "what it was for, e.g. train to County Hall"),
    ("amount", "Amount (£)", "as on the receipt, e.g. 12.50"),
    ("from_place", "From", "e.g. Ashford"),
    ("to_place", "To", "e.g. County Hall, Maidstone"),
    ("miles", "Miles", "e.g. 24.5"),
    ("passengers", "Passengers", "0 to 8 (cars only)"),
    ("hours", "Hours", "e.g. 2:30 or 2.5"),
    ("rate", "Rate per hour (£)", "what the carer charged, e.g. 12.00"),
    ("sessions", "Sessions", "instead of hours, e.g. 1"),
)
ALWAYS = ("category", "description")


class FieldRow(Vertical):
    """A label and its input on one line, and the input's message under it."""

    DEFAULT_CSS = """
    FieldRow { height: auto; }
    FieldRow > Horizontal { height: auto; }
    FieldRow .field-label { width: 20; color: $text-muted; }
    FieldRow Input, FieldRow Select { width: 1fr; }
    FieldRow Input { background: $boost; }
    FieldRow Input:focus { background: $primary 25%; }
    FieldRow .field-error { display: none; color: $error; padding-left: 20; }
    FieldRow .field-error.shown { display: block; }
    """

    def __init__(self, name: str, label: str, field: Widget) -> None:
        super().__init__(id=f"row-{name}")
        self.field_name = name
        self.label_text = label
        self.field = field

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(Text(self.label_text), classes="field-label")
            yield self.field
        yield Static("", id=f"err-{self.field_name}", classes="field-error")

    def show_error(self, message: str) -> None:
        error = self.query_one(f"#err-{self.field_name}", Static)
        error.update(Text(message))
        error.set_class(bool(message), "shown")


class ItemEditor(Vertical):
    """Fields for one item; `value()` reads them, `load()` fills them."""

    DEFAULT_CSS = """
    ItemEditor { height: auto; border-top: hkey $panel-lighten-2; padding-top: 1; }
    ItemEditor #item-working { padding-left: 20; color: $success; height: auto; }
    ItemEditor #item-working.problem { color: $text-muted; }
    ItemEditor #row-receipt Checkbox { width: auto; border: none; padding: 0; }
    """

    class Changed(Message):
        """A field of the item changed."""

    def __init__(self, categories: Sequence[CategoryRule], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.categories = list(categories)
        self._kinds = {c.name: c.kind for c in self.categories}
        self._loading = False

    def compose(self) -> ComposeResult:
        yield FieldRow(
            "category",
            "Category",
            Select(
                [(Text(c.name), c.name) for c in self.categories],
                value=self.categories[0].name,
                allow_blank=False,
                id="field-category",
                compact=True,
            ),
        )
        for name, label, placeholder in TEXT_FIELDS:
            yield FieldRow(
                name, label, Input(placeholder=placeholder, id=f"field-{name}", compact=True)
            )
        yield FieldRow(
            "receipt", "Receipt", Checkbox("receipt kept", id="field-receipt", compact=True)
        )
        yield Static("", id="item-working")

    def on_mount(self) -> None:
        self._show_fields()

    @property
    def kind(self) -> str:
        value = self.query_one("#field-category", Select).value
        return self._kinds.get(str(value), "amount")

    def _show_fields(self) -> None:
        used = set(ALWAYS) | set(FIELDS_BY_KIND.get(self.kind, ()))
        for row in self.query(FieldRow):
            row.display = row.field_name in used

    def value(self) -> ItemInput:
        """The item as typed (fields the category does not use are left out)."""
        used = set(FIELDS_BY_KIND.get(self.kind, ()))
        texts = {
            name: self.query_one(f"#field-{name}", Input).value if name in used else ""
            for name, _, _ in TEXT_FIELDS
            if name != "description"
        }
        return ItemInput(
            category=str(self.query_one("#field-category", Select).value),
            description=self.query_one("#field-description", Input).value,
            receipt="receipt" in used and self.query_one("#field-receipt", Checkbox).value,
            **texts,
        )

    def load(self, item: ItemInput | None) -> None:
        """Fill the fields from an item (None: clear them, keeping the category)."""
        self._loading = True
        try:
            if item is not None and item.category in self._kinds:
                self.query_one("#field-category", Select).value = item.category
            for name, _, _ in TEXT_FIELDS:
                self.query_one(f"#field-{name}", Input).value = getattr(item, name) if item else ""
            self.query_one("#field-receipt", Checkbox).value = bool(item and item.receipt)
        finally:
            self._loading = False
        self._show_fields()
        self.show_problems({})
        self.post_message(self.Changed())

    def show_problems(self, problems: dict[str, str]) -> None:
        for row in self.query(FieldRow):
            row.show_error(problems.get(row.field_name, ""))

    def show_working(self, text: str, *, ok: bool) -> None:
        working = self.query_one("#item-working", Static)
        working.update(Text(text))
        working.set_class(not ok, "problem")

    def focus_first(self) -> None:
        self.query_one("#field-category", Select).focus()

    def _changed(self) -> None:
        if not self._loading:
            self.post_message(self.Changed())

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._show_fields()
        self._changed()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._changed()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._changed()
