"""Flags shown to the approver: things to check, never blocks.

- receipt: an item above config's `receipt_required_over` without a receipt (typed amounts
  and care; mileage and pay for time need none);
- late: the claim's date is more than `flag_older_than_days` before it was submitted (or
  before today, for a draft);
- duplicate: another claim (not rejected) by the same member for the same date has an item of
  the same category and amount;
- earnings: remuneration paid to the member would take their remuneration for that week
  (Monday to Sunday, by claim date; approved and paid claims count) above the earnings limit
  in force, offering to pay the forum instead;
- repriced: a PAID claim that journey-date order now prices differently (a journey dated
  earlier was entered after it was paid); it is never changed, the difference is carried as
  an adjustment item on the member's latest unpaid claim that tax year (see pricing.py).

Flags apply to open claims (draft, submitted, approved), and "repriced" to paid ones. Their
messages may name the member: they are for the screen, never for a log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sendtui.models import ClaimStatus
from sendtui.services.allowances import earnings_warning, format_day, week_bounds
from sendtui.services.claims.rules import RECEIPT_KINDS, ClaimRules
from sendtui.services.mileage import tax_year_end, tax_year_start
from sendtui.services.money import format_pence
from sendtui.store.db import Db

OPEN = (ClaimStatus.DRAFT.value, ClaimStatus.SUBMITTED.value, ClaimStatus.APPROVED.value)
FLAG_LETTERS = {
    "receipt": "R",
    "late": "L",
    "duplicate": "D",
    "earnings": "E",
    "repriced": "M",
}
"""One letter per flag for the claims table's Flags column (R L D E M)."""


@dataclass(frozen=True)
class Flag:
    code: str  # a key of FLAG_LETTERS
    message: str

    @property
    def letter(self) -> str:
        return FLAG_LETTERS[self.code]


@dataclass(frozen=True)
class _Open:
    id: int
    member_id: int
    member: str
    claim_date: dt.date
    submitted: dt.date | None
    pay_to: str


def claim_flags(
    conn: Db,
    rules: ClaimRules,
    claim_ids: Collection[int] | None = None,
    *,
    today: dt.date | None = None,
) -> dict[int, list[Flag]]:
    """Flags for the open claims among `claim_ids` (every open claim when None)."""
    today = today or dt.date.today()
    wanted = None if claim_ids is None else set(claim_ids)
    marks = ",".join("?" * len(OPEN))
    claims = {
        r[0]: _Open(
            r[0],
            r[1],
            r[2],
            dt.date.fromisoformat(r[3]),
            dt.date.fromisoformat(r[4][:10]) if r[4] else None,
            r[5],
        )
        for r in conn.execute(
            "SELECT c.id, c.member_id, m.name, c.claim_date, c.submitted_at, c.pay_to "
            f"FROM claim c JOIN member m ON m.id = c.member_id WHERE c.status IN ({marks})",
            OPEN,
        )
        if wanted is None or r[0] in wanted
    }
    found: dict[int, list[Flag]] = {claim_id: [] for claim_id in claims}
    _repriced(conn, rules, wanted, found)
    if not claims:
        return found
    _receipts(conn, rules, claims, found)
    for claim in claims.values():
        seen = claim.submitted or today
        days = (seen - claim.claim_date).days
        if days > rules.older_than_days:
            found[claim.id].append(
                Flag(
                    "late",
                    f"Claimed {days} days after {format_day(claim.claim_date)}; claims more "
                    f"than {rules.older_than_days} days old are flagged",
                )
            )
    _duplicates(conn, claims, found)
    _earnings(conn, rules, claims, found)
    return found


def _receipts(
    conn: Db,
    rules: ClaimRules,
    claims: dict[int, _Open],
    found: dict[int, list[Flag]],
) -> None:
    kinds = ",".join("?" * len(RECEIPT_KINDS))
    marks = ",".join("?" * len(OPEN))
    threshold = rules.receipt_over_pence
    for claim_id, category, amount in conn.execute(
        f"SELECT i.claim_id, i.category, i.amount_pence FROM claim_item i "
        f"JOIN claim c ON c.id = i.claim_id WHERE c.status IN ({marks}) "
        f"AND i.kind IN ({kinds}) AND NOT i.receipt AND i.amount_pence > ? "
        "ORDER BY i.claim_id, i.position",
        (*OPEN, *RECEIPT_KINDS, threshold),
    ):
        if claim_id in claims:
            found[claim_id].append(
                Flag(
                    "receipt",
                    f"No receipt for {category} {format_pence(amount)} (receipts are expected "
                    f"above {format_pence(threshold)})",
                )
            )


