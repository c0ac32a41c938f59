"""The text rules every layer shares: comparing names, and making user text harmless on a
terminal, in XML and in a spreadsheet cell."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendtui.text import (
    REPLACEMENT,
    name_key,
    neutralise_cell,
    printable,
    same_name,
    terminal_safe,
    xml_safe,
)

# Text with the characters that cause trouble mixed in.
NASTY = st.text(
    st.one_of(
        st.characters(),
        st.sampled_from(
            "\x00\x01\x07\x08\t\n\x0b\x0c\r\x1b\x7f\x85\x9b\u200e\u202e\u2028\ufeff\uffff"
            "\ud800\udfffßİıﬁＧ²٣ÉéŁł=+-@ "
        ),
    ),
    max_size=40,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Événement régional", "ÉVÉNEMENT  RÉGIONAL"),
        ("Élodie Smith", "élodie smith"),
        ("Łukasz Nowak", "ŁUKASZ NOWAK"),
        ("Ｇreen", "green"),
        ("Straße", "STRASSE"),
        ("e\u0301", "é"),  # combining accent and precomposed
        ("  Green \t Group\n", "green group"),
    ],
)
def test_names_that_differ_only_in_case_width_or_spacing_are_the_same(a: str, b: str) -> None:
    assert same_name(a, b) and name_key(a) == name_key(b)


@given(NASTY)
def test_name_key_is_stable_and_case_blind(name: str) -> None:
    key = name_key(name)
    assert name_key(key) == key
    assert name_key(name.casefold()) == key
    assert key == " ".join(key.split()) and unicodedata.is_normalized("NFKC", key)


def test_printable_shows_escapes_instead_of_sending_them() -> None:
    assert printable("# Evil \x1b]0;PWNED\x07\x1b[2J") == "# Evil \\x1b]0;PWNED\\x07\\x1b[2J"
    assert printable("a\u202eb\ud800") == "a\\u202eb\\ud800"
    assert printable("two\nlines\r\tx") == "two\\x0alines\\x0d x"
    assert printable("two\nlines", keep_newlines=True) == "two\nlines"
    assert printable("Élodie ²٣ café") == "Élodie ²٣ café"


def _is_control(ch: str) -> bool:
    return (
        unicodedata.category(ch) in ("Cc", "Cs", "Co")
        or ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
    )


@given(NASTY, st.booleans())
def test_printable_output_has_no_control_characters(text: str, keep: bool) -> None:
    shown = printable(text, keep_newlines=keep)
    assert not any(_is_control(ch) for ch in shown if not (keep and ch == "\n"))
    assert printable(shown, keep_newlines=keep) == shown
    shown.encode("utf-8")  # no lone surrogates left: any terminal encoding can take it


@given(NASTY)
def test_text_without_controls_is_unchanged(text: str) -> None:
    if not any(_is_control(ch) or ch == "\t" for ch in text):
        assert printable(text) == text


def test_terminal_safe_keeps_colours_only() -> None:
    assert terminal_safe("\x1b[1;31mred\x1b[0m\n") == "\x1b[1;31mred\x1b[0m\n"
    assert terminal_safe("\x1b]0;PWNED\x07\x1b[2J\x1b[H") == "\\x1b]0;PWNED\\x07\\x1b[2J\\x1b[H"
    assert terminal_safe("a\r\nb\rc") == "a\r\nb\\x0dc"
    assert terminal_safe("\x1b[") == "\\x1b["


@given(NASTY)
def test_terminal_safe_lets_no_other_sequence_through(text: str) -> None:
    safe = terminal_safe(text)
    i = 0
    while i < len(safe):
        ch = safe[i]
        if ch == "\x1b":
            end = i + 2
            assert safe[i + 1] == "["
            while safe[end] in "0123456789;":
                end += 1
            assert safe[end] == "m"
            i = end + 1
            continue
        assert ch in "\n" or (ch == "\r" and safe[i + 1 : i + 2] == "\n") or not _is_control(ch)
        i += 1


def _xml_ok(ch: str) -> bool:
    code = ord(ch)
    return (
        code in (9, 10, 13) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000
    )


@given(NASTY)
def test_xml_safe_keeps_length_and_gives_valid_xml(text: str) -> None:
    from lxml import etree

    safe = xml_safe(text)
    assert len(safe) == len(text) and all(_xml_ok(ch) for ch in safe)
    element = etree.Element("p")
    element.text = safe  # lxml refuses any character XML cannot hold
    assert etree.fromstring(etree.tostring(element)).text in (safe, None, safe.replace("\r", "\n"))
    if all(_xml_ok(ch) for ch in text):
        assert safe == text


def test_xml_safe_examples() -> None:
    assert xml_safe("a\x01b\uffffc\ud800") == f"a{REPLACEMENT}b{REPLACEMENT}c{REPLACEMENT}"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("  +44 20", "'  +44 20"),
        ("\n@cmd", "'\n@cmd"),
        ("\t-1", "'\t-1"),
        ("\r=1", "'\r=1"),
        ("a=b", "a=b"),
        ("", ""),
        ("'=already", "'=already"),
    ],
)
def test_neutralise_cell(cell: str, expected: str) -> None:
    assert neutralise_cell(cell) == expected


@given(NASTY)
def test_no_cell_can_start_a_formula(value: str) -> None:
    cell = neutralise_cell(value)
    assert neutralise_cell(cell) == cell
    first = cell.lstrip(" \r\n\t")[:1]
    assert cell.startswith("'") or (
        first not in ("=", "+", "-", "@") and cell[:1] not in ("\t", "\r", "\n")
    )
    assert cell in (value, "'" + value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0", 0), ("42", 42), ("007", 7), ("²", None), ("٣", None), ("4²", None), ("-1", None),
     ("+1", None), (" 1", None), ("1.0", None), ("", None), ("9" * 18, int("9" * 18)),
     ("9" * 19, None), ("9" * 5000, None), ("１", None)],
)  # fmt: skip
def test_ascii_number_reads_only_ascii_digits_of_bounded_length(
    text: str, expected: int | None
) -> None:
    from sendtui.text import ascii_number

    assert ascii_number(text) == expected


@given(st.text(max_size=30))
def test_ascii_number_never_raises_and_agrees_with_int_on_ascii_digits(text: str) -> None:
    from sendtui.text import ascii_number

    value = ascii_number(text)
    if value is None:
        assert not (text and text.isascii() and text.isdigit() and len(text) <= 18)
    else:
        assert text.isascii() and text.isdigit() and int(text) == value


@given(st.text(max_size=12))
def test_digit_rules_agree_with_the_digits_0_to_9(text: str) -> None:
    """One rule for "is this a number": only 0-9 counts; other Unicode digits are named as
    foreign, never read."""
    from sendtui.text import ascii_digits, foreign_digits, has_ascii_digit

    only_ascii = bool(text) and all(ch in "0123456789" for ch in text)
    assert ascii_digits(text) == only_ascii
    assert has_ascii_digit(text) == any(ch in "0123456789" for ch in text)
    assert not (ascii_digits(text) and foreign_digits(text))


@pytest.mark.parametrize("text", ["²", "٣", "１２", "1²", "٣4"])
def test_unicode_digits_are_foreign_not_numbers(text: str) -> None:
    from sendtui.text import ascii_digits, ascii_number, foreign_digits

    assert foreign_digits(text) and not ascii_digits(text) and ascii_number(text) is None
