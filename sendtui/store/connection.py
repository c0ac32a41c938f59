"""Opening the SQLite file: private, WAL, foreign keys on, durable commits.

Both the SQLModel engine and the fast readers get their connections from `connect()`, so
every connection has the same pragmas. `open_db()` gives a `Db` of its own for either
backend (a thread's connection, a snapshot's). `inspect_file()` looks at an existing file
read-only before anything may write to it: only a sendtui store, or an empty file, is ever
opened for writing.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from sendtui.errors import StoreError, UnreachableError
from sendtui.store.schema import APPLICATION_ID
from sendtui.text import printable

if TYPE_CHECKING:
    from sendtui.store.db import Db
    from sendtui.store.location import Location

PRIVATE = 0o600


class SqliteDb(sqlite3.Connection):
    """The stdlib connection, with driver errors from `execute` turned into `StoreError`s
    (a damaged file in any read path gives one clear message, not a traceback)."""

    dialect = "sqlite"
    where: str = ""

    def execute(self, sql, parameters=(), /):  # type: ignore[override]
        try:
            return super().execute(sql, parameters)
        except sqlite3.IntegrityError:
            raise
        except sqlite3.DatabaseError as exc:
            raise store_error(exc, self.where or None) from None

    def executemany(self, sql, seq_of_parameters, /):  # type: ignore[override]
        try:
            return super().executemany(sql, seq_of_parameters)
        except sqlite3.IntegrityError:
            raise
        except sqlite3.DatabaseError as exc:
            raise store_error(exc, self.where or None) from None


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
            path,
            timeout=busy_timeout_ms / 1000,
            check_same_thread=False,
            isolation_level=None,
            factory=SqliteDb,
        )
        conn.where = str(path)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(f"{path}: SQLite could not switch to WAL mode (got {mode!r}).")
        conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
        # A write to a table with triggers journals each statement: in memory, not a temp file.
        conn.execute("PRAGMA temp_store = MEMORY")
    except sqlite3.DatabaseError as exc:
        raise store_error(exc, path) from None
    return conn


def connect_read_only(path: Path, *, busy_timeout_ms: int = 5000) -> sqlite3.Connection:
    """A connection that cannot write (SQLite's `mode=ro`): for another program's file, a
    read-only file or folder, and the first look at any existing file."""
    uri = f"file:{quote(str(path.absolute()))}?mode=ro"
    if not os.access(path.parent, os.W_OK) and not Path(f"{path}-shm").exists():
        # A WAL store in a read-only folder: SQLite cannot make the -shm file it reads
        # through, so it must take the file as unchanging (nobody can write there either).
        uri += "&immutable=1"
    try:
        conn = sqlite3.connect(
            uri,
            uri=True,
            timeout=busy_timeout_ms / 1000,
            check_same_thread=False,
            isolation_level=None,
            factory=SqliteDb,
        )
        conn.where = str(path)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA query_only = ON")
    except sqlite3.DatabaseError as exc:
        raise store_error(exc, path) from None
    return conn


@dataclass(frozen=True)
class FileInfo:
    """What an existing file is, found without writing to it."""

    kind: str  # "sendtui", "empty" (no tables) or "other"
    revision: str | None
    application_id: int


def inspect_file(path: Path, *, busy_timeout_ms: int = 5000) -> FileInfo:
    """Look at `path` read-only. A damaged or truncated file is a StoreError."""
    _check_header(path)
    conn = connect_read_only(path, busy_timeout_ms=busy_timeout_ms)
    try:
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    finally:
        conn.close()
    if app_id == APPLICATION_ID or (
        app_id == 0 and {"alembic_version", "event", "point"} <= tables
    ):
        kind = "sendtui"  # stores before 0003 have no application id yet
    elif not tables and app_id == 0:
        kind = "empty"
    else:
        kind = "other"
    return FileInfo(kind, revision, app_id)


def _check_header(path: Path) -> None:
    """A file shorter than its header says (a truncated copy) is damaged, even where SQLite
    would read its first pages happily."""
    try:
        with path.open("rb") as f:
            header = f.read(100)
        size = path.stat().st_size
        wal = Path(f"{path}-wal")
        wal_size = wal.stat().st_size if wal.exists() else 0
    except OSError as exc:
        raise StoreError(f"{printable(str(path))}: cannot be read ({exc.strerror}).") from None
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        raise store_error(sqlite3.DatabaseError("file is not a database"), path)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96]
    if valid and wal_size == 0 and pages * page_size > size:
        raise store_error(sqlite3.DatabaseError("database disk image is malformed"), path)


def open_db(
    location: Location,
    *,
    busy_timeout_ms: int = 5000,
    durable: bool = True,
    read_only: bool = False,
) -> Db:
    """A connection of the caller's own to the store at `location`, either backend."""
    if location.path is None:
        from sendtui.store import pg

        assert location.conninfo is not None
        try:
            raw = pg.connect(location.conninfo, lock_timeout_ms=busy_timeout_ms)
        except Exception as exc:
            raise pg_error(exc, location) from None
        return pg.PgDb(raw, lock_timeout_ms=busy_timeout_ms, location=location)
    if read_only:
        return connect_read_only(location.path, busy_timeout_ms=busy_timeout_ms)
    return connect(location.path, busy_timeout_ms=busy_timeout_ms, durable=durable)


def pg_error(exc: BaseException, location: Location) -> StoreError:
    """A PostgreSQL error as a message: names the server, never the password."""
    from sendtui.store.location import _password_of, hide_password

    orig = getattr(exc, "orig", None) or exc
    password = _password_of(location.conninfo or "")
    text = hide_password(" ".join(str(orig).split()), password)
    lower = text.lower()
    sqlstate = getattr(orig, "sqlstate", None) or ""
    refused = (
        "authentication failed" in lower
        or "no pg_hba.conf entry" in lower
        or ("role" in lower and "does not exist" in lower)
        or "password" in lower
    )
    if sqlstate in ("28P01", "28000") or refused:
        return StoreError(
            f"The PostgreSQL server at {location.where} refused the login for "
            f"{location.display}: check the user name and password (the URL or ~/.pgpass)."
        )
    if sqlstate == "3D000" or ("database" in lower and "does not exist" in lower):
        return StoreError(
            f"There is no database “{location.dbname}” on the PostgreSQL server at "
            f"{location.where}. Create it (createdb {location.dbname}) or check the name."
        )
    if sqlstate == "55P03" or "lock timeout" in lower:
        return StoreError(
            "The database is busy: another sendtui is writing to it. "
            "Nothing was changed; try again in a moment."
        )
    if sqlstate in ("25006", "42501"):
        return StoreError(
            f"{location.display}: this login may only read the database, so the change "
            "was not saved."
        )
    if sqlstate.startswith("23"):
        return StoreError(f"{location.display}: database error: {text}")
    if "nul (0x00)" in lower:  # psycopg refuses it before the server sees it
        return StoreError(
            f"{location.display}: text with a NUL character cannot be stored in PostgreSQL; "
            "nothing was changed. Remove the character and try again."
        )
    # No SQLSTATE means the server never answered, but only for a connection failure: a
    # value psycopg itself refuses (DataError and the like) is not "the server is offline".
    no_answer = sqlstate == "" and type(orig).__name__ in ("OperationalError", "InterfaceError")
    if sqlstate.startswith("08") or no_answer or "connect" in lower:
        return UnreachableError(
            f"Cannot reach the PostgreSQL server at {location.where}: it is offline or the "
            f"network is down ({text}). Check the network and that the server is running; "
            "or work on a local file (--db FILE) and `sendtui sync` later."
        )
    return StoreError(f"{location.display}: database error: {text}")


def store_error(exc: BaseException, path: Path | str | None = None) -> StoreError:
    """Turn a driver error into a message a note-taker or treasurer can act on."""
    text = str(getattr(exc, "orig", None) or exc)
    lower = text.lower()
    where = f"{printable(str(path))}: " if path else ""
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
            "Point --db at another file; sendtui has not changed this one." + _restore_advice(path)
        )
    if "disk" in lower and ("full" in lower or "i/o" in lower):
        return StoreError(f"{where}the disk is full or failing; the change was not saved.")
    if "unable to open" in lower:
        return StoreError(f"{where}the database file cannot be opened ({text}).")
    return StoreError(f"{where}database error: {text}")


