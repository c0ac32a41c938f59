"""Importing notes: all or nothing, no duplicates, into a new or a named event."""

from __future__ import annotations

from pathlib import Path

import pytest

from sendtui.errors import InputError, NotesError, NotFoundError
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
    [(b"# E\n- caf\xe9 \xc3\x28bad\n", "not UTF-8"), (b"# E\n- a\x00b\n", "NUL")],
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


# -- issue 8 items 3, 4, 5: the scheme a file declares, names compared one way, one event ---


def test_a_declared_scheme_that_is_not_the_events_is_refused_naming_both(
    opened, config, tmp_path: Path
) -> None:
    first = tmp_path / "a.md"
    first.write_text("# Spring forum\nDate: 2024-03-01\nScheme: cop-2015\n- a #3\n", "utf-8")
    made = run(opened, config, first)
    other = tmp_path / "b.md"
    other.write_text(
        "# Spring forum\nDate: 2024-03-01\nScheme: indicative-2013-03\n- b #3\n", "utf-8"
    )
    before = state(opened.store)
    with pytest.raises(InputError) as caught:
        run(opened, config, other)
    assert "indicative-2013-03" in caught.value.message and "cop-2015" in caught.value.message
    assert f"{made.event_id} “Spring forum”" in caught.value.message
    assert state(opened.store) == before


def test_a_file_naming_no_scheme_uses_its_events_scheme(opened, config, tmp_path: Path) -> None:
    first = tmp_path / "a.md"
    first.write_text("# Spring forum\nScheme: indicative-2013-03\n- a #1\n", "utf-8")
    made = run(opened, config, first)
    more = tmp_path / "b.md"
    more.write_text("# Spring forum\n- b #7\n", "utf-8")  # 7 is in both schemes
    result = run(opened, config, more)
    assert result.event_id == made.event_id and result.new_points == 1
    conn = opened.store.reader
    codes = conn.execute(
        "SELECT s.code FROM point_chapter pc JOIN chapter c ON c.id = pc.chapter_id "
        "JOIN scheme s ON s.id = c.scheme_id"
    ).fetchall()
    assert {c[0] for c in codes} == {"indicative-2013-03"}


def test_titles_differing_in_non_ascii_case_are_one_event(opened, config, tmp_path: Path) -> None:
    notes = tmp_path / "a.md"
    notes.write_text("# Événement  régional\nDate: 2024-05-01\n## Łukasz\n- one\n", "utf-8")
    first = run(opened, config, notes)
    notes.write_text("# ÉVÉNEMENT RÉGIONAL\nDate: 2024-05-01\n## ŁUKASZ\n- one\n- two\n", "utf-8")
    second = run(opened, config, notes)
    assert second.event_id == first.event_id and not second.created_event
    assert (second.new_points, second.existing_points) == (1, 1)
    assert len(reads.event_summaries(opened.store.reader)) == 1
    assert [g.name for g in reads.groups(opened.store.reader, first.event_id)] == ["Łukasz"]


def state(store) -> tuple:
    conn = store.reader
    return tuple(
        conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
        for table in ("event", "discussion_group", "topic", "point", "point_chapter")
    )


RACER = """
import sys, time
from pathlib import Path
from sendtui.config import load_config
from sendtui.services.bootstrap import open_store
from sendtui.services.importer import import_file
config = load_config(None, database=Path(sys.argv[1]))
opened = open_store(config)
go = Path(sys.argv[3])
while not go.exists():
    time.sleep(0.005)
result = import_file(opened.store, opened.reference, Path(sys.argv[2]),
                     kind_words=config.capture.kind_words.as_dict())
print(result.summary(), flush=True)
"""


