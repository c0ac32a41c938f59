"""The review screen's table of points: columns, a cursor, marked rows, sorting.

A ScrollView that renders only the visible lines (a header line plus one line per point), so
100,000 points cost no more to draw than 30. Filtering and sorting produce a list of indexes
into the rows; the rows themselves are plain frozen dataclasses.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.control import strip_control_codes
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.events import Key, Paste
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from sendtui.services.point_query import ReviewRow as TableRow
from sendtui.tui.text import KIND_CLASSES, kind_label

NULL = Style()
DIM = Style(dim=True)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: int  # 0: takes the rest of the line
    cell: Callable[[TableRow], str]


COLUMNS: tuple[Column, ...] = (
    Column("group", "Group", 12, lambda r: r.group),
    Column("topic", "Topic", 16, lambda r: r.topic),
    Column("heading", "Heading", 12, lambda r: r.heading),
    Column("kind", "Kind", 8, lambda r: kind_label(r.kind) if r.kind != "point" else ""),
    Column(
        "chapters",
        "Ch.",
        7,
        lambda r: " ".join(r.chapters) or (f"→{r.suggestion}?" if r.suggestion else ""),
    ),
    Column("markers", "Markers", 7, lambda r: " ".join(r.markers)),
    Column("text", "Point", 0, lambda r: r.text),
)

SORTS: dict[str, Callable[[TableRow], object]] = {
    "made": lambda r: r.position,
    "group": lambda r: (r.group.casefold(), r.position),
    "topic": lambda r: (r.topic.casefold(), r.position),
    "heading": lambda r: (r.heading.casefold(), r.position),
    "kind": lambda r: (r.kind, r.position),
    "chapter": lambda r: (tuple(int(c) for c in r.chapters) or (999,), r.position),
    "text": lambda r: (r.text.casefold(), r.position),
}


class PointTable(ScrollView, can_focus=True):
    """Rows of points; space marks a row, the cursor row acts when nothing is marked."""

    COMPONENT_CLASSES = {
        "point-table--header",
        "point-table--cursor",
        "point-table--marked",
        "point-table--suggestion",
        "point-table--private",
        *KIND_CLASSES.values(),
    }
    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False, id="table.up"),
        Binding("down", "cursor(1)", "Down", show=False, id="table.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table.page_down"),
        Binding("home", "jump(0)", "First", show=False, id="table.first"),
        Binding("end", "jump(-1)", "Last", show=False, id="table.last"),
        Binding("space", "mark", "Mark", show=False, id="table.mark"),
        Binding("shift+down", "mark_move(1)", "Mark down", show=False, id="table.mark_down"),
        Binding("shift+up", "mark_move(-1)", "Mark up", show=False, id="table.mark_up"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)

    class Moved(Message):
        """The cursor or the marks changed."""

    class Typed(Message):
        """A printable key that is no command here: the screen types it into its filter.
        Handled here rather than on the screen, so a burst of keys that reached the table
        before focus moved still arrives whole and in order ("parent", not "p")."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(
        self, *, id: str | None = None, command_keys: frozenset[str] = frozenset()
    ) -> None:
        super().__init__(id=id)
        self.command_keys = command_keys  # printable keys the screen binds to commands
        self._typing = False  # a key went to the filter; focus is on its way there
        self._rows: list[TableRow] = []
        self._where: dict[int, int] | None = None  # point id → index into rows, built lazily
        self.view: list[int] = []  # indexes into rows, filtered and sorted
        self.marked: set[int] = set()  # point ids
        self.sort_key = "made"
        self.descending = False
        # Drawn lines by point id: (row, marked, cursor, focused, width, strip). A row is
        # redrawn only when one of those changes, not every frame.
        self._lines: dict[int, tuple[TableRow, bool, bool, bool, int, Strip]] = {}
        self._styles: dict[str, Style] = {}  # component styles, until the styles change
        self._frame: tuple[int, Style] | None = None  # (width, base style) while drawing
        self._split: tuple[object, int] | None = None  # marked_split's last answer

    # -- content ---------------------------------------------------------------------------

    @property
    def rows(self) -> list[TableRow]:
        return self._rows

    @rows.setter
    def rows(self, rows: list[TableRow]) -> None:
        self._rows, self._where = rows, None
        self._lines.clear()

    def _index(self) -> dict[int, int]:
        if self._where is None:
            self._where = {row.id: i for i, row in enumerate(self._rows)}
        return self._where

    def index_of_ids(self, ids: Iterable[int]) -> list[int]:
        """Indexes into rows of the points with these ids (unknown ids left out)."""
        where = self._index()
        return [where[i] for i in ids if i in where]

    def rows_of(self, ids: Iterable[int]) -> list[TableRow]:
        return [self._rows[i] for i in self.index_of_ids(ids)]

    def set_view(self, view: list[int]) -> None:
        old = self.view[self.cursor] if 0 <= self.cursor < len(self.view) else None
        self.view = view
        self.virtual_size = Size(self.size.width, len(view) + 1)
        index = self._position_of(old) if old is not None else None
        self.cursor = index if index is not None else min(self.cursor, max(0, len(view) - 1))
        self.refresh()

    def sorted_view(self, indexes: Sequence[int]) -> list[int]:
        key = SORTS[self.sort_key]
        rows = self.rows
        return sorted(indexes, key=lambda i: key(rows[i]), reverse=self.descending)

    def replace_rows(self, changed: dict[int, TableRow | None]) -> None:
        """Swap in new versions of changed rows (None: the point is gone); new points
        (ids not in the table yet) are added at the end."""
        where = self._index()
        for point_id, new in changed.items():
            if point_id in where and new is not None:
                self._rows[where[point_id]] = new
            elif new is not None:
                where[point_id] = len(self._rows)
                self._rows.append(new)
        gone = {pid for pid, row in changed.items() if row is None and pid in where}
        if gone:
            keep = [i for i, row in enumerate(self._rows) if row.id not in gone]
            remap = {old: new for new, old in enumerate(keep)}
            self.rows = [self._rows[i] for i in keep]
            self.view = [remap[i] for i in self.view if i in remap]
            self.marked -= gone
        self.refresh()

    def view_position(self, index: int) -> int | None:
        """Where row `index` is shown (its cursor position), or None when it is hidden."""
        return self._position_of(index)

    def _position_of(self, index: int) -> int | None:
        """Where row `index` sits in the view: in the order made the view is ascending row
        indexes (the filter's order), so a binary search; otherwise list.index (in C, but
        ~1 ms at 100k)."""
        view = self.view
        if self.sort_key == "made" and not self.descending:
            at = bisect_left(view, index)
            return at if at < len(view) and view[at] == index else None
        try:
            return view.index(index)
        except ValueError:
            return None

    @property
    def current(self) -> TableRow | None:
        if 0 <= self.cursor < len(self.view):
            return self.rows[self.view[self.cursor]]
        return None

    def selection(self) -> list[int]:
        """The marked points that are shown, in table order, or the cursor's point when
        none are marked. Marked points the filter hides are never acted on."""
        if self.marked:
            rows, marked = self._rows, self.marked
            return [rows[i].id for i in self.view if rows[i].id in marked]
        return [self.current.id] if self.current else []

    def marked_split(self) -> tuple[int, int]:
        """(marked points shown, marked points hidden by the filter)."""
        if not self.marked:
            return 0, 0
        key = (id(self.view), len(self.view), frozenset(self.marked))
        if self._split is None or self._split[0] != key:  # once per view and set of marks
            where, marked = self._index(), self.marked
            if len(marked) * 8 < len(self.view):
                shown_rows = set(self.view)
                shown = sum(1 for pid in marked if where.get(pid) in shown_rows)
            else:
                rows = self._rows
                shown = sum(1 for i in self.view if rows[i].id in marked)
            self._split = (key, shown)
        shown = self._split[1]
        return shown, len(self.marked) - shown

    def visible_ids(self) -> list[int]:
        return [self.rows[i].id for i in self.view]

    def on_key(self, event: Key) -> None:
        if not event.is_printable or not event.character:
            return
        # A command key acts, unless a letter has just gone to the filter: keys typed in a
        # burst reach the table before the focus moves, and are the rest of the word.
        if event.key in self.command_keys and not self._typing:
            return
        event.stop()
        event.prevent_default()
        self._typing = True
        self.post_message(self.Typed(event.character))

    def on_focus(self) -> None:
        self._typing = False  # back from the filter: keys are commands again

    def on_paste(self, event: Paste) -> None:
        if event.text.strip():
            event.stop()
            self.post_message(self.Typed(" ".join(event.text.split())))

    # -- cursor and marks ------------------------------------------------------------------

    def watch_cursor(self, cursor: int) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        top = self.scroll_offset.y
        if cursor < top:
            self.scroll_to(y=cursor, animate=False)
        elif cursor >= top + height:
            self.scroll_to(y=cursor - height + 1, animate=False)
        self.refresh()
        self.post_message(self.Moved())

    def action_cursor(self, step: int) -> None:
        if self.view:
            self.cursor = max(0, min(len(self.view) - 1, self.cursor + step))

    def action_page(self, direction: int) -> None:
        height = max(1, self.scrollable_content_region.height - 2)
        self.action_cursor(direction * height)

    def action_jump(self, where: int) -> None:
        self.cursor = 0 if where >= 0 else max(0, len(self.view) - 1)

    def action_mark(self) -> None:
        row = self.current
        if row is None:
            return
        self.marked ^= {row.id}
        self.action_cursor(1)
        self.post_message(self.Moved())

    def action_mark_move(self, step: int) -> None:
        row = self.current
        if row is not None:
            self.marked.add(row.id)
        self.action_cursor(step)
        if (row := self.current) is not None:
            self.marked.add(row.id)
        self.refresh()
        self.post_message(self.Moved())

    def mark_all(self, on: bool) -> None:
        self.set_marks(set(self.visible_ids()) if on else set())

    def set_marks(self, marked: set[int]) -> None:
        self.marked = marked
        self.refresh()
        self.post_message(self.Moved())

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.view) + 1)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()  # colours changed (theme, focus styles): draw lines afresh
        self._styles.clear()

    # -- drawing ---------------------------------------------------------------------------

    @staticmethod
    def columns_for(width: int) -> list[Column]:
        """The columns that fit: narrow terminals drop the heading, then the topic (the
        detail line under the table shows both for the highlighted point)."""
        dropped = {"heading"} if width < 100 else set()
        if width < 84:
            dropped.add("topic")
        return [c for c in COLUMNS if c.key not in dropped]

    def _widths(self, columns: list[Column], width: int) -> list[int]:
        fixed = sum(c.width + 1 for c in columns if c.width)
        return [c.width or max(10, width - fixed - 2) for c in columns]

    def render_lines(self, crop: Region) -> list[Strip]:
        # The width and base style once a frame, not once a line (each walks the styles
        # of every ancestor: a millisecond or more over a screenful of rows).
        self._frame = (self.scrollable_content_region.width, self.rich_style)
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        width, base = self._frame or (self.scrollable_content_region.width, self.rich_style)
        if y == 0:
            text = self._header(width)
            return Strip(text.render(self.app.console), text.cell_len).crop_extend(0, width, base)
        index = self.scroll_offset.y + y - 1
        if not 0 <= index < len(self.view):
            return Strip.blank(width, base)
        row = self._rows[self.view[index]]
        marked, cursor, focused = row.id in self.marked, index == self.cursor, self.has_focus
        cached = self._lines.get(row.id)
        if (
            cached is not None
            and cached[0] is row
            and cached[1:5] == (marked, cursor, focused, width)
        ):
            return cached[5]
        segments, length = self._row(row, cursor, marked, focused, width)
        strip = Strip(segments, length).crop_extend(0, width, base)
        if len(self._lines) > 2000:  # a few screens' worth: the rest are drawn again
            self._lines.clear()
        self._lines[row.id] = (row, marked, cursor, focused, width, strip)
        return strip

    def _header(self, width: int) -> Text:
        text = Text("  ", no_wrap=True)
        columns = self.columns_for(width)
        for column, size in zip(columns, self._widths(columns, width), strict=True):
            title = column.title
            if column.key.startswith(self.sort_key[:4]) or (
                self.sort_key == "chapter" and column.key == "chapters"
            ):
                title += " ▼" if self.descending else " ▲"
            text.append(title[:size].ljust(size) + " ")
        text.stylize(self.get_component_rich_style("point-table--header"))
        return text

    def _style(self, name: str) -> Style:
        """A component class's style, looked up once until the styles change."""
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name)
        return style

    def _row(
        self, row: TableRow, cursor: bool, marked: bool, focused: bool, width: int
    ) -> tuple[list[Segment], int]:
        """One point's line as segments (and its length in cells), drawn directly: what a
        Rich Text of the cells, each cut to its column with an ellipsis, would render to,
        at a fraction of the cost (a keystroke redraws every visible row)."""
        over = NULL
        if marked:
            over += self._style("point-table--marked")
        if cursor:
            style = self._style("point-table--cursor")
            over += style if focused else style + DIM
        gap = Segment(" ", over)
        segments = [Segment("● " if marked else "  ", over)]
        length = 2
        columns = self.columns_for(width)
        for column, size in zip(columns, self._widths(columns, width), strict=True):
            value = strip_control_codes(column.cell(row).replace("\n", " "))
            cells = cell_len(value)
            if cells > size:
                value = set_cell_size(value, size - 1) + "…"
            elif cells < size:
                value += " " * (size - cells)
            style = NULL
            if column.key == "kind" and row.kind != "point":
                style = self._style(KIND_CLASSES[row.kind])
            elif column.key == "chapters" and not row.chapters and row.suggestion:
                style = self._style("point-table--suggestion")
            elif column.key == "text" and row.private:
                style = self._style("point-table--private")
            segments += (Segment(value, style + over if style else over), gap)
            length += size + 1
        return segments, length
