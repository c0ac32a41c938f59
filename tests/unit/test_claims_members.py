"""Members: no bank details, unique names, and `forget` only after the retention period."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendtui.config.claims import ClaimsSection
from sendtui.errors import InputError, NotFoundError
from sendtui.services.claims import audit
from sendtui.services.claims.detail import ClaimHeader
from sendtui.services.claims.items import ItemInput
from sendtui.services.claims.members import (
    MemberInput,
    MemberService,
    check_payment_reference,
)
from sendtui.services.claims.retention import (
    financial_year,
    financial_year_label,
    retention_ends,
)
from sendtui.services.claims.rules import ClaimRules
from sendtui.services.claims.workflow import ClaimService


@pytest.fixture
def members(store) -> MemberService:
    return MemberService(store, ClaimRules(), who="Tess")


@pytest.mark.parametrize(
    "reference", ["12-34-56 12345678", "123456", "GB29 NWBK 6016 1331 9268 19", "Acc 12345678"]
)
def test_bank_details_are_refused(reference: str) -> None:
    with pytest.raises(InputError, match="does not store bank details"):
        check_payment_reference(reference)


def test_a_payee_reference_is_kept() -> None:
    assert check_payment_reference("  J PARENT  forum ") == "J PARENT forum"


def test_add_update_and_unique_names(members: MemberService, store) -> None:
    jane = members.add(MemberInput("Jane  Parent", email="jane@example.org", grade="lead"))
    assert (jane.name, jane.grade) == ("Jane Parent", "Lead")
    with pytest.raises(InputError, match="already a member called Jane Parent"):
        members.add(MemberInput("jane parent"))
    with pytest.raises(InputError, match="no grade"):
        members.add(MemberInput("Bob", grade="Chief"))
    with pytest.raises(InputError, match="not an email"):
        members.add(MemberInput("Bob", email="bob at home"))
    assert jane.id is not None
    members.update(jane.id, MemberInput("Jane Parent", phone="01234 567890"))
    change = audit.history(store.reader, "member", jane.id)[-1]
    assert change.before["phone"] == "" and change.after["phone"] == "01234 567890"
    assert members.find("jane").id == jane.id
    with pytest.raises(NotFoundError):
        members.find("nobody")


def test_forget_refuses_before_the_retention_period_ends(store, members) -> None:
    jane = members.add(MemberInput("Jane Parent", email="j@example.org", phone="0123"))
    assert jane.id is not None
    claims = ClaimService(store, ClaimRules(), who="Tess")
    item = ItemInput("Car mileage", miles="12", from_place="12 Home Street", to_place="Hall")
    claim_id = claims.create(ClaimHeader(jane.id, dt.date(2025, 7, 8), meeting="Board"), [item])
    with pytest.raises(InputError, match=f"not paid yet: {claim_id} \\(draft\\)"):
        members.forget("Jane Parent", today=dt.date(2040, 1, 1))  # unpaid: never
    claims.approve(claim_id, approver="Ann")
    claims.pay(claim_id, paid_on=dt.date(2025, 7, 20), method="Cash")
    # The claim falls in the year to 31 March 2026; kept 6 years: until 31 March 2032.
    with pytest.raises(InputError, match="must be kept until 31 Mar 2032"):
        members.forget("Jane Parent", today=dt.date(2032, 3, 31))
    with pytest.raises(NotFoundError, match="exactly"):
        members.forget("Jane", today=dt.date(2032, 4, 1))  # a part of the name is not enough
    forgotten = members.forget("jane parent", today=dt.date(2032, 4, 1))
    assert forgotten.name == f"Former member {jane.id}"
    assert (forgotten.email, forgotten.phone) == ("", "")
    detail = claims.get(claim_id)
    assert detail.total_pence == 540 and detail.items[0].from_place == ""
    trail = store.reader.execute("SELECT before || after FROM audit_entry").fetchall()
    text = " ".join(row[0] for row in trail)
    assert "Jane" not in text and "Home Street" not in text and "j@example.org" not in text
    with pytest.raises(InputError, match="already removed"):
        members.forget(f"Former member {jane.id}", today=dt.date(2033, 1, 1))
    with pytest.raises(InputError, match="removed"):
        claims.create(ClaimHeader(jane.id, dt.date(2033, 1, 1), meeting="x"), [])


def test_a_member_without_claims_can_be_forgotten_at_once(members, store) -> None:
    bob = members.add(MemberInput("Bob", email="bob@example.org"))
    members.forget("Bob")
    assert bob.id is not None
    entries = audit.history(store.reader, "member", bob.id)
    assert [e.action for e in entries] == ["add member", "forget member"]
    assert all("Bob" not in json.dumps(e.before) + json.dumps(e.after) for e in entries)


def test_retention_follows_the_configured_financial_year(store) -> None:
    section = ClaimsSection(financial_year_start="01-01", retention_years=1)
    rules = ClaimRules(section)
    members = MemberService(store, rules, who="T")
    jane = members.add(MemberInput("Jane"))
    assert jane.id is not None
    service = ClaimService(store, rules, who="T")
    made = service.create(
        ClaimHeader(jane.id, dt.date(2025, 7, 8), meeting="x"), [ItemInput("Taxi", amount="3")]
    )
    service.reject(made, "not ours")  # nothing unpaid: only the retention period counts
    with pytest.raises(InputError, match="31 Dec 2026"):
        members.forget("Jane", today=dt.date(2026, 12, 31))
    members.forget("Jane", today=dt.date(2027, 1, 1))


def test_financial_years() -> None:
    assert financial_year(dt.date(2025, 3, 31)) == (dt.date(2024, 4, 1), dt.date(2025, 3, 31))
    assert financial_year(dt.date(2025, 4, 1)) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    assert financial_year_label(dt.date(2025, 4, 1)) == "2025-26"
    assert financial_year_label(dt.date(2025, 4, 1), (1, 1)) == "2025"
    assert retention_ends(dt.date(2025, 7, 8), 6) == dt.date(2032, 3, 31)


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
    st.sampled_from([(4, 1), (1, 1), (4, 6), (9, 1), (2, 28)]),
)
def test_every_day_is_in_exactly_its_financial_year(day: dt.date, start: tuple[int, int]) -> None:
    first, last = financial_year(day, start)
    assert first <= day <= last
    assert (first.month, first.day) == start
    assert financial_year(last + dt.timedelta(days=1), start)[0] == last + dt.timedelta(days=1)


def test_names_differing_only_in_non_ascii_case_are_one_member(members) -> None:
    first = members.add(MemberInput("Élodie Smith"))
    with pytest.raises(InputError, match="already a member called Élodie Smith"):
        members.add(MemberInput("ÉLODIE  SMITH"))
    with pytest.raises(InputError, match="already a member"):
        members.add(MemberInput("élodie smith"))
    assert members.find("ÉLODIE SMITH").id == first.id
    lukasz = members.add(MemberInput("Łukasz Nowak"))
    assert members.find("ŁUKASZ").id == lukasz.id  # a part of the name, any case
    with pytest.raises(NotFoundError):
        members.find("²")  # a digit to isdigit(), not a member number


def test_forget_says_what_is_kept(members) -> None:
    members.add(MemberInput("Bob"))
    message = members.check_forget("bob")
    assert "Kept" in message and "amounts" in message and "Bob" in message
