"""The top of the claim form: member, date, event or meeting, who is paid, submit now.

Reads what was typed into a `ClaimHeader`, showing each problem beside its field. Posts
`ClaimHeaderFields.Changed` when the member or the date changes (the items are then worked
out again, as rates and the 10,000-mile line depend on them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Checkbox, Input, Select

from sendtui.errors import SendtuiError
from sendtui.models import PayTo
from sendtui.services.claims.detail import ClaimHeader
from sendtui.services.claims.items import parse_claim_date
from sendtui.store.reads import EventSummary
from sendtui.tui.widgets.claims_item_editor import FieldRow

HEADER_FIELDS = ("member", "date", "event", "meeting", "pay_to")


class ClaimHeaderFields(Vertical):
    """The claim's own fields."""

    DEFAULT_CSS = """
    ClaimHeaderFields { height: auto; }
    ClaimHeaderFields #row-submit Checkbox { border: none; padding: 0; width: auto; }
    """

    class Changed(Message):
        """The member or the date changed."""

        def __init__(self, member_changed: bool) -> None:
            super().__init__()
            self.member_changed = member_changed

    def __init__(
        self, members: Sequence[tuple[int, str, str]], events: Sequence[EventSummary]
    ) -> None:
        super().__init__(id="claim-header")
        self.members = list(members)
        self.events = list(events)
        self.event_dates = {e.id: e.date for e in events}

    def compose(self) -> ComposeResult:
        members = [(Text(name), member_id) for member_id, name, _ in self.members]
        events = [
            (Text(f"{e.title} ({e.date.isoformat() if e.date else 'no date'})"), e.id)
            for e in self.events
        ]
        yield FieldRow(
            "member",
            "Member",
            Select(members, prompt="Choose the member", id="field-member", compact=True),
        )
        yield FieldRow(
            "date",
            "Date",
            Input(placeholder="e.g. 2025-07-08 or 08/07/2025", id="field-date", compact=True),
        )
        yield FieldRow(
            "event",
            "Event",
            Select(events, prompt="No event: describe the meeting", id="field-event", compact=True),
        )
        yield FieldRow(
            "meeting",
            "Meeting",
            Input(placeholder="e.g. SEND partnership board", id="field-meeting", compact=True),
        )
        yield FieldRow(
            "pay_to",
            "Pay to",
            Select(
                [(Text(p.label), p.value) for p in PayTo],
                allow_blank=False,
                value=PayTo.MEMBER.value,
                id="field-pay_to",
                compact=True,
            ),
        )
        yield FieldRow(
            "submit",
            "Submit now",
            Checkbox(
                "the member has signed the claim", value=True, id="field-submit", compact=True
            ),
        )

    def fill(self, header: ClaimHeader, *, submit: bool) -> None:
        if any(m[0] == header.member_id for m in self.members):
            self.query_one("#field-member", Select).value = header.member_id
        self.query_one("#field-date", Input).value = header.claim_date.isoformat()
        if header.event_id in self.event_dates:
            self.query_one("#field-event", Select).value = header.event_id
        self.query_one("#field-meeting", Input).value = header.meeting
        self.set_pay_to(header.pay_to or PayTo.MEMBER.value)
        self.query_one("#field-submit", Checkbox).value = submit

    def typed(self) -> tuple[object, ...]:
        """Every field's value as it stands."""
        return tuple(
            widget.value
            for widget in self.query("Input, Select, Checkbox")  # type: ignore[attr-defined]
        )

    def set_pay_to(self, value: str) -> None:
        self.query_one("#field-pay_to", Select).value = value

    def show_submit(self, shown: bool) -> None:
        self.query_one("#row-submit").display = shown

    @property
    def submit(self) -> bool:
        row = self.query_one("#row-submit")
        return bool(row.display) and self.query_one("#field-submit", Checkbox).value

    def member_id(self) -> int | None:
        value = self.query_one("#field-member", Select).value
        return value if isinstance(value, int) else None

    def claim_date(self) -> dt.date | None:
        try:
            return parse_claim_date(self.query_one("#field-date", Input).value)
        except SendtuiError:
            return None

    def grade(self) -> str:
        member_id = self.member_id()
        return next((m[2] for m in self.members if m[0] == member_id), "")

    def read(self) -> ClaimHeader | None:
        """The header as typed; None, with the problems shown, if the member or date is wrong."""
        problems: dict[str, str] = {}
        member_id = self.member_id()
        if member_id is None:
            problems["member"] = "Choose the member who is claiming."
        claim_date = None
        try:
            claim_date = parse_claim_date(self.query_one("#field-date", Input).value)
        except SendtuiError as exc:
            problems["date"] = exc.message
        self.show_problems(problems)
        if member_id is None or claim_date is None:
            return None
        event = self.query_one("#field-event", Select).value
        return ClaimHeader(
            member_id=member_id,
            claim_date=claim_date,
            event_id=event if isinstance(event, int) else None,
            meeting=self.query_one("#field-meeting", Input).value,
            pay_to=str(self.query_one("#field-pay_to", Select).value),
        )

    def show_problems(self, problems: dict[str, str]) -> None:
        for row in self.query(FieldRow):
            if row.field_name in HEADER_FIELDS:
                row.show_error(problems.get(row.field_name, ""))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "field-member":
            self.post_message(self.Changed(member_changed=True))
        elif event.select.id == "field-event" and isinstance(event.value, int):
            day = self.event_dates.get(event.value)
            date_input = self.query_one("#field-date", Input)
            if day is not None and not date_input.value.strip():
                date_input.value = day.isoformat()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "field-date":
            self.post_message(self.Changed(member_changed=False))
