"""Working out one item from what was typed (with property tests for any typing at all)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendtui.errors import InputError
from sendtui.services.claims.items import (
    FIELDS_BY_KIND,
    ItemInput,
    ItemProblems,
    parse_claim_date,
    price_item,
)
from sendtui.services.claims.rules import ClaimRules
from sendtui.services.money import format_pence

RULES = ClaimRules()
DAY = dt.date(2025, 7, 8)


def price(item: ItemInput, *, grade: str = "Representative", prior: int = 0, **kw: object):  # type: ignore[no-untyped-def]
    return price_item(item, rules=RULES, on=DAY, grade=grade, prior_car_miles_tenths=prior, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("typed", "pence"), [("12.50", 1250), ("£12.50", 1250), ("12", 1200)])
def test_amounts_as_people_type_them(typed: str, pence: int) -> None:
    assert price(ItemInput("taxi", amount=typed)).amount_pence == pence


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-3", "cannot be negative"),
        ("12,50", "Use a full stop"),
        ("1e9", "Write the amount out in full"),
        ("abc", "not an amount"),
        ("", "Enter an amount"),
    ],
)
def test_bad_amounts_are_refused_with_a_clear_message(typed: str, message: str) -> None:
    with pytest.raises(ItemProblems) as caught:
        price(ItemInput("Taxi", amount=typed))
    assert message in caught.value.problems["amount"]


def test_mileage_bands_passengers_and_vehicles() -> None:
    car = price(ItemInput("Car mileage", miles="120", passengers="2"), prior=99_000)
    assert (car.miles_first_tenths, car.rate_pence, car.rate_after_pence) == (1000, 45, 25)
    assert car.amount_pence == 100 * 45 + 20 * 25 + 120 * 5 * 2
    assert car.passenger_rate_pence == 5
    assert price(ItemInput("Motorcycle", miles="10")).amount_pence == 240
    assert price(ItemInput("Bicycle", miles="10")).amount_pence == 200
    with pytest.raises(ItemProblems) as caught:
        price(ItemInput("Bicycle", miles="10", passengers="1"))
    assert "car or van only" in caught.value.problems["passengers"]


def test_care_is_capped_and_remuneration_uses_the_grade() -> None:
    care = price(ItemInput("Childcare or replacement care", hours="1:30", rate="20"))
    assert (care.amount_pence, care.cap_pence) == (2250, 1500)
    with pytest.raises(ItemProblems) as caught:
        price(ItemInput("Childcare or replacement care", hours="2"))
    assert "rate per hour" in caught.value.problems["rate"]
    assert price(ItemInput("Remuneration", hours="2.5")).amount_pence == 3750
    with pytest.raises(ItemProblems) as caught:
        price(ItemInput("Remuneration", hours="2"), grade="Participant")
    assert "no rate per hour" in caught.value.problems["hours"]
    with pytest.raises(ItemProblems) as caught:
        price(ItemInput("Remuneration", hours="2", sessions="1"))
    assert "not both" in caught.value.problems["sessions"]
    with pytest.raises(ItemProblems) as caught:
        price_item(
            ItemInput("Remuneration", sessions="1"),
            rules=RULES,
            on=dt.date(2025, 1, 1),
            grade="Lead",
        )
    assert "no rate before 6 Apr 2025" in caught.value.problems["category"]


def test_a_copy_of_an_item_prices_the_same() -> None:
    for item in (
        ItemInput("Car mileage", miles="24.5", passengers="1", from_place="A", to_place="B"),
        ItemInput("Childcare or replacement care", hours="2:05", rate="12.34", receipt=True),
        ItemInput("Remuneration", sessions="3", description="Board"),
        ItemInput("Taxi", amount="7.05", receipt=True),
    ):
        priced = price(item)
        assert price(priced.as_input()) == priced


@pytest.mark.parametrize(
    ("typed", "day"), [("2025-07-08", DAY), ("08/07/2025", DAY), (" 8/7/2025 ", DAY)]
)
def test_claim_dates(typed: str, day: dt.date) -> None:
    assert parse_claim_date(typed) == day


@pytest.mark.parametrize("typed", ["", "31/02/2025", "tomorrow", "2025-13-01"])
def test_bad_claim_dates(typed: str) -> None:
    with pytest.raises(InputError):
        parse_claim_date(typed)


fields = st.text(max_size=12) | st.sampled_from(["", "0", "2", "12.5", "2:30", "-1", "9" * 20])


@given(
    st.sampled_from([c.name for c in RULES.categories]),
    fields,
    fields,
    fields,
    fields,
    fields,
    fields,
)
def test_any_typing_prices_or_names_the_fields(
    category, amount, miles, passengers, hours, sessions, rate
) -> None:
    item = ItemInput(
        category,
        amount=amount,
        miles=miles,
        passengers=passengers,
        hours=hours,
        sessions=sessions,
        rate=rate,
    )
    try:
        priced = price(item)
    except ItemProblems as exc:
        assert exc.problems and all(isinstance(m, str) and m for m in exc.problems.values())
        kind = RULES.category(category).kind
        # A spreadsheet may fill fields a form would hide: passengers on a bicycle.
        extra = {"passengers"} if kind in ("motorcycle", "bicycle") else set()
        assert set(exc.problems) <= {*FIELDS_BY_KIND[kind], "category", "description", *extra}
        return
    assert isinstance(priced.amount_pence, int) and priced.amount_pence >= 0
    assert priced.working == "" or format_pence(priced.amount_pence) in priced.working


@given(st.integers(0, 200_000), st.integers(1, 20_000))
def test_a_trip_costs_the_same_whether_split_or_not(prior: int, tenths: int) -> None:
    """Two legs cost what the whole trip costs, give or take a penny of rounding per band."""
    whole = price(ItemInput("Car mileage", miles=f"{tenths // 10}.{tenths % 10}"), prior=prior)
    first = tenths // 2
    second = tenths - first
    legs = 0
    for n, done in ((first, 0), (second, first)):
        if n:
            legs += price(
                ItemInput("Car mileage", miles=f"{n // 10}.{n % 10}"), prior=prior + done
            ).amount_pence
    assert abs(legs - whole.amount_pence) <= 2
    assert 25 * tenths // 10 - 1 <= whole.amount_pence <= 45 * tenths // 10 + 1


def test_the_route_heads_the_working() -> None:
    both = price(ItemInput("Car mileage", miles="1", from_place="Ashford", to_place="Hall"))
    assert both.working.startswith("Ashford → Hall: car")
    one = price(ItemInput("Car mileage", miles="1", to_place="Hall"))
    assert one.working.startswith("to Hall: car")


def test_a_split_working_ends_with_the_total() -> None:
    """Found by the property above: with passengers (or across the 10,000-mile line) the
    working listed the parts but never the sum the claimant is paid."""
    item = price(ItemInput("Car mileage", miles="10", passengers="1"))
    assert item.working.endswith("; total £5.00")
    across = price(ItemInput("Car mileage", miles="10"), prior=99_950)
    assert across.working == (
        "car, first 10,000 miles: 5 mi × 45p = £2.25; "
        "car, after 10,000 miles: 5 mi × 25p = £1.25; total £3.50"
    )
    assert price(ItemInput("Car mileage", miles="10")).working == (
        "car, first 10,000 miles: 10 mi × 45p = £4.50"
    )
