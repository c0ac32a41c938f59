"""Money: parsing typed amounts, formatting pence, Decimal edges and half-up rounding."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendtui.services.money import (
    DEFAULT_MAX_PENCE,
    AmountError,
    decimal_to_pence,
    format_pence,
    parse_amount,
    pence_to_decimal,
    round_half_up_div,
    typed_excerpt,
)

# --- parse_amount: accepted -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "pence"),
    [
        ("12.50", 1250),
        ("£12.50", 1250),
        ("12", 1200),
        ("12.5", 1250),
        (" £ 12.50 ", 1250),
        ("1,234.56", 123456),
        ("0.99", 99),
        ("0.01", 1),
        ("£0.01", 1),
        (".5", 50),
        (".05", 5),
        ("12.", 1200),
        ("007.50", 750),
        ("1,234", 123400),
        ("10,000", 1_000_000),
        ("£10,000.00", 1_000_000),
        ("\t£3.20\n", 320),
        ("£\u00a012.50", 1250),  # no-break space after the pound sign
    ],
)
def test_parse_amount_accepts_what_people_type(typed: str, pence: int) -> None:
    assert parse_amount(typed) == pence


def test_parse_amount_returns_int_not_float() -> None:
    assert type(parse_amount("12.50")) is int


def test_parse_amount_allows_zero_only_when_asked() -> None:
    assert parse_amount("0", allow_zero=True) == 0
    assert parse_amount("£0.00", allow_zero=True) == 0
    with pytest.raises(AmountError) as err:
        parse_amount("0.00")
    assert err.value.args[0] == "The amount must be more than £0.00: 0.00"


def test_parse_amount_max_is_inclusive() -> None:
    assert parse_amount("100.00", max_pence=10_000) == 10_000
    with pytest.raises(AmountError):
        parse_amount("100.01", max_pence=10_000)


def test_default_max_is_ten_thousand_pounds() -> None:
    assert DEFAULT_MAX_PENCE == 1_000_000


# --- parse_amount: refused, each with its own message -----------------------------------------


def _message(typed: str, **kwargs: object) -> str:
    with pytest.raises(AmountError) as err:
        parse_amount(typed, **kwargs)  # type: ignore[arg-type]
    return str(err.value.args[0])


@pytest.mark.parametrize("typed", ["", "   ", "\t\n"])
def test_blank(typed: str) -> None:
    assert _message(typed) == "Enter an amount, for example 12.50"


@pytest.mark.parametrize("typed", ["-3", " -3 ", "-£3", "£-3", "- 3.00", "\u22123", "-0"])
def test_negative(typed: str) -> None:
    assert _message(typed) == f"An amount cannot be negative: {typed.strip()}"


@pytest.mark.parametrize("typed", ["12,50", "£12,5", "1,5"])
def test_decimal_comma(typed: str) -> None:
    assert _message(typed) == f"Use a full stop for pence, for example 12.50, not {typed}"


@pytest.mark.parametrize(
    "typed", ["1,23,456", "12,34,567.00", "1234,567", ",123", "1,234,56.7", "1,"]
)
def test_commas_in_wrong_places(typed: str) -> None:
    expected = f"Commas can only separate thousands, for example 1,234.56: {typed}"
    assert _message(typed) == expected


@pytest.mark.parametrize("typed", ["1e9", "1E9", "1.5e3", ".5e2", "£1e-3"])
def test_exponent(typed: str) -> None:
    expected = f"Write the amount out in full, for example 12.50, not as {typed}"
    assert _message(typed) == expected


@pytest.mark.parametrize(
    "typed", ["abc", "twelve", "12.50abc", "inf", "nan", "GBP 5", "£", ".", "1.2.3", "12 50", "+5"]
)
def test_not_a_number(typed: str) -> None:
    expected = f"That is not an amount; type pounds and pence, for example 12.50: {typed}"
    assert _message(typed) == expected


@pytest.mark.parametrize("typed", ["１２", "١٢", "½"])
def test_non_ascii_digits_are_not_amounts(typed: str) -> None:
    assert _message(typed).startswith("That is not an amount")


@pytest.mark.parametrize("typed", ["12.345", "£0.001", "1,234.567"])
def test_more_than_two_decimal_places(typed: str) -> None:
    expected = f"Pence can have at most two decimal places, for example 12.50: {typed}"
    assert _message(typed) == expected


@pytest.mark.parametrize("typed", ["50p", "12.50p", "50 p", "99P"])
def test_pence_suffix(typed: str) -> None:
    expected = f"Type pence as part of a pound, for example 0.50 for 50p: {typed}"
    assert _message(typed) == expected


def test_more_than_max() -> None:
    assert _message("£10,000.01") == (
        "£10,000.01 is more than the most a single amount can be (£10,000.00); check the figure"
    )
    assert _message("250", max_pence=20_000) == (
        "£250.00 is more than the most a single amount can be (£200.00); check the figure"
    )


def test_absurdly_long_number_is_refused_without_overflow() -> None:
    message = _message("9" * 10_000)
    assert "is more than the most a single amount can be (£10,000.00)" in message
    assert len(message) < 200


def test_zero() -> None:
    assert _message("0") == "The amount must be more than £0.00: 0"
    assert _message("£0.00") == "The amount must be more than £0.00: £0.00"


@pytest.mark.parametrize(
    ("typed", "symbol"), [("$5", "$"), ("€12.50", "€"), ("5¥", "¥"), ("US$5", "$")]
)
def test_other_currency(typed: str, symbol: str) -> None:
    expected = f"Enter the amount in pounds (£), not another currency ({symbol}): {typed}"
    assert _message(typed) == expected


def test_message_quotes_the_trimmed_text() -> None:
    assert _message("   abc   ").endswith(": abc")


def test_message_shortens_very_long_text() -> None:
    message = _message("x" * 500)
    assert message.endswith(": " + "x" * 29 + "…")


def test_message_puts_multiline_text_on_one_line() -> None:
    assert _message("ab\n\ncd").endswith(": ab cd")


def test_amount_error_is_a_value_error() -> None:
    assert issubclass(AmountError, ValueError)


def test_amount_error_is_an_input_error_when_errors_module_exists() -> None:
    errors = pytest.importorskip("sendtui.errors")
    assert issubclass(AmountError, errors.InputError)
    with pytest.raises(AmountError) as err:
        parse_amount("abc")
    assert err.value.message == str(err.value)


def test_typed_excerpt() -> None:
    assert typed_excerpt("  a  b ") == "a b"
    assert typed_excerpt("abcdef", limit=4) == "abc…"
    assert typed_excerpt("abcd", limit=4) == "abcd"


# --- format_pence -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pence", "with_symbol", "without"),
    [
        (0, "£0.00", "0.00"),
        (1, "£0.01", "0.01"),
        (99, "£0.99", "0.99"),
        (1250, "£12.50", "12.50"),
        (123456, "£1,234.56", "1234.56"),
        (100_000_000, "£1,000,000.00", "1000000.00"),
        (-300, "-£3.00", "-3.00"),
        (-5, "-£0.05", "-0.05"),
    ],
)
def test_format_pence(pence: int, with_symbol: str, without: str) -> None:
    assert format_pence(pence) == with_symbol
    assert format_pence(pence, symbol=False) == without


@pytest.mark.parametrize("bad", [1.5, Decimal("1.50"), "150", True, None])
def test_format_pence_refuses_non_int(bad: object) -> None:
    with pytest.raises(TypeError):
        format_pence(bad)  # type: ignore[arg-type]


# --- Decimal edges ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pence", "text"),
    [(0, "0.00"), (5, "0.05"), (1250, "12.50"), (123456, "1234.56"), (-300, "-3.00")],
)
def test_pence_to_decimal(pence: int, text: str) -> None:
    value = pence_to_decimal(pence)
    assert isinstance(value, Decimal)
    assert str(value) == text
    assert value.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("text", "pence"),
    [
        ("12.5", 1250),
        ("12.50", 1250),
        ("12.500000", 1250),
        ("12", 1200),
        ("1E+3", 100_000),
        ("0", 0),
        ("-0", 0),
        ("-3.01", -301),
        ("0.01", 1),
    ],
)
def test_decimal_to_pence(text: str, pence: int) -> None:
    assert decimal_to_pence(Decimal(text)) == pence


@pytest.mark.parametrize("text", ["12.505", "0.001", "-0.009", "1E-3"])
def test_decimal_to_pence_refuses_fractions_of_a_penny(text: str) -> None:
    with pytest.raises(AmountError) as err:
        decimal_to_pence(Decimal(text))
    assert str(err.value) == (
        f"An amount must be whole pence, not a fraction of a penny: {Decimal(text)}"
    )


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_decimal_to_pence_refuses_non_finite(text: str) -> None:
    with pytest.raises(AmountError):
        decimal_to_pence(Decimal(text))


def test_decimal_to_pence_is_exact_beyond_default_context_precision() -> None:
    big = Decimal("1234567890123456789012345678901234.56")  # 36 digits > context's 28
    assert decimal_to_pence(big) == 123456789012345678901234567890123456


@pytest.mark.parametrize("bad", [12.5, 1250, "12.50"])
def test_decimal_to_pence_refuses_non_decimal(bad: object) -> None:
    with pytest.raises(TypeError):
        decimal_to_pence(bad)  # type: ignore[arg-type]


# --- round_half_up_div ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "d", "expected"),
    [
        (5, 10, 1),  # exactly half rounds up
        (4, 10, 0),
        (15, 10, 2),
        (25, 10, 3),  # not banker's rounding
        (14, 10, 1),
        (0, 10, 0),
        (-5, 10, -1),  # halves go away from zero, like ROUND_HALF_UP
        (-4, 10, 0),
        (90, 60, 2),
        (89, 60, 1),
    ],
)
def test_round_half_up_div(n: int, d: int, expected: int) -> None:
    assert round_half_up_div(n, d) == expected


def test_round_half_up_div_refuses_non_positive_denominator() -> None:
    with pytest.raises(ValueError):
        round_half_up_div(1, 0)


# --- properties -------------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=DEFAULT_MAX_PENCE))
def test_format_then_parse_round_trips(pence: int) -> None:
    assert parse_amount(format_pence(pence), allow_zero=True) == pence
    assert parse_amount(format_pence(pence, symbol=False), allow_zero=True) == pence


@given(st.integers(min_value=0, max_value=10**15))
def test_round_trip_with_a_larger_max(pence: int) -> None:
    assert parse_amount(format_pence(pence), max_pence=10**15, allow_zero=True) == pence


@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_decimal_round_trip(pence: int) -> None:
    assert decimal_to_pence(pence_to_decimal(pence)) == pence
    assert pence_to_decimal(pence) == Decimal(format_pence(pence, symbol=False))


_AMOUNTISH = st.text(alphabet="0123456789.,£$-−eE p+ \t", max_size=20)


@given(st.one_of(st.text(), _AMOUNTISH))
def test_parse_raises_only_amount_error(text: str) -> None:
    try:
        pence = parse_amount(text)
    except AmountError as err:
        assert err.args[0]
    else:
        assert isinstance(pence, int)
        assert 0 < pence <= DEFAULT_MAX_PENCE


@given(_AMOUNTISH, st.booleans(), st.integers(min_value=0, max_value=10**12))
def test_parse_with_any_options_raises_only_amount_error(
    text: str, allow_zero: bool, max_pence: int
) -> None:
    try:
        pence = parse_amount(text, max_pence=max_pence, allow_zero=allow_zero)
    except AmountError:
        pass
    else:
        assert (0 if allow_zero else 1) <= pence <= max_pence


@given(st.lists(st.integers(min_value=1, max_value=DEFAULT_MAX_PENCE), max_size=30))
def test_sum_of_parsed_equals_parse_of_formatted_sum(items: list[int]) -> None:
    parsed = [parse_amount(format_pence(p)) for p in items]
    total = sum(parsed)
    big = 10**12
    assert parse_amount(format_pence(total), max_pence=big, allow_zero=True) == total
    assert parse_amount(format_pence(total, symbol=False), max_pence=big, allow_zero=True) == sum(
        items
    )


@given(st.integers(min_value=-(10**12), max_value=10**12), st.integers(1, 10**6))
def test_round_half_up_div_matches_decimal(n: int, d: int) -> None:
    expected = (Decimal(n) / Decimal(d)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert round_half_up_div(n, d) == int(expected)


@given(st.integers(min_value=0, max_value=99_999_999), st.integers(min_value=0, max_value=99))
def test_parse_matches_decimal_for_pounds_and_pence(pounds: int, pennies: int) -> None:
    text = f"{pounds}.{pennies:02d}"
    assert parse_amount(text, max_pence=10**10, allow_zero=True) == decimal_to_pence(Decimal(text))
