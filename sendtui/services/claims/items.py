"""Working out one claim item from what was typed: amounts, mileage, care and remuneration.

`price_item` checks every field and reports the problems by field name (so a form can show
each message next to its field); when all is well it returns a `PricedItem` holding the
amount and the rates used, which is what the store keeps.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from sendtui.errors import InputError
from sendtui.services.allowances import (
    care_amount,
    format_minutes,
    parse_hours,
    remuneration_amount,
)
from sendtui.services.claims.rules import ClaimRules
from sendtui.services.mileage import (
    MAX_PASSENGERS,
    MileageCalc,
    Vehicle,
    format_miles,
    mileage_amount,
    parse_miles,
)
from sendtui.services.money import format_pence, parse_amount, typed_excerpt
from sendtui.text import ascii_number

T = TypeVar("T")
MAX_TEXT = 300
MAX_SESSIONS = 20
_MINUS = "-\u2212\u2013\u2014"

# The fields each kind of item uses (the rest are ignored, and a form hides them).
FIELDS_BY_KIND: dict[str, tuple[str, ...]] = {
    "amount": ("amount", "receipt"),
    "car": ("from_place", "to_place", "miles", "passengers"),
    "motorcycle": ("from_place", "to_place", "miles"),
    "bicycle": ("from_place", "to_place", "miles"),
    "care": ("hours", "rate", "receipt"),
    "remuneration": ("hours", "sessions"),
}


@dataclass(frozen=True)
class ItemInput:
    """An item as typed: every value is text, as it came from a form or a spreadsheet."""

    category: str
    description: str = ""
    amount: str = ""
    from_place: str = ""
    to_place: str = ""
    miles: str = ""
    passengers: str = ""
    hours: str = ""
    sessions: str = ""
    rate: str = ""  # care: the rate per hour the carer charged
    receipt: bool = False


@dataclass(frozen=True)
class PricedItem:
    """An item worked out: the columns of a `ClaimItem` row (see sendtui.models.claims)."""

    category: str
    kind: str
    amount_pence: int
    description: str = ""
    receipt: bool = False
    from_place: str = ""
    to_place: str = ""
    miles_tenths: int = 0
    passengers: int = 0
    minutes: int | None = None
    sessions: int | None = None
    rate_pence: int | None = None
    rate_after_pence: int | None = None
    miles_first_tenths: int | None = None
    passenger_rate_pence: int | None = None
    requested_rate_pence: int | None = None
    cap_pence: int | None = None
    grade: str = ""
    working: str = ""

    def row(self) -> dict[str, object]:
        return asdict(self)

    def as_input(self) -> ItemInput:
        """The item as a form would show it, for editing or copying into a correction."""
        miles = format_miles(self.miles_tenths).replace(",", "") if self.miles_tenths else ""
        return ItemInput(
            category=self.category,
            description=self.description,
            amount=_plain(self.amount_pence) if self.kind == "amount" else "",
            from_place=self.from_place,
            to_place=self.to_place,
            miles=miles,
            passengers=str(self.passengers) if self.passengers else "",
            hours=format_minutes(self.minutes) if self.minutes else "",
            sessions=str(self.sessions) if self.sessions else "",
            rate=_plain(self.requested_rate_pence) if self.requested_rate_pence else "",
            receipt=self.receipt,
        )


def _plain(pence: int) -> str:
    return format_pence(pence, symbol=False)


class ItemProblems(InputError):
    """Problems with an item, by field name ("amount", "miles", …)."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(self.problems.values()))


