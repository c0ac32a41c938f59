"""Keeping the garbage collector's long passes off the keys while a capture screen is open.

A full pass of Python's cyclic collector walks every tracked object: with a capture screen
loaded (the app, its widgets, the points) that is 100–350 ms, and it came whenever the
allocation counters said so, so now and then an Enter took that long. While a capture screen
is open, what is there once it has loaded is frozen (never walked again: it lives as long as
the screen), automatic full passes are off, and the screen runs one itself when the
note-taker has paused (IDLE_S without typing), then freezes what survived, so the next pause's
pass is short too. The young generations are collected as usual (a millisecond or less).
"""

from __future__ import annotations

import gc
import time

IDLE_S = 2.0  # a pause this long between keys is not felt as a stall
FULL_AFTER = 10  # young passes since the last full one before a full one is due (gc's default)
NEVER = 1 << 30  # a third threshold that is never reached


class QuietCollector:
    """The collector policy of one capture screen (start when loaded, stop when it goes)."""

    def __init__(self) -> None:
        self._saved: tuple[int, int, int] | None = None
        self.last_key = time.monotonic()
        self.full_passes = 0  # run by `tick`, for tests

    @property
    def active(self) -> bool:
        return self._saved is not None

    def start(self) -> None:
        if self._saved is not None:
            return
        self._saved = gc.get_threshold()
        gc.freeze()
        first, second, _ = self._saved
        gc.set_threshold(first, second, NEVER)

    def touch(self) -> None:
        """A key was pressed: no full pass for IDLE_S."""
        self.last_key = time.monotonic()

    def tick(self, now: float | None = None) -> bool:
        """Run the full pass now if one is due and the note-taker has paused; True if run."""
        if self._saved is None:
            return False
        now = time.monotonic() if now is None else now
        if now - self.last_key < IDLE_S or gc.get_count()[2] < FULL_AFTER:
            return False
        gc.collect()
        gc.freeze()  # what survived lives on: the next full pass need not walk it
        self.full_passes += 1
        return True

    def stop(self) -> None:
        """Back to the usual policy; the screen's objects go with it, so let the collector
        see everything again."""
        if self._saved is None:
            return
        gc.set_threshold(*self._saved)
        self._saved = None
        gc.unfreeze()
