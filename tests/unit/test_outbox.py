"""The capture outbox and queue: points typed while the store is busy are kept in order,
saved one by one once it frees, exactly once, and survive a crash."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from sendtui.services.capture import Tags, commit, pending_point
from sendtui.services.capture_queue import CaptureQueue, waiting_text
from sendtui.services.syntax import ParsedPoint
from sendtui.store.outbox import Outbox, outbox_path


def _points(path: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT text, position FROM point WHERE deleted_at IS NULL ORDER BY position, uuid"
        ).fetchall()


def _pending(store, event, text: str, **place):
    tags = Tags(store.reader, event["event"])
    return pending_point(
        ParsedPoint(text),
        tags,
        event_id=event["event"],
        group_id=place.get("group", event["group"]),
        topic_id=place.get("topic", event["topic"]),
        parent_uuid=place.get("parent_uuid"),
    )


class Recorder:
    def __init__(self) -> None:
        self.saved: list[str] = []
        self.status: list[tuple[int, str]] = []
        self.done = threading.Event()

    def on_saved(self, pending, committed) -> None:
        self.saved.append(pending["text"])

    def on_status(self, count: int, reason: str) -> None:
        self.status.append((count, reason))
        if count == 0:
            self.done.set()


def _queue(store, rec: Recorder) -> CaptureQueue:
    box = Outbox(outbox_path(store.path))
    return CaptureQueue(store, box, on_saved=rec.on_saved, on_status=rec.on_status)


def test_outbox_is_private_and_beside_the_store(store) -> None:
    path = outbox_path(store.path)
    assert path == Path(str(store.path) + ".outbox")
    box = Outbox(path)
    box.append("u1", {"text": "x"})
    assert (path.stat().st_mode & 0o777) == 0o600
    assert len(box) == 1
    server = outbox_path("postgresql://ann:secret@host/db", Path("/tmp/data"))
    assert "secret" not in str(server) and server.parent == Path("/tmp/data/sendtui")


def test_free_store_saves_at_once(store, event) -> None:
    rec = Recorder()
    queue = _queue(store, rec)
    done = queue.save(_pending(store, event, "first"))
    assert done is not None and done.new
    assert _points(store.path) == [("first", 1)]
    assert queue.waiting == 0 and len(queue.outbox) == 0
    queue.stop()


def test_busy_store_queues_in_order_and_saves_once_free(store, event) -> None:
    rec = Recorder()
    queue = _queue(store, rec)
    queue.start()
    blocker = sqlite3.connect(store.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    started = time.perf_counter()
    results = [queue.save(_pending(store, event, f"point {n}")) for n in range(3)]
    assert time.perf_counter() - started < 0.5  # typing never waited on the lock
    assert results == [None, None, None]
    assert queue.waiting == 3
    time.sleep(0.3)
    assert (3, "busy") in rec.status
    assert waiting_text(3, "busy") == "The database is busy: 3 points waiting."
    assert _points(store.path) == []
    blocker.execute("ROLLBACK")
    assert rec.done.wait(5)
    assert _points(store.path) == [("point 0", 1), ("point 1", 2), ("point 2", 3)]
    assert rec.saved == ["point 0", "point 1", "point 2"]
    assert len(queue.outbox) == 0
    # once drained, the next point takes the fast path again
    assert queue.save(_pending(store, event, "point 3")) is not None
    queue.stop()


def test_a_point_committed_just_before_a_crash_is_not_saved_twice(store, event) -> None:
    pending = _pending(store, event, "only once")
    box = Outbox(outbox_path(store.path))
    box.append(pending["uuid"], pending)
    with store.write_raw() as conn:  # committed, but the crash came before remove()
        commit(conn, pending)
    rec = Recorder()
    queue = CaptureQueue(store, box, on_saved=rec.on_saved, on_status=rec.on_status)
    queue.start()
    assert rec.done.wait(5)
    assert _points(store.path) == [("only once", 1)]
    assert len(box) == 0
    queue.stop()


def test_sub_point_of_a_waiting_point_nests_under_it(store, event) -> None:
    rec = Recorder()
    queue = _queue(store, rec)
    blocker = sqlite3.connect(store.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    parent = _pending(store, event, "parent")
    queue.save(parent)
    queue.save(_pending(store, event, "child", parent_uuid=parent["uuid"]))
    queue.start()
    blocker.execute("ROLLBACK")
    assert rec.done.wait(5)
    with sqlite3.connect(store.path) as conn:
        rows = conn.execute("SELECT id, text, parent_id FROM point ORDER BY position").fetchall()
    assert rows[1][2] == rows[0][0]
    queue.stop()


def test_kill_with_a_full_outbox_then_restart_saves_each_point_once(store, event, tmp_path) -> None:
    """A separate process queues three points while the store is locked, then is killed;
    the next queue on the same store saves all three, in order, exactly once."""
    script = tmp_path / "typist.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import os, signal, sqlite3, sys
            from pathlib import Path
            from sendtui.config import load_config
            from sendtui.services.bootstrap import open_store
            from sendtui.services.capture import Tags, pending_point
            from sendtui.services.capture_queue import CaptureQueue
            from sendtui.services.syntax import ParsedPoint
            from sendtui.store.outbox import Outbox, outbox_path
            store = open_store(load_config(None, database=Path({str(store.path)!r}))).store
            tags = Tags(store.reader, {event["event"]})
            print("open", flush=True)
            sys.stdin.readline()  # the test now takes the write lock
            queue = CaptureQueue(store, Outbox(outbox_path(store.path)),
                                 on_saved=lambda *a: None, on_status=lambda *a: None)
            for n in range(3):
                p = pending_point(ParsedPoint(f"typed {{n}}"), tags, event_id={event["event"]},
                                  group_id={event["group"]}, topic_id={event["topic"]})
                assert queue.save(p) is None
            print("queued", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
            """
        )
    )
    typist = subprocess.Popen(
        [sys.executable, str(script)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=os.getcwd(),
    )
    assert typist.stdout is not None and typist.stdin is not None
    assert typist.stdout.readline().strip() == "open"
    blocker = sqlite3.connect(store.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    typist.stdin.write("go\n")
    typist.stdin.flush()
    out, err = typist.communicate(timeout=60)
    blocker.execute("ROLLBACK")
    assert typist.returncode == -signal.SIGKILL, err
    assert "queued" in out
    assert _points(store.path) == []
    rec = Recorder()
    queue = _queue(store, rec)
    assert queue.waiting == 3
    queue.start()
    assert rec.done.wait(5)
    assert _points(store.path) == [("typed 0", 1), ("typed 1", 2), ("typed 2", 3)]
    queue.stop()
    again = _queue(store, Recorder())  # a second restart finds nothing left to save
    assert again.waiting == 0


class FlakyServer:
    """A store whose server cannot be reached until `up` is set (venue Wi-Fi)."""

    def __init__(self, store) -> None:
        self.store = store
        self.path = store.path
        self.up = False

    def new_writer(self, *, busy_timeout_ms: int):
        from sendtui.errors import StoreError

        if not self.up:
            raise StoreError(
                "Cannot reach the PostgreSQL server at db.example port 5432: it is offline"
            )
        return self.store.new_writer(busy_timeout_ms=busy_timeout_ms)


def test_offline_points_wait_in_order_and_go_when_the_server_is_back(store, event) -> None:
    server = FlakyServer(store)
    rec = Recorder()
    queue = CaptureQueue(
        server, Outbox(outbox_path(store.path)), on_saved=rec.on_saved, on_status=rec.on_status
    )
    queue.start()
    for n in range(12):
        assert queue.save(_pending(store, event, f"offline {n}")) is None
    time.sleep(0.3)
    assert (12, "offline") in rec.status
    assert waiting_text(12, "offline") == "Offline: 12 points waiting."
    assert _points(store.path) == []
    server.up = True
    assert rec.done.wait(10)
    assert [text for text, _ in _points(store.path)] == [f"offline {n}" for n in range(12)]
    queue.stop()


def test_two_writers_sharing_one_outbox_each_answer_for_their_own_points(store, event) -> None:
    """Two processes on one store share its outbox, and either writer may save any entry;
    each is told about (and waits for) its own points only. (The load test lost points
    before: a `sendtui capture` run exited while its points were still waiting.)"""
    first, second = Recorder(), Recorder()
    a = CaptureQueue(
        store, Outbox(outbox_path(store.path)), on_saved=first.on_saved,
        on_status=first.on_status, adopt=False,
    )  # fmt: skip
    blocker = sqlite3.connect(store.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    for n in range(3):
        assert a.save(_pending(store, event, f"from a {n}")) is None
    assert a.waiting == 3
    # The second process's writer drains the shared outbox; the first never starts its own.
    b = CaptureQueue(
        store, Outbox(outbox_path(store.path)), on_saved=second.on_saved,
        on_status=second.on_status, adopt=False,
    )  # fmt: skip
    b.start()
    blocker.execute("ROLLBACK")
    deadline = time.monotonic() + 10
    while len(b.outbox) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert second.saved == []  # b was not told about a's points
    a.start()  # a's writer finds its points saved elsewhere and reports them as saved
    assert first.done.wait(10)
    assert first.saved == ["from a 0", "from a 1", "from a 2"]
    assert a.waiting == 0
    assert [t for t, _ in _points(store.path)] == ["from a 0", "from a 1", "from a 2"]
    a.stop()
    b.stop()
