"""The one connection interface the services use, whichever database is behind it.

Services write portable SQL with `?` (or `:name`) parameters and call `execute` /
`executemany` on a `Db`. On SQLite a `Db` is the stdlib connection itself; on PostgreSQL it
is a thin wrapper around psycopg that translates the parameters and returns rows shaped as
SQLite's (dates and times as ISO strings), so no service needs to know which one it has.

Connections: `store.reader` (shared, autocommit: each query sees the latest commit),
`with store.write_raw(event_id=…) as db:` (a short write transaction: BEGIN IMMEDIATE on
SQLite, sendtui's advisory write lock on PostgreSQL; committed at the end of the block and,
on PostgreSQL, announced to live screens), and `store.new_reader()` / `store.new_writer()`
for a thread's or a snapshot's own connection (never `sqlite3.connect(store.path)`:
`store.path` is None for a server store). `store.dialect` is "sqlite" or "postgresql".
Driver errors come out of `execute` as `StoreError` (except integrity errors).

Portable SQL, for every module outside sendtui/store/:
- no `group_concat`, `INSERT OR …`, `PRAGMA`, `sqlite_master`, `strftime`, `julianday`;
- `INSERT … ON CONFLICT (…) DO NOTHING / DO UPDATE` (both databases have it);
- `INSERT … RETURNING id` rather than `cursor.lastrowid`;
- booleans compared with a parameter or used bare (`WHERE p.private`, `NOT p.private`),
  never `= 0` / `= 1`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol

Params = Sequence[Any] | Mapping[str, Any]


class Cursor(Protocol):
    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Db(Protocol):
    """A connection: what `Store.reader` and `Store.write_raw()` hand out."""

    def execute(self, sql: str, parameters: Params = ..., /) -> Cursor: ...

    def executemany(self, sql: str, seq_of_parameters: Iterable[Params], /) -> Cursor: ...
