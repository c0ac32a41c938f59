"""Merging a JSON event dump into the store, field by field: how the notes of several
note-takers' laptops come together.

- The event is the one named by --event, else the one with the dump's UUID, else the one
  with its title (by `name_key`) and date, else created (keeping the dump's UUID). Its chapter
  scheme must be the dump's, since tags are mapped by chapter code.
- Groups and topics are matched by UUID, else by name (`name_key`), else added.
- Points are matched by UUID. A new one is inserted as it is. For one already here, each
  field (text, kind, section_ref, chapters, markers, private, place, position, deleted; see
  `sendtui.services.field_times`) is merged on its own: the value changed last wins, so one
  laptop's chapter tag and another's kind change to the same point both survive. A true
  conflict, the same field changed differently on both laptops without either having seen
  the other's value, keeps the newer value, is listed in the summary and is written to
  `point_conflict` with both values as JSON (text/kind/section_ref: a string; chapters and
  markers: a list of codes; private/deleted: true or false; position: a number; place:
  {"group", "topic", "heading", "parent"} as UUIDs and the heading text).

- Attendees, apologies and actions (dump version 2; change times and removals since 3) are
  matched by UUID, else by name (or by the point an action was made from); each field keeps
  its later change, a removal travels, and a difference the times cannot decide is listed
  (see `sendtui.services.merge_attendance`).

The merge is a join: merging laptop A's dump into B and B's into A leaves both with the same
points, whatever the order, and merging a dump again changes nothing. Everything happens in
one write transaction, after every check: a dump with any problem merges nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sendtui.models.base import sql_time, utcnow
from sendtui.services import field_times as ft
from sendtui.services.dump_check import Dump, DumpError, DumpPoint, load_dump, stored_time
from sendtui.services.events import EventService
from sendtui.services.merge_attendance import RecordConflict, RecordsMerged, merge_records
from sendtui.services.merge_attendance import problems as record_problems
from sendtui.services.merge_places import places, point_problems
from sendtui.store import tally
from sendtui.store.db import Db
from sendtui.store.store import Store
from sendtui.text import name_key, printable


@dataclass(frozen=True)
class Conflict:
    point_uuid: str
    text: str
    field: str
    kept: Any
    other: Any

    def line(self) -> str:
        words = " ".join(self.text.split())
        words = words[:40] + ("…" if len(words) > 40 else "")
        return printable(
            f"  “{words}” {self.field}: kept {json.dumps(self.kept, ensure_ascii=False)}, "
            f"the other was {json.dumps(self.other, ensure_ascii=False)}"
        )


@dataclass(frozen=True)
class MergeResult:
    event_id: int
    event_title: str
    created_event: bool
    new: int
    updated: int
    unchanged: int
    new_groups: int = 0
    new_topics: int = 0
    conflicts: tuple[Conflict, ...] = field(default=())
    records: RecordsMerged = field(default_factory=RecordsMerged)  # attendance, actions

    def summary(self) -> str:
        made = "created" if self.created_event else "merged into"
        extra = ""
        if self.new_groups or self.new_topics:
            extra = f"; {self.new_groups} new groups, {self.new_topics} new topics"
        if records := self.records.summary():
            extra += f"; {records}"
        text = (
            f"{made.capitalize()} event {self.event_id} “{printable(self.event_title)}”: "
            f"{self.new} new points, {self.updated} updated, {self.unchanged} unchanged{extra}."
        )
        if self.conflicts:
            n = len(self.conflicts)
            text += (
                f"\n{n} conflict{'s' if n != 1 else ''}: the same field changed differently on "
                "two laptops; the newer value was kept, the other is in review's Conflicts:\n"
                + "\n".join(c.line() for c in self.conflicts[:20])
            )
            if n > 20:
                text += f"\n  … and {n - 20} more"
        return text + _record_conflicts(self.records.conflicts)


def _record_conflicts(conflicts: list[RecordConflict]) -> str:
    if not conflicts:
        return ""
    n = len(conflicts)
    lines = "\n".join(c.line() for c in conflicts[:20])
    more = f"\n  … and {n - 20} more" if n > 20 else ""
    return (
        f"\n{n} attendance or action difference{'s' if n != 1 else ''}: the two laptops had "
        f"different values; every laptop keeps the same one (check it in attendance, `a`):\n"
        f"{lines}{more}"
    )


def looks_like_dump(path: Path) -> bool:
    """True for a file `import_file` would merge as a dump."""
    from sendtui.services.importer import file_kind

    return file_kind(path) == "dump"


def merge_file(store: Store, path: Path, *, event: str | None = None) -> MergeResult:
    """Check the dump at `path` and merge it (see the module's description)."""
    return merge_dump(store, load_dump(path), event=event, source=str(path))


def merge_dump(
    store: Store, dump: Dump, *, event: str | None = None, source: str = "the dump"
) -> MergeResult:
    """Merge a checked dump into the store in one transaction; raises DumpError (nothing
    merged) if its scheme, chapters, markers or parents do not fit this store."""
    from sendtui.services.sync import laptop_id

    target = EventService(store).find(event) if event else None
    me = laptop_id(store)
    origin = _origin(dump, source)
    with store.write_raw() as conn:
        event_id, scheme_id, title, created = _event(
            conn, dump, target.id if target else None, source
        )
        if problems := record_problems(conn, event_id, dump):
            raise DumpError(source, problems)
        groups, topics, new_groups, new_topics = places(conn, event_id, dump, created)
        merger = _PointMerger(conn, event_id, scheme_id, dump, me, origin, source)
        new, updated, unchanged = merger.run(groups, topics)
        records = merge_records(conn, event_id, dump.records)
        return MergeResult(
            event_id, title, created, new, updated, unchanged, new_groups, new_topics,
            tuple(merger.conflicts), records,
        )  # fmt: skip


def _origin(dump: Dump, source: str) -> str:
    """Where the dump's values came from, for a conflict row: note-taker, laptop, file."""
    parts = [p for p in (dump.note_taker, f"laptop {dump.laptop[:8]}" if dump.laptop else "")]
    who = ", ".join(p for p in parts if p)
    return f"{who} ({Path(source).name})" if who else Path(source).name


def _event(conn: Db, dump: Dump, event_id: int | None, source: str) -> tuple[int, int, str, bool]:
    """(id, scheme id, title, created) of the event the dump goes into."""
    select = (
        "SELECT e.id, e.uuid, e.title, e.scheme_id, s.code, e.updated_at FROM event e "
        "JOIN scheme s ON s.id = e.scheme_id WHERE "
    )
    if event_id is not None:
        found = conn.execute(select + "e.id = ?", (event_id,)).fetchone()
    else:
        found = conn.execute(select + "e.uuid = ?", (dump.uuid,)).fetchone()
        if found is None:  # the same notes imported on two laptops: same title and date
            key, date = name_key(dump.title), dump.date.isoformat() if dump.date else None
            where = "e.title_key = ? AND " + ("e.date = ?" if date else "e.date IS NULL")
            found = conn.execute(select + where, (key, date) if date else (key,)).fetchone()
    if found is None:
        scheme = conn.execute("SELECT id FROM scheme WHERE code = ?", (dump.scheme,)).fetchone()
        if scheme is None:
            known = ", ".join(r[0] for r in conn.execute("SELECT code FROM scheme ORDER BY code"))
            raise DumpError(
                source,
                [f"event.scheme.code: there is no chapter scheme “{dump.scheme}” here "
                 f"(known: {known})"],
            )  # fmt: skip
        made = conn.execute(
            "INSERT INTO event (uuid, title, title_key, date, venue, subject, attendance, "
            "scheme_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "RETURNING id",
            (dump.uuid, dump.title, name_key(dump.title),
             dump.date.isoformat() if dump.date else None, dump.venue, dump.subject,
             dump.attendance, scheme[0], stored_time(dump.created_at),
             stored_time(dump.updated_at)),
        ).fetchone()[0]  # fmt: skip
        return made, scheme[0], dump.title, True
    found_id, found_uuid, title, scheme_id, code, updated = found
    if code != dump.scheme:
        raise DumpError(
            source,
            [f"event.scheme.code: the file's points are tagged on “{dump.scheme}” but event "
             f"{found_id} uses “{code}”, so chapters cannot be mapped"],
        )  # fmt: skip
    newer = stored_time(dump.updated_at) > str(updated)
    if found_uuid == dump.uuid and newer:
        date = dump.date.isoformat() if dump.date else None
        clash = conn.execute(
            "SELECT id FROM event WHERE title_key = ? AND id <> ? AND "
            + ("date = ?" if date else "date IS NULL"),
            (name_key(dump.title), found_id, date) if date else (name_key(dump.title), found_id),
        ).fetchone()
        if clash is None:  # another event already has that title and date: keep ours
            conn.execute(
                "UPDATE event SET title = ?, title_key = ?, date = ?, venue = ?, subject = ?, "
                "attendance = ?, updated_at = ? WHERE id = ?",
                (dump.title, name_key(dump.title), date, dump.venue, dump.subject,
                 dump.attendance, stored_time(dump.updated_at), found_id),
            )  # fmt: skip
            title = dump.title
    return found_id, scheme_id, title, False


class _PointMerger:
    """The points of one dump merged into one event (see the module's description)."""

    def __init__(
        self, conn: Db, event_id: int, scheme_id: int, dump: Dump, me: str, origin: str,
        source: str,
    ) -> None:  # fmt: skip
        self.conn, self.event_id, self.dump = conn, event_id, dump
        self.me, self.origin, self.source = me, origin, source
        self.chapter_ids = dict(
            conn.execute("SELECT code, id FROM chapter WHERE scheme_id = ?", (scheme_id,))
        )
        self.marker_ids = dict(conn.execute("SELECT code, id FROM marker"))
        self.conflicts: list[Conflict] = []

    def run(self, groups: dict[str, int], topics: dict[str, int]) -> tuple[int, int, int]:
        from sendtui.services.merge_fields import local_points, merge_point, place_names

        conn, dump = self.conn, self.dump
        wanted = list({p.uuid for p in dump.points} | {p.parent for p in dump.points if p.parent})
        here = local_points(conn, wanted)
        problems = point_problems(
            dump.points, here, self.event_id, self.chapter_ids, self.marker_ids
        )
        if problems:
            raise DumpError(self.source, problems)
        names = place_names(conn, self.event_id)
        inserts, parents, retag, updates, conflict_rows = [], [], [], [], []
        unchanged = 0
        now = sql_time(utcnow())
        for point in dump.points:
            place = (groups[point.group], topics[point.topic] if point.topic else None,
                     point.heading, point.parent)  # fmt: skip
            local = here.get(point.uuid)
            if local is None:
                inserts.append(self._insert_row(point, place))
                parents.append((point.uuid, point.parent))
                retag.append((point.uuid, point.chapters, point.markers))
                continue
            merged = merge_point(local, point, place, self.me, self.dump.laptop)
            for name, kept, other, other_time in merged.conflicts:
                self.conflicts.append(
                    Conflict(point.uuid, merged.values["text"], name, names.json(name, kept),
                             names.json(name, other))
                )  # fmt: skip
                conflict_rows.append(
                    (local.id, name, json.dumps(names.json(name, kept), ensure_ascii=False),
                     json.dumps(names.json(name, other), ensure_ascii=False), other_time,
                     self.origin, now)
                )  # fmt: skip
            if merged.row is None:
                unchanged += 1
                continue
            updates.append((*merged.row, bool(merged.changed)))
            if merged.changed & {"place"}:
                parents.append((point.uuid, merged.values["place"][3]))
            if merged.changed & {"chapters", "markers"}:
                retag.append((point.uuid, merged.values["chapters"], merged.values["markers"]))
            if not merged.changed:
                unchanged += 1  # only the change times moved on
        self._write(inserts, updates, parents, retag, conflict_rows)
        return len(inserts), sum(1 for u in updates if u[-1]), unchanged

    def _insert_row(self, p: DumpPoint, place: tuple) -> tuple:
        times = p.field_times
        if not times.times:  # a dump from before field times: the point's own time
            times = ft.Times(dict.fromkeys(ft.FIELDS, stored_time(p.updated_at)))
            times.by = dict.fromkeys(ft.FIELDS, self.dump.laptop) if self.dump.laptop else {}
        times.by = {k: v for k, v in times.by.items() if v != self.me}
        return (p.uuid, self.event_id, place[0], place[1], place[2], p.kind, p.text,
                p.section_ref, p.position, p.note_taker, p.private, stored_time(p.created_at),
                stored_time(p.updated_at), stored_time(p.deleted_at) if p.deleted_at else None,
                times.dump())  # fmt: skip

    def _write(self, inserts, updates, parents, retag, conflict_rows) -> None:
        # Every point written is this event's (point_problems refused any other's): one
        # recount of it costs less than the tally's triggers on each point and tag.
        with tally.paused(self.conn, [self.event_id]):
            self._write_rows(inserts, updates, parents, retag, conflict_rows)

    def _write_rows(self, inserts, updates, parents, retag, conflict_rows) -> None:
        conn = self.conn
        if inserts:
            conn.executemany(
                "INSERT INTO point (uuid, event_id, group_id, topic_id, heading, kind, text, "
                "section_ref, position, note_taker, private, created_at, updated_at, "
                "deleted_at, field_times) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                inserts,
            )
        if updates:
            conn.executemany(
                "UPDATE point SET group_id = ?, topic_id = ?, heading = ?, kind = ?, text = ?, "
                "section_ref = ?, position = ?, private = ?, deleted_at = ?, updated_at = ?, "
                "field_times = ? WHERE id = ?",
                [u[:-1] for u in updates],
            )
        if not (parents or retag or conflict_rows):
            return
        ids = dict(conn.execute("SELECT uuid, id FROM point WHERE event_id = ?", (self.event_id,)))
        if parents:
            conn.executemany(
                "UPDATE point SET parent_id = ? WHERE id = ?",
                [(ids[parent] if parent else None, ids[uuid]) for uuid, parent in parents],
            )
        if retag:
            gone = [(ids[uuid],) for uuid, _, _ in retag]
            conn.executemany("DELETE FROM point_chapter WHERE point_id = ?", gone)
            conn.executemany("DELETE FROM point_marker WHERE point_id = ?", gone)
            conn.executemany(
                "INSERT INTO point_chapter (point_id, chapter_id) VALUES (?, ?)",
                [(ids[u], self.chapter_ids[c]) for u, chapters, _ in retag for c in chapters],
            )
            conn.executemany(
                "INSERT INTO point_marker (point_id, marker_id) VALUES (?, ?)",
                [(ids[u], self.marker_ids[m]) for u, _, markers in retag for m in markers],
            )
        for row in conflict_rows:  # a conflict already listed (a dump merged again) once
            same = conn.execute(
                "SELECT 1 FROM point_conflict WHERE point_id = ? AND field = ? AND "
                "other_value = ? AND other_time = ?",
                (row[0], row[1], row[3], row[4]),
            ).fetchone()
            if same is None:
                conn.execute(
                    "INSERT INTO point_conflict (point_id, field, kept_value, other_value, "
                    "other_time, source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
