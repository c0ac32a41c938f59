"""A line of text under the capture list (the message, the highlighted point's full text)
that asks for a layout only when the number of rows it needs changes.

`Static.update` lays the whole screen out again on every call; on the capture screen that
happened two or three times per Enter. Here the rows needed are worked out from the text's
width, and an update that keeps them the same only redraws this widget. `min_rows` keeps
room for a line that comes and goes (the message: "Saved a point." after each Enter, cleared
by the next keystroke), so showing and clearing it never moves the list above.
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.widgets import Static


class StatusLine(Static):
    """Wrapped text whose height is `min(max(rows needed, min_rows), max_rows)`."""

    def __init__(self, *, max_rows: int, min_rows: int = 0, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.max_rows = max_rows
        self.min_rows = min_rows
        self.text = Text()
        self._rows = min_rows

    def show(self, text: Text | str) -> None:
        text = Text(text) if isinstance(text, str) else text
        if text.plain == self.text.plain and text.spans == self.text.spans:
            return  # the same words again: nothing to draw
        self.text = text
        rows = self._rows_for(text)
        self.update(text, layout=rows != self._rows)
        self._rows = rows

    def _rows_for(self, text: Text) -> int:
        width = self.content_region.width
        if not text.plain:
            return self.min_rows
        if width <= 0:
            return -1  # not laid out yet: always lay out
        if "\n" not in text.plain and "\t" not in text.plain and text.cell_len <= width:
            rows = 1  # fits on one line: no need to wrap it (most messages, each Enter)
        else:
            rows = len(text.wrap(self.app.console, width))
        return min(max(rows, self.min_rows), self.max_rows)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(self.min_rows, super().get_content_height(container, viewport, width))

    def on_resize(self) -> None:
        self._rows = self._rows_for(self.text)
