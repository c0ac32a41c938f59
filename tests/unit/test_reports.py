"""Reports: seed 000's breakdown of concerns, marker coverage, groups, kinds, cross-tabs and
the minutes' lists; property tests that every count adds up and every percentage prints to
two decimals."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendtui.errors import InputError
from sendtui.models import Kind
from sendtui.models.base import new_uuid, sql_time, utcnow
from sendtui.services import reports
from sendtui.services.events import EventService
from sendtui.services.importer import import_notes
from sendtui.services.points import PointEditor
from sendtui.services.syntax import ParsedPoint

# Seed 000, "numerical breakdown of the concerns": chapter code → count.
SEED_COUNTS = {"0": 30, "1": 18, "2": 34, "3": 85, "4": 83, "5": 101, "6": 182, "7": 47}
SEED_PERCENTS = ["5.17%", "3.10%", "5.86%", "14.66%", "14.31%", "17.41%", "31.38%", "8.10%"]
NOISE_POINTS = 7  # plain points, untagged
NOISE_QUESTIONS = 3  # tagged to chapter 4


def seed_notes() -> str:
    """A notes file with seed 000's 580 concerns over two groups, plus other points."""
    lines = ["# Seed 000 concerns", "Date: 2013-07-08", "Scheme: indicative-2013-03", ""]
    groups = ["## Green Group", "## Red Group"]
    n = 0
    for code, count in SEED_COUNTS.items():
        for _ in range(count):
            if n % 290 == 0:
                lines += [groups[n // 290], "### Exercise 1"]
            lines.append(f"- ! concern number {n} #{code}")
            n += 1
    lines += [f"- plain point {i}" for i in range(NOISE_POINTS)]
    lines += [f"- ? question {i} #4" for i in range(NOISE_QUESTIONS)]
    return "\n".join(lines) + "\n"


def build_seed_event(opened, folder: Path, capture) -> int:
    """Import seed_notes(), then add a private concern and a deleted concern (both #6),
    which the minutes' counts must leave out."""
    notes = folder / "seed.md"
    notes.write_text(seed_notes(), encoding="utf-8")
    result = import_notes(
        opened.store, opened.reference, notes, kind_words=capture.kind_words.as_dict()
    )
    event_id = result.event_id
    group = EventService(opened.store).add_group(event_id, "Green Group")
    editor = PointEditor(opened.store, event_id)
    place = {"group_id": group.id, "topic_id": None}
    private = editor.add(ParsedPoint("about a named child", Kind.CONCERN, ("6",)), **place)
    editor.set_private([private], True)
    gone = editor.add(ParsedPoint("typed twice", Kind.CONCERN, ("6",)), **place)
    editor.delete([gone])
    return event_id


@pytest.fixture
def seed(opened, tmp_path: Path, config) -> int:
    return build_seed_event(opened, tmp_path, config.capture)


def test_seed_000_breakdown_of_concerns(store, seed: int) -> None:
    table = reports.chapter_breakdown(store.reader, seed, kind="concern", include_private=False)
    assert table.title == "Concerns by chapter"
    assert [r.code for r in table.rows] == list(SEED_COUNTS)
    assert [r.count for r in table.rows] == list(SEED_COUNTS.values())
    assert [r.percent_text for r in table.rows] == SEED_PERCENTS
    assert table.rows[6].label == "Assessments and Education, Health and Care Plans"
    assert (table.total, table.total_percent_text, table.notes) == (580, "100.00%", ())


def test_private_points_count_only_when_asked(store, seed: int) -> None:
    table = reports.chapter_breakdown(store.reader, seed, kind="concern")
    assert table.total == 581 and table.rows[6].count == 183  # the deleted one never counts


def test_untagged_points_have_their_own_row(store, seed: int) -> None:
    table = reports.chapter_breakdown(store.reader, seed, include_private=False)
    assert table.title == "Points by chapter"
    last = table.rows[-1]
    assert (last.code, last.label, last.count) == ("", "Untagged", NOISE_POINTS)
    assert table.rows[4].count == 83 + NOISE_QUESTIONS
    assert table.total == 580 + NOISE_POINTS + NOISE_QUESTIONS == sum(r.count for r in table.rows)


def test_a_point_in_two_chapters_counts_in_both_and_says_so(store, event) -> None:
    editor = PointEditor(store, event["event"])
    place = {"group_id": event["group"], "topic_id": event["topic"]}
    editor.add(ParsedPoint("both", Kind.CONCERN, ("4", "6")), **place)
    editor.add(ParsedPoint("one", Kind.CONCERN, ("6",)), **place)
    table = reports.chapter_breakdown(store.reader, event["event"])
    counts = {r.code: r.count for r in table.rows}
    assert counts["4"] == 1 and counts["6"] == 2 and table.total == 3
    assert [r.percent_text for r in table.rows if r.count] == ["33.33%", "66.67%"]
    assert table.notes == ("1 point is tagged to more than one chapter and counted in each.",)


def test_marker_coverage_lists_every_marker(store, event) -> None:
    editor = PointEditor(store, event["event"])
    place = {"group_id": event["group"], "topic_id": event["topic"]}
    editor.add(ParsedPoint("pay the forum", markers=("D4", "M1")), **place)
    editor.add(ParsedPoint("pay parents", markers=("D4",)), **place)
    editor.add(ParsedPoint("no marker"), **place)
    table = reports.marker_breakdown(store.reader, event["event"])
    codes = [r.code for r in table.rows]
    assert codes[:12] == ["M1", "M2", "M3", "M4", "M5", "M6", "M7", "D1", "D2", "D3", "D4", "D5"]
    counts = {r.label if not r.code else r.code: r.count for r in table.rows}
    assert counts["D4"] == 2 and counts["M1"] == 1 and counts["M2"] == 0
    assert counts["No marker"] == 1 and table.total == 4
    assert "1 point is tagged to more than one marker and counted in each." in table.notes
    assert "No points for 10 markers: M2, M3, M4, M5, M6, M7, D1, D2, D3, D5." in table.notes


def test_groups_and_kinds_list_every_one(store, seed: int) -> None:
    EventService(store).add_group(seed, "Gold Group")  # no points yet
    groups = reports.group_breakdown(store.reader, seed, include_private=False)
    assert [(r.label, r.count) for r in groups.rows] == [
        ("Green Group", 290 + 0),
        ("Red Group", 290 + NOISE_POINTS + NOISE_QUESTIONS),
        ("Gold Group", 0),
    ]
    kinds = reports.kind_breakdown(store.reader, seed, include_private=False)
    assert [r.label for r in kinds.rows] == [k.plural for k in Kind]
    assert {r.label: r.count for r in kinds.rows if r.count} == {
        "Points": NOISE_POINTS,
        "Questions": NOISE_QUESTIONS,
        "Concerns": 580,
    }
    only = reports.kind_breakdown(store.reader, seed, kind="question")
    assert only.title == "Questions by kind" and only.total == NOISE_QUESTIONS


def test_group_by_chapter_crosstab_adds_up(store, seed: int) -> None:
    table = reports.crosstab(store.reader, seed, rows="group", cols="chapter", kind="concern")
    assert table.title == "Concerns by group and chapter"
    assert [c.code for c in table.cols] == list(SEED_COUNTS)  # no untagged concerns
    assert list(table.col_totals) == [*list(SEED_COUNTS.values())[:6], 183, 47]
    assert list(table.row_totals) == [291, 290] and table.total == 581
    assert sum(table.row_totals) == sum(table.col_totals) == table.total
    assert table.count(table.rows[1].key, table.cols[7].key) == 47


def test_chapter_by_kind_crosstab(store, seed: int) -> None:
    table = reports.crosstab(store.reader, seed, rows="chapter", cols="kind", include_private=False)
    assert [c.label for c in table.cols] == [k.plural for k in Kind]
    assert table.rows[-1].label == "Untagged"
    by_chapter = reports.chapter_breakdown(store.reader, seed, include_private=False)
    assert list(table.row_totals) == [r.count for r in by_chapter.rows]
    kinds = reports.kind_breakdown(store.reader, seed, include_private=False)
    assert list(table.col_totals) == [r.count for r in kinds.rows]
    four = next(r.key for r in table.rows if r.code == "4")
    assert table.count(four, "question") == NOISE_QUESTIONS


@pytest.mark.parametrize(
    ("rows", "cols"), [("group", "group"), ("chapter", "colour"), ("weather", "kind")]
)
def test_crosstab_refuses_unknown_or_repeated_dimensions(store, seed, rows, cols) -> None:
    with pytest.raises(InputError):
        reports.crosstab(store.reader, seed, rows=rows, cols=cols)


def test_questions_in_the_order_made_with_group_and_topic(store, event) -> None:
    editor = PointEditor(store, event["event"])
    other = EventService(store).add_group(event["event"], "Red Group")
    editor.add(ParsedPoint("first?", Kind.QUESTION), group_id=other.id, topic_id=None)
    editor.add(ParsedPoint("not a question"), group_id=event["group"], topic_id=event["topic"])
    second = editor.add(
        ParsedPoint("second?", Kind.QUESTION), group_id=event["group"], topic_id=event["topic"]
    )
    gone = editor.add(ParsedPoint("gone?", Kind.QUESTION), group_id=other.id, topic_id=None)
    editor.delete([gone])
    editor.set_private([second], True)
    found = reports.questions(store.reader, event["event"])
    assert [(q.text, q.group, q.topic) for q in found] == [
        ("first?", "Red Group", ""),
        ("second?", "Green Group", "Q. Parental support and engagement"),
    ]
    assert [q.text for q in reports.questions(store.reader, event["event"], False)] == ["first?"]


def test_points_by_chapter_and_kind(store, event) -> None:
    editor = PointEditor(store, event["event"])
    place = {"group_id": event["group"], "topic_id": event["topic"]}
    editor.add(ParsedPoint("good", Kind.POSITIVE, ("4",)), **place)
    editor.add(ParsedPoint("both", Kind.CONCERN, ("4", "6")), **place)
    editor.add(ParsedPoint("fix it", Kind.SOLUTION, ("4",)), **place)
    editor.add(ParsedPoint("plain", Kind.POINT, ("4",)), **place)
    editor.add(ParsedPoint("nowhere", Kind.QUESTION), **place)
    secret = editor.add(ParsedPoint("secret", Kind.NEGATIVE, ("4",)), **place)
    editor.set_private([secret], True)
    found = reports.points_by_chapter_and_kind(store.reader, event["event"], include_private=False)
    assert [c.code for c in found] == ["0", "1", "2", "3", "4", "5", "6", "7", ""]
    four = found[4]
    assert list(four.by_kind) == ["positive", "negative", "concern", "question", "solution"]
    assert [[p.text for p in four.by_kind[k]] for k in four.by_kind] == [
        ["good"], [], ["both"], [], ["fix it"],
    ]  # fmt: skip
    assert [p.text for p in found[6].by_kind["concern"]] == ["both"]
    assert found[-1].title == "Untagged" and found[-1].count == 1
    assert found[0].count == 0
    with_plain = reports.points_by_chapter_and_kind(
        store.reader, event["event"], kinds=(*reports.BY_CHAPTER_KINDS, "point")
    )
    assert [p.text for p in with_plain[4].by_kind["point"]] == ["plain"]
    assert [p.text for p in with_plain[4].by_kind["negative"]] == ["secret"]


# -- properties ----------------------------------------------------------------------------

PERCENT = re.compile(r"^\d{1,3}\.\d{2}%$")
CODES = [str(c) for c in range(8)]
points_strategy = st.lists(
    st.tuples(
        st.sampled_from([k.value for k in Kind]),
        st.frozensets(st.sampled_from(CODES), max_size=3),
        st.booleans(),  # private
    ),
    max_size=40,
)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory):
    """One store for the property tests; each example adds its own event."""
    from sendtui.config import load_config
    from sendtui.services.bootstrap import open_store

    config = load_config(None, database=tmp_path_factory.mktemp("reports") / "p.db")
    opened = open_store(config)
    yield opened.store
    opened.store.close()


_TITLES = itertools.count(1)  # event titles are unique (by name_key): one per example


def _event_with(store, points: list[tuple[str, frozenset[str], bool]]) -> int:
    events = EventService(store)
    made = events.create_event(f"Property {next(_TITLES)}", scheme_code="indicative-2013-03")
    group = events.add_group(made.id, "Green Group")
    chapter_ids = {c.code: c.id for c in events.chapters(made.id)}
    now = sql_time(utcnow())
    with store.write_raw() as conn:
        for n, (kind, chapters, private) in enumerate(points):
            pid = conn.execute(
                "INSERT INTO point (uuid, event_id, group_id, kind, text, position, private, "
                "created_at, updated_at, heading, section_ref, note_taker) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', '')",
                (new_uuid(), made.id, group.id, kind, f"p{n}", n, private, now, now),
            ).lastrowid
            conn.executemany(
                "INSERT INTO point_chapter (point_id, chapter_id) VALUES (?, ?)",
                [(pid, chapter_ids[code]) for code in chapters],
            )
    return made.id


@given(points=points_strategy, include_private=st.booleans())
def test_chapter_counts_add_up_and_print_two_decimals(
    shared, points, include_private: bool
) -> None:
    event_id = _event_with(shared, points)
    counted = [p for p in points if include_private or not p[2]]
    table = reports.chapter_breakdown(shared.reader, event_id, include_private=include_private)
    expected = Counter(code for _, chapters, _ in counted for code in chapters)
    untagged = sum(1 for _, chapters, _ in counted if not chapters)
    assert {r.code: r.count for r in table.rows if r.code} == {c: expected[c] for c in CODES}
    assert [r.count for r in table.rows if not r.code] == ([untagged] if untagged else [])
    assert table.total == sum(r.count for r in table.rows) == sum(expected.values()) + untagged
    assert all(PERCENT.match(r.percent_text) for r in table.rows)
    assert table.total_percent_text == ("100.00%" if table.total else "0.00%")
    # Rounded shares add to 100 within half a hundredth per row.
    if table.total:
        drift = abs(sum(r.percent for r in table.rows) - Decimal(100))
        assert drift <= Decimal("0.005") * len(table.rows)
    multi = sum(1 for _, chapters, _ in counted if len(chapters) > 1)
    assert bool(table.notes) == bool(multi)
    if multi:
        assert table.notes[0].startswith(f"{multi} point")


@given(points=points_strategy)
def test_chapter_by_kind_cells_match_and_totals_add_up(shared, points) -> None:
    event_id = _event_with(shared, points)
    table = reports.crosstab(shared.reader, event_id, rows="chapter", cols="kind")
    expected: Counter[tuple[str, str]] = Counter()
    for kind, chapters, _ in points:
        for code in chapters or {""}:
            expected[(code, kind)] += 1
    for r, row in enumerate(table.rows):
        for c, col in enumerate(table.cols):
            assert table.cells[r][c] == expected[(row.code, col.key)]
    assert sum(table.row_totals) == sum(table.col_totals) == table.total
    assert table.total == sum(expected.values())


@given(counts=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12))
def test_percent_prints_two_decimals_for_any_counts(counts: list[int]) -> None:
    total = sum(counts)
    rows = [
        reports.CountRow(str(i), "x", n, reports.percent(n, total)) for i, n in enumerate(counts)
    ]
    table = reports.Breakdown("t", tuple(rows), total)
    assert all(PERCENT.match(r.percent_text) for r in rows)
    assert table.total_percent_text == ("100.00%" if total else "0.00%")
    if total:
        assert all(Decimal(0) <= r.percent <= Decimal(100) for r in rows)
