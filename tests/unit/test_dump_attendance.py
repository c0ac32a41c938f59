"""Attendees, apologies and actions in the JSON dump (version 3: with change times and
removals): written losslessly, checked with one message per problem, merged by UUID (or
name) without doubling, field by field by change time, on both backends."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from sendtui.config import Config
from sendtui.exporters.json_dump import dump_event, to_json
from sendtui.models.kinds import Kind
from sendtui.services.attendance import (
    AttendanceService,
    read_actions,
    read_apologies,
    read_attendees,
)
from sendtui.services.bootstrap import open_store
from sendtui.services.dump_check import DumpError, parse_dump
from sendtui.services.merge import merge_dump
from sendtui.services.points import PointEditor
from sendtui.services.record_times import FIELDS
from sendtui.services.syntax import ParsedPoint
from sendtui.store import reads


@pytest.fixture
def other(config: Config, tmp_path: Path) -> Iterator:
    """Another laptop's store (SQLite)."""
    opened = open_store(config, tmp_path / "other.db")
    yield opened.store
    opened.store.close()


def dump(store, event_id: int) -> dict:
    return json.loads(to_json(dump_event(store, event_id)))


def comparable(data: dict) -> dict:
    data = copy.deepcopy(data)
    del data["exported_at"], data["laptop"]
    return data


def attendance(store, event_id: int) -> tuple:
    """The event's attendance as the minutes read it, with each record's UUID."""
    conn = store.reader
    sql = "SELECT uuid FROM {} WHERE event_id = ? ORDER BY position, uuid"
    uuids = tuple(
        conn.execute(sql.format(t), (event_id,)).fetchall()
        for t in ("attendee", "apology", "action_item")
    )
    actions = [
        (a.what, a.who, a.due, a.done, a.point_id is not None)
        for a in read_actions(conn, event_id)
        if a.id is not None
    ]
    return (
        [
            (a.name, a.organisation, a.role, a.level, a.count)
            for a in read_attendees(conn, event_id)
        ],
        [(a.name, a.organisation) for a in read_apologies(conn, event_id)],
        actions,
        uuids,
    )


def tables(store) -> tuple:
    conn = store.reader
    return tuple(
        conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
        for t in ("attendee", "apology", "action_item", "point")
    )


@pytest.fixture
def recorded(store, event: dict[str, int]) -> dict[str, int]:
    """The test event with a point, two attendees, an apology and two actions."""
    eid = event["event"]
    service = AttendanceService(store)
    point = PointEditor(store, eid).add(
        ParsedPoint("LA to publish the Local Offer", kind=Kind.ACTION),
        group_id=event["group"],
        topic_id=event["topic"],
    )
    service.add_attendee(eid, name="Zoë Ng", organisation="Oak School", role="school",
                         level="co-production")  # fmt: skip
    service.add_attendee(eid, role="parent carer", level="participation", count=12)
    service.add_apology(eid, name="Bo Jones", organisation="NHS Trust")
    service.add_action(eid, what="Send the draft", who="Ann", due="2024-04-01", done=True)
    service.add_action(eid, what="Publish it by June", who="Council", point_id=point)
    return {**event, "point": point}


def without_times(records: list[dict], fields: tuple[str, ...]) -> list[dict]:
    """The records without `field_times` and `deleted_at`, having checked that every field
    has a time and none is removed."""
    out = []
    for record in records:
        record = dict(record)
        assert set(record.pop("field_times")) == set(fields)
        assert record.pop("deleted_at") is None
        out.append(record)
    return out


