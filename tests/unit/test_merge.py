"""Merging JSON dumps by UUID: lossless round trips, idempotent merges, the newest edit of
each point winning, and bad files rejected whole with messages that name the place."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import strategies as st

from sendtui.config import Config, load_config
from sendtui.exporters.json_dump import dump_event, to_json
from sendtui.services.bootstrap import open_store
from sendtui.services.dump_check import DumpError, parse_dump
from sendtui.services.events import EventService
from sendtui.services.merge import looks_like_dump, merge_dump, merge_file
from sendtui.services.points import PointEditor
from sendtui.services.syntax import ParsedPoint
from sendtui.store import reads
from tests.conftest import MARKUP


@pytest.fixture
def other_store(config: Config, tmp_path: Path) -> Iterator:
    """A second, empty store: another laptop, or the coordinator's."""
    opened = open_store(config, tmp_path / "other.db")
    yield opened.store
    opened.store.close()


@pytest.fixture
def third_store(config: Config, tmp_path: Path) -> Iterator:
    opened = open_store(config, tmp_path / "third.db")
    yield opened.store
    opened.store.close()


def dump(store, event_id: int) -> dict:
    """A dump as it travels: through JSON text."""
    return json.loads(to_json(dump_event(store, event_id)))


def comparable(data: dict) -> dict:
    data = copy.deepcopy(data)
    del data["exported_at"], data["laptop"]  # the same event, dumped on another laptop
    return data


def state(store) -> tuple:
    conn = store.reader
    return tuple(
        conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
        for table in (
            "event",
            "discussion_group",
            "topic",
            "point",
            "point_chapter",
            "attendee",
            "apology",
            "action_item",
        )
    )


@pytest.fixture
def rich_demo(store, demo_event: int) -> int:
    """The demo event with a deleted point, a private one, nesting and markup text."""
    editor = PointEditor(store, demo_event)
    ids = [p.id for p in reads.points(store.reader, demo_event)]
    group = reads.groups(store.reader, demo_event)[0].id
    place = {"group_id": group, "topic_id": None}
    parent = editor.add(ParsedPoint(MARKUP, chapters=("4", "6"), markers=("D4",)), **place)
    editor.add(ParsedPoint("nested"), **place, parent_id=parent)
    editor.delete(ids[3:4])
    editor.set_private(ids[5:6], True)
    return demo_event


def test_round_trip_is_lossless(store, other_store, rich_demo: int) -> None:
    original = dump(store, rich_demo)
    result = merge_dump(other_store, parse_dump(original))
    assert result.created_event and result.new == len(original["points"])
    assert (result.updated, result.unchanged) == (0, 0)
    assert comparable(dump(other_store, result.event_id)) == comparable(original)


def test_merging_twice_changes_nothing(store, other_store, rich_demo: int) -> None:
    data = dump(store, rich_demo)
    first = merge_dump(other_store, parse_dump(data))
    before = state(other_store)
    again = merge_dump(other_store, parse_dump(data))
    assert (again.new, again.updated, again.unchanged) == (0, 0, len(data["points"]))
    assert not again.created_event and again.event_id == first.event_id
    assert state(other_store) == before


def test_two_laptops_merge_into_a_third(store, other_store, third_store, demo_event) -> None:
    # Laptop B starts from laptop A's event, then both add different points.
    b_event = merge_dump(other_store, parse_dump(dump(store, demo_event))).event_id
    green = reads.groups(store.reader, demo_event)[0].id
    PointEditor(store, demo_event).add(ParsedPoint("from laptop A"), group_id=green, topic_id=None)
    gold = EventService(other_store).add_group(b_event, "Gold Table")
    b_editor = PointEditor(other_store, b_event)
    b_editor.add(ParsedPoint("from laptop B"), group_id=gold.id, topic_id=None)
    a, b = dump(store, demo_event), dump(other_store, b_event)
    first = merge_dump(third_store, parse_dump(a))
    second = merge_dump(third_store, parse_dump(b))
    assert second.event_id == first.event_id
    assert (second.new, second.updated, second.new_groups) == (1, 0, 1)
    texts = [p.text for p in reads.points(third_store.reader, first.event_id)]
    assert "from laptop A" in texts and "from laptop B" in texts
    assert len(texts) == len(set(a_p["uuid"] for a_p in a["points"] + b["points"]))
    assert [g.name for g in reads.groups(third_store.reader, first.event_id)][-1] == "Gold Table"


