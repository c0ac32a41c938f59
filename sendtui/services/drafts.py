"""The text being typed, saved off the UI thread so a keystroke never waits on the store.

The capture screen remembers its place, heading and the half-typed line (or the half-edited
text of an existing point) on every keystroke, so `kill -9` loses nothing. Writing that to
the store can wait on another process's write lock; here the latest values per key are
handed to a thread that writes them in its own connection, keeping only the newest value
of each field when keystrokes come faster than the store accepts them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Protocol

RETRY_S = 0.2


class _State(Protocol):
    def update(self, key: str, **changes: Any) -> bool: ...

    def close(self) -> None: ...


class DraftWriter:
    """Coalescing, background writes of remembered state."""

    def __init__(self, make_state: Callable[[], _State]) -> None:
        self._make_state = make_state
        self._lock = threading.Condition()
        self._todo: dict[str, dict[str, Any]] = {}
        self._busy = False
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="draft-writer", daemon=True)
        self._thread.start()

    def update(self, key: str, **changes: Any) -> None:
        """Remember `changes` under `key` soon; returns at once."""
        with self._lock:
            self._todo.setdefault(key, {}).update(changes)
            self._lock.notify_all()

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything handed over so far is written (True) or `timeout` passes."""
        with self._lock:
            return self._lock.wait_for(lambda: not self._todo and not self._busy, timeout)

    def stop(self) -> None:
        # Leaving the screen waits at most this long for a busy store; what is not written
        # by then is only the newest keystrokes' draft (already saved points are not here).
        self.flush(timeout=0.5)
        with self._lock:
            self._stop = True
            self._lock.notify_all()
        self._thread.join(timeout=2.0)

    def _run(self) -> None:
        state = self._make_state()
        try:
            while True:
                with self._lock:
                    self._lock.wait_for(lambda: self._todo or self._stop)
                    if self._stop and not self._todo:
                        return
                    todo, self._todo = self._todo, {}
                    self._busy = True
                failed: dict[str, dict[str, Any]] = {}
                for key, changes in todo.items():
                    try:
                        ok = state.update(key, **changes)
                    except Exception:  # a busy or unreachable store: try again shortly
                        ok = False
                    if not ok:
                        failed[key] = changes
                with self._lock:
                    for key, changes in failed.items():  # newer values typed meanwhile win
                        self._todo[key] = {**changes, **self._todo.get(key, {})}
                    self._busy = False
                    self._lock.notify_all()
                    if failed and not self._stop:
                        self._lock.wait(RETRY_S)
                    elif failed:
                        return
        finally:
            state.close()