def test_the_dump_carries_attendance_apologies_and_actions(store, recorded) -> None:
    data = dump(store, recorded["event"])
    assert data["version"] == 3
    data["attendees"] = without_times(data["attendees"], FIELDS["attendee"])
    data["apologies"] = without_times(data["apologies"], FIELDS["apology"])
    data["actions"] = without_times(data["actions"], FIELDS["action_item"])
    point_uuid = data["points"][0]["uuid"]
    uuids = {
        t: [r[0] for r in store.reader.execute(f"SELECT uuid FROM {t} ORDER BY position")]
        for t in ("attendee", "apology", "action_item")
    }
    assert data["attendees"] == [
        {"uuid": uuids["attendee"][0], "name": "Zoë Ng", "organisation": "Oak School",
         "role": "school", "level": "co-production", "count": 1, "position": 1},
        {"uuid": uuids["attendee"][1], "name": "", "organisation": "", "role": "parent carer",
         "level": "participation", "count": 12, "position": 2},
    ]  # fmt: skip
    assert data["apologies"] == [
        {"uuid": uuids["apology"][0], "name": "Bo Jones", "organisation": "NHS Trust",
         "position": 1},
    ]  # fmt: skip
    assert data["actions"] == [
        {"uuid": uuids["action_item"][0], "point": None, "what": "Send the draft",
         "who": "Ann", "due": "2024-04-01", "done": True, "position": 1},
        {"uuid": uuids["action_item"][1], "point": point_uuid, "what": "Publish it by June",
         "who": "Council", "due": None, "done": False, "position": 2},
    ]  # fmt: skip


def test_the_json_text_is_what_the_standard_encoder_writes(store, recorded) -> None:
    """msgspec writes it; the text is byte for byte json.dumps(indent=2), so deterministic."""
    data = dump_event(store, recorded["event"])
    text = to_json(data)
    assert text == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    assert (
        to_json(dump_event(store, recorded["event"])).split('"exported_at"')[0]
        == (text.split('"exported_at"')[0])
    )


def test_a_round_trip_through_another_store_is_lossless(opened_any, recorded, other) -> None:
    """Dumped from a store on either backend, merged into another, dumped again: the same
    file; and what the other laptop adds comes back."""
    store, eid = opened_any.store, recorded["event"]
    original = dump(store, eid)
    result = merge_dump(other, parse_dump(original))
    assert result.created_event
    assert result.records.new == {"attendee": 2, "apology": 1, "action_item": 2}
    assert "2 new attendees, 1 new apology, 2 new actions" in result.summary()
    assert comparable(dump(other, result.event_id)) == comparable(original)
    assert attendance(other, result.event_id) == attendance(store, eid)
    before = tables(other)
    again = merge_dump(other, parse_dump(original))
    assert tables(other) == before
    assert not again.records.new and not again.records.updated and not again.records.conflicts

    AttendanceService(other).add_apology(result.event_id, name="Cy Patel")
    back = _merge(store, other, result.event_id)
    assert back.records.new == {"apology": 1} and not back.records.conflicts
    assert comparable(dump(store, eid)) == comparable(dump(other, result.event_id))
    before = tables(store)
    _merge(store, other, result.event_id)
    assert tables(store) == before


def test_a_version_1_dump_without_the_sections_still_merges(store, recorded, other) -> None:
    data = dump(store, recorded["event"])
    data["version"] = 1
    for key in ("attendees", "apologies", "actions"):
        del data[key]
    result = merge_dump(other, parse_dump(data))
    assert result.new == 1 and not result.records.new
    assert read_attendees(other.reader, result.event_id) == []


def test_a_newer_version_is_refused(store, recorded) -> None:
    data = dump(store, recorded["event"])
    data["version"] = 4
    with pytest.raises(
        DumpError, match="4 is from a newer sendtui; this one reads versions up to 3"
    ):
        parse_dump(data)


HUGE = 10**30
NOW = "2026-11-29T10:00:00+00:00"
EARLY, LATE = "2000-01-01T00:00:00+00:00", "2999-01-01T00:00:00+00:00"