def test_the_newest_edit_of_a_point_wins(store, other_store, demo_event: int) -> None:
    b_event = merge_dump(other_store, parse_dump(dump(store, demo_event))).event_id
    stale = dump(store, demo_event)
    target = reads.points(other_store.reader, b_event)[0]
    gone = reads.points(other_store.reader, b_event)[1]
    editor = PointEditor(other_store, b_event)
    editor.edit(target.id, ParsedPoint("edited on B", chapters=("7",)))
    editor.delete([gone.id])
    result = merge_dump(store, parse_dump(dump(other_store, b_event)))
    assert (result.new, result.updated) == (0, 2)
    rows = {p.text: p for p in reads.points(store.reader, demo_event)}
    assert rows["edited on B"].chapters == ("7",)
    assert gone.text not in rows  # the delete came across
    # An older dump does not undo the newer edit.
    older = merge_dump(store, parse_dump(stale))
    assert older.updated == 0 and "edited on B" in {
        p.text for p in reads.points(store.reader, demo_event)
    }


def test_merge_into_a_named_event(store, other_store, rich_demo: int) -> None:
    target = EventService(other_store).create_event("Collated", scheme_code="indicative-2013-03")
    result = merge_dump(other_store, parse_dump(dump(store, rich_demo)), event="Collated")
    assert result.event_id == target.id and not result.created_event
    assert EventService(other_store).get(target.id).title == "Collated"  # title kept
    wrong = EventService(other_store).create_event("Wrong scheme", scheme_code="cop-2015")
    with pytest.raises(DumpError, match="chapters cannot be mapped"):
        merge_dump(other_store, parse_dump(dump(store, rich_demo)), event=str(wrong.id))


def test_points_of_another_event_here_are_refused(store, rich_demo: int) -> None:
    other = EventService(store).create_event("Elsewhere", scheme_code="indicative-2013-03")
    before = state(store)
    with pytest.raises(DumpError, match=r"points\[0\]\.uuid: this point belongs to event"):
        merge_dump(store, parse_dump(dump(store, rich_demo)), event=str(other.id))
    assert state(store) == before


def broken(data: dict, path: str, value: object) -> dict:
    """`data` with the value at a dotted path ("points.3.text") replaced (or removed)."""
    data = copy.deepcopy(data)
    *parents, last = path.split(".")
    node: object = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]  # type: ignore[index]
    key = int(last) if isinstance(node, list) else last
    if value is REMOVE:
        del node[key]  # type: ignore[attr-defined]
    else:
        node[key] = value  # type: ignore[index]
    return data


