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
