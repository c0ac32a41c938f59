"""The `sendtui` command: opens the app, or runs one headless task and exits.

Every failure the user can act on is a SendtuiError: printed as one plain message on stderr,
exit status 2, never a traceback. Messages go through `printable`, so text from a file or
the store (a title with terminal escapes) cannot retitle or clear the terminal. A file that
cannot be written (disk full, no permission) is one message and exit status 1.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, NoReturn, TextIO

from sendtui import __version__
from sendtui.errors import SendtuiError
from sendtui.text import ascii_digits, ascii_number, foreign_digits, printable, terminal_safe

if TYPE_CHECKING:
    from sendtui.config import Config

Command = Callable[[argparse.Namespace, "Config"], int]


INT_LIMIT = 2**63  # what an SQLite INTEGER (and so an id) can hold


class Parser(argparse.ArgumentParser):
    """argparse, with its error messages made printable (it echoes unknown arguments raw)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {printable(message)}\n")


def whole_number(text: str) -> int:
    """An id or count typed on the command line: ASCII digits only (int() also takes "٣"
    and "²"-free Unicode digits), and small enough to be stored."""
    digits = text.strip()
    if not ascii_digits(digits):
        raise argparse.ArgumentTypeError(f"'{_shown(text)}' is not a whole number")
    if not _fits(digits):
        raise argparse.ArgumentTypeError(f"'{_shown(text)}' is far too large")
    return int(digits)


def _fits(digits: str) -> bool:
    value = ascii_number(digits, 19)
    return value is not None and value < INT_LIMIT


def _shown(text: str) -> str:
    """A value quoted back in a message: printable and at most 40 characters."""
    return printable(text if len(text) <= 40 else text[:39] + "…")


whole_number.__name__ = "whole number"  # argparse names the type in its messages


def _checked_ints(parser: argparse.ArgumentParser) -> None:
    """Every `type=int` argument of every command is read by `whole_number` instead, so a
    command module cannot forget. (argparse keeps its actions in `_actions`.)"""
    for action in parser._actions:
        if action.type is int:
            action.type = whole_number
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _checked_ints(sub)


def _argument_problem(args: argparse.Namespace) -> str | None:
    """A value no command can use: a number in non-ASCII digits or too large for an id,
    text that is not valid UTF-8 (lone surrogates), or a NUL in a file name."""
    for name, value in vars(args).items():
        if name == "db":  # a file name or URL, checked by load_config
            continue
        for item in value if isinstance(value, list) else [value]:
            shown = _shown(str(item))
            if isinstance(item, str):
                word = item.strip()
                if foreign_digits(word):
                    return f"'{shown}' is not a number sendtui reads: use the digits 0-9"
                if ascii_digits(word) and not _fits(word):
                    return f"'{shown}' is far too large to be an id"
                if any("\ud800" <= ch <= "\udfff" for ch in item):
                    return f"{name}: '{shown}' is not valid text (UTF-8)"
            elif isinstance(item, Path) and "\x00" in str(item):
                return f"{name}: '{shown}' contains a NUL character"
    return None


# The module in sendtui/cli that registers each command. `sendtui COMMAND` imports only
# that one (importing them all costs a tenth of a second at every start); `--help`, an
# unknown command or a wrong guess loads them all, found by `command_modules`. A new command
# is a new module and a line here: tests/unit/test_lazy_commands.py checks the two agree.
COMMANDS = {
    "events": "points", "config": "points", "import": "points", "capture": "capture",
    "sync": "sync", "export": "export", "report": "reports", "claims": "claims",
    "members": "claims", "check": "store", "backup": "store", "restore": "store",
}  # fmt: skip


class _EveryCommandNeeded(Exception):
    """A parser holding only the command guessed from the arguments met something only the
    whole parser answers exactly: the top-level help, or an error (which may list every
    command). The arguments are parsed again by the whole parser."""


class _OneCommandParser(Parser):
    """The top-level parser with only the guessed command's module loaded. The commands it
    holds parse exactly as in the whole parser; anything else goes to the whole parser."""

    def error(self, message: str) -> NoReturn:
        raise _EveryCommandNeeded

    def format_help(self) -> str:
        raise _EveryCommandNeeded