REMOVE = object()


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("points.3.text", REMOVE, "points[3].text: missing"),
        ("points.3.text", 5, "points[3].text: must be text"),
        ("points.2.kind", "grumble", "points[2].kind: “grumble” is not one of"),
        ("points.1.uuid", "not-a-uuid", "points[1].uuid: “not-a-uuid” is not a UUID"),
        ("points.1.group", "0b5e4a4e-4c1e-4a43-8e4c-1d1b1b1b1b1b", "points[1].group: is not"),
        ("points.0.updated_at", "yesterday", "points[0].updated_at: “yesterday” is not a date"),
        ("points.0.private", "yes", "points[0].private: must be true or false"),
        ("points.0.chapters", [{"code": "42"}], "points[0].chapters[0].code: no chapter “42”"),
        ("points.0.markers", ["Z9"], "points[0].markers[0]: no marker “Z9”"),
        ("points.4", "just text", "points[4]: must be an object"),
        ("groups.0.name", "", "groups[0].name: is empty"),
        ("event.title", REMOVE, "event.title: missing"),
        ("event.scheme.code", "no-such-scheme", "no chapter scheme “no-such-scheme”"),
        ("event.date", "8th July", "event.date: “8th July” is not a date (YYYY-MM-DD)"),
        ("event.venue", ["hall"], "event.venue: must be text"),
        ("format", "something-else", "format: expected “sendtui-event”"),
        ("version", True, "version: expected one of 1, 2"),
        ("version", 4, "version: 4 is from a newer sendtui; this one reads versions up to 3"),
        ("points", {}, "points: must be a list"),
    ],
)
def test_bad_dumps_merge_nothing(
    store, other_store, demo_event: int, path: str, value: object, message: str
) -> None:
    data = broken(dump(store, demo_event), path, value)
    before = state(other_store)
    with pytest.raises(DumpError) as caught:
        merge_dump(other_store, parse_dump(data, "laptop.json"), source="laptop.json")
    assert message in caught.value.message
    assert caught.value.message.startswith("laptop.json has ") and "nothing was merged" in (
        caught.value.message
    )
    assert state(other_store) == before


def test_repeated_uuids_missing_parents_and_loops(store, other_store, demo_event: int) -> None:
    data = dump(store, demo_event)
    twice = broken(data, "points.5.uuid", data["points"][4]["uuid"])
    with pytest.raises(DumpError, match=r"points\[5\]\.uuid: repeats points\[4\]"):
        parse_dump(twice)
    orphan = broken(data, "points.6.parent", "0b5e4a4e-4c1e-4a43-8e4c-1d1b1b1b1b1b")
    with pytest.raises(DumpError, match=r"points\[6\]\.parent: no such point"):
        merge_dump(other_store, parse_dump(orphan))
    loop = broken(data, "points.6.parent", data["points"][7]["uuid"])
    loop = broken(loop, "points.7.parent", data["points"][6]["uuid"])
    with pytest.raises(DumpError, match="makes a loop"):
        parse_dump(loop)


