"""The forum's claim rules from config.toml [claims], looked up by date.

A claim uses the rates in force on its own date: `rate_on` picks the entry whose start date
is the latest on or before it.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

from sendtui.config.claims import ClaimsSection
from sendtui.errors import InputError
from sendtui.services.allowances import EarningsLimit, RateError, format_day, limit_on, rate_on
from sendtui.services.claims.retention import financial_year, financial_year_label
from sendtui.services.mileage import MileageRates
from sendtui.text import name_key

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
        self._categories = {name_key(c.name): c for c in self.categories}
        # Every word a spreadsheet may use for a category: its name and its aliases.
        self._words = dict(self._categories)
        for rule, config in zip(self.categories, s.categories, strict=True):
            for alias in config.aliases:
                self._words.setdefault(name_key(alias), rule)
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
        found = self._categories.get(name_key(name))
        if found is None:
            known = ", ".join(c.name for c in self.categories)
            shown = " ".join(name.split())[:40]
            raise InputError(f"There is no category “{shown}”. Categories: {known}.")
        return found

    def match_category(self, word: str) -> CategoryRule:
        """A category as people write it in a spreadsheet: its name or an alias (any case),
        else the one category whose name has a word starting with it ("child" → Childcare
        or replacement care). An InputError saying "did you mean …?" otherwise (the list of
        categories is for the caller to give once)."""
        key = name_key(word)
        shown = " ".join(word.split())[:40]
        if not key:
            raise InputError("the category is empty")
        if key in self._words:
            return self._words[key]
        found = {
            rule.name: rule
            for text, rule in self._words.items()
            if any(part.startswith(key) for part in text.split()) or text.startswith(key)
        }
        if len(found) == 1:
            return next(iter(found.values()))
        if found:
            names = sorted(found)
            return_names = " or ".join(names[:4])
            raise InputError(f"the category “{shown}” could be {return_names}: which is it?")
        close = difflib.get_close_matches(key, list(self._words), n=3, cutoff=0.6)
        guesses = list(dict.fromkeys(self._words[c].name for c in close))
        hint = f"; did you mean {' or '.join(guesses)}?" if guesses else ""
        raise InputError(f"there is no category “{shown}”{hint}")

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