@pytest.mark.parametrize(
    ("path", "value", "words"),
    [
        ("attendees", "x", "attendees: must be a list"),
        ("attendees.0", 5, "attendees[0]: must be an object"),
        ("attendees.0.uuid", "nope", "attendees[0].uuid: “nope” is not a UUID"),
        ("attendees.0.uuid", None, "attendees[0].uuid: missing"),
        ("attendees.0.count", -3, "attendees[0].count: must be a number of people from 1 to"),
        ("attendees.0.count", 0, "attendees[0].count: must be a number of people from 1 to"),
        ("attendees.0.count", HUGE, "attendees[0].count: must be a number of people from 1 to"),
        ("attendees.0.count", 2.5, "attendees[0].count: must be a whole number of people"),
        ("attendees.0.count", True, "attendees[0].count: must be a whole number of people"),
        ("attendees.0.count", "12", "attendees[0].count: must be a whole number of people"),
        ("attendees.0.count", None, "attendees[0].count: missing"),
        ("attendees.0.role", None, "attendees[0].role: missing"),
        ("attendees.0.role", "  ", "attendees[0].role: is empty"),
        ("attendees.0.level", ["a"], "attendees[0].level: must be text"),
        ("attendees.0.name", "\ud800", "attendees[0].name: contains \\ud800, half of a char"),
        ("attendees.0.name", "\x1b[31mred", "attendees[0].name: contains \\x1b, which is not"),
        ("attendees.0.name", "\x00", "attendees[0].name: contains \\x00, which is not"),
        ("attendees.0.organisation", "x" * 501, "attendees[0].organisation: is longer than 500"),
        ("attendees.0.position", -1, "attendees[0].position: must be a whole number from 0"),
        ("attendees.0.position", HUGE, "attendees[0].position: must be a whole number from 0"),
        ("attendees.0.position", 2**31, "attendees[0].position: must be a whole number from 0"),
        ("attendees.0.position", 1.0, "attendees[0].position: must be a whole number"),
        ("apologies.0.name", None, "apologies[0].name: missing"),
        ("apologies.0.name", "", "apologies[0].name: is empty"),
        ("apologies.0", [], "apologies[0]: must be an object"),
        ("actions", {}, "actions: must be a list"),
        ("actions.0.what", 7, "actions[0].what: must be text"),
        ("actions.0.due", "0001-01-01", "actions[0].due: 0001-01-01 is not a date from 1900 to"),
        ("actions.0.due", "9999-12-31", "actions[0].due: 9999-12-31 is not a date from 1900 to"),
        ("actions.0.due", "2024-02-30", "actions[0].due: “2024-02-30” is not a date"),
        ("actions.0.due", 20240401, "actions[0].due: “int” is not a date"),
        ("actions.0.done", "yes", "actions[0].done: must be true or false"),
        ("actions.0.point", "nope", "actions[0].point: “nope” is not a UUID"),
        ("actions.0.point", 3, "actions[0].point: must be a UUID"),
        ("attendees.0.field_times", [], "attendees[0].field_times: must be an object"),
        ("attendees.0.field_times.name", "soon", "attendees[0].field_times.name: “soon” is"),
        ("attendees.0.field_times.name", 5, "attendees[0].field_times.name: “int” is not a"),
        ("attendees.0.field_times.what", NOW, "attendees[0].field_times.what: is not one of"),
        ("apologies.0.deleted_at", "Tuesday", "apologies[0].deleted_at: “Tuesday” is not a"),
        ("apologies.0.deleted_at", EARLY, "apologies[0].deleted_at: is set, but a field"),
        ("actions.0.field_times.deleted", LATE, "actions[0].deleted_at: missing: field_times"),
    ],
)
def test_each_bad_value_is_one_message_and_merges_nothing(
    store, recorded, other, path: str, value: object, words: str
) -> None:
    data = dump(store, recorded["event"])
    *parents, last = path.split(".")
    target: object = data
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]  # type: ignore[index]
    if isinstance(target, list):
        target[int(last)] = value
    elif value is None:
        target.pop(last)  # type: ignore[union-attr]
    else:
        target[last] = value  # type: ignore[index]
    before = tables(other)
    with pytest.raises(DumpError) as caught:
        merge_dump(other, parse_dump(data))
    assert len(caught.value.problems) == 1, caught.value.problems
    assert caught.value.problems[0].startswith(words), caught.value.problems
    assert tables(other) == before


def test_a_repeated_uuid_is_named(store, recorded) -> None:
    data = dump(store, recorded["event"])
    data["attendees"][1]["uuid"] = data["attendees"][0]["uuid"]
    with pytest.raises(DumpError, match=r"attendees\[1\].uuid: repeats attendees\[0\]"):
        parse_dump(data)


