"""Financial years and how long claim records must be kept.

Records of money are kept for `retention_years` (default 6) after the end of the financial
year they fall in (Charities Act 2011 s.131); after that a member's personal details may be
removed, the amounts staying in the accounts.
"""

from __future__ import annotations

import datetime as dt


def _start_in(year: int, month_day: tuple[int, int]) -> dt.date:
    month, day = month_day
    return dt.date(year, month, day)


def financial_year(d: dt.date, month_day: tuple[int, int] = (4, 1)) -> tuple[dt.date, dt.date]:
    """The first and last day of the financial year containing `d`."""
    start = _start_in(d.year, month_day)
    if d < start:
        # Year 1 has no year before it: the calendar's first day starts it (extreme dates).
        if d.year == 1:
            return dt.date.min, start - dt.timedelta(days=1)
        start = _start_in(d.year - 1, month_day)
    if start.year >= dt.date.max.year:
        return start, dt.date.max
    end = _start_in(start.year + 1, month_day) - dt.timedelta(days=1)
    return start, end


def financial_year_label(d: dt.date, month_day: tuple[int, int] = (4, 1)) -> str:
    """ "2025-26" for a year starting 1 April 2025; "2025" when the year starts on 1 January."""
    start, _ = financial_year(d, month_day)
    if month_day == (1, 1):
        return str(start.year)
    return f"{start.year}-{(start.year + 1) % 100:02d}"


def _add_years(d: dt.date, years: int) -> dt.date:
    if d.year + years > dt.date.max.year:
        return dt.date.max
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February in a year that has none
        return d.replace(year=d.year + years, day=28)


def retention_ends(last_claim: dt.date, years: int, month_day: tuple[int, int] = (4, 1)) -> dt.date:
    """The last day records for `last_claim` must be kept: the end of its financial year plus
    `years` years. Personal details may be removed from the day after."""
    _, end = financial_year(last_claim, month_day)
    return _add_years(end, years)
