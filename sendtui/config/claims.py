"""The [claims] section of config.toml: the treasurer's rates, limits and workflow rules.

A `Section` (msgspec Struct, see sendtui/config/base.py): every field has a default and a
docstring written under it.

Money is written as a string of pounds and pence, exactly as on a claim form: "12.50",
"0.45" (45p), "196". Strings, not TOML numbers, because a TOML float such as 0.45 cannot
hold an exact amount; each is read with `sendtui.services.money.parse_amount` into whole
pence when the file is loaded, so a typo is reported with the file, line and key.

Rates that change over time are lists of tables, each with the date it `starts`; a claim
uses the rates in force on its own date (and keeps them, whatever the file says later).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from msgspec import Meta, field

from sendtui.config.base import Section
from sendtui.services.money import AmountError, parse_amount

# How an item's amount is worked out, by category kind.
CATEGORY_KINDS = ("amount", "car", "motorcycle", "bicycle", "care", "remuneration")
PAYMENT_PREFERENCES = ("member", "forum", "declined")


def _pence(value: str, what: str, *, allow_zero: bool = True) -> int:
    """An amount from the file, in pence; a ValueError (reported with the key) if it is bad."""
    try:
        return parse_amount(value, allow_zero=allow_zero)
    except AmountError as exc:
        raise ValueError(f"{what}: {exc.message}") from None


def _optional_pence(value: str, what: str) -> int | None:
    return None if not value.strip() else _pence(value, what, allow_zero=False)


def _toml(value: object) -> str:
    """A value as TOML writes it (for README's list of keys and their defaults)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return repr(value)


class _Table(Section):
    """A table inside [claims], shown as an inline TOML table."""

    def __repr__(self) -> str:
        fields = ((name, getattr(self, name)) for name in self.__struct_fields__)
        return "{" + ", ".join(f"{k} = {_toml(v)}" for k, v in fields if v != "") + "}"


class GradeRate(_Table):
    starts: dt.date
    """The first day this rate applies (a TOML date, e.g. 2025-04-06)."""
    per_hour: str = ""
    """Pay per hour at this grade, in pounds ("15.00"); blank if the grade is not paid by the
    hour."""
    per_session: str = ""
    """Pay per session (a meeting or event) at this grade, in pounds ("40.00"); blank if the
    grade is not paid by the session."""

    def __post_init__(self) -> None:
        if self.per_hour_pence is None and self.per_session_pence is None:
            raise ValueError("give per_hour, per_session or both")

    @property
    def per_hour_pence(self) -> int | None:
        return _optional_pence(self.per_hour, "per_hour")

    @property
    def per_session_pence(self) -> int | None:
        return _optional_pence(self.per_session, "per_session")


class Grade(_Table):
    name: str
    """The graded role, as members are given it ("Representative")."""
    rates: list[GradeRate] = field(default_factory=list)
    """The grade's rates, each from the date it starts."""

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a grade needs a name")
        if not self.rates:
            raise ValueError(f"the grade {self.name!r} needs at least one [[...rates]] entry")
        if len({r.starts for r in self.rates}) != len(self.rates):
            raise ValueError(f"two rates of the grade {self.name!r} start on the same day")


class MileageRate(_Table):
    starts: dt.date
    """The first day these mileage rates apply."""
    car_first: str = "0.45"
    """Car or van, per mile, for the first `car_threshold_miles` of a member's tax year."""
    car_after: str = "0.25"
    """Car or van, per mile, after `car_threshold_miles` in the tax year."""
    car_threshold_miles: Annotated[int, Meta(ge=0)] = 10_000
    """The car miles in a member's tax year (6 April to 5 April) paid at `car_first`."""
    motorcycle: str = "0.24"
    """Motorcycle, per mile."""
    bicycle: str = "0.20"
    """Bicycle, per mile."""
    passenger: str = "0.05"
    """Per passenger per mile, in a car or van."""

    def __post_init__(self) -> None:
        self.pence()

    def pence(self) -> dict[str, int]:
        """The rates in pence, keyed as `sendtui.services.mileage.MileageRates` fields."""
        return {
            "car_first": _pence(self.car_first, "car_first"),
            "car_after": _pence(self.car_after, "car_after"),
            "car_threshold_miles": self.car_threshold_miles,
            "motorcycle": _pence(self.motorcycle, "motorcycle"),
            "bicycle": _pence(self.bicycle, "bicycle"),
            "passenger": _pence(self.passenger, "passenger"),
        }


class CareCap(_Table):
    starts: dt.date
    """The first day this cap applies."""
    per_hour: str
    """The most paid per hour for childcare or replacement care, in pounds."""

    def __post_init__(self) -> None:
        _pence(self.per_hour, "per_hour", allow_zero=False)

    @property
    def per_hour_pence(self) -> int:
        return _pence(self.per_hour, "per_hour")


class EarningsLimitRate(_Table):
    starts: dt.date
    """The first day this weekly limit applies."""
    weekly: str
    """The most a member can earn in a week (Monday to Sunday), in pounds, before their
    benefit is at risk."""

    def __post_init__(self) -> None:
        _pence(self.weekly, "weekly", allow_zero=False)

    @property
    def weekly_pence(self) -> int:
        return _pence(self.weekly, "weekly")


class Category(_Table):
    name: str
    """The category as claim forms and reports show it ("Taxi")."""
    kind: str = "amount"
    """How an item's amount is found: "amount" (typed, from a receipt), "car", "motorcycle"
    or "bicycle" (miles at the mileage rates), "care" (hours × rate, capped) or
    "remuneration" (hours or sessions × the member's grade rate)."""
    aliases: list[str] = field(default_factory=list)
    """Other words for this category in a spreadsheet being imported ("train", "bus")."""

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a category needs a name")
        if self.kind not in CATEGORY_KINDS:
            raise ValueError(
                f"kind of {self.name!r} must be one of {', '.join(CATEGORY_KINDS)}, "
                f"not {self.kind!r}"
            )


def _default_grades() -> list[Grade]:
    # Examples to replace with the forum's own policy; rates are commensurate with a lay adviser.
    start = dt.date(2025, 4, 6)
    return [
        Grade(name="Participant", rates=[GradeRate(starts=start, per_session="25.00")]),
        Grade(
            name="Representative",
            rates=[GradeRate(starts=start, per_hour="15.00", per_session="40.00")],
        ),
        Grade(name="Lead", rates=[GradeRate(starts=start, per_hour="20.00", per_session="60.00")]),
    ]


def _default_categories() -> list[Category]:
    def cat(name: str, kind: str = "amount", *aliases: str) -> Category:
        return Category(name=name, kind=kind, aliases=list(aliases))

    return [
        cat("Public transport", "amount", "train", "bus", "tram", "tube", "coach", "rail", "fare"),
        cat("Taxi", "amount", "cab", "minicab"),
        cat("Parking", "amount", "car park", "parking fee"),
        cat("Car mileage", "car", "mileage", "car", "miles", "driving", "petrol", "van"),
        cat("Motorcycle", "motorcycle", "motorbike"),
        cat("Bicycle", "bicycle", "bike", "cycling"),
        cat("Childcare or replacement care", "care", "childcare", "care", "babysitting", "respite"),
        cat("Subsistence", "amount", "lunch", "food", "meal", "refreshments", "dinner", "drinks"),
        cat("Postage and stationery", "amount", "postage", "stamps", "stationery", "printing"),
        cat("Phone", "amount", "mobile", "calls", "phone calls"),
        cat("Other"),
        cat("Remuneration", "remuneration", "fee", "participation", "time"),
    ]


def _unique(names: list[str], what: str) -> None:
    seen: set[str] = set()
    for name in names:
        key = name.strip().casefold()
        if key in seen:
            raise ValueError(f"two {what} are called {name.strip()!r}")
        seen.add(key)


def _dated(starts: list[dt.date], what: str) -> None:
    if len(set(starts)) != len(starts):
        raise ValueError(f"two {what} start on the same day; keep only one")


class ClaimsSection(Section):
    """Expenses and remuneration settings."""

    treasurer: str = ""
    """The treasurer's name, recorded in the audit trail for every change made in sendtui and
    offered as the approver and as who recorded a payment. Blank: sendtui asks for your name
    the first time and remembers it in the database (never the computer's login name)."""

    allow_self_approval: bool = False
    """Whether someone may approve their own claim (compared by name)."""

    receipt_required_over: str = "10.00"
    """Items above this amount (in pounds) without a receipt are flagged to the approver."""

    flag_older_than_days: Annotated[int, Meta(ge=1)] = 90
    """Claims submitted more than this many days after their date (a draft: more than this
    many days ago) are flagged to the approver."""

    grades: list[Grade] = field(default_factory=_default_grades)
    """Graded roles, each with its dated rates per hour and/or per session."""

    mileage: list[MileageRate] = field(
        default_factory=lambda: [MileageRate(starts=dt.date(2011, 4, 6))]
    )
    """Mileage rates, each from the date it starts (default: HMRC approved mileage rates)."""

    care_caps: list[CareCap] = field(
        default_factory=lambda: [CareCap(starts=dt.date(2025, 4, 6), per_hour="15.00")]
    )
    """The most paid per hour for childcare or replacement care, each from its start date."""

    earnings_limits: list[EarningsLimitRate] = field(
        default_factory=lambda: [
            EarningsLimitRate(starts=dt.date(2025, 4, 6), weekly="196.00"),
            EarningsLimitRate(starts=dt.date(2026, 4, 6), weekly="204.00"),
        ]
    )
    """Weekly earnings limits (default: Carer's Allowance, £196 a week from 6 April 2025 and
    £204 from 6 April 2026); remuneration above one is flagged, offering to pay the forum."""

    categories: list[Category] = field(default_factory=_default_categories)
    """Item categories, in the order forms offer them."""

    payment_methods: list[str] = field(default_factory=lambda: ["Bank transfer", "Cheque", "Cash"])
    """How claims are paid, as offered when marking a claim paid."""

    financial_year_start: Annotated[str, Meta(pattern=r"^\d{2}-\d{2}$")] = "04-01"
    """The first day of the forum's financial year, as MM-DD (reports by year use it)."""

    retention_years: Annotated[int, Meta(ge=0, le=100)] = 6
    """Years after the end of the financial year of a member's last claim before their
    personal details can be removed (`sendtui members forget`); amounts are kept."""

    def __post_init__(self) -> None:
        _pence(self.receipt_required_over, "receipt_required_over")
        month, day = (int(part) for part in self.financial_year_start.split("-"))
        try:
            dt.date(2001, month, day)  # not a leap year: 02-29 would start no year at all
        except ValueError:
            raise ValueError(
                f"financial_year_start {self.financial_year_start!r} is not a day (MM-DD)"
            ) from None
        _unique([g.name for g in self.grades], "grades")
        _unique([c.name for c in self.categories], "categories")
        _unique([w for c in self.categories for w in (c.name, *c.aliases)], "category words")
        _unique(self.payment_methods, "payment methods")
        if not self.categories:
            raise ValueError("give at least one category")
        if not self.payment_methods or not all(m.strip() for m in self.payment_methods):
            raise ValueError("payment_methods must name at least one method, none blank")
        _dated([m.starts for m in self.mileage], "mileage rates")
        _dated([c.starts for c in self.care_caps], "care caps")
        _dated([e.starts for e in self.earnings_limits], "earnings limits")

    @property
    def receipt_required_over_pence(self) -> int:
        return _pence(self.receipt_required_over, "receipt_required_over")

    @property
    def year_start(self) -> tuple[int, int]:
        """(month, day) the financial year starts on."""
        month, day = (int(part) for part in self.financial_year_start.split("-"))
        return month, day

    @property
    def acting_name(self) -> str:
        """Who changes are recorded as: `treasurer`, or "" when blank (sendtui then asks, see
        sendtui/services/claims/treasurer.py)."""
        return " ".join(self.treasurer.split())
