"""The payment batch: approved, unpaid claims, one row per member to pay.

A member's row holds their expenses and, unless they asked for it to go to the forum or
declined it, their remuneration (see payees.py). Remuneration to be paid to the forum
instead is not a payment out of the forum's account (the forum would be paying itself): it is
listed apart, as kept by the forum; declined remuneration is listed apart too, not paid. The
file holds names and amounts: write it private (0600).
"""

from __future__ import annotations

from dataclasses import dataclass

from sendtui.services.claims.payees import split_item
from sendtui.services.money import format_pence
from sendtui.store.db import Db
from sendtui.text import neutralise_cell


@dataclass(frozen=True)
class BatchRow:
    payee: str
    pay_to: str  # always "member": the forum never pays itself
    payment_reference: str
    amount_pence: int
    claim_ids: tuple[int, ...]


@dataclass(frozen=True)
class Batch:
    rows: tuple[BatchRow, ...]
    declined: tuple[int, ...]  # approved claims with remuneration the member declines
    kept_by_forum: tuple[int, ...] = ()  # claims whose remuneration goes to the forum
    kept_pence: int = 0
    declined_pence: int = 0

    @property
    def total_pence(self) -> int:
        return sum(row.amount_pence for row in self.rows)

    @property
    def claim_ids(self) -> tuple[int, ...]:
        return tuple(sorted(i for row in self.rows for i in row.claim_ids))

    def notes(self) -> list[str]:
        """What is not in the batch, in words (for the command's and the app's message)."""
        out = []
        if self.kept_by_forum:
            listed = ", ".join(map(str, self.kept_by_forum))
            out.append(
                f"Remuneration kept by the forum (paid to the forum instead, so not paid "
                f"out): {format_pence(self.kept_pence)} in claims {listed}."
            )
        if self.declined:
            listed = ", ".join(map(str, self.declined))
            out.append(
                f"Remuneration declined by the member, not paid: "
                f"{format_pence(self.declined_pence)} in claims {listed}."
            )
        return out


def payment_batch(conn: Db, forum_name: str = "") -> Batch:
    """What to pay now: every approved claim's money for members, by member name."""
    members: dict[int, tuple[str, str, list[int], list[int]]] = {}
    kept: dict[int, int] = {}
    declined: dict[int, int] = {}
    for claim_id, member_id, name, reference, pay_to, kind, amount in conn.execute(
        """
        SELECT c.id, m.id, m.name, m.payment_reference, c.pay_to, i.kind, i.amount_pence
        FROM claim c JOIN member m ON m.id = c.member_id
        JOIN claim_item i ON i.claim_id = c.id
        WHERE c.status = ? ORDER BY m.name_key, m.id, c.claim_date, c.id, i.position
        """,
        ("approved",),
    ):
        share = split_item(pay_to, kind, amount)
        if share.to_forum:
            kept[claim_id] = kept.get(claim_id, 0) + share.to_forum
        if share.declined:
            declined[claim_id] = declined.get(claim_id, 0) + share.declined
        if share.to_member:
            _, _, ids, amounts = members.setdefault(member_id, (name, reference, [], []))
            if claim_id not in ids:
                ids.append(claim_id)
            amounts.append(amount)
    rows = [
        BatchRow(name, "member", reference, sum(amounts), tuple(ids))
        for name, reference, ids, amounts in members.values()
    ]
    return Batch(
        tuple(rows),
        tuple(sorted(declined)),
        tuple(sorted(kept)),
        sum(kept.values()),
        sum(declined.values()),
    )


def batch_csv(batch: Batch) -> str:
    """payee, pay_to, payment_reference, amount (pounds), claims (numbers, space-separated)."""
    from sendtui.services.claims.reports import csv_text

    rows = [
        [
            neutralise_cell(row.payee),
            row.pay_to,
            neutralise_cell(row.payment_reference),
            format_pence(row.amount_pence, symbol=False),
            " ".join(str(i) for i in row.claim_ids),
        ]
        for row in batch.rows
    ]
    return csv_text(["payee", "pay_to", "payment_reference", "amount", "claims"], rows)
