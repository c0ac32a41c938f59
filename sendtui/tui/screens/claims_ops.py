"""What the claims screen does: new, edit, submit, approve, reject, pay, correct, delete,
filter, and the files (claim form, payment batch, spreadsheet import).

A mixin, so the screen module keeps to the list and its layout. Every change goes through the
headless ClaimService (which records the audit trail); files are written in worker threads.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sendtui.errors import SendtuiError
from sendtui.services.claims import treasurer
from sendtui.services.claims.audit import clean_who
from sendtui.services.claims.pricing import describe_changes
from sendtui.services.claims.rules import ClaimRules
from sendtui.services.claims.workflow import ClaimService
from sendtui.tui.screens.form import Field, FormScreen

if TYPE_CHECKING:
    from sendtui.services.claims.queries import ClaimRow
    from sendtui.store.store import Store


def claims_rules(ctx: Any) -> ClaimRules:
    """config.toml's [claims], with the treasurer's name given before (see treasurer.py)."""
    remembered = ctx.state.get(treasurer.KEY).get("name", "")
    return ClaimRules(
        ctx.config.claims, remembered=remembered if isinstance(remembered, str) else ""
    )


class ClaimsOps:
    """Claim operations for ClaimsScreen (which provides the attributes used here)."""

    app: Any
    store: Store
    rules: ClaimRules
    filter: Any
    flags: dict[int, list[Any]]
    marked: set[int]
    rows: list[ClaimRow]

    if TYPE_CHECKING:  # provided by ClaimsScreen

        def current(self) -> ClaimRow | None: ...
        def refresh_claims(self, select: int | None = None) -> None: ...

    def service(self, who: str | None = None) -> ClaimService:
        return ClaimService(self.store, self.rules, who=who or self.rules.acting_name or "?")

    def _say(self, message: str, *, error: bool = False) -> None:
        self.app.say(message, severity="error" if error else "information")

    def ask_name(self, then: Any = None) -> None:
        """The first time, ask who is making changes (never the login name) and remember it
        in this database; config.toml [claims] treasurer sets it for good."""

        def given(values: dict[str, str] | None) -> None:
            if values is None:
                return
            name = clean_who(values["name"])
            self.app.context.state.put(treasurer.KEY, {"name": name})
            self.rules = ClaimRules(self.app.context.config.claims, remembered=name)
            self._say(f"Changes will be recorded as made by {name}.")
            if then is not None:
                then()

        fields = [Field("name", "Your name", placeholder="as the committee knows you")]
        intro = (
            "Every change to a claim is recorded with who made it, for the committee and the "
            "auditor. sendtui remembers your name in this database (or set [claims] treasurer "
            "in config.toml)."
        )
        self.app.push_screen(
            FormScreen("Who are you?", fields, check=lambda v: clean_who(v["name"]), intro=intro),
            given,
        )

    def _named(self, then: Any) -> bool:
        """True when the treasurer's name is known; otherwise ask, then carry on."""
        if self.rules.acting_name:
            return True
        self.ask_name(then)
        return False

    def _do(self, done: str, operation: Any, *args: Any, **kwargs: Any) -> bool:
        """Run a service call; say what happened (or why not), and which other claims it
        re-priced, and redraw."""
        service = self.service()
        try:
            getattr(service, operation)(*args, **kwargs)
        except SendtuiError as exc:
            self._say(exc.message, error=True)
            return False
        self._say(" ".join(x for x in (done, describe_changes(service.repriced)) if x))
        self.refresh_claims()
        return True

    def _row(self, *statuses: str, doing: str) -> ClaimRow | None:
        row = self.current()
        if row is None:
            self._say("No claim is selected.")
            return None
        if statuses and row.status not in statuses:
            self._say(f"Claim {row.id} is {row.status}; it cannot be {doing}.", error=True)
            return None
        return row

    # -- claims ------------------------------------------------------------------------------

    def _open_form(self, claim_id: int | None = None, *, corrects: int | None = None) -> None:
        from sendtui.tui.screens.claim_form import ClaimFormScreen

        if not self._named(lambda: self._open_form(claim_id, corrects=corrects)):
            return
        screen = ClaimFormScreen(claim_id, corrects=corrects)

        def saved(new_id: int | None) -> None:
            if new_id is not None:
                self._say(" ".join(x for x in (f"Claim {new_id} saved.", screen.repriced) if x))
                self.refresh_claims(select=new_id)

        self.app.push_screen(screen, saved)

    def action_new(self) -> None:
        self._open_form()

    def action_edit(self) -> None:
        row = self._row(doing="changed")
        if row is None:
            return
        if row.status == "paid":
            self._say(
                f"Claim {row.id} is paid and locked; press k for a correcting claim.", error=True
            )
            return
        self._open_form(row.id)

    def action_correct(self) -> None:
        row = self._row("paid", doing="corrected (only a paid claim needs a correcting claim)")
        if row is not None:
            self._open_form(corrects=row.id)

    def action_submit(self) -> None:
        row = self._row("draft", "rejected", doing="submitted")
        if row is not None and self._named(self.action_submit):
            self._do(f"Claim {row.id} submitted.", "submit", row.id)

    def action_approve(self) -> None:
        from sendtui.tui.screens.claim_approve import ApproveScreen

        if not self._named(self.action_approve):
            return
        if self.marked:
            self._approve_marked()
            return
        row = self._row("draft", "submitted", doing="approved")
        if row is None:
            return
        detail = self.service().get(row.id)

        def approve(name: str, pay_to: str | None) -> None:
            self.service(name).approve(row.id, approver=name, pay_to=pay_to)

        def done(approved: bool | None) -> None:
            if approved:
                self._say(f"Claim {row.id} approved.")
                self.refresh_claims()

        forum = self.app.context.config.forum.name
        screen = ApproveScreen(
            detail, self.flags.get(row.id, []), self.rules.acting_name, approve, forum=forum
        )
        self.app.push_screen(screen, done)

    def action_reject(self) -> None:
        row = self._row("draft", "submitted", "approved", doing="rejected")
        if row is None or not self._named(self.action_reject):
            return
        fields = [
            Field("reason", "Reason", placeholder="e.g. no receipt for the taxi; please resend"),
            Field("by", "Rejected by", self.rules.acting_name),
        ]

        repriced: list[Any] = []

        def check(values: dict[str, str]) -> None:
            service = self.service(values["by"])
            service.reject(row.id, values["reason"])
            repriced[:] = service.repriced

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self._say(f"Claim {row.id} rejected. {describe_changes(repriced)}".strip())
                self.refresh_claims()

        self.app.push_screen(
            FormScreen(f"Reject claim {row.id}", fields, check=check, save_label="Reject"), done
        )

    def _pay_fields(self) -> list[Field]:
        methods = [(m, m) for m in self.rules.payment_methods]
        return [
            Field("paid_on", "Paid on", dt.date.today().isoformat()),
            Field("method", "Method", methods[0][1], choices=methods),
            Field("reference", "Reference", placeholder="the bank's or the cheque's reference"),
            Field("by", "Recorded by", self.rules.acting_name),
        ]

    def action_pay(self) -> None:
        from sendtui.services.claims.items import parse_claim_date

        if not self._named(self.action_pay):
            return
        if self.marked:
            self._pay_marked()
            return
        row = self._row("approved", doing="paid (approve it first)")
        if row is None:
            return

        def check(values: dict[str, str]) -> None:
            self.service(values["by"]).pay(
                row.id,
                paid_on=parse_claim_date(values["paid_on"]),
                method=values["method"],
                reference=values["reference"],
            )

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self._say(f"Claim {row.id} marked paid.")
                self.refresh_claims()

        self.app.push_screen(
            FormScreen(
                f"Claim {row.id} paid", self._pay_fields(), check=check, save_label="Mark paid"
            ),
            done,
        )

    def action_delete(self) -> None:
        from sendtui.tui.screens.confirm import ConfirmScreen

        row = self._row("draft", doing="deleted (reject it instead, so the record is kept)")
        if row is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._do(f"Draft claim {row.id} deleted.", "delete", row.id)

        self.app.push_screen(ConfirmScreen(f"Delete draft claim {row.id}?", yes="Delete"), answered)

    def action_history(self) -> None:
        from sendtui.services.claims import audit, history
        from sendtui.tui.screens.message import MessageScreen

        row = self._row(doing="shown")
        if row is None:
            return
        detail = self.service().get(row.id)
        lines = [history.summary(detail), ""] + [
            history.describe(e) for e in audit.history(self.store.reader, "claim", row.id)
        ]
        self.app.push_screen(
            MessageScreen(f"History of claim {row.id}", "\n".join(lines), error=False)
        )

    # -- filters and other screens -----------------------------------------------------------

    def action_filter(self) -> None:
        from sendtui.services.claims.items import parse_claim_date
        from sendtui.services.claims.queries import member_rows
        from sendtui.store import reads

        members = [("All members", "")] + [
            (m.name, str(m.id)) for m in member_rows(self.store.reader)
        ]
        events = [("All events", "")] + [
            (e.title, str(e.id)) for e in reads.event_summaries(self.store.reader)
        ]
        f = self.filter
        fields = [
            Field("member", "Member", str(f.member_id or ""), choices=members),
            Field("event", "Event", str(f.event_id or ""), choices=events),
            Field("start", "From (date)", f.start.isoformat() if f.start else "", "blank: any"),
            Field("end", "To (date)", f.end.isoformat() if f.end else "", "blank: any"),
        ]

        def dates(values: dict[str, str]) -> tuple[dt.date | None, dt.date | None]:
            start = parse_claim_date(values["start"]) if values["start"].strip() else None
            end = parse_claim_date(values["end"]) if values["end"].strip() else None
            return start, end

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            f.member_id = int(values["member"]) if values["member"] else None
            f.member_name = _label(members, values["member"])
            f.event_id = int(values["event"]) if values["event"] else None
            f.event_title = _label(events, values["event"])
            f.start, f.end = dates(values)
            self.refresh_claims()

        self.app.push_screen(
            FormScreen("Filter claims", fields, check=dates, save_label="Filter"), done
        )

    def action_members(self) -> None:
        from sendtui.tui.screens.members import MembersScreen

        self.app.push_screen(MembersScreen())

    def action_reports(self) -> None:
        from sendtui.tui.screens.claims_report import ClaimsReportScreen

        self.app.push_screen(ClaimsReportScreen())


def _label(choices: list[tuple[str, str]], value: str) -> str:
    """The label of a chosen value ("" for the "all" choice)."""
    return next((label for label, v in choices if v == value), "") if value else ""
