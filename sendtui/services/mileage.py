"""Mileage claims at HMRC approved mileage rates, in integer tenths of a mile and pence.

Miles are typed with at most one decimal place and held as whole TENTHS of a mile, so
12.5 miles is `125`. Each band's amount is `miles_tenths × rate / 10` rounded once, to the
nearest penny with halves up (see `money.round_half_up_div`); the item's total is the exact
sum of its bands.

Rounding with passengers (decided): the passengers are ONE band, `miles × 5p × passengers`,
rounded once, separately from the driver's band(s), so the form's working adds up line by
line and adding a passenger never changes the driver's part: 37.3 miles with one passenger is
£16.79 + £1.87 = £18.66 (rounding the whole 50p a mile once would give £18.65). Each band is
within half a penny of the exact figure; tests/unit/test_mileage.py checks it with properties.

Car or van: 45p a mile until the member's car miles in the tax year reach 10,000, then 25p,
split within the item that crosses the line; motorcycle 24p; bicycle 20p; passengers 5p a
mile each, cars only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

try:
    from sendtui.errors import InputError as _Base
except ImportError:  # pragma: no cover
    _Base = ValueError

from sendtui.services.money import round_half_up_div, split_sign, typed_excerpt
from sendtui.text import has_ascii_digit

__all__ = [
    "MAX_ITEM_MILES_TENTHS",
    "MAX_PASSENGERS",
    "MileageBand",
    "MileageCalc",
    "MileageRates",
    "MilesError",
    "Vehicle",
    "format_miles",
    "mileage_amount",
    "parse_miles",
    "tax_year_end",
    "tax_year_label",
    "tax_year_start",
]

MAX_ITEM_MILES_TENTHS = 20_000
"""2,000 miles: more than this in one item is refused as surely a mistake."""
MAX_PASSENGERS = 8

_EXAMPLE = "for example 12.5"
_UNIT = re.compile(r"\s*(?:mi|mile|miles)\.?\s*$", re.IGNORECASE)
_KM = re.compile(r"\s*(?:km|kms|kilometres?|kilometers?)\.?\s*$", re.IGNORECASE)
_EXPONENT = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+")
_DECIMAL_COMMA = re.compile(r"[0-9]+,[0-9]{1,2}")
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")
_PLAIN = re.compile(r"([0-9]*)(?:\.([0-9]*))?")


class MilesError(_Base):
    """Miles, passengers or a vehicle that cannot be accepted for a mileage item."""


class Vehicle(StrEnum):
    """What the member travelled in."""

    CAR = "car"  # car or van
    MOTORCYCLE = "motorcycle"
    BICYCLE = "bicycle"

    @property
    def label(self) -> str:
        """Plain words for a form: "car or van", "motorcycle", "bicycle"."""
        return "car or van" if self is Vehicle.CAR else self.value


@dataclass(frozen=True)
class MileageRates:
    """Pence per mile (HMRC approved mileage allowance payments by default)."""

    car_first: int = 45
    car_after: int = 25
    car_threshold_miles: int = 10_000
    motorcycle: int = 24
    bicycle: int = 20
    passenger: int = 5

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise MilesError(
                    f"Mileage rate {name.replace('_', ' ')} must be a whole number of pence "
                    f"(0 or more), not {value!r}"
                )

    def vehicle_rate(self, vehicle: Vehicle) -> int:
        """The single rate for a motorcycle or bicycle (cars use the two bands)."""
        return self.motorcycle if vehicle is Vehicle.MOTORCYCLE else self.bicycle


@dataclass(frozen=True)
class MileageBand:
    """Some miles at one rate. `amount_pence = round_half_up(miles_tenths × rate × count / 10)`.

    `count` is the number of passengers for the passenger band, otherwise 1.
    """

    miles_tenths: int
    rate_pence: int
    amount_pence: int
    label: str
    count: int = 1


@dataclass(frozen=True)
class MileageCalc:
    """One mileage item worked out: the vehicle's bands, any passenger band, and the total.

    `amount_pence` is the exact sum of every band's amount, passengers included.
    """

    bands: tuple[MileageBand, ...]
    passenger_band: MileageBand | None
    amount_pence: int

    def __post_init__(self) -> None:
        total = sum(b.amount_pence for b in self.bands)
        if self.passenger_band is not None:
            total += self.passenger_band.amount_pence
        if total != self.amount_pence:
            raise ValueError("amount_pence must be the sum of the bands")

    @property
    def miles_tenths(self) -> int:
        """The item's miles (tenths), the sum of the vehicle bands."""
        return sum(b.miles_tenths for b in self.bands)

    @property
    def driver_pence(self) -> int:
        """The vehicle bands' amount, without passengers."""
        return sum(b.amount_pence for b in self.bands)

    @property
    def passenger_pence(self) -> int:
        """The passenger band's amount, or 0."""
        return 0 if self.passenger_band is None else self.passenger_band.amount_pence


