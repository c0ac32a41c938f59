"""Care for dependants, paid remuneration, dated rates and the Carer's Allowance earnings check.

Time is held as whole MINUTES ("2:30" and "2.5" are both 150). An hourly amount is
`minutes × rate / 60` rounded once per line to the nearest penny, halves up (see
`money.round_half_up_div`). Money is integer pence throughout; no float is ever used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

try:
    from sendtui.errors import InputError as _Base
except ImportError:  # pragma: no cover
    _Base = ValueError

from sendtui.services.money import (
    AmountError,
    format_pence,
    round_half_up_div,
    split_sign,
    typed_excerpt,
)

__all__ = [
    "DEFAULT_EARNINGS_LIMITS",
    "MAX_ITEM_MINUTES",
    "CareCalc",
    "EarningsLimit",
    "HoursError",
    "RateError",
    "care_amount",
    "earnings_warning",
    "format_day",
    "format_minutes",
    "limit_on",
    "parse_hours",
    "rate_on",
    "remuneration_amount",
    "week_bounds",
]

T = TypeVar("T")

MAX_ITEM_MINUTES = 24 * 60
"""One item covers at most one day."""

_EXAMPLE = "for example 2.5 or 2:30"
_HOURS_UNIT = r"(?:h|hr|hrs|hour|hours)"
_MINUTES_UNIT = r"(?:m|min|mins|minute|minutes)"
_HOURS_SUFFIX = re.compile(rf"\s*{_HOURS_UNIT}\.?$", re.IGNORECASE)
_MINUTES_SUFFIX = re.compile(rf"\s*{_MINUTES_UNIT}\.?$", re.IGNORECASE)
_H_AND_M = re.compile(rf"([0-9]+)\s*{_HOURS_UNIT}\s*([0-9]+)\s*(?:{_MINUTES_UNIT}\.?)?", re.I)
_CLOCK = re.compile(r"([0-9]+):([0-9]{2})")
_DECIMAL = re.compile(r"([0-9]*)(?:\.([0-9]*))?")
_DECIMAL_COMMA = re.compile(r"[0-9]+,[0-9]+")
_MAX_DIGITS = 8
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class HoursError(_Base):
    """Hours or minutes that cannot be accepted for an item."""


class RateError(_Base):
    """A rate that is missing or cannot be used, or hours and sessions given wrongly."""


# --- hours ------------------------------------------------------------------------------------


def format_minutes(minutes: int) -> str:
    """`150` → "2:30"; `45` → "0:45"."""
    sign = "-" if minutes < 0 else ""
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours}:{mins:02d}"


def _describe_hours(minutes: int) -> str:
    hours, mins = divmod(minutes, 60)
    if mins == 0:
        return f"{hours} hour" + ("" if hours == 1 else "s")
    return f"{hours} h {mins} min"


def parse_hours(text: str, *, allow_zero: bool = False) -> int:
    """Read hours as typed ("2", "2.5", "2:30", "2h 30m", "90 mins") into whole minutes.

    Raises `HoursError`, and nothing else for any `str`.
    """
    s = text.strip()
    if not s:
        raise HoursError(f"Enter the hours, {_EXAMPLE}")
    shown = typed_excerpt(s)
    body, negative = split_sign(s)
    bad = f"Hours must look like 2, 2.5 or 2:30: {shown}"

    minutes: int
    if (m := _H_AND_M.fullmatch(body)) or (m := _CLOCK.fullmatch(body)):
        hours_text, mins_text = m.group(1), m.group(2)
        if len(hours_text) > _MAX_DIGITS:
            raise HoursError(f"That is more than one day; put each day in its own item: {shown}")
        if len(mins_text) > 2 or int(mins_text) > 59:
            raise HoursError(f"Minutes must be 00 to 59, for example 2:30: {shown}")
        minutes = int(hours_text) * 60 + int(mins_text)
    elif ":" in body:
        raise HoursError(f"Type hours and minutes as h:mm, for example 2:05 or 2:30: {shown}")
    else:
        per_unit = 60
        if _MINUTES_SUFFIX.search(body):
            body, per_unit = _MINUTES_SUFFIX.sub("", body), 1
        else:
            body = _HOURS_SUFFIX.sub("", body)
        if _DECIMAL_COMMA.fullmatch(body):
            raise HoursError(f"Use a full stop for part of an hour, {_EXAMPLE}, not {shown}")
        m = _DECIMAL.fullmatch(body)
        if m is None or not (m.group(1) or m.group(2)):
            raise HoursError(bad)
        whole, frac = m.group(1).lstrip("0"), m.group(2) or ""
        if len(whole) > _MAX_DIGITS or len(frac) > _MAX_DIGITS:
            raise HoursError(f"That is more than one day; put each day in its own item: {shown}")
        scale = 10 ** len(frac)
        exact = (int(whole or "0") * scale + int(frac or "0")) * per_unit
        minutes, rest = divmod(exact, scale)
        if rest:
            nearest = format_minutes(round_half_up_div(exact, scale))
            raise HoursError(
                f"That is not a whole number of minutes; type it as h:mm, "
                f"for example {nearest}: {shown}"
            )
    if negative:
        raise HoursError(f"Hours cannot be negative: {shown}")
    if minutes == 0 and not allow_zero:
        raise HoursError(f"Enter more than 0 hours: {shown}")
    if minutes > MAX_ITEM_MINUTES:
        raise HoursError(
            f"{_describe_hours(minutes)} is more than one day; put each day in its own item: "
            f"{shown}"
        )
    return minutes


def _check_minutes(minutes: object, *, allow_zero: bool) -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise HoursError(f"Minutes must be a whole number, not {minutes!r}")
    low = 0 if allow_zero else 1
    if not low <= minutes <= MAX_ITEM_MINUTES:
        raise HoursError(
            f"Time must be {format_minutes(low)} to {format_minutes(MAX_ITEM_MINUTES)} "
            f"in one item, not {format_minutes(minutes)}"
        )
    return minutes


def _check_rate(name: str, rate: object) -> int:
    if isinstance(rate, bool) or not isinstance(rate, int) or rate < 0:
        raise RateError(f"The {name} must be a whole number of pence, 0 or more, not {rate!r}")
    return rate


# --- care -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CareCalc:
    """One care line: `amount_pence = round_half_up(minutes × rate_pence / 60)`.

    `rate_pence` is the hourly rate actually paid, the lower of the rate asked for
    (`requested_rate_pence`) and the forum's cap; `capped` says the cap was applied.
    """

    minutes: int
    rate_pence: int
    capped: bool
    amount_pence: int
    requested_rate_pence: int

    @property
    def label(self) -> str:
        """E.g. "2:30 h × £10.00 an hour (capped from £12.00)"."""
        text = f"{format_minutes(self.minutes)} h × {format_pence(self.rate_pence)} an hour"
        if self.capped:
            text += f" (capped from {format_pence(self.requested_rate_pence)})"
        return text


def care_amount(
    minutes: int, rate_pence_per_hour: int, cap_pence_per_hour: int | None = None
) -> CareCalc:
    """Care for dependants: `minutes` at the rate paid, held down to the cap if there is one."""
    _check_minutes(minutes, allow_zero=True)
    _check_rate("care rate per hour", rate_pence_per_hour)
    if cap_pence_per_hour is not None:
        _check_rate("care rate cap per hour", cap_pence_per_hour)
    capped = cap_pence_per_hour is not None and rate_pence_per_hour > cap_pence_per_hour
    rate = cap_pence_per_hour if capped and cap_pence_per_hour is not None else rate_pence_per_hour
    amount = round_half_up_div(minutes * rate, 60)
    return CareCalc(minutes, rate, capped, amount, rate_pence_per_hour)


# --- remuneration -----------------------------------------------------------------------------


def remuneration_amount(
    *,
    minutes: int | None = None,
    sessions: int | None = None,
    rate_per_hour_pence: int | None = None,
    rate_per_session_pence: int | None = None,
) -> int:
    """Pay for time at the member's grade: by the hour (`minutes`) or by the session.

    Give exactly one of `minutes` and `sessions`; the matching rate must be set. Hourly pay is
    rounded once, half up, to the penny.
    """
    if minutes is not None and sessions is not None:
        raise RateError("Give either the hours or the number of sessions, not both")
    if minutes is None and sessions is None:
        raise RateError("Enter the hours or the number of sessions")
    if minutes is not None:
        _check_minutes(minutes, allow_zero=False)
        if rate_per_hour_pence is None:
            raise RateError(
                "This grade has no rate per hour; set one for the grade, or pay by the session"
            )
        rate = _check_rate("rate per hour", rate_per_hour_pence)
        return round_half_up_div(minutes * rate, 60)
    if isinstance(sessions, bool) or not isinstance(sessions, int) or sessions < 1:
        raise RateError(f"Enter 1 or more whole sessions, not {sessions!r}")
    if rate_per_session_pence is None:
        raise RateError(
            "This grade has no rate per session; set one for the grade, or pay by the hour"
        )
    return sessions * _check_rate("rate per session", rate_per_session_pence)


# --- rates that change over time --------------------------------------------------------------


def _as_date(d: date) -> date:
    return d.date() if isinstance(d, datetime) else d


def format_day(d: date) -> str:
    """`date(2026, 4, 6)` → "6 Apr 2026" (English month names whatever the locale)."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def rate_on(d: date, dated: Iterable[tuple[date, T]]) -> T | None:
    """The value whose start date is the latest on or before `d`; None if all start later.

    Entries may come in any order; two entries starting on the same day raise `RateError`.
    """
    d = _as_date(d)
    best: tuple[date, T] | None = None
    seen: set[date] = set()
    for starts, value in dated:
        starts = _as_date(starts)
        if starts in seen:
            raise RateError(f"Two rates start on {format_day(starts)}; keep only one")
        seen.add(starts)
        if starts <= d and (best is None or starts > best[0]):
            best = (starts, value)
    return None if best is None else best[1]


