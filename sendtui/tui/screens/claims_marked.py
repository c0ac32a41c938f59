"""Several claims at once: space marks claims on the claims screen; approve (a) or mark
paid (p) then acts on every marked claim after ONE confirmation that lists them and their
total, and says which worked and why any did not (a mixin for ClaimsScreen)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sendtui.errors import SendtuiError
from sendtui.services.allowances import format_day
from sendtui.services.claims.audit import clean_who
from sendtui.services.claims.pricing import describe_changes
from sendtui.services.money import format_pence
from sendtui.tui.screens.form import Field, FormScreen

if TYPE_CHECKING:
    from sendtui.services.claims.queries import ClaimRow
    from sendtui.services.claims.rules import ClaimRules
    from sendtui.services.claims.workflow import ClaimService


class ClaimsMarked:
    """Marking and acting on several claims (ClaimsScreen provides the attributes)."""

    app: Any
    rules: ClaimRules
    marked: set[int]
    rows: list[ClaimRow]

    if TYPE_CHECKING:  # provided by ClaimsScreen and ClaimsOps

        def service(self, who: str | None = None) -> ClaimService: ...
        def refresh_claims(self, select: int | None = None) -> None: ...
        def current(self) -> ClaimRow | None: ...
        def query_one(self, selector: str) -> Any: ...
        def _say(self, message: str, *, error: bool = False) -> None: ...
        def _pay_fields(self) -> list[Field]: ...

    def _marked_rows(self, *statuses: str) -> tuple[list[ClaimRow], list[ClaimRow]]:
        """The marked claims shown, split into those in `statuses` and the rest."""
        rows = [r for r in self.rows if r.id in self.marked]
        return [r for r in rows if r.status in statuses], [
            r for r in rows if r.status not in statuses
        ]

    def _listing(self, rows: list[ClaimRow], skipped: list[ClaimRow], doing: str) -> str:
        """The marked claims, their flags (letters, as in the table) and the total."""
        from sendtui.services.claims.flags import flag_letters

        flags: dict[int, list[Any]] = getattr(self, "flags", {})
        lines = []
        for r in rows:
            letters = flag_letters(flags.get(r.id, []))
            lines.append(
                f"Claim {r.id}: {r.member}, {format_day(r.claim_date)}, "
                f"{format_pence(r.total_pence)}" + (f"  ⚑ {letters}" if letters else "")
            )
        total = sum(r.total_pence for r in rows)
        lines.append(f"Total {format_pence(total)} in {len(rows)} claims.")
        if any(flags.get(r.id) for r in rows):
            lines.append("⚑ R receipt, L late, D duplicate?, E earnings limit, M re-priced.")
        if skipped:
            listed = ", ".join(f"{r.id} ({r.status})" for r in skipped)
            lines.append(f"Not {doing}: claims {listed}.")
        return "\n".join(lines)

    def _each(self, rows: list[ClaimRow], act: Any, done: str) -> None:
        """Act on each claim; one message saying which worked and why any did not."""
        worked: list[int] = []
        failed: list[str] = []
        repriced: list[Any] = []
        for row in rows:
            service = self.service()
            try:
                act(service, row.id)
            except SendtuiError as exc:
                failed.append(f"claim {row.id}: {exc.message}")
                continue
            worked.append(row.id)
            repriced += service.repriced
        self.marked.clear()
        parts = []
        if worked:
            parts.append(f"{done} claims {', '.join(map(str, worked))}.")
        if failed:
            parts.append("Not done: " + "; ".join(failed))
        parts.append(describe_changes(repriced))
        self._say(" ".join(p for p in parts if p), error=bool(failed))
        self.refresh_claims()

    def _approve_marked(self) -> None:
        rows, skipped = self._marked_rows("draft", "submitted")
        if not rows:
            self._say("None of the marked claims can be approved (only drafts and submitted).")
            return
        fields = [Field("by", "Approved by", self.rules.acting_name)]

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                name = values["by"]
                self._each(
                    rows,
                    lambda service, claim_id: self.service(name).approve(claim_id, approver=name),
                    "Approved",
                )

        self.app.push_screen(
            FormScreen(
                f"Approve {len(rows)} claims",
                fields,
                check=lambda v: clean_who(v["by"]),
                save_label=f"Approve {len(rows)}",
                intro=self._listing(rows, skipped, "approved"),
            ),
            done,
        )

    def action_mark(self) -> None:
        row = self.current()
        if row is None:
            return
        self.marked ^= {row.id}
        self.refresh_claims()
        table = self.query_one("#claims")  # type: ignore[attr-defined]
        if table.cursor_row + 1 < len(self.rows):
            table.move_cursor(row=table.cursor_row + 1)

    def _pay_marked(self) -> None:
        from sendtui.services.claims.items import parse_claim_date

        rows, skipped = self._marked_rows("approved")
        if not rows:
            self._say("None of the marked claims is approved, so none can be paid.")
            return

        def check(values: dict[str, str]) -> None:
            paid_on = parse_claim_date(values["paid_on"])
            service = self.service(values["by"])
            service._method(values["method"])  # the same checks as each payment makes
            for row in rows:
                service.check_payment_date(row.claim_date, paid_on)

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            paid_on = parse_claim_date(values["paid_on"])
            self._each(
                rows,
                lambda service, claim_id: self.service(values["by"]).pay(
                    claim_id,
                    paid_on=paid_on,
                    method=values["method"],
                    reference=values["reference"],
                ),
                "Marked paid",
            )

        self.app.push_screen(
            FormScreen(
                f"Mark {len(rows)} claims paid",
                self._pay_fields(),
                check=check,
                save_label=f"Mark {len(rows)} paid",
                intro=self._listing(rows, skipped, "paid"),
            ),
            done,
        )
