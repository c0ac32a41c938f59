"""Backups of a SQLite store: made with SQLite's online backup API, kept beside the store.

    store:   data/sendtui.db
    backups: data/backups/sendtui-2026-11-29T05-51-24.123456Z.db   (0600, newest N kept)

A backup is a complete single-file database (journal mode DELETE, no -wal beside it), so it
can be opened, checked or copied on its own. `snapshot()` is what the app calls, often and
in the background: it never raises, and returns None (saying why in the log) when the store
is busy or cannot be copied. `backup_now()` is the same with the reason raised as a
`BackupError`, for `sendtui backup`. `restore()` puts a backup in place and keeps the file it
replaces (with its -wal) beside the store, never deleting it.

Only the standard library is imported, so opening a store stays light.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from pathlib import Path

from sendtui.errors import StoreError
from sendtui.text import printable

BACKUP_FOLDER = "backups"
DEFAULT_KEEP = 10
PRIVATE = 0o600
# How long a snapshot waits for a busy store before giving up (the app must not stall).
BUSY_WAIT_MS = 250

log = logging.getLogger(__name__)
# Reasons go to the app's log if it keeps one, never raw onto the terminal (Python's
# last-resort handler would print them over the TUI).
log.addHandler(logging.NullHandler())

_STAMP = "%Y-%m-%dT%H-%M-%S.%fZ"
_STAMP_RE = r"\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{6}Z"


class BackupError(StoreError):
    """A backup could not be made or restored; the message says why and what to do."""


class NothingToBackUp(BackupError):
    """No backup was needed: backups are off, or the store is missing, empty or new."""


def backup_folder(db_path: Path) -> Path:
    """The `backups/` folder beside the store."""
    return Path(db_path).parent / BACKUP_FOLDER


def backups(db_path: Path) -> list[Path]:
    """This store's backups, newest first (by the UTC time in their names)."""
    db_path = Path(db_path)
    folder = backup_folder(db_path)
    pattern = re.compile(rf"{re.escape(db_path.stem)}-({_STAMP_RE})\.db")
    try:
        names = [
            (m.group(1), entry)
            for entry in folder.iterdir()
            if (m := pattern.fullmatch(entry.name))
        ]
    except OSError:
        return []
    return [path for _, path in sorted(names, reverse=True)]


def is_backup_path(path: Path, db_path: Path) -> bool:
    """True if `path` is (or would be) one of `db_path`'s backups: an export must not
    overwrite one."""
    try:
        folder = backup_folder(db_path).resolve()
        return Path(path).resolve().parent == folder
    except OSError:
        return False


def snapshot(
    db_path: Path,
    *,
    keep: int = DEFAULT_KEEP,
    every_seconds: float | None = None,
    began: Callable[[], None] | None = None,
) -> Path | None:
    """Back the store up now and keep the newest `keep` backups; the new backup's path.

    Returns None instead of raising when no backup was made: the store is busy, missing or
    empty, `keep` is 0 (backups turned off), the newest backup is younger than
    `every_seconds`, or the copy failed (a full disk, a read-only folder). The reason is
    logged at WARNING (INFO for "not due yet"); `backup_now()` raises it instead.
    """
    if every_seconds is not None:
        newest = next(iter(backups(db_path)), None)
        if newest is not None and _age_seconds(newest, db_path) < every_seconds:
            log.info("no backup of %s: the last one is recent", db_path)
            return None
    try:
        return backup_now(db_path, keep=keep, began=began)
    except NothingToBackUp as exc:
        log.info("no backup made: %s", exc.message)
        return None
    except BackupError as exc:
        log.warning("no backup made: %s", exc.message)
        return None
    except Exception as exc:  # a background backup must never take the app down
        log.warning("no backup made of %s: %s", db_path, exc.__class__.__name__)
        return None


def snapshot_beside(db_path: Path, *, keep: int, every_seconds: float) -> threading.Thread:
    """`snapshot()` in a thread of its own, returned once the copy's read snapshot is taken
    (or no copy is being made): a write started after this call is not in the backup, yet
    it need not wait for the copy. Join the thread before the process ends."""
    began = threading.Event()

    def run() -> None:
        try:
            snapshot(db_path, keep=keep, every_seconds=every_seconds, began=began.set)
        finally:
            began.set()

    thread = threading.Thread(target=run, name="sendtui-backup")
    thread.start()
    # A busy store makes the copy give up after BUSY_WAIT_MS; never wait much longer.
    began.wait(timeout=BUSY_WAIT_MS / 1000 + 1)
    return thread


