"""Care hours, remuneration, dated rates and the Carer's Allowance earnings warning."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendtui.services.allowances import (
    DEFAULT_EARNINGS_LIMITS,
    MAX_ITEM_MINUTES,
    CareCalc,
    EarningsLimit,
    HoursError,
    RateError,
    care_amount,
    earnings_warning,
    format_day,
    format_minutes,
    limit_on,
    parse_hours,
    rate_on,
    remuneration_amount,
    week_bounds,
)
from sendtui.services.money import AmountError

# --- parse_hours ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("2", 120),
        ("2.5", 150),
        ("2:30", 150),
        ("0:45", 45),
        ("0.25", 15),
        ("0.1", 6),
        ("1.05", 63),
        (".5", 30),
        ("2.", 120),
        ("02:05", 125),
        ("24", 1440),
        ("24:00", 1440),
        ("23:59", 1439),
        (" 2:30 ", 150),
        ("2h", 120),
        ("2 hours", 120),
        ("1 hour", 60),
        ("2.5 hrs", 150),
        ("2h30", 150),
        ("2h 30m", 150),
        ("2 hours 5 mins", 125),
        ("90 mins", 90),
        ("90m", 90),
        ("45 minutes", 45),
        ("2.50", 150),
    ],
)
def test_parse_hours_accepts(typed: str, minutes: int) -> None:
    assert parse_hours(typed) == minutes


def test_parse_hours_zero_only_when_asked() -> None:
    assert parse_hours("0", allow_zero=True) == 0
    assert parse_hours("0:00", allow_zero=True) == 0
    assert _message("0:00") == "Enter more than 0 hours: 0:00"


def _message(typed: str) -> str:
    with pytest.raises(HoursError) as err:
        parse_hours(typed)
    return str(err.value.args[0])


@pytest.mark.parametrize("typed", ["", " ", "\t"])
def test_parse_hours_blank(typed: str) -> None:
    assert _message(typed) == "Enter the hours, for example 2.5 or 2:30"


@pytest.mark.parametrize("typed", ["-2", "-2:30", "- 1.5", "\u22121"])
def test_parse_hours_negative(typed: str) -> None:
    assert _message(typed) == f"Hours cannot be negative: {typed}"


@pytest.mark.parametrize(
    ("typed", "described"),
    [
        ("25", "25 hours"),
        ("24:01", "24 h 1 min"),
        ("24.5", "24 h 30 min"),
        ("1441 mins", "24 h 1 min"),
    ],
)
def test_parse_hours_more_than_a_day(typed: str, described: str) -> None:
    assert _message(typed) == (
        f"{described} is more than one day; put each day in its own item: {typed}"
    )


def test_parse_hours_absurdly_long_number() -> None:
    message = _message("9" * 5000)
    assert message.startswith("That is more than one day; put each day in its own item: ")


@pytest.mark.parametrize(
    ("typed", "nearest"),
    [
        ("2.33", "2:20"),
        ("0.01", "0:01"),
        ("1.125", "1:08"),
        ("0.5 mins", "0:01"),
        ("2.999", "3:00"),
    ],
)
def test_parse_hours_not_whole_minutes(typed: str, nearest: str) -> None:
    assert _message(typed) == (
        f"That is not a whole number of minutes; type it as h:mm, for example {nearest}: {typed}"
    )


@pytest.mark.parametrize("typed", ["2:5", "2:300", "2:30:00", ":30", "2:", "1:2.5"])
def test_parse_hours_bad_clock(typed: str) -> None:
    assert _message(typed) == (f"Type hours and minutes as h:mm, for example 2:05 or 2:30: {typed}")


@pytest.mark.parametrize("typed", ["2:60", "2:75", "2h 60m", "1h75"])
def test_parse_hours_minutes_over_59(typed: str) -> None:
    assert _message(typed) == f"Minutes must be 00 to 59, for example 2:30: {typed}"


@pytest.mark.parametrize("typed", ["abc", "two", "1e3", "2.5.1", "2 5", "+2", "h", ".", "£2"])
def test_parse_hours_bad_format(typed: str) -> None:
    assert _message(typed) == f"Hours must look like 2, 2.5 or 2:30: {typed}"


@pytest.mark.parametrize("typed", ["2,5", "1,25"])
def test_parse_hours_decimal_comma(typed: str) -> None:
    assert _message(typed) == (
        f"Use a full stop for part of an hour, for example 2.5 or 2:30, not {typed}"
    )


@given(st.one_of(st.text(), st.text(alphabet="0123456789.:,-hminsr ", max_size=15)))
def test_parse_hours_raises_only_hours_error(text: str) -> None:
    try:
        minutes = parse_hours(text)
    except HoursError as err:
        assert err.args[0]
    else:
        assert 0 < minutes <= MAX_ITEM_MINUTES


@given(st.integers(min_value=1, max_value=MAX_ITEM_MINUTES))
def test_format_minutes_round_trips(minutes: int) -> None:
    assert parse_hours(format_minutes(minutes)) == minutes
    assert parse_hours(f"{minutes} mins") == minutes


@given(st.integers(min_value=1, max_value=24 * 4))
def test_quarter_hours_as_decimals(quarters: int) -> None:
    hours, part = divmod(quarters * 25, 100)
    assert parse_hours(f"{hours}.{part:02d}") == quarters * 15


@pytest.mark.parametrize(
    ("minutes", "text"), [(0, "0:00"), (45, "0:45"), (150, "2:30"), (-5, "-0:05")]
)
def test_format_minutes(minutes: int, text: str) -> None:
    assert format_minutes(minutes) == text


def test_errors_are_value_errors() -> None:
    assert issubclass(HoursError, ValueError)
    assert issubclass(RateError, ValueError)


# --- care_amount ------------------------------------------------------------------------------


def test_care_uncapped() -> None:
    calc = care_amount(150, 1000, 1200)
    assert calc == CareCalc(150, 1000, False, 2500, 1000)
    assert calc.label == "2:30 h × £10.00 an hour"


def test_care_capped() -> None:
    calc = care_amount(150, 1500, 1200)
    assert calc == CareCalc(
        minutes=150, rate_pence=1200, capped=True, amount_pence=3000, requested_rate_pence=1500
    )
    assert calc.label == "2:30 h × £12.00 an hour (capped from £15.00)"


def test_care_rate_equal_to_cap_is_not_capped() -> None:
    assert care_amount(60, 1200, 1200).capped is False


def test_care_without_cap() -> None:
    calc = care_amount(60, 5000, None)
    assert (calc.rate_pence, calc.capped, calc.amount_pence) == (5000, False, 5000)
    assert care_amount(60, 5000).amount_pence == 5000


def test_care_rounds_half_up_once() -> None:
    # 1 minute at £10.30 an hour = 17.1666p → 17p; 3 minutes at £10.10 = 50.5p → 51p
    assert care_amount(1, 1030).amount_pence == 17
    assert care_amount(3, 1010).amount_pence == 51
    # 20 minutes at 1p an hour = 0.333p → 0p; 30 minutes at 1p = 0.5p → 1p
    assert care_amount(20, 1).amount_pence == 0
    assert care_amount(30, 1).amount_pence == 1


def test_care_zero_minutes_is_zero() -> None:
    assert care_amount(0, 1000).amount_pence == 0


@pytest.mark.parametrize("minutes", [-1, MAX_ITEM_MINUTES + 1])
def test_care_minutes_range(minutes: int) -> None:
    with pytest.raises(HoursError) as err:
        care_amount(minutes, 1000)
    assert str(err.value).startswith("Time must be 0:00 to 24:00 in one item, not ")


@pytest.mark.parametrize("minutes", [1.5, "60", True])
def test_care_minutes_must_be_int(minutes: object) -> None:
    with pytest.raises(HoursError, match=r"^Minutes must be a whole number"):
        care_amount(minutes, 1000)  # type: ignore[arg-type]


@pytest.mark.parametrize("rate", [-1, 10.5, "1000", None])
def test_care_rate_must_be_whole_pence(rate: object) -> None:
    with pytest.raises(RateError, match=r"^The care rate per hour must be a whole number"):
        care_amount(60, rate)  # type: ignore[arg-type]


def test_care_cap_must_be_whole_pence() -> None:
    with pytest.raises(RateError, match=r"^The care rate cap per hour must be a whole number"):
        care_amount(60, 1000, -5)


@given(
    st.integers(0, MAX_ITEM_MINUTES),
    st.integers(0, 100_000),
    st.one_of(st.none(), st.integers(0, 100_000)),
)
def test_care_properties(minutes: int, rate: int, cap: int | None) -> None:
    calc = care_amount(minutes, rate, cap)
    paid = rate if cap is None else min(rate, cap)
    assert calc.rate_pence == paid
    assert calc.capped == (cap is not None and rate > cap)
    # half up: amount - ½ <= minutes × rate / 60 < amount + ½
    assert 60 * calc.amount_pence - 30 <= minutes * paid < 60 * calc.amount_pence + 30
    if minutes % 60 == 0:
        assert calc.amount_pence == minutes // 60 * paid


@given(st.integers(0, MAX_ITEM_MINUTES - 1), st.integers(0, 100_000))
def test_care_monotonic(minutes: int, rate: int) -> None:
    assert care_amount(minutes, rate).amount_pence <= care_amount(minutes + 1, rate).amount_pence
    assert care_amount(minutes, rate).amount_pence <= care_amount(minutes, rate + 1).amount_pence


# --- remuneration_amount ----------------------------------------------------------------------


def test_remuneration_by_the_hour() -> None:
    assert remuneration_amount(minutes=90, rate_per_hour_pence=2000) == 3000
    assert remuneration_amount(minutes=1, rate_per_hour_pence=2030) == 34  # 33.83p → 34p
    assert remuneration_amount(minutes=150, rate_per_hour_pence=1500, rate_per_session_pence=1)


def test_remuneration_by_the_session() -> None:
    assert remuneration_amount(sessions=2, rate_per_session_pence=5000) == 10000
    assert (
        remuneration_amount(sessions=1, rate_per_session_pence=5000, rate_per_hour_pence=1) == 5000
    )


def _rate_message(**kwargs: object) -> str:
    with pytest.raises(RateError) as err:
        remuneration_amount(**kwargs)  # type: ignore[arg-type]
    return str(err.value)


def test_remuneration_needs_hours_or_sessions() -> None:
    assert _rate_message(rate_per_hour_pence=1000) == "Enter the hours or the number of sessions"


def test_remuneration_not_both() -> None:
    assert _rate_message(minutes=60, sessions=1, rate_per_hour_pence=1000) == (
        "Give either the hours or the number of sessions, not both"
    )


def test_remuneration_missing_hourly_rate() -> None:
    assert _rate_message(minutes=60, rate_per_session_pence=5000) == (
        "This grade has no rate per hour; set one for the grade, or pay by the session"
    )


def test_remuneration_missing_session_rate() -> None:
    assert _rate_message(sessions=1, rate_per_hour_pence=1000) == (
        "This grade has no rate per session; set one for the grade, or pay by the hour"
    )


@pytest.mark.parametrize("sessions", [0, -1, 1.5, True])
def test_remuneration_sessions_must_be_positive_whole(sessions: object) -> None:
    message = _rate_message(sessions=sessions, rate_per_session_pence=5000)
    assert message == f"Enter 1 or more whole sessions, not {sessions!r}"


@pytest.mark.parametrize("minutes", [0, -30, MAX_ITEM_MINUTES + 1])
def test_remuneration_minutes_range(minutes: int) -> None:
    with pytest.raises(HoursError, match=r"^Time must be 0:01 to 24:00 in one item"):
        remuneration_amount(minutes=minutes, rate_per_hour_pence=1000)


def test_remuneration_negative_rates() -> None:
    assert _rate_message(minutes=60, rate_per_hour_pence=-1).startswith(
        "The rate per hour must be a whole number of pence"
    )
    assert _rate_message(sessions=1, rate_per_session_pence=-1).startswith(
        "The rate per session must be a whole number of pence"
    )


@given(st.integers(1, MAX_ITEM_MINUTES), st.integers(0, 100_000))
def test_remuneration_by_hour_matches_uncapped_care(minutes: int, rate: int) -> None:
    paid = remuneration_amount(minutes=minutes, rate_per_hour_pence=rate)
    assert paid == care_amount(minutes, rate).amount_pence


# --- rate_on ----------------------------------------------------------------------------------

_RATES = [(date(2025, 4, 6), "A"), (date(2026, 4, 6), "B")]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 4, 5), None),
        (date(2025, 4, 6), "A"),
        (date(2026, 4, 5), "A"),
        (date(2026, 4, 6), "B"),
        (date(2099, 1, 1), "B"),
    ],
)
def test_rate_on_boundaries(day: date, expected: str | None) -> None:
    assert rate_on(day, _RATES) == expected
    assert rate_on(day, list(reversed(_RATES))) == expected


def test_rate_on_empty() -> None:
    assert rate_on(date(2025, 1, 1), []) is None


def test_rate_on_accepts_datetimes() -> None:
    assert rate_on(datetime(2026, 4, 6, 0, 0), _RATES) == "B"
    assert rate_on(date(2026, 4, 6), [(datetime(2026, 4, 6, 12, 0), "X")]) == "X"


def test_rate_on_refuses_two_rates_on_one_day() -> None:
    with pytest.raises(RateError) as err:
        rate_on(date(2026, 1, 1), [(date(2025, 4, 6), 1), (date(2025, 4, 6), 2)])
    assert str(err.value) == "Two rates start on 6 Apr 2025; keep only one"


def test_rate_on_accepts_a_generator() -> None:
    assert rate_on(date(2026, 1, 1), ((d, v) for d, v in _RATES)) == "A"


@given(st.lists(st.dates(), unique=True, max_size=8), st.dates())
def test_rate_on_picks_latest_start_on_or_before(starts: list[date], day: date) -> None:
    dated = [(s, s.isoformat()) for s in starts]
    earlier = [s for s in starts if s <= day]
    expected = max(earlier).isoformat() if earlier else None
    assert rate_on(day, dated) == expected


# --- earnings limit ---------------------------------------------------------------------------


def test_default_earnings_limits() -> None:
    limits = DEFAULT_EARNINGS_LIMITS
    assert limits == (
        EarningsLimit(date(2025, 4, 6), 19600),
        EarningsLimit(date(2026, 4, 6), 20400),
    )


@pytest.mark.parametrize(
    ("day", "limit"),
    [
        (date(2025, 4, 5), None),
        (date(2025, 4, 6), 19600),
        (date(2026, 4, 5), 19600),
        (date(2026, 4, 6), 20400),
        (date(2030, 1, 1), 20400),
    ],
)
def test_limit_on(day: date, limit: int | None) -> None:
    assert limit_on(day) == limit
    assert limit_on(day, DEFAULT_EARNINGS_LIMITS) == limit


def test_limit_on_custom_limits() -> None:
    limits = [EarningsLimit(date(2027, 4, 6), 21000), *DEFAULT_EARNINGS_LIMITS]
    assert limit_on(date(2027, 4, 5), limits) == 20400
    assert limit_on(date(2027, 4, 6), limits) == 21000


@pytest.mark.parametrize(
    ("day", "monday", "sunday"),
    [
        (date(2026, 4, 6), date(2026, 4, 6), date(2026, 4, 12)),  # a Monday
        (date(2026, 4, 12), date(2026, 4, 6), date(2026, 4, 12)),  # a Sunday
        (date(2026, 4, 8), date(2026, 4, 6), date(2026, 4, 12)),
        (date(2025, 4, 6), date(2025, 3, 31), date(2025, 4, 6)),  # Sunday 6 April 2025
        (date(2025, 12, 31), date(2025, 12, 29), date(2026, 1, 4)),  # across a year end
    ],
)
def test_week_bounds(day: date, monday: date, sunday: date) -> None:
    assert week_bounds(day) == (monday, sunday)


def test_week_bounds_accepts_datetime() -> None:
    assert week_bounds(datetime(2026, 4, 8, 18, 30)) == (date(2026, 4, 6), date(2026, 4, 12))


@given(st.dates(min_value=date(1900, 1, 8), max_value=date(9000, 1, 1)))
def test_week_bounds_property(day: date) -> None:
    monday, sunday = week_bounds(day)
    assert monday <= day <= sunday
    assert monday.weekday() == 0
    assert sunday - monday == timedelta(days=6)


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 4, 6), "6 Apr 2026"),
        (date(2025, 12, 25), "25 Dec 2025"),
        (date(2025, 1, 1), "1 Jan 2025"),
    ],
)
def test_format_day(day: date, text: str) -> None:
    assert format_day(day) == text


def test_earnings_warning_example() -> None:
    message = earnings_warning(20000, 1000, 20400, member="Jo", week_start=date(2026, 4, 6))
    assert message == (
        "This payment would take Jo's paid remuneration in the week of 6 Apr 2026 to £210.00, "
        "above the Carer's Allowance earnings limit of £204.00. Consider paying the forum instead."
    )


def test_earnings_warning_with_limit_on() -> None:
    week_start = date(2026, 4, 6)
    limit = limit_on(week_start)
    assert earnings_warning(20000, 1000, limit, member="Jo", week_start=week_start) is not None
    old = limit_on(date(2026, 4, 5))
    message = earnings_warning(19000, 1000, old, member="Jo", week_start=date(2026, 3, 30))
    assert message is not None
    assert "to £200.00, above the Carer's Allowance earnings limit of £196.00" in message
    assert "week of 30 Mar 2026" in message


def test_earnings_warning_shows_the_monday() -> None:
    message = earnings_warning(0, 30000, 20400, member="Jo", week_start=date(2026, 4, 10))
    assert message is not None
    assert "in the week of 6 Apr 2026 to £300.00" in message


def test_earnings_warning_exactly_at_the_limit_is_fine() -> None:
    assert earnings_warning(20000, 400, 20400, member="Jo", week_start=date(2026, 4, 6)) is None
    assert earnings_warning(20000, 401, 20400, member="Jo", week_start=date(2026, 4, 6))


def test_earnings_warning_below_the_limit() -> None:
    assert earnings_warning(0, 5000, 20400, member="Jo", week_start=date(2026, 4, 6)) is None


def test_earnings_warning_no_limit() -> None:
    assert earnings_warning(50000, 50000, None, member="Jo", week_start=date(2024, 4, 6)) is None


def test_earnings_warning_no_new_pay() -> None:
    assert earnings_warning(50000, 0, 20400, member="Jo", week_start=date(2026, 4, 6)) is None


def test_earnings_warning_already_above() -> None:
    message = earnings_warning(25000, 1000, 20400, member="Sam", week_start=date(2026, 4, 6))
    assert message == (
        "Sam's paid remuneration in the week of 6 Apr 2026 is already £250.00, above the "
        "Carer's Allowance earnings limit of £204.00; this payment would take it to £260.00. "
        "Consider paying the forum instead."
    )


def test_earnings_warning_member_name() -> None:
    week = date(2026, 4, 6)
    assert "take James's paid" in str(
        earnings_warning(0, 30000, 20400, member=" James ", week_start=week)
    )
    assert "take this member's paid" in str(
        earnings_warning(0, 30000, 20400, member="  ", week_start=week)
    )


@pytest.mark.parametrize(
    ("existing", "new", "limit"),
    [(-1, 100, 20400), (0, -100, 20400), (0, 100, -1), (0, 1.5, 20400)],
)
def test_earnings_warning_refuses_negative_or_non_int(
    existing: object, new: object, limit: object
) -> None:
    with pytest.raises(AmountError, match=r"must be a whole number of pence, 0 or more"):
        earnings_warning(existing, new, limit, member="Jo", week_start=date(2026, 4, 6))  # type: ignore[arg-type]


@given(st.integers(0, 100_000), st.integers(0, 100_000), st.integers(0, 100_000))
def test_earnings_warning_iff_above(existing: int, new: int, limit: int) -> None:
    message = earnings_warning(existing, new, limit, member="Jo", week_start=date(2026, 4, 6))
    assert (message is not None) == (new > 0 and existing + new > limit)
