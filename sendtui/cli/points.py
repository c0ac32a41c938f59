"""Commands about events and points: events, import."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sendtui.config import Config
from sendtui.text import printable

ORDER = 10  # where the command sits in `sendtui --help`


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    events = commands.add_parser("events", parents=[common], help="list events")
    events.set_defaults(handler=cmd_events)

    show = commands.add_parser(
        "config",
        parents=[common],
        help="print the configuration in effect (config.toml with every default filled in)",
    )
    show.set_defaults(handler=cmd_config)

    imp = commands.add_parser(
        "import",
        parents=[common],
        help="import typed notes (Markdown or Word), or merge a JSON dump from another laptop",
        description="Import a notes file (Markdown, or a Word .docx; see README: the notes "
        "format), or merge a JSON dump made by `sendtui export EVENT --format json` on another "
        "note-taker's laptop: points are matched by UUID and merged field by field, so merging "
        "twice adds nothing and the newest change of each field wins (a field changed on both "
        "laptops is listed as a conflict). A file with any problem imports nothing.",
    )
    imp.add_argument(
        "notes", type=Path, metavar="FILE", help="the notes file (.md, .docx) or a .json dump"
    )
    imp.add_argument(
        "--event",
        metavar="ID_OR_TITLE",
        help="add to this event instead of the one the file names (its '# title', or a "
        "dump's event UUID)",
    )
    imp.set_defaults(handler=cmd_import)


def _open(config: Config):
    from sendtui.services.bootstrap import open_store

    return open_store(config)


def cmd_config(args: argparse.Namespace, config: Config) -> int:
    """The effective configuration as TOML: a starting point for a forum's own config.toml."""
    import msgspec
    import tomli_w

    data = msgspec.to_builtins(config)
    for internal in ("base_dir", "source"):
        data.pop(internal, None)
    where = config.source or "defaults (no config.toml found)"
    sys.stdout.write(f"# sendtui configuration in effect, from {where}\n")
    sys.stdout.write(tomli_w.dumps(data))
    return 0


def cmd_events(args: argparse.Namespace, config: Config) -> int:
    # rich loads here, for the listing only: `sendtui import` prints none of it.
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from sendtui.store import reads

    opened = _open(config)
    try:
        events = reads.event_summaries(opened.store.reader)
    finally:
        opened.store.close()
    console = Console()
    if not events:
        console.print(
            "No events yet. Create one in the app (sendtui) or import notes "
            "(sendtui import NOTES.md).",
            markup=False,
        )
        return 0
    table = Table(box=None)
    for name, justify in (
        ("Id", "right"),
        ("Date", "left"),
        ("Title", "left"),
        ("Scheme", "left"),
        ("Points", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for e in events:  # titles are user text: never let them drive the terminal
        table.add_row(
            Text(str(e.id)),
            Text(e.date.isoformat() if e.date else "—"),
            Text(printable(e.title)),
            Text(printable(e.scheme_code)),
            Text(f"{e.points:,}"),
        )
    console.print(table)
    return 0


def cmd_import(args: argparse.Namespace, config: Config) -> int:
    from sendtui.services.importer import import_file

    opened = _open(config)
    capture = config.capture
    try:
        result = import_file(
            opened.store,
            opened.reference,
            args.notes,
            event=args.event,
            kind_words=capture.kind_words.as_dict(),
            marks=capture.kind_marks.as_dict(),
            default_scheme=capture.default_scheme,
            note_taker=capture.note_taker,
        )
    finally:
        opened.store.close()
    print(result.summary())
    return 0