def backup_now(
    db_path: Path, *, keep: int = DEFAULT_KEEP, began: Callable[[], None] | None = None
) -> Path:
    """Back the store up now, keep the newest `keep` backups, return the new one's path.
    Raises `BackupError` saying why when it cannot. `began` is called once the copy's read
    snapshot is taken: what is committed after that is not in this backup."""
    db_path = Path(db_path)
    if keep < 1:
        raise NothingToBackUp("backups are turned off (store.backups_kept = 0).")
    try:
        if not db_path.is_file():
            raise NothingToBackUp(f"{_shown(db_path)}: there is no store file to back up.")
        if db_path.stat().st_size == 0:
            raise NothingToBackUp(f"{_shown(db_path)} is empty: there is nothing to back up yet.")
    except OSError as exc:
        raise BackupError(f"{_shown(db_path)}: cannot be read ({exc.strerror}).") from None
    folder = backup_folder(db_path)
    target = _new_name(db_path)
    part = folder / f".{target.name}.part"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        _create_private(part)
        with _open_source(db_path) as source, closing(sqlite3.connect(part)) as copy:
            # Take the read lock first, waiting at most BUSY_WAIT_MS: Python's backup()
            # would retry a busy store for ever. Then one step (pages=-1) inside that read
            # transaction: a consistent copy while others write (WAL lets them go on).
            source.execute("BEGIN")
            source.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if began is not None:
                began()
            source.backup(copy, pages=-1)
            source.execute("COMMIT")
            copy.execute("PRAGMA journal_mode = DELETE")  # a self-contained single file
        # A damaged store copies without complaint; never let such a copy push a good
        # backup out of the newest N.
        if not quick_ok(part):
            raise sqlite3.DatabaseError("database disk image is malformed")
        if not _is_sendtui(part):
            raise NothingToBackUp(
                f"{_shown(db_path)} has no sendtui tables yet: nothing to back up."
            )
        _fsync(part)
        os.replace(part, target)
        _fsync_folder(folder)
    except sqlite3.Error as exc:
        _unlink(part)
        raise _backup_error(exc, db_path) from None
    except BackupError:
        _unlink(part)
        raise
    except OSError as exc:
        _unlink(part)
        raise BackupError(
            f"no backup made: {_shown(folder)} cannot be written ({exc.strerror or exc})."
        ) from None
    prune(db_path, keep=keep)
    return target


