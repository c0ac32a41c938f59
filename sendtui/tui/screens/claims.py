"""The treasurer's screen: claims in a table, filtered by status, member, event and period,
with the running total of what is shown, and the selected claim's items and flags below.

Reached with "c" from the events screen; Escape goes back. Approve, reject, mark paid and the
rest are single keys (see ClaimsOps); the list is one DataTable, however many claims.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from sendtui.models import PayTo
from sendtui.services.allowances import format_day
from sendtui.services.claims import history
from sendtui.services.claims.flags import Flag, claim_flags, flag_letters
from sendtui.services.claims.queries import ClaimRow, claim_rows
from sendtui.services.money import format_pence
from sendtui.tui.screens.claims_files import ClaimsFiles
from sendtui.tui.screens.claims_marked import ClaimsMarked
from sendtui.tui.screens.claims_ops import ClaimsOps, claims_rules
from sendtui.tui.widgets.key_bar import KeyBar
from sendtui.tui.widgets.tables import cursor_id

STATUS_FILTERS: tuple[tuple[str, tuple[str, ...] | None], ...] = (
    ("open", ("draft", "submitted", "approved")),
    ("submitted", ("submitted",)),
    ("approved", ("approved",)),
    ("paid", ("paid",)),
    ("rejected", ("rejected",)),
    ("draft", ("draft",)),
    ("all", None),
)
# Columns: (key, title, width when the terminal is wide, when narrow; 0: left out). The
# event/meeting column ("where", None) takes the width the others leave.
COLUMNS: tuple[tuple[str, str, int | None, int | None], ...] = (
    ("id", "No.", 4, 4),
    ("date", "Date", 10, 10),
    ("member", "Member", 18, 12),
    ("where", "Event or meeting", None, None),
    ("status", "Status", 9, 9),
    ("pay", "Pay to", 6, 0),
    ("flags", "Flags", 5, 4),
    ("amount", "Amount", 11, 10),
)
WIDE = 100
STATUS_ORDER = ("draft", "submitted", "approved", "paid", "rejected")
PAY_SHORT = {"member": "", "forum": "forum", "declined": "none"}
DETAIL_ITEMS = 4


@dataclass
class ClaimFilter:
    """What the table shows: a status filter, and optionally one member, one event, a period."""

    status_index: int = 0
    member_id: int | None = None
    member_name: str = ""
    event_id: int | None = None
    event_title: str = ""
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def status(self) -> str:
        return STATUS_FILTERS[self.status_index][0]

    @property
    def statuses(self) -> tuple[str, ...] | None:
        return STATUS_FILTERS[self.status_index][1]

    def describe(self) -> Text:
        text = Text()
        for label, value, key in (
            ("Status", self.status, "s"),
            ("Member", self.member_name or "all", "f"),
            ("Event", self.event_title or "all", "f"),
            ("Period", _period(self.start, self.end), "f"),
        ):
            text.append(f"{label}: ", style="dim")
            text.append(value, style="bold")
            text.append(f" ({key})  ", style="dim")
        return text


def _period(start: dt.date | None, end: dt.date | None) -> str:
    if start is None and end is None:
        return "any date"
    return f"{start.isoformat() if start else '…'} to {end.isoformat() if end else '…'}"


class ClaimsScreen(ClaimsOps, ClaimsMarked, ClaimsFiles, Screen[None]):
    """Every claim, newest first; keys act on the highlighted one, or on every marked one
    (space marks) for approve and paid."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="claims.back"),
        Binding("n", "new", "New", id="claims.new"),
        Binding("e", "edit", "Edit", id="claims.edit", show=False),
        Binding("u", "submit", "Submit", id="claims.submit", show=False),
        Binding("a", "approve", "Approve", id="claims.approve"),
        Binding("r", "reject", "Reject", id="claims.reject"),
        Binding("p", "pay", "Paid", id="claims.pay"),
        Binding("space", "mark", "Mark", id="claims.mark"),
        Binding("k", "correct", "Correct", id="claims.correct", show=False),
        Binding("delete", "delete", "Delete draft", id="claims.delete", show=False),
        Binding("s", "status", "Status", id="claims.status"),
        Binding("f", "filter", "Filter", id="claims.filter"),
        Binding("m", "members", "Members", id="claims.members"),
        Binding("t", "reports", "Reports", id="claims.reports"),
        Binding("o", "form", "Claim form", id="claims.form", show=False),
        Binding("b", "batch", "Payment batch", id="claims.batch", show=False),
        Binding("i", "import_csv", "Import CSV", id="claims.import", show=False),
        Binding("h", "history", "History", id="claims.history", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter = ClaimFilter()
        self.rows: list[ClaimRow] = []
        self.flags: dict[int, list[Flag]] = {}
        self.shown: list[str] = []
        self.marked: set[int] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="claims-filters")
        yield DataTable(id="claims", cursor_type="row", zebra_stripes=True)
        yield Static("", id="claims-empty")
        yield Static("", id="claims-totals")
        yield Static("", id="claim-detail")
        yield KeyBar()

    DEFAULT_CSS = """
    ClaimsScreen #claims-filters { height: 1; padding: 0 1; background: $panel; }
    ClaimsScreen #claims { height: 1fr; }
    ClaimsScreen #claims-empty { display: none; height: 1fr; padding: 1 2; color: $text-muted; }
    ClaimsScreen #claims-totals { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    ClaimsScreen #claim-detail { height: auto; max-height: 9; padding: 0 1;
        border-top: hkey $panel-lighten-2; }
    """

    def on_mount(self) -> None:
        ctx = self.app.context  # type: ignore[attr-defined]
        self.store = ctx.store
        self.rules = claims_rules(ctx)
        self.sub_title = "Claims"
        self._columns()
        self.refresh_claims()
        self.query_one(DataTable).focus()
        if not self.rules.acting_name:
            self.ask_name()

    def _columns(self) -> None:
        table = self.query_one(DataTable)
        wide = self.app.size.width >= WIDE
        widths = {key: (w if wide else n) for key, _, w, n in COLUMNS}
        fixed = sum(w + 2 for w in widths.values() if w)
        widths["where"] = max(10, self.app.size.width - fixed - 4)
        self.shown = [key for key, _, _, _ in COLUMNS if widths[key]]
        table.clear(columns=True)
        for key, title, _, _ in COLUMNS:
            if widths[key]:
                label = Text(title, justify="right" if key in ("id", "amount") else "left")
                table.add_column(label, key=key, width=widths[key])

    def on_resize(self) -> None:
        self._columns()
        self._fill(self.current_id())

    # -- the list ----------------------------------------------------------------------------

    def refresh_claims(self, select: int | None = None) -> None:
        """Read the claims that match the filter (a few milliseconds) and redraw."""
        f = self.filter
        keep = select if select is not None else self.current_id()
        self.rows = claim_rows(
            self.store.reader,
            statuses=f.statuses,
            member_id=f.member_id,
            event_id=f.event_id,
            start=f.start,
            end=f.end,
        )
        self.flags = claim_flags(self.store.reader, self.rules, [r.id for r in self.rows])
        self.marked &= {r.id for r in self.rows}
        self.query_one("#claims-filters", Static).update(f.describe())
        self._fill(keep)

    def _fill(self, keep: int | None) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for r in self.rows:
            cells = {
                "id": Text(("✓" if r.id in self.marked else "") + str(r.id), justify="right"),
                "date": Text(r.claim_date.isoformat()),
                "member": Text(r.member),
                "where": Text(("↺ " if r.corrects_id else "") + r.where),
                "status": Text(r.status),
                "pay": Text(PAY_SHORT.get(r.pay_to, r.pay_to)),
                "flags": Text(flag_letters(self.flags.get(r.id, [])), style="bold"),
                "amount": Text(format_pence(r.total_pence), justify="right"),
            }
            table.add_row(*(cells[key] for key in self.shown), key=str(r.id))
        empty = self.query_one("#claims-empty", Static)
        empty.display = not self.rows
        table.display = bool(self.rows)
        if not self.rows:
            empty.update(
                Text(
                    "No claims match the filter. Press n for a new claim, s or f to "
                    "change the filter, i to import a spreadsheet (CSV)."
                )
            )
        if keep is not None:
            index = next((i for i, r in enumerate(self.rows) if r.id == keep), None)
            if index is not None:
                table.move_cursor(row=index)
        self._totals()
        self.show_detail()

    def _totals(self) -> None:
        """The total of what is shown, rejected claims left out (and said so)."""
        counted_rows = [r for r in self.rows if r.status != "rejected"]
        total = sum(r.total_pence for r in counted_rows)
        by_status: dict[str, int] = {}
        for r in counted_rows:
            by_status[r.status] = by_status.get(r.status, 0) + r.total_pence
        n = len(self.rows)
        statuses = sorted({r.status for r in counted_rows}, key=STATUS_ORDER.index)
        text = Text(f"{n} claim{'s' if n != 1 else ''} · total {format_pence(total)}")
        parts = (
            [f"{s} {format_pence(by_status[s])}" for s in statuses]
            if len(statuses) > 1
            else statuses
        )
        parts.append("rejected not counted")  # kept, listed with s, never in a total
        text.append(" (" + ", ".join(parts) + ")", style="dim")
        if self.marked:
            marked = [r for r in self.rows if r.id in self.marked]
            text.append(
                f" · {len(marked)} marked, {format_pence(sum(r.total_pence for r in marked))}",
                style="bold",
            )
        self.query_one("#claims-totals", Static).update(text)

    def current_id(self) -> int | None:
        return cursor_id(self.query_one(DataTable)) if self.rows else None

    def current(self) -> ClaimRow | None:
        claim_id = self.current_id()
        return next((r for r in self.rows if r.id == claim_id), None)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def show_detail(self) -> None:
        """The highlighted claim's items, flags and where it is in the workflow."""
        panel = self.query_one("#claim-detail", Static)
        row = self.current()
        panel.display = row is not None
        if row is None:
            return
        detail = self.service().get(row.id)
        text = Text()
        text.append(f"Claim {row.id}: ", style="bold")
        text.append(history.summary(detail) + "\n", style="italic")  # where it stands, first
        text.append(f"{detail.member_name} · {format_day(detail.claim_date)} · {detail.where}")
        text.append(f" · {PayTo(detail.pay_to).label.lower()}\n", style="dim")
        for item in detail.items[:DETAIL_ITEMS]:
            words = " — ".join(x for x in (item.description, item.working) if x)
            text.append(f"  {format_pence(item.amount_pence):>10}  {item.category}")
            text.append(f"  {words}\n" if words else "\n", style="dim")
        if len(detail.items) > DETAIL_ITEMS:
            text.append(f"  … and {len(detail.items) - DETAIL_ITEMS} more items\n", style="dim")
        for flag in self.flags.get(row.id, []):
            text.append(f"⚑ {flag.message}\n", style="bold")
        text.append(_next_step(detail.status), style="dim")
        panel.update(text)

    # -- filters -----------------------------------------------------------------------------

    def action_status(self) -> None:
        self.filter.status_index = (self.filter.status_index + 1) % len(STATUS_FILTERS)
        self.refresh_claims()

    def action_back(self) -> None:
        self.dismiss()

    def on_screen_resume(self) -> None:
        self.refresh_claims()


def _next_step(status: str) -> str:
    return {
        "approved": "Next: mark it paid (p) once the money has gone",
        "submitted": "Next: approve (a) or reject (r); space marks several",
        "draft": "Next: submit (u), or delete it (Delete)",
        "rejected": "Rejected claims are kept, and not counted in totals",
        "paid": "Paid and locked: k makes a correcting claim",
    }.get(status, "")
