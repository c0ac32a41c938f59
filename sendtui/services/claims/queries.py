"""Fast reads for the claims and members lists, on the stdlib reader (`store.reader`).

One GROUP BY query per list: thousands of claims load in milliseconds, and each claim's
total is the sum of its items, computed in one place (here), so the list, the reports and the
claim form can never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sendtui.store.db import Db


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """A claim as the treasurer's table shows it."""

    id: int
    claim_date: dt.date
    member_id: int
    member: str
    event_id: int | None
    where: str  # the event's title, or the meeting described
    status: str
    pay_to: str
    items: int
    total_pence: int
    corrects_id: int | None
    approved_by: str
    paid_on: dt.date | None


@dataclass(frozen=True, slots=True)
class MemberRow:
    """A member with the number and total of their claims (rejected ones left out)."""

    id: int
    name: str
    grade: str
    payment_preference: str
    email: str
    phone: str
    payment_reference: str
    claims: int
    total_pence: int
    last_claim: dt.date | None
    forgotten: bool


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(str(value)[:10]) if value else None


def claim_rows(
    conn: Db,
    *,
    statuses: Collection[str] | None = None,
    member_id: int | None = None,
    event_id: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    ids: Collection[int] | None = None,
) -> list[ClaimRow]:
    """Claims matching every filter given, newest first (by date, then by number)."""
    where: list[str] = []
    args: list[object] = []
    if statuses:
        where.append(f"c.status IN ({','.join('?' * len(statuses))})")
        args += list(statuses)
    if member_id is not None:
        where.append("c.member_id = ?")
        args.append(member_id)
    if event_id is not None:
        where.append("c.event_id = ?")
        args.append(event_id)
    if start is not None:
        where.append("c.claim_date >= ?")
        args.append(start.isoformat())
    if end is not None:
        where.append("c.claim_date <= ?")
        args.append(end.isoformat())
    if ids is not None:
        where.append(f"c.id IN ({','.join('?' * len(ids)) or 'NULL'})")
        args += list(ids)
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    rows = conn.execute(
        f"""
        SELECT c.id, c.claim_date, c.member_id, m.name, c.event_id,
               COALESCE(e.title, c.meeting), c.status, c.pay_to,
               (SELECT count(*) FROM claim_item i WHERE i.claim_id = c.id),
               (SELECT COALESCE(sum(i.amount_pence), 0) FROM claim_item i
                WHERE i.claim_id = c.id),
               c.corrects_id, c.approved_by, c.paid_on
        FROM claim c JOIN member m ON m.id = c.member_id
        LEFT JOIN event e ON e.id = c.event_id
        {clause}
        ORDER BY c.claim_date DESC, c.id DESC
        """,
        args,
    ).fetchall()
    return [
        ClaimRow(
            r[0],
            dt.date.fromisoformat(str(r[1])),
            r[2],
            r[3],
            r[4],
            r[5] or "",
            r[6],
            r[7],
            r[8],
            r[9],
            r[10],
            r[11],
            _date(r[12]),
        )
        for r in rows
    ]


def member_rows(conn: Db) -> list[MemberRow]:
    """Every member, by name, with their claims' count and total."""
    rows = conn.execute(
        """
        SELECT m.id, m.name, m.grade, m.payment_preference, m.email, m.phone,
               m.payment_reference,
               (SELECT count(*) FROM claim c WHERE c.member_id = m.id
                AND c.status != 'rejected'),
               (SELECT COALESCE(sum(i.amount_pence), 0) FROM claim_item i
                JOIN claim c ON c.id = i.claim_id
                WHERE c.member_id = m.id AND c.status != 'rejected'),
               (SELECT max(c.claim_date) FROM claim c WHERE c.member_id = m.id),
               m.forgotten_at IS NOT NULL
        FROM member m ORDER BY m.name_key, m.id
        """
    ).fetchall()
    return [
        MemberRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], _date(r[9]), bool(r[10]))
        for r in rows
    ]


def member_choices(conn: Db) -> list[tuple[int, str, str]]:
    """(id, name, grade) of members who can still claim, by name."""
    return [
        (r[0], r[1], r[2])
        for r in conn.execute(
            "SELECT id, name, grade FROM member WHERE forgotten_at IS NULL ORDER BY name_key, id"
        )
    ]


def payment_preference(conn: Db, member_id: int) -> str | None:
    """How a member wants to be paid (a PayTo value), or None for no such member."""
    row = conn.execute(
        "SELECT payment_preference FROM member WHERE id = ?", (member_id,)
    ).fetchone()
    return row[0] if row else None
