"""One point merged field by field: which value of each field wins, and which differences
are true conflicts (see sendtui.services.merge and sendtui.services.field_times).

A field's winner is the value made last: ordered by (change time, the point's updated_at,
the laptop that made it, the value itself), the same order on every laptop, so merging in
either direction gives the same result. A difference is a true conflict when the losing value
was made on another laptop than the winner, after the newest value from elsewhere the winner
had seen (its `seen` time): the winner was typed without knowing of it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sendtui.services import field_times as ft
from sendtui.services.dump_check import DumpPoint, stored_time
from sendtui.store.db import Db

CHUNK = 500


@dataclass(frozen=True)
class LocalPoint:
    id: int
    uuid: str
    event_id: int
    values: dict[str, Any]
    deleted_at: str | None
    updated_at: str
    field_times: str


@dataclass
class Merged:
    values: dict[str, Any]
    changed: set[str] = field(default_factory=set)
    conflicts: list[tuple[str, Any, Any, str]] = field(default_factory=list)
    row: tuple | None = None  # the UPDATE's parameters, or None if nothing here changes


def _values(text, kind, section_ref, chapters, markers, private, place, position, deleted):
    return {
        "text": text, "kind": kind, "section_ref": section_ref,
        "chapters": tuple(sorted(chapters)), "markers": tuple(sorted(markers)),
        "private": bool(private), "place": place, "position": position,
        "deleted": bool(deleted),
    }  # fmt: skip


def local_points(conn: Db, uuids: list[str]) -> dict[str, LocalPoint]:
    """The points here with these UUIDs (in any event), with their fields as merged."""
    rows: list[Any] = []
    for start in range(0, len(uuids), CHUNK):
        chunk = uuids[start : start + CHUNK]
        marks = ", ".join("?" * len(chunk))
        rows += conn.execute(
            "SELECT p.id, p.uuid, p.event_id, p.group_id, p.topic_id, pp.uuid, p.heading, "
            "p.kind, p.text, p.section_ref, p.position, p.private, p.deleted_at, "
            "p.updated_at, p.field_times FROM point p LEFT JOIN point pp ON pp.id = p.parent_id "
            f"WHERE p.uuid IN ({marks})",
            chunk,
        ).fetchall()
    ids = [r[0] for r in rows]
    chapters: dict[int, list[str]] = {}
    markers: dict[int, list[str]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ", ".join("?" * len(chunk))
        for pid, code in conn.execute(
            "SELECT pc.point_id, c.code FROM point_chapter pc JOIN chapter c "
            f"ON c.id = pc.chapter_id WHERE pc.point_id IN ({marks})",
            chunk,
        ):
            chapters.setdefault(pid, []).append(code)
        for pid, code in conn.execute(
            "SELECT pm.point_id, m.code FROM point_marker pm JOIN marker m "
            f"ON m.id = pm.marker_id WHERE pm.point_id IN ({marks})",
            chunk,
        ):
            markers.setdefault(pid, []).append(code)
    found = {}
    for r in rows:
        values = _values(r[8], r[7], r[9], chapters.get(r[0], ()), markers.get(r[0], ()),
                         r[11], (r[3], r[4], r[6], r[5]), r[10], r[12] is not None)  # fmt: skip
        found[r[1]] = LocalPoint(r[0], r[1], r[2], values, r[12], str(r[13]), r[14] or "")
    return found


class PlaceNames:
    """Values as JSON for conflict rows: places by their groups', topics' UUIDs."""

    def __init__(self, groups: dict[int, str], topics: dict[int, str]) -> None:
        self.groups, self.topics = groups, topics

    def json(self, name: str, value: Any) -> Any:
        if name == "place":
            group, topic, heading, parent = value
            return {"group": self.groups.get(group), "topic": self.topics.get(topic),
                    "heading": heading, "parent": parent}  # fmt: skip
        if isinstance(value, tuple):
            return list(value)
        return value


def place_names(conn: Db, event_id: int) -> PlaceNames:
    groups = dict(
        conn.execute("SELECT id, uuid FROM discussion_group WHERE event_id = ?", (event_id,))
    )
    topics = dict(
        conn.execute(
            "SELECT t.id, t.uuid FROM topic t JOIN discussion_group g ON g.id = t.group_id "
            "WHERE g.event_id = ?",
            (event_id,),
        )
    )
    return PlaceNames(groups, topics)


def _key(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=list)


def merge_point(local: LocalPoint, p: DumpPoint, place: tuple, me: str, laptop: str) -> Merged:
    """`local` merged with the dump's copy `p` (whose place is mapped to ids here)."""
    remote = _values(p.text, p.kind, p.section_ref, p.chapters, p.markers, p.private, place,
                     p.position, p.deleted_at is not None)  # fmt: skip
    l_upd, r_upd = local.updated_at, stored_time(p.updated_at)
    lt = ft.load_times(local.field_times)
    if not lt.times:  # a point from before field times: its own time
        lt = ft.Times(dict.fromkeys(ft.FIELDS, l_upd))
    rt = p.field_times
    if not rt.times:
        rt = ft.Times(dict.fromkeys(ft.FIELDS, r_upd))
    sender = laptop or "the other laptop"
    out = ft.Times()
    result = Merged(dict(local.values))
    deleted_at = local.deleted_at
    for name in ft.FIELDS:
        lv, rv = local.values[name], remote[name]
        ltime, rtime = lt.times.get(name, ""), rt.times.get(name, "")
        lby, rby = lt.by.get(name) or me, rt.by.get(name) or sender
        if lv == rv:
            take_remote = (rtime, rby) > (ltime, lby)
        else:
            take_remote = (rtime, r_upd, rby, _key(rv)) > (ltime, l_upd, lby, _key(lv))
            w_seen = (rt if take_remote else lt).seen.get(name, "")
            w_time, l_time = (rtime, ltime) if take_remote else (ltime, rtime)
            w_by, l_by = (rby, lby) if take_remote else (lby, rby)
            # A laptop's later value replaced its own earlier one knowingly.
            if l_time and l_time != w_time and l_by != w_by and l_time > w_seen:
                kept, other = (rv, lv) if take_remote else (lv, rv)
                result.conflicts.append((name, kept, other, l_time))
            if take_remote:
                result.changed.add(name)
                result.values[name] = rv
                if name == "deleted":
                    deleted_at = stored_time(p.deleted_at) if p.deleted_at else None
        time, by = (rtime, rby) if take_remote else (ltime, lby)
        if time:
            out.times[name] = time
        if by != me:
            out.by[name] = by
        seen = max(lt.seen.get(name, ""), rt.seen.get(name, ""))
        if seen:
            out.seen[name] = seen
    times = out.dump()
    updated = max(l_upd, r_upd)
    if result.changed or times != (local.field_times or "") or updated != l_upd:
        v = result.values
        group_id, topic_id, heading, _parent = v["place"]
        result.row = (group_id, topic_id, heading, v["kind"], v["text"], v["section_ref"],
                      v["position"], v["private"], deleted_at, updated, times,
                      local.id)  # fmt: skip
    return result
