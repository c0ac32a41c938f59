"""What the app remembers between runs: the last event, group, topic, heading and the text
still in the capture line (saved on every keystroke, so a crash or a closed terminal loses
nothing).

Writes go through their own connection with synchronous=NORMAL and a short busy timeout: a
draft survives the app dying (not a power cut), and typing never waits on another process.

This is one laptop's state, so for a shared PostgreSQL store it is kept in a small SQLite
file of this user's (beside the outbox: one per server location, 0600), not on the server
where every note-taker's drafts would overwrite each other's.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from sendtui.errors import SendtuiError, StoreError
from sendtui.store import reads
from sendtui.store.connection import (
    connect,
    connect_read_only,
    ensure_private_file,
    inspect_file,
)
from sendtui.store.location import is_postgres

LAST = "last"


def capture_key(event_id: int) -> str:
    return f"capture:{event_id}"


class StateStore:
    """Small JSON values by key, in the ui_state table."""

    def __init__(self, location: Path | str) -> None:
        self.location = location
        self.local = is_postgres(location)
        self.path = local_state_path(str(location)) if self.local else Path(location)
        self._conn: sqlite3.Connection | None = None

    @property
    def conn(self) -> sqlite3.Connection:
        """The connection; a StoreError (caught by get/put) while the file is not (yet) a
        sendtui store: another program's file is never opened for writing."""
        if self._conn is None:
            if self.local:
                ensure_private_file(self.path)
                self._conn = connect(self.path, busy_timeout_ms=200, durable=False)
                self._conn.execute(
                    "CREATE TABLE IF NOT EXISTS ui_state (key VARCHAR(100) PRIMARY KEY, "
                    "value VARCHAR NOT NULL)"
                )
            elif not self.path.is_file() or inspect_file(self.path).kind != "sendtui":
                raise StoreError(f"{self.path} is not a sendtui store (yet)")
            elif not os.access(self.path, os.W_OK) or not os.access(self.path.parent, os.W_OK):
                self._conn = connect_read_only(self.path, busy_timeout_ms=200)
            else:
                self._conn = connect(self.path, busy_timeout_ms=200, durable=False)
        return self._conn

    def get(self, key: str) -> dict[str, Any]:
        try:
            raw = reads.ui_state(self.conn, key)
            value = json.loads(raw) if raw else {}
        except (sqlite3.Error, SendtuiError, json.JSONDecodeError):
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
        except (sqlite3.Error, SendtuiError):
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


def local_state_path(location: str) -> Path:
    """This user's state file for a server store: named by a hash of the location (which may
    hold a password), in the user's data folder."""
    folder = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local/share") / "sendtui"
    digest = hashlib.sha256(location.encode()).hexdigest()[:16]
    return folder / f"state-{digest}.sqlite"
