"""The capture screen's ORM-free reads say what the ORM and the store's reads say."""

from __future__ import annotations

import pytest

from sendtui.errors import NotFoundError
from sendtui.services.capture import capture_setup, place_names
from sendtui.services.events import EventService
from sendtui.store import reads


def test_capture_setup_is_the_orm_syntax(backend, store, event) -> None:
    events = EventService(store)
    marks = {"question": "?", "positive": "+"}
    setup = capture_setup(store.reader, event["event"], marks)  # type: ignore[arg-type]
    expected = events.syntax_for(event["event"], marks)  # type: ignore[arg-type]
    assert setup.title == "Test consultation"
    assert setup.syntax.chapter_codes == expected.chapter_codes
    assert setup.syntax.marker_codes == expected.marker_codes
    assert setup.syntax.scheme_name == expected.scheme_name
    assert setup.syntax.marks == expected.marks
    assert setup.syntax.chapter_codes  # the scheme has chapters: not vacuous


def test_capture_setup_of_a_missing_event(backend, store, event) -> None:
    with pytest.raises(NotFoundError):
        capture_setup(store.reader, event["event"] + 1000)


def test_place_names_are_the_store_reads_in_order(backend, store, event) -> None:
    events = EventService(store)
    second = events.add_group(event["event"], "Red Group")
    events.add_topic(second.id, "Q. Transport")
    events.add_topic(event["group"], "Q. Another")
    groups, topics = place_names(store.reader, event["event"])
    assert groups == [(g.id, g.name) for g in reads.groups(store.reader, event["event"])]
    assert topics == [
        (t.id, t.group_id, t.title) for t in reads.topics(store.reader, event["event"])
    ]
    assert len(groups) == 2 and len(topics) == 3
