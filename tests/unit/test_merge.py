"""Merging JSON dumps by UUID: lossless round trips, idempotent merges, the newest edit of
each point winning, and bad files rejected whole with messages that name the place."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from sendtui.config import Config
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
        for table in ("event", "discussion_group", "topic", "point", "point_chapter")
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
        ("version", True, "version: expected 1"),
        ("version", 2, "version: 2 is from a newer sendtui"),
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
