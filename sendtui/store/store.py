"""The store: one SQLite file, opened through SQLModel for every write.

Reads that must be fast over 100,000 points (lists, counts) go through `sendtui.store.reads`,
which uses the stdlib driver on a connection from the same `connect()`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event as sa_event
from sqlmodel import Session, create_engine

from sendtui.models import load_all
from sendtui.store import migrate
from sendtui.store.connection import (
    check_writable,
    connect,
    ensure_private_file,
    translate_errors,
)


class Store:
    """An open sendtui database.

    `session()` is for reading through the ORM; `write()` is a transaction that takes the
    write lock at once (BEGIN IMMEDIATE), so two sendtui processes queue instead of failing
    half-way, and is committed (fsynced, synchronous=FULL) before it returns.
    """

    def __init__(self, path: Path, *, busy_timeout_ms: int = 5000) -> None:
        load_all()  # every table on the metadata, so flushes can order foreign keys
        self.path = Path(path)
        self.busy_timeout_ms = busy_timeout_ms
        check_writable(self.path)
        with translate_errors(self.path):
            ensure_private_file(self.path)
        self.engine = self._engine(immediate=False)
        self.write_engine = self._engine(immediate=True)
        self._reader: sqlite3.Connection | None = None
        self._writer: sqlite3.Connection | None = None
        with translate_errors(self.path):
            probe = connect(self.path, busy_timeout_ms=busy_timeout_ms)
            try:
                behind = migrate.needs_upgrade(probe)
            finally:
                probe.close()
            if behind:
                migrate.upgrade(self.write_engine)

    def _engine(self, *, immediate: bool):
        engine = create_engine(
            "sqlite://",
            creator=lambda: connect(self.path, busy_timeout_ms=self.busy_timeout_ms),
        )
        begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

        # The stdlib driver's own transaction handling is off (isolation_level=None), so
        # SQLAlchemy's transactions are real SQLite ones, as SQLAlchemy's docs advise.
        @sa_event.listens_for(engine, "begin")
        def _begin(conn) -> None:
            conn.exec_driver_sql(begin)

        return engine

    @property
    def reader(self) -> sqlite3.Connection:
        """A stdlib connection for fast reads (autocommit: each query sees the latest commit)."""
        if self._reader is None:
            with translate_errors(self.path):
                self._reader = connect(self.path, busy_timeout_ms=self.busy_timeout_ms)
        return self._reader

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A read session; anything written in it is rolled back unless committed."""
        with translate_errors(self.path), Session(self.engine, expire_on_commit=False) as s:
            yield s

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction, committed when the block ends without error."""
        with (
            translate_errors(self.path),
            Session(self.write_engine, expire_on_commit=False) as s,
            s.begin(),
        ):
            yield s

    @contextmanager
    def write_raw(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (BEGIN IMMEDIATE) on the stdlib driver, committed and fsynced
        when the block ends without error. For the hot path, saving a typed point, where
        SQLAlchemy's statement handling costs several times the SQL itself."""
        with translate_errors(self.path):
            if self._writer is None:
                self._writer = connect(self.path, busy_timeout_ms=self.busy_timeout_ms)
            conn = self._writer
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        for conn in (self._reader, self._writer):
            if conn is not None:
                conn.close()
        self._reader = self._writer = None
        self.engine.dispose()
        self.write_engine.dispose()