def _restore_advice(path: Path | str | None) -> str:
    """Name the latest good backup and the command to restore it (sendtui.store.backup)."""
    if not path:
        return ""
    try:
        from sendtui.store import backup
    except ImportError:
        return ""
    advice = getattr(backup, "restore_advice", None)
    try:
        return f" {advice(Path(path))}" if advice else ""
    except Exception:  # advice only: never hide the real problem behind another
        return ""


@contextmanager
def translate_errors(
    path: Path | str | None = None, location: Location | None = None
) -> Iterator[None]:
    """Re-raise SQLite, PostgreSQL and SQLAlchemy operational errors as `StoreError`.
    Integrity errors raised through the ORM pass through (services catch them)."""
    try:
        yield
    except sqlite3.Error as exc:
        raise store_error(exc, path) from None
    except StoreError:
        raise
    except Exception as exc:
        if location is not None and location.path is None and _is_pg_error(exc):
            raise pg_error(exc, location) from None
        import sys

        if "sqlalchemy" not in sys.modules:
            raise
        from sqlalchemy.exc import DBAPIError, IntegrityError

        if isinstance(exc, DBAPIError) and not isinstance(exc, IntegrityError):
            if location is not None and location.path is None:
                raise pg_error(exc, location) from None
            raise store_error(exc, path) from None
        raise


def _is_pg_error(exc: BaseException) -> bool:
    import sys

    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(exc, psycopg.Error)
