"""The review table draws each row as segments directly (a keystroke redraws every visible
row): the line must be exactly what Rich renders for the same cells, each cut to its column
with an ellipsis, so the fast drawing changes nothing on screen."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult

import sendtui.tui
from sendtui.services.point_query import ReviewRow
from sendtui.tui.text import KIND_CLASSES
from sendtui.tui.widgets.point_table import PointTable


class TableApp(App[None]):
    CSS_PATH = Path(sendtui.tui.__file__).parent / "app.tcss"  # the real colours

    def compose(self) -> ComposeResult:
        yield PointTable(id="review-table")


def rich_line(table: PointTable, row: ReviewRow, cursor: bool, marked: bool, focused: bool,
              width: int) -> list[Segment]:  # fmt: skip
    """The row drawn through Rich Text, as the table drew it before (the reference)."""
    text = Text("● " if marked else "  ", no_wrap=True)
    columns = table.columns_for(width)
    for column, size in zip(columns, table._widths(columns, width), strict=True):
        cell = Text(column.cell(row).replace("\n", " "), no_wrap=True, overflow="ellipsis")
        cell.truncate(size, overflow="ellipsis", pad=True)
        if column.key == "kind" and row.kind != "point":
            cell.stylize(table.get_component_rich_style(KIND_CLASSES[row.kind]))
        elif column.key == "chapters" and not row.chapters and row.suggestion:
            cell.stylize(table.get_component_rich_style("point-table--suggestion"))
        elif column.key == "text" and row.private:
            cell.stylize(table.get_component_rich_style("point-table--private"))
        text.append(cell)
        text.append(" ")
    if marked:
        text.stylize(table.get_component_rich_style("point-table--marked"))
    if cursor:
        style = table.get_component_rich_style("point-table--cursor")
        text.stylize(style if focused else style + Style(dim=True))
    return list(text.render(table.app.console))


def simple(segments: list[Segment]) -> list[tuple[str, Style]]:
    """Segments with runs of one style joined, as the terminal (and a snapshot) sees them
    (no style and the empty style are the same there)."""
    plain = [Segment(s.text, s.style or Style()) for s in segments]
    return [(s.text, s.style) for s in Segment.simplify(plain) if s.text]


# Wide characters, combining marks, control codes, emoji, newlines, long runs.
CHARS = "ab Zé\u0301漢字😀\x07\x1b\t\n—…ß²"
_rows = st.builds(
    ReviewRow,
    id=st.integers(1, 9),
    position=st.integers(0, 9),
    group=st.text(CHARS, max_size=20),
    topic=st.text(CHARS, max_size=20),
    heading=st.text(CHARS, max_size=20),
    kind=st.sampled_from(list(KIND_CLASSES)),
    chapters=st.lists(st.sampled_from(["1", "4", "12"]), max_size=3).map(tuple),
    markers=st.lists(st.sampled_from(["M1", "D4"]), max_size=2).map(tuple),
    section_ref=st.just(""),
    text=st.text(CHARS, max_size=160),
    private=st.booleans(),
    suggestion=st.sampled_from(["", "4"]),
)


async def test_rows_are_drawn_as_rich_draws_them() -> None:
    async with TableApp().run_test(size=(130, 10)) as pilot:
        table = pilot.app.query_one(PointTable)

        @settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
        @given(
            row=_rows,
            cursor=st.booleans(),
            marked=st.booleans(),
            focused=st.booleans(),
            width=st.sampled_from([40, 83, 99, 100, 128]),
        )
        def check(row, cursor, marked, focused, width) -> None:
            drawn, length = table._row(row, cursor, marked, focused, width)
            expected = rich_line(table, row, cursor, marked, focused, width)
            assert simple(drawn) == simple(expected)
            assert length == Segment.get_line_length(expected)

        check()
