"""PointEditor: every change is saved at once and can be undone and redone exactly."""

from __future__ import annotations

import pytest

from sendtui.errors import InputError, NotFoundError
from sendtui.models.kinds import Kind
from sendtui.services.events import EventService
from sendtui.services.points import PointEditor, last_root
from sendtui.services.syntax import ParsedPoint
from sendtui.store import reads


@pytest.fixture
def editor(store, event) -> PointEditor:
    return PointEditor(store, event["event"], note_taker="Bea")


def add(editor: PointEditor, event: dict[str, int], text: str, **kw: object) -> int:
    return editor.add(
        ParsedPoint(text, **kw),
        group_id=event["group"],  # type: ignore[arg-type]
        topic_id=event["topic"],
    )


def rows(store, event) -> list[reads.PointRow]:
    return reads.points(store.reader, event["event"])


def test_add_is_committed_with_tags(store, event, editor) -> None:
    point_id = editor.add(
        ParsedPoint("Capacity", Kind.CONCERN, ("2", "7"), ("7.3",), ("M1",)),
        group_id=event["group"],
        topic_id=event["topic"],
        heading="General",
    )
    other = reads.points_by_id(store.reader, [point_id])[point_id]  # a separate connection
    assert other is not None
    assert (other.text, other.kind, other.heading) == ("Capacity", "concern", "General")
    assert other.chapters == ("2", "7") and other.markers == ("M1",)
    assert other.section_ref == "7.3"


def test_add_reads_back_through_the_orm(store, event, editor) -> None:
    """add() writes on the stdlib driver; the ORM must read the very same values."""
    from datetime import UTC, datetime, timedelta

    from sendtui.models import Point

    before = datetime.now(UTC).replace(tzinfo=None)
    point_id = add(editor, event, "Read me back")
    with store.session() as s:
        point = s.get(Point, point_id)
        assert point is not None
        assert point.text == "Read me back" and point.note_taker == "Bea"
        assert point.private is False and point.deleted_at is None
        assert len(point.uuid) == 36
        created = point.created_at.replace(tzinfo=None)
        assert before - timedelta(seconds=1) <= created <= before + timedelta(minutes=1)
        assert point.updated_at == point.created_at


def test_positions_follow_the_order_points_were_made(store, event, editor) -> None:
    for text in ("one", "two", "three"):
        add(editor, event, text)
    assert [r.text for r in rows(store, event)] == ["one", "two", "three"]


def test_undo_and_redo_every_change(store, event, editor) -> None:
    first = add(editor, event, "first")
    second = add(editor, event, "second")
    editor.edit(second, ParsedPoint("second, edited", Kind.QUESTION, ("4",)))
    editor.delete([first])
    assert [r.text for r in rows(store, event)] == ["second, edited"]
    editor.undo()  # the delete
    assert [r.text for r in rows(store, event)] == ["first", "second, edited"]
    editor.undo()  # the edit
    assert rows(store, event)[1].text == "second" and rows(store, event)[1].chapters == ()
    editor.undo()  # the second add
    editor.undo()  # the first add
    assert rows(store, event) == []
    assert editor.undo() is None
    for _ in range(4):
        editor.redo()
    assert [r.text for r in rows(store, event)] == ["second, edited"]
    assert editor.redo() is None


def test_undo_brings_back_the_same_point(store, event, editor) -> None:
    point_id = add(editor, event, "keep me")
    uuid = store.reader.execute("SELECT uuid FROM point WHERE id=?", (point_id,)).fetchone()
    editor.delete([point_id])
    editor.undo()
    assert store.reader.execute("SELECT uuid FROM point WHERE id=?", (point_id,)).fetchone() == uuid


def test_new_change_clears_redo(store, event, editor) -> None:
    add(editor, event, "a")
    editor.undo()
    add(editor, event, "b")
    assert editor.redo() is None


def test_delete_takes_sub_points_and_undo_restores_them(store, event, editor) -> None:
    parent = add(editor, event, "parent")
    child = editor.add(
        ParsedPoint("child"), group_id=event["group"], topic_id=event["topic"], parent_id=parent
    )
    editor.delete([parent])
    assert rows(store, event) == []
    editor.undo()
    assert [(r.id, r.parent_id) for r in rows(store, event)] == [(parent, None), (child, parent)]


def test_move_to_another_group_and_topic(store, event, editor) -> None:
    events = EventService(store)
    red = events.add_group(event["event"], "Red Group")
    local_offer = events.add_topic(red.id, "Local Offer")
    parent = add(editor, event, "parent")
    editor.add(
        ParsedPoint("child"), group_id=event["group"], topic_id=event["topic"], parent_id=parent
    )
    editor.move([parent], group_id=red.id, topic_id=local_offer.id)
    moved = rows(store, event)
    assert {(r.group_id, r.topic_id) for r in moved} == {(red.id, local_offer.id)}
    editor.undo()
    assert {(r.group_id, r.topic_id) for r in rows(store, event)} == {
        (event["group"], event["topic"])
    }


