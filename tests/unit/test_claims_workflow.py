"""Claims: draft → submitted → approved → paid (or rejected), the audit trail, paid is locked,
the 10,000-mile line across claims, and rates kept from the claim's date."""

from __future__ import annotations

import datetime as dt
import json

import msgspec
import pytest

from sendtui.config.claims import ClaimsSection, MileageRate
from sendtui.errors import InputError, NotFoundError
from sendtui.services.claims import audit
from sendtui.services.claims.detail import ClaimHeader, ClaimProblems
from sendtui.services.claims.items import ItemInput
from sendtui.services.claims.members import MemberInput, MemberService
from sendtui.services.claims.rules import ClaimRules
from sendtui.services.claims.workflow import ClaimService

DAY = dt.date(2025, 7, 8)


@pytest.fixture
def rules() -> ClaimRules:
    return ClaimRules()


@pytest.fixture
def service(store, rules) -> ClaimService:
    return ClaimService(store, rules, who="Tess Treasurer")


@pytest.fixture
def jane(store, rules) -> int:
    member = MemberService(store, rules, who="Tess Treasurer").add(
        MemberInput("Jane Parent", grade="Representative")
    )
    assert member.id is not None
    return member.id


def taxi(amount: str = "12.50", **kw: object) -> ItemInput:
    return ItemInput("Taxi", amount=amount, **kw)  # type: ignore[arg-type]


def test_create_submit_approve_pay(service: ClaimService, jane: int, store) -> None:
    claim_id = service.create(ClaimHeader(jane, DAY, meeting="SEND board"), [taxi()])
    assert service.get(claim_id).status == "draft"
    service.submit(claim_id)
    service.approve(claim_id, approver="Ann Chair")
    detail = service.get(claim_id)
    assert (detail.status, detail.approved_by) == ("approved", "Ann Chair")
    assert detail.approved_at is not None
    service.pay(claim_id, paid_on=dt.date.today(), method="bank transfer", reference="BACS 12")
    detail = service.get(claim_id)
    assert detail.status == "paid"
    assert (detail.payment_method, detail.payment_reference) == ("Bank transfer", "BACS 12")
    actions = [(e.who, e.action) for e in audit.history(store.reader, "claim", claim_id)]
    assert actions == [
        ("Tess Treasurer", "create claim"),
        ("Tess Treasurer", "submit claim"),
        ("Ann Chair", "approve claim"),
        ("Tess Treasurer", "pay claim"),
    ]


def test_audit_entries_hold_the_record_before_and_after(service, jane, store) -> None:
    claim_id = service.create(ClaimHeader(jane, DAY, meeting="Board"), [taxi("10")], submit=True)
    service.update(claim_id, ClaimHeader(jane, DAY, meeting="Board"), [taxi("12")])
    change = audit.history(store.reader, "claim", claim_id)[-1]
    assert change.action == "change claim"
    assert change.before["total_pence"] == 1000 and change.after["total_pence"] == 1200
    assert change.before["items"][0]["amount_pence"] == 1000
    assert change.at.tzinfo is not None and change.who == "Tess Treasurer"
    assert "items changed" in change.summary()


def test_paid_claim_is_locked(service, jane) -> None:
    claim_id = service.create(ClaimHeader(jane, DAY, meeting="Board"), [taxi()], submit=True)
    service.approve(claim_id, approver="Ann Chair")
    service.pay(claim_id, paid_on=dt.date.today(), method="Cash")
    with pytest.raises(InputError, match="locked; make a correcting claim"):
        service.update(claim_id, ClaimHeader(jane, DAY, meeting="Board"), [taxi("99")])
    for change in (
        lambda: service.reject(claim_id, "oops"),
        lambda: service.approve(claim_id, approver="Ann Chair"),
        lambda: service.delete(claim_id),
        lambda: service.pay(claim_id, paid_on=dt.date.today(), method="Cash"),
    ):
        with pytest.raises(InputError):
            change()
    assert service.get(claim_id).total_pence == 1250


def test_correcting_claim_may_be_negative_and_links_the_original(service, jane) -> None:
    claim_id = service.create(ClaimHeader(jane, DAY, meeting="Board"), [taxi("20")], submit=True)
    with pytest.raises(InputError, match="Only a paid claim"):
        service.create(ClaimHeader(jane, DAY, meeting="Board"), [taxi("-5")], corrects_id=claim_id)
    service.approve(claim_id, approver="Ann Chair")
    service.pay(claim_id, paid_on=dt.date.today(), method="Cash")
    correction = service.create(
        ClaimHeader(jane, DAY, meeting="Board"), [taxi("-5.00")], corrects_id=claim_id
    )
    detail = service.get(correction)
    assert (detail.corrects_id, detail.total_pence) == (claim_id, -500)
    with pytest.raises(ClaimProblems, match="cannot be negative"):
        service.create(ClaimHeader(jane, DAY, meeting="Board"), [taxi("-5.00")])


