"""Importing notes: all or nothing, no duplicates, into a new or a named event."""

from __future__ import annotations

from pathlib import Path

import pytest

from sendtui.errors import NotesError, NotFoundError
from sendtui.services.importer import import_notes
from sendtui.store import reads
from tests.conftest import DEMO_NOTES


def run(opened, config, path: Path, **kw: object):
    return import_notes(
        opened.store, opened.reference, path, kind_words=config.capture.kind_words.as_dict(), **kw
    )  # type: ignore[arg-type]


def test_demo_imports_with_groups_topics_and_tags(opened, config) -> None:
    result = run(opened, config, DEMO_NOTES)
    assert result.created_event and result.new_points > 300 and result.existing_points == 0
    conn = opened.store.reader
    (summary,) = reads.event_summaries(conn)
    assert summary.scheme_code == "indicative-2013-03" and summary.points == result.new_points
    names = [g.name for g in reads.groups(conn, result.event_id)]
    assert names[:4] == ["Green Group", "Red Group", "Gold Group", "Blue Group"]
    points = reads.points(conn, result.event_id)
    assert any(p.chapters for p in points) and any(p.parent_id for p in points) is not None
    assert any(p.kind == "question" for p in points)


def test_importing_twice_adds_nothing(opened, config) -> None:
    first = run(opened, config, DEMO_NOTES)
    second = run(opened, config, DEMO_NOTES)
    assert second.event_id == first.event_id and not second.created_event
    assert second.new_points == 0 and second.existing_points == first.new_points
    assert "0 new points" in second.summary()


def test_an_edited_file_adds_only_the_new_points(opened, config, tmp_path: Path) -> None:
    notes = tmp_path / "n.md"
    notes.write_text("# E\n## G\n- same\n- same\n", encoding="utf-8")
    assert run(opened, config, notes).new_points == 2  # a repeated point is two points
    notes.write_text("# E\n## G\n- same\n- same\n- new\n", encoding="utf-8")
    assert run(opened, config, notes).new_points == 1


def test_a_file_with_any_error_imports_nothing(opened, config, tmp_path: Path) -> None:
    notes = tmp_path / "bad.md"
    notes.write_text("# E\n## G\n- fine\n- fine too\n- broken #99\n", encoding="utf-8")
    with pytest.raises(NotesError) as caught:
        run(opened, config, notes)
    assert caught.value.problems == [(5, caught.value.problems[0][1])]
    assert reads.event_summaries(opened.store.reader) == []


def test_into_a_named_event(opened, config, tmp_path: Path) -> None:
    from sendtui.services.events import EventService

    made = EventService(opened.store).create_event("Autumn forum", scheme_code="cop-2015")
    notes = tmp_path / "n.md"
    notes.write_text("## Blue Group\n### Preparing for adulthood\n- jobs #8\n", encoding="utf-8")
    result = run(opened, config, notes, event="autumn forum")
    assert result.event_id == made.id and result.new_points == 1
    with pytest.raises(NotFoundError):
        run(opened, config, notes, event="no such event")


def test_scheme_mismatch_with_named_event(opened, config, tmp_path: Path) -> None:
    from sendtui.services.events import EventService

    EventService(opened.store).create_event("Autumn forum", scheme_code="cop-2015")
    notes = tmp_path / "n.md"
    notes.write_text("# X\nScheme: indicative-2013-03\n- a\n", encoding="utf-8")
    with pytest.raises(NotesError, match="not the event's"):
        run(opened, config, notes, event="Autumn forum")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [(b"\xff\xfe\x00bad", "not UTF-8"), (b"# E\n- a\x00b\n", "NUL")],
)
def test_unreadable_files(opened, config, tmp_path: Path, content: bytes, fragment: str) -> None:
    notes = tmp_path / "n.md"
    notes.write_bytes(content)
    with pytest.raises(NotesError, match=fragment):
        run(opened, config, notes)


def test_missing_file_and_folder(opened, config, tmp_path: Path) -> None:
    with pytest.raises(NotesError, match="no such file"):
        run(opened, config, tmp_path / "absent.md")
    with pytest.raises(NotesError, match="folder"):
        run(opened, config, tmp_path)


def test_bom_and_crlf_are_fine(opened, config, tmp_path: Path) -> None:
    notes = tmp_path / "n.md"
    notes.write_bytes("\ufeff# E\r\n## G\r\n- one\r\n".encode())
    assert run(opened, config, notes).new_points == 1
