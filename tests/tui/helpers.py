"""Driving the real app in tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.pilot import Pilot

from sendtui.config import Config
from sendtui.tui.app import SendtuiApp, make_app

if TYPE_CHECKING:
    from sendtui.tui.screens.capture import CaptureScreen

SIZE = (110, 32)


def app_for(config: Config, *, demo: bool = False) -> SendtuiApp:
    return make_app(config, demo=demo)


async def settle(pilot: Pilot) -> None:
    """Wait for the store to open and every screen's start-up work to finish."""
    app = pilot.app
    await app.context.ready.wait()  # type: ignore[attr-defined]
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def open_capture(pilot: Pilot) -> CaptureScreen:
    """Enter on the events list: the first event's capture screen, settled."""
    from sendtui.tui.screens.capture import CaptureScreen

    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CaptureScreen)
    return screen


def screen_text(app: SendtuiApp) -> str:
    """What the terminal shows now, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def type_text(pilot: Pilot, text: str) -> None:
    """Type into the focused widget as a user would (one key at a time). Pilot waits for the
    screen after every key (about 60 ms), so long text in an Input goes in as one paste."""
    from textual.widgets import Input

    focused = pilot.app.focused
    if len(text) > 4 and isinstance(focused, Input):
        if not focused.selection.is_empty:
            focused.delete_selection()  # typing replaces selected text, as a key press does
        focused.insert_text_at_cursor(text)
        await pilot.pause()
        return
    await pilot.press(*[_key(ch) for ch in text])


def _key(ch: str) -> str:
    names = {
        " ": "space",
        "?": "question_mark",
        "!": "exclamation_mark",
        "#": "number_sign",
        "@": "at",
        "[": "left_square_bracket",
        "]": "right_square_bracket",
        "/": "slash",
        ">": "greater_than_sign",
        "+": "plus",
        "-": "minus",
        ".": "full_stop",
        "=": "equals_sign",
        ",": "comma",
        ":": "colon",
        "'": "apostrophe",
    }
    return names.get(ch, ch)
