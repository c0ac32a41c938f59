"""The review filter line: the capture syntax's tokens, fields, flags, and refining."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendtui.services.point_index import Matcher
from sendtui.services.point_query import Query, ReviewRow, parse_query, review_rows


def row(i: int, text: str, **kw: object) -> ReviewRow:
    base = dict(
        id=i,
        position=i,
        group="Green Group",
        topic="Local Offer",
        heading="",
        kind="point",
        chapters=(),
        markers=(),
        section_ref="",
        text=text,
        private=False,
    )
    base.update(kw)
    return ReviewRow(**base)  # type: ignore[arg-type]


ROWS = [
    row(1, "The local offer must be clear", chapters=("4",)),
    row(2, "How will tribunals work?", kind="question", chapters=("7",), group="Red Group"),
    row(3, "Payment for parents", markers=("D4",), heading="Remuneration"),
    row(4, "Named child at a named school", private=True, suggestion="5"),
    row(5, "EHC plans need outcomes", chapters=("6", "4"), topic="EHC Plans"),
]


def select(line: str) -> list[int]:
    return [ROWS[i].id for i in Matcher(ROWS).select(parse_query(line)).rows]


def test_parse_recognises_each_kind_of_token() -> None:
    q = parse_query("Tribunal #7 #07 @d4 ? ! kind:solution g:red topic:offer h:pay untagged x")
    assert q.words == ("tribunal", "x")
    assert q.chapters == {"7"} and q.markers == {"D4"}
    assert q.kinds == {"question", "concern", "solution"}
    assert (q.group, q.topic, q.heading) == ("red", "offer", "pay")
    assert q.flags == {"untagged"}


def test_filters() -> None:
    assert select("") == [1, 2, 3, 4, 5]
    assert select("LOCAL") == [1]
    assert select("#4") == [1, 5]
    assert select("#4 #7") == [1, 2, 5]  # chapters: any of them
    assert select("?") == [2]
    assert select("@D4") == [3]
    assert select("group:red") == [2]
    assert select("topic:ehc") == [5]
    assert select("heading:remun") == [3]
    assert select("untagged") == [3, 4]
    assert select("untagged private") == [4]
    assert select("suggested") == [4]
    assert select("unmarked tagged") == [1, 2, 5]
    assert select("#4 outcomes") == [5]


@given(st.lists(st.text(alphabet="lo calfer#4?!ugt:d@D", max_size=8), max_size=12))
def test_remembered_results_match_a_fresh_search(typed: list[str]) -> None:
    """Typing and deleting goes back through earlier filters, answered from memory."""
    matcher = Matcher(ROWS, dense_min=2)
    for line in typed + typed[::-1]:
        assert matcher.select(parse_query(line)) == Matcher(ROWS).select(parse_query(line))


def test_a_changed_row_is_searched_afresh() -> None:
    rows = list(ROWS)
    matcher = Matcher(rows)
    assert [rows[i].id for i in matcher.select(parse_query("#4")).rows] == [1, 5]
    rows[2] = row(3, "Payment for parents", chapters=("4",))  # tagged in the review screen
    matcher.refresh([2])
    assert [rows[i].id for i in matcher.select(parse_query("#4")).rows] == [1, 3, 5]


def test_empty_query() -> None:
    assert Query().empty and not parse_query("x").empty


def test_rows_from_the_store(store, demo_event: int) -> None:
    rows = review_rows(store.reader, demo_event)
    assert len(rows) > 300
    assert rows[0].group == "Green Group" and rows[0].topic
    assert [r.position for r in rows] == sorted(r.position for r in rows)
    found = Matcher(rows).select(parse_query("? group:plenary")).rows
    assert found and all(rows[i].kind == "question" for i in found)


_rows_strategy = st.lists(
    st.builds(
        lambda i, text, heading, kind, chapters, markers, private, suggestion, group, c: row(
            i,
            text,
            heading=heading,
            kind=kind,
            chapters=tuple(sorted(chapters)),
            markers=tuple(sorted(markers)),
            private=private,
            suggestion=suggestion,
            group=group,
            conflicts=c,
        ),
        st.integers(0, 10_000),
        st.text("abcdé ÉLoO\n", max_size=30),
        st.sampled_from(["", "Money", "money matters"]),
        st.sampled_from(["point", "question", "concern"]),
        st.sets(st.sampled_from(["1", "4", "7"]), max_size=2),
        st.sets(st.sampled_from(["M1", "D4"]), max_size=2),
        st.booleans(),
        st.sampled_from(["", "4"]),
        st.sampled_from(["Green Group", "Red Group", "Plenary"]),
        st.integers(0, 2),
    ),
    max_size=40,
)
_line_strategy = st.lists(
    st.sampled_from(
        ["a", "b", "lo", "é", "ab", "ca", "#4", "#7", "@M1", "?", "!", "untagged", "tagged",
         "unmarked", "private", "suggested", "conflicts", "conflict", "group:red", "g:gr",
         "h:mon", "zz", "élo", "ÉL"]
    ),
    max_size=4,
).map(" ".join)  # fmt: skip


def _expected(rows: list[ReviewRow], query: Query) -> tuple[list[int], int, int]:
    """What a plain scan of every row says: the rows that match, untagged, suggested."""
    from sendtui.services.point_query import matches

    found = [i for i, r in enumerate(rows) if matches(r, query)]
    untagged = [i for i in found if not rows[i].chapters]
    return found, len(untagged), sum(1 for i in untagged if rows[i].suggestion)


def _selected(matcher: Matcher, query: Query) -> tuple[list[int], int, int]:
    found = matcher.select(query)
    return found.rows, found.untagged, found.suggested


# Small tables keep bit sets and common tokens only when these are small: 1 and 2 make
# every key (nearly) common, 64 none, so each path of the index is taken.
_dense_min = st.sampled_from([1, 2, 3, 64])


@given(rows=_rows_strategy, line=_line_strategy, more=_line_strategy, dense_min=_dense_min)
def test_select_agrees_with_matching_row_by_row(rows, line, more, dense_min) -> None:
    """The index (bit sets per tag, place and common token, the long tail's texts) gives
    exactly the rows that `matches` accepts one by one, and counts them right."""
    matcher = Matcher(rows, dense_min=dense_min)
    for text in (line, f"{line} {more}", more):
        query = parse_query(text)
        assert _selected(matcher, query) == _expected(rows, query)


@given(rows=_rows_strategy, changed=_rows_strategy, line=_line_strategy, dense_min=_dense_min)
def test_select_after_rows_change_and_arrive(rows, changed, line, dense_min) -> None:
    """Rows replaced (a tag added here) and rows appended (points from another laptop)
    are searched exactly as a Matcher built afresh would search them."""
    table = list(rows)
    matcher = Matcher(table, dense_min=dense_min)
    query = parse_query(line)
    matcher.select(query)  # remembered: refresh must forget it
    touched = []
    for n, new in enumerate(changed):
        if n < len(table) and n % 2 == 0:
            table[n] = new
            touched.append(n)
        else:
            table.append(new)
    matcher.refresh(touched)
    assert _selected(matcher, query) == _expected(table, query)


# Text where case-folding and whitespace are odd: "É"/"é", "ß" folds to "ss", "ﬁ" to "fi",
# "İ" to "i̇" (two code points), "²" stays itself; "\xa0", "\u2028" and "\x1c" are
# whitespace to str.split, "\x00" is not.
ODD = "abcdelosÉéßsSﬁfİi²2 \n\xa0\u2028\x1c\x00-#"
_odd_rows = st.lists(
    st.builds(
        lambda i, text, heading, chapters, suggestion: row(
            i, text, heading=heading, chapters=chapters, suggestion=suggestion
        ),
        st.integers(0, 10_000),
        st.text(ODD, max_size=24),
        st.text(ODD, max_size=8),
        st.sampled_from([(), ("4",)]),
        st.sampled_from(["", "4"]),
    ),
    max_size=30,
)
# One edit of the filter line: type a character, delete the last one, or paste a piece.
_edits = st.lists(
    st.one_of(
        st.tuples(st.just("type"), st.sampled_from(list(ODD + "4?:g"))),
        st.tuples(st.just("delete"), st.just("")),
        st.tuples(st.just("paste"), st.text(ODD + "#4?:@M1g", min_size=2, max_size=12)),
    ),
    max_size=25,
)


@given(rows=_odd_rows, edits=_edits, dense_min=_dense_min, cold=st.booleans())
def test_typing_deleting_and_pasting_find_what_a_full_scan_finds(
    rows, edits, dense_min, cold
) -> None:
    """Filter lines edited as a user edits them, key by key, over text with odd Unicode:
    after every edit the matcher (remembering earlier filters, or `cold`: not) selects
    exactly the rows a plain scan of every row selects."""
    matcher = Matcher(rows, dense_min=dense_min)
    line = ""
    for action, text in edits:
        line = line[:-1] if action == "delete" else line + text
        if cold:
            matcher._recent.clear()
        query = parse_query(line)
        assert _selected(matcher, query) == _expected(rows, query), line


def test_odd_unicode_matches_by_case_folding_only() -> None:
    """The rule the index keeps: case-folded substrings, nothing more ("²" is not "2")."""
    rows = [row(1, "Straße café"), row(2, "STRASSE CAFÉ"), row(3, "x² plan"), row(4, "x2")]
    for dense_min in (1, 64):
        matcher = Matcher(rows, dense_min=dense_min)
        assert [rows[i].id for i in matcher.select(parse_query("strasse")).rows] == [1, 2]
        assert [rows[i].id for i in matcher.select(parse_query("Café")).rows] == [1, 2]
        assert [rows[i].id for i in matcher.select(parse_query("x²")).rows] == [3]
        assert [rows[i].id for i in matcher.select(parse_query("x2")).rows] == [4]


def test_a_changed_row_leaves_the_common_tokens_it_no_longer_has() -> None:
    """Common tokens ("a", "ab": every token is common here) keep their rows: a row edited
    so that it no longer has one leaves it, and joins the ones it now has."""
    rows = [row(1, "ab"), row(2, "a"), row(3, "a b")]
    matcher = Matcher(rows, dense_min=1)
    assert matcher.select(parse_query("a")).rows == [0, 1, 2]
    rows[0], rows[1] = row(1, "zz"), row(2, "b")
    matcher.refresh([0, 1])
    assert matcher.select(parse_query("a")).rows == [2]
    assert matcher.select(parse_query("b")).rows == [1, 2]


def test_words_never_match_across_rows_or_tokens() -> None:
    """The long tail is one string with rows joined by NUL and tokens by spaces: a word
    holding either (never typed, but possible) is still only a substring of one row."""
    rows = [row(i, f"w{i}") for i in range(20)]
    matcher = Matcher(rows)
    assert matcher.select(Query(words=("9\x00w",))).rows == []
    assert matcher.select(Query(words=("w1",))).rows == [1, *range(10, 20)]
    spaced = [row(1, "hello local"), row(2, "hellolocal")]
    for dense_min in (1, 64):  # "hello" and "local" common, or both in the long tail
        assert Matcher(spaced, dense_min=dense_min).select(Query(words=("o l",))).rows == [0]


@pytest.mark.parametrize(
    "line", ["#²", "#٣", "#" + "9" * 5000, "@m²", "@M" + "1" * 5000, "@é3", "#-1"]
)
def test_odd_numbers_in_a_filter_are_words_not_a_crash(line: str) -> None:
    """ "²" passes isdigit() and int() refuses 5,000 digits: such a token is looked for as
    text, never read as a chapter or marker."""
    from sendtui.services.point_query import parse_query

    query = parse_query(line)
    assert not query.chapters and not query.markers
    assert query.words
