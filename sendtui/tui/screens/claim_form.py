"""The claim form: a modal to add or change a claim from the keyboard.

Member, date, event or meeting and who is paid at the top; the claim's items in a table;
and an item editor under it that works mileage, care and remuneration out as you type, by
the same rule saving uses (ClaimService.price_next: the rates in force on the claim's date,
and the member's car miles before it in journey-date order).
Problems are shown next to the field they are about; nothing typed is lost on an error.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Select, Static

from sendtui.errors import SendtuiError
from sendtui.services.claims.detail import ClaimHeader, ClaimProblems
from sendtui.services.claims.items import ItemInput, ItemProblems, PricedItem
from sendtui.services.claims.pricing import ADJUSTMENT_KIND, describe_changes
from sendtui.services.claims.queries import member_choices, payment_preference
from sendtui.services.claims.workflow import ClaimService
from sendtui.services.money import format_pence
from sendtui.store import reads
from sendtui.tui.screens.claims_ops import claims_rules
from sendtui.tui.screens.confirm import ConfirmScreen
from sendtui.tui.screens.form import NEXT_FIELD, EnterMovesOn
from sendtui.tui.widgets.claims_header import ClaimHeaderFields
from sendtui.tui.widgets.claims_item_editor import ItemEditor
from sendtui.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from sendtui.tui.app import AppContext


ITEM_COLUMNS = (
    ("No.", "n"),
    ("Category", "category"),
    ("Details", "details"),
    ("Receipt", "receipt"),
    ("Amount", "amount"),
)


class ClaimFormScreen(EnterMovesOn, ModalScreen[int | None]):
    """Dismisses with the saved claim's id, or None if cancelled. Enter moves through every
    field shown (drop-downs and tick boxes too); Enter on the item's last field adds it."""

    DEFAULT_CSS = """
    ClaimFormScreen #claim-dialog { width: 100; max-width: 98%; height: auto;
        max-height: 95%; padding: 0 1; border: thick $primary; background: $surface; }
    ClaimFormScreen #claim-title { text-style: bold; height: 1; }
    ClaimFormScreen #claim-body { height: auto; max-height: 1fr; }
    ClaimFormScreen #claim-items { height: auto; max-height: 8; margin-top: 1; }
    ClaimFormScreen #claim-total { text-align: right; text-style: bold; padding-right: 2; }
    ClaimFormScreen #claim-message { height: auto; color: $error; text-style: bold; }
    ClaimFormScreen #claim-message.ok { color: $text-muted; text-style: none; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="claim_form.cancel"),
        Binding("ctrl+n", "add_item", "Add item", id="claim_form.add_item", priority=True),
        Binding("ctrl+s", "save", "Save claim", id="claim_form.save", priority=True),
        Binding("delete", "remove_item", "Remove item", id="claim_form.remove_item"),
        NEXT_FIELD,
    ]

    def __init__(self, claim_id: int | None = None, *, corrects: int | None = None) -> None:
        super().__init__()
        self.claim_id = claim_id
        self.corrects = corrects
        self.items: list[ItemInput] = []
        self.priced: list[PricedItem] = []
        self.editing: int | None = None  # index of the item loaded into the editor
        self._initial: tuple[object, ...] = ()
        self.status = "draft"
        self.repriced = ""  # other claims re-priced by saving this one, to tell the treasurer

    # -- set-up ----------------------------------------------------------------------------

    @property
    def ctx(self) -> AppContext:
        return self.app.context  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        self.rules = claims_rules(self.ctx)
        self.service = ClaimService(self.ctx.store, self.rules, who=self.rules.acting_name or "?")
        events = reads.event_summaries(self.ctx.store.reader)
        with Vertical(id="claim-dialog"):
            yield Static("", id="claim-title")
            with VerticalScroll(id="claim-body"):
                yield ClaimHeaderFields(member_choices(self.ctx.store.reader), events)
                yield DataTable(id="claim-items", cursor_type="row", zebra_stripes=True)
                yield Static("", id="claim-total")
                yield ItemEditor(self.rules.categories, id="item-editor")
            yield Static("", id="claim-message")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#claim-items", DataTable)
        # The dialog is at most 100 wide: the details take what the other columns leave.
        room = min(100, self.app.size.width * 98 // 100) - 6
        widths = {"n": 3, "category": 16, "receipt": 7, "amount": 10}
        widths["details"] = max(10, room - sum(w + 2 for w in widths.values()) - 2)
        for title, key in ITEM_COLUMNS:
            label = Text(title, justify="right" if key in ("n", "amount") else "left")
            table.add_column(label, key=key, width=widths[key])
        title = "New claim"
        if self.claim_id is not None:
            self._load(self.claim_id)
            title = f"Claim {self.claim_id} ({self.status})"
        elif self.corrects is not None:
            original = self.service.get(self.corrects)
            self.header.fill(original.header, submit=False)
            title = f"Correcting claim for claim {self.corrects} (amounts may be negative)"
        self.query_one("#claim-title", Static).update(Text(title))
        self.header.show_submit(self.status in ("draft", "rejected"))
        self._show_items()
        self._initial = self._state()
        self.query_one("#field-member", Select).focus()

    def _load(self, claim_id: int) -> None:
        detail = self.service.get(claim_id)
        self.status = detail.status
        self.corrects = detail.corrects_id
        self.header.fill(detail.header, submit=False)
        # An adjustment item is worked out by re-pricing, not typed: it is not editable here.
        kept = [item for item in detail.items if item.kind != ADJUSTMENT_KIND]
        self.items = [item.as_input() for item in kept]
        self.priced = kept

    @property
    def header(self) -> ClaimHeaderFields:
        return self.query_one(ClaimHeaderFields)

    # -- working items out -----------------------------------------------------------------

    def _price_editor(self, *, all_problems: bool) -> PricedItem | None:
        """Work out the item in the editor and show the sum, or the problems by the fields."""
        editor = self.query_one(ItemEditor)
        item = editor.value()
        member_id = self.header.member_id()
        on = self.header.claim_date() or dt.date.today()
        earlier = self.items if self.editing is None else self.items[: self.editing]
        if not all_problems and not _has_content(item):
            editor.show_problems({})
            editor.show_working("", ok=True)
            return None
        try:
            priced = self.service.price_next(
                ClaimHeader(member_id or 0, on),  # no member yet: no grade, no miles before
                earlier,
                item,
                claim_id=self.claim_id,
                correction=self.corrects is not None,
            )
        except ItemProblems as exc:
            typed = {k: v for k, v in exc.problems.items() if all_problems or _typed(item, k)}
            if member_id is None and editor.kind == "remuneration":
                typed["category"] = "Choose the member first: pay depends on their grade."
            editor.show_problems(typed)
            # A problem already shown beside its field is not repeated on the sum's line.
            rest = [m for k, m in exc.problems.items() if k not in typed]
            editor.show_working("= … " + (rest[0] if rest else "see above"), ok=False)
            return None
        editor.show_problems({})
        editor.show_working(f"= {format_pence(priced.amount_pence)}   {priced.working}", ok=True)
        return priced

    def on_item_editor_changed(self, event: ItemEditor.Changed) -> None:
        event.stop()
        self._price_editor(all_problems=False)

    def on_claim_header_fields_changed(self, event: ClaimHeaderFields.Changed) -> None:
        event.stop()
        member = self.header.member_id()
        new_claim = self.claim_id is None and self.corrects is None
        if event.member_changed and member is not None and new_claim:
            self._set_pay_to(member)
        self._reprice()

    def _set_pay_to(self, member_id: int) -> None:
        preference = payment_preference(self.ctx.store.reader, member_id)
        if preference is not None:
            self.header.set_pay_to(preference)

    def _reprice(self) -> None:
        """Work every item out again (the member or the date changed)."""
        member_id, on = self.header.member_id(), self.header.claim_date()
        if member_id is not None and on is not None and self.items:
            header = ClaimHeader(member_id, on)
            try:
                self.priced = self.service.price(
                    header, self.items, claim_id=self.claim_id, correction=self.corrects is not None
                )
                self._message("")
            except ClaimProblems as exc:
                self._message(exc.message)
        self._show_items()
        self._price_editor(all_problems=False)

    # -- the items table -------------------------------------------------------------------

    def _show_items(self) -> None:
        table = self.query_one("#claim-items", DataTable)
        table.clear()
        for n, item in enumerate(self.priced, start=1):
            details = " — ".join(x for x in (item.description, item.working) if x)
            receipt = ("yes" if item.receipt else "no") if item.kind in ("amount", "care") else ""
            table.add_row(
                Text(str(n), justify="right"),
                Text(item.category),
                Text(details),
                Text(receipt),
                Text(format_pence(item.amount_pence), justify="right"),
                key=str(n - 1),
            )
        table.display = bool(self.priced)
        total = sum(p.amount_pence for p in self.priced)
        count = len(self.priced)
        self.query_one("#claim-total", Static).update(
            Text(
                f"Total {format_pence(total)} ({count} item{'s' if count != 1 else ''})"
                if count
                else "No items yet: fill in an item below and press ctrl+n to add it."
            )
        )

    def action_add_item(self) -> None:
        priced = self._price_editor(all_problems=True)
        if self.header.member_id() is None:
            # Their grade and their miles so far this year change the sums: member first.
            self.header.show_problems({"member": "Choose the member first."})
            return
        if priced is None:
            return
        item = self.query_one(ItemEditor).value()
        if self.editing is None:
            self.items.append(item)
            self.priced.append(priced)
        else:
            self.items[self.editing] = item
            self.priced[self.editing] = priced
        self.editing = None
        self._reprice()
        self.query_one(ItemEditor).load(None)
        self._message(
            f"Item added; total {format_pence(sum(p.amount_pence for p in self.priced))}.", ok=True
        )
        self.query_one(ItemEditor).focus_first()

    def last_field_entered(self) -> None:
        if _has_content(self.query_one(ItemEditor).value()):
            self.action_add_item()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on an item loads it into the editor; ctrl+n puts it back changed."""
        event.stop()
        index = int(event.row_key.value or 0)
        self.editing = index
        self.query_one(ItemEditor).load(self.items[index])
        self._message(f"Changing item {index + 1}: press ctrl+n to put it back.", ok=True)
        self.query_one(ItemEditor).focus_first()

    def action_remove_item(self) -> None:
        table = self.query_one("#claim-items", DataTable)
        if not self.items or self.focused is not table:
            return
        index = table.cursor_row
        del self.items[index]
        del self.priced[index]
        self.editing = None
        self._reprice()
        self._message(f"Item {index + 1} removed.", ok=True)

    # -- saving ----------------------------------------------------------------------------

    def action_save(self) -> None:
        header = self.header.read()
        if header is None:
            self._message("Put right the fields marked above, then save again.")
            return
        editor_item = self.query_one(ItemEditor).value()
        if _has_content(editor_item) and self.editing is None:
            self._message(
                "The item below is not added yet: press ctrl+n to add it (or clear it), then save."
            )
            return
        submit = self.header.submit
        try:
            if self.claim_id is None:
                claim_id = self.service.create(
                    header, self.items, submit=submit, corrects_id=self.corrects
                )
            else:
                claim_id = self.claim_id
                self.service.update(claim_id, header, self.items)
                if submit:
                    self.service.submit(claim_id)
        except ClaimProblems as exc:
            self.header.show_problems(exc.problems)
            self._message(exc.message)
            return
        except SendtuiError as exc:
            self._message(exc.message)
            return
        self.repriced = describe_changes(self.service.repriced)
        self.dismiss(claim_id)

    def _message(self, text: str, *, ok: bool = False) -> None:
        message = self.query_one("#claim-message", Static)
        message.update(Text(text))
        message.set_class(ok, "ok")

    def _state(self) -> tuple[object, ...]:
        """Everything typed, to tell whether cancelling would lose anything."""
        return (*self.header.typed(), tuple(self.items), self.query_one(ItemEditor).value())

    def action_cancel(self) -> None:
        if self._state() == self._initial:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen("Discard this claim's changes?", yes="Discard", no="Keep editing"),
            answered,
        )


def _typed(item: ItemInput, field: str) -> bool:
    """Whether the field has something in it (an empty field is not an error while typing)."""
    value = getattr(item, field, "")
    return field == "category" or (isinstance(value, str) and bool(value.strip()))


def _has_content(item: ItemInput) -> bool:
    return any(
        str(getattr(item, name)).strip()
        for name in (
            "description",
            "amount",
            "from_place",
            "to_place",
            "miles",
            "hours",
            "rate",
            "sessions",
        )
    )
