"""Reading a JSON event dump ("sendtui-event", version 1 to 3; see docs/dump-format.md) into
typed records, with every problem named by its place in the file ("points[3].text: missing").
Version 2 added attendees, apologies and actions (read by `dump_attendance`); a file without
them, of any version, has none. Version 3 added their change times and removed records.

Checking is complete before anything is written: a file with any problem merges nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sendtui.errors import InputError
from sendtui.models.kinds import Kind
from sendtui.services import field_times
from sendtui.services.dump_attendance import Attendance
from sendtui.services.dump_attendance import parse as parse_attendance
from sendtui.services.dump_values import MAX_POSITION, MISSING, Checker, stored_time, surrogate
from sendtui.text import printable

__all__ = ["MAX_POSITION", "Dump", "DumpError", "DumpPoint", "load_dump", "parse_dump",
           "stored_time"]  # fmt: skip

FORMAT = "sendtui-event"
VERSION = 3
VERSIONS = (1, 2, 3)  # every version this sendtui reads
MAX_DUMP_BYTES = 1024 * 1024 * 1024
MAX_PROBLEMS = 20


class DumpError(InputError):
    """A dump that cannot be merged; `problems` lists every fault found, by path."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        lines = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            lines.append(f"… and {len(problems) - MAX_PROBLEMS} more problems")
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__(
            f"{printable(source)} has {len(problems)} {noun}; nothing was merged.\n"
            + "\n".join(printable(line) for line in lines)
        )


@dataclass(frozen=True)
class DumpTopic:
    uuid: str
    title: str
    position: int


@dataclass(frozen=True)
class DumpGroup:
    uuid: str
    name: str
    facilitator: str
    note_taker: str
    position: int
    topics: tuple[DumpTopic, ...]


@dataclass(frozen=True)
class DumpPoint:
    index: int  # its place in the file's "points", for messages
    uuid: str
    group: str
    topic: str | None
    parent: str | None
    heading: str
    kind: str
    text: str
    section_ref: str
    chapters: tuple[str, ...]  # codes
    markers: tuple[str, ...]
    position: int
    note_taker: str
    private: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None
    field_times: field_times.Times = field(default_factory=field_times.Times)


@dataclass(frozen=True)
class Dump:
    uuid: str
    title: str
    date: dt.date | None
    venue: str
    subject: str
    attendance: str
    scheme: str
    created_at: dt.datetime
    updated_at: dt.datetime
    groups: tuple[DumpGroup, ...]
    points: tuple[DumpPoint, ...]
    laptop: str = ""  # the laptop the dump was made on (its store's id), if it says
    note_taker: str = ""
    # who came, apologies and actions (version 2; times and removals: 3); `attendance` is the
    # event's own text
    records: Attendance = field(default_factory=Attendance)


def load_dump(path: Path) -> Dump:
    """Read and check a dump file; raises DumpError listing every problem."""
    from sendtui.services.input_files import InputFileError, read_file_bytes

    source = str(path)
    try:
        raw = read_file_bytes(path, max_bytes=MAX_DUMP_BYTES)
    except InputFileError as exc:
        problem = "this is a folder, not a JSON dump" if "folder" in exc.problem else exc.problem
        raise DumpError(source, [problem]) from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise DumpError(source, ["is not UTF-8 text"]) from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise DumpError(source, [f"{where}: not valid JSON ({exc.msg})"]) from None
    except ValueError as exc:  # a number of more than 4,300 digits
        raise DumpError(source, [f"not a sendtui dump ({exc})"]) from None
    except RecursionError:
        raise DumpError(source, ["is nested too deeply to be a sendtui dump"]) from None
    return parse_dump(data, source)


def parse_dump(data: Any, source: str = "the dump") -> Dump:
    """Check parsed JSON and return it as records; raises DumpError listing every problem."""
    check = Checker()
    root = check.obj(data, "(top level)")
    if root is None:
        raise DumpError(source, check.problems)
    if root.get("format") != FORMAT:
        raise DumpError(
            source, [f"format: expected “{FORMAT}” (a file from `sendtui export --format json`)"]
        )
    version = root.get("version")
    if type(version) is not int or version not in VERSIONS:
        newer = type(version) is int and version > VERSION
        message = (
            f"{version} is from a newer sendtui; this one reads versions up to {VERSION}"
            if newer
            else f"expected one of {', '.join(map(str, VERSIONS))}"
        )
        raise DumpError(source, [f"version: {message}"])

    # A missing object is one problem, not one for each of its fields.
    event = check.obj(root.get("event", MISSING), "event")
    dump_uuid = title = scheme_code = created = updated = date = None
    details: list[str] = []
    if event is not None:
        scheme = check.obj(event.get("scheme", MISSING), "event.scheme")
        dump_uuid = check.uuid(event, "uuid", "event")
        title = check.text(event, "title", "event", required=True)
        if scheme is not None:
            scheme_code = check.text(scheme, "code", "event.scheme", required=True)
        created = check.time(event, "created_at", "event")
        updated = check.time(event, "updated_at", "event")
        date = check.date(event, "date", "event")
        details = [check.text(event, key, "event") for key in ("venue", "subject", "attendance")]
    laptop = check.obj(root.get("laptop", {}), "laptop") or {}
    laptop_id = check.text(laptop, "id", "laptop")
    note_taker = check.text(laptop, "note_taker", "laptop")
    if len(laptop_id) > 100:
        check.fail("laptop.id", "is not a laptop id")
    groups = _groups(check, root)
    points = _points(check, root, groups)
    records = parse_attendance(check, root)
    if check.problems:
        raise DumpError(source, check.problems)
    assert event is not None and dump_uuid and title and scheme_code and created and updated
    venue, subject, attendance = details
    return Dump(
        dump_uuid,
        " ".join(title.split()),
        date,
        venue,
        subject,
        attendance,
        scheme_code,
        created,
        updated,
        groups,
        points,
        laptop_id,
        note_taker,
        records,
    )


