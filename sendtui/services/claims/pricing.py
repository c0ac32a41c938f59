"""The one pricing rule for car mileage across a member's claims, and re-pricing.

HMRC's 10,000-mile line is per member per tax year (6 April to 5 April). Which journey crosses
it follows JOURNEY DATES, not the order claims were typed or imported: a member's car miles
are counted in claim-date order, ties (the same day) by the order the claims were entered
(their number). So a claim's car items are priced with the miles of every claim before it in
that order ("prior miles"), and the same journeys give the same per-claim amounts whatever
order they were entered in.

When a claim is added, changed, rejected or deleted, `reprice_year` works out again every
claim of that member in that tax year: unpaid claims whose amounts change are updated, each
with an audit entry; an approved one goes back to submitted (its amount is not what was
approved). A paid claim is never changed: the difference is carried as one "Mileage
adjustment" item on the member's latest unpaid claim that year, and the paid claim is flagged
until then (see flags.py).

The claim form's live figures, saving, the spreadsheet import and the flags all use this
module, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from sendtui.models import Claim, ClaimItem, ClaimStatus
from sendtui.models.base import utcnow
from sendtui.services.allowances import RateError
from sendtui.services.claims import audit
from sendtui.services.claims.rules import ClaimRules
from sendtui.services.mileage import (
    MileageCalc,
    MileageRates,
    mileage_amount,
    tax_year_end,
    tax_year_start,
)
from sendtui.services.money import format_pence
from sendtui.store.db import Db

ADJUSTMENT_KIND = "adjustment"
ADJUSTMENT_CATEGORY = "Mileage adjustment"
UNPAID = (ClaimStatus.DRAFT.value, ClaimStatus.SUBMITTED.value, ClaimStatus.APPROVED.value)


@dataclass(frozen=True)
class Journey:
    """A stored car item, with what is needed to price it again."""

    item_id: int
    claim_id: int
    claim_date: dt.date
    status: str
    miles_tenths: int
    passengers: int
    rate_first: int
    rate_after: int
    passenger_rate: int
    amount_pence: int


@dataclass(frozen=True)
class Repriced:
    """A claim whose amount changed because journeys before it (by date) changed."""

    claim_id: int
    before_pence: int
    after_pence: int
    approval_withdrawn: bool = False

    def describe(self) -> str:
        text = (
            f"claim {self.claim_id}: {format_pence(self.before_pence)} → "
            f"{format_pence(self.after_pence)}"
        )
        return text + (" (approval withdrawn)" if self.approval_withdrawn else "")


def describe_changes(changes: Sequence[Repriced]) -> str:
    """What the treasurer is told: "" when nothing else changed."""
    if not changes:
        return ""
    listed = "; ".join(c.describe() for c in changes)
    return (
        "Re-priced at the 10,000-mile line (car miles count in journey-date order): "
        f"{listed}. Each change is in the claim's history."
    )


def order_key(claim_date: dt.date, claim_id: int | None) -> tuple[dt.date, float]:
    """Where a claim stands in a member's year: by date, then by when it was entered.

    A claim not saved yet (no number) comes after every saved claim of the same day."""
    return claim_date, float("inf") if claim_id is None else float(claim_id)


def tax_year(on: dt.date) -> tuple[dt.date, dt.date]:
    return tax_year_start(on), tax_year_end(on)


def prior_car_miles(s: Session, member_id: int, on: dt.date, claim_id: int | None) -> int:
    """The member's car miles (tenths) in the tax year of `on`, in claims before a claim dated
    `on` numbered `claim_id` (None: a new claim) in journey-date order; rejected claims and
    the claim itself are left out."""
    start, end = tax_year(on)
    rows = s.exec(
        select(Claim.id, Claim.claim_date, ClaimItem.miles_tenths)
        .join(ClaimItem, col(ClaimItem.claim_id) == Claim.id)
        .where(
            Claim.member_id == member_id,
            ClaimItem.kind == "car",
            Claim.status != ClaimStatus.REJECTED.value,
            col(Claim.claim_date) >= start,
            col(Claim.claim_date) <= end,
        )
    )
    mine = order_key(on, claim_id)
    return sum(
        miles for other, day, miles in rows if other != claim_id and order_key(day, other) < mine
    )


def rates_for(journey: Journey, rules: ClaimRules) -> MileageRates:
    """The rates the item was worked out with (kept on it), and the line in force that day."""
    try:
        threshold = rules.mileage_rates(journey.claim_date).car_threshold_miles
    except RateError:  # no rates that day any more: keep HMRC's line
        threshold = MileageRates().car_threshold_miles
    return MileageRates(
        car_first=journey.rate_first,
        car_after=journey.rate_after,
        car_threshold_miles=threshold,
        passenger=journey.passenger_rate,
    )


def price_in_order(journeys: Sequence[Journey], rules: ClaimRules) -> dict[int, int]:
    """{item id: amount} for one member's car items in one tax year, counted in journey-date
    order (the journeys may come in any order; items of one claim keep their order)."""
    return {item_id: calc.amount_pence for item_id, (_, calc) in _priced(journeys, rules).items()}


def _priced(journeys: Sequence[Journey], rules: ClaimRules) -> dict[int, tuple[int, MileageCalc]]:
    """{item id: (prior miles, worked out)} in journey-date order."""
    ordered = sorted(journeys, key=lambda j: (order_key(j.claim_date, j.claim_id), j.item_id))
    prior = 0
    out: dict[int, tuple[int, MileageCalc]] = {}
    for j in ordered:
        calc = mileage_amount(
            "car",
            j.miles_tenths,
            passengers=j.passengers,
            prior_car_miles_tenths=prior,
            rates=rates_for(j, rules),
        )
        out[j.item_id] = (prior, calc)
        prior += j.miles_tenths
    return out


def _journey(claim: Claim, item: ClaimItem) -> Journey:
    assert item.id is not None and claim.id is not None
    return Journey(
        item_id=item.id,
        claim_id=claim.id,
        claim_date=claim.claim_date,
        status=claim.status,
        miles_tenths=item.miles_tenths,
        passengers=item.passengers,
        rate_first=item.rate_pence or 0,
        rate_after=item.rate_after_pence if item.rate_after_pence is not None else 0,
        passenger_rate=item.passenger_rate_pence or 0,
        amount_pence=item.amount_pence,
    )


def journeys_for(conn: Db, member_id: int, on: dt.date) -> list[Journey]:
    """Every car item of the member's claims (rejected left out) in the tax year of `on`."""
    start, end = tax_year(on)
    rows = conn.execute(
        "SELECT i.id, c.id, c.claim_date, c.status, i.miles_tenths, i.passengers, "
        "i.rate_pence, i.rate_after_pence, i.passenger_rate_pence, i.amount_pence "
        "FROM claim_item i JOIN claim c ON c.id = i.claim_id "
        "WHERE c.member_id = ? AND i.kind = ? AND c.status != ? "
        "AND c.claim_date >= ? AND c.claim_date <= ?",
        (member_id, "car", ClaimStatus.REJECTED.value, start.isoformat(), end.isoformat()),
    ).fetchall()
    return [
        Journey(
            r[0],
            r[1],
            dt.date.fromisoformat(str(r[2])),
            r[3],
            r[4],
            r[5],
            r[6] or 0,
            r[7] or 0,
            r[8] or 0,
            r[9],
        )
        for r in rows
    ]


