"""Text rules used in every layer: one way to compare names, and one way to make user text
harmless where it is shown or stored (a terminal, an XML document, a spreadsheet cell).

Nothing here imports anything from sendtui, so models, store, services, exporters, the CLI
and the TUI all call the same functions.
"""

from __future__ import annotations

import unicodedata


def name_key(name: str) -> str:
    """The key two names are compared by: NFKC, case-folded, spaces collapsed.

    "Élodie  Smith", "ÉLODIE SMITH" and "élodie smith" have the same key; so do "Ｇreen"
    (full-width) and "green". Casefolding can leave text that is not NFKC ("ß" → "ss" is
    fine, but some folds decompose), so the result is normalised again.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.split())


def same_name(a: str, b: str) -> bool:
    return name_key(a) == name_key(b)


def ascii_digits(text: str) -> bool:
    """Whether `text` is one or more of the digits 0-9 and nothing else: what sendtui reads
    as a number ("²" and "٣" pass `str.isdigit()`; they are not digits here)."""
    return bool(text) and text.isascii() and text.isdigit()


def foreign_digits(text: str) -> bool:
    """Whether `text` is all digits by Unicode's reckoning ("٣", "²", "１") but not only
    0-9: a number typed in another script, which sendtui names rather than reads."""
    return text.isdigit() and not text.isascii()


def has_ascii_digit(text: str) -> bool:
    """Whether any of 0-9 is in `text`."""
    return any("0" <= ch <= "9" for ch in text)


def ascii_number(text: str, max_digits: int = 18) -> int | None:
    """The whole number `text` spells in ASCII digits 0-9, or None.

    The one rule for reading a number someone typed (an id, a count, a chapter code): no
    sign, no spaces, no "²" or "٣" (both pass `str.isdigit()`, and `int()` takes "٣"), and at
    most `max_digits` digits, so `int()` never meets 5,000 of them. 18 digits always fit a
    64-bit column; callers with a smaller range check it themselves.
    """
    if len(text) > max_digits or not ascii_digits(text):
        return None
    return int(text)


# C0 and C1 controls and DEL; tab and newline are kept where the caller allows them.
def _is_control(ch: str) -> bool:
    code = ord(ch)
    return code < 0x20 or 0x7F <= code < 0xA0 or unicodedata.category(ch) in ("Cs", "Co")


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """`text` safe to write to a terminal: control characters (ESC, BEL, CR…), lone
    surrogates and bidi overrides are shown as visible escapes (`\\x1b`, `\\u202e`) instead of
    being sent to the terminal, so a title cannot retitle, clear or recolour the screen."""
    out: list[str] = []
    for ch in text:
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch == "\t":
            out.append(" ")
        elif _is_control(ch) or ch in _BIDI:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def terminal_safe(text: str) -> str:
    """Like `printable(keep_newlines=True)`, but colour sequences (`ESC [ 1;31 m`, which a
    library such as Rich writes for a terminal) are kept: they can colour text, but cannot
    retitle, clear or move anything. The last guard on everything the CLI writes to a
    terminal; commands still pass user text through `printable` first."""
    if text.isprintable():
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\x1b" and text.startswith("[", i + 1):
            end = i + 2
            while end < n and text[end] in "0123456789;":
                end += 1
            if end < n and text[end] == "m":
                out.append(text[i : end + 1])
                i = end + 1
                continue
        if ch == "\r" and text.startswith("\n", i + 1):
            out.append(ch)
        else:
            out.append(printable(ch, keep_newlines=True))
        i += 1
    return "".join(out)


REPLACEMENT = "\ufffd"


def _xml_ok(ch: str) -> bool:
    code = ord(ch)
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def xml_safe(text: str) -> str:
    """`text` with every character XML 1.0 cannot hold (`\\x01`, `\\uffff`, lone surrogates)
    replaced by U+FFFD, so Word and Excel files can always be written."""
    if all(_xml_ok(ch) for ch in text):
        return text
    return "".join(ch if _xml_ok(ch) else REPLACEMENT for ch in text)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# First characters after which a CSV cell may need neutralise_cell (spaces and line breaks
# too: " =1+1" and "\n=1+1" run as formulas in some spreadsheets).
SUSPECT_STARTS = frozenset("=+-@\t\r\n ")


def neutralise_cell(value: str) -> str:
    """A spreadsheet cell that cannot run as a formula: text that starts with `=`, `+`, `-`,
    `@`, a tab or a line break, after any leading spaces or line breaks, gets a leading `'`
    (OWASP's advice for CSV injection)."""
    stripped = value.lstrip(" \r\n\t")
    if value and (value[0] in FORMULA_STARTS or stripped[:1] in FORMULA_STARTS):
        return "'" + value
    return value
