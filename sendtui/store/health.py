"""`sendtui check`: is the store sound? SQLite's own checks, then sendtui's rules, in plain words.

`check(path)` opens a SQLite store without changing it and returns the problems found (an
empty list: healthy). It raises `StoreError` only when the file cannot be opened or is not a
sendtui store at all. `check_rules(conn)` is the sendtui part alone, in portable SQL, so it
can run on any `Db` (PostgreSQL too).

What sendtui's rules are (each a way the app would misbehave if broken):
- positions are whole numbers a dump and `max + 1` can hold;
- a point's group belongs to the point's event, its topic to its group, its parent (a
  sub-point's point) to the same event, and parents never loop;
- a point's kind is one of the kinds, and its chapters come from its event's scheme;
- money is whole pence; a claim's stored total, where there is one, is the sum of its items;
- the name keys (for comparing names) match the names, and field change times are JSON.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sendtui.errors import StoreError
from sendtui.models.kinds import Kind
from sendtui.store.db import Db
from sendtui.text import name_key, printable

# Positions beyond this cannot round-trip through JSON dumps exactly (2^53 - 1).
MAX_POSITION = 9_007_199_254_740_991
EXAMPLES = 5  # ids named per problem; the count says how many there are in all
INTEGRITY_LIMIT = 20


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the store. `area` names the check ("integrity", "foreign keys",
    "positions", "sub-points", "groups", "topics", "kinds", "tags", "money", "names",
    "field times", "tally"); `message` says what is wrong in plain words."""

    area: str
    message: str

    @property
    def damage(self) -> bool:
        """The file itself is damaged (only a backup can mend it)."""
        return self.area in ("integrity", "foreign keys")

    def __str__(self) -> str:
        return f"{self.area}: {self.message}"


def check(path: Path) -> list[Problem]:
    """The problems in the SQLite store at `path` (none: healthy). The file is not changed.

    Raises `StoreError` if it cannot be opened or is not a sendtui store."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"{_shown(path)}: there is no store file here.")
    with _open_read_only(path) as conn:
        try:
            if not _has_table(conn, "alembic_version"):
                raise StoreError(
                    f"{_shown(path)} is not a sendtui store (it has no schema version)."
                )
        except sqlite3.DatabaseError as exc:
            if "malformed" in str(exc):  # a sendtui file, damaged (a truncated copy, say)
                return [Problem("integrity", f"the file is damaged: SQLite says “{exc}”.")]
            raise StoreError(f"{_shown(path)} cannot be read as a database: {exc}.") from None
        try:
            problems = integrity(conn)
        except sqlite3.DatabaseError as exc:
            return [Problem("integrity", f"the file is damaged: SQLite stopped with “{exc}”.")]
        try:
            problems += check_rules(conn, sqlite=True)
        except sqlite3.DatabaseError as exc:
            problems.append(
                Problem("integrity", f"the file is damaged: reading it failed with “{exc}”.")
            )
    return problems


def integrity(conn: sqlite3.Connection) -> list[Problem]:
    """SQLite's integrity_check and foreign_key_check, explained."""
    problems = [
        Problem("integrity", f"SQLite's integrity check says: {row[0]}")
        for row in conn.execute(f"PRAGMA integrity_check({INTEGRITY_LIMIT})")
        if row[0] != "ok"
    ]
    missing: dict[tuple[str, str], list[int]] = defaultdict(list)
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
        missing[(table, parent)].append(rowid)
    for (table, parent), rowids in missing.items():
        problems.append(
            Problem(
                "foreign keys",
                f"{_count(len(rowids), _NOUNS.get(table, table))} "
                f"{'refers' if len(rowids) == 1 else 'refer'} to a "
                f"{_NOUNS.get(parent, parent)} that does not exist"
                f"{_ids(rowids, 'rows')}.",
            )
        )
    return problems