def _groups(check: Checker, root: dict[str, Any]) -> tuple[DumpGroup, ...]:
    groups: list[DumpGroup] = []
    seen: dict[str, str] = {}
    for g_index, raw in enumerate(check.items(root, "groups", "")):
        path = f"groups[{g_index}]"
        item = check.obj(raw, path)
        if item is None:
            continue
        topics: list[DumpTopic] = []
        for t_index, raw_topic in enumerate(check.items(item, "topics", f"{path}.")):
            t_path = f"{path}.topics[{t_index}]"
            topic = check.obj(raw_topic, t_path)
            if topic is None:
                continue
            t_uuid = check.uuid(topic, "uuid", t_path)
            if t_uuid in seen:
                check.fail(f"{t_path}.uuid", f"repeats {seen[t_uuid]}")
            elif t_uuid:
                seen[t_uuid] = t_path
            t_title = check.text(topic, "title", t_path, required=True)
            position = check.integer(topic, "position", t_path, t_index)
            topics.append(DumpTopic(t_uuid or "", " ".join(t_title.split()), position))
        g_uuid = check.uuid(item, "uuid", path)
        if g_uuid in seen:
            check.fail(f"{path}.uuid", f"repeats {seen[g_uuid]}")
        elif g_uuid:
            seen[g_uuid] = path
        groups.append(
            DumpGroup(
                g_uuid or "",
                " ".join(check.text(item, "name", path, required=True).split()),
                check.text(item, "facilitator", path),
                check.text(item, "note_taker", path),
                check.integer(item, "position", path, g_index),
                tuple(topics),
            )
        )
    return tuple(groups)


def _points(
    check: Checker, root: dict[str, Any], groups: tuple[DumpGroup, ...]
) -> tuple[DumpPoint, ...]:
    topics_of = {g.uuid: {t.uuid for t in g.topics} for g in groups}
    kinds = {k.value for k in Kind}
    points: list[DumpPoint] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(check.items(root, "points", "")):
        path = f"points[{index}]"
        item = check.obj(raw, path)
        if item is None:
            continue
        p_uuid = check.uuid(item, "uuid", path)
        if p_uuid in seen:
            check.fail(f"{path}.uuid", f"repeats points[{seen[p_uuid]}]")
        elif p_uuid:
            seen[p_uuid] = index
        group = check.uuid(item, "group", path)
        topic = check.uuid(item, "topic", path, optional=True)
        if group and group not in topics_of:
            check.fail(f"{path}.group", "is not one of the file's groups")
        elif group and topic and topic not in topics_of[group]:
            check.fail(f"{path}.topic", "is not one of its group's topics")
        kind = check.text(item, "kind", path, required=True)
        if kind and kind not in kinds:
            check.fail(f"{path}.kind", f"“{kind[:20]}” is not one of {', '.join(sorted(kinds))}")
        chapters = []
        for c_index, chapter in enumerate(check.items(item, "chapters", f"{path}.")):
            c_path = f"{path}.chapters[{c_index}]"
            found = check.obj(chapter, c_path)
            if found is not None:
                chapters.append(check.text(found, "code", c_path, required=True))
        markers = []
        for m_index, marker in enumerate(check.items(item, "markers", f"{path}.")):
            if isinstance(marker, str) and marker.strip() and surrogate(marker) is None:
                markers.append(marker.strip().upper())
            else:
                check.fail(f"{path}.markers[{m_index}]", "must be a marker code such as “M3”")
        points.append(
            DumpPoint(
                index=index,
                uuid=p_uuid or "",
                group=group or "",
                topic=topic,
                parent=check.uuid(item, "parent", path, optional=True),
                heading=check.text(item, "heading", path),
                kind=kind,
                text=check.text(item, "text", path, required=True),
                section_ref=check.text(item, "section_ref", path),
                chapters=tuple(dict.fromkeys(chapters)),
                markers=tuple(dict.fromkeys(markers)),
                position=check.integer(item, "position", path, index),
                note_taker=check.text(item, "note_taker", path),
                private=check.boolean(item, "private", path),
                created_at=check.time(item, "created_at", path) or _EPOCH,
                updated_at=check.time(item, "updated_at", path) or _EPOCH,
                deleted_at=check.time(item, "deleted_at", path, optional=True),
                field_times=check.field_times(item, path),
            )
        )
    _check_parents(check, points)
    return tuple(points)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # stands in only while problems are collected


def _check_parents(check: Checker, points: list[DumpPoint]) -> None:
    """A point cannot be its own ancestor (a hand-edited file might say so)."""
    parent_of = {p.uuid: p.parent for p in points}
    for point in points:
        seen = {point.uuid}
        parent = point.parent
        while parent is not None and parent in parent_of:
            if parent in seen:
                check.fail(f"points[{point.index}].parent", "makes a loop of sub-points")
                break
            seen.add(parent)
            parent = parent_of[parent]
