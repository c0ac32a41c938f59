"""Typing never waits on the store: points are saved in order, at once or a moment later.

On Enter, a pending point is committed at once when the store is free and nothing is
waiting (a write attempt that does not wait for the lock: well under a millisecond on
SQLite). Otherwise it is appended to the durable outbox and a writer thread saves the
waiting points one by one, in order, each in its own short transaction, as soon as the store
frees or the server is back. A crash in between loses nothing: the outbox is drained first
next time, and saving is idempotent by UUID, so nothing is saved twice either.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sendtui.errors import InputError, NotFoundError
from sendtui.services.capture import Committed, Pending, commit, saved_point
from sendtui.store.outbox import Outbox, Transaction, outbox_path, writer_connection

RETRY_WAIT_S = (0.05, 0.1, 0.2, 0.5, 1.0)  # the writer's backoff while the store is busy
WRITER_BUSY_MS = 500  # how long one attempt of the writer thread waits for the lock
# The Enter fast path waits at most this long for the lock: enough to ride out this app's
# own draft writer (a write of well under a millisecond), far too short to be felt.
QUICK_BUSY_MS = 10

Saved = Callable[[Pending, Committed], None]
Status = Callable[[int, str], None]


def reason_of(exc: BaseException) -> str:
    """'busy' (another writer holds the lock), 'offline' (the server cannot be reached), or
    the error's own message."""
    text = str(getattr(exc, "message", None) or exc).lower()
    if "busy" in text or "locked" in text:
        return "busy"
    name = type(exc).__name__.lower()
    if (
        "operational" in name
        or "connection" in name
        or "timeout" in name
        or "offline" in text
        or "cannot reach" in text
    ):
        return "offline"
    return str(getattr(exc, "message", None) or exc)


def waiting_text(count: int, reason: str) -> str:
    """What the capture screen says while points wait."""
    points = f"{count} point{'s' if count != 1 else ''} waiting"
    if reason == "busy":
        return f"The database is busy: {points}."
    if reason == "offline":
        return f"Offline: {points}."
    return f"Not saved yet ({reason}): {points}."