def format_miles(miles_tenths: int) -> str:
    """`125` → "12.5", `300` → "30", `15000` → "1,500"."""
    sign = "-" if miles_tenths < 0 else ""
    whole, tenth = divmod(abs(miles_tenths), 10)
    return f"{sign}{whole:,}" if tenth == 0 else f"{sign}{whole:,}.{tenth}"


def _as_date(d: date) -> date:
    return d.date() if isinstance(d, datetime) else d


def tax_year_start(d: date) -> date:
    """6 April on or before `d` (the UK tax year runs 6 April to 5 April)."""
    d = _as_date(d)
    start = date(d.year, 4, 6)
    if d >= start:
        return start
    # Year 1 has no tax year before it: the calendar's first day stands in (not an error).
    return date(d.year - 1, 4, 6) if d.year > 1 else date.min


def tax_year_end(d: date) -> date:
    """5 April ending the tax year that contains `d`."""
    start = tax_year_start(d)
    if start == date.min and _as_date(d) < date(1, 4, 6):
        return date(1, 4, 5)
    # 9999's tax year ends after the calendar does: its last day stands in.
    return date(start.year + 1, 4, 5) if start.year < date.max.year else date.max


def tax_year_label(d: date) -> str:
    """The tax year containing `d`, as "2025-26"."""
    year = tax_year_start(d).year
    return f"{year}-{(year + 1) % 100:02d}"


def parse_miles(text: str, *, allow_zero: bool = False) -> int:
    """Read miles as typed ("12", "12.5", "1,200", "30 miles") into whole tenths of a mile.

    Raises `MilesError`, and nothing else for any `str`.
    """
    s = text.strip()
    if not s:
        raise MilesError(f"Enter the miles, {_EXAMPLE}")
    shown = typed_excerpt(s)
    body, negative = split_sign(s)
    if _KM.search(body) and has_ascii_digit(body):
        raise MilesError(f"Enter miles, not kilometres (1 km is about 0.6 miles): {shown}")
    body = _UNIT.sub("", body)
    not_miles = f"Miles must be a number, {_EXAMPLE}: {shown}"
    if _EXPONENT.fullmatch(body):
        raise MilesError(f"Write the miles out in full, {_EXAMPLE}: {shown}")
    if any(ch.isalpha() for ch in body):
        raise MilesError(not_miles)
    if "," in body:
        if _DECIMAL_COMMA.fullmatch(body):
            raise MilesError(f"Use a full stop for part of a mile, {_EXAMPLE}, not {shown}")
        if not _GROUPED.fullmatch(body):
            raise MilesError(f"Commas can only separate thousands, for example 1,200: {shown}")
        body = body.replace(",", "")
    match = _PLAIN.fullmatch(body)
    if match is None:
        raise MilesError(not_miles)
    whole, frac = match.group(1), match.group(2) or ""
    if not whole and not frac:
        raise MilesError(not_miles)
    if len(frac) > 1:
        raise MilesError(f"Miles can have at most one decimal place, {_EXAMPLE}: {shown}")
    if negative:
        raise MilesError(f"Miles cannot be negative: {shown}")
    whole = whole.lstrip("0")
    most = format_miles(MAX_ITEM_MILES_TENTHS)
    too_far = f"is more than one item can be ({most} miles); check the figure or split it"
    if len(whole) > 6:
        raise MilesError(f"{typed_excerpt(whole)} miles {too_far}")
    tenths = int(whole or "0") * 10 + int(frac or "0")
    if tenths == 0 and not allow_zero:
        raise MilesError(f"Enter more than 0 miles: {shown}")
    if tenths > MAX_ITEM_MILES_TENTHS:
        raise MilesError(f"{format_miles(tenths)} miles {too_far}")
    return tenths