def test_move_refuses_another_events_group(store, event, editor) -> None:
    events = EventService(store)
    other = events.create_event("Other", scheme_code="cop-2015")
    group = events.add_group(other.id, "Gold Group")
    point = add(editor, event, "x")
    with pytest.raises(NotFoundError):
        editor.move([point], group_id=group.id, topic_id=None)


def test_reorder_swaps_with_the_sibling_and_keeps_sub_points(store, event, editor) -> None:
    a = add(editor, event, "a")
    b = add(editor, event, "b")
    editor.add(ParsedPoint("b.1"), group_id=event["group"], topic_id=event["topic"], parent_id=b)
    c = add(editor, event, "c")
    editor.reorder(b, -1)
    assert [r.text for r in rows(store, event)] == ["b", "b.1", "a", "c"]
    assert editor.reorder(b, -1) is None  # already first
    editor.reorder(a, 1)
    assert [r.text for r in rows(store, event)] == ["b", "b.1", "c", "a"]
    editor.undo()
    editor.undo()
    assert [r.text for r in rows(store, event)] == ["a", "b", "b.1", "c"]
    assert c


def test_indent_and_outdent(store, event, editor) -> None:
    a = add(editor, event, "a")
    b = add(editor, event, "b")
    c = add(editor, event, "c")
    assert editor.indent(a) is None  # nothing above
    editor.indent(b)
    editor.indent(c)
    assert [(r.text, r.parent_id) for r in rows(store, event)] == [("a", None), ("b", a), ("c", a)]
    editor.outdent(b)  # b leaves a; it goes after a's remaining sub-point c
    assert [(r.text, r.parent_id) for r in rows(store, event)] == [
        ("a", None),
        ("c", a),
        ("b", None),
    ]
    editor.undo()
    assert [(r.text, r.parent_id) for r in rows(store, event)] == [("a", None), ("b", a), ("c", a)]


def test_tags_kind_heading_private(store, event, editor) -> None:
    p = add(editor, event, "x")
    q = add(editor, event, "y")
    editor.tag_chapter([p, q], "4", True)
    editor.tag_marker([p], "m3", True)
    editor.set_kind([q], Kind.SOLUTION)
    editor.set_heading([p, q], "Practical Steps")
    editor.set_private([p], True)
    first, second = rows(store, event)
    assert first.chapters == ("4",) and first.markers == ("M3",) and first.private
    assert second.kind == "solution" and second.heading == "Practical Steps"
    editor.tag_chapter([p], "4", False)
    assert rows(store, event)[0].chapters == ()
    with pytest.raises(InputError):
        editor.tag_chapter([p], "99", True)
    with pytest.raises(InputError):
        editor.tag_marker([p], "M9", True)


def test_last_root_is_where_a_nested_line_goes(store, event, editor) -> None:
    assert last_root(store, event["event"], event["group"], event["topic"]) is None
    a = add(editor, event, "a")
    editor.add(ParsedPoint("a.1"), group_id=event["group"], topic_id=event["topic"], parent_id=a)
    assert last_root(store, event["event"], event["group"], event["topic"]) == a


def test_unicode_and_huge_text_survive(store, event, editor) -> None:
    text = "日本語 café 👩‍👧 [bold]x[/] " + "y" * 10_000
    point = add(editor, event, text)
    assert reads.points_by_id(store.reader, [point])[point].text == text


def _times(store, point_id: int) -> dict[str, str]:
    import json

    raw = store.reader.execute("SELECT field_times FROM point WHERE id = ?", (point_id,))
    return json.loads(raw.fetchone()[0])


def test_every_write_stamps_the_fields_it_changed(store, event, editor) -> None:
    import time

    from sendtui.services.field_times import FIELDS

    point_id = add(editor, event, "first text")
    made = _times(store, point_id)
    assert set(made) == set(FIELDS) and len(set(made.values())) == 1
    time.sleep(0.01)
    editor.edit(point_id, ParsedPoint("second text", chapters=("2",)))
    edited = _times(store, point_id)
    changed = {field for field in FIELDS if edited[field] != made[field]}
    assert changed == {"text", "chapters"}
    time.sleep(0.01)
    editor.set_private([point_id], True)
    editor.delete([point_id])
    last = _times(store, point_id)
    assert {f for f in FIELDS if last[f] != edited[f]} == {"private", "deleted"}
    assert editor.undo() is not None  # undoing the delete is a change of "deleted" too
    assert _times(store, point_id)["deleted"] > last["deleted"]


def test_new_points_go_after_the_event_maximum(store, event, editor) -> None:
    first = add(editor, event, "one")
    second = add(editor, event, "two")
    positions = dict(store.reader.execute("SELECT id, position FROM point").fetchall())
    assert positions[second] == positions[first] + 1