def check_rules(conn: Db, *, sqlite: bool = False) -> list[Problem]:
    """sendtui's own rules over the store's rows (portable SQL; `sqlite` adds the checks of
    stored types that only SQLite's loose typing can break)."""
    tables = _columns(conn, sqlite=sqlite)
    problems: list[Problem] = []
    rules = (_positions, _places, _parents, _kinds, _tags, _money, _names, _field_times, _tally)
    for rule in rules:
        problems += rule(conn, tables, sqlite)
    return problems


# -- the rules -----------------------------------------------------------------------------

_NOUNS = {
    "point": "point",
    "discussion_group": "group",
    "topic": "topic",
    "event": "event",
    "chapter": "chapter",
    "marker": "marker",
    "scheme": "chapter scheme",
    "point_chapter": "chapter tag",
    "point_marker": "marker tag",
    "claim": "claim",
    "claim_item": "claim item",
    "member": "member",
}

Tables = dict[str, set[str]]


def _positions(conn: Db, tables: Tables, sqlite: bool) -> list[Problem]:
    problems = []
    for table in ("point", "discussion_group", "topic"):
        if "position" not in tables.get(table, ()):
            continue
        odd = "typeof(position) <> 'integer' OR " if sqlite else ""
        rows = conn.execute(
            f"SELECT id FROM {table} WHERE {odd}position IS NULL "
            "OR position < ? OR position > ? ORDER BY id",
            (-MAX_POSITION, MAX_POSITION),
        ).fetchall()
        if rows:
            ids = [r[0] for r in rows]
            problems.append(
                Problem(
                    "positions",
                    f"{_count(len(ids), _NOUNS[table])} {'has' if len(ids) == 1 else 'have'} "
                    f"a position that is not a whole number in the usual range{_ids(ids)}; "
                    "their order is undefined.",
                )
            )
    return problems


def _places(conn: Db, tables: Tables, sqlite: bool) -> list[Problem]:
    if not {"point", "discussion_group", "topic"} <= tables.keys():
        return []
    problems = []
    wrong_group = _ids_of(
        conn,
        "SELECT p.id FROM point p JOIN discussion_group g ON g.id = p.group_id "
        "WHERE g.event_id <> p.event_id ORDER BY p.id",
    )
    if wrong_group:
        problems.append(
            Problem(
                "groups",
                f"{_count(len(wrong_group), 'point')} {_is(wrong_group)} in a group of another "
                f"event{_ids(wrong_group)}.",
            )
        )
    wrong_topic = _ids_of(
        conn,
        "SELECT p.id FROM point p JOIN topic t ON t.id = p.topic_id "
        "WHERE t.group_id <> p.group_id ORDER BY p.id",
    )
    if wrong_topic:
        problems.append(
            Problem(
                "topics",
                f"{_count(len(wrong_topic), 'point')} {_is(wrong_topic)} under a topic of "
                f"another group{_ids(wrong_topic)}.",
            )
        )
    return problems


def _parents(conn: Db, tables: Tables, sqlite: bool) -> list[Problem]:
    if "parent_id" not in tables.get("point", ()):
        return []
    problems = []
    other_event = _ids_of(
        conn,
        "SELECT c.id FROM point c JOIN point p ON p.id = c.parent_id "
        "WHERE p.event_id <> c.event_id ORDER BY c.id",
    )
    if other_event:
        problems.append(
            Problem(
                "sub-points",
                f"{_count(len(other_event), 'sub-point')} {_is(other_event)} under a point of "
                f"another event{_ids(other_event)}.",
            )
        )
    parent = dict(
        conn.execute("SELECT id, parent_id FROM point WHERE parent_id IS NOT NULL").fetchall()
    )
    looped = sorted(_in_loops(parent))
    if looped:
        problems.append(
            Problem(
                "sub-points",
                f"{_count(len(looped), 'point')} {_is(looped)} its own sub-point, directly or "
                f"through others{_ids(looped)}; the list cannot be drawn as a tree.",
            )
        )
    return problems


