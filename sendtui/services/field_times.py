"""When each field of a point last changed: what a field-by-field merge compares.

A point's `field_times` column holds a JSON object `{field: ISO time in UTC}`. Every write
that changes a point's fields records the fields it changed here, so merging two laptops'
copies can keep one laptop's chapter tag and the other's kind change to the same point.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

# The fields a merge compares, each on its own. "chapters" and "markers" are the tag sets;
# "place" is group, topic, heading and parent together (a move changes them as one).
FIELDS = ("text", "kind", "section_ref", "chapters", "markers", "private", "place", "position",
          "deleted")  # fmt: skip


def load(raw: str | None) -> dict[str, str]:
    """The times in a stored `field_times` value; {} for an empty or unreadable one."""
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if k in FIELDS and isinstance(v, str)}


def dump(times: dict[str, str]) -> str:
    return json.dumps({k: times[k] for k in FIELDS if k in times}, separators=(",", ":"))


def touch(raw: str | None, fields: Iterable[str], at: str) -> str:
    """`raw` with each of `fields` stamped `at` (an ISO UTC time, as `sql_time` gives)."""
    times = load(raw)
    for field in fields:
        if field not in FIELDS:
            raise ValueError(f"not a point field: {field}")
        times[field] = at
    return dump(times)


def all_fields(at: str) -> str:
    """The times of a new point: every field made `at`."""
    return dump(dict.fromkeys(FIELDS, at))
