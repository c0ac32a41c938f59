"""Tallies for one event: points by chapter (seed 000's table), marker coverage, groups,
kinds and cross-tabs, with a bar chart. All counts come from the headless reports service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

REPORTS: dict[str, str] = {
    "chapter": "By chapter",
    "marker": "By marker (coverage)",
    "group": "By group",
    "kind": "By kind",
    "group-chapter": "Group × chapter",
    "chapter-kind": "Chapter × kind",
}
# Questions and concerns first: what minutes most often count (seed 000 counts concerns).
KINDS: list[str | None] = [None, "question", "concern", "positive", "negative", "solution", "point"]


def report_renderable(
    conn: Any, event_id: int, by: str, *, kind: str | None, include_private: bool
) -> tuple[Any, Any]:
    """(rich renderable of the table, the Breakdown for a chart or None)."""
    from sendtui.exporters.tables import breakdown_table, crosstab_table
    from sendtui.services import reports

    simple: dict[str, Callable[..., Any]] = {
        "chapter": reports.chapter_breakdown,
        "marker": reports.marker_breakdown,
        "group": reports.group_breakdown,
        "kind": reports.kind_breakdown,
    }
    if by in simple:
        breakdown = simple[by](conn, event_id, kind=kind, include_private=include_private)
        return breakdown_table(breakdown), breakdown
    rows, cols = by.split("-")
    table = reports.crosstab(
        conn, event_id, rows=rows, cols=cols, kind=kind, include_private=include_private
    )
    return crosstab_table(table), None


class ReportsScreen(Screen[None]):
    """Pick a report on the left; the table and its chart show on the right."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="reports.back"),
        Binding("k", "next_kind", "Kind filter", id="reports.kind"),
        Binding("p", "toggle_private", "Private points", id="reports.private"),
        Binding("x", "export", "Export", id="reports.export"),
    ]

    def __init__(self, event_id: int) -> None:
        super().__init__()
        self.event_id = event_id
        self.by = "chapter"
        self.kind_index = 0
        self.include_private = True
        self._breakdown: Any = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="reports-body"):
            yield OptionList(
                *[Option(Text(label), id=key) for key, label in REPORTS.items()], id="report-kinds"
            )
            with Vertical(id="report-main"):
                yield Static("", id="report-options")
                # One scroll for both, so a short terminal shows the whole table and
                # reaches the chart below it.
                with VerticalScroll(id="report-scroll"):
                    yield Static("", id="report-table")
                    yield Static("", id="report-chart")
        yield Footer()

    def on_mount(self) -> None:
        from sendtui.services.events import EventService

        event = EventService(self.app.context.store).get(self.event_id)  # type: ignore[attr-defined]
        self.sub_title = f"Tallies — {event.title}"
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()
        self.show()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.by = event.option.id
            self.show()

    def show(self) -> None:
        """Compute the chosen report (a few milliseconds even at 100,000 points) and draw."""
        conn = self.app.context.store.reader  # type: ignore[attr-defined]
        kind = KINDS[self.kind_index]
        table, breakdown = report_renderable(
            conn, self.event_id, self.by, kind=kind, include_private=self.include_private
        )
        self.query_one("#report-table", Static).update(table)
        options = Text()
        options.append("Kind: ", style="dim")
        options.append(f"{kind}s" if kind else "all points", style="bold")
        options.append("  (k to change) · ", style="dim")
        options.append("private points ", style="dim")
        options.append("included" if self.include_private else "left out", style="bold")
        options.append("  (p)", style="dim")
        self.query_one("#report-options", Static).update(options)
        self._breakdown = breakdown
        self._draw_chart()

    def _draw_chart(self) -> None:
        chart = self.query_one("#report-chart", Static)
        breakdown = self._breakdown
        chart.display = breakdown is not None and breakdown.total > 0
        if chart.display:
            width = self.query_one("#report-scroll").scrollable_content_region.width
            chart.update(bar_chart(breakdown, width or 80))

    def on_resize(self) -> None:
        self.call_after_refresh(self._draw_chart)  # bars fit the new width

    def action_next_kind(self) -> None:
        self.kind_index = (self.kind_index + 1) % len(KINDS)
        self.show()

    def action_toggle_private(self) -> None:
        self.include_private = not self.include_private
        self.show()

    def action_export(self) -> None:
        from sendtui.tui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(self.event_id))

    def action_back(self) -> None:
        self.dismiss()


def bar_chart(breakdown: Any, width: int = 80) -> Text:
    """A horizontal bar per row, scaled to the largest count so that every line fits in
    `width` cells (text, so it suits any theme and any terminal; the DOCX and HTML minutes
    carry a drawn chart)."""
    rows = list(breakdown.rows)
    top = max((r.count for r in rows), default=0) or 1
    labels = [Text(f"{r.code} {r.label}".strip().replace("\n", " "), style="dim") for r in rows]
    longest = max((label.cell_len for label in labels), default=0)
    label_width = max(4, min(32, longest, width // 2))
    bar_room = max(1, width - label_width - 1 - len(f" {top}"))
    text = Text()
    for row, label in zip(rows, labels, strict=True):
        label.truncate(label_width, overflow="ellipsis", pad=True)  # in cells: wide text too
        text.append(label)
        text.append(" ")
        text.append("█" * round(row.count / top * bar_room), style="bold")
        text.append(f" {row.count}\n")
    return text
