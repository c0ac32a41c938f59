"""`sendtui report`: counts of an event's points, as a table, CSV or Markdown.

sendtui report "8 July" --by chapter --kind concern     # seed 000's table
sendtui report 3 --by group-chapter --format csv -o tally.csv
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from rich.text import Text

from sendtui.config import Config
from sendtui.errors import InputError
from sendtui.exporters.files import write_text
from sendtui.exporters.tables import markdown_escape, to_csv, to_markdown, to_table
from sendtui.models.kinds import Kind
from sendtui.services.crosstabs import CrossTab
from sendtui.services.reports import Breakdown

BY = ("chapter", "marker", "group", "kind", "group-chapter", "chapter-kind")
FORMATS = ("table", "csv", "md")


ORDER = 30  # where the command sits in `sendtui --help`


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add this module's commands to the parser."""
    report = commands.add_parser(
        "report",
        parents=[common],
        help="count an event's points by chapter, marker, group or kind",
        description="Count an event's points. A point tagged to two chapters (or markers) "
        "counts in each; the report says how many points that involves. Private points are "
        "left out unless --include-private is given.",
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
    report.add_argument("--include-private", action="store_true", help="count private points too")
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
    from sendtui.services.events import EventService

    kind = parse_kind(args.kind)
    opened = _open(config)
    try:
        event = EventService(opened.store).find(args.event)
        if event.id is None:
            raise InputError("That event has no id.")
        conn, private = opened.store.reader, args.include_private
        if "-" in args.by:
            rows, cols = args.by.split("-")
            report = reports.crosstab(
                conn, event.id, rows=rows, cols=cols, kind=kind, include_private=private
            )
        else:
            count = {
                "chapter": reports.chapter_breakdown,
                "marker": reports.marker_breakdown,
                "group": reports.group_breakdown,
                "kind": reports.kind_breakdown,
            }[args.by]
            report = count(conn, event.id, kind=kind, include_private=private)
    finally:
        opened.store.close()
    if args.format == "table" and args.output is None:
        from rich.console import Console

        console = Console()
        console.print(Text(event.title, style="bold"))
        console.print(to_table(report))
        return 0
    text = render(report, args.format, event.title)
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_text(args.output, text)
        print(f"Wrote {args.output}", file=sys.stderr)
    return 0


def render(report: Breakdown | CrossTab, fmt: str, event_title: str) -> str:
    """The report as text: CSV, Markdown (with a heading), or the table drawn as plain
    text for a file."""
    if fmt == "csv":
        return to_csv(report)
    if fmt == "md":
        heading = markdown_escape(f"{report.title}: {event_title}")
        return f"## {heading}\n\n{to_markdown(report)}"
    from rich.console import Console

    out = io.StringIO()
    console = Console(file=out, width=250, no_color=True, force_terminal=False)
    console.print(Text(event_title))
    console.print(to_table(report))
    return out.getvalue()
