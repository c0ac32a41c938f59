"""`sendtui export`: write one event as minutes (md, docx, html), data (csv, xlsx) or the
lossless JSON dump."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sendtui.config import Config
from sendtui.exporters import FORMATS, ORDERS
from sendtui.text import printable

ORDER = 20  # where the command sits in `sendtui --help`


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    export = commands.add_parser(
        "export",
        parents=[common],
        help="export one event",
        description="Write one event's minutes (md, docx, html), its points as data (csv, "
        "xlsx) or a complete, lossless dump (json). Private points are left out of minutes "
        "and data unless --include-private; a json dump always includes them.",
    )
    export.add_argument("event", metavar="EVENT", help="event id or title")
    export.add_argument(
        "--format",
        choices=FORMATS,
        default="json",
        help="md, docx, html: minutes; csv, xlsx: one row per point; json (the default): "
        "a complete, lossless dump",
    )
    export.add_argument(
        "--by",
        choices=ORDERS,
        default="group",
        help="collate the minutes by group and topic (the default) or by chapter",
    )
    export.add_argument(
        "--include-private",
        action="store_true",
        help="include points marked private (about a named child or school) in minutes "
        "and data; a json dump is lossless and always includes them",
    )
    export.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="file to write (default: DATE-TITLE.FORMAT in the current folder; "
        "json goes to standard output)",
    )
    export.set_defaults(handler=cmd_export)


def _open(config: Config):
    from sendtui.services.bootstrap import open_store

    return open_store(config)


def cmd_export(args: argparse.Namespace, config: Config) -> int:
    from sendtui.exporters import default_filename, write_file
    from sendtui.services.event_lookup import find_event
    from sendtui.services.output_paths import check_output_path

    if args.output is not None:  # before the store is opened: a refusal touches nothing
        check_output_path(args.output, config=config, store_location=config.database)
    opened = _open(config)
    try:
        event = find_event(opened.store.reader, args.event)
        if args.format == "json" and args.output is None:
            from sendtui.exporters.json_dump import dump_event, to_json

            sys.stdout.write(to_json(dump_event(opened.store, event.id)))
            return 0
        target = args.output or Path.cwd() / default_filename(event, args.format)
        check_output_path(target, config=config, store_location=config.database)
        written = write_file(
            opened.store,
            event.id,
            target,
            args.format,
            by=args.by,
            include_private=args.include_private,
            forum_name=config.forum.name,
            template=config.minutes_template if args.format == "docx" else None,
        )
    finally:
        opened.store.close()
    print(f"Wrote {printable(str(written))}", file=sys.stderr)
    return 0
