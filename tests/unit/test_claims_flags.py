"""Flags for the approver: no receipt, late, likely duplicate, above the earnings limit."""

from __future__ import annotations

import datetime as dt

import pytest

from sendtui.config.claims import ClaimsSection
from sendtui.services.claims.detail import ClaimHeader
from sendtui.services.claims.flags import claim_flags, flag_letters
from sendtui.services.claims.items import ItemInput
from sendtui.services.claims.members import MemberInput, MemberService
from sendtui.services.claims.rules import ClaimRules
from sendtui.services.claims.workflow import ClaimService

TODAY = dt.date(2025, 7, 20)
DAY = dt.date(2025, 7, 8)  # a Tuesday; its week is Monday 7 to Sunday 13 July 2025


@pytest.fixture
def rules() -> ClaimRules:
    return ClaimRules()


@pytest.fixture
def service(store, rules) -> ClaimService:
    return ClaimService(store, rules, who="Tess")


@pytest.fixture
def jane(store, rules) -> int:
    member = MemberService(store, rules, who="Tess").add(
        MemberInput("Jane Parent", grade="Representative")
    )
    assert member.id is not None
    return member.id


def flags_of(store, rules, claim_id: int, today: dt.date = TODAY) -> dict[str, str]:
    found = claim_flags(store.reader, rules, [claim_id], today=today)[claim_id]
    return {f.code: f.message for f in found}


def test_receipt_missing_above_the_threshold(service, jane, store, rules) -> None:
    claim_id = service.create(
        ClaimHeader(jane, DAY, meeting="x"),
        [
            ItemInput("Taxi", amount="10.00"),
            ItemInput("Taxi", amount="10.01"),
            ItemInput("Parking", amount="25", receipt=True),
            ItemInput("Car mileage", miles="100"),
        ],
    )
    found = claim_flags(store.reader, rules, [claim_id], today=TODAY)[claim_id]
    assert [f.code for f in found] == ["receipt"]
    assert "Taxi £10.01" in found[0].message


def test_late_claims_by_submission_date(service, jane, store, rules) -> None:
    claim_id = service.create(ClaimHeader(jane, DAY, meeting="x"), [ItemInput("Taxi", amount="3")])
    assert "late" not in flags_of(store, rules, claim_id, today=DAY + dt.timedelta(days=90))
    late = flags_of(store, rules, claim_id, today=DAY + dt.timedelta(days=91))
    assert "91 days" in late["late"]


def test_likely_duplicate(service, jane, store, rules) -> None:
    first = service.create(ClaimHeader(jane, DAY, meeting="x"), [ItemInput("Taxi", amount="7")])
    again = service.create(ClaimHeader(jane, DAY, meeting="y"), [ItemInput("Taxi", amount="7")])
    other_day = service.create(
        ClaimHeader(jane, DAY + dt.timedelta(days=1), meeting="x"), [ItemInput("Taxi", amount="7")]
    )
    assert f"claim {again}" in flags_of(store, rules, first)["duplicate"]
    assert f"claim {first}" in flags_of(store, rules, again)["duplicate"]
    assert "duplicate" not in flags_of(store, rules, other_day)
    service.reject(again, "duplicate")
    assert "duplicate" not in flags_of(store, rules, first)


def test_earnings_limit_offers_paying_the_forum(service, jane, store, rules) -> None:
    paid = service.create(
        ClaimHeader(jane, dt.date(2025, 7, 7), meeting="x"), [ItemInput("Remuneration", hours="12")]
    )  # £180
    service.approve(paid, approver="Ann")
    small = service.create(
        ClaimHeader(jane, DAY, meeting="x"), [ItemInput("Remuneration", hours="1")]
    )  # £15: £195 in the week, under £196
    assert "earnings" not in flags_of(store, rules, small)
    over = service.create(
        ClaimHeader(jane, dt.date(2025, 7, 13), meeting="x"), [ItemInput("Remuneration", hours="2")]
    )  # £30: £210 with the approved £180
    message = flags_of(store, rules, over)["earnings"]
    assert "£210.00" in message and "£196.00" in message and "paying the forum instead" in message
    next_week = service.create(
        ClaimHeader(jane, dt.date(2025, 7, 14), meeting="x"), [ItemInput("Remuneration", hours="2")]
    )
    assert "earnings" not in flags_of(store, rules, next_week)
    service.approve(over, approver="Ann", pay_to="forum")  # paid to the forum: not earnings
    assert "earnings" not in flags_of(store, rules, small)
    expenses = service.create(
        ClaimHeader(jane, DAY, meeting="x"), [ItemInput("Taxi", amount="500", receipt=True)]
    )
    assert "earnings" not in flags_of(store, rules, expenses)  # costs are not earnings


def test_the_limit_in_force_on_the_claims_date(service, jane, store) -> None:
    section = ClaimsSection()
    rules = ClaimRules(section)
    claim_id = service.create(
        ClaimHeader(jane, dt.date(2026, 4, 7), meeting="x"),
        [ItemInput("Remuneration", hours="13.6")],
    )  # £204.00: at the new limit, not above it
    assert "earnings" not in flags_of(store, rules, claim_id, today=dt.date(2026, 4, 8))
    before = service.create(
        ClaimHeader(jane, dt.date(2026, 4, 5), meeting="x"),
        [ItemInput("Remuneration", hours="13.6")],
    )
    assert "earnings" in flags_of(store, rules, before, today=dt.date(2026, 4, 8))


def test_closed_claims_have_no_flags_and_letters(service, jane, store, rules) -> None:
    claim_id = service.create(
        ClaimHeader(jane, DAY, meeting="x"), [ItemInput("Taxi", amount="50")], submit=True
    )
    found = claim_flags(store.reader, rules, today=dt.date(2026, 1, 1))[claim_id]
    assert flag_letters(found) == "RL"
    service.reject(claim_id, "no")
    assert claim_id not in claim_flags(store.reader, rules, today=dt.date(2026, 1, 1))
