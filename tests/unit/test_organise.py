"""Renaming and merging groups, topics and headings: no point lost, none counted twice,
tags untouched."""

from __future__ import annotations

import pytest

from sendtui.errors import InputError, NotFoundError
from sendtui.models import Kind
from sendtui.services import organise, reports
from sendtui.services.events import EventService
from sendtui.services.points import PointEditor
from sendtui.services.syntax import ParsedPoint
from sendtui.store import reads


def snapshot(store, event_id: int) -> dict:
    """Everything that must survive a reorganisation: points (live and deleted) with their
    uuids, texts and tags, and the chapter counts."""
    conn = store.reader
    points = conn.execute(
        "SELECT id, uuid, text, deleted_at IS NOT NULL FROM point WHERE event_id = ? ORDER BY id",
        (event_id,),
    ).fetchall()
    tags = conn.execute(
        "SELECT 'c', point_id, chapter_id FROM point_chapter UNION ALL "
        "SELECT 'm', point_id, marker_id FROM point_marker ORDER BY 1, 2, 3"
    ).fetchall()
    counts = reports.chapter_breakdown(conn, event_id)
    return {"points": points, "tags": tags, "counts": [(r.code, r.count) for r in counts.rows]}


@pytest.fixture
def two_groups(store, event) -> dict:
    """Green (topics "Q. Parental…", "Local Offer") and Red (topics "local offer", "Exercise
    1"), with tagged, marked, nested and deleted points in each."""
    events = EventService(store)
    green, topic_a = event["group"], event["topic"]
    green_offer = events.add_topic(green, "Local Offer").id
    red = events.add_group(event["event"], "Red Group", facilitator="Ann").id
    red_offer = events.add_topic(red, "local offer").id
    red_ex = events.add_topic(red, "Exercise 1").id
    editor = PointEditor(store, event["event"])

    def add(text: str, group: int, topic: int | None, **tags) -> int:
        return editor.add(ParsedPoint(text, **tags), group_id=group, topic_id=topic)

    add("green q", green, topic_a, chapters=("2",))
    add("green offer", green, green_offer, chapters=("4",), markers=("M1",))
    parent = add("red offer", red, red_offer, chapters=("4", "6"))
    editor.add(ParsedPoint("red offer child"), group_id=red, topic_id=red_offer, parent_id=parent)
    add("red exercise", red, red_ex, kind=Kind.QUESTION, markers=("D4",))
    add("red loose", red, None)
    editor.delete([add("red deleted", red, red_ex, chapters=("7",))])
    return {**event, "green_offer": green_offer, "red": red, "red_offer": red_offer,
            "red_ex": red_ex}  # fmt: skip


def test_plain_group_rename(store, two_groups) -> None:
    before = snapshot(store, two_groups["event"])
    result = organise.rename_group(store, two_groups["event"], two_groups["red"], "  Red   Table ")
    assert (result.name, result.points, result.merged_into, result.merged) == (
        "Red Table", 4, None, False,
    )  # fmt: skip
    assert "Renamed the group" in result.summary()
    names = [g.name for g in reads.groups(store.reader, two_groups["event"])]
    assert names == ["Green Group", "Red Table"]
    assert snapshot(store, two_groups["event"]) == before


def test_merging_groups_moves_topics_and_points(store, two_groups) -> None:
    event_id = two_groups["event"]
    before = snapshot(store, event_id)
    result = organise.rename_group(store, event_id, two_groups["red"], "green group")
    assert result.merged and result.merged_into == two_groups["group"] and result.points == 4
    assert result.name == "Green Group"
    groups = reads.groups(store.reader, event_id)
    assert [(g.name, g.points, g.facilitator) for g in groups] == [("Green Group", 6, "Ann")]
    topics = [(t.title, t.points) for t in reads.topics(store.reader, event_id)]
    # "local offer" merged into "Local Offer"; "Exercise 1" moved across, at the end.
    assert topics == [
        ("Q. Parental support and engagement", 1),
        ("Local Offer", 3),
        ("Exercise 1", 1),
    ]
    assert snapshot(store, event_id) == before  # same points, uuids, tags and counts
    # The deleted point moved too, so undoing its delete finds a group.
    row = store.reader.execute("SELECT group_id FROM point WHERE text = 'red deleted'").fetchone()
    assert row[0] == two_groups["group"]


def test_merged_moves_are_stamped_for_later_merges(store, two_groups) -> None:
    old = store.reader.execute("SELECT updated_at FROM point WHERE text = 'red loose'").fetchone()
    organise.rename_group(store, two_groups["event"], two_groups["red"], "Green Group")
    new = store.reader.execute("SELECT updated_at FROM point WHERE text = 'red loose'").fetchone()
    assert new[0] > old[0]


def test_rename_and_merge_topics(store, two_groups) -> None:
    event_id = two_groups["event"]
    before = snapshot(store, event_id)
    plain = organise.rename_topic(store, event_id, two_groups["red_ex"], "Exercise One")
    assert (plain.merged, plain.points) == (False, 1)
    merged = organise.rename_topic(store, event_id, two_groups["red_ex"], "LOCAL OFFER")
    assert merged.merged and merged.merged_into == two_groups["red_offer"] and merged.points == 1
    titles = [(t.group_id, t.title, t.points) for t in reads.topics(store.reader, event_id)]
    assert (two_groups["red"], "local offer", 3) in titles
    assert all(title != "Exercise One" for _, title, _ in titles)
    assert snapshot(store, event_id) == before