def _in_loops(parent: dict[int, int]) -> set[int]:
    """The ids on a cycle of parent links (each id is walked at most once overall)."""
    state: dict[int, int] = {}  # 1: on the current walk, 2: done
    looped: set[int] = set()
    for start in parent:
        walk: list[int] = []
        node: int | None = start
        while node is not None and node in parent and state.get(node) is None:
            state[node] = 1
            walk.append(node)
            node = parent[node]
        if node is not None and state.get(node) == 1:
            looped.update(walk[walk.index(node) :])
        for seen in walk:
            state[seen] = 2
    return looped


def _kinds(conn: Db, tables: Tables, sqlite: bool) -> list[Problem]:
    if "kind" not in tables.get("point", ()):
        return []
    known = [k.value for k in Kind]
    marks = ", ".join("?" * len(known))
    odd = _ids_of(conn, f"SELECT id FROM point WHERE kind NOT IN ({marks}) ORDER BY id", known)
    if not odd:
        return []
    return [
        Problem(
            "kinds",
            f"{_count(len(odd), 'point')} {'has' if len(odd) == 1 else 'have'} a kind sendtui "
            f"does not know{_ids(odd)} (the kinds are {', '.join(known)}).",
        )
    ]


def _tags(conn: Db, tables: Tables, sqlite: bool) -> list[Problem]:
    if not {"point_chapter", "chapter", "event", "point"} <= tables.keys():
        return []
    rows = _ids_of(
        conn,
        "SELECT DISTINCT pc.point_id FROM point_chapter pc "
        "JOIN point p ON p.id = pc.point_id JOIN event e ON e.id = p.event_id "
        "JOIN chapter c ON c.id = pc.chapter_id WHERE c.scheme_id <> e.scheme_id "
        "ORDER BY pc.point_id",
    )
    if not rows:
        return []
    return [
        Problem(
            "tags",
            f"{_count(len(rows), 'point')} {'is' if len(rows) == 1 else 'are'} tagged with a "
            f"chapter from another scheme than its event's{_ids(rows)}; chapter counts for "
            "those events are wrong.",
        )
    ]


def _tally(conn: Db, tables: Tables, sqlite: bool) -> list[Problem]:
    if "point_tally" not in tables:  # a store from before the tally (schema 0004)
        return []
    from sendtui.store import tally

    problems = []
    missing = tally.triggers_missing(conn)
    if missing:
        problems.append(Problem("tally", f"the triggers that keep report counts are missing: "
                                f"{', '.join(missing)}; reports can be wrong."))  # fmt: skip
    events = tally.drift(conn)
    if events:
        problems.append(
            Problem(
                "tally",
                f"the report counts kept for {_count(len(events), 'event')} differ from "
                f"{'its' if len(events) == 1 else 'their'} points{_ids(events)}; "
                "reports for them are wrong until the counts are rebuilt.",
            )
        )
    return problems


def _money(conn: Db, tables: Tables, sqlite: bool) -> list[Problem]:
    problems = []
    pence = sorted(c for c in tables.get("claim_item", ()) if c.endswith("_pence"))
    if sqlite and pence:
        odd = " OR ".join(f"({c} IS NOT NULL AND typeof({c}) <> 'integer')" for c in pence)
        ids = _ids_of(conn, f"SELECT id FROM claim_item WHERE {odd} ORDER BY id")
        if ids:
            problems.append(
                Problem(
                    "money",
                    f"{_count(len(ids), 'claim item')} {'holds' if len(ids) == 1 else 'hold'} "
                    f"an amount that is not a whole number of pence{_ids(ids)}.",
                )
            )
    totals = [c for c in tables.get("claim", ()) if c in ("total_pence", "amount_pence")]
    if totals and "amount_pence" in tables.get("claim_item", ()):
        total = totals[0]
        ids = _ids_of(
            conn,
            f"SELECT c.id FROM claim c LEFT JOIN claim_item i ON i.claim_id = c.id "
            f"GROUP BY c.id, c.{total} HAVING c.{total} <> coalesce(sum(i.amount_pence), 0) "
            "ORDER BY c.id",
        )
        if ids:
            problems.append(
                Problem(
                    "money",
                    f"the stored total is not the sum of the items in "
                    f"{_count(len(ids), 'claim')}{_ids(ids)}.",
                )
            )
    return problems


