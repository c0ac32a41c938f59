"""Mileage: typed miles, tax years, HMRC bands split at 10,000 miles, passengers."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import date, datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sendtui.services.mileage import (
    MAX_ITEM_MILES_TENTHS,
    MAX_PASSENGERS,
    MileageBand,
    MileageCalc,
    MileageRates,
    MilesError,
    Vehicle,
    format_miles,
    mileage_amount,
    parse_miles,
    tax_year_end,
    tax_year_label,
    tax_year_start,
)

THRESHOLD = 100_000  # 10,000 miles in tenths

# --- parse_miles ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "tenths"),
    [
        ("12", 120),
        ("12.5", 125),
        ("0.5", 5),
        (".5", 5),
        ("12.", 120),
        (" 30 ", 300),
        ("1,200", 12_000),
        ("1,999.9", 19_999),
        ("2000", 20_000),
        ("2,000.0", 20_000),
        ("30 miles", 300),
        ("30mi", 300),
        ("1 mile", 10),
        ("12.5 Miles", 125),
    ],
)
def test_parse_miles_accepts(typed: str, tenths: int) -> None:
    assert parse_miles(typed) == tenths


def test_parse_miles_zero_only_when_asked() -> None:
    assert parse_miles("0", allow_zero=True) == 0
    assert _message("0") == "Enter more than 0 miles: 0"
    assert _message("0.0") == "Enter more than 0 miles: 0.0"


def _message(typed: str) -> str:
    with pytest.raises(MilesError) as err:
        parse_miles(typed)
    return str(err.value.args[0])


@pytest.mark.parametrize("typed", ["", "  ", "\n"])
def test_parse_miles_blank(typed: str) -> None:
    assert _message(typed) == "Enter the miles, for example 12.5"


@pytest.mark.parametrize("typed", ["-3", "- 12.5", "\u22123", "-0"])
def test_parse_miles_negative(typed: str) -> None:
    assert _message(typed) == f"Miles cannot be negative: {typed}"


@pytest.mark.parametrize("typed", ["12.55", "12.345", "0.05"])
def test_parse_miles_one_decimal_place_at_most(typed: str) -> None:
    assert _message(typed) == f"Miles can have at most one decimal place, for example 12.5: {typed}"


@pytest.mark.parametrize("typed", ["2000.1", "2,001", "99999"])
def test_parse_miles_absurd(typed: str) -> None:
    message = _message(typed)
    assert message.endswith(
        " miles is more than one item can be (2,000 miles); check the figure or split it"
    )


def test_parse_miles_absurd_message_shows_the_figure() -> None:
    assert _message("2500") == (
        "2,500 miles is more than one item can be (2,000 miles); check the figure or split it"
    )


def test_parse_miles_absurdly_long_number() -> None:
    assert "is more than one item can be" in _message("9" * 5000)


@pytest.mark.parametrize("typed", ["abc", "twelve", "1.2.3", "12 5", "miles", "+5", "£12", "."])
def test_parse_miles_not_a_number(typed: str) -> None:
    assert _message(typed) == f"Miles must be a number, for example 12.5: {typed}"


@pytest.mark.parametrize("typed", ["12,5", "1,25"])
def test_parse_miles_decimal_comma(typed: str) -> None:
    expected = f"Use a full stop for part of a mile, for example 12.5, not {typed}"
    assert _message(typed) == expected


def test_parse_miles_bad_commas() -> None:
    assert _message("1,2345") == "Commas can only separate thousands, for example 1,200: 1,2345"


def test_parse_miles_exponent() -> None:
    assert _message("1e3") == "Write the miles out in full, for example 12.5: 1e3"


@pytest.mark.parametrize("typed", ["20km", "20 km", "20 kilometres"])
def test_parse_miles_kilometres(typed: str) -> None:
    expected = f"Enter miles, not kilometres (1 km is about 0.6 miles): {typed}"
    assert _message(typed) == expected


_MILEISH = st.text(alphabet="0123456789.,-− mileskE", max_size=15)


@given(st.one_of(st.text(), _MILEISH))
def test_parse_miles_raises_only_miles_error(text: str) -> None:
    try:
        tenths = parse_miles(text)
    except MilesError as err:
        assert err.args[0]
    else:
        assert 0 < tenths <= MAX_ITEM_MILES_TENTHS


@given(st.integers(min_value=1, max_value=MAX_ITEM_MILES_TENTHS))
def test_format_miles_round_trips(tenths: int) -> None:
    assert parse_miles(format_miles(tenths)) == tenths


@pytest.mark.parametrize(
    ("tenths", "text"), [(0, "0"), (5, "0.5"), (125, "12.5"), (300, "30"), (15_000, "1,500")]
)
def test_format_miles(tenths: int, text: str) -> None:
    assert format_miles(tenths) == text


def test_format_miles_negative() -> None:
    assert format_miles(-5) == "-0.5"
    assert format_miles(-125) == "-12.5"


# --- tax year ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "start", "label"),
    [
        (date(2025, 4, 5), date(2024, 4, 6), "2024-25"),
        (date(2025, 4, 6), date(2025, 4, 6), "2025-26"),
        (date(2025, 12, 31), date(2025, 4, 6), "2025-26"),
        (date(2026, 1, 1), date(2025, 4, 6), "2025-26"),
        (date(2026, 4, 5), date(2025, 4, 6), "2025-26"),
        (date(2026, 4, 6), date(2026, 4, 6), "2026-27"),
        (date(1999, 5, 1), date(1999, 4, 6), "1999-00"),
        (date(2009, 4, 6), date(2009, 4, 6), "2009-10"),
    ],
)
def test_tax_year(day: date, start: date, label: str) -> None:
    assert tax_year_start(day) == start
    assert tax_year_label(day) == label
    assert tax_year_end(day) == date(start.year + 1, 4, 5)


def test_tax_year_accepts_datetime() -> None:
    assert tax_year_start(datetime(2025, 4, 5, 23, 59)) == date(2024, 4, 6)
    assert tax_year_label(datetime(2025, 4, 6, 0, 0)) == "2025-26"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_tax_year_contains_the_day(day: date) -> None:
    start = tax_year_start(day)
    assert start <= day <= tax_year_end(day)
    assert (start.month, start.day) == (4, 6)


# --- rates and vehicle ------------------------------------------------------------------------


def test_default_rates_are_hmrc() -> None:
    rates = MileageRates()
    assert (rates.car_first, rates.car_after, rates.car_threshold_miles) == (45, 25, 10_000)
    assert (rates.motorcycle, rates.bicycle, rates.passenger) == (24, 20, 5)


def test_rates_are_frozen() -> None:
    with pytest.raises(FrozenInstanceError):
        MileageRates().car_first = 50  # type: ignore[misc]


@pytest.mark.parametrize("bad", [-1, 4.5, "45", True, None])
def test_rates_must_be_whole_pence(bad: object) -> None:
    with pytest.raises(MilesError, match="Mileage rate car first must be a whole number of pence"):
        MileageRates(car_first=bad)  # type: ignore[arg-type]


def test_vehicle_values_and_labels() -> None:
    assert [v.value for v in Vehicle] == ["car", "motorcycle", "bicycle"]
    assert Vehicle.CAR == "car"
    assert Vehicle.CAR.label == "car or van"
    assert Vehicle.MOTORCYCLE.label == "motorcycle"
    assert Vehicle.BICYCLE.label == "bicycle"


@pytest.mark.parametrize(
    ("word", "vehicle"),
    [
        ("car", Vehicle.CAR),
        ("Car", Vehicle.CAR),
        (" van ", Vehicle.CAR),
        ("car or van", Vehicle.CAR),
        ("motorcycle", Vehicle.MOTORCYCLE),
        ("motorbike", Vehicle.MOTORCYCLE),
        ("bicycle", Vehicle.BICYCLE),
        ("cycle", Vehicle.BICYCLE),
    ],
)
def test_vehicle_words(word: str, vehicle: Vehicle) -> None:
    rate = {Vehicle.CAR: 45, Vehicle.MOTORCYCLE: 24, Vehicle.BICYCLE: 20}[vehicle]
    assert mileage_amount(word, 10).bands[0].rate_pence == rate


@pytest.mark.parametrize("word", ["horse", "", None, 3])
def test_unknown_vehicle(word: object) -> None:
    with pytest.raises(MilesError, match=r"^Choose car, motorcycle or bicycle, not "):
        mileage_amount(word, 10)  # type: ignore[arg-type]


# --- mileage_amount: the examples -------------------------------------------------------------


def test_brief_example_crossing_the_threshold() -> None:
    calc = mileage_amount(Vehicle.CAR, 300, prior_car_miles_tenths=99_900)
    assert calc.bands == (
        MileageBand(100, 45, 450, "car, first 10,000 miles: 10 mi × 45p"),
        MileageBand(200, 25, 500, "car, after 10,000 miles: 20 mi × 25p"),
    )
    assert calc.passenger_band is None
    assert calc.amount_pence == 950


def test_brief_example_with_two_passengers() -> None:
    calc = mileage_amount(Vehicle.CAR, 300, passengers=2, prior_car_miles_tenths=99_900)
    assert calc.passenger_band == MileageBand(300, 5, 300, "2 passengers: 30 mi × 5p × 2", 2)
    assert calc.driver_pence == 950
    assert calc.passenger_pence == 300
    assert calc.amount_pence == 1250


def test_one_passenger_label() -> None:
    calc = mileage_amount(Vehicle.CAR, 125, passengers=1)
    assert calc.passenger_band == MileageBand(125, 5, 63, "1 passenger: 12.5 mi × 5p")


def test_label_with_tenths() -> None:
    calc = mileage_amount(Vehicle.CAR, 125)
    assert calc.bands == (MileageBand(125, 45, 563, "car, first 10,000 miles: 12.5 mi × 45p"),)


def test_half_pence_round_up_once_per_band() -> None:
    # 12.5 × 45p = 562.5p → 563p; 0.1 × 45p = 4.5p → 5p; 0.1 × 25p = 2.5p → 3p
    assert mileage_amount(Vehicle.CAR, 125).amount_pence == 563
    assert mileage_amount(Vehicle.CAR, 1).amount_pence == 5
    assert mileage_amount(Vehicle.CAR, 1, prior_car_miles_tenths=THRESHOLD).amount_pence == 3
    # 0.1 × 24p = 2.4p → 2p; 0.3 × 24p = 7.2p → 7p; 0.5 × 5p × 3 = 7.5p → 8p (not 3 × 3p)
    assert mileage_amount(Vehicle.MOTORCYCLE, 1).amount_pence == 2
    assert mileage_amount(Vehicle.MOTORCYCLE, 3).amount_pence == 7
    assert mileage_amount(Vehicle.CAR, 5, passengers=3).passenger_pence == 8


def test_split_band_rounding_is_per_band() -> None:
    # 0.3 miles crossing at 0.1: 0.1 × 45 = 4.5 → 5 and 0.2 × 25 = 5.0 → 5
    calc = mileage_amount(Vehicle.CAR, 3, prior_car_miles_tenths=THRESHOLD - 1)
    assert [(b.miles_tenths, b.amount_pence) for b in calc.bands] == [(1, 5), (2, 5)]
    assert calc.amount_pence == 10


def test_motorcycle_and_bicycle() -> None:
    moto = mileage_amount(Vehicle.MOTORCYCLE, 300, prior_car_miles_tenths=THRESHOLD * 2)
    assert moto.bands == (MileageBand(300, 24, 720, "motorcycle: 30 mi × 24p"),)
    bike = mileage_amount(Vehicle.BICYCLE, 300)
    assert bike.bands == (MileageBand(300, 20, 600, "bicycle: 30 mi × 20p"),)
    assert bike.amount_pence == 600


def test_exactly_at_threshold() -> None:
    below = mileage_amount(Vehicle.CAR, 100, prior_car_miles_tenths=THRESHOLD - 100)
    assert [b.rate_pence for b in below.bands] == [45]
    assert below.amount_pence == 450
    after = mileage_amount(Vehicle.CAR, 100, prior_car_miles_tenths=THRESHOLD)
    assert [b.rate_pence for b in after.bands] == [25]
    assert after.bands[0].label == "car, after 10,000 miles: 10 mi × 25p"
    assert after.amount_pence == 250


def test_far_above_threshold() -> None:
    calc = mileage_amount(Vehicle.CAR, 100, prior_car_miles_tenths=THRESHOLD * 5)
    assert calc.amount_pence == 250


def test_zero_miles() -> None:
    calc = mileage_amount(Vehicle.CAR, 0, passengers=2)
    assert calc.bands == ()
    assert calc.passenger_band is None
    assert calc.amount_pence == 0


def test_custom_rates() -> None:
    rates = MileageRates(car_first=50, car_after=30, car_threshold_miles=100, passenger=10)
    calc = mileage_amount(Vehicle.CAR, 200, passengers=1, prior_car_miles_tenths=900, rates=rates)
    assert [(b.miles_tenths, b.rate_pence, b.amount_pence) for b in calc.bands] == [
        (100, 50, 500),
        (100, 30, 300),
    ]
    assert calc.bands[0].label == "car, first 100 miles: 10 mi × 50p"
    assert calc.amount_pence == 800 + 200


def test_calc_properties() -> None:
    calc = mileage_amount(Vehicle.CAR, 300, passengers=2, prior_car_miles_tenths=99_900)
    assert calc.miles_tenths == 300
    assert calc.driver_pence + calc.passenger_pence == calc.amount_pence


def test_calc_checks_its_total() -> None:
    band = MileageBand(10, 45, 45, "x")
    with pytest.raises(ValueError):
        MileageCalc((band,), None, 46)


# --- mileage_amount: refusals -----------------------------------------------------------------


@pytest.mark.parametrize("vehicle", [Vehicle.MOTORCYCLE, Vehicle.BICYCLE])
def test_passengers_only_in_cars(vehicle: Vehicle) -> None:
    with pytest.raises(MilesError) as err:
        mileage_amount(vehicle, 100, passengers=1)
    assert str(err.value) == (
        f"Passenger mileage can only be claimed in a car or van, not on a {vehicle.value}"
    )


@pytest.mark.parametrize("passengers", [-1, MAX_PASSENGERS + 1, 100])
def test_passenger_count_range(passengers: int) -> None:
    with pytest.raises(MilesError) as err:
        mileage_amount(Vehicle.CAR, 100, passengers=passengers)
    assert str(err.value) == "Passengers must be 0 to 8"


def test_eight_passengers_allowed() -> None:
    assert mileage_amount(Vehicle.CAR, 10, passengers=8).passenger_pence == 40


@pytest.mark.parametrize("passengers", [1.0, "2", True])
def test_passenger_count_must_be_int(passengers: object) -> None:
    with pytest.raises(MilesError, match=r"^Passengers must be a whole number"):
        mileage_amount(Vehicle.CAR, 100, passengers=passengers)  # type: ignore[arg-type]


@pytest.mark.parametrize("tenths", [-1, MAX_ITEM_MILES_TENTHS + 1])
def test_miles_range(tenths: int) -> None:
    with pytest.raises(MilesError, match=r"^Miles must be 0 to 2,000 in one item, not "):
        mileage_amount(Vehicle.CAR, tenths)


@pytest.mark.parametrize("tenths", [12.5, "125", True, None])
def test_miles_must_be_int_tenths(tenths: object) -> None:
    with pytest.raises(MilesError, match=r"^Miles must be a whole number of tenths"):
        mileage_amount(Vehicle.CAR, tenths)  # type: ignore[arg-type]


def test_prior_miles_cannot_be_negative() -> None:
    with pytest.raises(MilesError) as err:
        mileage_amount(Vehicle.CAR, 10, prior_car_miles_tenths=-1)
    assert str(err.value) == "Miles already claimed this tax year must be 0 or more"


def test_miles_error_is_a_value_error() -> None:
    assert issubclass(MilesError, ValueError)


# --- properties -------------------------------------------------------------------------------

_VEHICLES = st.sampled_from(list(Vehicle))
_TENTHS = st.integers(min_value=0, max_value=MAX_ITEM_MILES_TENTHS)
_PRIOR = st.integers(min_value=0, max_value=THRESHOLD + 3 * MAX_ITEM_MILES_TENTHS)


def _passengers(vehicle: Vehicle) -> st.SearchStrategy[int]:
    return st.integers(0, MAX_PASSENGERS) if vehicle is Vehicle.CAR else st.just(0)


@given(st.data(), _VEHICLES, _TENTHS, _TENTHS, _PRIOR)
def test_monotonic_in_miles(
    data: st.DataObject, vehicle: Vehicle, a: int, b: int, prior: int
) -> None:
    low, high = sorted((a, b))
    passengers = data.draw(_passengers(vehicle))
    kwargs = {"passengers": passengers, "prior_car_miles_tenths": prior}
    assert (
        mileage_amount(vehicle, low, **kwargs).amount_pence
        <= mileage_amount(vehicle, high, **kwargs).amount_pence
    )


@given(_TENTHS, _PRIOR)
def test_more_prior_miles_never_pays_more(tenths: int, prior: int) -> None:
    assert (
        mileage_amount(Vehicle.CAR, tenths, prior_car_miles_tenths=prior + 1).amount_pence
        <= mileage_amount(Vehicle.CAR, tenths, prior_car_miles_tenths=prior).amount_pence
    )


def _band_count(calc: MileageCalc) -> int:
    return len(calc.bands) + (calc.passenger_band is not None)


@given(st.data(), _VEHICLES, _TENTHS, _PRIOR)
def test_splitting_a_journey_changes_the_total_by_rounding_only(
    data: st.DataObject, vehicle: Vehicle, whole: int, prior: int
) -> None:
    """Two consecutive items total the same as one, within half a penny per band.

    Before rounding, every band is worth `miles_tenths × rate / 10` pence, and the split items'
    bands cover exactly the same tenths at the same rates as the single item's (the threshold
    falls at the same mile, because the second item's prior includes the first's miles), so the
    unrounded totals are equal. Each band is then rounded once, half up, which moves it by at
    most half a penny. So the two totals differ by at most ½p × (the number of bands on both
    sides): never more than 1p per band of the split items. Whole miles never round at all
    (whole miles × whole pence), so those totals are equal exactly.
    """
    first = data.draw(st.integers(0, whole))
    second = whole - first
    passengers = data.draw(_passengers(vehicle))
    one = mileage_amount(vehicle, whole, passengers=passengers, prior_car_miles_tenths=prior)
    a = mileage_amount(vehicle, first, passengers=passengers, prior_car_miles_tenths=prior)
    b = mileage_amount(vehicle, second, passengers=passengers, prior_car_miles_tenths=prior + first)
    difference = abs(one.amount_pence - (a.amount_pence + b.amount_pence))
    assert 2 * difference <= _band_count(one) + _band_count(a) + _band_count(b)
    assert difference <= _band_count(a) + _band_count(b)
    if first % 10 == 0 and second % 10 == 0 and prior % 10 == 0:
        assert difference == 0


@given(st.data(), _VEHICLES, _TENTHS, _PRIOR)
def test_split_exact_value_is_identical(
    data: st.DataObject, vehicle: Vehicle, whole: int, prior: int
) -> None:
    """The unrounded value (tenth-miles × pence) of the bands is conserved by splitting."""
    first = data.draw(st.integers(0, whole))

    def exact(calc: MileageCalc) -> int:
        bands = [*calc.bands, *([calc.passenger_band] if calc.passenger_band else [])]
        return sum(b.miles_tenths * b.rate_pence * b.count for b in bands)

    passengers = data.draw(_passengers(vehicle))
    one = mileage_amount(vehicle, whole, passengers=passengers, prior_car_miles_tenths=prior)
    a = mileage_amount(vehicle, first, passengers=passengers, prior_car_miles_tenths=prior)
    b = mileage_amount(
        vehicle, whole - first, passengers=passengers, prior_car_miles_tenths=prior + first
    )
    assert exact(one) == exact(a) + exact(b)


@given(st.integers(0, 2_000), st.integers(0, THRESHOLD // 10))
def test_all_below_threshold_is_45p_a_mile_exactly(miles: int, prior_miles: int) -> None:
    assume(prior_miles + miles <= 10_000)
    calc = mileage_amount(Vehicle.CAR, miles * 10, prior_car_miles_tenths=prior_miles * 10)
    assert calc.amount_pence == 45 * miles
    assert all(b.rate_pence == 45 for b in calc.bands)


@given(st.integers(0, 2_000), st.integers(10_000, 100_000))
def test_all_above_threshold_is_25p_a_mile_exactly(miles: int, prior_miles: int) -> None:
    calc = mileage_amount(Vehicle.CAR, miles * 10, prior_car_miles_tenths=prior_miles * 10)
    assert calc.amount_pence == 25 * miles
    assert all(b.rate_pence == 25 for b in calc.bands)


@given(st.integers(0, 2_000), st.integers(0, MAX_PASSENGERS))
def test_passengers_are_5p_a_mile_each_for_whole_miles(miles: int, passengers: int) -> None:
    calc = mileage_amount(Vehicle.CAR, miles * 10, passengers=passengers)
    assert calc.passenger_pence == 5 * miles * passengers


@given(st.integers(0, 2_000))
def test_motorcycle_and_bicycle_whole_miles(miles: int) -> None:
    assert mileage_amount(Vehicle.MOTORCYCLE, miles * 10).amount_pence == 24 * miles
    assert mileage_amount(Vehicle.BICYCLE, miles * 10).amount_pence == 20 * miles


@given(st.data(), _VEHICLES, _TENTHS, _PRIOR)
def test_bands_miles_sum_to_item_miles(
    data: st.DataObject, vehicle: Vehicle, tenths: int, prior: int
) -> None:
    passengers = data.draw(_passengers(vehicle))
    calc = mileage_amount(vehicle, tenths, passengers=passengers, prior_car_miles_tenths=prior)
    assert sum(b.miles_tenths for b in calc.bands) == tenths == calc.miles_tenths
    assert all(b.miles_tenths > 0 for b in calc.bands)
    assert len(calc.bands) <= (2 if vehicle is Vehicle.CAR else 1)
    total = sum(b.amount_pence for b in calc.bands) + calc.passenger_pence
    assert total == calc.amount_pence
    if calc.passenger_band is not None:
        assert calc.passenger_band.miles_tenths == tenths
        assert calc.passenger_band.count == passengers


@given(_TENTHS, _PRIOR)
def test_first_band_never_passes_the_threshold(tenths: int, prior: int) -> None:
    calc = mileage_amount(Vehicle.CAR, tenths, prior_car_miles_tenths=prior)
    at_45 = sum(b.miles_tenths for b in calc.bands if b.rate_pence == 45)
    at_25 = sum(b.miles_tenths for b in calc.bands if b.rate_pence == 25)
    assert at_45 == max(0, min(tenths, THRESHOLD - prior))
    assert at_25 == tenths - at_45


@given(_TENTHS)
def test_each_band_rounds_half_up(tenths: int) -> None:
    calc = mileage_amount(Vehicle.CAR, tenths, passengers=3, prior_car_miles_tenths=THRESHOLD - 7)
    for band in [*calc.bands, *([calc.passenger_band] if calc.passenger_band else [])]:
        exact_tenths_of_pence = band.miles_tenths * band.rate_pence * band.count
        # half up: amount - ½ <= exact < amount + ½
        assert 10 * band.amount_pence - 5 <= exact_tenths_of_pence < 10 * band.amount_pence + 5
        assert isinstance(band.amount_pence, int)


# -- The rounding rule with passengers (decided, see the mileage module and README) --------
#
# Each band is rounded once, to the nearest penny, halves up: the driver's miles at 45p
# (and at 25p past the 10,000-mile line) and the passengers' miles as ONE band (miles ×
# 5p × passengers). The item is the exact sum of its bands, so the working on the claim
# form adds up line by line: 37.3 miles with one passenger is £16.79 + £1.87 = £18.66.


def test_the_issue_example_37_3_miles_with_one_passenger() -> None:
    calc = mileage_amount(Vehicle.CAR, 373, passengers=1)
    assert (calc.driver_pence, calc.passenger_pence, calc.amount_pence) == (1679, 187, 1866)


@given(_TENTHS, st.integers(1, MAX_PASSENGERS), _PRIOR)
def test_passengers_never_change_the_drivers_part(tenths: int, passengers: int, prior: int) -> None:
    alone = mileage_amount(Vehicle.CAR, tenths, prior_car_miles_tenths=prior)
    shared = mileage_amount(
        Vehicle.CAR, tenths, passengers=passengers, prior_car_miles_tenths=prior
    )
    assert shared.driver_pence == alone.amount_pence
    # the passengers' band: one rounding of miles × 5p × passengers, halves up
    assert shared.passenger_pence == (tenths * 5 * passengers * 2 + 10) // 20
    assert shared.amount_pence == shared.driver_pence + shared.passenger_pence


@given(_TENTHS, st.integers(0, MAX_PASSENGERS), _PRIOR)
def test_rounding_is_within_half_a_penny_per_band(tenths: int, passengers: int, prior: int) -> None:
    from fractions import Fraction

    calc = mileage_amount(Vehicle.CAR, tenths, passengers=passengers, prior_car_miles_tenths=prior)
    first = min(tenths, max(0, THRESHOLD - prior))
    exact = Fraction(first * 45 + (tenths - first) * 25 + tenths * 5 * passengers, 10)
    bands = len(calc.bands) + (calc.passenger_band is not None)
    assert abs(calc.amount_pence - exact) <= Fraction(bands, 2)
    for band in (*calc.bands, *([calc.passenger_band] if calc.passenger_band else [])):
        exact_band = Fraction(band.miles_tenths * band.rate_pence * band.count, 10)
        assert abs(band.amount_pence - exact_band) <= Fraction(1, 2)
        assert band.amount_pence - exact_band != Fraction(-1, 2)  # halves go up


@given(_TENTHS, st.integers(0, MAX_PASSENGERS - 1), _PRIOR)
def test_one_more_passenger_never_pays_less(tenths: int, passengers: int, prior: int) -> None:
    fewer = mileage_amount(Vehicle.CAR, tenths, passengers=passengers, prior_car_miles_tenths=prior)
    more = mileage_amount(
        Vehicle.CAR, tenths, passengers=passengers + 1, prior_car_miles_tenths=prior
    )
    assert more.amount_pence >= fewer.amount_pence


@pytest.mark.parametrize("typed", ["km²", "٣ km", "² km"])
def test_unicode_digits_beside_km_are_not_read_as_a_distance(typed: str) -> None:
    """Only 0-9 make a number (as everywhere in sendtui): "²" beside "km" is not a distance
    in kilometres, just not a number of miles."""
    with pytest.raises(MilesError) as err:
        parse_miles(typed)
    assert "kilometres" not in err.value.message
