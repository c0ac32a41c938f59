"""The notes-file parser: structure, nesting, kind headings, chapter headings, errors."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sendtui.config import KindWords
from sendtui.errors import InputError, NotesError
from sendtui.models.kinds import Kind
from sendtui.services.notes import PLENARY, NotesDocument, parse_notes, split_lines
from sendtui.services.syntax import CaptureSyntax, ParsedPoint

CHAPTERS = [str(n) for n in range(8)]
MARKERS = [f"M{n}" for n in range(1, 8)] + [f"D{n}" for n in range(1, 6)]
WORDS = KindWords().as_dict()


def syntax_for(code: str | None) -> CaptureSyntax:
    if code not in (None, "indicative-2013-03", "cop-2015"):
        raise InputError(f"unknown chapter scheme '{code}'")
    return CaptureSyntax(None, CHAPTERS, MARKERS, scheme_name=code or "")


def parse(text: str) -> NotesDocument:
    return parse_notes(text, syntax_for=syntax_for, kind_words=WORDS, path="notes.md")


EXAMPLE = """\
# NNPCF Code of Practice consultation event
Date: 2013-07-08
Venue: London
Scheme: indicative-2013-03

## Green Group
Facilitator: Ann Example
Note-taker: Bea Example
### Q. Parental support and engagement
#### General Points
- Capacity remains an issue for forums. #2 @M1
  - a nested bullet is a sub-point of the bullet above
    - and deeper
