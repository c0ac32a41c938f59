"""Finished lines of a list widget, kept by what they show rather than where they are.

Textual keeps a widget's styled lines by their row on screen, so scrolling a list by one line
(each Enter on the capture screen) sends every visible row through its styles pipeline again
(padding, background, the app's line filters): most of the list's cost in that frame, though
only one line is new. Here each finished line is kept under a key saying what it shows (the
point, the cursor on it, the width...); a scrolled list then only styles the new line, and
Textual still styles every line itself, so nothing is drawn differently.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from textual.geometry import Region
from textual.strip import Strip

LIMIT = 2_000  # finished lines kept: a few screens' worth


class FinalLines:
    """A cache of finished strips for one widget."""

    def __init__(self) -> None:
        self._strips: dict[Hashable, Strip] = {}
        self._frame: Hashable = None

    def clear(self) -> None:
        self._strips.clear()

    def render(
        self,
        crop: Region,
        frame: Hashable,
        key_of: Callable[[int], Hashable],
        styled: Callable[[Region], list[Strip]],
        mark_dirty: Callable[[Region], None],
    ) -> list[Strip]:
        """The lines in `crop`. `frame` holds what every line depends on (widths, colours,
        filters): when it changes, everything kept is dropped. `key_of(y)` says what row y
        shows; `styled(region)` runs Textual's pipeline; `mark_dirty(region)` makes sure it
        styles the row as it is now, not a row it kept from before."""
        if frame != self._frame:
            self._strips.clear()
            self._frame = frame
        strips = self._strips
        out: list[Strip] = []
        for y in crop.line_range:
            key = key_of(y)
            strip = strips.get(key)
            if strip is None:
                row = Region(crop.x, y, crop.width, 1)
                mark_dirty(row)
                (strip,) = styled(row)
                if len(strips) >= LIMIT:
                    strips.clear()
                strips[key] = strip
            out.append(strip)
        return out
