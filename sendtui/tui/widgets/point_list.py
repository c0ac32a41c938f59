"""The capture screen's list of points: a ScrollView that renders only the visible lines.

One line per point (the full text of the highlighted point is shown below the list), with a
separator line wherever the heading changes, including back to no heading, so every point is
seen under its own heading. Appending a point is O(1); filtering and applying edits rebuild
the line index, which is a flat pass over plain tuples. Points still waiting to be saved
(the store was busy) show "saving…" until the writer has committed them.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from sendtui.store.reads import PointRow
from sendtui.tui.text import KIND_CLASSES
from sendtui.tui.widgets.final_lines import FinalLines
from sendtui.tui.widgets.point_lines import Line, draw_line
from sendtui.tui.widgets.quiet_scrollbar import QuietBars

STRIP_CACHE = 2_000  # drawn lines kept; a few screens' worth at any width


class PointList(ScrollView, QuietBars, can_focus=True):
    """Points in the order they were made, one line each."""

    COMPONENT_CLASSES = {
        "point-list--cursor",
        "point-list--heading",
        "point-list--tags",
        "point-list--private",
        "point-list--saving",
        *KIND_CLASSES.values(),
    }
    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False, id="list.up"),
        Binding("down", "cursor(1)", "Down", show=False, id="list.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="list.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="list.page_down"),
        Binding("home", "jump(0)", "First", show=False, id="list.first"),
        Binding("end", "jump(-1)", "Last", show=False, id="list.last"),
    ]

    cursor: reactive[int] = reactive(-1, always_update=True)

    class Highlighted(Message):
        """The highlighted point changed (None: nothing highlighted)."""

        def __init__(self, point: PointRow | None) -> None:
            super().__init__()
            self.point = point

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[PointRow] = []
        self._lines: list[Line] = []
        self._depth: dict[int, int] = {}
        self._filter = ""
        self._show_headings = True
        self._strips: dict[Hashable, Strip] = {}
        self._finals = FinalLines()  # finished lines, styled by Textual
        self._components: dict[str, Style] = {}  # component class → style, this theme
        self._components_base: Style | None = None  # the list's style they were made under
        self.pending: set[int] = set()  # ids (negative) of points not yet in the store
        self.matching = 0  # points the filter lets through
        self.group_names: Mapping[int, str] | None = None
        self._pass: tuple[Style, int, bool] | None = None  # set while render_lines runs

    # -- content ---------------------------------------------------------------------------

    @property
    def rows(self) -> list[PointRow]:
        return self._rows

    @property
    def filtering(self) -> bool:
        return bool(self._filter)

    @property
    def visible_points(self) -> list[PointRow]:
        return [line.row for line in self._lines if line.row is not None]

    def load(
        self,
        rows: Iterable[PointRow],
        *,
        show_headings: bool = True,
        pending: Iterable[int] = (),
        group_names: Mapping[int, str] | None = None,
    ) -> None:
        self._rows = list(rows)
        self.pending = set(pending)
        self.group_names = group_names  # the whole-event view shows each point's group
        self._strips.clear()  # group names are drawn, and not in the lines' keys
        self._finals.clear()
        self._show_headings = show_headings
        self._rebuild(keep=None)
        self.jump_to_end()

    def append(self, row: PointRow) -> None:
        """Add a just-saved point at the end and show it (no rebuild)."""
        self._rows.append(row)
        depth = self._depth.get(row.parent_id, -1) + 1 if row.parent_id else 0
        self._depth[row.id] = depth
        if self._matches(row):
            at_end = self.cursor >= len(self._lines) - 1
            self.matching += 1
            self._add_line(row, depth)
            self._resize()
            if at_end:
                self.jump_to_end()
        self.refresh()

    def depth_of(self, point_id: int) -> int:
        return self._depth.get(point_id, 0)

    def replace_row(self, old_id: int, row: PointRow) -> None:
        """A waiting point has been saved: put its stored row in place of the stand-in. The
        stand-in is near the end, so this looks from the end and rebuilds nothing."""
        self.pending.discard(old_id)
        for index in range(len(self._rows) - 1, -1, -1):
            if self._rows[index].id == old_id:
                self._rows[index] = row
                break
        else:
            return
        self._depth[row.id] = self._depth.pop(old_id, 0)
        for index in range(len(self._lines) - 1, -1, -1):
            line = self._lines[index]
            if line.row is not None and line.row.id == old_id:
                self._lines[index] = Line(row, line.heading, line.depth)
                if index == self.cursor:
                    self.post_message(self.Highlighted(row))
                break
        self.refresh()

    def add_rows(self, rows: Iterable[PointRow]) -> None:
        """Points saved elsewhere: put them in order, keeping the highlight where it was and
        at the end if it was at the end."""
        at_end = self.cursor >= len(self._lines) - 1
        current = self.highlighted
        saved = [r for r in self._rows if r.id not in self.pending]
        waiting = [r for r in self._rows if r.id in self.pending]
        saved.extend(rows)
        saved.sort(key=lambda r: (r.position, r.id))
        self._rows = saved + waiting
        self._rebuild(keep=None if at_end or current is None else current.id)
        if at_end:
            self.jump_to_end()

    def apply(self, changed: Mapping[int, PointRow | None], *, keep: int | None = None) -> None:
        """Replace, insert or drop rows after an edit, move, delete, undo or redo.

        `changed` maps point ids to their new row, or None when the point is gone from this
        list (deleted, or moved to another group or topic)."""
        current = self.highlighted
        by_id = {row.id: row for row in self._rows}
        for point_id, row in changed.items():
            if row is None:
                by_id.pop(point_id, None)
            else:
                by_id[point_id] = row
        self._rows = sorted(by_id.values(), key=lambda r: r.position)
        self._rebuild(keep=keep if keep is not None else (current.id if current else None))

    def set_filter(self, text: str) -> None:
        self._filter = text.casefold().strip()
        current = self.highlighted
        self._rebuild(keep=current.id if current else None)
        if current is None or self.highlighted is None:
            self.jump_to_end()

    def matches(self, row: PointRow) -> bool:
        """Whether the filter lets `row` through."""
        return self._matches(row)

    def _matches(self, row: PointRow) -> bool:
        if not self._filter:
            return True
        haystack = " ".join(
            (
                row.text,
                row.heading,
                *("#" + c for c in row.chapters),
                *("@" + m for m in row.markers),
                row.kind,
            )
        )
        return self._filter in haystack.casefold()

    def _add_line(self, row: PointRow, depth: int) -> None:
        last = self._lines[-1] if self._lines else None
        if self._show_headings and (
            (last is None and row.heading) or (last is not None and last.heading != row.heading)
        ):
            self._lines.append(Line(None, row.heading))  # "" draws as "no heading"
        self._lines.append(Line(row, row.heading, depth))

    def _rebuild(self, *, keep: int | None) -> None:
        self._lines = []
        self._depth = {}
        self.matching = 0
        for row in self._rows:
            depth = self._depth.get(row.parent_id, -1) + 1 if row.parent_id else 0
            self._depth[row.id] = depth
            if self._matches(row):
                self.matching += 1
                self._add_line(row, depth)
        self._resize()
        if keep is not None and (index := self._line_of(keep)) is not None:
            self.cursor = index
        else:
            self.cursor = min(max(self.cursor, -1), len(self._lines) - 1)
            self._settle(1)
        self.refresh()

    def _resize(self) -> None:
        size = Size(self.size.width, len(self._lines))
        if size == self.virtual_size:
            return
        if not self.container_size:
            self.virtual_size = size  # not laid out yet: the first layout sizes everything
            return
        # Only the scroll range changed, not the box: set it and update the scrollbar without
        # asking for a layout of the whole screen (Textual's `virtual_size` does, and that
        # reflow and repaint is most of an Enter's cost). Showing or hiding the scrollbar
        # still lays out (_scroll_update asks for it).
        self.set_reactive(PointList.virtual_size, size)
        self._scroll_update(size)
        self.refresh()

    def _line_of(self, point_id: int) -> int | None:
        for index in range(len(self._lines) - 1, -1, -1):
            row = self._lines[index].row
            if row is not None and row.id == point_id:
                return index
        return None

    # -- cursor ------------------------------------------------------------------------------

    @property
    def highlighted(self) -> PointRow | None:
        if 0 <= self.cursor < len(self._lines):
            return self._lines[self.cursor].row
        return None

    def select_point(self, point_id: int) -> bool:
        index = self._line_of(point_id)
        if index is None:
            return False
        self.cursor = index
        return True

    def jump_to_end(self) -> None:
        self.cursor = len(self._lines) - 1
        self._settle(-1)

    def _settle(self, step: int) -> None:
        """Move off a heading line onto the nearest point."""
        lines = self._lines
        index = self.cursor
        while 0 <= index < len(lines) and lines[index].row is None:
            index += step
        if not 0 <= index < len(lines):
            index = self.cursor
            while 0 <= index < len(lines) and lines[index].row is None:
                index -= step
        settled = index if 0 <= index < len(lines) else -1
        if settled != self.cursor:  # the cursor was set just before: no second redraw
            self.cursor = settled

    def watch_cursor(self, old: int, new: int) -> None:
        if 0 <= new < len(self._lines):
            self.scroll_to_region_line(new)
        self.refresh()
        self.post_message(self.Highlighted(self.highlighted))

    def scroll_to_region_line(self, line: int) -> None:
        height = self.scrollable_content_region.height
        if not height:  # not laid out yet: scroll once the size is known
            self.call_after_refresh(self._scroll_cursor_into_view)
            return
        top = self.scroll_offset.y
        if line < top:
            self.scroll_to(y=line, animate=False)
        elif line >= top + height:
            self.scroll_to(y=line - height + 1, animate=False)

    def _scroll_cursor_into_view(self) -> None:
        if self.scrollable_content_region.height and 0 <= self.cursor < len(self._lines):
            self.scroll_to_region_line(self.cursor)

    def action_cursor(self, step: int) -> None:
        if not self._lines:
            return
        index = self.cursor + step
        while 0 <= index < len(self._lines) and self._lines[index].row is None:
            index += step
        if 0 <= index < len(self._lines):
            self.cursor = index

    def action_page(self, direction: int) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        self.cursor = max(0, min(len(self._lines) - 1, self.cursor + direction * height))
        self._settle(direction)

    def action_jump(self, where: int) -> None:
        if where < 0:
            self.jump_to_end()
        else:
            self.cursor = 0
            self._settle(1)

    def on_click(self, event: events.Click) -> None:
        """Clicking a point highlights it (a heading line highlights the point below)."""
        index = self.scroll_offset.y + event.y
        if 0 <= index < len(self._lines):
            self.cursor = index
            self._settle(1)

    def on_resize(self) -> None:
        self._resize()
        self.call_after_refresh(self._scroll_cursor_into_view)

    # -- drawing ---------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # Looked up once per pass, not once a line: `rich_style` walks the ancestors' styles
        # every time, and was a third of the list's drawing time after each Enter.
        base, width, focused = self._pass = (
            self.rich_style,
            self.scrollable_content_region.width,
            self.has_focus,
        )
        if base != self._components_base:  # an ancestor's colours changed: look them up again
            self._components.clear()
            self._components_base = base
        frame = (
            self.size,
            crop.column_span,
            base,
            self.background_colors,
            tuple(map(id, self.get_line_filters())),
        )
        try:
            return self._finals.render(
                crop,
                frame,
                lambda y: self._line_key(self.scroll_offset.y + y, width, base, focused),
                super().render_lines,
                self._styles_cache.set_dirty,
            )
        finally:
            self._pass = None

    def _line_key(self, index: int, width: int, base: Style, focused: bool) -> Hashable:
        """What line `index` shows: lines are values (a frozen row, heading and depth), so
        equal keys draw equal lines."""
        if not 0 <= index < len(self._lines):
            return ("blank", width, base)
        line = self._lines[index]
        cursor = ("focus" if focused else "blur") if index == self.cursor else ""
        waiting = line.row is not None and line.row.id in self.pending
        return (line, width, cursor, base, waiting)

    def render_line(self, y: int) -> Strip:
        base, width, focused = self._pass or (
            self.rich_style,
            self.scrollable_content_region.width,
            self.has_focus,
        )
        key = self._line_key(self.scroll_offset.y + y, width, base, focused)
        if key[0] == "blank":
            return Strip.blank(width, base)
        # An unchanged line is drawn from the cache (theme changes clear it).
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) >= STRIP_CACHE:
                self._strips.clear()
            line, width, cursor, base, waiting = key  # type: ignore[misc]
            strip = self._strips[key] = draw_line(
                line,
                width,
                cursor,
                base,
                waiting,
                style=self._component_style,
                console=self.app.console,
                group_names=self.group_names,
            )
        return strip

    def _component_style(self, name: str) -> Style:
        # Looked up once per theme: each lookup walks the ancestors' styles.
        style = self._components.get(name)
        if style is None:
            style = self._components[name] = self.get_component_rich_style(name)
        return style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._components.clear()
        self._strips.clear()
        self._finals.clear()
        self.refresh()


__all__ = ["PointList", "Segment"]
