"""`sendtui report` into a file or pipe draws its table without rich: character for
character what rich draws (rich_text), for any labels, titles and notes of one-cell
characters; other text goes to rich."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from sendtui.cli.report_text import narrow, wrap
from sendtui.cli.reports import _plain_table, render, rich_text
from sendtui.services.crosstabs import AxisItem, CrossTab
from sendtui.services.reports import Breakdown, CountRow

# One-cell characters, spaces (runs of them too) and a few long words, so titles and notes
# wrap, fold and pad in every way rich does.
NARROW = st.sampled_from([*"ab Zé ÿ“”—…-.%", "  ", "word", "x" * 30])
text = st.lists(NARROW, max_size=12).map("".join)
short = st.lists(NARROW, max_size=4).map("".join)


@st.composite
def breakdowns(draw) -> Breakdown:
    n = draw(st.integers(0, 6))
    coded = draw(st.booleans())
    rows = tuple(
        CountRow(
            draw(short) if coded else "",
            draw(text),
            draw(st.integers(0, 10**7)),
            Decimal(draw(st.integers(0, 10000))) / 100,
        )
        for _ in range(n)
    )
    notes = tuple(draw(st.lists(text, max_size=3)))
    return Breakdown(draw(text), rows, sum(r.count for r in rows), notes)


@st.composite
def crosstabs(draw) -> CrossTab:
    def items(n: int) -> tuple[AxisItem, ...]:
        coded = draw(st.booleans())
        return tuple(AxisItem(i, draw(short) if coded else "", draw(text)) for i in range(n))

    rows, cols = items(draw(st.integers(0, 4))), items(draw(st.integers(0, 5)))
    cells = tuple(tuple(draw(st.integers(0, 10**6)) for _ in cols) for _ in rows)
    notes = tuple(draw(st.lists(text, max_size=2)))
    return CrossTab(draw(text), draw(short), draw(short), rows, cols, cells, notes)


@settings(max_examples=400, deadline=None)
@given(report=st.one_of(breakdowns(), crosstabs()), event_title=text)
def test_the_plain_table_is_what_rich_draws(report, event_title: str) -> None:
    plain = _plain_table(report, event_title)
    assert plain is not None
    assert plain == rich_text(report, event_title)


@given(text=st.text(max_size=40), width=st.integers(1, 30))
def test_wrapped_lines_never_pass_the_width(text: str, width: int) -> None:
    if not narrow(text) or "\n" in text:
        return
    for justify in ("left", "center"):
        lines = wrap(text, width, justify)
        assert all(len(line) == width for line in lines)
        # No visible character is lost (centring drops trailing whitespace, NBSP too, as
        # rich does: a test above checks the tables against rich itself).
        assert _visible("".join(lines)) == _visible(text)


def _visible(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def test_wide_or_combining_characters_go_to_rich() -> None:
    """A CJK label (two cells a character) or a combining accent: rich measures them."""
    rows = (CountRow("1", "学校", 3, Decimal("100.00")),)
    report = Breakdown("Points by chapter", rows, 3)
    assert _plain_table(report, "Day") is None
    assert render(report, "table", "Day") == rich_text(report, "Day")
    assert "学校" in render(report, "table", "Day")
    assert _plain_table(Breakdown("Points by chapter", rows[:0], 0), "Cafe\u0301") is None