def test_reject_needs_a_reason_and_editing_reopens(service, jane) -> None:
    claim_id = service.create(ClaimHeader(jane, DAY, meeting="Board"), [taxi()], submit=True)
    with pytest.raises(InputError, match="reason"):
        service.reject(claim_id, "  ")
    service.reject(claim_id, "No receipt")
    detail = service.get(claim_id)
    assert (detail.status, detail.rejected_reason) == ("rejected", "No receipt")
    service.update(claim_id, ClaimHeader(jane, DAY, meeting="Board"), [taxi(receipt=True)])
    assert service.get(claim_id).status == "draft"


def test_editing_an_approved_claim_withdraws_the_approval(service, jane) -> None:
    claim_id = service.create(ClaimHeader(jane, DAY, meeting="Board"), [taxi()], submit=True)
    service.approve(claim_id, approver="Ann Chair")
    service.update(claim_id, ClaimHeader(jane, DAY, meeting="Board"), [taxi("13")])
    detail = service.get(claim_id)
    assert (detail.status, detail.approved_by) == ("submitted", "")


def test_no_self_approval_unless_config_allows(store, jane) -> None:
    strict = ClaimService(store, ClaimRules(), who="Tess")
    claim_id = strict.create(ClaimHeader(jane, DAY, meeting="Board"), [taxi()], submit=True)
    with pytest.raises(InputError, match="cannot approve their own claim"):
        strict.approve(claim_id, approver="jane  PARENT")
    relaxed = ClaimService(store, ClaimRules(ClaimsSection(allow_self_approval=True)), who="T")
    relaxed.approve(claim_id, approver="Jane Parent")
    assert relaxed.get(claim_id).status == "approved"


def test_pay_the_forum_instead_and_declined(service, jane) -> None:
    claim_id = service.create(ClaimHeader(jane, DAY, meeting="Board"), [taxi()], submit=True)
    service.approve(claim_id, approver="Ann", pay_to="forum")
    assert service.get(claim_id).pay_to == "forum"
    other = service.create(
        ClaimHeader(jane, DAY, meeting="Board", pay_to="declined"), [taxi("3")], submit=True
    )
    service.approve(other, approver="Ann")
    # a taxi is an expense: repaid to the member even when they decline remuneration
    service.pay(other, paid_on=dt.date.today(), method="Cash")
    fee = service.create(
        ClaimHeader(jane, DAY, meeting="Board", pay_to="declined"),
        [ItemInput("Remuneration", sessions="1")],
        submit=True,
    )
    service.approve(fee, approver="Ann")
    with pytest.raises(InputError, match="declines payment"):
        service.pay(fee, paid_on=dt.date.today(), method="Cash")


def test_payment_method_must_be_one_of_configs(service, jane) -> None:
    claim_id = service.create(ClaimHeader(jane, DAY, meeting="Board"), [taxi()], submit=True)
    service.approve(claim_id, approver="Ann")
    with pytest.raises(InputError, match="Bank transfer, Cheque, Cash"):
        service.pay(claim_id, paid_on=dt.date.today(), method="bitcoin")


def test_header_problems_are_named_by_field(service, jane, event) -> None:
    with pytest.raises(ClaimProblems) as caught:
        service.create(ClaimHeader(jane, DAY), [taxi()])
    assert "meeting" in caught.value.problems
    claim_id = service.create(ClaimHeader(jane, DAY, event_id=event["event"]), [taxi()])
    assert service.get(claim_id).where == "Test consultation"
    with pytest.raises(ClaimProblems) as caught:
        service.create(ClaimHeader(999, DAY, meeting="x"), [])
    assert "member" in caught.value.problems
    with pytest.raises(ClaimProblems) as caught:
        service.create(ClaimHeader(jane, DAY, meeting="x"), [taxi("abc"), taxi("12,50")])
    assert set(caught.value.item_problems) == {0, 1}


