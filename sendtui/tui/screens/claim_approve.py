"""Approving a claim: the claim and its flags first, then who approves and who is paid.

Flags are things to check (no receipt, an old claim, a possible duplicate, pay above the
earnings limit), never blocks. The dialog says where the money goes (expenses always to the
member; remuneration to the member, or to the forum instead). Plain "Approve" is the default
(Enter); "Approve, pay the forum instead" is offered only when the earnings limit is at stake,
and is an explicit choice (Tab to it) that changes where the REMUNERATION goes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from sendtui.errors import SendtuiError
from sendtui.models import PayTo
from sendtui.services.allowances import format_day
from sendtui.services.claims.detail import ClaimDetail
from sendtui.services.claims.flags import Flag
from sendtui.services.claims.payees import split
from sendtui.services.money import format_pence

Approve = Callable[[str, str | None], None]
"""Called with (approver's name, "forum" or None); raises SendtuiError to refuse."""


class ApproveScreen(ModalScreen[bool]):
    """Dismisses with True once approved, False if cancelled."""

    DEFAULT_CSS = """
    ApproveScreen #approve-flags { margin-bottom: 1; height: auto; }
    ApproveScreen #approve-flags.warning { color: $warning; }
    ApproveScreen #approve-error { display: none; color: $error; text-style: bold; }
    ApproveScreen #approve-error.shown { display: block; height: auto; }
    ApproveScreen #dialog { width: 84; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="approve.cancel")]

    def __init__(
        self,
        detail: ClaimDetail,
        flags: Sequence[Flag],
        approver: str,
        approve: Approve,
        *,
        forum: str = "the forum",
    ) -> None:
        super().__init__()
        self.forum = forum
        self.detail = detail
        self.flags = list(flags)
        self.approver = approver
        self.approve = approve

    def compose(self) -> ComposeResult:
        d = self.detail
        n = len(d.items)
        summary = Text()
        summary.append(f"{d.member_name} · {format_day(d.claim_date)} · {d.where}\n")
        summary.append(f"{format_pence(d.total_pence)} in {n} item{'s' if n != 1 else ''}.\n")
        shares = split(d.pay_to, [(i.kind, i.amount_pence) for i in d.items])
        summary.append("Approve pays " + shares.describe(d.member_name, self.forum) + ".")
        forum_share = split(PayTo.FORUM.value, [(i.kind, i.amount_pence) for i in d.items])
        if self._over_limit and d.pay_to != PayTo.FORUM.value and forum_share.to_forum:
            summary.append(
                "\nOr choose “pay the forum instead”: "
                + forum_share.describe(d.member_name, self.forum)
                + ".",
                style="bold",
            )
        flags = Text()
        for n, flag in enumerate(self.flags):
            flags.append(("\n" if n else "") + "⚑ ", style="bold")
            flags.append(flag.message)
        if not self.flags:
            flags.append("No flags: nothing unusual found.")
        with Vertical(id="dialog"):
            yield Static(Text(f"Approve claim {d.id}"), id="dialog-title")
            yield Static(summary, id="dialog-body")
            yield Static(flags, id="approve-flags", classes="warning" if self.flags else "")
            with Horizontal(classes="field"):
                yield Label("Approved by", classes="field-label")
                yield Input(self.approver, id="approver", compact=True)
            yield Static("", id="approve-error")
            with Horizontal(classes="buttons"):
                yield Button("Approve", id="approve", variant="primary")
                # Offered only when the earnings limit is at stake: otherwise one Tab too many
                # would change who is paid (the claim form's "Pay to" does that on purpose).
                if self._over_limit and d.pay_to != PayTo.FORUM.value:
                    yield Button(
                        "Approve, pay the forum instead", id="approve-forum", variant="warning"
                    )
                yield Button("Cancel", id="cancel")

    @property
    def _over_limit(self) -> bool:
        return any(f.code == "earnings" for f in self.flags)

    def on_mount(self) -> None:
        # Plain approve is the default: Enter never changes who is paid.
        self.query_one("#approve", Button).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._approve(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "approve":
            self._approve(None)
        elif event.button.id == "approve-forum":
            self._approve(PayTo.FORUM.value)
        else:
            self.dismiss(False)

    def _approve(self, pay_to: str | None) -> None:
        try:
            self.approve(self.query_one("#approver", Input).value, pay_to)
        except SendtuiError as exc:
            error = self.query_one("#approve-error", Static)
            error.update(Text(exc.message))
            error.add_class("shown")
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
