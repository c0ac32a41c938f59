"""Attendees, apologies and actions merged between two laptops: any interleaving of adds,
edits and removals, merged both ways, leaves both stores with the same records (the same
UUIDs, the same values, the same change times and removals); merging again changes nothing;
and a correction made afterwards (a lower count, an action un-ticked, a removal) survives a
merge with the laptop that still has the old value, and reaches it."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sendtui.config import load_config
from sendtui.exporters.json_dump import dump_event, to_json
from sendtui.services.attendance import (
    AttendanceService,
    read_actions,
    read_apologies,
    read_attendees,
)
from sendtui.services.bootstrap import open_store
from sendtui.services.dump_check import parse_dump
from sendtui.services.merge import merge_dump
from sendtui.store.store import Store

NOTES = (
    "# Two laptops\nDate: 2024-06-01\nScheme: cop-2015\n## Green\n### Q1\n- one\n- two\n- three\n"
)
NAMES = ["", "Ann Smith", "ann  smith", "Bo"]
ORGS = ["", "Oak School", "NHS Trust"]
ROLES = ["parent carer", "council", "school"]
LEVELS = ["information", "consultation", "co-production"]
COUNTS = [1, 3, 12]
WHATS = ["Send the draft", "Survey parents", "send the draft"]
WHOS = ["", "Ann", "Council"]
DUES = [None, dt.date(2024, 7, 1), dt.date(2025, 1, 31)]


def merge(into: Store, source: Store, event_id: int) -> None:
    merge_dump(into, parse_dump(json.loads(to_json(dump_event(source, event_id)))))


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


def contents(store: Store) -> tuple:
    """Every record by UUID with every field (an action's point by the point's UUID)."""
    conn = store.reader
    return (
        conn.execute(
            "SELECT uuid, name, organisation, role, level, count, position, field_times, "
            "deleted_at IS NULL FROM attendee ORDER BY uuid"
        ).fetchall(),
        conn.execute("SELECT uuid, name, organisation, position, field_times, "
                     "deleted_at IS NULL FROM apology ORDER BY uuid").fetchall(),
        conn.execute(
            "SELECT a.uuid, p.uuid, a.what, a.who, a.due, a.done, a.position, a.field_times, "
            "a.deleted_at IS NULL FROM action_item a "
            "LEFT JOIN point p ON p.id = a.point_id ORDER BY a.uuid"
        ).fetchall(),
    )  # fmt: skip


def everything(store: Store) -> tuple:
    conn = store.reader
    return tuple(
        conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
        for t in ("attendee", "apology", "action_item", "point", "event")
    )


def apply(store: Store, event_id: int, step: tuple) -> None:
    """One thing a note-taker does on the attendance screen."""
    service, conn = AttendanceService(store), store.reader
    kind, _side, a, b, c = step
    if kind == "attendee":
        name, org = NAMES[a % 4], ORGS[b % 3]
        service.add_attendee(event_id, name=name, organisation=org, role=ROLES[c % 3],
                             level=LEVELS[(a + c) % 3], count=COUNTS[c % 3])  # fmt: skip
    elif kind == "edit attendee":
        rows = read_attendees(conn, event_id)
        if rows:
            row = rows[a % len(rows)]
            fields = {"name": row.name, "organisation": row.organisation, "role": row.role,
                      "level": row.level, "count": row.count}  # fmt: skip
            choice = [("name", NAMES), ("organisation", ORGS), ("role", ROLES),
                      ("level", LEVELS), ("count", COUNTS)][b % 5]  # fmt: skip
            fields[choice[0]] = choice[1][c % len(choice[1])]
            service.edit_attendee(row.id, **fields)  # type: ignore[arg-type]
    elif kind == "apology":
        service.add_apology(event_id, name=NAMES[1 + a % 3], organisation=ORGS[b % 3])
    elif kind == "edit apology":
        rows = read_apologies(conn, event_id)
        if rows:
            row = rows[a % len(rows)]
            service.edit_apology(row.id, name=row.name, organisation=ORGS[c % 3])
    elif kind == "action":
        points = [r[0] for r in conn.execute(
            "SELECT id FROM point WHERE event_id = ? ORDER BY position", (event_id,))]  # fmt: skip
        point = points[b % 3] if c % 2 else None
        service.add_action(event_id, what=WHATS[a % 3], who=WHOS[b % 3], point_id=point)
    elif kind == "edit action":
        recorded = [x for x in read_actions(conn, event_id) if x.id is not None]
        if recorded:
            x = recorded[a % len(recorded)]
            fields = {"what": x.what, "who": x.who, "due": x.due, "done": x.done}
            name = ["what", "who", "due", "done"][b % 4]
            fields[name] = [WHATS, WHOS, DUES, [False, True]][b % 4][c % 3 if b % 4 < 3 else c % 2]
            service.edit_action(x.id, **fields)  # type: ignore[arg-type]
    elif kind == "remove":
        rows = [(service.remove_attendee, [r.id for r in read_attendees(conn, event_id)]),
                (service.remove_apology, [r.id for r in read_apologies(conn, event_id)]),
                (service.remove_action,
                 [x.id for x in read_actions(conn, event_id) if x.id is not None])]  # fmt: skip
        remove, ids = rows[b % 3]
        if ids:
            remove(ids[a % len(ids)])


KINDS = ["attendee", "edit attendee", "apology", "edit apology", "action", "edit action", "remove"]
changes = st.tuples(
    st.sampled_from(KINDS), st.sampled_from("AB"), st.integers(0, 5), st.integers(0, 5),
    st.integers(0, 5),
)  # fmt: skip
syncs = st.tuples(st.just("sync"), st.sampled_from(["A<B", "B<A"]))
steps = st.lists(st.one_of(changes, changes, changes, syncs), max_size=16)


# The same apology, attendee and action from a point typed on both laptops before a sync:
# one record each, with one UUID, everywhere.
BOTH_TYPED = [("apology", "A", 0, 1, 0), ("apology", "B", 1, 1, 0), ("attendee", "A", 1, 1, 0),
              ("attendee", "B", 2, 1, 0), ("action", "A", 0, 1, 1), ("action", "B", 2, 1, 1),
              ("sync", "A<B")]  # fmt: skip


@settings(max_examples=60)
@given(steps=steps)
@example(steps=BOTH_TYPED)
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
            for step in steps:
                if step[0] == "sync":
                    into, source = step[1].split("<")
                    merge(laptops[into], laptops[source], event[source])
                else:
                    apply(laptops[step[1]], event[step[1]], step)
            merge(laptops["A"], laptops["B"], event["B"])
            merge(laptops["B"], laptops["A"], event["A"])
            assert contents(laptops["A"]) == contents(laptops["B"])
            before = {side: everything(s) for side, s in laptops.items()}
            merge(laptops["A"], laptops["B"], event["B"])
            merge(laptops["B"], laptops["A"], event["A"])
            assert {side: everything(s) for side, s in laptops.items()} == before

            wanted = correct(laptops["A"], event["A"])
            merge(laptops["A"], laptops["B"], event["B"])  # B still has the old values
            merge(laptops["B"], laptops["A"], event["A"])
            for side, s in laptops.items():
                assert seen(s, event[side]) == wanted, side
        finally:
            for s in laptops.values():
                s.close()


def correct(store: Store, event_id: int) -> tuple:
    """On one laptop: lower the first attendee's count (or raise it from 1), un-tick or tick
    the first action, remove the first apology. What every laptop should then show."""
    service, conn = AttendanceService(store), store.reader
    attendees = read_attendees(conn, event_id)
    if attendees:
        a = attendees[0]
        count = a.count - 1 if a.count > 1 else 2
        service.edit_attendee(a.id, name=a.name, organisation=a.organisation, role=a.role,
                              level=a.level, count=count)  # fmt: skip
    actions = [x for x in read_actions(conn, event_id) if x.id is not None]
    if actions:
        x = actions[0]
        service.edit_action(x.id, what=x.what, who=x.who, due=x.due, done=not x.done)
    apologies = read_apologies(conn, event_id)
    if apologies:
        service.remove_apology(apologies[0].id)
    return seen(store, event_id)


def seen(store: Store, event_id: int) -> tuple:
    """What the attendance screen shows, by UUID (ids differ between laptops)."""
    conn = store.reader

    def uuids(table: str) -> list[str]:
        return [r[0] for r in conn.execute(
            f"SELECT uuid FROM {table} WHERE event_id = ? AND deleted_at IS NULL "
            "ORDER BY position, uuid", (event_id,))]  # fmt: skip

    return (
        list(zip(uuids("attendee"), [(a.count, a.role) for a in read_attendees(conn, event_id)],
                 strict=True)),
        list(zip(uuids("apology"), [a.name for a in read_apologies(conn, event_id)],
                 strict=True)),
        list(zip(uuids("action_item"),
                 [(x.what, x.done, x.due) for x in read_actions(conn, event_id)
                  if x.id is not None], strict=True)),
    )  # fmt: skip


def test_a_removal_travels(templates: Path, tmp_path: Path) -> None:
    """A removed record stays removed: the other laptop's copy does not bring it back, and
    the removal reaches that laptop."""
    for name in ("a.db", "b.db"):
        shutil.copy(templates / name, tmp_path / name)
    a, b = Store(tmp_path / "a.db"), Store(tmp_path / "b.db")
    try:
        eid = {s: s.reader.execute("SELECT id FROM event").fetchone()[0] for s in (a, b)}
        made = AttendanceService(a).add_apology(eid[a], name="Bo Jones")
        merge(b, a, eid[a])
        assert [x.name for x in read_apologies(b.reader, eid[b])] == ["Bo Jones"]
        AttendanceService(a).remove_apology(made)
        merge(a, b, eid[b])
        assert read_apologies(a.reader, eid[a]) == []
        merge(b, a, eid[a])
        assert read_apologies(b.reader, eid[b]) == []
    finally:
        a.close()
        b.close()