def test_records_that_do_not_fit_this_store_merge_nothing(store, recorded, other) -> None:
    data = dump(store, recorded["event"])
    lost = copy.deepcopy(data)
    lost["actions"][1]["point"] = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(DumpError, match=r"actions\[1\].point: no such point in the file"):
        merge_dump(other, parse_dump(lost))
    assert tables(other) == ([], [], [], [])
    merge_dump(other, parse_dump(data))
    moved = copy.deepcopy(data)  # the same attendee in another event here
    moved["event"].update(uuid="00000000-0000-4000-8000-000000000001", title="Elsewhere")
    moved["points"], moved["apologies"], moved["actions"] = [], [], []
    before = tables(other)
    with pytest.raises(DumpError, match=r"attendees\[0\].uuid: this attendee belongs to event"):
        merge_dump(other, parse_dump(moved))
    assert tables(other) == before


def _merge(into, source, event_id: int):
    return merge_dump(into, parse_dump(dump(source, event_id)))


def test_the_same_people_typed_on_two_laptops_are_one(store, event, other) -> None:
    eid = event["event"]
    first = _merge(other, store, eid).event_id  # both laptops have the (empty) event
    AttendanceService(store).add_attendee(eid, name="Ann Smith", role="parent carer")
    AttendanceService(store).add_attendee(eid, role="council", count=3)
    AttendanceService(other).add_attendee(first, name="ann  SMITH", role="Parent carer")
    AttendanceService(other).add_attendee(first, role="council", count=3)
    AttendanceService(store).add_apology(eid, name="Bo Jones")
    AttendanceService(other).add_apology(first, name="bo jones")
    _merge(store, other, first)
    _merge(other, store, eid)
    here, there = attendance(store, eid), attendance(other, first)
    assert here == there
    names = [a[0] for a in here[0]]
    # Ann once (the name that sorts last kept), the two "3 × council" entries both kept.
    assert names.count("ann SMITH") == 1 and "Ann Smith" not in names
    assert [a[4] for a in here[0] if a[2] == "council"] == [3, 3]
    assert here[1] == [("bo jones", "")]


def _both_ways(store, other, eid: int, copy_id: int) -> None:
    _merge(store, other, copy_id)
    _merge(other, store, eid)
    assert attendance(store, eid) == attendance(other, copy_id)
    before = (tables(store), tables(other))
    _merge(store, other, copy_id)
    _merge(other, store, eid)
    assert (tables(store), tables(other)) == before


def test_a_later_correction_survives_a_merge_with_the_old_value(store, recorded, other) -> None:
    """A count lowered, an action un-ticked, a date moved earlier: the later change wins on
    both laptops; each field on its own (their later level, my later count)."""
    eid = recorded["event"]
    copy_id = _merge(other, store, eid).event_id
    mine, theirs = AttendanceService(store), AttendanceService(other)
    here = read_attendees(store.reader, eid)[1]
    there = read_attendees(other.reader, copy_id)[1]
    theirs.edit_attendee(there.id, name="", organisation="", role="parent carer",
                         level="participation", count=14)  # fmt: skip
    mine.edit_attendee(here.id, name="", organisation="", role="parent carer",
                       level="participation", count=10)  # fmt: skip
    theirs.edit_attendee(there.id, name="", organisation="", role="parent carer",
                         level="co-production", count=14)  # fmt: skip
    done = read_actions(store.reader, eid)[0]
    assert done.done is True
    mine.edit_action(done.id, what=done.what, who=done.who, due="2024-03-01", done=False)
    result = _merge(store, other, copy_id)
    assert not result.records.conflicts and "difference" not in result.summary()
    assert "1 attendance record updated" in result.summary()
    _both_ways(store, other, eid, copy_id)
    for conn, event_id in ((store.reader, eid), (other.reader, copy_id)):
        kept = read_attendees(conn, event_id)[1]
        assert (kept.level, kept.count) == ("co-production", 10)
        action = read_actions(conn, event_id)[0]
        assert (action.done, action.due) == (False, dt.date(2024, 3, 1))


