"""Members: the people who claim, their grade, how they are paid, and their claims' totals.

Reached with "m" from the claims screen. Add and change members in a form; forget one
(remove their personal details) once their records are past the retention period.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from sendtui.errors import SendtuiError
from sendtui.models import Member, PayTo
from sendtui.services.claims.members import MemberInput, MemberService, clean_member
from sendtui.services.claims.queries import MemberRow, member_rows
from sendtui.services.money import format_pence
from sendtui.tui.screens.claims_ops import claims_rules
from sendtui.tui.screens.form import Field, FormScreen
from sendtui.tui.widgets.key_bar import KeyBar
from sendtui.tui.widgets.tables import cursor_id

COLUMNS = (
    ("name", "Name"),
    ("grade", "Grade"),
    ("pay", "Pay to"),
    ("contact", "Contact"),
    ("claims", "Claims"),
    ("total", "Total"),
    ("last", "Last claim"),
)
WIDTHS = {"name": 16, "grade": 14, "pay": 9, "claims": 6, "total": 10, "last": 10}
PAY_LABELS = {"member": "member", "forum": "the forum", "declined": "declines"}


class MembersScreen(Screen[None]):
    """Every member, by name."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="members.back"),
        Binding("n", "new", "New member", id="members.new"),
        Binding("e", "edit", "Edit", id="members.edit"),
        Binding("f", "forget", "Forget", id="members.forget"),
    ]
    DEFAULT_CSS = """
    MembersScreen #members { height: 1fr; }
    MembersScreen #members-empty { display: none; padding: 1 2; color: $text-muted; }
    MembersScreen #members-note { height: 1; padding: 0 1; background: $panel; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="members-empty")
        yield DataTable(id="members", cursor_type="row", zebra_stripes=True)
        yield Static("", id="members-note")
        yield KeyBar()

    def on_mount(self) -> None:
        ctx = self.app.context  # type: ignore[attr-defined]
        self.store = ctx.store
        self.rules = claims_rules(ctx)
        self.sub_title = "Members"
        table = self.query_one(DataTable)
        # Room left over goes to names and contact details; a narrow terminal has no contact.
        rest = self.app.size.width - sum(w + 2 for w in WIDTHS.values()) - 4
        widths = {**WIDTHS, "contact": 0}
        if rest >= 12:  # names get half of what is left, contact details the other half
            widths["name"] += rest // 2
            widths["contact"] = rest - rest // 2
        self.shown = [key for key, _ in COLUMNS if widths[key]]
        for key, title in COLUMNS:
            if widths[key]:
                justify = "right" if key in ("claims", "total") else "left"
                table.add_column(Text(title, justify=justify), key=key, width=widths[key])
        self.refresh_members()
        table.focus()

    def refresh_members(self, select: int | None = None) -> None:
        self.rows = member_rows(self.store.reader)
        table = self.query_one(DataTable)
        keep = select if select is not None else self.current_id()
        table.clear()
        for r in self.rows:
            cells = {
                "name": Text(r.name, style="dim italic" if r.forgotten else ""),
                "grade": Text(r.grade),
                "pay": Text(PAY_LABELS.get(r.payment_preference, r.payment_preference)),
                "contact": Text(r.email or r.phone),
                "claims": Text(str(r.claims), justify="right"),
                "total": Text(format_pence(r.total_pence), justify="right"),
                "last": Text(r.last_claim.isoformat() if r.last_claim else "—"),
            }
            table.add_row(*(cells[key] for key in self.shown), key=str(r.id))
            if r.id == keep:
                table.move_cursor(row=table.row_count - 1)
        empty = self.query_one("#members-empty", Static)
        empty.display = not self.rows
        table.display = bool(self.rows)
        empty.update(
            Text(
                "No members yet. Press n to add one (or import claims from a "
                "spreadsheet on the claims screen)."
            )
        )
        self.query_one("#members-note", Static).update(
            Text(f"{len(self.rows)} members · no bank details are kept: a payment reference only")
        )

    def current_id(self) -> int | None:
        return cursor_id(self.query_one(DataTable)) if self.rows else None

    def current(self) -> MemberRow | None:
        member_id = self.current_id()
        return next((r for r in self.rows if r.id == member_id), None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def _service(self) -> MemberService:
        return MemberService(self.store, self.rules, who=self.rules.acting_name)

    def _fields(self, member: Member | None) -> list[Field]:
        grades = [("No grade", "")] + [(g, g) for g in self.rules.grade_names]
        prefs = [(p.label, p.value) for p in PayTo]
        value = (lambda name: getattr(member, name)) if member else (lambda name: "")
        return [
            Field("name", "Name", value("name"), "as they sign their claims"),
            Field("grade", "Grade (role)", value("grade"), choices=grades),
            Field(
                "payment_preference",
                "Payment",
                value("payment_preference") or "member",
                choices=prefs,
            ),
            Field(
                "payment_reference",
                "Payee reference",
                value("payment_reference"),
                "the bank's payee name (never bank details)",
            ),
            Field("email", "Email", value("email")),
            Field("phone", "Phone", value("phone")),
            Field("address", "Address", value("address")),
            Field("notes", "Notes", value("notes")),
        ]

    def _check(self, values: dict[str, str]) -> None:
        clean_member(MemberInput(**values), self.rules)

    def action_new(self) -> None:
        def saved(values: dict[str, str] | None) -> None:
            if values is None:
                return
            try:
                member = self._service().add(MemberInput(**values))
            except SendtuiError as exc:
                self.app.say(exc.message, severity="error")  # type: ignore[attr-defined]
                return
            self.refresh_members(select=member.id)

        self.app.push_screen(
            FormScreen("New member", self._fields(None), check=self._check, save_label="Add"), saved
        )

    def action_edit(self) -> None:
        row = self.current()
        if row is None:
            return
        if row.forgotten:
            self.app.say("This member's details were removed; nothing to change.")  # type: ignore[attr-defined]
            return
        service = self._service()
        member = service.get(row.id)

        def saved(values: dict[str, str] | None) -> None:
            if values is None:
                return
            try:
                service.update(row.id, MemberInput(**values))
            except SendtuiError as exc:
                self.app.say(exc.message, severity="error")  # type: ignore[attr-defined]
            self.refresh_members(select=row.id)

        self.app.push_screen(
            FormScreen(f"Member: {member.name}", self._fields(member), check=self._check), saved
        )

    def action_forget(self) -> None:
        """Refused (with the reason) while any claim is unpaid or inside the retention period;
        otherwise asks, saying what is removed and what is kept."""
        from sendtui.tui.screens.confirm import ConfirmScreen

        row = self.current()
        if row is None or row.forgotten:
            return
        try:
            question = self._service().check_forget(row.name)
        except SendtuiError as exc:
            self.app.say(exc.message, severity="error", timeout=10)  # type: ignore[attr-defined]
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self._service().forget(row.name)
            except SendtuiError as exc:
                self.app.say(exc.message, severity="error", timeout=10)  # type: ignore[attr-defined]
                return
            self.app.say(  # type: ignore[attr-defined]
                "Personal details removed; dates, amounts, approvals and payments are kept."
            )
            self.refresh_members(select=row.id)

        self.app.push_screen(ConfirmScreen(question + " Remove them?", yes="Forget"), answered)

    def action_back(self) -> None:
        self.dismiss()
