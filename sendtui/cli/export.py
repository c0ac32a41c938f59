"""`sendtui export`: write one event as a file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sendtui.config import Config
from sendtui.errors import InputError


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    export = commands.add_parser("export", parents=[common], help="export one event")
    export.add_argument("event", metavar="EVENT", help="event id or title")
    export.add_argument(
        "--format", choices=["json"], default="json", help="json: a complete, lossless dump"
    )
    export.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="file to write (default: standard output)"
    )
    export.set_defaults(handler=cmd_export)


def _open(config: Config):
    from sendtui.services.bootstrap import open_store

    return open_store(config)


def cmd_export(args: argparse.Namespace, config: Config) -> int:
    from sendtui.exporters.files import write_text
    from sendtui.exporters.json_dump import dump_event, to_json
    from sendtui.services.events import EventService

    opened = _open(config)
    try:
        event = EventService(opened.store).find(args.event)
        if event.id is None:
            raise InputError("That event has no id.")
        text = to_json(dump_event(opened.store, event.id))
    finally:
        opened.store.close()
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_text(args.output, text)
        print(f"Wrote {args.output}", file=sys.stderr)
    return 0
