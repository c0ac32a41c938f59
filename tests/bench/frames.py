"""When frames go out: every frame Textual draws passes through App._display."""

from __future__ import annotations

import time
from typing import Any


def frame_times(app: Any) -> list[float]:
    """A list that gets the perf_counter() time of each frame `app` draws from now on
    (clear it before the action being timed, then wait until it is not empty)."""
    frames: list[float] = []
    display = app._display

    def timed_display(screen: Any, renderable: Any) -> None:
        if renderable is not None:
            frames.append(time.perf_counter())
        display(screen, renderable)

    app._display = timed_display
    return frames


def frame_log(app: Any, probe: Any, *, clock: Any = time.perf_counter) -> list[tuple[float, Any]]:
    """Like frame_times, but each frame also records `probe()`, called as the frame goes out:
    so a benchmark can tell the first frame that SHOWS a change (a new point in the list, a
    new screen) from frames drawn before it happened."""
    frames: list[tuple[float, Any]] = []
    display = app._display

    def logged_display(screen: Any, renderable: Any) -> None:
        if renderable is not None:
            frames.append((clock(), probe()))
        display(screen, renderable)

    app._display = logged_display
    return frames


def first_showing(frames: list[tuple[float, Any]], since: float) -> float | None:
    """The time of the first frame at or after `since` whose probe was true."""
    return next((t for t, shown in frames if t >= since and shown), None)