def build_parser(modules: Sequence[ModuleType] | None = None) -> argparse.ArgumentParser:
    """The `sendtui` parser with every command, or with only `modules`' commands (then an
    error or the top-level help raises _EveryCommandNeeded instead of printing)."""
    common = Parser(add_help=False)
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
    parser = (Parser if modules is None else _OneCommandParser)(
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
    # parser_class: a command's own parser prints its help and errors as always.
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    for module in command_modules() if modules is None else modules:
        module.register(commands, common)
    _checked_ints(parser)
    return parser


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """`argv` parsed, loading only the module of the command named (none for `sendtui` or
    `sendtui --version`). A wrong guess costs time only: see _EveryCommandNeeded."""
    module = COMMANDS.get(_command_word(argv) or "")
    try:
        modules = [importlib.import_module(f"sendtui.cli.{module}")] if module else []
        return build_parser(modules).parse_args(argv)
    except _EveryCommandNeeded:
        return build_parser().parse_args(argv)


def _command_word(argv: Sequence[str]) -> str | None:
    """The first argument that is neither an option nor the value of --config or --db: the
    command, unless an abbreviated option (`--con FILE`) misleads this quick look."""
    words = iter(argv)
    for word in words:
        if word in ("--config", "--db"):
            next(words, None)  # its value
        elif not word.startswith("-"):
            return word
    return None


def command_modules() -> list[ModuleType]:
    """Every module in sendtui/cli with a `register(commands, common)` function, in the order
    of `ORDER` (then by name), as `sendtui --help` lists them."""
    import pkgutil

    import sendtui.cli as package

    found = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"sendtui.cli.{info.name}")
        if callable(getattr(module, "register", None)):
            found.append(module)
    return sorted(found, key=lambda m: (getattr(m, "ORDER", 50), m.__name__))


def main(argv: Sequence[str] | None = None) -> int:
    _safe_streams()
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    if problem := _argument_problem(args):
        print(f"sendtui: {problem}", file=sys.stderr)
        return 2
    # Loaded once the arguments are parsed: `--version` and `--help` need none of them.
    import sqlite3

    from sendtui.config import load_config
    from sendtui.paths import default_config_path

    config: Config | None = None
    try:
        database, database_from = database_override(args)
        config = load_config(
            getattr(args, "config", None) or default_config_path(),
            database=database,
            database_from=database_from,
        )
        handler: Command | None = getattr(args, "handler", None)
        if handler is not None:
            with _guarded_terminal():
                return handler(args, config)
        return run_app(config, demo=args.demo)
    except SendtuiError as exc:
        print(f"sendtui: {printable(exc.message, keep_newlines=True)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `sendtui export 1 | head`: the reader left; not an error
        _quiet_stdout()
        return 0
    except OSError as exc:  # disk full, no permission, a device gone: not a sendtui bug
        print(f"sendtui: {printable(_os_message(exc))}", file=sys.stderr)
        return 1
    except sqlite3.DatabaseError as exc:
        # A damaged, full or locked file met on a path that did not translate it: still one
        # message, with the latest backup. Any other database error is a bug: raised.
        if not any(word in str(exc).lower() for word in _DAMAGE_WORDS):
            raise
        from sendtui.store.connection import store_error

        where = config.database if config is not None else None
        if "could not decode" in str(exc).lower():  # bytes in a text column: damage
            exc = sqlite3.DatabaseError("database disk image is malformed")
        message = store_error(exc, where if isinstance(where, Path) else None).message
        print(f"sendtui: {printable(message, keep_newlines=True)}", file=sys.stderr)
        return 2


_DAMAGE_WORDS = (
    "malformed", "not a database", "disk", "locked", "busy", "readonly", "encrypted",
    "could not decode",
)  # fmt: skip


def _os_message(exc: OSError) -> str:
    reason = exc.strerror or exc.__class__.__name__
    where = exc.filename if exc.filename is not None else "the output"
    return f"could not write {where}: {reason}"


class _TerminalGuard:
    """A terminal stream that lets no control sequence from user text through
    (`terminal_safe`); everything else is the stream's own."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(terminal_safe(text))
        return len(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


@contextlib.contextmanager
def _guarded_terminal() -> Iterator[None]:
    """While a command runs, stdout and stderr that are terminals are guarded; files and
    pipes get the bytes unchanged (a CSV on stdout keeps its data)."""
    saved = sys.stdout, sys.stderr
    try:
        for name in ("stdout", "stderr"):
            stream = getattr(sys, name)
            with contextlib.suppress(AttributeError, ValueError, OSError):
                if stream.isatty():
                    setattr(sys, name, _TerminalGuard(stream))
        yield
    finally:
        sys.stdout, sys.stderr = saved


def _safe_streams() -> None:
    """A terminal or pipe that cannot encode a character shows it escaped, never crashes."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


def _quiet_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final flush does
    not print a second error (Python's documented advice)."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


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
