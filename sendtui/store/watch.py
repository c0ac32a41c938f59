"""Live changes: has anyone (another note-taker, a CLI import) changed the store?

For screen owners (capture, review, tallies, events)::

    watcher = store.watcher()          # once, when the screen mounts
    self.set_interval(0.5, poll)       # every ~0.5 s on the UI thread:

    def poll() -> None:
        if watcher.changed():          # cheap, never blocks, never raises
            reload_in_a_worker()       # re-read, keeping place, selection and typed text
        # watcher.events: the event ids named since the last changed() (PostgreSQL only;
        # empty when unknown, so treat an empty set as "any event")

    watcher.close()                    # when the screen goes

`changed()` is True at most once per batch of changes: it is True when something was
committed since the previous call (by any connection, this process's own writes included),
and the first call after creating the watcher is False.

- SQLite: `PRAGMA data_version` on a connection of the watcher's own. The number changes
  when another connection commits, and reading it costs microseconds.
- PostgreSQL: every write transaction through `write_raw()`/`write()` sends
  `NOTIFY sendtui, '<event id or empty>'` (delivered at commit). The watcher LISTENs on a
  connection of its own and collects notifications without waiting.

A watcher that loses its connection (the server went away) reports no change and tries again
on later calls; it never raises into a timer.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING, Any

from sendtui.text import ascii_number

if TYPE_CHECKING:
    from sendtui.store.store import Store


class Watcher:
    """A cheap, non-blocking "did the store change?" poll. Thread-safe."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.events: set[int] = set()
        self._lock = threading.Lock()
        self._conn: Any = None
        self._version: int | None = None
        self._connect()

    def _connect(self) -> None:
        try:
            if self.store.dialect == "postgresql":
                from sendtui.store import pg

                assert self.store.location.conninfo is not None
                self._conn = pg.connect(self.store.location.conninfo, connect_timeout=3)
                self._conn.execute(f"LISTEN {pg.CHANNEL}")
            else:
                self._conn = self.store.new_reader()
                self._version = self._data_version()
        except Exception:
            self._conn = None  # retried on the next changed()

    def _data_version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        """True if something was committed since the last call. Never blocks or raises."""
        with self._lock:
            if self._conn is None:
                self._connect()
                return False
            try:
                if self.store.dialect == "postgresql":
                    return self._notified()
                version = self._data_version()
            except Exception:
                self._drop()
                return False
            moved = version != self._version
            self._version = version
            return moved

    def _notified(self) -> bool:
        self.events.clear()
        found = False
        # timeout=0: collect what has arrived, do not wait for more.
        for notice in self._conn.notifies(timeout=0, stop_after=None):
            found = True
            # Any client may NOTIFY this channel: only an event id is taken.
            if (event_id := ascii_number(notice.payload)) is not None:
                self.events.add(event_id)
        return found

    def _drop(self) -> None:
        with contextlib.suppress(Exception):
            self._conn.close()
        self._conn = None

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._drop()
