"""`sendtui report`: counts of an event's points, as a table, CSV or Markdown.

sendtui report "8 July" --by chapter --kind concern     # seed 000's table
sendtui report 3 --by group-chapter --format csv -o tally.csv
"""

from __future__ import annotations

import argparse
import io
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from sendtui.config import Config
from sendtui.errors import InputError
from sendtui.models.kinds import Kind
from sendtui.services.report_names import BY as REPORTS
from sendtui.text import printable

if TYPE_CHECKING:
    from sendtui.services.crosstabs import AxisItem, CrossTab
    from sendtui.services.reports import Breakdown

# The counting, the tables and the writers load when a report is made, not for every
# command's start-up (argparse needs only the names of the reports).
BY = tuple(REPORTS)
FORMATS = ("table", "csv", "md")


ORDER = 30  # where the command sits in `sendtui --help`


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add this module's commands to the parser."""
    report = commands.add_parser(
        "report",
        parents=[common],
        help="count an event's points by chapter, marker, group or kind",
        description="Count an event's points. A point tagged to two chapters (or markers) "
        "counts in each; the report says how many points that involves. Private points "
        "(said about a named child or school) are left out, as in the minutes and the "
        "tallies screen, and the report says how many; --include-private counts them. "
        "A table written to a file or a pipe is drawn at its full width.",
    )
    report.add_argument("event", metavar="EVENT", help="event id or title")
    report.add_argument(
        "--by",
        choices=BY,
        default="chapter",
        help="what to count by (group-chapter and chapter-kind are cross-tabs; "
        "marker shows which markers have points and which have none). Default: chapter",
    )
    report.add_argument(
        "--kind",
        metavar="KIND",
        help=f"count only one kind of point: {', '.join(k.value for k in Kind)}",
    )
    report.add_argument(
        "--format", choices=FORMATS, default="table", help="table (default), csv or md"
    )
    report.add_argument(
        "--include-private",
        action="store_true",
        help="count private points too (left out by default, as in the minutes and tallies)",
    )
    report.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="file to write (default: standard output)"
    )
    report.set_defaults(handler=cmd_report)


def parse_kind(value: str | None) -> str | None:
    """A kind named as typed ("Concern", "concerns"), or an InputError listing the kinds."""
    if value is None:
        return None
    word = value.strip().lower()
    for kind in Kind:
        if word in (kind.value, kind.plural.lower()):
            return kind.value
    kinds = ", ".join(k.value for k in Kind)
    raise InputError(f"There is no kind “{value}”; the kinds are: {kinds}.")


def _open(config: Config):
    from sendtui.services.bootstrap import open_store

    return open_store(config)


def cmd_report(args: argparse.Namespace, config: Config) -> int:
    from sendtui.services import reports
    from sendtui.services.event_lookup import find_event

    kind = parse_kind(args.kind)
    if args.output is not None:
        from sendtui.services.output_paths import check_output_path

        check_output_path(args.output, config=config, store_location=config.database)
    opened = _open(config)
    try:
        event = find_event(opened.store.reader, args.event)
        report = reports.report(
            opened.store.reader,
            event.id,
            args.by,
            kind=kind,
            include_private=args.include_private,
        )
    finally:
        opened.store.close()
    report, title = shown(report), printable(event.title)
    if args.format == "table" and args.output is None and sys.stdout.isatty():
        from rich.console import Console
        from rich.text import Text

        from sendtui.exporters.tables import to_table

        console = Console()  # the terminal's width: long labels wrap, numbers never do
        console.print(Text(title, style="bold"))
        console.print(to_table(report))
        return 0
    text = render(report, args.format, title)
    if args.output is None:
        sys.stdout.write(text)
    else:
        from sendtui.exporters.files import write_text

        write_text(args.output, text)
        print(f"Wrote {printable(str(args.output))}", file=sys.stderr)
    return 0


def shown(report: Breakdown | CrossTab) -> Breakdown | CrossTab:
    """The report with every label made printable: group names and titles are typed by
    people, and a control character in one must not reach a terminal or a file as such."""
    from sendtui.services.reports import Breakdown

    if isinstance(report, Breakdown):
        rows = tuple(replace(r, label=printable(r.label)) for r in report.rows)
        return replace(report, title=printable(report.title), rows=rows)

    def items(axis: tuple[AxisItem, ...]) -> tuple[AxisItem, ...]:
        return tuple(replace(i, label=printable(i.label), code=printable(i.code)) for i in axis)

    return replace(
        report, title=printable(report.title), rows=items(report.rows), cols=items(report.cols)
    )


def _plain_table(report: Breakdown | CrossTab, event_title: str) -> str | None:
    """The table drawn without rich, as rich draws it (None: text rich must measure)."""
    from sendtui.cli.report_text import table_text
    from sendtui.exporters.tables import breakdown_lines, crosstab_lines
    from sendtui.services.reports import Breakdown

    lines = breakdown_lines(report) if isinstance(report, Breakdown) else crosstab_lines(report)
    numeric = [isinstance(cell, int) or str(cell).endswith("%") for cell in lines[-1]]
    cells = [[str(cell) for cell in line] for line in lines]
    return table_text(cells, numeric, report.title, report.notes, event_title)


def render(report: Breakdown | CrossTab, fmt: str, event_title: str) -> str:
    """The report as text: CSV, Markdown (with a heading), or the table drawn as plain
    text at its full width, however wide (for a file or a pipe: `| cat` used to crop it
    at 80 columns)."""
    from sendtui.exporters.tables import markdown_escape, to_csv, to_markdown

    if fmt == "csv":
        return to_csv(report)
    if fmt == "md":
        heading = markdown_escape(f"{report.title}: {event_title}")
        return f"## {heading}\n\n{to_markdown(report)}"
    plain = _plain_table(report, event_title)
    return plain if plain is not None else rich_text(report, event_title)


def rich_text(report: Breakdown | CrossTab, event_title: str) -> str:
    """The table drawn by rich as plain text at its full width."""
    from rich.console import Console
    from rich.measure import Measurement
    from rich.text import Text

    from sendtui.exporters.tables import to_table

    table = to_table(report)
    probe = Console(width=100_000, no_color=True, force_terminal=False)
    width = max(Measurement.get(probe, probe.options, table).maximum, len(event_title), 20)
    out = io.StringIO()
    console = Console(file=out, width=width, no_color=True, force_terminal=False)
    console.print(Text(event_title))
    console.print(table)
    return out.getvalue()