# (table, name column, key column) pairs, checked once the key columns exist.
_KEYED = (
    ("event", "title", "title_key"),
    ("discussion_group", "name", "name_key"),
    ("topic", "title", "title_key"),
    ("member", "name", "name_key"),
)


def _names(conn: Db, tables: Tables, sqlite: bool) -> list[Problem]:
    problems = []
    for table, name, key in _KEYED:
        if not {name, key} <= tables.get(table, set()):
            continue
        wrong = [
            row[0]
            for row in conn.execute(f"SELECT id, {name}, {key} FROM {table} ORDER BY id")
            if row[2] != name_key(row[1] or "")
        ]
        if wrong:
            noun = _NOUNS[table]
            problems.append(
                Problem(
                    "names",
                    f"the name key does not match the name of {_count(len(wrong), noun)}"
                    f"{_ids(wrong)}: the same name typed again might not be recognised.",
                )
            )
    return problems


def _field_times(conn: Db, tables: Tables, sqlite: bool) -> list[Problem]:
    if "field_times" not in tables.get("point", ()):
        return []
    bad = []
    for point_id, text in conn.execute("SELECT id, field_times FROM point ORDER BY id"):
        if text is None or text == "":
            continue
        try:
            ok = isinstance(json.loads(text), dict)
        except (ValueError, TypeError):
            ok = False
        if not ok:
            bad.append(point_id)
    if not bad:
        return []
    return [
        Problem(
            "field times",
            f"the field change times of {_count(len(bad), 'point')} cannot be read{_ids(bad)}; "
            "merging "
            "dumps would treat every field of them as unchanged.",
        )
    ]


# -- helpers -------------------------------------------------------------------------------


@contextmanager
def _open_read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """The store opened so nothing can be written (query_only), without creating it."""
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error as exc:
        raise StoreError(f"{_shown(path)} cannot be opened: {exc}.") from None
    with closing(conn):
        conn.execute("PRAGMA query_only = ON")
        yield conn


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return row is not None


def _columns(conn: Db, *, sqlite: bool) -> Tables:
    """{table: column names} for the tables the rules look at (schemas differ by version)."""
    wanted = {"point", "discussion_group", "topic", "event", "chapter", "point_chapter"}
    wanted |= {"claim", "claim_item", "member", "point_tally"}
    if sqlite:
        tables: Tables = {}
        for table in wanted:
            cols = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            if cols:
                tables[table] = cols
        return tables
    found: Tables = defaultdict(set)
    for table, column in conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema()"
    ):
        if table in wanted:
            found[table].add(column)
    return dict(found)


def _ids_of(conn: Db, sql: str, params: Iterable[Any] = ()) -> list[int]:
    return [row[0] for row in conn.execute(sql, tuple(params))]


def _count(n: int, noun: str) -> str:
    return f"1 {noun}" if n == 1 else f"{n:,} {noun}s"


def _is(ids: list[int]) -> str:
    return "is" if len(ids) == 1 else "are"


def _ids(ids: list[int], word: str = "") -> str:
    shown = ", ".join(printable(str(i)) for i in ids[:EXAMPLES])
    more = f" and {len(ids) - EXAMPLES:,} more" if len(ids) > EXAMPLES else ""
    label = word or ("id" if len(ids) == 1 else "ids")
    return f" ({label} {shown}{more})"


def _shown(path: Path) -> str:
    """A path as it may be written to a terminal (control characters made visible)."""
    return printable(str(path))
