"""Attendance, apologies and actions (issue 10): recorded per event, counted by role × level,
action points listed with the recorded actions."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendtui.errors import InputError, NotFoundError
from sendtui.models.kinds import Kind
from sendtui.services.attendance import (
    MAX_COUNT,
    AttendanceService,
    parse_count,
    read_actions,
    read_apologies,
    read_attendees,
    tally,
)
from sendtui.services.points import PointEditor
from sendtui.services.syntax import ParsedPoint


def test_attendees_are_added_edited_removed_and_counted(store, event: dict[str, int]) -> None:
    service, eid = AttendanceService(store), event["event"]
    ann = service.add_attendee(eid, name=" Ann  Smith ", role="parent carer", level="co-production")
    service.add_attendee(eid, role="parent carer", level="consultation", count="12")
    service.add_attendee(eid, organisation="Anytown Council", role="council", level="information")
    nhs = service.add_attendee(eid, organisation="NHS Trust", role="health", count=3)
    rows = read_attendees(store.reader, eid)
    assert [r.label for r in rows] == [
        "Ann Smith", "12 × parent carer", "Anytown Council", "NHS Trust ×3",
    ]  # fmt: skip
    service.edit_attendee(
        nhs, name="Dr Lee", organisation="NHS Trust", role="Health", level="participation",
        count="2",
    )  # fmt: skip
    service.remove_attendee(ann)
    counted = tally(read_attendees(store.reader, eid))
    assert counted.roles == ("parent carer", "council", "health")
    assert counted.levels == ("information", "consultation", "participation")
    assert counted.total == 15 and counted.role_total("parent carer") == 12
    assert counted.lines() == [
        ["Role", "Information", "Consultation", "Participation", "Total"],
        ["Parent carer", 0, 12, 0, 12],
        ["Council", 1, 0, 0, 1],
        ["Health", 0, 0, 2, 2],
        ["Total", 1, 12, 2, 15],
    ]


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"role": "headteacher"}, "is not a role"),
        ({"level": "tokenism"}, "is not a level of involvement"),
        ({"count": "0"}, "from 1 to"),
        ({"count": "²"}, "not a number of people"),
        ({"count": "-3"}, "not a number of people"),
        ({"name": "x" * 501}, "longer than 500"),
        ({"name": "Ann \x1b[2J"}, "contains \\\\x1b, which is not a character"),
        ({"organisation": "Oak\x00"}, "contains \\\\x00"),
    ],
)
def test_bad_attendee_input_is_one_message_and_saves_nothing(
    store, event: dict[str, int], fields: dict, words: str
) -> None:
    with pytest.raises(InputError, match=words):
        AttendanceService(store).add_attendee(event["event"], **{"name": "A", **fields})
    assert read_attendees(store.reader, event["event"]) == []


@given(st.text(max_size=12) | st.integers())
def test_parse_count_gives_a_count_or_a_message(value: str | int) -> None:
    try:
        count = parse_count(value)
    except InputError:
        return
    assert 1 <= count <= MAX_COUNT and str(count) == str(value).strip().lstrip("0")


def test_apologies(store, event: dict[str, int]) -> None:
    service, eid = AttendanceService(store), event["event"]
    first = service.add_apology(eid, name="Bo Jones", organisation="Oak School")
    service.add_apology(eid, name="Cy Patel")
    service.edit_apology(first, name="Bo Jones", organisation="Elm School")
    assert [a.label for a in read_apologies(store.reader, eid)] == [
        "Bo Jones (Elm School)", "Cy Patel",
    ]  # fmt: skip
    with pytest.raises(InputError, match="Type the name"):
        service.add_apology(eid, name="  ")


def test_actions_and_action_points_make_one_list(store, event: dict[str, int]) -> None:
    service, eid = AttendanceService(store), event["event"]
    editor = PointEditor(store, eid)
    place = {"group_id": event["group"], "topic_id": event["topic"]}
    agreed = editor.add(ParsedPoint("LA to publish the Local Offer", kind=Kind.ACTION), **place)
    editor.add(ParsedPoint("Forum to survey parents", kind=Kind.ACTION), **place)
    secret = editor.add(ParsedPoint("Call Oak School about J.", kind=Kind.ACTION), **place)
    editor.set_private([secret], True)
    editor.add(ParsedPoint("Not an action"), **place)
    service.add_action(eid, what="Send the draft", who="Ann", due="2024-04-01")
    service.add_action(eid, what="Publish the Local Offer by June", who="Council", point_id=agreed)
    actions = read_actions(store.reader, eid)
    assert [(a.what, a.who, a.due) for a in actions] == [
        ("Send the draft", "Ann", dt.date(2024, 4, 1)),
        ("Publish the Local Offer by June", "Council", None),  # replaces its point
        ("Forum to survey parents", "", None),  # an action point, listed as it is
    ]
    assert actions[0].due_text == "1 April 2024"
    everything = read_actions(store.reader, eid, include_private=True)
    assert everything[-1].what == "Call Oak School about J."
    service.edit_action(actions[0].id, what="Send the draft", who="Ann", due="", done=True)
    first = read_actions(store.reader, eid)[0]
    assert first.done and first.due is None
    service.remove_action(first.id)
    assert len(read_actions(store.reader, eid)) == 2


def test_bad_actions_and_missing_rows_are_messages(store, event: dict[str, int]) -> None:
    service, eid = AttendanceService(store), event["event"]
    with pytest.raises(InputError, match="is not a date"):
        service.add_action(eid, what="x", due="next Tuesday")
    with pytest.raises(InputError, match="Type the action"):
        service.add_action(eid, what=" ")
    with pytest.raises(NotFoundError):
        service.add_action(eid, what="x", point_id=99_999)
    with pytest.raises(NotFoundError):
        service.add_attendee(99_999, name="A")
    with pytest.raises(NotFoundError, match="no longer there"):
        service.remove_apology(99_999)
    with pytest.raises(NotFoundError, match="no longer there"):
        service.edit_action(99_999, what="x")
    assert read_actions(store.reader, eid) == []


def test_deleting_an_event_takes_its_attendance_with_it(store, event: dict[str, int]) -> None:
    service, eid = AttendanceService(store), event["event"]
    service.add_attendee(eid, name="A")
    service.add_apology(eid, name="B")
    service.add_action(eid, what="C")
    with store.write_raw() as conn:
        conn.execute("DELETE FROM event WHERE id = ?", (eid,))
    for table in ("attendee", "apology", "action_item"):
        assert store.reader.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("due", "words"),
    [
        ("0001-01-01", "0001-01-01 is not a date from 1900 to 2999"),
        ("9999-12-31", "9999-12-31 is not a date from 1900 to 2999"),
        (dt.date(1899, 12, 31), "1899-12-31 is not a date from 1900"),
    ],
)
def test_a_due_date_outside_the_years_is_one_message(
    store, event: dict[str, int], due: str | dt.date, words: str
) -> None:
    """A typing slip (0024 for 2024) is caught here, as it is in a merged dump, and not left
    for a spreadsheet that cannot show it."""
    with pytest.raises(InputError, match=words):
        AttendanceService(store).add_action(event["event"], what="x", due=due)
    assert read_actions(store.reader, event["event"]) == []
    made = AttendanceService(store).add_action(event["event"], what="x", due="2999-12-31")
    with pytest.raises(InputError, match="not a date from"):
        AttendanceService(store).edit_action(made, what="x", due="3000-01-01")


def _times(store, table: str, row_id: int) -> dict[str, str]:
    import json

    raw = store.reader.execute(f"SELECT field_times FROM {table} WHERE id = ?", (row_id,))
    return json.loads(raw.fetchone()[0])


def test_an_edit_stamps_only_the_fields_it_changed(store, event: dict[str, int]) -> None:
    from sendtui.services.record_times import FIELDS

    service, eid = AttendanceService(store), event["event"]
    ann = service.add_attendee(eid, name="Ann", role="parent carer", count=12)
    made = _times(store, "attendee", ann)
    assert set(made) == set(FIELDS["attendee"]) and len(set(made.values())) == 1
    service.edit_attendee(ann, name="Ann", organisation="", role="parent carer",
                          level="consultation", count=10)  # fmt: skip
    after = _times(store, "attendee", ann)
    assert after["count"] > made["count"]
    assert {k: v for k, v in after.items() if k != "count"} == {
        k: v for k, v in made.items() if k != "count"
    }
    service.edit_attendee(ann, name="Ann", organisation="", role="parent carer",
                          level="consultation", count=10)  # fmt: skip
    assert _times(store, "attendee", ann) == after  # nothing changed: nothing stamped
    act = service.add_action(eid, what="Send", due="2024-04-01", done=True)
    first = _times(store, "action_item", act)
    service.edit_action(act, what="Send", due="2024-03-01", done=False)
    changed = _times(store, "action_item", act)
    assert [k for k in FIELDS["action_item"] if changed[k] != first[k]] == ["due", "done"]


def test_a_removal_is_a_marker_every_read_leaves_out(store, event: dict[str, int]) -> None:
    service, eid = AttendanceService(store), event["event"]
    ann = service.add_attendee(eid, name="Ann", role="parent carer", count=3)
    service.add_attendee(eid, name="Bo", role="council", count=2)
    bo = service.add_apology(eid, name="Bo")
    act = service.add_action(eid, what="Send")
    service.remove_attendee(ann)
    service.remove_apology(bo)
    service.remove_action(act)
    assert [a.name for a in read_attendees(store.reader, eid)] == ["Bo"]
    assert tally(read_attendees(store.reader, eid)).total == 2
    assert read_apologies(store.reader, eid) == [] and read_actions(store.reader, eid) == []
    for table, row_id in (("attendee", ann), ("apology", bo), ("action_item", act)):
        gone = store.reader.execute(
            f"SELECT deleted_at FROM {table} WHERE id = ?", (row_id,)
        ).fetchone()[0]
        assert gone is not None  # kept as a marker, so the removal can travel
        times = _times(store, table, row_id)
        assert times["deleted"] >= max(times.values())
    with pytest.raises(NotFoundError, match="no longer there"):
        service.edit_attendee(ann, name="Ann", organisation="", role="parent carer",
                              level="consultation", count=4)  # fmt: skip
    with pytest.raises(NotFoundError, match="no longer there"):
        service.remove_apology(bo)
    with pytest.raises(NotFoundError, match="no longer there"):
        service.edit_action(act, what="Send again")
