"""`sendtui sync FOLDER`: exchange dumps with other laptops through a shared folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from sendtui.config import Config

ORDER = 15  # where the command sits in `sendtui --help`


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    sync = commands.add_parser(
        "sync",
        parents=[common],
        help="merge other laptops' notes from a shared folder and leave this laptop's there",
        description="Merge every other laptop's dump found in FOLDER (a USB stick, a synced "
        "cloud folder): points, attendance, apologies and actions field by field (the later "
        "change wins; removals travel); then write this laptop's dump of each event there "
        "(sendtui-<laptop>-<event>.json, readable by you only). Running it again changes "
        "nothing. Exit status 2 if a dump there could not be merged.",
    )
    sync.add_argument("folder", type=Path, metavar="FOLDER", help="the shared folder")
    sync.set_defaults(handler=cmd_sync)


def cmd_sync(args: argparse.Namespace, config: Config) -> int:
    from sendtui.services.bootstrap import open_store
    from sendtui.services.sync import sync_folder

    opened = open_store(config)
    try:
        result = sync_folder(opened.store, args.folder, note_taker=config.capture.note_taker)
    finally:
        opened.store.close()
    print(result.summary())
    return 2 if result.failed else 0
