"""The minutes model: what the minutes hold, in what order, and what they leave out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sendtui.errors import InputError, NotFoundError
from sendtui.exporters.minutes import (
    CHAPTER_KINDS,
    UNTAGGED,
    MinutesData,
    collect_minutes,
    said_in,
    terms_used,
    walk,
)
from sendtui.exporters.records import load_points
from sendtui.services.importer import import_notes
from sendtui.services.points import PointEditor
from sendtui.services.reference import GlossaryTerm
from tests.conftest import MARKUP

# An event made to test literal text, nesting and privacy: markup of every kind, a sub-point
# two levels deep, a private point with a sub-point, facilitators and every event detail.
LITERAL_NOTES = f"""# Literal text consultation
Date: 2024-03-05
Venue: Town Hall <Room 2>
Attendance: 23 parent carers & 4 officers
Scheme: indicative-2013-03
Subject: *The* [Local Offer] draft

## Green Group
Facilitator: Ann Facilitator
Note-taker: Bo Notetaker
### Q. Local Offer [draft] #
#### General Points
- {MARKUP} #4
  - *not bold* sub-point #4
    - <script>alert(1)</script> sub-sub-point
- ! # not a heading #6 @M1
- ? =1+1 what would an EHC plan cost? #4 #6
- =1+1 #0
#### SOLUTIONS
- > Key workers for every family #6
- Named child at Oak School #5
  - A sub-point of the private point #5
- 1. not a numbered list _under_ ~~struck~~ `code` &amp; \\ back

