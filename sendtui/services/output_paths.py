"""Where an export may be written: never over the store, its journals, its backups, the
capture outbox or config.toml (`sendtui export 1 --format csv -o sendtui.db` replaced the
database), and never over a device or pipe (writing by rename would replace /dev/null).

Every command that writes a file the user names (`export -o`, `report -o`, `claims report
-o`, `claims form -o`) calls `check_output_path` first.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sendtui.config import Config, is_postgres_location
from sendtui.errors import InputError
from sendtui.store.backup import backup_folder
from sendtui.store.outbox import outbox_path
from sendtui.text import printable

SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")


class OutputPathError(InputError):
    """An output path that would overwrite something sendtui keeps."""


def _resolved(path: Path) -> Path:
    try:
        return path.expanduser().resolve()  # follows symlinks, so a link to the store is caught
    except (OSError, RuntimeError):
        return path.absolute()


def _same(a: Path, b: Path) -> bool:
    if _resolved(a) == _resolved(b):
        return True
    try:
        return os.path.samefile(a, b)  # hard links; a case-insensitive file system
    except (OSError, ValueError):
        return False


def protected_files(config: Config | None, store_location: Path | str | None) -> dict[Path, str]:
    """{file: what it is} for every file an output must not replace."""
    found: dict[Path, str] = {}
    if store_location is not None and not (
        isinstance(store_location, str) and is_postgres_location(store_location)
    ):
        store = Path(store_location)
        for suffix in SQLITE_SIDE_FILES:
            found[Path(f"{store}{suffix}")] = "the sendtui database" + (
                f" (its {suffix[1:]} file)" if suffix else ""
            )
    if store_location is not None:
        with_outbox = outbox_path(store_location)
        for suffix in SQLITE_SIDE_FILES:
            found[Path(f"{with_outbox}{suffix}")] = "the list of points waiting to be saved"
    if config is not None and config.source:
        found[Path(config.source)] = "the configuration file"
    return found


def check_output_path(
    out: Path, *, config: Config | None, store_location: Path | str | None
) -> Path:
    """`out` if an export may be written there; OutputPathError naming what it would
    overwrite otherwise. `store_location` is the store (`config.database` for the CLI)."""
    shown = printable(str(out))
    if "\x00" in str(out):
        raise OutputPathError(f"{shown}: a file name cannot contain a NUL character")
    try:
        info = os.stat(out)
    except (OSError, ValueError):
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputPathError(f"{shown} is a folder: name a file to write")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise OutputPathError(f"{shown} is not a regular file (a device or pipe): not replaced")
    for protected, what in protected_files(config, store_location).items():
        if _same(out, protected):
            raise OutputPathError(
                f"{shown} is {what}; an export cannot be written over it. Choose another name."
            )
    if store_location is not None and not (
        isinstance(store_location, str) and is_postgres_location(store_location)
    ):
        folder = _resolved(backup_folder(Path(store_location)))
        if _resolved(out).parent == folder or _same(out.parent, folder):
            raise OutputPathError(
                f"{shown} is in the database's backups folder ({printable(str(folder))}); "
                "write exports somewhere else."
            )
    return out