def test_moving_a_topic_to_another_group(store, two_groups) -> None:
    event_id = two_groups["event"]
    before = snapshot(store, event_id)
    moved = organise.rename_topic(
        store, event_id, two_groups["red_ex"], "Exercise 1", group_id=two_groups["group"]
    )
    assert not moved.merged
    topic = next(t for t in reads.topics(store.reader, event_id) if t.title == "Exercise 1")
    assert topic.group_id == two_groups["group"] and topic.points == 1
    point = next(p for p in reads.points(store.reader, event_id) if p.text == "red exercise")
    assert point.group_id == two_groups["group"] and point.topic_id == topic.id
    # Moving onto a same-titled topic of the other group merges them.
    merged = organise.rename_topic(
        store, event_id, two_groups["red_offer"], "Local Offer", group_id=two_groups["group"]
    )
    assert merged.merged_into == two_groups["green_offer"] and merged.points == 2
    rows = reads.points(store.reader, event_id)
    child = next(p for p in rows if p.text == "red offer child")
    parent = next(p for p in rows if p.text == "red offer")
    assert child.parent_id == parent.id and child.topic_id == two_groups["green_offer"]
    assert snapshot(store, event_id) == before


def test_a_sub_point_left_behind_becomes_top_level(store, two_groups) -> None:
    editor = PointEditor(store, two_groups["event"])
    parent = editor.add(ParsedPoint("parent"), group_id=two_groups["red"], topic_id=None)
    child = editor.add(
        ParsedPoint("child"), group_id=two_groups["red"], topic_id=two_groups["red_ex"]
    )
    with store.write_raw() as conn:  # nested across topics, as older stores may have it
        conn.execute("UPDATE point SET parent_id = ? WHERE id = ?", (parent, child))
    organise.rename_topic(
        store, two_groups["event"], two_groups["red_ex"], "Exercise 1", group_id=two_groups["group"]
    )
    assert reads.points_by_id(store.reader, [child])[child].parent_id is None  # type: ignore[union-attr]


def test_rename_heading(store, two_groups) -> None:
    event_id = two_groups["event"]
    editor = PointEditor(store, event_id)
    ids = [p.id for p in reads.points(store.reader, event_id)]
    editor.set_heading(ids[:2], "SOLUTIONS")
    editor.set_heading(ids[2:3], "Solutions")
    before = snapshot(store, event_id)
    result = organise.rename_heading(store, event_id, "SOLUTIONS", "Solutions")
    assert result.merged and result.points == 2 and "Merged" in result.summary()
    headings = [p.heading for p in reads.points(store.reader, event_id)]
    assert headings.count("Solutions") == 3 and "SOLUTIONS" not in headings
    scoped = organise.rename_heading(
        store, event_id, "", "General Points", group_id=two_groups["red"]
    )
    assert not scoped.merged and scoped.points == 3  # red's unheaded live points only
    green_blank = [p for p in reads.points(store.reader, event_id, group_id=two_groups["group"])]
    assert all(p.heading == "Solutions" for p in green_blank)
    assert snapshot(store, event_id) == before


def test_bad_renames_are_messages(store, two_groups, event) -> None:
    event_id = two_groups["event"]
    with pytest.raises(InputError):
        organise.rename_group(store, event_id, two_groups["red"], "   ")
    with pytest.raises(NotFoundError):
        organise.rename_group(store, event_id, 9999, "x")
    other = EventService(store).create_event("Other", scheme_code="cop-2015")
    with pytest.raises(NotFoundError):
        organise.rename_group(store, other.id, two_groups["red"], "x")  # type: ignore[arg-type]
    with pytest.raises(NotFoundError):
        organise.rename_topic(store, other.id, two_groups["red_ex"], "x")  # type: ignore[arg-type]
    with pytest.raises(NotFoundError):
        organise.rename_heading(store, event_id, "No such heading", "x")
    with pytest.raises(InputError):
        organise.rename_heading(store, event_id, "Same", "Same")


def test_merge_target_and_rename_agree_by_name_key(store, event) -> None:
    """ "ÉLAN" and "élan" are one name (SQL lower() leaves É alone): the question the
    review screen asks and the rename itself use the same rule, name_key."""
    events = EventService(store)
    elan = events.add_group(event["event"], "élan  group").id
    green = event["group"]
    conn = store.reader
    assert organise.merge_target(conn, event["event"], "group", "ÉLAN GROUP", group_id=green) == (
        "élan group"  # the service keeps names cleaned (spaces collapsed)
    )
    assert organise.merge_target(conn, event["event"], "group", "Élan", group_id=green) is None
    assert organise.merge_target(conn, event["event"], "group", "élan group", group_id=elan) is None
    assert organise.merge_target(conn, event["event"], "heading", "x", group_id=green) is None
    done = organise.rename_group(store, event["event"], green, "ÉLAN GROUP")
    assert done.merged and done.merged_into == elan
    topic = event["topic"]
    other = events.add_topic(elan, "Ｌocal offer").id  # full-width L
    assert (
        organise.merge_target(
            conn, event["event"], "topic", "local OFFER", group_id=elan, topic_id=topic
        )
        == "Ｌocal offer"
    )
    assert organise.rename_topic(store, event["event"], topic, "local OFFER").merged_into == other