def paid_differences(conn: Db, rules: ClaimRules, member_id: int, on: dt.date) -> dict[int, int]:
    """{paid claim id: what its car items should have come to minus what was paid}, for the
    paid claims of the member's tax year that journey-date order prices differently."""
    journeys = journeys_for(conn, member_id, on)
    amounts = price_in_order(journeys, rules)
    out: dict[int, int] = {}
    for j in journeys:
        if j.status == ClaimStatus.PAID.value and amounts[j.item_id] != j.amount_pence:
            out[j.claim_id] = out.get(j.claim_id, 0) + amounts[j.item_id] - j.amount_pence
    return {k: v for k, v in out.items() if v}


def adjustments_carried(conn: Db, member_id: int, on: dt.date) -> int:
    """The adjustment items already on the member's claims (not rejected) in the tax year."""
    start, end = tax_year(on)
    row = conn.execute(
        "SELECT COALESCE(sum(i.amount_pence), 0) FROM claim_item i "
        "JOIN claim c ON c.id = i.claim_id WHERE c.member_id = ? AND i.kind = ? "
        "AND c.status != ? AND c.claim_date >= ? AND c.claim_date <= ?",
        (member_id, ADJUSTMENT_KIND, "rejected", start.isoformat(), end.isoformat()),
    ).fetchone()
    return int(row[0])