def test_files(store, other_store, rich_demo: int, tmp_path: Path) -> None:
    path = tmp_path / "laptop.json"
    path.write_text(to_json(dump_event(store, rich_demo)), encoding="utf-8")
    assert looks_like_dump(path)
    assert merge_file(other_store, path).new > 300
    bare = tmp_path / "laptop-dump"  # no suffix: recognised by its first character
    bare.write_text("\n  " + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert looks_like_dump(bare)
    notes = tmp_path / "notes.md"
    notes.write_text("# An event\n## Green\n- a point\n", encoding="utf-8")
    assert not looks_like_dump(notes)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "sendtui-event",\n "version": 1,, }', encoding="utf-8")
    with pytest.raises(DumpError, match="line 2, column 15: not valid JSON"):
        merge_file(other_store, bad)
    with pytest.raises(DumpError, match="no such file"):
        merge_file(other_store, tmp_path / "missing.json")
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe{")
    with pytest.raises(DumpError, match="not UTF-8"):
        merge_file(other_store, binary)


def test_a_missing_object_is_one_problem(store, demo_event: int) -> None:
    data = broken(dump(store, demo_event), "event", REMOVE)
    with pytest.raises(DumpError) as caught:
        parse_dump(data)
    assert caught.value.problems == ["event: missing"]
    for value in ([], None, "text"):
        with pytest.raises(DumpError, match=r"\(top level\): must be an object"):
            parse_dump(value)


# -- field by field (issue 11) ------------------------------------------------------------


def _at(minute: int) -> str:
    from sendtui.models.base import sql_time

    return sql_time(datetime(2030, 1, 1, 10, minute, tzinfo=UTC))


def _point(store, uuid: str):
    (row,) = [
        p for p in reads.points(store.reader, _event_of(store, uuid)) if p.id == _id(store, uuid)
    ]
    return row


def _event_of(store, uuid: str) -> int:
    return store.reader.execute("SELECT event_id FROM point WHERE uuid = ?", (uuid,)).fetchone()[0]


def _id(store, uuid: str) -> int:
    return store.reader.execute("SELECT id FROM point WHERE uuid = ?", (uuid,)).fetchone()[0]


def _conflicts(store) -> list[tuple]:
    return store.reader.execute(
        "SELECT field, kept_value, other_value, other_time, source, resolved_at "
        "FROM point_conflict ORDER BY id"
    ).fetchall()


def test_a_chapter_tag_and_a_kind_change_to_one_point_both_survive(
    store, other_store, demo_event: int
) -> None:
    from tests.unit.test_merge_properties import edit

    b_event = merge_dump(other_store, parse_dump(dump(store, demo_event))).event_id
    uuid = dump(store, demo_event)["points"][0]["uuid"]
    edit(store, uuid, "chapters", ("7",), _at(1))  # laptop A tags chapter 7
    edit(other_store, uuid, "kind", "concern", _at(2))  # laptop B makes it a concern
    to_b = merge_dump(other_store, parse_dump(dump(store, demo_event)))
    to_a = merge_dump(store, parse_dump(dump(other_store, b_event)))
    assert (to_b.updated, to_a.updated) == (1, 1) and not to_a.conflicts and not to_b.conflicts
    for s in (store, other_store):
        point = _point(s, uuid)
        assert point.chapters == ("7",) and point.kind == "concern"
    assert _conflicts(store) == _conflicts(other_store) == []


def test_a_true_conflict_keeps_the_newer_value_and_records_the_other(
    config, store, other_store, demo_event: int
) -> None:
    from tests.unit.test_merge_properties import edit

    other_config = load_config(None, database=Path(str(config.database_path)))
    b_event = merge_dump(other_store, parse_dump(dump(store, demo_event))).event_id
    uuid = dump(store, demo_event)["points"][0]["uuid"]
    edit(other_store, uuid, "kind", "concern", _at(1))  # B first
    edit(store, uuid, "kind", "question", _at(2))  # A later, without having seen B's
    from_b = dump(other_store, b_event)
    from_b["laptop"]["note_taker"] = "Bea"
    result = merge_dump(store, parse_dump(from_b), source="bea.json")
    assert [(c.field, c.kept, c.other) for c in result.conflicts] == [
        ("kind", "question", "concern")
    ]
    assert "1 conflict" in result.summary() and 'kept "question"' in result.summary()
    ((name, kept, other, when, source, resolved),) = _conflicts(store)
    assert (name, json.loads(kept), json.loads(other), resolved) == (
        "kind",
        "question",
        "concern",
        None,
    )
    assert when == _at(1) and source.startswith("Bea, laptop ") and "bea.json" in source
    assert _point(store, uuid).kind == "question"
    # Merging the same dump again changes nothing, not even a second conflict row.
    before = state(store), _conflicts(store)
    again = merge_dump(store, parse_dump(from_b), source="bea.json")
    assert again.updated == 0 and (state(store), _conflicts(store)) == before
    # B gets A's newer value and lists the same conflict.
    back = merge_dump(other_store, parse_dump(dump(store, demo_event)))
    assert _point(other_store, uuid).kind == "question" and len(back.conflicts) == 1
    assert other_config is not None


def test_an_edit_made_after_seeing_the_other_laptops_value_is_no_conflict(
    store, other_store, demo_event: int
) -> None:
    from tests.unit.test_merge_properties import edit

    b_event = merge_dump(other_store, parse_dump(dump(store, demo_event))).event_id
    uuid = dump(store, demo_event)["points"][0]["uuid"]
    edit(other_store, uuid, "text", "B's wording", _at(1))
    merge_dump(store, parse_dump(dump(other_store, b_event)))  # A sees B's wording
    edit(store, uuid, "text", "A's wording, later", _at(2))
    edit(store, uuid, "text", "A's wording, later still", _at(3))
    back = merge_dump(other_store, parse_dump(dump(store, demo_event)))
    assert back.updated == 1 and not back.conflicts
    assert _point(other_store, uuid).text == "A's wording, later still"


def test_points_made_on_two_laptops_get_one_order_everywhere(
    store, other_store, demo_event: int
) -> None:
    from tests.unit.test_merge_properties import add_point

    b_event = merge_dump(other_store, parse_dump(dump(store, demo_event))).event_id
    add_point(store, demo_event, "typed on A", _at(1))
    add_point(other_store, b_event, "typed on B", _at(2))  # the same position as A's
    merge_dump(store, parse_dump(dump(other_store, b_event)))
    merge_dump(other_store, parse_dump(dump(store, demo_event)))
    order_a = [p.text for p in reads.points(store.reader, demo_event)]
    order_b = [p.text for p in reads.points(other_store.reader, b_event)]
    assert order_a == order_b and {"typed on A", "typed on B"} <= set(order_a)


def test_the_dump_names_its_laptop_and_note_taker(store, demo_event: int) -> None:
    from sendtui.services.sync import laptop_id

    first = dump_event(store, demo_event, note_taker="Bea")
    assert first["laptop"] == {"id": laptop_id(store), "note_taker": "Bea"}
    assert dump_event(store, demo_event)["laptop"]["id"] == first["laptop"]["id"]
    times = first["points"][0]["field_times"]
    assert set(times) >= {"text", "kind", "chapters", "by"}
    assert set(times["by"].values()) == {first["laptop"]["id"]}


# -- bad dumps (issue 8) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("points.3.text", "half \ud800 a character", "points[3].text: contains \\ud800"),
        ("groups.0.name", "\udfff", "groups[0].name: contains \\udfff"),
        ("points.3.text", "a\x00b", "points[3].text: contains \\x00, which is not a character"),
        ("event.title", "\x00", "event.title: contains \\x00"),
        ("points.2.position", 2**63, "points[2].position: must be a whole number from 0"),
        ("points.2.position", -1, "points[2].position: must be a whole number from 0"),
        ("groups.0.position", 10**30, "groups[0].position: must be a whole number from 0"),
        ("points.1.created_at", "0001-01-01T00:00:00+05:00", "out of range once in UTC"),
        ("points.1.updated_at", "9999-12-31T23:59:59-05:00", "out of range once in UTC"),
        ("points.1.field_times", [], "points[1].field_times: must be an object"),
        ("points.1.field_times", {"kind": "soon"}, "points[1].field_times.kind: “soon”"),
        ("points.0.markers", ["M\ud800"], "points[0].markers[0]: must be a marker code"),
        ("laptop", "me", "laptop: must be an object"),
        ("laptop", {"id": 7}, "laptop.id: must be text"),
        ("points.0.heading", {"a": 1}, "points[0].heading: must be text"),
        ("version", 1.0, "version: expected one of 1, 2"),
    ],
)
def test_odd_values_in_a_dump_are_named_and_merge_nothing(
    store, other_store, demo_event: int, path: str, value: object, message: str
) -> None:
    data = broken(dump(store, demo_event), path, value)
    before = state(other_store)
    with pytest.raises(DumpError) as caught:
        merge_dump(other_store, parse_dump(data, "laptop.json"), source="laptop.json")
    assert message in caught.value.message
    assert state(other_store) == before


