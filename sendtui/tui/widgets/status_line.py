"""A line of text under the capture list (the message, the highlighted point's full text)
that asks for a layout only when the number of rows it needs changes.

`Static.update` lays the whole screen out again on every call; on the capture screen that
happened two or three times per Enter. Here the rows needed are worked out from the text's
width, and an update that keeps them the same only redraws this widget.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StatusLine(Static):
    """Wrapped text whose height is `min(rows needed, max_rows)`."""

    def __init__(self, *, max_rows: int, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.max_rows = max_rows
        self.text = Text()
        self._rows = 0

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
            return 0
        if width <= 0:
            return -1  # not laid out yet: always lay out
        return min(len(text.wrap(self.app.console, width)), self.max_rows)

    def on_resize(self) -> None:
        self._rows = self._rows_for(self.text)
