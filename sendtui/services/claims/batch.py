"""The payment batch: approved, unpaid claims, one row per payee.

Members paid themselves get a row each (with their payment reference); every claim to be paid
to the forum instead goes in one row for the forum; claims whose member declines payment are
listed apart, not paid. The file holds names and amounts: write it private (0600).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from sendtui.services.claims.reports import csv_text, safe_cell
from sendtui.services.money import format_pence


@dataclass(frozen=True)
class BatchRow:
    payee: str
    pay_to: str  # "member" or "forum"
    payment_reference: str
    amount_pence: int
    claim_ids: tuple[int, ...]


@dataclass(frozen=True)
class Batch:
    rows: tuple[BatchRow, ...]
    declined: tuple[int, ...]  # approved claims whose member declines payment

    @property
    def total_pence(self) -> int:
        return sum(row.amount_pence for row in self.rows)

    @property
    def claim_ids(self) -> tuple[int, ...]:
        return tuple(sorted(i for row in self.rows for i in row.claim_ids))


def payment_batch(conn: sqlite3.Connection, forum_name: str) -> Batch:
    """What to pay now: every approved claim, grouped by payee (members by name, then the
    forum)."""
    members: dict[int, tuple[str, str, list[int], list[int]]] = {}
    forum_claims: list[int] = []
    forum_amounts: list[int] = []
    declined: list[int] = []
    for claim_id, member_id, name, reference, pay_to, total in conn.execute(
        """
        SELECT c.id, m.id, m.name, m.payment_reference, c.pay_to,
               (SELECT COALESCE(sum(i.amount_pence), 0) FROM claim_item i
                WHERE i.claim_id = c.id)
        FROM claim c JOIN member m ON m.id = c.member_id
        WHERE c.status = 'approved' ORDER BY lower(m.name), m.id, c.claim_date, c.id
        """
    ):
        if pay_to == "declined":
            declined.append(claim_id)
        elif pay_to == "forum":
            forum_claims.append(claim_id)
            forum_amounts.append(total)
        else:
            _, _, ids, amounts = members.setdefault(member_id, (name, reference, [], []))
            ids.append(claim_id)
            amounts.append(total)
    rows = [
        BatchRow(name, "member", reference, sum(amounts), tuple(ids))
        for name, reference, ids, amounts in members.values()
    ]
    if forum_claims:
        rows.append(BatchRow(forum_name, "forum", "", sum(forum_amounts), tuple(forum_claims)))
    return Batch(tuple(rows), tuple(declined))


def batch_csv(batch: Batch) -> str:
    """payee, pay_to, payment_reference, amount (pounds), claims (numbers, space-separated)."""
    rows = [
        [
            safe_cell(row.payee),
            row.pay_to,
            safe_cell(row.payment_reference),
            format_pence(row.amount_pence, symbol=False),
            " ".join(str(i) for i in row.claim_ids),
        ]
        for row in batch.rows
    ]
    return csv_text(["payee", "pay_to", "payment_reference", "amount", "claims"], rows)
