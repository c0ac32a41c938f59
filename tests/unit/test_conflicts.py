"""Merge conflicts settled by hand: restore the other laptop's value, or keep ours."""

from __future__ import annotations

import json

import pytest

from sendtui.errors import InputError, NotFoundError
from sendtui.models.base import sql_time, utcnow
from sendtui.services import conflicts
from sendtui.services import field_times as ft
from sendtui.services.points import PointEditor
from sendtui.services.syntax import ParsedPoint
from sendtui.store import reads


def add_conflict(store, point_id: int, field: str, kept, other, source="Red laptop") -> int:
    with store.write_raw() as conn:
        return conn.execute(
            "INSERT INTO point_conflict (point_id, field, kept_value, other_value, other_time, "
            "source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (point_id, field, json.dumps(kept), json.dumps(other), "2020-01-01 10:00:00.000000",
             source, sql_time(utcnow())),
        ).fetchone()[0]  # fmt: skip


@pytest.fixture
def point(store, event) -> int:
    editor = PointEditor(store, event["event"])
    return editor.add(
        ParsedPoint("Who pays for transport?"), group_id=event["group"], topic_id=event["topic"]
    )


def test_restore_writes_the_other_value_and_stamps_the_field(store, event, point) -> None:
    kind = add_conflict(store, point, "kind", "point", "question")
    tags = add_conflict(store, point, "chapters", [], ["4", "7"])
    assert conflicts.unresolved_counts(store.reader, event["event"]) == {point: 2}
    listed = conflicts.for_point(store.reader, point)
    assert [c.field for c in listed] == ["kind", "chapters"]
    assert (
        listed[0].describe() == "kind: kept “point”; the other laptop (Red laptop) had “question”"
    )
    conflicts.restore(store, kind)
    conflicts.restore(store, tags)
    row = reads.points_by_id(store.reader, [point])[point]
    assert row.kind == "question" and row.chapters == ("4", "7")
    (times,) = store.reader.execute(
        "SELECT field_times FROM point WHERE id = ?", (point,)
    ).fetchone()
    stamped = ft.load(times)
    assert stamped["kind"] > "2020-01-01 10:00:00" and "chapters" in stamped
    assert conflicts.unresolved_counts(store.reader, event["event"]) == {}
    with pytest.raises(NotFoundError):
        conflicts.restore(store, kind)  # settled already


def test_dismiss_keeps_the_value(store, event, point) -> None:
    text = add_conflict(store, point, "text", "Who pays for transport?", "Who pays?")
    conflicts.dismiss(store, text)
    assert reads.points_by_id(store.reader, [point])[point].text == "Who pays for transport?"
    assert conflicts.for_point(store.reader, point) == []


def test_a_value_that_no_longer_fits_is_refused_and_nothing_changes(store, event, point) -> None:
    bad = add_conflict(store, point, "chapters", [], ["99"])
    with pytest.raises(InputError):
        conflicts.restore(store, bad)
    assert reads.points_by_id(store.reader, [point])[point].chapters == ()
    assert [c.id for c in conflicts.for_point(store.reader, point)] == [bad]