def _duplicates(conn: Db, claims: dict[int, _Open], found: dict[int, list[Flag]]) -> None:
    marks = ",".join("?" * len(OPEN))
    seen: set[tuple[int, int, str, int]] = set()
    for mine, other, category, amount in conn.execute(
        f"""
        SELECT a.claim_id, b.claim_id, a.category, a.amount_pence
        FROM claim_item a JOIN claim ca ON ca.id = a.claim_id
        JOIN claim cb ON cb.member_id = ca.member_id AND cb.claim_date = ca.claim_date
             AND cb.id != ca.id AND cb.status != 'rejected'
        JOIN claim_item b ON b.claim_id = cb.id AND b.category = a.category
             AND b.amount_pence = a.amount_pence
        WHERE ca.status IN ({marks})
        ORDER BY a.claim_id, b.claim_id, a.position
        """,
        OPEN,
    ):
        key = (mine, other, category, amount)
        if mine not in claims or key in seen:
            continue
        seen.add(key)
        found[mine].append(
            Flag(
                "duplicate",
                f"Possible duplicate: claim {other} is for the same day with {category} "
                f"{format_pence(amount)}",
            )
        )


def _earnings(
    conn: Db,
    rules: ClaimRules,
    claims: dict[int, _Open],
    found: dict[int, list[Flag]],
) -> None:
    # Remuneration per claim: the open ones being checked, and what already counts as paid.
    pay: dict[int, tuple[int, dt.date, str, int]] = {}
    for claim_id, member_id, day, status, amount in conn.execute(
        "SELECT c.id, c.member_id, c.claim_date, c.status, sum(i.amount_pence) "
        "FROM claim_item i JOIN claim c ON c.id = i.claim_id "
        "WHERE i.kind = 'remuneration' AND c.pay_to = 'member' AND c.status != 'rejected' "
        "GROUP BY c.id"
    ):
        pay[claim_id] = (member_id, dt.date.fromisoformat(day), status, amount)
    counted = {k: v for k, v in pay.items() if v[2] in ("approved", "paid")}
    for claim in claims.values():
        if claim.id not in pay or claim.pay_to != "member":
            continue
        monday, sunday = week_bounds(claim.claim_date)
        existing = sum(
            amount
            for other, (member_id, day, _, amount) in counted.items()
            if other != claim.id and member_id == claim.member_id and monday <= day <= sunday
        )
        warning = earnings_warning(
            existing,
            max(0, pay[claim.id][3]),
            rules.earnings_limit(claim.claim_date),
            member=claim.member,
            week_start=claim.claim_date,
        )
        if warning:
            found[claim.id].append(Flag("earnings", warning))


def _repriced(
    conn: Db, rules: ClaimRules, wanted: set[int] | None, found: dict[int, list[Flag]]
) -> None:
    """Paid claims that journey-date order prices differently, and where the difference went."""
    from sendtui.services.claims.pricing import ADJUSTMENT_KIND, paid_differences

    years: dict[tuple[int, dt.date], dt.date] = {}
    for claim_id, member_id, day in conn.execute(
        "SELECT c.id, c.member_id, c.claim_date FROM claim c WHERE c.status = ? "
        "AND EXISTS (SELECT 1 FROM claim_item i WHERE i.claim_id = c.id AND i.kind = ?)",
        ("paid", "car"),
    ):
        if wanted is None or claim_id in wanted:
            on = dt.date.fromisoformat(str(day))
            years.setdefault((member_id, tax_year_start(on)), on)
    for (member_id, _), on in years.items():
        differences = paid_differences(conn, rules, member_id, on)
        if not differences:
            continue
        start, end = tax_year_start(on), tax_year_end(on)
        carried = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT c.id FROM claim c JOIN claim_item i ON i.claim_id = c.id "
                "WHERE c.member_id = ? AND i.kind = ? AND c.status != ? "
                "AND c.claim_date >= ? AND c.claim_date <= ? ORDER BY c.id",
                (member_id, ADJUSTMENT_KIND, "rejected", start.isoformat(), end.isoformat()),
            )
        ]
        where = (
            f"carried as an adjustment on claim {', '.join(map(str, carried))}"
            if carried
            else "to be carried on the member's next claim this tax year"
        )
        for claim_id, difference in differences.items():
            if wanted is None or claim_id in wanted:
                found.setdefault(claim_id, []).append(
                    Flag(
                        "repriced",
                        f"Paid, then journeys dated earlier were entered: in date order its "
                        f"mileage comes to {format_pence(difference)} different; {where}",
                    )
                )


def flag_letters(flags: list[Flag]) -> str:
    """ "RD" for a receipt and a duplicate flag: each letter once, in a fixed order."""
    codes = {f.code for f in flags}
    return "".join(letter for code, letter in FLAG_LETTERS.items() if code in codes)