def test_dates_at_the_ends_of_the_calendar_merge(store, other_store, demo_event: int) -> None:
    data = broken(dump(store, demo_event), "event.date", "0001-01-01")
    data = broken(data, "points.0.created_at", "0001-01-01T00:00:00+00:00")
    data = broken(data, "points.0.deleted_at", "9999-12-31T23:59:59.999999+00:00")
    result = merge_dump(other_store, parse_dump(data))
    assert result.created_event
    stored = other_store.reader.execute(
        "SELECT created_at, deleted_at FROM point WHERE uuid = ?", (data["points"][0]["uuid"],)
    ).fetchone()
    assert stored == ("0001-01-01 00:00:00.000000", "9999-12-31 23:59:59.999999")
    again = dump(other_store, result.event_id)
    assert again["event"]["date"] == "0001-01-01"
    assert again["points"][0]["deleted_at"] == "9999-12-31T23:59:59.999999+00:00"


def test_unreadable_dump_files_are_one_message(tmp_path: Path, other_store) -> None:
    huge = tmp_path / "huge.json"
    huge.write_text('{"format": "sendtui-event", "version": 1' + "1" * 5000 + "}", "utf-8")
    with pytest.raises(DumpError, match=r"not a sendtui dump|not valid JSON"):
        merge_file(other_store, huge)
    digits = tmp_path / "digits.json"
    digits.write_text('{"format": "sendtui-event", "version": ' + "9" * 5000 + "}", "utf-8")
    with pytest.raises(DumpError):
        merge_file(other_store, digits)
    with pytest.raises(DumpError, match="folder"):
        merge_file(other_store, tmp_path)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def _mutations(data: dict) -> st.SearchStrategy[dict]:
    """The dump with one value somewhere replaced by any JSON value."""
    paths = [
        "format", "version", "laptop", "event", "event.uuid", "event.title", "event.date",
        "event.scheme", "event.created_at", "groups", "groups.0", "groups.0.uuid",
        "groups.0.topics", "groups.0.position", "points", "points.0", "points.0.uuid",
        "points.0.group", "points.0.topic", "points.0.parent", "points.0.kind",
        "points.0.text", "points.0.chapters", "points.0.markers", "points.0.position",
        "points.0.private", "points.0.created_at", "points.0.deleted_at",
        "points.0.field_times", "points.0.field_times.kind", "points.0.field_times.by",
        "points.0.field_times.seen", "attendees", "attendees.0", "attendees.0.uuid",
        "attendees.0.name", "attendees.0.organisation", "attendees.0.role", "attendees.0.level",
        "attendees.0.count", "attendees.0.position", "apologies", "apologies.0",
        "apologies.0.uuid", "apologies.0.name", "actions", "actions.0", "actions.0.uuid",
        "actions.0.point", "actions.0.what", "actions.0.who", "actions.0.due", "actions.0.done",
        "actions.0.position",
    ]  # fmt: skip
    return st.builds(lambda p, v: broken(data, p, v), st.sampled_from(paths), odd_values)


