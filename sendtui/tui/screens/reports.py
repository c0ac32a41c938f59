"""Tallies for one event: points by chapter (seed 000's table), marker coverage, groups,
kinds and cross-tabs, with a bar chart. Which report, and whether private points count,
are decided by the reports service (the same one `sendtui report` calls); the table is
drawn at its full width and scrolls sideways rather than losing columns."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from sendtui.errors import SendtuiError
from sendtui.services.reports import BY as REPORTS
from sendtui.services.reports import COUNT_PRIVATE
from sendtui.tui.widgets.key_bar import KeyBar

# Questions and concerns first: what minutes most often count (seed 000 counts concerns).
KINDS: list[str | None] = [None, "question", "concern", "positive", "negative", "solution", "point"]


class ReportsScreen(Screen[None]):
    """Pick a report on the left; the table and its chart show on the right."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="reports.back"),
        Binding("k", "next_kind", "Kind filter", id="reports.kind"),
        Binding("p", "toggle_private", "Private points", id="reports.private"),
        Binding("x", "export", "Export", id="reports.export"),
        Binding("right", "sideways(8)", "Scroll right", show=False, id="reports.right"),
        Binding("left", "sideways(-8)", "Scroll left", show=False, id="reports.left"),
    ]

    def __init__(self, event_id: int) -> None:
        super().__init__()
        self.event_id = event_id
        self.by = "chapter"
        self.kind_index = 0
        self.include_private = COUNT_PRIVATE  # the one rule, from the reports service
        self._breakdown: Any = None
        self._table: Any = None  # the rich Table shown, measured to fit
        self._wider = False  # the table is wider than the screen: it scrolls sideways
        self._watcher: Any = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="reports-body"):
            yield OptionList(
                *[Option(Text(label), id=key) for key, label in REPORTS.items()], id="report-kinds"
            )
            with Vertical(id="report-main"):
                yield Static("", id="report-options")
                # One scroll for both, so a short terminal shows the whole table and
                # reaches the chart below it; sideways too, so no column is ever cut.
                with ScrollableContainer(id="report-scroll"):
                    yield Static("", id="report-table")
                    yield Static("", id="report-chart")
        yield KeyBar()

    def on_mount(self) -> None:
        from sendtui.services.events import EventService

        event = EventService(self.app.context.store).get(self.event_id)  # type: ignore[attr-defined]
        self.sub_title = f"Tallies — {event.title}"
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()
        self.show()
        # Live: points saved elsewhere (other note-takers, an import) are counted within a
        # second; the report, kind, private choice and scroll position stay as they are.
        try:
            self._watcher = self.app.context.store.watcher()  # type: ignore[attr-defined]
        except SendtuiError:
            self._watcher = None
        else:
            self.set_interval(0.5, self._poll, name="tallies-live")

    def _poll(self) -> None:
        watcher = self._watcher
        if watcher is None or not watcher.changed():
            return
        if watcher.events and self.event_id not in watcher.events:
            return
        self.show()

    def on_unmount(self) -> None:
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.by = event.option.id
            self.show()

    def show(self) -> None:
        """Compute the chosen report (a few milliseconds even at 100,000 points) and draw."""
        from sendtui.exporters.tables import to_table
        from sendtui.services import reports

        conn = self.app.context.store.reader  # type: ignore[attr-defined]
        kind = KINDS[self.kind_index]
        report = reports.report(
            conn, self.event_id, self.by, kind=kind, include_private=self.include_private
        )
        table = to_table(report)
        table.title_justify = "left"  # over a table wider than the screen, still seen
        self._table = table
        self.query_one("#report-table", Static).update(table)
        self._breakdown = report if isinstance(report, reports.Breakdown) else None
        self._fit_table()
        self._draw_chart()

    def _fit_table(self) -> None:
        """Draw the table as wide as the space it has (long labels wrap), but never
        narrower than its columns need: then it is wider than the screen and scrolls
        sideways, instead of cutting 41 to 4."""
        from rich.measure import Measurement

        if self._table is None:
            return
        console = self.app.console
        need = Measurement.get(console, console.options.update_width(10_000), self._table)
        room = self.query_one("#report-scroll").scrollable_content_region.width or 80
        self.query_one("#report-table", Static).styles.width = max(
            min(room, need.maximum), need.minimum
        )
        self._wider = need.minimum > room
        self._draw_options()

    def _draw_options(self) -> None:
        """One short line (it fits 80 columns): the kind counted, whether private points
        count, and ← → when the table has columns off the screen."""
        options = Text()
        kind = KINDS[self.kind_index]
        options.append(f"{kind.capitalize()}s" if kind else "All kinds", style="bold")
        options.append(" (k) · ", style="dim")
        options.append("private ", style="dim")
        options.append("counted" if self.include_private else "left out", style="bold")
        options.append(" (p)", style="dim")
        if self._wider:
            options.append(" · ← → more", style="bold reverse")
        self.query_one("#report-options", Static).update(options)

    def _draw_chart(self) -> None:
        chart = self.query_one("#report-chart", Static)
        breakdown = self._breakdown
        chart.display = breakdown is not None and breakdown.total > 0
        if chart.display:
            width = self.query_one("#report-scroll").scrollable_content_region.width
            chart.update(bar_chart(breakdown, width or 80))

    def action_sideways(self, step: int) -> None:
        scroll = self.query_one("#report-scroll")
        scroll.scroll_to(x=max(0, scroll.scroll_x + step), animate=False)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_table)
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
