"""The capture line: an Input that does not silently drop the lines of a multi-line paste.

Textual's Input keeps only the first line of pasted text. Here a paste of several lines is
handed to the screen (`MultiLinePaste`), which offers to save each line as a point or keep
all of it in the line.
"""

from __future__ import annotations

from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive
from textual.strip import Strip
from textual.widgets import Input

from sendtui.tui.widgets.final_lines import FinalLines


class CaptureLine(Input):
    """The line a note-taker types points into."""

    # The line's box never changes size (full width, three rows); only the text it scrolls
    # over does. Input sets `virtual_size` on every change of its value, and Textual's
    # `virtual_size` lays the whole screen out again: after each Enter, twice (the cleared
    # line is as wide as its placeholder, so the hidden horizontal scrollbar flipped too).
    # Here neither asks for a layout; the cursor still scrolls the text (Input scrolls with
    # force=True, so overflow-x: hidden does not stop it).
    virtual_size = Reactive(Size(0, 0), layout=False)
    DEFAULT_CSS = """
    CaptureLine {
        overflow-x: hidden;
    }
    """

    class MultiLinePaste(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._history: list[str] = []
        self._undoing = False
        self._finals = FinalLines()

    def watch_value(self, old: str, new: str) -> None:
        # Typing history for ctrl+z while there is text in the line (one step a change).
        if not self._undoing and old != new:
            self._history.append(old)
            del self._history[:-200]

    def undo_typing(self) -> bool:
        """Take back the last change to the text; False when there is nothing to take back."""
        if not self._history:
            return False
        self._undoing = True
        try:
            self.value = self._history.pop()
            self.cursor_position = len(self.value)
        finally:
            self._undoing = False
        return True

    def render_lines(self, crop: Region) -> list[Strip]:
        # After each Enter the line is back to its empty state, and its border rows never
        # change while typing: kept finished lines (by what they show) spare Textual's
        # styles pipeline for them. Every input of Input.render_line is in the keys.
        frame = (
            self.size,
            crop.column_span,
            self.rich_style,
            self.background_colors,
            tuple(map(id, self.get_line_filters())),
            self.border_title,
            self.border_subtitle,
            self.has_focus,
            self.disabled,
        )
        content = (
            self.value,
            self.cursor_position,
            self._cursor_visible,
            self.selection,
            self.placeholder,
            self._suggestion,
            self.scroll_offset,
            self.password,
        )
        first = self.styles.gutter.top
        return self._finals.render(
            crop,
            frame,
            lambda y: (y, content) if y == first else (y,),
            super().render_lines,
            self._styles_cache.set_dirty,
        )

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._finals.clear()

    def forget_typing(self) -> None:
        """A point was saved from the line: its typing is no longer undoable keystrokes."""
        self._history.clear()

    async def _on_key(self, event: events.Key) -> None:
        await super()._on_key(event)
        if event.key == "enter":
            # Submitted here, as Input's own enter binding would, rather than after the key
            # has bubbled up to the app and back down the binding chain: Enter is the hot
            # path, and that trip was a tenth of it. (Priority bindings ran before this.)
            event.stop()
            event.prevent_default()
            await self.action_submit()

    def _on_paste(self, event: events.Paste) -> None:
        lines = [line for line in split_lines(event.text) if line.strip()]
        if len(lines) > 1:
            event.stop()
            event.prevent_default()  # not Input's own handler, which keeps only line one
            self.post_message(self.MultiLinePaste(event.text))
            return
        super()._on_paste(event)


def split_lines(text: str) -> list[str]:
    """Lines as an editor counts them: split on \\n, \\r\\n and \\r only."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
