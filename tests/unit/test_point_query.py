"""The review filter line: the capture syntax's tokens, fields, flags, and refining."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sendtui.services.point_query import (
    Matcher,
    Query,
    ReviewRow,
    parse_query,
    refines,
    review_rows,
)


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
    return [ROWS[i].id for i in Matcher(ROWS).select(parse_query(line))]


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


def test_refines_only_when_narrowing() -> None:
    assert refines(parse_query("lo"), parse_query("loc"))
    assert refines(parse_query("local"), parse_query("local offer"))
    assert refines(parse_query("#4"), parse_query("#4 untagged"))
    assert not refines(parse_query("#"), parse_query("#4"))  # a word became a tag
    assert not refines(parse_query("#4"), parse_query("#4 #7"))  # more chapters: wider
    assert not refines(parse_query("untagge"), parse_query("untagged"))
    assert not refines(parse_query("g"), parse_query("g:red"))


@given(
    st.text(alphabet="lo calfer#4?!ugt:d@D", max_size=12),
    st.text(alphabet="lo calfer#4?!ugt:d@D", max_size=4),
)
def test_refined_search_gives_the_same_result(first: str, more: str) -> None:
    old, new = parse_query(first), parse_query(first + more)
    full = Matcher(ROWS).select(new)  # a fresh matcher each time: no remembered results
    if refines(old, new):
        narrowing = Matcher(ROWS)
        assert narrowing.select(new, narrowing.select(old)) == full


@given(st.lists(st.text(alphabet="lo calfer#4?!ugt:d@D", max_size=8), max_size=12))
def test_remembered_results_match_a_fresh_search(typed: list[str]) -> None:
    """Typing and deleting goes back through earlier filters, answered from memory."""
    matcher = Matcher(ROWS)
    for line in typed + typed[::-1]:
        assert matcher.select(parse_query(line)) == Matcher(ROWS).select(parse_query(line))


def test_a_changed_row_is_searched_afresh() -> None:
    rows = list(ROWS)
    matcher = Matcher(rows)
    assert [rows[i].id for i in matcher.select(parse_query("#4"))] == [1, 5]
    rows[2] = row(3, "Payment for parents", chapters=("4",))  # tagged in the review screen
    matcher.refresh([2])
    assert [rows[i].id for i in matcher.select(parse_query("#4"))] == [1, 3, 5]


def test_empty_query() -> None:
    assert Query().empty and not parse_query("x").empty


def test_rows_from_the_store(store, demo_event: int) -> None:
    rows = review_rows(store.reader, demo_event)
    assert len(rows) > 300
    assert rows[0].group == "Green Group" and rows[0].topic
    assert [r.position for r in rows] == sorted(r.position for r in rows)
    found = Matcher(rows).select(parse_query("? group:plenary"))
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


@given(rows=_rows_strategy, line=_line_strategy, narrower=_line_strategy)
def test_select_agrees_with_matching_row_by_row(rows, line, narrower) -> None:
    """The indexed search (joined text, lists per tag and place) gives exactly the rows
    that `matches` accepts one by one, fresh or narrowing an earlier result."""
    from sendtui.services.point_query import matches

    matcher = Matcher(rows)
    first = parse_query(line)
    expected = [i for i, r in enumerate(rows) if matches(r, first)]
    assert matcher.select(first) == expected
    second = parse_query(f"{line} {narrower}")
    expected2 = [i for i, r in enumerate(rows) if matches(r, second)]
    within = expected if refines(first, second) else None
    assert Matcher(rows).select(second, within) == expected2


@given(rows=_rows_strategy, changed=_rows_strategy, line=_line_strategy)
def test_select_after_rows_change_and_arrive(rows, changed, line) -> None:
    """Rows replaced (a tag added here) and rows appended (points from another laptop)
    are searched exactly as a Matcher built afresh would search them."""
    from sendtui.services.point_query import matches

    table = list(rows)
    matcher = Matcher(table)
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
    assert matcher.select(query) == [i for i, r in enumerate(table) if matches(r, query)]
