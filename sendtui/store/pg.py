"""PostgreSQL behind the `Db` interface: psycopg 3 with SQLite-shaped parameters and rows.

Services write `?` (or `:name`) parameters, as sqlite3 takes them; `translate()` turns them
into psycopg's `%s` / `%(name)s` in one linear scan that leaves quoted literals, quoted
identifiers and `::` casts alone. Rows come back as tuples with dates and times as the ISO
strings SQLite holds (`2026-11-29`, `2026-11-29 10:00:00.000000`, as `sql_time()` writes,
in UTC) and whole numbers as int, through loaders registered on the raw connection only (the
ORM's engine keeps psycopg's own types).

Every write transaction takes one advisory lock, so writers queue as they do on SQLite
(BEGIN IMMEDIATE): "does this group exist? then create it" is decided by one writer at a
time. Each also sends `NOTIFY sendtui`, delivered at commit, which live screens listen for.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg.adapt import Loader

from sendtui.store.db import Params

if TYPE_CHECKING:
    from sendtui.store.location import Location

# pg_advisory_xact_lock key of sendtui's write lock ("SENDTUI" in ASCII, as a bigint).
WRITE_LOCK = 0x53454E44545549
CHANNEL = "sendtui"


@lru_cache(maxsize=512)
def translate(sql: str) -> str:
    """`?` → `%s`, `:name` → `%(name)s`, `%` → `%%`, outside quotes; `::` casts kept."""
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in ("'", '"'):
            end = sql.find(ch, i + 1)
            while end != -1 and end + 1 < n and sql[end + 1] == ch:  # '' or "" inside
                end = sql.find(ch, end + 2)
            end = n - 1 if end == -1 else end
            out.append(sql[i : end + 1].replace("%", "%%"))
            i = end + 1
            continue
        if ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        elif ch == ":":
            if i + 1 < n and sql[i + 1] == ":":
                out.append("::")
                i += 2
                continue
            j = i + 1
            while j < n and (sql[j].isalnum() or sql[j] == "_"):
                j += 1
            if j > i + 1 and not ("0" <= sql[i + 1] <= "9"):
                out.append(f"%({sql[i + 1 : j]})s")
                i = j
                continue
            out.append(ch)
        else:
            out.append(ch)
        i += 1
    return "".join(out)


class _IsoDate(Loader):
    def load(self, data: Any) -> str:
        return bytes(data).decode()


class _IsoTime(Loader):
    """`2026-11-29 10:00:00+00` → `2026-11-29 10:00:00.000000` (the session is in UTC)."""

    def load(self, data: Any) -> str:
        text = bytes(data).decode()
        if text.endswith("+00"):
            text = text[:-3]
        head, dot, frac = text.partition(".")
        return f"{head}.{frac.ljust(6, '0')}" if dot else f"{head}.000000"


class _Number(Loader):
    """NUMERIC (sum() of integers) as int, as SQLite gives it; float if it has a fraction."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        return float(text) if "." in text or "e" in text.lower() else int(text)


def register_sqlite_shapes(conn: psycopg.Connection) -> None:
    for name in ("date",):
        conn.adapters.register_loader(name, _IsoDate)
    for name in ("timestamp", "timestamptz"):
        conn.adapters.register_loader(name, _IsoTime)
    conn.adapters.register_loader("numeric", _Number)


class PgDb:
    """A psycopg connection that looks like a sqlite3 one to the services (a `Db`).

    Autocommit: each statement outside `BEGIN … COMMIT` sees the latest commit, like the
    stdlib reader. `begin_write()` opens a write transaction the way sendtui's SQLite writes
    do (`BEGIN IMMEDIATE`)."""

    dialect = "postgresql"

    def __init__(
        self,
        conn: psycopg.Connection,
        *,
        lock_timeout_ms: int = 5000,
        location: Location | None = None,
    ) -> None:
        self.raw = conn
        self.lock_timeout_ms = lock_timeout_ms
        self.location = location

    def execute(self, sql: str, parameters: Params = (), /) -> psycopg.Cursor:
        text = sql.strip().rstrip(";").upper()
        if text == "BEGIN IMMEDIATE":
            self.begin_write()
            return self.raw.cursor()
        if text in ("BEGIN", "BEGIN DEFERRED"):
            # A read transaction sees one moment, as SQLite's does in WAL mode (an export
            # reads a consistent snapshot while note-takers keep typing).
            sql = "BEGIN ISOLATION LEVEL REPEATABLE READ"
        try:
            # Parameters always given (even none), so psycopg reads the `%%` translate() wrote.
            return self.raw.execute(translate(sql), parameters if parameters is not None else ())
        except psycopg.IntegrityError:
            raise  # as sqlite3's: services may catch it
        except psycopg.Error as exc:
            raise self._error(exc) from None

    def executemany(self, sql: str, seq_of_parameters: Iterable[Params], /) -> psycopg.Cursor:
        cursor = self.raw.cursor()
        try:
            cursor.executemany(translate(sql), list(seq_of_parameters))
        except psycopg.IntegrityError:
            raise
        except psycopg.Error as exc:
            raise self._error(exc) from None
        return cursor

    def _error(self, exc: psycopg.Error) -> Exception:
        """A driver error as one clear StoreError (server gone, busy, read-only…)."""
        if self.location is None:
            return exc
        from sendtui.store.connection import pg_error

        return pg_error(exc, self.location)

    def begin_write(self, event_id: int | None = None) -> None:
        """BEGIN, wait (up to the lock timeout) for the write lock, and queue the change
        notice (sent at COMMIT, dropped at ROLLBACK)."""
        self.raw.execute("BEGIN")
        try:
            self.raw.execute(f"SET LOCAL lock_timeout = {int(self.lock_timeout_ms)}")
            self.raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            self.notify(event_id)
        except BaseException:
            with contextlib.suppress(psycopg.Error):
                self.raw.execute("ROLLBACK")
            raise

    def notify(self, event_id: int | None = None) -> None:
        """Tell listeners (live screens) this transaction changed `event_id` (or something)."""
        payload = "" if event_id is None else str(int(event_id))
        self.raw.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def commit(self) -> None:
        self.raw.execute("COMMIT")

    def rollback(self) -> None:
        if self.in_transaction:
            self.raw.execute("ROLLBACK")

    def close(self) -> None:
        self.raw.close()

    @property
    def closed(self) -> bool:
        return self.raw.closed


def connect(
    conninfo: str,
    *,
    raw_rows: bool = True,
    autocommit: bool = True,
    connect_timeout: int = 10,
    lock_timeout_ms: int = 5000,
) -> psycopg.Connection:
    """A psycopg connection in UTC and ISO dates; with `raw_rows`, SQLite-shaped rows.
    The ORM's engine asks for `autocommit=False` (SQLAlchemy runs its transactions)."""
    conn = psycopg.connect(conninfo, autocommit=True, connect_timeout=connect_timeout)
    conn.execute("SET TIME ZONE 'UTC'")
    conn.execute("SET DateStyle = 'ISO, YMD'")
    if raw_rows:
        register_sqlite_shapes(conn)
    conn.autocommit = autocommit
    return conn
