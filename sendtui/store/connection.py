"""Opening the SQLite file: private, WAL, foreign keys on, durable commits.

Both the SQLModel engine and the fast readers get their connections from `connect()`, so
every connection has the same pragmas.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sendtui.errors import StoreError

PRIVATE = 0o600


def ensure_private_file(path: Path) -> None:
    """Create `path` (and its folder) if missing, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, PRIVATE)
    os.close(fd)


def check_writable(path: Path) -> None:
    """Refuse early, with a clear message, a file or folder sendtui could not save to."""
    if path.exists() and not os.access(path, os.W_OK):
        raise StoreError(
            f"{path} is read-only, so sendtui could not save anything to it. "
            "Fix its permissions, or copy it somewhere you can write and use --db."
        )
    folder = path.parent
    if folder.exists() and not os.access(folder, os.W_OK):
        raise StoreError(
            f"The folder {folder} is read-only; SQLite needs to write its journal next to "
            f"{path.name}. Use a writable folder (--db PATH)."
        )


def connect(path: Path, *, busy_timeout_ms: int = 5000, durable: bool = True) -> sqlite3.Connection:
    """A connection with sendtui's pragmas. `durable=False` (synchronous=NORMAL) is for the
    draft-text writer only: it survives a crash of the app, not a power cut."""
    try:
        conn = sqlite3.connect(
            path, timeout=busy_timeout_ms / 1000, check_same_thread=False, isolation_level=None
        )
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(f"{path}: SQLite could not switch to WAL mode (got {mode!r}).")
        conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
    except sqlite3.DatabaseError as exc:
        raise store_error(exc, path) from None
    return conn


def store_error(exc: BaseException, path: Path | str | None = None) -> StoreError:
    """Turn a driver error into a message a note-taker or treasurer can act on."""
    text = str(getattr(exc, "orig", None) or exc)
    lower = text.lower()
    where = f"{path}: " if path else ""
    if "locked" in lower or "busy" in lower:
        return StoreError(
            f"{where}the database is busy: another sendtui (or program) is writing to it. "
            "Nothing was changed; try again in a moment."
        )
    if "readonly" in lower or "read-only" in lower:
        return StoreError(
            f"{where}the database is read-only, so this change was not saved. "
            "Check the file's permissions or free disk space."
        )
    if "not a database" in lower or "malformed" in lower or "file is encrypted" in lower:
        return StoreError(
            f"{where}this is not a sendtui database, or it is damaged. "
            "Point --db at another file; sendtui has not changed this one."
        )
    if "disk" in lower and ("full" in lower or "i/o" in lower):
        return StoreError(f"{where}the disk is full or failing; the change was not saved.")
    if "unable to open" in lower:
        return StoreError(f"{where}the database file cannot be opened ({text}).")
    return StoreError(f"{where}database error: {text}")


@contextmanager
def translate_errors(path: Path | str | None = None) -> Iterator[None]:
    """Re-raise SQLite and SQLAlchemy operational errors as `StoreError`."""
    try:
        yield
    except sqlite3.Error as exc:
        raise store_error(exc, path) from None
    except Exception as exc:
        # SQLAlchemy wraps driver errors; import lazily to keep start-up light.
        from sqlalchemy.exc import DBAPIError

        if isinstance(exc, DBAPIError) and not isinstance(exc.orig, sqlite3.IntegrityError):
            raise store_error(exc, path) from None
        raise
