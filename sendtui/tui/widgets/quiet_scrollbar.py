"""A vertical scrollbar that repaints only when its thumb moves on screen.

Textual's ScrollBar repaints all its lines whenever its position or range changes. On the
capture screen every Enter adds a point and scrolls the list by one line: over a long list
the thumb does not visibly move, yet the bar's 20-odd lines were drawn again each time (a
sixth of the frame). This bar works out where the thumb is, in the eighths of a cell Textual
draws it in, and repaints only when that changes. It draws exactly as Textual's does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from math import ceil
from typing import Self

from rich.console import RenderableType
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.widget import Widget


def thumb_cells(
    size: int, virtual_size: int, window_size: int, position: float
) -> tuple[int, int] | tuple[()]:
    """Where ScrollBarRender.render_bar puts the thumb, in eighths of a cell (the same
    arithmetic), or () when there is no thumb: two inputs with the same answer draw the
    same bar."""
    window = window_size if window_size < virtual_size else 0
    if not (window and size and virtual_size and size != virtual_size):
        return ()
    thumb_size = max(1, window / (virtual_size / size))
    spare = virtual_size - window
    where = (size - thumb_size) * (position / spare)
    eighths = len(ScrollBarRender.VERTICAL_BARS)
    start = int(where * eighths)
    return (start, start + ceil(thumb_size * eighths))


class QuietScrollBar(ScrollBar):
    """A ScrollBar whose range and position changes repaint only a moved thumb."""

    window_virtual_size: Reactive[int] = Reactive(100, repaint=False)
    window_size: Reactive[int] = Reactive(0, repaint=False)
    position: Reactive[float] = Reactive(0, repaint=False)

    def __init__(
        self, vertical: bool = True, name: str | None = None, *, thickness: int = 1
    ) -> None:
        super().__init__(vertical, name, thickness=thickness)
        self._drawn: tuple[object, ...] = ("never",)
        self._quiet = False
        self._check_due = False

    def _thumb(self) -> tuple[object, ...]:
        return (
            self.size.height if self.vertical else self.size.width,
            thumb_cells(
                self.size.height if self.vertical else self.size.width,
                ceil(self.window_virtual_size),
                ceil(self.window_size),
                self.position,
            ),
        )

    def _repaint_if_moved(self) -> None:
        """Compared once the list has finished its update: on the way (range first, then
        position) the thumb can seem to move an eighth and back."""
        if not self._check_due:
            self._check_due = True
            self.call_next(self._check_moved)

    def _check_moved(self) -> None:
        self._check_due = False
        if self._thumb() != self._drawn:
            super().refresh()

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """While the list updates its range (Textual's `_scroll_update` then repaints the
        bar outright), repaint only if the thumb moves."""
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False

    def refresh(self, *regions: Region, **flags: bool) -> Self:
        if self._quiet and not regions and not flags:
            self._repaint_if_moved()
            return self
        return super().refresh(*regions, **flags)

    def watch_window_virtual_size(self) -> None:
        self._repaint_if_moved()

    def watch_window_size(self) -> None:
        self._repaint_if_moved()

    def watch_position(self) -> None:
        self._repaint_if_moved()

    def render(self) -> RenderableType:
        self._drawn = self._thumb()
        return super().render()


class QuietBars(Widget):
    """For a scrolling widget: its vertical scrollbar is a QuietScrollBar, kept quiet while
    the widget updates its range. (Textual's own property, making the quiet bar.) List it
    after the widget's first base: Textual takes CSS type names from first bases only."""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        if self._vertical_scrollbar is None:
            bar = QuietScrollBar(
                vertical=True, name="vertical", thickness=self.scrollbar_size_vertical
            )
            bar.display = False
            self._vertical_scrollbar = bar
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar

    def _scroll_update(self, virtual_size: Size) -> None:
        bar = self._vertical_scrollbar
        if not isinstance(bar, QuietScrollBar):
            super()._scroll_update(virtual_size)
            return
        with bar.quiet():
            super()._scroll_update(virtual_size)