def test_submitting_needs_items_and_only_drafts_are_deleted(service, jane, store) -> None:
    claim_id = service.create(ClaimHeader(jane, DAY, meeting="Board"), [])
    with pytest.raises(InputError, match="at least one item"):
        service.submit(claim_id)
    service.delete(claim_id)
    with pytest.raises(NotFoundError):
        service.get(claim_id)
    deleted = audit.history(store.reader, "claim", claim_id)[-1]
    assert deleted.action == "delete draft" and deleted.after == {}


def test_mileage_splits_at_10000_miles_across_claims(service, jane) -> None:
    def trip(day: dt.date, miles: str) -> int:
        item = ItemInput("Car mileage", miles=miles, from_place="A", to_place="B")
        return service.create(ClaimHeader(jane, day, meeting="Trip"), [item], submit=True)

    for n in range(4):  # 4 × 2,000 = 8,000 miles, all at 45p
        assert service.get(trip(dt.date(2025, 5, 1 + n), "2000")).total_pence == 90000
    trip(dt.date(2025, 5, 20), "1999")  # 9,999 miles
    crossing = service.get(trip(dt.date(2025, 6, 1), "1.5")).items[0]
    # one more mile reaches the line; the last half mile is at 25p (12.5p rounds up)
    assert (crossing.miles_first_tenths, crossing.miles_tenths) == (10, 15)
    assert crossing.amount_pence == 45 + 13
    assert "after 10,000 miles" in crossing.working
    after = service.get(trip(dt.date(2025, 6, 2), "10")).items[0]
    assert after.amount_pence == 250
    next_year = service.get(trip(dt.date(2026, 4, 6), "10")).items[0]
    assert next_year.amount_pence == 450  # a new tax year starts at 45p again


def test_rejected_claims_do_not_count_towards_the_line(service, jane) -> None:
    big = ItemInput("Car mileage", miles="2000")
    ids = [
        service.create(ClaimHeader(jane, DAY, meeting="x"), [big], submit=True) for _ in range(5)
    ]
    service.reject(ids[0], "duplicate")
    last = service.create(
        ClaimHeader(jane, DAY, meeting="x"), [ItemInput("Car mileage", miles="1")]
    )
    assert service.get(last).items[0].amount_pence == 45  # 8,000 miles counted, not 10,000


def test_a_claim_keeps_the_rates_of_its_date(store, jane) -> None:
    old = ClaimRules()
    service = ClaimService(store, old, who="T")
    claim_id = service.create(
        ClaimHeader(jane, DAY, meeting="x"), [ItemInput("Car mileage", miles="10")]
    )
    newer = msgspec.structs.replace(
        ClaimsSection(),
        mileage=[
            MileageRate(starts=dt.date(2011, 4, 6)),
            MileageRate(starts=dt.date(2026, 4, 6), car_first="0.55"),
        ],
    )
    later = ClaimService(store, ClaimRules(newer), who="T")
    assert later.get(claim_id).items[0].amount_pence == 450  # stored, never recomputed
    recent = later.create(
        ClaimHeader(jane, dt.date(2026, 5, 1), meeting="x"), [ItemInput("Car mileage", miles="10")]
    )
    old_date = later.create(
        ClaimHeader(jane, DAY, meeting="x"), [ItemInput("Car mileage", miles="10")]
    )
    assert later.get(recent).items[0].rate_pence == 55
    assert later.get(old_date).items[0].rate_pence == 45


def test_care_and_remuneration_are_worked_out(service, jane) -> None:
    claim_id = service.create(
        ClaimHeader(jane, DAY, meeting="Board"),
        [
            ItemInput("Childcare or replacement care", hours="2:30", rate="18"),
            ItemInput("Remuneration", hours="3"),
            ItemInput("Remuneration", sessions="2"),
        ],
    )
    care, by_hour, by_session = service.get(claim_id).items
    assert (care.amount_pence, care.rate_pence, care.requested_rate_pence) == (3750, 1500, 1800)
    assert "capped" in care.working
    assert (by_hour.amount_pence, by_hour.grade) == (4500, "Representative")
    assert by_session.amount_pence == 8000


def test_who_is_required(store, rules) -> None:
    with pytest.raises(InputError, match="who is making this change"):
        ClaimService(store, rules, who="  ")


def test_audit_json_is_plain(service, jane, store) -> None:
    claim_id = service.create(ClaimHeader(jane, DAY, meeting="Board"), [taxi()])
    raw = store.reader.execute(
        "SELECT after FROM audit_entry WHERE entity = 'claim' AND entity_id = ?", (claim_id,)
    ).fetchone()[0]
    data = json.loads(raw)
    assert data["claim_date"] == "2025-07-08" and data["items"][0]["category"] == "Taxi"
