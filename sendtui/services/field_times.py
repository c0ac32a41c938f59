"""When each field of a point last changed: what a field-by-field merge compares.

A point's `field_times` column holds a JSON object:

    {"text": "2026-11-29 10:01:02.000000", "kind": "…", …,
     "by": {"kind": "<laptop id>"}, "seen": {"kind": "…"}}

- `{field: time}`: when the field's value was made (UTC, as `sql_time` writes it);
- `by`: the laptop that made a value which came here in a merge (absent: made here);
- `seen`: for a value made here, the newest time of another laptop's value it replaced.

Every write that changes a point's fields calls `touch`, so merging two laptops' copies can
keep one laptop's chapter tag and the other's kind change to the same point, and can tell a
true conflict (both changed the field, neither having seen the other's value: the loser's
time is newer than what the winner had seen) from a plain update.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

# The fields a merge compares, each on its own. "chapters" and "markers" are the tag sets;
# "place" is group, topic, heading and parent together (a move changes them as one).
FIELDS = ("text", "kind", "section_ref", "chapters", "markers", "private", "place", "position",
          "deleted")  # fmt: skip


@dataclass
class Times:
    """A point's field times, who made each value and what each had seen."""

    times: dict[str, str] = field(default_factory=dict)
    by: dict[str, str] = field(default_factory=dict)
    seen: dict[str, str] = field(default_factory=dict)

    def dump(self) -> str:
        out: dict[str, object] = {k: self.times[k] for k in FIELDS if k in self.times}
        by = {k: self.by[k] for k in FIELDS if self.by.get(k)}
        seen = {k: self.seen[k] for k in FIELDS if self.seen.get(k)}
        if by:
            out["by"] = by
        if seen:
            out["seen"] = seen
        return json.dumps(out, separators=(",", ":"))


def _strings(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if k in FIELDS and isinstance(v, str)}


def parse(value: object) -> Times:
    """Times from a decoded JSON object (a stored column or a dump's `field_times`)."""
    if not isinstance(value, dict):
        return Times()
    return Times(_strings(value), _strings(value.get("by")), _strings(value.get("seen")))


def load_times(raw: str | None) -> Times:
    """The stored `field_times` value; empty for an empty or unreadable one."""
    if not raw:
        return Times()
    try:
        return parse(json.loads(raw))
    except (ValueError, RecursionError):
        return Times()


def load(raw: str | None) -> dict[str, str]:
    """The times in a stored `field_times` value; {} for an empty or unreadable one."""
    return load_times(raw).times


def dump(times: dict[str, str]) -> str:
    return Times(dict(times)).dump()


def touch(raw: str | None, fields: Iterable[str], at: str) -> str:
    """`raw` with each of `fields` stamped `at` (an ISO UTC time, as `sql_time` gives), as
    changed here: a value that came from another laptop counts as seen."""
    record = load_times(raw)
    for name in fields:
        if name not in FIELDS:
            raise ValueError(f"not a point field: {name}")
        previous = record.times.get(name)
        if previous and record.by.get(name):
            record.seen[name] = max(record.seen.get(name, ""), previous)
        record.times[name] = at
        record.by.pop(name, None)
    return record.dump()


def all_fields(at: str) -> str:
    """The times of a new point: every field made `at`."""
    return Times(dict.fromkeys(FIELDS, at)).dump()


def for_dump(raw: str | None, laptop: str) -> dict[str, object]:
    """A stored value as a dump carries it: every value's maker named (here: `laptop`)."""
    record = load_times(raw)
    record.by = {k: record.by.get(k) or laptop for k in record.times}
    return json.loads(record.dump())


def from_dump(value: object, me: str) -> Times:
    """A dump's field times as stored here: values this laptop made are "made here"."""
    record = parse(value)
    record.by = {k: v for k, v in record.by.items() if v != me}
    return record
