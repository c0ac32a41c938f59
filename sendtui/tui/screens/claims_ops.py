"""What the claims screen does: new, edit, submit, approve, reject, pay, correct, delete,
filter, and the files (claim form, payment batch, spreadsheet import).

A mixin, so the screen module keeps to the list and its layout. Every change goes through the
headless ClaimService (which records the audit trail); files are written in worker threads.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work

from sendtui.errors import SendtuiError
from sendtui.services.claims.workflow import ClaimService
from sendtui.tui.screens.form import Field, FormScreen

if TYPE_CHECKING:
    from sendtui.services.claims.queries import ClaimRow
    from sendtui.services.claims.rules import ClaimRules
    from sendtui.store.store import Store


class ClaimsOps:
    """Claim operations for ClaimsScreen (which provides the attributes used here)."""

    app: Any
    store: Store
    rules: ClaimRules
    filter: Any
    flags: dict[int, list[Any]]

    if TYPE_CHECKING:  # provided by ClaimsScreen

        def current(self) -> ClaimRow | None: ...
        def refresh_claims(self, select: int | None = None) -> None: ...

    def service(self, who: str | None = None) -> ClaimService:
        return ClaimService(self.store, self.rules, who=who or self.rules.acting_name)

    def _say(self, message: str, *, error: bool = False) -> None:
        self.app.say(message, severity="error" if error else "information")

    def _do(self, done: str, operation: Any, *args: Any, **kwargs: Any) -> bool:
        """Run a service call; say what happened (or why not) and redraw."""
        try:
            operation(*args, **kwargs)
        except SendtuiError as exc:
            self._say(exc.message, error=True)
            return False
        self._say(done)
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

        def saved(new_id: int | None) -> None:
            if new_id is not None:
                self._say(f"Claim {new_id} saved.")
                self.refresh_claims(select=new_id)

        self.app.push_screen(ClaimFormScreen(claim_id, corrects=corrects), saved)

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
        if row is not None:
            self._do(f"Claim {row.id} submitted.", self.service().submit, row.id)

    def action_approve(self) -> None:
        from sendtui.tui.screens.claim_approve import ApproveScreen

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

        screen = ApproveScreen(detail, self.flags.get(row.id, []), self.rules.acting_name, approve)
        self.app.push_screen(screen, done)

    def action_reject(self) -> None:
        row = self._row("draft", "submitted", "approved", doing="rejected")
        if row is None:
            return
        fields = [
            Field("reason", "Reason", placeholder="e.g. no receipt for the taxi; please resend"),
            Field("by", "Rejected by", self.rules.acting_name),
        ]

        def check(values: dict[str, str]) -> None:
            self.service(values["by"]).reject(row.id, values["reason"])

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self._say(f"Claim {row.id} rejected.")
                self.refresh_claims()

        self.app.push_screen(
            FormScreen(f"Reject claim {row.id}", fields, check=check, save_label="Reject"), done
        )

    def action_pay(self) -> None:
        row = self._row("approved", doing="paid (approve it first)")
        if row is None:
            return
        from sendtui.services.claims.items import parse_claim_date

        methods = [(m, m) for m in self.rules.payment_methods]
        fields = [
            Field("paid_on", "Paid on", dt.date.today().isoformat()),
            Field("method", "Method", methods[0][1], choices=methods),
            Field("reference", "Reference", placeholder="the bank's or the cheque's reference"),
            Field("by", "Recorded by", self.rules.acting_name),
        ]

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
            FormScreen(f"Claim {row.id} paid", fields, check=check, save_label="Mark paid"), done
        )

    def action_delete(self) -> None:
        from sendtui.tui.screens.confirm import ConfirmScreen

        row = self._row("draft", doing="deleted (reject it instead, so the record is kept)")
        if row is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._do(f"Draft claim {row.id} deleted.", self.service().delete, row.id)

        self.app.push_screen(ConfirmScreen(f"Delete draft claim {row.id}?", yes="Delete"), answered)

    def action_history(self) -> None:
        from sendtui.services.claims import audit
        from sendtui.tui.screens.message import MessageScreen

        row = self._row(doing="shown")
        if row is None:
            return
        lines = [
            f"{e.at.astimezone().strftime('%Y-%m-%d %H:%M')}  {e.who}: {e.action}\n"
            f"    {e.summary()}"
            for e in audit.history(self.store.reader, "claim", row.id)
        ]
        self.app.push_screen(
            MessageScreen(
                f"History of claim {row.id}",
                "\n".join(lines) or "No changes recorded.",
                error=False,
            )
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

    # -- files -------------------------------------------------------------------------------

    def _ask_path(self, title: str, default: str, act: Any, label: str = "Write") -> None:
        def chosen(values: dict[str, str] | None) -> None:
            if values and values["path"].strip():
                act(Path(values["path"].strip()).expanduser())

        fields = [Field("path", "File", default)]
        self.app.push_screen(FormScreen(title, fields, save_label=label), chosen)

    def action_form(self) -> None:
        row = self._row(doing="printed")
        if row is not None:
            default = str(Path.cwd() / f"claim-{row.id}.docx")
            self._ask_path(
                f"Claim form for claim {row.id} (.docx or .pdf)",
                default,
                lambda path: self._write_form(row.id, path),
            )

    def action_batch(self) -> None:
        default = str(Path.cwd() / f"payments-{dt.date.today().isoformat()}.csv")
        self._ask_path(
            "Payment batch: approved claims, one row per payee (CSV)", default, self._write_batch
        )

    def action_import_csv(self) -> None:
        self._ask_path(
            "Import claims from a spreadsheet (CSV; see README for the columns)",
            "",
            self._import,
            label="Import",
        )

    @work(thread=True, exclusive=True, group="claims-file")
    def _write_form(self, claim_id: int, path: Path) -> None:
        from sendtui.exporters.claim_form import write_claim_form

        try:
            detail = self.service().get(claim_id)
            write_claim_form(detail, path, forum=self.app.context.config.forum.name)
        except SendtuiError as exc:
            self.app.call_from_thread(self._say, exc.message, error=True)
            return
        self.app.call_from_thread(self._say, f"Wrote {path} (private to you).")

    @work(thread=True, exclusive=True, group="claims-file")
    def _write_batch(self, path: Path) -> None:
        from sendtui.exporters.files import write_text
        from sendtui.services.claims.batch import batch_csv, payment_batch
        from sendtui.services.money import format_pence
        from sendtui.store.connection import connect

        conn = connect(self.store.path)  # this thread's own connection
        try:
            batch = payment_batch(conn, self.app.context.config.forum.name)
            write_text(path, batch_csv(batch), private=True)
        except SendtuiError as exc:
            self.app.call_from_thread(self._say, exc.message, error=True)
            return
        finally:
            conn.close()
        message = (
            f"Wrote {path}: {len(batch.rows)} payees, {format_pence(batch.total_pence)}. "
            "Mark each claim paid (p) once the money has gone."
        )
        self.app.call_from_thread(self._say, message)

    @work(thread=True, exclusive=True, group="claims-file")
    def _import(self, path: Path) -> None:
        from sendtui.services.claims.csv_import import import_claims_csv

        try:
            result = import_claims_csv(self.store, self.rules, path, who=self.rules.acting_name)
        except SendtuiError as exc:
            self.app.call_from_thread(self._import_failed, exc.message)
            return
        self.app.call_from_thread(self._imported, result.summary())

    def _import_failed(self, message: str) -> None:
        from sendtui.tui.screens.message import MessageScreen

        self.app.push_screen(MessageScreen("Nothing was imported", message))

    def _imported(self, summary: str) -> None:
        self._say(summary)
        self.refresh_claims()


def _label(choices: list[tuple[str, str]], value: str) -> str:
    """The label of a chosen value ("" for the "all" choice)."""
    return next((label for label, v in choices if v == value), "") if value else ""
