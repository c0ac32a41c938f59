"""Claims reports in the app: the same tables as `sendtui claims report`, by member, event,
category, month or financial year, with a Total row that adds up to the penny."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from sendtui.errors import SendtuiError
from sendtui.services.claims.payees import Split
from sendtui.services.claims.reports import (
    ALL_STATUSES,
    BY_CHOICES,
    BY_TITLES,
    DEFAULT_STATUSES,
    ClaimsReport,
    claims_report,
    report_csv,
)
from sendtui.services.money import format_pence
from sendtui.tui.screens.claims_ops import claims_rules
from sendtui.tui.screens.form import Field, FormScreen
from sendtui.tui.widgets.key_bar import KeyBar

STATUS_CHOICES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("submitted, approved and paid (rejected not counted)", DEFAULT_STATUSES),
    ("paid", ("paid",)),
    ("approved (to pay)", ("approved",)),
    ("submitted (to approve)", ("submitted",)),
    ("rejected", ("rejected",)),
    ("all, rejected included", ALL_STATUSES),
)


def report_table(report: ClaimsReport) -> Table:
    """The report as a Rich table: every cell a Text, amounts right-aligned."""
    table = Table(title=report.title, title_justify="left", expand=False)
    table.add_column(BY_TITLES[report.by])
    names = ["Claims", "Items", "Amount", "To members", "To the forum"]
    if report.has_declined:
        names.append("Declined")
    for name in names:
        table.add_column(name, justify="right")

    def money(split: Split, total: int, style: str = "") -> list[Text]:
        values = [total, split.to_member, split.to_forum]
        values += [split.declined] if report.has_declined else []
        return [Text(format_pence(v), style=style) for v in values]

    for row in report.rows:
        table.add_row(
            Text(row.label),
            Text(str(row.claims)),
            Text(str(row.items)),
            *money(row.split, row.total_pence),
        )
    table.add_section()
    table.add_row(
        Text("Total", style="bold"),
        Text(str(report.claims), style="bold"),
        Text(str(report.items), style="bold"),
        *money(report.split, report.total_pence, "bold"),
    )
    return table


class ClaimsReportScreen(Screen[None]):
    """Pick a grouping on the left; the table shows on the right."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="claims_report.back"),
        Binding("s", "status", "Status filter", id="claims_report.status"),
        Binding("x", "export", "Export CSV", id="claims_report.export"),
    ]
    DEFAULT_CSS = """
    ClaimsReportScreen #claims-report-body { height: 1fr; }
    ClaimsReportScreen #claims-report-by { width: 24; height: 1fr; }
    ClaimsReportScreen #claims-report-options { height: 1; padding: 0 1; }
    ClaimsReportScreen #claims-report-scroll { width: 1fr; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.by = "member"
        self.status_index = 0
        self.report: ClaimsReport | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="claims-report-options")
        with Horizontal(id="claims-report-body"):
            yield OptionList(
                *[Option(Text(f"By {BY_TITLES[b].lower()}"), id=b) for b in BY_CHOICES],
                id="claims-report-by",
            )
            with VerticalScroll(id="claims-report-scroll"):
                yield Static("", id="claims-report-table")
        yield KeyBar()

    def on_mount(self) -> None:
        ctx = self.app.context  # type: ignore[attr-defined]
        self.store = ctx.store
        self.rules = claims_rules(ctx)
        self.sub_title = "Claims reports"
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()
        self.show()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.by = event.option.id
            self.show()

    def show(self) -> None:
        label, statuses = STATUS_CHOICES[self.status_index]
        self.report = claims_report(self.store.reader, self.rules, self.by, statuses)
        self.query_one("#claims-report-table", Static).update(report_table(self.report))
        options = Text()
        options.append("Claims: ", style="dim")
        options.append(label, style="bold")
        options.append("  (s to change) · x writes this table as CSV", style="dim")
        self.query_one("#claims-report-options", Static).update(options)

    def action_status(self) -> None:
        self.status_index = (self.status_index + 1) % len(STATUS_CHOICES)
        self.show()

    def action_export(self) -> None:
        if self.report is None:
            return
        report = self.report
        default = str(Path.cwd() / f"claims-by-{report.by}.csv")

        def chosen(values: dict[str, str] | None) -> None:
            if values and values["path"].strip():
                self._write(report, Path(values["path"].strip()).expanduser())

        self.app.push_screen(
            FormScreen(
                "Write the report as CSV", [Field("path", "File", default)], save_label="Write"
            ),
            chosen,
        )

    @work(thread=True, exclusive=True, group="claims-report")
    def _write(self, report: ClaimsReport, path: Path) -> None:
        from sendtui.exporters.files import write_text

        try:
            # Names of members are personal data: such a file is private to its owner.
            write_text(path, report_csv(report), private=report.by == "member")
        except SendtuiError as exc:
            self.app.call_from_thread(self.app.say, exc.message, severity="error")  # type: ignore[attr-defined]
            return
        self.app.call_from_thread(self.app.say, f"Wrote {path}")  # type: ignore[attr-defined]

    def action_back(self) -> None:
        self.dismiss()
