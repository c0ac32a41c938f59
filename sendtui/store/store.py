"""The store: a SQLite file or a PostgreSQL database, one API for both.

`store.reader` (fast reads) and `store.write_raw()` (a short write transaction) hand out a
`Db` on the plain driver; `session()` and `write()` are the ORM's, for the services that use
SQLModel. Opening an up-to-date store imports neither SQLModel nor SQLAlchemy: the engines
are made on first use, and Alembic only runs when the schema is behind.

Opening rules (nothing that is not sendtui's is ever written):
- SQLite: an existing file is first looked at read-only. Only a sendtui store (marked with
  `PRAGMA application_id`) or an empty file is opened for writing; another program's file is
  refused unchanged. A store that cannot be written (a read-only file or folder, or
  `read_only=True`) is opened read-only: reads work, writes say so.
- PostgreSQL: an empty database gets the schema; one with other tables and no sendtui marker
  (a `store_meta` row) is refused; so is a newer schema, on both.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sendtui.errors import StoreError
from sendtui.store import migrate
from sendtui.store.connection import (
    check_writable,
    connect,
    connect_read_only,
    ensure_private_file,
    inspect_file,
    open_db,
    translate_errors,
)
from sendtui.store.db import Db
from sendtui.store.location import Location, parse_location
from sendtui.store.schema import APPLICATION_ID, HEAD
from sendtui.text import printable

if TYPE_CHECKING:
    from sqlmodel import Session

# The first write to a store file is preceded by a backup, unless the latest is this recent.
BACKUP_EVERY_SECONDS = 300


class Store:
    """An open sendtui database.

    `session()` is for reading through the ORM; `write()` is a transaction that takes the
    write lock at once (BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL), so two
    sendtui processes queue instead of failing half-way, and is committed (fsynced on
    SQLite, synchronous=FULL) before it returns.
    """

    def __init__(
        self,
        location: Path | str | Location,
        *,
        busy_timeout_ms: int = 5000,
        read_only: bool = False,
        backup_keep: int | None = None,
    ) -> None:
        self.location = location if isinstance(location, Location) else parse_location(location)
        self.dialect = self.location.dialect
        self.path: Path | None = self.location.path  # None for a PostgreSQL store
        self.busy_timeout_ms = busy_timeout_ms
        self.read_only = read_only
        self.backup_keep = backup_keep
        self._reader: Db | None = None
        self._writer: Db | None = None
        self._engines: dict[bool, Any] = {}
        # A routine backup waits for the first write: reading (a report, an export, the
        # first screen) never pays for copying the whole file.
        self._backup_due = False
        self._backup_thread: threading.Thread | None = None
        if self.path is not None:
            self._open_file(self.path)
        else:
            self._open_server()

    # -- opening -------------------------------------------------------------------------

    def _open_file(self, path: Path) -> None:
        shown = printable(str(path))
        existing = path.exists() and path.stat().st_size > 0
        if existing:
            info = inspect_file(path, busy_timeout_ms=self.busy_timeout_ms)
            if info.kind == "other":
                raise StoreError(
                    f"{shown}: this is not a sendtui database (another program's file); "
                    "sendtui has not changed it. Use another file (--db)."
                )
            migrate.check_known(info.revision)
            if not self.read_only and not _can_write(path):
                self.read_only = True
            if self.read_only:
                if info.kind == "empty" or info.revision != HEAD:
                    raise StoreError(
                        f"{shown} needs upgrading to this sendtui, but it is read-only. "
                        "Open it once where it can be written, or copy it (--db)."
                    )
                return
        elif self.read_only:
            raise StoreError(f"{shown}: there is no store here to read.")
        else:
            check_writable(path)
            with translate_errors(path):
                ensure_private_file(path)
        with translate_errors(path):
            probe = connect(path, busy_timeout_ms=self.busy_timeout_ms)
            try:
                behind = migrate.needs_upgrade(probe)
                if not behind:
                    _mark(probe)
            finally:
                probe.close()
        if behind:
            self._migrate()  # backs up first
        else:
            self._backup_due = existing

    def _open_server(self) -> None:
        conn = open_db(self.location, busy_timeout_ms=self.busy_timeout_ms)
        try:
            with translate_errors(location=self.location):
                behind = migrate.needs_upgrade(conn)
        finally:
            conn.close()
        if behind:
            self._migrate()

    def _migrate(self) -> None:
        if self.path is not None and self.path.stat().st_size > 0:
            self._backup()
        with translate_errors(self.path, self.location):
            migrate.upgrade(self._engine(immediate=False))

    def _backup(self, every_seconds: float | None = None) -> None:
        """A backup before any migration, and when the store is opened for writing unless
        the latest is recent (sendtui.store.backup; it never raises)."""
        try:
            from sendtui.store import backup
        except ImportError:
            return
        snapshot = getattr(backup, "snapshot", None)
        if snapshot is None or self.path is None:
            return
        options: dict[str, Any] = {"every_seconds": every_seconds}
        if self.backup_keep is not None:
            options["keep"] = self.backup_keep
        snapshot(self.path, **options)

    def _backup_before_first_write(self) -> None:
        """Back up a store that had something in it before this session's first write,
        unless the latest backup is recent. The copy runs in a thread, from a read snapshot
        taken before the write begins, so the write does not wait for it; close() does."""
        if not self._backup_due or self.path is None:
            return
        self._backup_due = False
        try:
            from sendtui.store import backup
        except ImportError:
            return
        keep = backup.DEFAULT_KEEP if self.backup_keep is None else self.backup_keep
        self._backup_thread = backup.snapshot_beside(
            self.path, keep=keep, every_seconds=BACKUP_EVERY_SECONDS
        )

    # -- connections ---------------------------------------------------------------------

    def new_reader(self) -> Db:
        """A read connection of the caller's own (a worker thread's, a snapshot's)."""
        with translate_errors(self.path, self.location):
            return open_db(
                self.location, busy_timeout_ms=self.busy_timeout_ms, read_only=self.read_only
            )

    def new_writer(self, *, busy_timeout_ms: int | None = None, durable: bool = True) -> Db:
        """A write connection of the caller's own; refused on a read-only store."""
        self._refuse_if_read_only()
        self._backup_before_first_write()
        timeout = self.busy_timeout_ms if busy_timeout_ms is None else busy_timeout_ms
        with translate_errors(self.path, self.location):
            return open_db(self.location, busy_timeout_ms=timeout, durable=durable)

    @property
    def reader(self) -> Db:
        """A connection for fast reads (autocommit: each query sees the latest commit)."""
        if self._reader is None or getattr(self._reader, "closed", False):
            self._reader = self.new_reader()  # again, after a server connection dropped
        return self._reader

    def watcher(self):
        """A cheap `changed()` poll for live screens (see sendtui.store.watch)."""
        from sendtui.store.watch import Watcher

        return Watcher(self)

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise StoreError(
                f"{self.location.display} is open read-only, so nothing can be saved to it. "
                "Fix its permissions (file and folder) or copy it somewhere you can write."
            )

    @contextmanager
    def write_raw(self, *, event_id: int | None = None) -> Iterator[Db]:
        """A write transaction on the plain driver, committed (and on SQLite fsynced) when
        the block ends without error. For the hot path, saving a typed point, where
        SQLAlchemy's statement handling costs several times the SQL itself. On PostgreSQL
        the commit notifies live screens (`event_id` says which event changed)."""
        self._refuse_if_read_only()
        self._backup_before_first_write()
        with translate_errors(self.path, self.location):
            if self._writer is None or getattr(self._writer, "closed", False):
                self._writer = open_db(self.location, busy_timeout_ms=self.busy_timeout_ms)
            conn = self._writer
            if self.dialect == "postgresql":
                conn.begin_write(event_id)  # type: ignore[attr-defined]
            else:
                conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:  # type: ignore[attr-defined]
                    conn.execute("ROLLBACK")
                raise

    # -- the ORM (SQLAlchemy and SQLModel imported on first use) ----------------------------

    @property
    def engine(self):
        return self._engine(immediate=False)

    @property
    def write_engine(self):
        return self._engine(immediate=True)

    def _engine(self, *, immediate: bool):
        engine = self._engines.get(immediate)
        if engine is not None:
            return engine
        from sqlalchemy import create_engine
        from sqlalchemy import event as sa_event

        from sendtui.models import load_all

        load_all()  # every table on the metadata, so flushes can order foreign keys
        if self.path is not None:
            path, timeout = self.path, self.busy_timeout_ms
            if self.read_only:
                engine = create_engine(
                    "sqlite://", creator=lambda: connect_read_only(path, busy_timeout_ms=timeout)
                )
            else:
                engine = create_engine(
                    "sqlite://", creator=lambda: connect(path, busy_timeout_ms=timeout)
                )
            begin = "BEGIN IMMEDIATE" if immediate and not self.read_only else "BEGIN"

            # The stdlib driver's own transaction handling is off (isolation_level=None), so
            # SQLAlchemy's transactions are real SQLite ones, as SQLAlchemy's docs advise.
            @sa_event.listens_for(engine, "begin")
            def _begin(conn) -> None:
                conn.exec_driver_sql(begin)
        else:
            from sendtui.store import pg

            conninfo, timeout = self.location.conninfo, self.busy_timeout_ms
            engine = create_engine(
                "postgresql+psycopg://",
                creator=lambda: pg.connect(
                    conninfo or "", raw_rows=False, autocommit=False, lock_timeout_ms=timeout
                ),
            )
            if immediate:

                @sa_event.listens_for(engine, "begin")
                def _begin(conn) -> None:
                    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {int(timeout)}")
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({pg.WRITE_LOCK})")
                    conn.exec_driver_sql(f"SELECT pg_notify('{pg.CHANNEL}', '')")

        self._engines[immediate] = engine
        return engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A read session; anything written in it is rolled back unless committed."""
        from sqlmodel import Session

        with (
            translate_errors(self.path, self.location),
            Session(self.engine, expire_on_commit=False) as s,
        ):
            yield s

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction, committed when the block ends without error."""
        from sqlmodel import Session

        self._refuse_if_read_only()
        self._backup_before_first_write()
        with (
            translate_errors(self.path, self.location),
            Session(self.write_engine, expire_on_commit=False) as s,
            s.begin(),
        ):
            yield s

    def close(self) -> None:
        if self._backup_thread is not None:
            self._backup_thread.join()  # a half-made copy would be left as a .part file
            self._backup_thread = None
        for conn in (self._reader, self._writer):
            if conn is not None:
                conn.close()
        self._reader = self._writer = None
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()


def _can_write(path: Path) -> bool:
    """Whether SQLite could write `path` and its journal files beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _mark(conn: Db) -> None:
    """Stamp a writable, current store with sendtui's application id if it lacks it."""
    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
