"""Field-by-field merging of two laptops' copies: any interleaving of edits, merged both
ways, leaves both stores with the same points; merging again changes nothing."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sendtui.config import load_config
from sendtui.exporters.json_dump import dump_event, to_json
from sendtui.models.base import new_uuid, sql_time
from sendtui.services import field_times
from sendtui.services.bootstrap import open_store
from sendtui.services.dump_check import parse_dump
from sendtui.services.merge import merge_dump
from sendtui.store.store import Store

NOTES = (
    "# Two laptops\nDate: 2024-06-01\nScheme: cop-2015\n## Green\n### Q1\n- one\n- two\n- three\n"
)
START = dt.datetime(2024, 6, 1, 10, 0, tzinfo=dt.UTC)
CHOICES = {
    "text": ["one", "two (edited)", "changed on a laptop"],
    "kind": ["point", "question", "concern", "positive"],
    "section_ref": ["", "3.1", "9.2"],
    "chapters": [(), ("3",), ("3", "9"), ("9",)],
    "markers": [(), ("M1",), ("M1", "M2")],
    "private": [False, True],
    "place": ["", "Heading A", "Heading B"],
    "position": [1, 2, 3, 7],
    "deleted": [False, True],
}


def merge(into: Store, source: Store, event_id: int) -> object:
    import json

    return merge_dump(into, parse_dump(json.loads(to_json(dump_event(source, event_id)))))


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Laptop A with an event of three points, and laptop B holding a merged copy."""
    from sendtui.services.importer import import_file

    folder = tmp_path_factory.mktemp("laptops")
    notes = folder / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    config = load_config(None, database=folder / "a.db")
    a = open_store(config)
    event = import_file(a.store, a.reference, notes, kind_words={}).event_id
    b = open_store(config, folder / "b.db")
    merge(b.store, a.store, event)
    a.store.close()
    b.store.close()
    yield folder


def edit(store: Store, uuid: str, name: str, value: object, at: str) -> None:
    """Change one field of a point the way the app does: value, updated_at, field time."""
    with store.write_raw() as conn:
        pid, raw = conn.execute(
            "SELECT id, field_times FROM point WHERE uuid = ?", (uuid,)
        ).fetchone()
        column = {"place": "heading", "deleted": "deleted_at"}.get(name, name)
        if name == "chapters":
            conn.execute("DELETE FROM point_chapter WHERE point_id = ?", (pid,))
            for code in value:  # type: ignore[attr-defined]
                conn.execute(
                    "INSERT INTO point_chapter (point_id, chapter_id) SELECT ?, c.id FROM "
                    "chapter c JOIN scheme s ON s.id = c.scheme_id "
                    "WHERE s.code = 'cop-2015' AND c.code = ?",
                    (pid, code),
                )
        elif name == "markers":
            conn.execute("DELETE FROM point_marker WHERE point_id = ?", (pid,))
            for code in value:  # type: ignore[attr-defined]
                conn.execute(
                    "INSERT INTO point_marker (point_id, marker_id) "
                    "SELECT ?, id FROM marker WHERE code = ?",
                    (pid, code),
                )
        else:
            stored = (at if value else None) if name == "deleted" else value
            conn.execute(f"UPDATE point SET {column} = ? WHERE id = ?", (stored, pid))
        conn.execute(
            "UPDATE point SET updated_at = ?, field_times = ? WHERE id = ?",
            (at, field_times.touch(raw, [name], at), pid),
        )


def add_point(store: Store, event_id: int, text: str, at: str) -> None:
    """A point typed on one laptop: at the end, as that laptop sees the end."""
    with store.write_raw() as conn:
        group, top = conn.execute(
            "SELECT min(group_id), max(position) FROM point WHERE event_id = ?", (event_id,)
        ).fetchone()
        conn.execute(
            "INSERT INTO point (uuid, event_id, group_id, heading, kind, text, section_ref, "
            "position, note_taker, private, created_at, updated_at, field_times) "
            "VALUES (?, ?, ?, '', 'point', ?, '', ?, '', ?, ?, ?, ?)",
            (new_uuid(), event_id, group, text, top + 1, False, at, at, field_times.all_fields(at)),
        )


def contents(store: Store) -> list[tuple]:
    """Every point as a reader sees it, in the order minutes list them."""
    conn = store.reader
    rows = conn.execute(
        "SELECT p.uuid, p.text, p.kind, p.section_ref, p.private, p.heading, g.name, "
        "p.position, p.deleted_at IS NULL, (SELECT pp.uuid FROM point pp WHERE pp.id = "
        "p.parent_id) FROM point p JOIN discussion_group g ON g.id = p.group_id "
        "ORDER BY p.position, p.uuid"
    ).fetchall()
    out = []
    for row in rows:
        tags = conn.execute(
            "SELECT c.code FROM point_chapter pc JOIN chapter c ON c.id = pc.chapter_id "
            "JOIN point p ON p.id = pc.point_id WHERE p.uuid = ? ORDER BY c.code",
            (row[0],),
        ).fetchall()
        marks = conn.execute(
            "SELECT m.code FROM point_marker pm JOIN marker m ON m.id = pm.marker_id "
            "JOIN point p ON p.id = pm.point_id WHERE p.uuid = ? ORDER BY m.code",
            (row[0],),
        ).fetchall()
        out.append((*row, tuple(tags), tuple(marks)))
    return out


def everything(store: Store) -> tuple:
    conn = store.reader
    return tuple(
        conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
        for t in ("point", "point_chapter", "point_marker", "point_conflict")
    )


edits = st.tuples(
    st.sampled_from(["edit"]),
    st.sampled_from("AB"),
    st.integers(0, 2),
    st.sampled_from(sorted(CHOICES)),
    st.integers(0, 3),
)
syncs = st.tuples(st.sampled_from(["sync"]), st.sampled_from(["A<B", "B<A"]))
adds = st.tuples(st.sampled_from(["add"]), st.sampled_from("AB"))
steps = st.lists(st.one_of(edits, edits, edits, syncs, adds), max_size=14)


@settings(max_examples=60)
@given(steps=steps)
def test_any_interleaving_merged_both_ways_converges(templates: Path, steps: list) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name in ("a.db", "b.db"):
            shutil.copy(templates / name, Path(folder) / name)
        laptops = {side: Store(Path(folder) / f"{side.lower()}.db") for side in "AB"}
        try:
            event = {
                side: s.reader.execute("SELECT id FROM event").fetchone()[0]
                for side, s in laptops.items()
            }
            uuids = [
                r[0]
                for r in laptops["A"].reader.execute("SELECT uuid FROM point ORDER BY position")
            ]
            for n, step in enumerate(steps, start=1):
                at = sql_time(START + dt.timedelta(seconds=n))
                if step[0] == "edit":
                    _, side, index, name, choice = step
                    options = CHOICES[name]
                    edit(laptops[side], uuids[index], name, options[choice % len(options)], at)
                elif step[0] == "add":
                    add_point(laptops[step[1]], event[step[1]], f"new on {step[1]} {n}", at)
                else:
                    into, source = step[1].split("<")
                    merge(laptops[into], laptops[source], event[source])
            merge(laptops["A"], laptops["B"], event["B"])
            merge(laptops["B"], laptops["A"], event["A"])
            assert contents(laptops["A"]) == contents(laptops["B"])
            before = {side: everything(s) for side, s in laptops.items()}
            merge(laptops["A"], laptops["B"], event["B"])
            merge(laptops["B"], laptops["A"], event["A"])
            assert {side: everything(s) for side, s in laptops.items()} == before
        finally:
            for s in laptops.values():
                s.close()