- ? How do we engage with Health?
"""


def test_the_issue_example() -> None:
    doc = parse(EXAMPLE)
    assert doc.title == "NNPCF Code of Practice consultation event"
    assert doc.date == dt.date(2013, 7, 8)
    assert doc.venue == "London"
    assert doc.scheme == "indicative-2013-03"
    assert doc.groups["Green Group"].facilitator == "Ann Example"
    assert doc.groups["Green Group"].note_taker == "Bea Example"
    assert doc.topics == [("Green Group", "Q. Parental support and engagement")]
    first, nested, deeper, question = doc.points
    assert first.point == ParsedPoint(
        "Capacity remains an issue for forums.", chapters=("2",), markers=("M1",)
    )
    assert (first.heading, first.topic) == ("General Points", "Q. Parental support and engagement")
    assert nested.parent == 0 and deeper.parent == 1 and question.parent is None
    assert question.point.kind is Kind.QUESTION
    assert first.line == 11 and question.line == 14


def test_points_before_any_group_go_to_plenary() -> None:
    doc = parse("# Event\n- an opening remark\n")
    assert doc.points[0].group == PLENARY


def test_wrapped_lines_join_the_bullet() -> None:
    doc = parse("# E\n- first part\n  second part\nthird part\n")
    assert doc.points[0].point.text == "first part second part third part"


@pytest.mark.parametrize("heading", ["Questions/queries", "QUESTIONS", "Questions"])
def test_kind_word_headings(heading: str) -> None:
    doc = parse(f"# E\n## G\n### T\n#### {heading}\n- one\n- + a positive anyway\n")
    assert [p.point.kind for p in doc.points] == [Kind.QUESTION, Kind.POSITIVE]


def test_solutions_heading_and_word_boundary() -> None:
    doc = parse("# E\n## G\n#### SOLUTIONS\n- fix it\n#### Questionnaire results\n- 80%\n")
    assert [p.point.kind for p in doc.points] == [Kind.SOLUTION, Kind.POINT]


def test_chapter_heading_tags_points() -> None:
    doc = parse("# E\n## G\n### Chapter 4 The Local Offer\n- keep it current #6\n")
    assert doc.points[0].point.chapters == ("6", "4")


def test_same_group_twice_is_one_group() -> None:
    doc = parse("# E\n## Red Group\n- a\n## Blue Group\n- b\n## Red Group\n- c\n")
    assert list(doc.groups) == ["Red Group", "Blue Group"]
    assert [p.group for p in doc.points] == ["Red Group", "Blue Group", "Red Group"]


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("# E\n- ok\n- bad #99\n", 3, "no chapter 99"),
        ("# E\n- ok\n\nloose text\n", 4, "outside a bullet"),
        ("# E\nDate: 8th of July\n", 2, "not a date"),
        ("# E\nColour: red\n", 2, "unknown event detail"),
        ("# E\nScheme: nope\n- x\n", 2, "unknown chapter scheme"),
        ("# E\n- \n", 2, "empty bullet"),
        ("# E\n# F\n", 2, "second"),
        ("- x\n# E\n", 2, "must come first"),
        ("# E\n##### deep\n", 2, "only #"),
        ("# E\n## G\n### Chapter 12 x\n- y\n", 4, "chapter 12"),
        ("- no title\n", 1, "no event"),
    ],
)
def test_errors_name_the_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(NotesError) as caught:
        parse(text)
    assert any(n == line and fragment in message for n, message in caught.value.problems), (
        caught.value.problems
    )
    assert f"notes.md:{line}:" in caught.value.message
    assert "nothing was imported" in caught.value.message


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(NotesError) as caught:
        parse("# E\n- a #99\n- b @M9\n\nstray\n")
    assert [n for n, _ in caught.value.problems] == [2, 3, 5]


def test_demo_notes_parse() -> None:
    from tests.conftest import DEMO_NOTES

    doc = parse(DEMO_NOTES.read_text(encoding="utf-8"))
    assert doc.title and doc.date == dt.date(2013, 7, 8)
    assert {"Green Group", "Red Group", "Blue Group", "Gold Group", PLENARY} == set(doc.groups)
    assert len(doc.points) > 300
    questions = [p for p in doc.points if p.group == PLENARY]
    assert questions and all(p.point.kind is Kind.QUESTION for p in questions)


# -- property: any document written in the format reads back the same ---------------------------

safe_text = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85"
        ),
        min_size=1,
        max_size=30,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)


@st.composite
def documents(draw: st.DrawFn) -> list[tuple[str, str, str, ParsedPoint, int]]:
    """(group, topic, heading, point, depth) rows in file order."""
    syntax = syntax_for(None)
    rows = []
    for _ in range(draw(st.integers(1, 3))):
        group = ("G " + draw(safe_text).lstrip("#-*•· ")).strip()
        topic = "T " + draw(safe_text)
        heading = "H " + draw(safe_text)
        depth = 0
        for _ in range(draw(st.integers(1, 4))):
            text = draw(safe_text)
            point = ParsedPoint(
                text,
                draw(st.sampled_from(list(Kind))),
                tuple(draw(st.lists(st.sampled_from(CHAPTERS), unique=True, max_size=2))),
                (),
                tuple(draw(st.lists(st.sampled_from(MARKERS), unique=True, max_size=2))),
            )
            syntax.format_point(point)
            rows.append((group, topic, heading, point, depth))
            depth = draw(st.integers(0, depth + 1))
    return rows


@given(documents())
def test_written_documents_read_back(rows: list[tuple[str, str, str, ParsedPoint, int]]) -> None:
    syntax = syntax_for(None)
    lines = ["# Event"]
    last = (None, None, None)
    for group, topic, heading, point, depth in rows:
        if last[0] != group:
            lines.append(f"## {group}")
            last = (group, None, None)
        if last[1] != topic:
            lines.append(f"### {topic}")
            last = (group, topic, None)
        if last[2] != heading:
            lines.append(f"#### {heading}")
            last = (group, topic, heading)
        lines.append("  " * depth + "- " + syntax.format_point(point))
    # Headings that start with a kind word change the kind of plain points: avoided by "H ".
    doc = parse("\n".join(lines) + "\n")
    assert [p.point for p in doc.points] == [row[3] for row in rows]
    assert [(p.group, p.topic, p.heading) for p in doc.points] == [r[:3] for r in rows]


@given(st.text(max_size=400))
def test_malformed_input_gives_the_apps_error(text: str) -> None:
    try:
        parse(text)
    except NotesError as exc:
        assert exc.problems and all(n >= 1 for n, _ in exc.problems)


def problems_of(text: str, **kwargs: object) -> list[tuple[int, str]]:
    with pytest.raises(NotesError) as caught:
        parse_notes(text, syntax_for=syntax_for, kind_words=WORDS, path="n.md", **kwargs)  # type: ignore[arg-type]
    return caught.value.problems


@pytest.mark.parametrize(
    "line",
    [
        "-" + " " * 200_000,
        "- " + " " * 200_000 + "x",
        "#" + " " * 200_000,
        "# " + " " * 200_000 + "x",
        "Date" + " " * 200_000 + ":",
        "#" * 200_000,
    ],
)
def test_long_lines_are_refused_in_milliseconds(line: str) -> None:
    started = time.perf_counter()
    problems = problems_of(f"# Event\n{line}\n")
    assert time.perf_counter() - started < 0.5
    assert (2, "the line is 200,00" + problems[0][1][18:]) == problems[0]
    assert "a line can be at most 10,000" in problems[0][1]


def test_lines_just_under_the_limit_parse_linearly() -> None:
    started = time.perf_counter()
    doc = parse("# Event\n" + ("- " + " " * 9_990 + "x\n") * 20 + "## " + " " * 9_990 + "G\n")
    assert time.perf_counter() - started < 0.5
    assert [p.point.text for p in doc.points] == ["x"] * 20 and "G" in doc.groups


def test_wrapped_lines_cannot_make_a_huge_point() -> None:
    text = "# Event\n- start\n" + ("more words here\n" * 1000)
    assert problems_of(text) == [(2, "this point is longer than 10,000 characters")]


def test_lines_split_only_where_an_editor_splits_them() -> None:
    doc = parse("# Event\r\n- one\u2028still one\x0bstill\x0c\x1c\x85one\r- two\n- three #2\n")
    assert [(p.line, p.point.text) for p in doc.points] == [
        (2, "one\u2028still one\x0bstill\x0c\x1c\x85one"),
        (3, "two"),
        (4, "three"),
    ]
    assert problems_of("# Event\u2028- x\n\n- wrong #42\n")[0][0] == 3


@pytest.mark.parametrize("text", ["", "   \n\n\t\n", "\r\n"])
def test_an_empty_file_says_so_on_line_1(text: str) -> None:
    assert problems_of(text) == [(1, "the file is empty: start it with '# Event title'")]
    assert problems_of(text, default_scheme="cop-2015")[0][0] == 1


def test_no_title_names_line_1() -> None:
    problems = problems_of("\n\n- a point\n")
    assert problems[0] == (1, "no event: start the file with '# Event title' or use --event")


@pytest.mark.parametrize(
    "date",
    ["２０１３-07-08", "2013-0٧-08", "2013-07-0²", "١٩/٠٧/٢٠١٣", "99999999999999999999-01-01"],
)
def test_unicode_digits_are_not_dates(date: str) -> None:
    problems = problems_of(f"# Event\nDate: {date}\n")
    assert problems == [(2, f"Date '{date}' is not a date: use YYYY-MM-DD")]


@pytest.mark.parametrize(
    ("date", "expected"),
    [("0001-01-01", dt.date.min), ("9999-12-31", dt.date.max), ("31/12/9999", dt.date.max)],
)
def test_dates_at_the_extremes(date: str, expected: dt.date) -> None:
    assert parse(f"# Event\nDate: {date}\n- x\n").date == expected


@pytest.mark.parametrize(
    ("title", "tagged"),
    [
        ("Chapter 3 Education", ("3",)),
        ("CHAPTER\t03", ("3",)),
        ("Chapter ²", ()),
        ("Chapter ٣ Education", ()),
        ("Chapter 3rd", ()),
        ("Chapters 3", ()),
    ],
)
def test_chapter_headings_take_ascii_digits_only(title: str, tagged: tuple[str, ...]) -> None:
    doc = parse(f"# Event\n## G\n### {title}\n- x\n")
    assert doc.points[0].point.chapters == tagged


@pytest.mark.parametrize("digits", ["9223372036854775808", "9" * 5000])
def test_huge_chapter_numbers_are_one_message(digits: str) -> None:
    (problem,) = problems_of(f"# Event\n## G\n### Chapter {digits}\n- x\n")
    assert problem[0] == 4 and "names chapter" in problem[1] and len(problem[1]) < 300


LINE_PIECES = st.sampled_from(
    ["# ", "## ", "### ", "#### ", "- ", "  - ", "\t* ", "• ", "Date: ", "Scheme: ", "Venue:",
     "Facilitator: ", "Chapter ", "#1", "#99999999999999999999", "@M1", "@M9", "?", "+", "!",
     "²", "٣", "\x00", "\r", "\n", "\r\n", "\u2028", "\x85", "\x0b", " ", "\ufeff", "\x1b[2J",
     "2013-07-08", "0001-01-01", "9999-12-31", "Questions", "x", "é"]
)  # fmt: skip


@given(st.lists(st.one_of(LINE_PIECES, st.text(max_size=8)), max_size=60))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_a_document_or_notes_error(pieces: list[str]) -> None:
    text = "".join(pieces)
    for scheme in (None, "cop-2015"):
        try:
            doc = parse_notes(text, syntax_for=syntax_for, kind_words=WORDS, default_scheme=scheme)
        except NotesError as exc:
            assert exc.problems
            lines = len(split_lines(text))
            assert all(1 <= n <= max(lines, 1) for n, _ in exc.problems)
        else:
            assert doc.title is not None or scheme is not None
