"""Reading values out of a parsed JSON dump, each checked, every problem collected with its
place in the file ("points[3].text: missing"): what `sendtui.services.dump_check` uses.

Text with a lone surrogate (JSON allows "\\ud800"), integers outside 0…2^31 − 2, times that leave
the calendar once in UTC and values of the wrong type are problems, never exceptions.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from typing import Any

from sendtui.services import field_times
from sendtui.text import printable

# Positions are INTEGER columns: 32 bits on PostgreSQL, whose "integer out of range" would
# otherwise be the only message; room is left to add one.
MAX_POSITION = 2**31 - 2


def stored_time(when: dt.datetime) -> str:
    """A time as the store keeps it: UTC, "YYYY-MM-DD HH:MM:SS.ffffff" (year 1 as 0001)."""
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when.isoformat(sep=" ", timespec="microseconds")


def surrogate(value: str) -> int | None:
    """The first lone surrogate in `value` (JSON "\\ud800" escapes make them), if any."""
    for ch in value:
        if "\ud800" <= ch <= "\udfff":
            return ord(ch)
    return None


MISSING = object()


class Checker:
    """Collects problems while reading values out of the parsed JSON."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def obj(self, value: Any, path: str) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(path, "must be an object { … }" if value is not MISSING else "missing")
            return None
        return value

    def items(self, data: dict[str, Any], key: str, path: str) -> list[Any]:
        value = data.get(key, MISSING)
        if value is MISSING:
            self.fail(f"{path}{key}", "missing")
            return []
        if not isinstance(value, list):
            self.fail(f"{path}{key}", "must be a list [ … ]")
            return []
        return value

    def text(self, data: dict[str, Any], key: str, path: str, *, required: bool = False) -> str:
        value = data.get(key, MISSING)
        where = f"{path}.{key}"
        if value is MISSING or value is None:
            if required:
                self.fail(where, "missing")
            return ""
        if not isinstance(value, str):
            self.fail(where, "must be text")
            return ""
        if (code := surrogate(value)) is not None:
            self.fail(where, f"contains \\u{code:04x}, half of a character (a lone surrogate)")
            return ""
        if "\x00" in value:  # PostgreSQL cannot store it; no one types it
            self.fail(where, "contains \\x00, which is not a character of text")
            return ""
        if required and not value.strip():
            self.fail(where, "is empty")
        return value

    def uuid(
        self, data: dict[str, Any], key: str, path: str, *, optional: bool = False
    ) -> str | None:
        value = data.get(key)
        where = f"{path}.{key}"
        if value is None:
            if not optional:
                self.fail(where, "missing")
            return None
        if not isinstance(value, str):
            self.fail(where, "must be a UUID, as text")
            return None
        try:
            return str(uuidlib.UUID(value))
        except ValueError:
            self.fail(where, f"“{_short(value)}” is not a UUID")
            return None

    def integer(self, data: dict[str, Any], key: str, path: str, default: int = 0) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"{path}.{key}", "must be a whole number")
            return default
        if not 0 <= value <= MAX_POSITION:
            self.fail(f"{path}.{key}", f"must be a whole number from 0 to {MAX_POSITION:,}")
            return default
        return value

    def boolean(self, data: dict[str, Any], key: str, path: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.fail(f"{path}.{key}", "must be true or false")
            return False
        return value

    def time(
        self, data: dict[str, Any], key: str, path: str, *, optional: bool = False
    ) -> dt.datetime | None:
        value = data.get(key)
        where = f"{path}.{key}"
        if value is None:
            if not optional:
                self.fail(where, "missing")
            return None
        try:
            if not isinstance(value, str):
                raise ValueError
            when = dt.datetime.fromisoformat(value)
            when = when.astimezone(dt.UTC) if when.tzinfo else when.replace(tzinfo=dt.UTC)
        except ValueError:
            self.fail(where, f"“{_short(value)}” is not a date and time (ISO 8601)")
            return None
        except OverflowError:
            self.fail(where, f"“{_short(value)}” is out of range once in UTC")
            return None
        return when

    def field_times(self, data: dict[str, Any], path: str) -> field_times.Times:
        """A point's `field_times`, each time checked and in the store's form."""
        value = data.get("field_times")
        where = f"{path}.field_times"
        if value is None:
            return field_times.Times()
        if not isinstance(value, dict):
            self.fail(where, "must be an object { … }")
            return field_times.Times()
        record = field_times.parse(value)
        for part, times in (("", record.times), (".seen", record.seen)):
            for name in list(times):
                when = self.time(times, name, f"{where}{part}")
                times[name] = stored_time(when) if when else ""
        for name, who in record.by.items():
            if surrogate(who) is not None or len(who) > 100:
                self.fail(f"{where}.by.{name}", "is not a laptop id")
        return record

    def date(self, data: dict[str, Any], key: str, path: str) -> dt.date | None:
        value = data.get(key)
        if value is None:
            return None
        try:
            if not isinstance(value, str):
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"{path}.{key}", f"“{_short(value)}” is not a date (YYYY-MM-DD)")
            return None


def _short(value: Any) -> str:
    return printable(str(value)[:40]) if isinstance(value, str) else type(value).__name__