def reprice_year(
    s: Session, rules: ClaimRules, member_id: int, on: dt.date, *, who: str
) -> list[Repriced]:
    """Price every claim of the member in the tax year of `on` in journey-date order; update
    the unpaid ones that change (with an audit entry each) and carry any difference on paid
    claims as an adjustment item. Returns the claims changed, in date order."""
    start, end = tax_year(on)
    claims = list(
        s.exec(
            select(Claim)
            .where(
                Claim.member_id == member_id,
                Claim.status != ClaimStatus.REJECTED.value,
                col(Claim.claim_date) >= start,
                col(Claim.claim_date) <= end,
            )
            .order_by(col(Claim.claim_date), col(Claim.id))
        )
    )
    if not claims:
        return []
    by_id = {c.id: c for c in claims}
    items = list(
        s.exec(
            select(ClaimItem)
            .where(col(ClaimItem.claim_id).in_(list(by_id)))
            .order_by(col(ClaimItem.claim_id), col(ClaimItem.position))
        )
    )
    journeys = [_journey(by_id[i.claim_id], i) for i in items if i.kind == "car"]
    priced = _priced(journeys, rules)
    befores: dict[int, dict] = {}
    totals_before = {c.id: 0 for c in claims}
    for item in items:
        totals_before[item.claim_id] += item.amount_pence
    paid_diff = 0
    paid_late: list[int] = []
    for j in journeys:
        prior, calc = priced[j.item_id]
        new = calc.amount_pence
        if new == j.amount_pence:
            continue
        claim = by_id[j.claim_id]
        if claim.status == ClaimStatus.PAID.value:
            paid_diff += new - j.amount_pence
            if j.claim_id not in paid_late:
                paid_late.append(j.claim_id)
            continue
        if claim.id not in befores:
            befores[j.claim_id] = audit.claim_snapshot(s, claim)
        item = next(i for i in items if i.id == j.item_id)
        _reprice_item(item, j, rules, prior, calc)
        s.add(item)
    _carry(s, claims, items, paid_diff, paid_late, befores)
    s.flush()
    changes: list[Repriced] = []
    for claim in claims:
        if claim.id not in befores:
            continue
        before = befores[claim.id]
        after_total = sum(
            i.amount_pence for i in s.exec(select(ClaimItem).where(ClaimItem.claim_id == claim.id))
        )
        withdrawn = (
            claim.status == ClaimStatus.APPROVED.value and after_total != before["total_pence"]
        )
        action = "re-price claim"
        if withdrawn:
            claim.status, claim.approved_by, claim.approved_at = "submitted", "", None
            action = "re-price claim (approval withdrawn)"
        claim.updated_at = utcnow()
        s.add(claim)
        s.flush()
        assert claim.id is not None
        after = audit.claim_snapshot(s, claim)
        if after == before:
            continue
        audit.record(
            s,
            who=who,
            action=action,
            entity="claim",
            entity_id=claim.id,
            before=before,
            after=after,
        )
        if after_total != before["total_pence"]:
            changes.append(Repriced(claim.id, before["total_pence"], after_total, withdrawn))
    return changes


def _reprice_item(
    item: ClaimItem, j: Journey, rules: ClaimRules, prior: int, calc: MileageCalc
) -> None:
    """Put the new amount and its working on a stored car item (its rates stay as kept)."""
    from sendtui.services.claims.items import mileage_working

    threshold = rates_for(j, rules).car_threshold_miles * 10
    item.amount_pence = calc.amount_pence
    item.miles_first_tenths = min(j.miles_tenths, max(0, threshold - prior))
    item.working = mileage_working(item.from_place, item.to_place, calc)


def _carry(
    s: Session,
    claims: list[Claim],
    items: list[ClaimItem],
    paid_diff: int,
    paid_late: list[int],
    befores: dict[int, dict],
) -> None:
    """One adjustment item on the latest unpaid claim, holding what paid claims still owe."""
    paid = {c.id for c in claims if c.status == ClaimStatus.PAID.value}
    unpaid = [c for c in claims if c.status in UNPAID]
    on_paid = sum(i.amount_pence for i in items if i.kind == ADJUSTMENT_KIND and i.claim_id in paid)
    # Differences already carried on paid claims were settled; the rest goes on the target.
    wanted = paid_diff - on_paid
    target = unpaid[-1] if unpaid else None
    for item in items:
        if item.kind != ADJUSTMENT_KIND or item.claim_id in paid:
            continue
        if target is not None and item.claim_id == target.id and wanted:
            continue
        befores.setdefault(item.claim_id, audit.claim_snapshot(s, _claim(claims, item.claim_id)))
        s.delete(item)
    if target is None or not wanted:
        return
    assert target.id is not None
    existing = next(
        (i for i in items if i.kind == ADJUSTMENT_KIND and i.claim_id == target.id), None
    )
    listed = ", ".join(str(c) for c in sorted(paid_late)) or "earlier"
    working = (
        f"claim{'s' if len(paid_late) > 1 else ''} {listed} (paid) re-priced at the "
        f"10,000-mile line: {format_pence(wanted)}"
    )
    if existing is not None and (existing.amount_pence, existing.working) == (wanted, working):
        return
    befores.setdefault(target.id, audit.claim_snapshot(s, target))
    if existing is None:
        position = 1 + max((i.position for i in items if i.claim_id == target.id), default=-1)
        existing = ClaimItem(
            claim_id=target.id,
            position=position,
            category=ADJUSTMENT_CATEGORY,
            kind=ADJUSTMENT_KIND,
            amount_pence=wanted,
        )
    existing.amount_pence = wanted
    existing.description = "Difference on paid claims, carried to this claim"
    existing.working = working
    s.add(existing)


def _claim(claims: list[Claim], claim_id: int) -> Claim:
    return next(c for c in claims if c.id == claim_id)
