"""The `sendtui` command: opens the app, or runs one headless task and exits.

Every failure the user can act on is a SendtuiError: printed as one plain message on stderr,
exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

from sendtui import __version__
from sendtui.config import Config, load_config
from sendtui.errors import SendtuiError
from sendtui.paths import default_config_path

Command = Callable[[argparse.Namespace, Config], int]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="PATH",
        help="config.toml to use (default: ./config.toml)",
    )
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        metavar="LOCATION",
        help="the store: a SQLite file or a PostgreSQL URL (postgresql://user@host/dbname), "
        "overriding SENDTUI_DB and config.toml's store.database",
    )
    parser = argparse.ArgumentParser(
        prog="sendtui",
        parents=[common],
        description="Capture, tag and count parent carer forum consultation notes; "
        "pay parents' claims. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"sendtui {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the app on a throwaway copy of the 8 July 2013 demo event",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    for module in command_modules():
        module.register(commands, common)
    return parser


def command_modules() -> list[ModuleType]:
    """Every module in sendtui/cli with a `register(commands, common)` function, in the order
    of `ORDER` (then by name): a new command is a new module, nothing to list here."""
    import sendtui.cli as package

    found = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"sendtui.cli.{info.name}")
        if callable(getattr(module, "register", None)):
            found.append(module)
    return sorted(found, key=lambda m: (getattr(m, "ORDER", 50), m.__name__))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        database, database_from = database_override(args)
        config = load_config(
            getattr(args, "config", None) or default_config_path(),
            database=database,
            database_from=database_from,
        )
        handler: Command | None = getattr(args, "handler", None)
        if handler is not None:
            return handler(args, config)
        return run_app(config, demo=args.demo)
    except SendtuiError as exc:
        print(f"sendtui: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def database_override(args: argparse.Namespace) -> tuple[str | None, str]:
    """--db, else the SENDTUI_DB environment variable, else None (config.toml decides)."""
    if (given := getattr(args, "db", None)) is not None:
        return given, "--db"
    if env := os.environ.get("SENDTUI_DB"):  # empty: unset, as shells treat it
        return env, "SENDTUI_DB"
    return None, "--db"


def run_app(config: Config, *, demo: bool = False) -> int:
    from sendtui.tui.app import make_app

    app = make_app(config, demo=demo)
    app.run()
    return app.return_code or 0
