"""What the app remembers between runs: the last event, group, topic, heading and the text
still in the capture line (saved on every keystroke, so a crash or a closed terminal loses
nothing).

Writes go through their own connection with synchronous=NORMAL and a short busy timeout: a
draft survives the app dying (not a power cut), and typing never waits on another process.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from sendtui.store import reads
from sendtui.store.connection import connect

LAST = "last"


def capture_key(event_id: int) -> str:
    return f"capture:{event_id}"


class StateStore:
    """Small JSON values by key, in the ui_state table."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = connect(self.path, busy_timeout_ms=200, durable=False)
        return self._conn

    def get(self, key: str) -> dict[str, Any]:
        try:
            raw = reads.ui_state(self.conn, key)
            value = json.loads(raw) if raw else {}
        except (sqlite3.Error, json.JSONDecodeError):
            return {}  # remembered state is a convenience: never fail because of it
        return value if isinstance(value, dict) else {}

    def put(self, key: str, value: dict[str, Any]) -> bool:
        """Save; False (and nothing raised) if the file is busy or read-only just now."""
        try:
            self.conn.execute(
                "INSERT INTO ui_state(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value, ensure_ascii=False)),
            )
        except sqlite3.Error:
            return False
        return True

    def update(self, key: str, **changes: Any) -> bool:
        value = self.get(key)
        value.update(changes)
        return self.put(key, value)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
