"""The capture outbox: points typed but not yet in the store, kept durably on this laptop.

When the store is busy (another process holds the write lock) or unreachable (a PostgreSQL
server over venue Wi-Fi), a typed point goes here first, in order, and a writer thread moves
each one into the store as soon as it can. The outbox is its own small SQLite file, so
appending to it never waits on the store: beside a SQLite store (`sendtui.db.outbox`), or in
the user's data folder for a server store. It is created 0600 (points name people) and every
append is fsynced (synchronous=FULL) before the capture line clears, so a crash or a power
cut in the meantime loses nothing. Entries are keyed by the point's UUID: the store insert is
idempotent on it, so an entry committed just before a crash is not saved twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sendtui.errors import StoreError
from sendtui.store.connection import PRIVATE, store_error

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL
)
"""


@dataclass(frozen=True, slots=True)
class Entry:
    """One waiting point: its order, UUID and what the capture line parsed (JSON-able)."""

    seq: int
    uuid: str
    payload: dict[str, Any]


def outbox_path(location: str | Path, data_dir: Path | None = None) -> Path:
    """Where the outbox for a store lives: beside a SQLite file, or (for a server URL, which
    may carry a password) in `data_dir` under a name derived from a hash of the URL."""
    text = str(location)
    if isinstance(location, Path) or not _is_server(text):
        return Path(text + ".outbox")
    folder = data_dir or Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local/share")
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return folder / "sendtui" / f"outbox-{digest}.sqlite"


def _is_server(text: str) -> bool:
    """A PostgreSQL URL or libpq `key=value` settings, not a file (the config's own rule)."""
    from sendtui.config import is_postgres_location

    return is_postgres_location(text)


class Outbox:
    """An ordered, durable queue of points waiting for the store. Thread-safe."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(self.path, os.O_CREAT | os.O_RDWR, PRIVATE))
            conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA busy_timeout = 2000")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(
                f"{self.path}: sendtui could not open its list of points waiting to be saved "
                f"({exc})."
            ) from None
        self._conn = conn

    def append(self, uuid: str, payload: dict[str, Any]) -> int:
        """Queue a point (durably, before returning); returns its order number."""
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        with self._lock:
            try:
                row = self._conn.execute(
                    "INSERT INTO outbox (uuid, payload) VALUES (?, ?) "
                    "ON CONFLICT (uuid) DO UPDATE SET payload = payload RETURNING seq",
                    (uuid, data),
                ).fetchone()
            except sqlite3.Error as exc:
                raise store_error(exc, self.path) from None
        return int(row[0])

    def entries(self, limit: int | None = None) -> list[Entry]:
        """Waiting points, oldest first."""
        sql = "SELECT seq, uuid, payload FROM outbox ORDER BY seq"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        with self._lock:
            rows = self._conn.execute(sql).fetchall()
        return [Entry(seq, uuid, json.loads(payload)) for seq, uuid, payload in rows]

    def first(self) -> Entry | None:
        found = self.entries(limit=1)
        return found[0] if found else None

    def remove(self, uuid: str) -> None:
        """Forget a point once the store has it."""
        with self._lock:
            try:
                self._conn.execute("DELETE FROM outbox WHERE uuid = ?", (uuid,))
            except sqlite3.Error as exc:
                raise store_error(exc, self.path) from None

    def present(self, uuids: list[str]) -> set[str]:
        """Which of `uuids` are still waiting (another process may have saved some)."""
        found: set[str] = set()
        with self._lock:
            try:
                for start in range(0, len(uuids), 500):
                    chunk = uuids[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    found.update(
                        r[0]
                        for r in self._conn.execute(
                            f"SELECT uuid FROM outbox WHERE uuid IN ({marks})", chunk
                        )
                    )
            except sqlite3.Error as exc:
                raise store_error(exc, self.path) from None
        return found

    def __len__(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM outbox").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def writer_connection(store: Any, *, busy_timeout_ms: int) -> Any:
    """A write connection of the caller's own (a thread's, or the no-wait fast path's), so it
    never shares a transaction with the store's. `busy_timeout_ms=0` fails at once when
    another process holds the write lock, instead of waiting."""
    own = getattr(store, "new_writer", None)
    if own is not None:  # a store that knows how to make one (a server store)
        return own(busy_timeout_ms=busy_timeout_ms)
    from sendtui.store.connection import connect

    return connect(store.path, busy_timeout_ms=busy_timeout_ms)


class Transaction:
    """`with Transaction(conn) as db:` a short write transaction (BEGIN IMMEDIATE on SQLite,
    so the write lock is taken at once), committed when the block ends without error."""

    def __init__(self, conn: Any, event_id: int | None = None) -> None:
        self.conn = conn
        self.event_id = event_id  # a server store tells live screens which event changed

    def __enter__(self) -> Any:
        begin = getattr(self.conn, "begin_write", None)
        if begin is not None:
            begin(self.event_id)
        else:
            self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, kind: Any, value: Any, tb: Any) -> None:
        if kind is None:
            self.conn.execute("COMMIT")
            return
        with contextlib.suppress(Exception):  # nothing to roll back if BEGIN itself failed
            self.conn.execute("ROLLBACK")