# Values at the edges of what the checks allow, mixed with any JSON value.
odd_values = json_values | st.sampled_from(
    ["0001-01-01", "9999-12-31", "2024-02-30", "\ud800", "\x00", "\x1b[2J", "x" * 501, 0, -1,
     2**31, 10**30, 100_001, 1.5, "٣"]
)  # fmt: skip


def test_any_json_value_gives_a_dump_or_a_dump_error(store, other_store, demo_event) -> None:
    from hypothesis import given, settings

    from sendtui.errors import SendtuiError
    from sendtui.services.attendance import AttendanceService

    service = AttendanceService(store)
    service.add_attendee(demo_event, name="Ann Smith", organisation="Oak School", count=2)
    service.add_apology(demo_event, name="Bo Jones")
    service.add_action(demo_event, what="Send the draft", who="Ann", due="2024-04-01",
                       point_id=reads.points(store.reader, demo_event)[0].id)  # fmt: skip
    data = dump(store, demo_event)
    data["points"] = data["points"][:20]
    data["points"] = [p for p in data["points"] if not p["parent"]]
    data["actions"][0]["point"] = data["points"][0]["uuid"]
    assert parse_dump(data).records.actions  # the unbroken dump has each part

    @settings(max_examples=150)
    @given(st.one_of(json_values, _mutations(data)))
    def check(value: object) -> None:
        before = state(other_store)
        try:
            parsed = parse_dump(value)
        except DumpError:
            return
        try:
            merge_dump(other_store, parsed)
        except SendtuiError:
            assert state(other_store) == before

    check()
