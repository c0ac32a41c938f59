"""The claims screen's files: the printable claim form, the payment batch and the
spreadsheet import, each written or read in a worker thread (a mixin for ClaimsScreen)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work

from sendtui.errors import SendtuiError
from sendtui.services.money import format_pence
from sendtui.tui.screens.form import Field, FormScreen

if TYPE_CHECKING:
    from sendtui.services.claims.rules import ClaimRules
    from sendtui.services.claims.workflow import ClaimService
    from sendtui.store.store import Store


class ClaimsFiles:
    """File operations for ClaimsScreen (which provides the attributes used here)."""

    app: Any
    store: Store
    rules: ClaimRules

    if TYPE_CHECKING:  # provided by ClaimsScreen and ClaimsOps

        def service(self, who: str | None = None) -> ClaimService: ...
        def refresh_claims(self, select: int | None = None) -> None: ...
        def _say(self, message: str, *, error: bool = False) -> None: ...
        def _row(self, *statuses: str, doing: str) -> Any: ...
        def _named(self, then: Any) -> bool: ...

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
        if not self._named(self.action_import_csv):
            return
        self._ask_path(
            "Import claims from a spreadsheet (.xlsx or CSV; see README for the columns)",
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

        conn = self.store.new_reader()  # this thread's own connection, on either backend
        try:
            batch = payment_batch(conn)
            write_text(path, batch_csv(batch), private=True)
        except SendtuiError as exc:
            self.app.call_from_thread(self._say, exc.message, error=True)
            return
        finally:
            conn.close()
        message = " ".join(
            [
                f"Wrote {path}: {len(batch.rows)} payees, {format_pence(batch.total_pence)}.",
                *batch.notes(),
                "Mark the claims paid (space marks several, then p) once the money has gone.",
            ]
        )
        self.app.call_from_thread(self._say, message)

    @work(thread=True, exclusive=True, group="claims-file")
    def _import(self, path: Path) -> None:
        from sendtui.services.claims.csv_import import import_claims
        from sendtui.services.claims.pricing import describe_changes

        try:
            who = self.rules.acting_name
            result = import_claims(self.store, self.rules, path, who=who)
        except SendtuiError as exc:
            self.app.call_from_thread(self._import_failed, exc.message)
            return
        parts = [result.summary(), *result.warnings, describe_changes(result.repriced)]
        self.app.call_from_thread(self._imported, " ".join(p for p in parts if p))

    def _import_failed(self, message: str) -> None:
        from sendtui.tui.screens.message import MessageScreen

        self.app.push_screen(MessageScreen("Nothing was imported", message))

    def _imported(self, summary: str) -> None:
        self._say(summary)
        self.refresh_claims()
