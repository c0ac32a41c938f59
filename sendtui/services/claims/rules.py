"""The forum's claim rules from config.toml [claims], looked up by date.

A claim uses the rates in force on its own date: `rate_on` picks the entry whose start date
is the latest on or before it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sendtui.config.claims import ClaimsSection
from sendtui.errors import InputError
from sendtui.services.allowances import EarningsLimit, RateError, format_day, limit_on, rate_on
from sendtui.services.claims.retention import financial_year, financial_year_label
from sendtui.services.mileage import MileageRates

MILEAGE_KINDS = ("car", "motorcycle", "bicycle")
# Kinds whose items should come with a receipt (mileage and pay for time need none).
RECEIPT_KINDS = ("amount", "care")


@dataclass(frozen=True)
class CategoryRule:
    """A category and how its items' amounts are found."""

    name: str
    kind: str

    @property
    def is_mileage(self) -> bool:
        return self.kind in MILEAGE_KINDS


@dataclass(frozen=True)
class GradeRates:
    """A grade's pay on one day, in pence (None: not paid that way)."""

    grade: str
    per_hour: int | None
    per_session: int | None


class ClaimRules:
    """config.toml [claims], ready to use."""

    def __init__(self, section: ClaimsSection | None = None, *, remembered: str = "") -> None:
        self.section = section or ClaimsSection()
        self.remembered = remembered  # the name given the first time (see treasurer.py)
        s = self.section
        self.categories = [CategoryRule(" ".join(c.name.split()), c.kind) for c in s.categories]
        self._categories = {c.name.casefold(): c for c in self.categories}
        self.grade_names = [" ".join(g.name.split()) for g in s.grades]
        self._grades = {" ".join(g.name.split()).casefold(): g for g in s.grades}
        self.receipt_over_pence = s.receipt_required_over_pence
        self.older_than_days = s.flag_older_than_days
        self.allow_self_approval = s.allow_self_approval
        self.payment_methods = [" ".join(m.split()) for m in s.payment_methods]
        self.year_start = s.year_start
        self.retention_years = s.retention_years
        self.limits = tuple(EarningsLimit(e.starts, e.weekly_pence) for e in s.earnings_limits)

    @property
    def acting_name(self) -> str:
        """Who changes are recorded as, unless someone else is named: config.toml's
        treasurer, else the name given the first time; "" when neither is known (ask)."""
        return " ".join(self.section.treasurer.split()) or " ".join(self.remembered.split())

    def category(self, name: str) -> CategoryRule:
        """A category by name (any case); an InputError listing them if there is none."""
        found = self._categories.get(" ".join(name.split()).casefold())
        if found is None:
            known = ", ".join(c.name for c in self.categories)
            shown = " ".join(name.split())[:40]
            raise InputError(f"There is no category “{shown}”. Categories: {known}.")
        return found

    def grade(self, name: str) -> str:
        """The grade's name as config.toml spells it, "" for none; an InputError if unknown."""
        key = " ".join(name.split()).casefold()
        if not key:
            return ""
        grade = self._grades.get(key)
        if grade is None:
            known = ", ".join(self.grade_names) or "none set in config.toml"
            raise InputError(f"There is no grade “{name.strip()[:40]}”. Grades: {known}.")
        return " ".join(grade.name.split())

    def grade_rates(self, grade: str, on: dt.date) -> GradeRates:
        """A grade's rates on a date; RateError if the member has no grade or it has no rate."""
        if not grade.strip():
            raise RateError(
                "This member has no grade, so has no rate for remuneration; "
                "give them a grade first (members screen, or config.toml [claims] grades)"
            )
        definition = self._grades.get(" ".join(grade.split()).casefold())
        if definition is None:
            raise RateError(f"The grade “{grade}” is no longer in config.toml [claims] grades")
        rate = rate_on(on, ((r.starts, r) for r in definition.rates))
        if rate is None:
            first = min(r.starts for r in definition.rates)
            raise RateError(
                f"The grade {definition.name} has no rate before {format_day(first)}; "
                "add one to config.toml"
            )
        return GradeRates(definition.name, rate.per_hour_pence, rate.per_session_pence)

    def mileage_rates(self, on: dt.date) -> MileageRates:
        rates = rate_on(on, ((m.starts, m) for m in self.section.mileage))
        if rates is None:
            raise RateError(f"There are no mileage rates for {format_day(on)} in config.toml")
        return MileageRates(**rates.pence())

    def care_cap(self, on: dt.date) -> int | None:
        """The most paid per hour for care on a date, or None when no cap applies yet."""
        cap = rate_on(on, ((c.starts, c) for c in self.section.care_caps))
        return None if cap is None else cap.per_hour_pence

    def earnings_limit(self, on: dt.date) -> int | None:
        return limit_on(on, self.limits)

    def financial_year(self, d: dt.date) -> tuple[dt.date, dt.date]:
        return financial_year(d, self.year_start)

    def financial_year_label(self, d: dt.date) -> str:
        return financial_year_label(d, self.year_start)
