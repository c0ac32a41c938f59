"""The one pricing rule: car miles count in journey-date order, whatever order claims are
entered, imported, changed, rejected or deleted in; paid claims never change and their
difference is carried as an adjustment item; every re-price is in the audit trail."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sendtui.config.claims import ClaimsSection, MileageRate
from sendtui.services.claims import audit
from sendtui.services.claims.detail import ClaimHeader
from sendtui.services.claims.items import ItemInput
from sendtui.services.claims.members import MemberInput, MemberService
from sendtui.services.claims.pricing import ADJUSTMENT_KIND, paid_differences
from sendtui.services.claims.rules import ClaimRules
from sendtui.services.claims.workflow import ClaimService

# A line at 100 miles instead of 10,000, so a few journeys cross it.
RULES = ClaimRules(
    ClaimsSection(mileage=[MileageRate(starts=dt.date(2011, 4, 6), car_threshold_miles=100)])
)
_members = itertools.count(1)


def member(store) -> int:  # type: ignore[no-untyped-def]
    # A new member per example: members' years are independent, so one store serves all.
    m = MemberService(store, RULES, who="Tess").add(MemberInput(f"Member {next(_members)}"))
    assert m.id is not None
    return m.id


def car(miles: str, passengers: str = "") -> ItemInput:
    return ItemInput("Car mileage", miles=miles, passengers=passengers)


def amounts_by_date(service: ClaimService, ids: dict[dt.date, int]) -> dict[dt.date, int]:
    return {day: service.get(claim_id).total_pence for day, claim_id in ids.items()}


def test_the_issue_example_march_journey_is_at_45p_whatever_the_order(store) -> None:
    """20 journeys of 500 miles (May to September) and one of 100 in March, latest first."""
    rules = ClaimRules()
    service = ClaimService(store, rules, who="Tess")
    jane = MemberService(store, rules, who="Tess").add(MemberInput("Jane")).id
    assert jane is not None
    may = [dt.date(2025, 5, 1) + dt.timedelta(days=7 * n) for n in range(20)]
    ids = {}
    for day in reversed(may):
        ids[day] = service.create(ClaimHeader(jane, day, meeting="Board"), [car("500")])
    march = dt.date(2026, 3, 2)
    ids[march] = service.create(ClaimHeader(jane, march, meeting="Board"), [car("100")])
    got = amounts_by_date(service, ids)
    assert got[march] == 100 * 25  # after 10,000 miles: the year's last journey
    assert all(got[day] == 500 * 45 for day in may)  # 20 × 500 = 10,000 at 45p


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    miles=st.lists(st.integers(1, 80), min_size=2, max_size=6),
    passengers=st.lists(st.integers(0, 2), min_size=6, max_size=6),
    order=st.randoms(use_true_random=False),
)
def test_same_journeys_any_entry_order_same_per_claim_amounts(
    store, miles: list[int], passengers: list[int], order
) -> None:  # type: ignore[no-untyped-def]
    service = ClaimService(store, RULES, who="Tess")
    days = [dt.date(2025, 5, 1) + dt.timedelta(days=3 * n) for n in range(len(miles))]
    journeys = list(zip(days, miles, passengers, strict=False))

    def enter(sequence) -> dict[dt.date, int]:  # type: ignore[no-untyped-def]
        who = member(store)
        ids = {}
        for day, m, p in sequence:
            header = ClaimHeader(who, day, meeting="Board")
            ids[day] = service.create(header, [car(str(m), str(p))], submit=True)
        return amounts_by_date(service, ids)

    in_date_order = enter(journeys)
    shuffled = list(journeys)
    order.shuffle(shuffled)
    assert enter(shuffled) == in_date_order
    # the year's total is the same as one claim of all the journeys at once
    assert sum(in_date_order.values()) == sum(
        RULES_total(m, p, prior) for m, p, prior in _priors(journeys)
    )


def _priors(journeys):  # type: ignore[no-untyped-def]
    prior = 0
    for _, m, p in journeys:
        yield m * 10, p, prior
        prior += m * 10


def RULES_total(tenths: int, passengers: int, prior: int) -> int:
    from sendtui.services.mileage import MileageRates, mileage_amount

    rates = MileageRates(car_threshold_miles=100)
    return mileage_amount(
        "car", tenths, passengers=passengers, prior_car_miles_tenths=prior, rates=rates
    ).amount_pence


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    miles=st.lists(st.integers(10, 70), min_size=3, max_size=5),
    ops=st.lists(st.tuples(st.sampled_from(["edit", "reject", "delete"]), st.integers(0, 4))),
)
def test_after_any_changes_amounts_equal_a_fresh_entry_in_date_order(
    store, miles: list[int], ops: list[tuple[str, int]]
) -> None:
    service = ClaimService(store, RULES, who="Tess")
    who = member(store)
    days = [dt.date(2025, 6, 1) + dt.timedelta(days=n) for n in range(len(miles))]
    ids = {
        day: service.create(ClaimHeader(who, day, meeting="Board"), [car(str(m))])
        for day, m in reversed(list(zip(days, miles, strict=True)))
    }
    live = dict(zip(days, miles, strict=True))
    for op, index in ops:
        day = days[index % len(days)]
        if day not in live:
            continue
        if op == "edit":
            live[day] = live[day] % 60 + 5
            service.update(ids[day], ClaimHeader(who, day, meeting="Board"), [car(str(live[day]))])
        elif op == "reject":
            service.reject(ids[day], "not this one")
            del live[day]
        else:
            service.delete(ids[day])
            del live[day]
    fresh_member = member(store)
    fresh = {
        day: service.create(ClaimHeader(fresh_member, day, meeting="Board"), [car(str(m))])
        for day, m in sorted(live.items())
    }
    assert amounts_by_date(service, {d: ids[d] for d in live}) == amounts_by_date(service, fresh)


def test_repricing_is_audited_and_reported(store) -> None:
    service = ClaimService(store, RULES, who="Tess")
    who = member(store)
    later = service.create(ClaimHeader(who, dt.date(2025, 6, 10), meeting="B"), [car("80")])
    assert service.get(later).total_pence == 80 * 45
    earlier = service.create(ClaimHeader(who, dt.date(2025, 6, 1), meeting="A"), [car("50")])
    # the earlier journey takes the first 50 of the 100 miles: the later claim crosses the line
    assert service.get(later).total_pence == 50 * 45 + 30 * 25
    assert [(r.claim_id, r.before_pence, r.after_pence) for r in service.repriced] == [
        (later, 3600, 3000)
    ]
    entry = audit.history(store.reader, "claim", later)[-1]
    assert entry.action == "re-price claim" and entry.who == "Tess"
    assert (entry.before["total_pence"], entry.after["total_pence"]) == (3600, 3000)
    service.delete(earlier)
    assert service.get(later).total_pence == 80 * 45
    assert [r.claim_id for r in service.repriced] == [later]


def test_approved_claim_repriced_goes_back_to_submitted(store) -> None:
    service = ClaimService(store, RULES, who="Tess")
    who = member(store)
    later = service.create(ClaimHeader(who, dt.date(2025, 6, 10), meeting="B"), [car("80")])
    service.approve(later, approver="Ann")
    service.create(ClaimHeader(who, dt.date(2025, 6, 1), meeting="A"), [car("50")])
    detail = service.get(later)
    assert detail.status == "submitted" and detail.approved_by == ""
    assert service.repriced[0].approval_withdrawn


def test_paid_claim_never_changes_the_difference_goes_on_the_next_claim(store) -> None:
    service = ClaimService(store, RULES, who="Tess")
    who = member(store)
    paid = service.create(ClaimHeader(who, dt.date(2025, 6, 10), meeting="B"), [car("80")])
    service.approve(paid, approver="Ann")
    service.pay(paid, paid_on=dt.date(2025, 6, 20), method="Cash")
    assert paid_differences(store.reader, RULES, who, dt.date(2025, 6, 10)) == {}
    # an earlier journey, entered late: the paid claim was overpaid by 30 × 20p = £6.00
    late = service.create(ClaimHeader(who, dt.date(2025, 6, 1), meeting="A"), [car("50")])
    assert service.get(paid).total_pence == 3600  # paid: never changed
    assert paid_differences(store.reader, RULES, who, dt.date(2025, 6, 1)) == {paid: -600}
    items = service.get(late).items
    adjustment = [i for i in items if i.kind == ADJUSTMENT_KIND]
    assert [a.amount_pence for a in adjustment] == [-600]
    assert f"claim {paid} (paid)" in adjustment[0].working
    assert service.get(late).total_pence == 50 * 45 - 600
    # editing the claim that holds it keeps exactly one adjustment
    service.update(late, ClaimHeader(who, dt.date(2025, 6, 1), meeting="A"), [car("50")])
    assert [i.amount_pence for i in service.get(late).items if i.kind == ADJUSTMENT_KIND] == [-600]
    # rejecting the late claim puts things back: no difference, no adjustment
    service.reject(late, "duplicate")
    assert paid_differences(store.reader, RULES, who, dt.date(2025, 6, 1)) == {}


def test_paid_claim_priced_differently_is_flagged_with_where_the_difference_went(store) -> None:
    from sendtui.services.claims.flags import claim_flags

    service = ClaimService(store, RULES, who="Tess")
    who = member(store)
    paid = service.create(ClaimHeader(who, dt.date(2025, 6, 10), meeting="B"), [car("80")])
    service.approve(paid, approver="Ann")
    service.pay(paid, paid_on=dt.date(2025, 6, 20), method="Cash")
    assert claim_flags(store.reader, RULES, [paid]).get(paid, []) == []
    late = service.create(ClaimHeader(who, dt.date(2025, 6, 1), meeting="A"), [car("50")])
    flags = claim_flags(store.reader, RULES, [paid])[paid]
    assert [f.code for f in flags] == ["repriced"]
    assert "-£6.00" in flags[0].message and f"claim {late}" in flags[0].message


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(9999, 12, 31)])
def test_claims_at_the_ends_of_the_calendar(store, day: dt.date) -> None:
    from sendtui.services.claims.flags import claim_flags
    from sendtui.services.claims.reports import claims_report

    service = ClaimService(store, RULES, who="Tess")
    who = member(store)
    taxi = ItemInput("Taxi", amount="9.99")
    claim_id = service.create(ClaimHeader(who, day, meeting="X"), [taxi], submit=True)
    assert service.get(claim_id).total_pence == 999
    if day.year == 9999:  # mileage rates exist then (from 2011): the year's line still works
        other = service.create(ClaimHeader(who, day, meeting="Y"), [car("10")], submit=True)
        assert service.get(other).total_pence == 450
    claim_flags(store.reader, RULES)
    for by in ("member", "month", "year"):
        assert claims_report(store.reader, RULES, by).total_pence >= 999