def prune(db_path: Path, *, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups of the store; the ones deleted."""
    old = backups(db_path)[max(keep, 1) :]
    for path in old:
        _unlink(path)
    return old


def quick_ok(path: Path) -> bool:
    """Whether `path` opens as an SQLite database and passes `PRAGMA quick_check`."""
    try:
        uri = f"{Path(path).absolute().as_uri()}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True, timeout=BUSY_WAIT_MS / 1000)) as conn:
            rows = conn.execute("PRAGMA quick_check(1)").fetchall()
            return rows == [("ok",)]
    except (sqlite3.Error, OSError, ValueError):
        return False


def _is_sendtui(path: Path) -> bool:
    """Whether the (already checked) database at `path` has sendtui's schema table."""
    uri = f"{Path(path).absolute().as_uri()}?mode=ro"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            row = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
            return row is not None
    except sqlite3.Error:
        return False


def is_good(path: Path) -> bool:
    """Whether `path` is a sendtui database that passes a quick integrity check."""
    return quick_ok(path) and _is_sendtui(path)


def latest_backup(db_path: Path) -> Path | None:
    """The newest backup of the store that passes a quick integrity check."""
    return next((path for path in backups(db_path) if is_good(path)), None)


def restore_advice(db_path: Path) -> str:
    """What to do about a damaged store: its latest good backup and the command to restore
    it, or how to make one next time. One sentence or two, for an error message."""
    good = latest_backup(db_path)
    if good is None:
        return (
            f"No good backup of it was found in {backup_folder(db_path)}; "
            "copy the file somewhere safe before trying anything else."
        )
    return (
        f"The latest good backup is {_shown(good)}; to put it back (your current file is kept "
        f'beside it), run: sendtui --db "{_shown(db_path)}" restore "{_shown(good)}"'
    )


def restore(db_path: Path, backup: Path) -> Path | None:
    """Put `backup` in place of the store. The current file (with its -wal and -shm) is
    moved aside beside it, never deleted; returns where it went (None if there was none).

    Refuses a backup that fails a quick integrity check, and changes nothing then. Close
    every sendtui using the store first: a running app would go on writing to the old file.
    """
    db_path, backup = Path(db_path), Path(backup)
    if not backup.is_file():
        raise BackupError(f"{_shown(backup)}: no such backup file.")
    if db_path.exists() and backup.resolve() == db_path.resolve():
        raise BackupError(f"{_shown(backup)} is the store itself, not a backup of it.")
    if not quick_ok(backup):
        raise BackupError(
            f"{_shown(backup)} is not a good SQLite database (it failed a quick integrity check); "
            "nothing was changed."
        )
    if not _is_sendtui(backup):
        raise BackupError(f"{_shown(backup)} is not a sendtui database; nothing was changed.")
    folder = db_path.parent
    part = folder / f".{db_path.name}.restore.part"
    try:
        _create_private(part)
        source = f"{backup.absolute().as_uri()}?mode=ro"
        with (
            closing(sqlite3.connect(source, uri=True)) as src,
            closing(sqlite3.connect(part)) as dst,
        ):
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode = DELETE")
        _fsync(part)
    except (sqlite3.Error, OSError) as exc:
        _unlink(part)
        raise BackupError(
            f"could not copy {_shown(backup)} ({exc}); nothing was changed."
        ) from None
    aside = None
    if db_path.exists():
        _checkpoint(db_path)  # fold the -wal into the file kept aside, where it can be
        aside = _aside_name(db_path)
        os.replace(db_path, aside)
        for suffix in ("-wal", "-shm"):
            extra = Path(f"{db_path}{suffix}")
            if extra.exists():
                os.replace(extra, Path(f"{aside}{suffix}"))
    os.replace(part, db_path)
    _fsync_folder(folder)
    return aside


# -- helpers ------------------------------------------------------------------------------


@contextmanager
def _open_source(db_path: Path) -> Iterator[sqlite3.Connection]:
    """The store opened for reading without creating it or changing its journal mode."""
    uri = f"{db_path.absolute().as_uri()}?mode=rw"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_WAIT_MS / 1000, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_WAIT_MS}")
        yield conn
    finally:
        conn.close()


def _backup_error(exc: sqlite3.Error, db_path: Path) -> BackupError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return BackupError(
            f"{_shown(db_path)} is busy (another program holds it); no backup was made this time."
        )
    if "not a database" in text or "malformed" in text:
        return BackupError(
            f"{_shown(db_path)} is damaged, so it was not backed up over a good backup."
        )
    return BackupError(f"no backup made of {_shown(db_path)}: {exc}.")


def _checkpoint(db_path: Path) -> None:
    """Best effort: write committed WAL pages into the main file before it is moved."""
    with suppress(sqlite3.Error, OSError), _open_source(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _now_stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime(_STAMP)


def _new_name(db_path: Path) -> Path:
    folder = backup_folder(db_path)
    while True:
        target = folder / f"{db_path.stem}-{_now_stamp()}.db"
        if not target.exists():
            return target


def _aside_name(db_path: Path) -> Path:
    while True:
        aside = db_path.with_name(f"{db_path.stem}.before-restore-{_now_stamp()}{db_path.suffix}")
        if not aside.exists():
            return aside


def _age_seconds(backup: Path, db_path: Path) -> float:
    stamp = backup.name[len(db_path.stem) + 1 : -len(".db")]
    try:
        made = dt.datetime.strptime(stamp, _STAMP).replace(tzinfo=dt.UTC)
    except ValueError:
        return float("inf")
    return (dt.datetime.now(dt.UTC) - made).total_seconds()


def _create_private(path: Path) -> None:
    """An empty file readable by its owner only (a stricter umask is respected)."""
    _unlink(path)
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _unlink(path: Path) -> None:
    with suppress(FileNotFoundError, NotADirectoryError):
        path.unlink()


def _shown(path: Path) -> str:
    """A path as it may be written to a terminal (control characters made visible)."""
    return printable(str(path))