class _Checker:
    """Runs parsers, keeping the first problem for each field instead of stopping."""

    def __init__(self) -> None:
        self.problems: dict[str, str] = {}

    def __call__(self, name: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            self.problems.setdefault(name, exc.message)
            return None

    def refuse(self, name: str, message: str) -> None:
        self.problems.setdefault(name, message)


def clean_text(value: str, what: str, *, limit: int = MAX_TEXT) -> str:
    """One line of free text, trimmed; an InputError if very long."""
    text = " ".join(value.split())
    if len(text) > limit:
        raise InputError(f"The {what} is {len(text)} characters; keep it under {limit}.")
    return text


def parse_count(text: str, what: str, *, low: int, high: int) -> int:
    """A whole number typed in a field ("2"); blank is `low`."""
    s = text.strip()
    if not s:
        return low
    value = ascii_number(s)
    if value is None:
        raise InputError(f"{what} must be a whole number, for example 2: {typed_excerpt(s)}")
    if not low <= value <= high:
        raise InputError(f"{what} must be {low} to {high}, not {value}")
    return value


_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_claim_date(text: str) -> dt.date:
    """A date typed as 2025-07-08 or, as UK spreadsheets write it, 08/07/2025."""
    s = text.strip()
    if not s:
        raise InputError("Enter the date, for example 2025-07-08.")
    try:
        if m := _DMY.fullmatch(s):
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return dt.date.fromisoformat(s)
    except ValueError:
        raise InputError(
            f"“{typed_excerpt(s)}” is not a date: type it as 2025-07-08 (or 08/07/2025)."
        ) from None


def parse_signed_amount(text: str, *, allow_negative: bool) -> int:
    """An amount; with `allow_negative` (a correcting claim) a leading minus is accepted."""
    s = text.strip()
    if allow_negative and s[:1] in _MINUS:
        return -parse_amount(s[1:])
    return parse_amount(s)


def price_item(
    item: ItemInput,
    *,
    rules: ClaimRules,
    on: dt.date,
    grade: str,
    prior_car_miles_tenths: int = 0,
    allow_negative: bool = False,
) -> PricedItem:
    """Work out an item claimed on `on` by a member of `grade`.

    `prior_car_miles_tenths` is the member's car miles already claimed in the tax year, for the
    10,000-mile line. Raises `ItemProblems` naming every field that is wrong.
    """
    check = _Checker()
    rule = check("category", rules.category, item.category)
    description = check("description", clean_text, item.description, "description") or ""
    if rule is None:
        raise ItemProblems(check.problems)
    base = _Base(rule.name, rule.kind, description)
    priced: PricedItem | None = None
    if rule.kind == "amount":
        amount = check("amount", parse_signed_amount, item.amount, allow_negative=allow_negative)
        if amount is not None:
            priced = base.item(amount, receipt=item.receipt)
    elif rule.is_mileage:
        priced = _mileage(item, base, rules, on, prior_car_miles_tenths, check)
    elif rule.kind == "care":
        priced = _care(item, base, rules, on, check)
    else:
        priced = _remuneration(item, base, rules, on, grade, check)
    if check.problems or priced is None:
        raise ItemProblems(check.problems or {"category": "This item cannot be worked out"})
    return priced


@dataclass(frozen=True)
class _Base:
    category: str
    kind: str
    description: str

    def item(self, amount_pence: int, **values: Any) -> PricedItem:
        return PricedItem(
            category=self.category,
            kind=self.kind,
            description=self.description,
            amount_pence=amount_pence,
            **values,
        )


def _mileage(
    item: ItemInput, base: _Base, rules: ClaimRules, on: dt.date, prior: int, check: _Checker
) -> PricedItem | None:
    from_place = check("from_place", clean_text, item.from_place, "place travelled from") or ""
    to_place = check("to_place", clean_text, item.to_place, "place travelled to") or ""
    tenths = check("miles", parse_miles, item.miles)
    passengers: int | None = 0
    if base.kind == "car":
        passengers = check(
            "passengers", parse_count, item.passengers, "Passengers", low=0, high=MAX_PASSENGERS
        )
    elif item.passengers.strip().lstrip("0"):
        check.refuse("passengers", f"Passengers are paid in a car or van only, not a {base.kind}")
    rates = check("miles", rules.mileage_rates, on)
    if tenths is None or passengers is None or rates is None:
        return None
    calc = check(
        "miles",
        mileage_amount,
        base.kind,
        tenths,
        passengers=passengers,
        prior_car_miles_tenths=prior,
        rates=rates,
    )
    if calc is None:
        return None
    car = base.kind == "car"
    first = min(tenths, max(0, rates.car_threshold_miles * 10 - prior))
    working = mileage_working(from_place, to_place, calc)
    return base.item(
        calc.amount_pence,
        from_place=from_place,
        to_place=to_place,
        miles_tenths=tenths,
        passengers=passengers,
        rate_pence=rates.car_first if car else rates.vehicle_rate(Vehicle(base.kind)),
        rate_after_pence=rates.car_after if car else None,
        miles_first_tenths=first if car else None,
        passenger_rate_pence=rates.passenger if passengers else None,
        working=working,
    )


def mileage_working(from_place: str, to_place: str, calc: MileageCalc) -> str:
    """The sum written out: "A → B: car, first 10,000 miles: 37.3 mi × 45p = £16.79; ..."."""
    bands = [*calc.bands, *([calc.passenger_band] if calc.passenger_band else [])]
    working = route_text(from_place, to_place)
    working += "; ".join(f"{b.label} = {format_pence(b.amount_pence)}" for b in bands)
    if len(bands) > 1:  # split at the 10,000-mile line, or passengers: say what it comes to
        working += f"; total {format_pence(calc.amount_pence)}"
    return working


def route_text(from_place: str, to_place: str) -> str:
    """How a mileage item's working starts: "Ashford → Maidstone: ", "to Maidstone: ", ""."""
    if from_place and to_place:
        return f"{from_place} → {to_place}: "
    if from_place or to_place:
        return f"from {from_place}: " if from_place else f"to {to_place}: "
    return ""


def _care(
    item: ItemInput, base: _Base, rules: ClaimRules, on: dt.date, check: _Checker
) -> PricedItem | None:
    minutes = check("hours", parse_hours, item.hours)
    rate = None
    if not item.rate.strip():
        check.refuse("rate", "Enter the rate per hour the carer charged, for example 12.50")
    else:
        rate = check("rate", parse_amount, item.rate)
    if minutes is None or rate is None:
        return None
    cap = rules.care_cap(on)
    calc = care_amount(minutes, rate, cap)
    return base.item(
        calc.amount_pence,
        receipt=item.receipt,
        minutes=minutes,
        rate_pence=calc.rate_pence,
        requested_rate_pence=calc.requested_rate_pence,
        cap_pence=cap,
        working=f"{calc.label} = {format_pence(calc.amount_pence)}",
    )


def _remuneration(
    item: ItemInput, base: _Base, rules: ClaimRules, on: dt.date, grade: str, check: _Checker
) -> PricedItem | None:
    hours_text, sessions_text = item.hours.strip(), item.sessions.strip()
    if hours_text and sessions_text:
        check.refuse("sessions", "Give the hours or the sessions, not both")
        return None
    if not hours_text and not sessions_text:
        check.refuse("hours", "Enter the hours (for example 2:30) or the number of sessions")
        return None
    rates = check("category", rules.grade_rates, grade, on)
    minutes = check("hours", parse_hours, hours_text) if hours_text else None
    sessions = (
        check("sessions", parse_count, sessions_text, "Sessions", low=1, high=MAX_SESSIONS)
        if sessions_text
        else None
    )
    if rates is None or (minutes is None and sessions is None):
        return None
    amount = check(
        "hours" if minutes is not None else "sessions",
        remuneration_amount,
        minutes=minutes,
        sessions=sessions,
        rate_per_hour_pence=rates.per_hour,
        rate_per_session_pence=rates.per_session,
    )
    if amount is None:
        return None
    if minutes is not None:
        rate = rates.per_hour or 0
        working = f"{format_minutes(minutes)} h × {format_pence(rate)} an hour"
    else:
        rate = rates.per_session or 0
        working = f"{sessions} session{'' if sessions == 1 else 's'} × {format_pence(rate)}"
    return base.item(
        amount,
        minutes=minutes,
        sessions=sessions,
        rate_pence=rate,
        grade=rates.grade,
        working=f"{working} ({rates.grade}) = {format_pence(amount)}",
    )
