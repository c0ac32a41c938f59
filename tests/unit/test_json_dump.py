"""The JSON dump holds everything about an event, exactly."""

from __future__ import annotations

import json

from sendtui.exporters.json_dump import dump_event, to_json
from sendtui.services.points import PointEditor
from sendtui.services.syntax import ParsedPoint
from sendtui.store import reads
from tests.conftest import MARKUP


def test_dump_is_complete_and_exact(store, event) -> None:
    editor = PointEditor(store, event["event"], note_taker="Bea")
    parent = editor.add(
        ParsedPoint(MARKUP + " 👩‍👧", chapters=("7",), section_refs=("7.3",), markers=("D4",)),
        group_id=event["group"],
        topic_id=event["topic"],
        heading="Remuneration",
    )
    editor.add(
        ParsedPoint("child"), group_id=event["group"], topic_id=event["topic"], parent_id=parent
    )
    gone = editor.add(ParsedPoint("deleted later"), group_id=event["group"], topic_id=None)
    editor.delete([gone])
    editor.set_private([parent], True)

    data = json.loads(to_json(dump_event(store, event["event"])))
    assert data["format"] == "sendtui-event" and data["version"] == 3
    assert data["event"]["title"] == "Test consultation"
    assert data["event"]["scheme"]["code"] == "indicative-2013-03"
    (group,) = data["groups"]
    assert group["name"] == "Green Group"
    assert [t["title"] for t in group["topics"]] == ["Q. Parental support and engagement"]
    first, second, third = data["points"]
    assert first["text"] == MARKUP + " 👩‍👧"
    assert first["chapters"] == [{"code": "7", "title": "Resolving Disputes"}]
    assert first["section_ref"] == "7.3" and first["markers"] == ["D4"]
    assert first["heading"] == "Remuneration" and first["private"] is True
    assert first["note_taker"] == "Bea" and first["topic"] == group["topics"][0]["uuid"]
    assert second["parent"] == first["uuid"]
    assert third["deleted_at"] is not None and third["topic"] is None
    rows = {r.id: r for r in reads.points(store.reader, event["event"])}
    uuids = {r[0] for r in store.reader.execute("SELECT uuid FROM point")}
    assert {p["uuid"] for p in data["points"]} == uuids
    assert len(rows) == 2


def test_json_text_is_indented_utf8_and_reads_back_the_same(store, event) -> None:
    editor = PointEditor(store, event["event"], note_taker="Zoë")
    editor.add(ParsedPoint("naïve “quotes” \\ and 👩‍👧"), group_id=event["group"], topic_id=None)
    data = dump_event(store, event["event"])
    text = to_json(data)
    assert json.loads(text) == json.loads(json.dumps(data))
    assert "naïve “quotes” \\\\ and 👩‍👧" in text  # written as itself, not \\u escapes
    assert text.startswith('{\n  "format": "sendtui-event",\n') and text.endswith("}\n")
    point = json.loads(text)["points"][0]
    assert point["note_taker"] == "Zoë" and set(point["field_times"]) >= {"text", "by"}


def test_a_missing_event_is_one_message(store) -> None:
    import pytest

    from sendtui.errors import NotFoundError

    with pytest.raises(NotFoundError, match="no event 999"):
        dump_event(store, 999)