class CaptureQueue:
    """Saves pending points for one store, in the order they were typed."""

    def __init__(
        self,
        store: Any,
        outbox: Outbox,
        *,
        stamp: bool = True,
        on_saved: Saved,
        on_status: Status,
        adopt: bool = True,
    ) -> None:
        self.store = store
        self.outbox = outbox
        self.stamp = stamp
        self.on_saved = on_saved
        self.on_status = on_status
        self._lock = threading.Lock()
        # This process's own waiting points. Several processes (two windows, `sendtui
        # capture` runs) share one outbox and any of them may save any entry; each counts,
        # reports and waits for its own points only.
        # Points left by a run that crashed are adopted (reported as saved here) unless the
        # caller only answers for its own input (`sendtui capture`).
        self._mine: dict[str, Pending] = (
            {e.uuid: e.payload for e in outbox.entries()} if adopt else {}
        )
        self.reason = "busy"  # why points are waiting, as last seen
        self._reported: tuple[int, str] = (-1, "")
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._quick: Any = None
        self._thread: threading.Thread | None = None

    @property
    def waiting(self) -> int:
        """How many of this process's points wait for the store."""
        with self._lock:
            return len(self._mine)

    def start(self) -> None:
        """Start the writer (it saves anything left over from a previous run first)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="capture-writer", daemon=True)
            self._thread.start()
        self._wake.set()

    def save(self, pending: Pending) -> Committed | None:
        """Commit now if the store is free and nothing is waiting; otherwise queue the point
        (durably) and return None. Raises SendtuiError only for a point that cannot be saved
        anywhere (its group has gone): the note-taker keeps the text and can fix it."""
        with self._lock:
            if not self._mine:
                try:
                    return self._commit_now(pending)
                except (InputError, NotFoundError):
                    raise  # the point itself cannot be saved: the note-taker fixes it
                except Exception as exc:  # the store cannot take it now: keep it, in order
                    self.reason = reason_of(exc)
                    self._drop_quick()
            self.outbox.append(pending["uuid"], pending)
            self._mine[pending["uuid"]] = pending
            count, reason = len(self._mine), self.reason
        self._report(count, reason)
        self._wake.set()
        return None

    def _commit_now(self, pending: Pending) -> Committed:
        if self._quick is None:
            self._quick = writer_connection(self.store, busy_timeout_ms=QUICK_BUSY_MS)
        with Transaction(self._quick, pending["event_id"]) as db:
            return commit(db, pending, stamp=self.stamp)

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def _report(self, count: int, reason: str) -> None:
        """Tell the screen how many points wait and why: news only, not every retry."""
        with self._lock:
            if (count, reason) == self._reported:
                return
            self._reported = (count, reason)
        self.on_status(count, reason)

    def _drop_quick(self) -> None:
        """After a failure the connection may be broken (a server gone): open anew."""
        if self._quick is not None and self.reason == "offline":
            _close(self._quick)
            self._quick = None

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=3)
        with self._lock:
            if self._quick is not None:
                _close(self._quick)
                self._quick = None
        if self._thread is None or not self._thread.is_alive():
            self.outbox.close()

    # -- the writer thread -------------------------------------------------------------------

    def _run(self) -> None:
        conn = None
        failures = 0
        while not self._stop.is_set():
            entry = self.outbox.first()
            if entry is None:
                conn = self._saved_elsewhere(conn)
                self._wake.wait(timeout=0.2 if self.waiting else 1.0)
                self._wake.clear()
                continue
            try:
                if conn is None:
                    conn = writer_connection(self.store, busy_timeout_ms=WRITER_BUSY_MS)
                with Transaction(conn, entry.payload.get("event_id")) as db:
                    done = commit(db, entry.payload, strict=False, stamp=self.stamp)
            except Exception as exc:
                reason = self.reason = reason_of(exc)
                if reason == "offline" and conn is not None:
                    _close(conn)
                    conn = None
                self._report(self.waiting, reason)
                self._stop.wait(RETRY_WAIT_S[min(failures, len(RETRY_WAIT_S) - 1)])
                failures += 1
                continue
            failures = 0
            self.outbox.remove(entry.uuid)
            with self._lock:
                mine = self._mine.pop(entry.uuid, None) is not None
                left = len(self._mine)
            if mine:
                self.on_saved(entry.payload, done)
                if left == 0:
                    self._report(0, "")
        if conn is not None:
            _close(conn)

    def _saved_elsewhere(self, conn: Any) -> Any:
        """Own points another process's writer saved (they left the shared outbox): tell the
        screen or command, as if saved here. Returns the (possibly new) connection."""
        with self._lock:
            uuids = list(self._mine)
        if not uuids:
            return conn
        gone = [u for u in uuids if u not in self.outbox.present(uuids)]
        if not gone:
            return conn
        try:
            if conn is None:
                conn = writer_connection(self.store, busy_timeout_ms=WRITER_BUSY_MS)
            found = {u: saved_point(conn, u) for u in gone}
        except Exception:  # the store cannot be read just now: try again on the next round
            return conn
        for uuid, done in found.items():
            if done is None:
                continue  # removed from the outbox but not yet visible: the next round
            with self._lock:
                pending = self._mine.pop(uuid, None)
                left = len(self._mine)
            if pending is not None:
                self.on_saved(pending, done)
                if left == 0:
                    self._report(0, "")
        return conn


def _close(conn: Any) -> None:
    with contextlib.suppress(Exception):  # a dropped connection may fail to close
        conn.close()


_QUEUES: weakref.WeakKeyDictionary[Any, CaptureQueue] = weakref.WeakKeyDictionary()


def _outbox_location(store: Any) -> Path | str:
    loc = getattr(store, "location", None)
    server = getattr(loc, "display", "") or getattr(loc, "conninfo", "")
    return store.path if store.path is not None else "postgresql://" + server


def has_leftovers(store: Any) -> bool:
    """Whether an earlier run left points in this store's outbox (without creating it)."""
    path = outbox_path(_outbox_location(store))
    if not path.exists():
        return False
    outbox = Outbox(path)
    try:
        return len(outbox) > 0
    finally:
        outbox.close()


def shared_queue(store: Any, *, stamp: bool = True, adopt: bool = True) -> CaptureQueue:
    """The one queue for a store in this process (screens come and go; the outbox stays).
    Its outbox lives beside a SQLite file, or in the data folder for a server store."""
    queue = _QUEUES.get(store)
    if queue is None or queue.stopped:
        queue = CaptureQueue(
            store,
            Outbox(outbox_path(_outbox_location(store))),
            stamp=stamp,
            adopt=adopt,
            on_saved=lambda pending, done: None,
            on_status=lambda count, reason: None,
        )
        _QUEUES[store] = queue
    return queue
