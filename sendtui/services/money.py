"""Money as people type it and as the treasurer reads it.

Money is always a whole number of pence (`int`) inside sendtui; `Decimal` appears only at the
edges (exports, spreadsheets). No float is used anywhere, not even in intermediate sums.

Rounding rule: where a rate does not divide exactly (mileage in tenths of a mile, care in
minutes), the amount is rounded ONCE per band or line, to the nearest penny, with halves
rounded up (away from zero), the same as `decimal.ROUND_HALF_UP`. See `round_half_up_div`.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

try:
    from sendtui.errors import InputError as _Base
except ImportError:  # pragma: no cover
    _Base = ValueError

__all__ = [
    "DEFAULT_MAX_PENCE",
    "AmountError",
    "decimal_to_pence",
    "format_pence",
    "parse_amount",
    "pence_to_decimal",
    "round_half_up_div",
    "split_sign",
    "typed_excerpt",
]

DEFAULT_MAX_PENCE = 1_000_000
"""£10,000: the most a single amount can be unless the caller says otherwise."""

_EXAMPLE = "for example 12.50"
MINUS_SIGNS = "-\u2212\u2013\u2014"  # hyphen-minus, minus sign, en dash, em dash
_EXPONENT = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+")
_DECIMAL_COMMA = re.compile(r"[0-9]+,[0-9]{1,2}")
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")
_PLAIN = re.compile(r"([0-9]*)(?:\.([0-9]*))?")
_PENCE_SUFFIX = re.compile(r"[0-9.,]+\s*[pP]")
_MAX_DIGITS = 30  # longer whole-pound parts are refused before converting to int


class AmountError(_Base):
    """An amount of money that cannot be accepted; the message says why and how to fix it."""


def typed_excerpt(text: str, limit: int = 30) -> str:
    """What the person typed, trimmed, on one line, and shortened with "…" if very long."""
    one_line = " ".join(text.split())
    if len(one_line) > limit:
        return one_line[: limit - 1] + "…"
    return one_line


def split_sign(text: str) -> tuple[str, bool]:
    """A typed number without its leading minus (any of the dashes people type), and whether
    it had one: amounts, miles and hours all refuse negatives with their own message."""
    if text and text[0] in MINUS_SIGNS:
        return text[1:].lstrip(), True
    return text, False


def round_half_up_div(numerator: int, denominator: int) -> int:
    """`numerator / denominator` rounded to a whole number, halves away from zero.

    Pure integer maths, identical to `Decimal(n) / Decimal(d)` quantized with ROUND_HALF_UP.
    """
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    if numerator < 0:
        return -((-numerator * 2 + denominator) // (denominator * 2))
    return (numerator * 2 + denominator) // (denominator * 2)


def _check_int(pence: object) -> int:
    if isinstance(pence, bool) or not isinstance(pence, int):
        raise TypeError(f"pence must be an int, not {type(pence).__name__}")
    return pence


def format_pence(pence: int, *, symbol: bool = True) -> str:
    """`1234_56` → "£1,234.56"; with `symbol=False` → "1234.56" (no separators, for CSV).

    Negative amounts read "-£3.00" (or "-3.00" without the symbol).
    """
    _check_int(pence)
    sign = "-" if pence < 0 else ""
    pounds, pennies = divmod(abs(pence), 100)
    if symbol:
        return f"{sign}£{pounds:,}.{pennies:02d}"
    return f"{sign}{pounds}.{pennies:02d}"


def pence_to_decimal(pence: int) -> Decimal:
    """`1250` → `Decimal("12.50")` (always two decimal places)."""
    _check_int(pence)
    sign = 1 if pence < 0 else 0
    digits = tuple(int(c) for c in str(abs(pence)))
    return Decimal((sign, digits, -2))


def decimal_to_pence(value: Decimal) -> int:
    """`Decimal("12.5")` → `1250`, exactly; fractions of a penny raise `AmountError`."""
    if not isinstance(value, Decimal):
        raise TypeError(f"value must be a Decimal, not {type(value).__name__}")
    if not value.is_finite():
        raise AmountError(f"Not an amount of money: {value}")
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite, so never "n"/"N"/"F"
    whole = int("".join(map(str, digits)) or "0")
    shift = exponent + 2
    if shift >= 0:
        pence = whole * 10**shift
    else:
        pence, rest = divmod(whole, 10**-shift)
        if rest:
            raise AmountError(f"An amount must be whole pence, not a fraction of a penny: {value}")
    return -pence if sign else pence


def _is_other_currency(ch: str) -> bool:
    return ch != "£" and unicodedata.category(ch) == "Sc"


def parse_amount(text: str, *, max_pence: int = DEFAULT_MAX_PENCE, allow_zero: bool = False) -> int:
    """Read an amount as people type it ("12.50", "£12.5", " £ 1,234.56 ") into pence.

    Raises `AmountError`, and nothing else for any `str`, with a message that quotes what was
    typed and says how to put it right.
    """
    s = text.strip()
    if not s:
        raise AmountError(f"Enter an amount, {_EXAMPLE}")
    shown = typed_excerpt(s)
    other = next((ch for ch in s if _is_other_currency(ch)), None)
    if other is not None:
        raise AmountError(
            f"Enter the amount in pounds (£), not another currency ({other}): {shown}"
        )

    # Leading "£" and minus sign, in either order, each at most once, spaces allowed around.
    body = s
    negative = pound = False
    while body and (body[0] in "£" + MINUS_SIGNS or body[0].isspace()):
        ch = body[0]
        if ch == "£":
            if pound:
                break
            pound = True
        elif ch in MINUS_SIGNS:
            if negative:
                break
            negative = True
        body = body[1:]

    not_amount = f"That is not an amount; type pounds and pence, {_EXAMPLE}: {shown}"
    if _EXPONENT.fullmatch(body):
        raise AmountError(f"Write the amount out in full, {_EXAMPLE}, not as {shown}")
    if _PENCE_SUFFIX.fullmatch(body):
        raise AmountError(f"Type pence as part of a pound, for example 0.50 for 50p: {shown}")
    if any(ch.isalpha() for ch in body):
        raise AmountError(not_amount)
    if "," in body:
        if _DECIMAL_COMMA.fullmatch(body):
            raise AmountError(f"Use a full stop for pence, {_EXAMPLE}, not {shown}")
        if not _GROUPED.fullmatch(body):
            raise AmountError(f"Commas can only separate thousands, for example 1,234.56: {shown}")
        body = body.replace(",", "")

    match = _PLAIN.fullmatch(body)
    if match is None:
        raise AmountError(not_amount)
    whole, frac = match.group(1), match.group(2) or ""
    if not whole and not frac:
        raise AmountError(not_amount)
    if len(frac) > 2:
        raise AmountError(f"Pence can have at most two decimal places, {_EXAMPLE}: {shown}")
    if negative:
        raise AmountError(f"An amount cannot be negative: {shown}")

    whole = whole.lstrip("0")
    if len(whole) > _MAX_DIGITS:
        raise AmountError(
            f"£{typed_excerpt(whole)} is more than the most a single amount can be "
            f"({format_pence(max_pence)}); check the figure"
        )
    pence = int(whole or "0") * 100 + int(frac.ljust(2, "0"))
    if pence == 0 and not allow_zero:
        raise AmountError(f"The amount must be more than £0.00: {shown}")
    if pence > max_pence:
        raise AmountError(
            f"{format_pence(pence)} is more than the most a single amount can be "
            f"({format_pence(max_pence)}); check the figure"
        )
    return pence