@dataclass(frozen=True)
class EarningsLimit:
    """A Carer's Allowance weekly earnings limit and the day it takes effect."""

    starts: date
    weekly_pence: int


DEFAULT_EARNINGS_LIMITS: tuple[EarningsLimit, ...] = (
    EarningsLimit(date(2025, 4, 6), 19600),  # £196 a week from April 2025 (Carers UK)
    EarningsLimit(date(2026, 4, 6), 20400),  # £204 a week from April 2026
)


def limit_on(d: date, limits: Iterable[EarningsLimit] = DEFAULT_EARNINGS_LIMITS) -> int | None:
    """The weekly earnings limit in force on `d`, in pence; None before the first one."""
    return rate_on(d, ((lim.starts, lim.weekly_pence) for lim in limits))


def week_bounds(d: date) -> tuple[date, date]:
    """The Monday and Sunday of the week containing `d`."""
    d = _as_date(d)
    monday = d - timedelta(days=d.weekday())  # 1 January 0001 is a Monday: never too early
    # The calendar ends on a Friday (31 December 9999): that week ends with it.
    return monday, min(monday, date.max - timedelta(days=6)) + timedelta(days=6)


def _check_pence(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise AmountError(f"The {name} must be a whole number of pence, 0 or more, not {value!r}")
    return value


def earnings_warning(
    existing_week_pence: int,
    new_pence: int,
    limit_pence: int | None,
    *,
    member: str,
    week_start: date,
) -> str | None:
    """A plain warning if this payment takes the member's pay for the week above the limit.

    `existing_week_pence` is remuneration already paid to the member in that week (not
    expenses, which are not earnings); `week_start` may be any day of the week and is shown as
    its Monday. Returns None when there is no limit, no new pay, or the total stays at or
    under the limit. The message is returned, never logged, as it names the member.
    """
    existing = _check_pence("remuneration already paid this week", existing_week_pence)
    new = _check_pence("payment", new_pence)
    if limit_pence is None or new == 0:
        return None
    limit = _check_pence("earnings limit", limit_pence)
    total = existing + new
    if total <= limit:
        return None
    name = " ".join(member.split()) or "this member"
    week = format_day(week_bounds(week_start)[0])
    ceiling = f"the Carer's Allowance earnings limit of {format_pence(limit)}"
    if existing > limit:
        return (
            f"{name}'s paid remuneration in the week of {week} is already "
            f"{format_pence(existing)}, above {ceiling}; this payment would take it to "
            f"{format_pence(total)}. Consider paying the forum instead."
        )
    return (
        f"This payment would take {name}'s paid remuneration in the week of {week} to "
        f"{format_pence(total)}, above {ceiling}. Consider paying the forum instead."
    )