## Red Group
### Exercise 1
- + Parents felt the LA listened #2
- - @not a marker, 'quoted' & "double" #3
"""
PRIVATE_TEXT = "Named child at Oak School"


def make_literal_event(opened, config, folder: Path) -> int:
    """Import LITERAL_NOTES and mark PRIVATE_TEXT private; returns the event id."""
    notes = folder / "literal.md"
    notes.write_text(LITERAL_NOTES, encoding="utf-8")
    result = import_notes(
        opened.store, opened.reference, notes, kind_words=config.capture.kind_words.as_dict()
    )
    (private_id,) = [
        row[0]
        for row in opened.store.reader.execute(
            "SELECT id FROM point WHERE text = ?", (PRIVATE_TEXT,)
        )
    ]
    PointEditor(opened.store, result.event_id).set_private([private_id], True)
    return result.event_id


@pytest.fixture
def literal(opened, config, tmp_path: Path) -> int:
    return make_literal_event(opened, config, tmp_path)


def texts(minutes: MinutesData) -> list[str]:
    return [p.text for p in minutes.points]


def test_demo_minutes_follow_the_event(store, demo_event: int) -> None:
    minutes = collect_minutes(store, demo_event, forum_name="Anytown PCF")
    assert minutes.event.title == "SEN Code of Practice, NNPCF consultation event"
    assert minutes.event.date == dt.date(2013, 7, 8)
    assert ("Date", "8 July 2013") in minutes.details()
    assert ("Forum", "Anytown PCF") in minutes.details()
    assert [g.name for g in minutes.groups] == [
        "Green Group", "Red Group", "Gold Group", "Blue Group", "Plenary",
    ]  # fmt: skip
    green = minutes.groups[0]
    assert [t.title for t in green.topics] == ["Q. Parental support and engagement", "Exercise 1"]
    first = green.topics[0]
    assert [h.title for h in first.headings] == [
        "General Points", "Remuneration", "School and Colleges", "Key good practice issues",
    ]  # fmt: skip
    assert first.headings[0].items[0].point.text.startswith("Parents Carer Forums (PCF's)place")
    # Every point once, in the order made, under the group, topic and heading it was made in.
    tree = [
        p for g in minutes.groups for t in g.topics for h in t.headings for _, p in walk(h.items)
    ]
    assert len(tree) == len(minutes.points) == 355
    assert [p.number for p in tree] == sorted(p.number for p in tree)
    for group in minutes.groups:
        for topic in group.topics:
            for block in topic.headings:
                for _, point in walk(block.items):
                    assert (point.group, point.topic) == (group.name, topic.title)
    assert minutes.glossary  # the demo uses plenty of SEND terms


def test_questions_raised_are_every_question_with_its_group(store, demo_event: int) -> None:
    minutes = collect_minutes(store, demo_event)
    questions = [p for p in minutes.points if p.kind == "question"]
    assert minutes.questions == tuple(questions) and len(questions) > 20
    assert all(q.group for q in minutes.questions)
    last = minutes.questions[-1]
    assert last.text == "Too 'education-y' title" and said_in(last, topic=False) == "Plenary"
    assert [q.number for q in minutes.questions] == sorted(q.number for q in minutes.questions)


def test_by_chapter_lists_the_five_kinds_in_scheme_order(store, demo_event: int) -> None:
    minutes = collect_minutes(store, demo_event)
    codes = [c.code for c in minutes.chapters]
    assert codes == [*sorted(codes[:-1], key=int), ""]  # chapters in order, Untagged last
    assert minutes.chapters[-1].title == UNTAGGED
    for chapter in minutes.chapters:
        assert [k.kind for k in chapter.kinds] == [
            k for k in CHAPTER_KINDS if k in {x.kind for x in chapter.kinds}
        ]
        for kind in chapter.kinds:
            assert kind.points and all(p.kind == kind.kind for p in kind.points)
            for point in kind.points:
                tagged = {c.code for c in point.chapters}
                assert chapter.code in tagged if chapter.code else not tagged
    listed = sum(c.count for c in minutes.chapters)
    expected = sum(max(len(p.chapters), 1) for p in minutes.points if p.kind in CHAPTER_KINDS)
    assert listed == expected
    local_offer = next(c for c in minutes.chapters if c.code == "4")
    assert local_offer.title == "The Local Offer"
    assert [k.label for k in local_offer.kinds] == ["Concerns", "Questions", "Solutions"]


def test_by_chapter_order_lists_every_point(store, demo_event: int) -> None:
    minutes = collect_minutes(store, demo_event, by="chapter")
    assert minutes.chapters_title == "Points by chapter"
    assert sum(c.count for c in minutes.chapters) == minutes.breakdown.total == 355
    assert minutes.chapters[0].kinds[-1].label == "Other points"
    with pytest.raises(InputError, match="by group or by chapter"):
        collect_minutes(store, demo_event, by="kind")


def test_breakdown_is_seed_000s_table(store, demo_event: int) -> None:
    table = collect_minutes(store, demo_event).breakdown
    assert [r.code for r in table.rows] == [*"01234567", ""]
    assert table.rows[4].label == "The Local Offer" and table.rows[-1].label == UNTAGGED
    assert sum(r.count for r in table.rows) == table.total == 355
    assert table.total_percent_text == "100.00%"


def test_sub_points_nest_under_their_parent(store, literal: int) -> None:
    minutes = collect_minutes(store, literal)
    general = minutes.groups[0].topics[0].headings[0]
    assert general.title == "General Points"
    top = general.items[0]
    assert top.point.text == MARKUP
    assert [c.point.text for c in top.children] == ["*not bold* sub-point"]
    assert [(d, p.text) for d, p in walk((top,))] == [
        (0, MARKUP), (1, "*not bold* sub-point"), (2, "<script>alert(1)</script> sub-sub-point"),
    ]  # fmt: skip
    sub = top.children[0].point
    assert sub.parent == top.point.number and sub.chapters[0].title == "The Local Offer"
    assert [len(h.items) for h in minutes.groups[0].topics[0].headings] == [4, 3]


def test_private_points_are_left_out_unless_asked_for(store, literal: int) -> None:
    minutes = collect_minutes(store, literal)
    assert PRIVATE_TEXT not in texts(minutes)
    solutions = minutes.groups[0].topics[0].headings[1]
    # Its sub-point is not private: it stays, in the same place, standing on its own.
    orphan = solutions.items[1]
    assert orphan.point.text == "A sub-point of the private point" and orphan.point.parent is None
    assert minutes.breakdown.total == sum(max(len(p.chapters), 1) for p in minutes.points)
    assert all(
        PRIVATE_TEXT not in p.text for c in minutes.chapters for k in c.kinds for p in k.points
    )

    everything = collect_minutes(store, literal, include_private=True)
    assert PRIVATE_TEXT in texts(everything)
    solutions = everything.groups[0].topics[0].headings[1]
    assert [(d, p.text) for d, p in walk(solutions.items)][1:3] == [
        (0, PRIVATE_TEXT), (1, "A sub-point of the private point"),
    ]  # fmt: skip
    assert everything.breakdown.total == minutes.breakdown.total + 1


def test_details_groups_and_kinds(store, literal: int) -> None:
    minutes = collect_minutes(store, literal, forum_name="  Anytown PCF ")
    assert minutes.details() == [
        ("Forum", "Anytown PCF"), ("Date", "5 March 2024"), ("Venue", "Town Hall <Room 2>"),
        ("Subject", "*The* [Local Offer] draft"),
        ("Attendance", "23 parent carers & 4 officers"),
        ("Chapter scheme", "Indicative draft SEN Code of Practice (March 2013)"),
    ]  # fmt: skip
    green, red = minutes.groups
    assert (green.facilitator, green.note_taker) == ("Ann Facilitator", "Bo Notetaker")
    assert minutes.facilitated and not (red.facilitator or red.note_taker)
    words = {p.text: p.kind_word for p in minutes.points}
    assert words["# not a heading"] == "Concern" and words[MARKUP] == ""
    assert words["=1+1 what would an EHC plan cost?"] == "Question"
    question = next(p for p in minutes.points if p.kind == "question")
    assert [c.label for c in question.chapters] == [
        "4 The Local Offer", "6 Assessments and Education, Health and Care Plans",
    ]  # fmt: skip
    # Minutes never print markers, note-takers or times, so they do not even read them.
    concern = next(p for p in minutes.points if p.text == "# not a heading")
    assert (concern.markers, concern.note_taker, concern.created_at) == ((), "", "")
    full = {p.text: p for p in load_points(store.reader, literal)}["# not a heading"]
    assert full.markers == ("M1",) and full.note_taker == "Bo Notetaker" and full.created_at


def test_glossary_holds_the_terms_the_minutes_use(store, literal: int) -> None:
    terms = [t.term for t in collect_minutes(store, literal).glossary]
    # "EHC plan" from a point, "Local Offer" from a topic title, "LA" from a point,
    # "key worker" (alias "key workers") from a solution; sorted like a glossary.
    assert {"EHC plan", "Local Offer", "LA", "key worker"} <= set(terms)
    assert "ICB" not in terms and "tribunal" not in terms
    assert terms == sorted(terms, key=str.casefold)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The LA agreed", True),
        ("Two LAs agreed", True),
        ("la la land", False),  # acronyms match only in capitals
        ("a Local  Authority\nsaid", True),  # any case, any whitespace for phrases
        ("the localauthority", False),  # whole words only
        ("Contact us", False),  # a different term's capitalised name: not LA
    ],
)
def test_glossary_matching_rules(text: str, found: bool) -> None:
    la = GlossaryTerm("LA", "Local authority.", ("local authority", "LAs"))
    contact = GlossaryTerm("Contact", "The charity.", ("Contact a Family",))
    used = terms_used([la, contact], [text])
    assert (la in used) is found


def test_capitalised_names_need_their_capital() -> None:
    contact = GlossaryTerm("Contact", "The charity.", ())
    coproduction = GlossaryTerm("co-production", "Working together.", ("coproduction",))
    assert terms_used([contact], ["please contact me"]) == ()
    assert terms_used([contact], ["CONTACT said"]) == (contact,)
    assert terms_used([coproduction], ["real co-production, at last"]) == (coproduction,)
    assert terms_used([coproduction], ["co- production"]) == ()


def test_unknown_event_is_a_message(store) -> None:
    with pytest.raises(NotFoundError, match="no event 99"):
        collect_minutes(store, 99)


def test_minutes_read_no_member_or_payment_data(store, demo_event: int) -> None:
    seen: list[str] = []
    store.reader.set_trace_callback(seen.append)
    try:
        collect_minutes(store, demo_event, include_private=True)
    finally:
        store.reader.set_trace_callback(None)
    assert seen and not [sql for sql in seen if "member" in sql or "claim" in sql]
    assert not [sql for sql in seen if "p.note_taker" in sql or "created_at" in sql]


def test_walk_handles_any_depth_without_recursion() -> None:
    from sendtui.exporters.minutes import MinutesItem
    from sendtui.exporters.records import PointRecord

    def record(n: int) -> PointRecord:
        return PointRecord(n, n, n - 1 or None, 1, None, "G", "", "", "point", f"p{n}",
                           (), (), "", "", "", False)  # fmt: skip

    root = MinutesItem(record(1), [])
    item = root
    for n in range(2, 5001):  # far deeper than Python's recursion limit
        child = MinutesItem(record(n), [])
        item.children.append(child)
        item = child
    depths = [depth for depth, _ in walk((root,))]
    assert depths == list(range(5000))


def _blocks(store, event_id: int) -> list[tuple[str, list[str]]]:
    return [
        (block.title, [item.point.text for item in block.items])
        for group in collect_minutes(store, event_id).groups
        for topic in group.topics
        for block in topic.headings
    ]


@pytest.mark.parametrize("leading", [False, True])
def test_points_with_no_heading_after_a_headed_block_are_set_apart(
    store, event, leading: bool
) -> None:
    """`## Money`, a point, `##` alone, another point: the second point is not under Money
    (it is listed with the points made before any heading, or set apart after Money)."""
    from sendtui.exporters.minutes import NO_HEADING
    from sendtui.services.syntax import ParsedPoint

    editor = PointEditor(store, event["event"])
    place = {"group_id": event["group"], "topic_id": event["topic"]}
    if leading:
        editor.add(ParsedPoint("Before any heading"), **place)
    editor.add(ParsedPoint("Paid on time"), heading="Money", **place)
    editor.add(ParsedPoint("No heading here"), **place)
    if leading:
        expected = [("", ["Before any heading", "No heading here"]), ("Money", ["Paid on time"])]
    else:
        expected = [("Money", ["Paid on time"]), (NO_HEADING, ["No heading here"])]
    assert _blocks(store, event["event"]) == expected