def test_values_without_times_are_older_than_any_change(store, recorded, other) -> None:
    """A version 2 dump has no times: a change made here since wins over its values; two
    copies without times keep the greater value, and the difference is listed."""
    eid = recorded["event"]
    old = dump(store, eid)
    old["version"] = 2
    for key in ("attendees", "apologies", "actions"):
        for record in old[key]:
            del record["field_times"], record["deleted_at"]
    here = read_attendees(store.reader, eid)[1]
    AttendanceService(store).edit_attendee(here.id, name="", organisation="",
                                           role="parent carer", level="participation",
                                           count=10)  # fmt: skip
    result = merge_dump(store, parse_dump(old))
    assert read_attendees(store.reader, eid)[1].count == 10 and not result.records.conflicts
    copy_id = merge_dump(other, parse_dump(old)).event_id  # no times at all there
    lowered = copy.deepcopy(old)
    lowered["attendees"][1]["count"] = 9
    merged = merge_dump(other, parse_dump(lowered))
    assert read_attendees(other.reader, copy_id)[1].count == 12
    assert "count: kept 12, the other was 9" in merged.summary()


def test_a_removal_travels_and_a_later_edit_brings_the_record_back(store, recorded, other) -> None:
    eid = recorded["event"]
    copy_id = _merge(other, store, eid).event_id
    mine, theirs = AttendanceService(store), AttendanceService(other)
    theirs.edit_apology(
        read_apologies(other.reader, copy_id)[0].id, name="Bo Jones", organisation="Oak School"
    )  # fmt: skip  (earlier than the removal)
    mine.remove_apology(read_apologies(store.reader, eid)[0].id)
    mine.remove_attendee(read_attendees(store.reader, eid)[0].id)
    mine.remove_action(read_actions(store.reader, eid)[0].id)
    result = _merge(other, store, eid)
    assert "3 attendance records removed" in result.summary()
    _both_ways(store, other, eid, copy_id)
    for conn, event_id in ((store.reader, eid), (other.reader, copy_id)):
        assert read_apologies(conn, event_id) == []
        assert [a.count for a in read_attendees(conn, event_id)] == [12]
        assert [a.what for a in read_actions(conn, event_id)] == ["Publish it by June"]
        # The removed records stay as markers, so an older copy cannot bring them back.
        assert conn.execute("SELECT count(*) FROM apology WHERE deleted_at IS NOT NULL"
                            ).fetchone()[0] == 1  # fmt: skip
    # The minutes and the dump's present records agree.
    data = dump(other, copy_id)
    assert [a["deleted_at"] is not None for a in data["apologies"]] == [True]

    # An edit made after the removal (on a laptop that had not heard of it) wins.
    removed = other.reader.execute(
        "SELECT id FROM attendee WHERE deleted_at IS NOT NULL"
    ).fetchone()[0]
    third = dump(store, eid)
    gone = next(a for a in third["attendees"] if a["deleted_at"])
    gone["deleted_at"] = None
    gone["field_times"] = {k: v for k, v in gone["field_times"].items() if k != "deleted"}
    gone["count"] = 2
    gone["field_times"]["count"] = "2999-01-01 00:00:00.000000"
    merge_dump(other, parse_dump(third))
    back = [a for a in read_attendees(other.reader, copy_id) if a.id == removed]
    assert [a.count for a in back] == [2]


def test_an_action_made_from_the_same_point_on_two_laptops_is_one(store, recorded, other) -> None:
    eid = recorded["event"]
    copy_id = _merge(other, store, eid).event_id
    point_there = reads.points(other.reader, copy_id)[0].id
    AttendanceService(store).add_action(eid, what="Publish", point_id=recorded["point"])
    AttendanceService(other).add_action(copy_id, what="Publish", who="LA", point_id=point_there)
    _merge(store, other, copy_id)
    _merge(other, store, eid)
    assert attendance(store, eid) == attendance(other, copy_id)
    linked = [a for a in attendance(store, eid)[2] if a[4]]
    assert len(linked) == 2  # the one from before, and the one made on both laptops


def test_importing_a_dump_file_says_what_came(store, recorded, tmp_path: Path, capsys) -> None:
    from sendtui.cli import main

    path = tmp_path / "green.json"
    path.write_text(to_json(dump_event(store, recorded["event"])), encoding="utf-8")
    target = ["--db", str(tmp_path / "coordinator.db")]
    assert main([*target, "import", str(path)]) == 0
    assert "2 new attendees, 1 new apology, 2 new actions" in capsys.readouterr().out
    assert main([*target, "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "0 new points" in out and "new attendee" not in out and "difference" not in out