def test_four_imports_of_one_file_at_once_make_one_event(config, tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    from sendtui.services.bootstrap import open_store

    open_store(config).store.close()  # created and migrated once, before the race
    notes = tmp_path / "n.md"
    notes.write_text("# Race\n## G\n" + "".join(f"- point {n}\n" for n in range(300)), "utf-8")
    go = tmp_path / "go"
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(config.database_path), str(notes), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    time.sleep(3)  # every racer is waiting at the line
    go.touch()
    outputs = [r.communicate(timeout=120) for r in racers]
    assert all(r.returncode == 0 for r in racers), outputs
    made = [out for out, _ in outputs if "created event" in out]
    assert len(made) == 1, outputs
    conn = open_store(config).store.reader
    assert conn.execute("SELECT count(*) FROM event").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM point").fetchone()[0] == 300


KILLED = """
import os, sys
from pathlib import Path
from sendtui.config import load_config
from sendtui.services import import_write, importer
from sendtui.services.bootstrap import open_store
config = load_config(None, database=Path(sys.argv[1]))
opened = open_store(config)
real = import_write._link
def stall(*args):
    real(*args)
    print("inside", flush=True)  # the event and points are written, not yet committed
    os.kill(os.getpid(), 9)
import_write._link = stall
importer.import_file(opened.store, opened.reference, Path(sys.argv[2]),
                     kind_words=config.capture.kind_words.as_dict())
"""


def test_kill_9_during_an_import_leaves_no_event_and_no_points(config, tmp_path: Path) -> None:
    import subprocess
    import sys

    from sendtui.services.bootstrap import open_store

    notes = tmp_path / "n.md"
    notes.write_text("# Killed\n## G\n" + "".join(f"- p {n} #1\n" for n in range(500)), "utf-8")
    done = subprocess.run(
        [sys.executable, "-c", KILLED, str(config.database_path), str(notes)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == -9 and "inside" in done.stdout, done.stderr
    opened = open_store(config)
    try:
        conn = opened.store.reader
        for table in ("event", "discussion_group", "point", "point_chapter"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        opened.store.close()


def test_import_file_decides_by_content_when_the_suffix_lies(
    opened, config, tmp_path: Path, demo_event: int
) -> None:
    import json

    from sendtui.exporters.json_dump import dump_event
    from sendtui.services.bootstrap import open_store
    from sendtui.services.importer import file_kind, import_file
    from sendtui.services.merge import MergeResult

    disguised = tmp_path / "notes.md"
    disguised.write_text(json.dumps(dump_event(opened.store, demo_event)), "utf-8")
    assert file_kind(disguised) == "dump"
    other = open_store(config, tmp_path / "other.db")
    try:
        result = import_file(
            other.store, other.reference, disguised, kind_words=config.capture.kind_words.as_dict()
        )
        assert isinstance(result, MergeResult) and result.new > 300
    finally:
        other.store.close()
    text = tmp_path / "notes.json.txt"
    text.write_text("# E\n- a\n", "utf-8")
    assert file_kind(text) == "notes"
    assert file_kind(tmp_path / "missing.docx") == "docx"
    assert file_kind(tmp_path / "missing.json") == "dump"
    assert file_kind(tmp_path) == "notes"


def test_events_and_import_never_write_control_characters(tmp_path: Path, capsys) -> None:
    from sendtui.cli import main

    notes = tmp_path / "evil.md"
    notes.write_text("# Evil \x1b]0;PWNED\x07\x1b[2J title\n- a\n", encoding="utf-8")
    args = ["--db", str(tmp_path / "s.db")]
    assert main([*args, "import", str(notes)]) == 0
    assert main([*args, "events"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b]0;PWNED\\x07\\x1b[2J" in out.replace("\n", "")


def test_point_keys_are_rfc_4122_uuid5s() -> None:
    import uuid

    from hypothesis import given
    from hypothesis import strategies as st

    from sendtui.services.import_write import NAMESPACE, _uuid5

    @given(st.text())
    def same(name: str) -> None:
        if any("\ud800" <= ch <= "\udfff" for ch in name):
            return
        assert _uuid5(name) == str(uuid.uuid5(NAMESPACE, name))

    same()


class _CountingDb:
    """A Db that counts the statements sent through it (execute and executemany calls)."""

    def __init__(self, conn) -> None:
        self.conn, self.calls = conn, 0

    def execute(self, *args):
        self.calls += 1
        return self.conn.execute(*args)

    def executemany(self, *args):
        self.calls += 1
        return self.conn.executemany(*args)


def _notes(points: int) -> str:
    lines = ["# Batch event", "Date: 2013-07-08", "Scheme: indicative-2013-03"]
    for n in range(points):
        if n % 10 == 0:
            lines.append(f"## Group {n // 100}\n### Topic {n // 10 % 10}")
        tags = f" #{n % 8}" if n % 3 else ""
        tags += " @M2" if n % 7 == 0 else ""
        indent = "  " if n % 10 and n % 4 == 0 else ""
        lines.append(f"{indent}- ! point {n}{tags}")
    return "\n".join(lines) + "\n"


def test_an_import_sends_the_same_few_statements_whatever_its_size(
    opened, config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Points, parents and tags are written with one statement per table (executemany),
    not one per point: ten times the points, the same statements (groups and topics made
    aside, one each)."""
    import contextlib

    store = opened.store
    real = store.write_raw
    counted: list[_CountingDb] = []

    @contextlib.contextmanager
    def counting_write_raw(**kw):
        with real(**kw) as conn:
            counted.append(_CountingDb(conn))
            yield counted[-1]

    monkeypatch.setattr(store, "write_raw", counting_write_raw)
    calls = []
    for points in (30, 300):
        notes = tmp_path / f"n{points}.md"
        notes.write_text(_notes(points).replace("Batch event", f"Batch {points}"), "utf-8")
        result = run(opened, config, notes)
        assert result.new_points == points
        # one INSERT per group and per topic: the file's own size, not its points'
        made = len(reads.groups(store.reader, result.event_id))
        made += len(reads.topics(store.reader, result.event_id))
        calls.append(counted[-1].calls - made)
    assert calls[0] == calls[1] <= 20, calls
    parents = store.reader.execute("SELECT count(*) FROM point WHERE parent_id IS NOT NULL")
    assert parents.fetchone()[0] > 0


def test_a_new_sub_point_under_a_point_already_there_gets_that_parent(
    opened, config, tmp_path: Path
) -> None:
    notes = tmp_path / "n.md"
    notes.write_text("# E\n## G\n- first\n  - under first\n- second\n", encoding="utf-8")
    assert run(opened, config, notes).new_points == 3
    notes.write_text(
        "# E\n## G\n- first\n  - under first\n- second\n  - under second\n    - deeper\n",
        encoding="utf-8",
    )
    assert run(opened, config, notes).new_points == 2
    rows = opened.store.reader.execute(
        "SELECT p.text, coalesce(u.text, '') FROM point p LEFT JOIN point u ON u.id = p.parent_id "
        "ORDER BY p.position"
    ).fetchall()
    assert rows == [
        ("first", ""), ("under first", "first"), ("second", ""),
        ("under second", "second"), ("deeper", "under second"),
    ]  # fmt: skip
