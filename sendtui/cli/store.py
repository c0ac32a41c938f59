"""`sendtui check`, `sendtui backup`, `sendtui restore BACKUP`: look after the store file.

    sendtui check                      # exit 0 healthy, 1 problems found, 2 cannot open
    sendtui backup                     # a copy in backups/ beside the store
    sendtui restore data/backups/sendtui-2026-11-29T05-51-24.123456Z.db

None of them migrates or otherwise writes the store except `restore`, which keeps the file
it replaces beside it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sendtui.config import Config
from sendtui.errors import StoreError
from sendtui.text import printable

ORDER = 80  # where the command sits in `sendtui --help`

# store.backups_kept in config.toml, once the config has it; until then the default.
DEFAULT_KEPT = 10


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add this module's commands to the parser."""
    check = commands.add_parser(
        "check",
        parents=[common],
        help="check the store for damage and broken rules (exit 1 if any)",
        description="Run SQLite's integrity and foreign key checks and sendtui's own rules "
        "(point positions, sub-points, groups and topics in their event, chapter tags in the "
        "event's scheme, money in whole pence, name keys, the report counts it keeps) and "
        "say what is wrong in plain words. Nothing is changed, unless --rebuild-counts is "
        "given. Exit status: 0 healthy, 1 problems found, 2 the store cannot be opened.",
    )
    check.add_argument(
        "--rebuild-counts",
        action="store_true",
        help="first recount the report counts the store keeps from its points (and put back "
        "the triggers that keep them), as a check that finds them wrong advises",
    )
    check.set_defaults(handler=cmd_check)

    backup = commands.add_parser(
        "backup",
        parents=[common],
        help="back the store up now (into backups/ beside it)",
        description="Copy the store, safely even while sendtui is running, into the backups/ "
        "folder beside it (private, named by the UTC time), keeping the newest "
        "store.backups_kept copies. sendtui also does this by itself.",
    )
    backup.set_defaults(handler=cmd_backup)

    restore = commands.add_parser(
        "restore",
        parents=[common],
        help="put a backup in place of the store (the current file is kept)",
        description="Replace the store with BACKUP. The current file is not deleted: it is "
        "renamed beside the store (NAME.before-restore-TIME.db) and the command says where. "
        "Close every sendtui using the store first.",
    )
    restore.add_argument("backup", type=Path, metavar="BACKUP", help="the backup file to restore")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.set_defaults(handler=cmd_restore)


def _store_file(config: Config, action: str) -> Path:
    """The store's SQLite file; a clear refusal for a PostgreSQL store."""
    location = config.database
    if isinstance(location, str):
        raise StoreError(
            f"`sendtui {action}` works on a SQLite file; this store is a PostgreSQL database. "
            "Use the server's own tools: pg_dump to back it up, pg_restore (or psql) to "
            "restore it. `sendtui check` works on it too."
        )
    return location


def _kept(config: Config) -> int:
    return int(getattr(config.store, "backups_kept", DEFAULT_KEPT))


def cmd_check(args: argparse.Namespace, config: Config) -> int:
    from sendtui.store.backup import restore_advice
    from sendtui.store.health import check

    if args.rebuild_counts:
        _rebuild_counts(config)
    location = config.database
    if isinstance(location, str):
        return _check_postgres(config)
    path = location
    try:
        problems = check(path)
    except StoreError as exc:
        print(f"sendtui: {exc.message}", file=sys.stderr)
        if path.is_file():
            print(printable(restore_advice(path)), file=sys.stderr)
        return 2
    name = printable(str(path))
    if not problems:
        print(f"{name}: healthy (integrity, foreign keys and sendtui's rules all pass).")
        return 0
    print(f"{name}: {len(problems)} problem{'s' if len(problems) != 1 else ''} found:")
    for problem in problems:
        print(f"- {printable(str(problem))}")
    _advise_rebuild(problems)
    if any(p.damage for p in problems):
        print(printable(restore_advice(path)))
    else:
        print("The file itself is sound; these rows break sendtui's rules.")
    return 1


def _rebuild_counts(config: Config) -> None:
    """Recount the point tally in one write transaction (the store is backed up first, as
    before any change)."""
    from sendtui.services.bootstrap import open_store
    from sendtui.store import tally

    opened = open_store(config)
    try:
        with opened.store.write_raw() as db:
            tally.repair(db)
    finally:
        opened.store.close()
    print("Rebuilt the report counts from the points.")


def _check_postgres(config: Config) -> int:
    """sendtui's rules on a PostgreSQL store (the server looks after its own integrity)."""
    from sendtui.services.bootstrap import open_store
    from sendtui.store.health import check_rules

    opened = open_store(config)
    try:
        problems = check_rules(opened.store.reader)
    finally:
        opened.store.close()
    if not problems:
        print("The PostgreSQL store is healthy: sendtui's rules all pass.")
        return 0
    print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found:")
    for problem in problems:
        print(f"- {printable(str(problem))}")
    _advise_rebuild(problems)
    return 1


def _advise_rebuild(problems: list) -> None:
    if any(p.area == "tally" for p in problems):
        print("To recount the report counts: sendtui check --rebuild-counts")


def cmd_backup(args: argparse.Namespace, config: Config) -> int:
    from sendtui.store.backup import backup_now

    path = _store_file(config, "backup")
    kept = _kept(config)
    made = backup_now(path, keep=max(kept, 1))
    print(f"Backed up to {printable(str(made))} (the newest {max(kept, 1)} backups are kept).")
    return 0


def cmd_restore(args: argparse.Namespace, config: Config) -> int:
    from sendtui.store.backup import restore

    path = _store_file(config, "restore")
    backup: Path = args.backup.expanduser()
    if not args.yes:
        print(
            f"Replace {printable(str(path))} with {printable(str(backup))}? The current file "
            "will be kept beside it. Close every sendtui using it first. [y/N] ",
            end="",
            flush=True,
        )
        try:
            answer = input()
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was changed.")
            return 1
    aside = restore(path, backup)
    print(f"Restored {printable(str(backup))} to {printable(str(path))}.")
    if aside is not None:
        print(f"The file it replaced was kept as {printable(str(aside))}.")
    return 0
