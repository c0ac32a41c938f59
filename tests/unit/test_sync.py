"""`sendtui sync FOLDER`: laptops exchange dumps through a shared folder; syncing again
changes nothing; each dump names its laptop and note-taker."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from sendtui.config import Config
from sendtui.errors import InputError
from sendtui.services.bootstrap import open_store
from sendtui.services.importer import import_file
from sendtui.services.sync import laptop_id, sync_folder
from sendtui.store import reads
from tests.conftest import DEMO_NOTES


@pytest.fixture
def laptops(config: Config, tmp_path: Path) -> Iterator[dict]:
    a, b = open_store(config, tmp_path / "a.db"), open_store(config, tmp_path / "b.db")
    yield {"A": a, "B": b}
    a.store.close()
    b.store.close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shared = tmp_path / "usb-stick"
    shared.mkdir()
    return shared


def load(opened, config: Config, path: Path) -> int:
    words = config.capture.kind_words.as_dict()
    return import_file(opened.store, opened.reference, path, kind_words=words).event_id


def contents(store) -> list[tuple]:
    conn = store.reader
    out = []
    for e in sorted(reads.event_summaries(conn), key=lambda e: e.title):
        points = reads.points(conn, e.id)
        out.append((e.title, e.date, [(p.text, p.kind, p.chapters, p.position) for p in points]))
    return out


def everything(store) -> tuple:
    conn = store.reader
    return tuple(
        conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
        for t in (
            "event",
            "discussion_group",
            "topic",
            "point",
            "point_chapter",
            "point_conflict",
            "attendee",
            "apology",
            "action_item",
        )
    )


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_two_laptops_end_with_the_same_notes_and_syncing_again_changes_nothing(
    laptops, config: Config, folder: Path, tmp_path: Path
) -> None:
    a, b = laptops["A"], laptops["B"]
    load(a, config, DEMO_NOTES)
    own = tmp_path / "b.md"
    own.write_text("# Table notes\nDate: 2024-02-02\n## Gold\n- only on B #3\n", "utf-8")
    load(b, config, own)
    first = sync_folder(a.store, folder, note_taker="Ann")
    assert len(first.written) == 1 and not first.merged
    second = sync_folder(b.store, folder, note_taker="Bob")
    assert [r.new for _, r in second.merged] == [355] and len(second.written) == 2
    third = sync_folder(a.store, folder, note_taker="Ann")
    assert contents(a.store) == contents(b.store) and len(contents(a.store)) == 2
    assert len(third.written) == 1  # A's dump of B's event, new to the folder
    before = everything(a.store), everything(b.store), files(folder)
    again = [sync_folder(s.store, folder) for s in (a, b, a, b)]
    assert (everything(a.store), everything(b.store), files(folder)) == before
    assert all(not r.written and not r.failed for r in again)
    assert "0 new points, 0 updated" in again[0].summary()


def test_dumps_are_named_by_laptop_and_event_private_and_name_the_note_taker(
    laptops, config: Config, folder: Path
) -> None:
    a = laptops["A"]
    event = load(a, config, DEMO_NOTES)
    result = sync_folder(a.store, folder, note_taker="Ann Other")
    uuid = a.store.reader.execute("SELECT uuid FROM event WHERE id = ?", (event,)).fetchone()[0]
    (path,) = result.written
    assert path.name == f"sendtui-{laptop_id(a.store)}-{uuid}.json"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    data = json.loads(path.read_text("utf-8"))
    assert data["laptop"] == {"id": laptop_id(a.store), "note_taker": "Ann Other"}
    assert not [p for p in folder.iterdir() if p.name.endswith(".part")]


def test_the_same_notes_imported_on_both_laptops_are_not_doubled(
    laptops, config: Config, folder: Path
) -> None:
    a, b = laptops["A"], laptops["B"]
    load(a, config, DEMO_NOTES)
    load(b, config, DEMO_NOTES)
    for opened in (a, b, a):
        sync_folder(opened.store, folder)
    for opened in (a, b):
        (summary,) = reads.event_summaries(opened.store.reader)
        assert summary.points == 355


def test_edits_to_one_point_on_two_laptops_both_survive_a_sync(
    laptops, config: Config, folder: Path
) -> None:
    from tests.unit.test_merge import _at
    from tests.unit.test_merge_properties import edit

    a, b = laptops["A"], laptops["B"]
    load(a, config, DEMO_NOTES)
    sync_folder(a.store, folder)
    sync_folder(b.store, folder)
    uuid = a.store.reader.execute("SELECT uuid FROM point ORDER BY position").fetchone()[0]
    edit(a.store, uuid, "chapters", ("7",), _at(1))
    edit(b.store, uuid, "kind", "solution", _at(2))
    for opened in (a, b, a):
        sync_folder(opened.store, folder)
    assert contents(a.store) == contents(b.store)
    (event,) = reads.event_summaries(b.store.reader)
    first = reads.points(b.store.reader, event.id)[0]
    assert (first.kind, first.chapters) == ("solution", ("7",))


def test_a_bad_dump_in_the_folder_is_reported_and_the_rest_merged(
    laptops, config: Config, folder: Path, tmp_path: Path, capsys
) -> None:
    from sendtui.cli import main

    a = laptops["A"]
    load(a, config, DEMO_NOTES)
    sync_folder(a.store, folder)
    other = "0b5e4a4e-4c1e-4a43-8e4c-1d1b1b1b1b1b"
    (folder / f"sendtui-{other}-{other}.json").write_text('{"half a file', "utf-8")
    (folder / "holiday-photo.json").write_text("not ours", "utf-8")  # ignored: not a dump name
    code = main(["--db", str(tmp_path / "c.db"), "sync", str(folder)])
    out = capsys.readouterr().out
    assert code == 2 and "not merged" in out and "Created event" in out
    assert "holiday" not in out


def test_the_folder_must_exist(laptops, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        sync_folder(laptops["A"].store, tmp_path / "nowhere")
    (tmp_path / "file").write_text("x", "utf-8")
    with pytest.raises(InputError, match="is not a folder"):
        sync_folder(laptops["A"].store, tmp_path / "file")


def test_attendance_apologies_and_actions_travel_and_sync_settles(
    opened_any, config: Config, folder: Path, tmp_path: Path, capsys
) -> None:
    """Laptop A on either backend, laptop B a file: what each records reaches the other,
    through `sendtui sync` too, and syncing again changes nothing."""
    from sendtui.cli import main
    from sendtui.services.attendance import AttendanceService, read_actions
    from tests.unit.test_dump_attendance import attendance

    notes = tmp_path / "notes.md"
    notes.write_text("# Forum meeting\nDate: 2024-03-01\n## Main\n- * LA to reply\n", "utf-8")
    a = opened_any
    event_a = load(a, config, notes)
    AttendanceService(a.store).add_attendee(event_a, name="Ann Smith", level="co-production")
    point = reads.points(a.store.reader, event_a)[0].id
    AttendanceService(a.store).add_action(event_a, what="Reply by May", who="LA", point_id=point)
    sync_folder(a.store, folder)
    b = open_store(config, tmp_path / "b.db")
    try:
        sync_folder(b.store, folder)
        (event_b,) = [e.id for e in reads.event_summaries(b.store.reader)]
        AttendanceService(b.store).add_apology(event_b, name="Bo Jones")
        action = read_actions(b.store.reader, event_b)[0]
        AttendanceService(b.store).edit_action(action.id, what=action.what, who="LA", done=True)
        assert main(["--db", str(tmp_path / "b.db"), "sync", str(folder)]) == 0
        out = capsys.readouterr().out
        assert "attendance or action difference" not in out  # B's change is the later one
        back = sync_folder(a.store, folder)
        assert "1 new apology, 1 attendance record updated" in back.summary()
        assert attendance(a.store, event_a) == attendance(b.store, event_b)
        assert read_actions(a.store.reader, event_a)[0].done
        before = everything(a.store), everything(b.store), files(folder)
        again = [sync_folder(s.store, folder) for s in (a, b, a)]
        assert (everything(a.store), everything(b.store), files(folder)) == before
        assert all(not r.written and not r.failed for r in again)
    finally:
        b.store.close()