def _band(label: str, miles_tenths: int, rate: int, count: int = 1) -> MileageBand:
    amount = round_half_up_div(miles_tenths * rate * count, 10)
    per = f"{format_miles(miles_tenths)} mi × {rate}p" + (f" × {count}" if count != 1 else "")
    return MileageBand(miles_tenths, rate, amount, f"{label}: {per}", count)


def _check_count(name: str, value: object, low: int, high: int | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise MilesError(f"{name} must be a whole number, not {value!r}")
    if value < low or (high is not None and value > high):
        most = "" if high is None else f" to {high:,}"
        raise MilesError(f"{name} must be {low:,}{most}" + ("" if most else " or more"))
    return value


_VEHICLE_WORDS = {
    "van": Vehicle.CAR,
    "car or van": Vehicle.CAR,
    "motorbike": Vehicle.MOTORCYCLE,
    "cycle": Vehicle.BICYCLE,
}


def _vehicle(value: object) -> Vehicle:
    if isinstance(value, Vehicle):
        return value
    word = " ".join(value.lower().split()) if isinstance(value, str) else ""
    try:
        return _VEHICLE_WORDS.get(word) or Vehicle(word)
    except ValueError:
        raise MilesError(
            f"Choose car, motorcycle or bicycle, not {typed_excerpt(str(value))}"
        ) from None


def mileage_amount(
    vehicle: Vehicle | str,
    miles_tenths: int,
    *,
    passengers: int = 0,
    prior_car_miles_tenths: int = 0,
    rates: MileageRates = MileageRates(),
) -> MileageCalc:
    """Work out one mileage item.

    `prior_car_miles_tenths` is the member's car miles already claimed earlier in the same tax
    year; the car rate drops from `car_first` to `car_after` at `car_threshold_miles`, split
    within this item if it crosses the line. Passengers (0 to 8) are paid for cars only.
    """
    vehicle = _vehicle(vehicle)
    if isinstance(miles_tenths, bool) or not isinstance(miles_tenths, int):
        raise MilesError(f"Miles must be a whole number of tenths, not {miles_tenths!r}")
    if not 0 <= miles_tenths <= MAX_ITEM_MILES_TENTHS:
        raise MilesError(
            f"Miles must be 0 to {format_miles(MAX_ITEM_MILES_TENTHS)} in one item, "
            f"not {format_miles(miles_tenths)}"
        )
    _check_count("Miles already claimed this tax year", prior_car_miles_tenths, 0, None)
    _check_count("Passengers", passengers, 0, MAX_PASSENGERS)
    if passengers and vehicle is not Vehicle.CAR:
        raise MilesError(
            f"Passenger mileage can only be claimed in a car or van, not on a {vehicle.value}"
        )

    bands: list[MileageBand] = []
    if vehicle is Vehicle.CAR:
        threshold = rates.car_threshold_miles * 10
        first = min(miles_tenths, max(0, threshold - prior_car_miles_tenths))
        after = miles_tenths - first
        limit = f"{rates.car_threshold_miles:,} miles"
        if first:
            bands.append(_band(f"car, first {limit}", first, rates.car_first))
        if after:
            bands.append(_band(f"car, after {limit}", after, rates.car_after))
    elif miles_tenths:
        bands.append(_band(vehicle.value, miles_tenths, rates.vehicle_rate(vehicle)))

    passenger_band = None
    if passengers and miles_tenths:
        word = "passenger" if passengers == 1 else "passengers"
        passenger_band = _band(f"{passengers} {word}", miles_tenths, rates.passenger, passengers)
    total = sum(b.amount_pence for b in bands)
    if passenger_band is not None:
        total += passenger_band.amount_pence
    return MileageCalc(tuple(bands), passenger_band, total)
