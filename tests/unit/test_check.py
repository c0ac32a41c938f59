"""`sendtui.store.health.check`: damage and broken rules found, in plain words, file untouched.

Each broken store is made by hand with sqlite3 (foreign keys off, as another program or a
bug could), from the demo event's healthy store.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from sendtui.errors import StoreError
from sendtui.store.health import Problem, _in_loops, check
from sendtui.text import name_key


@pytest.fixture
def config(tmp_path: Path):
    """A SQLite store whatever SENDTUI_TEST_BACKEND says: these tests are about the file."""
    from sendtui.config import load_config

    return load_config(None, database=tmp_path / "sendtui.db")


@pytest.fixture
def db(config, demo_event, store) -> Path:
    """The demo event's store, closed (and checkpointed: the file holds everything)."""
    store.close()
    shutil.rmtree(config.database_path.parent / "backups", ignore_errors=True)
    return config.database_path


def edit(db: Path, *statements: str) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    for sql in statements:
        conn.execute(sql)
    conn.close()


def insert(db: Path, table: str, **values: object) -> int:
    """Insert a row by hand, filling the NOT NULL columns not given (whatever the schema
    version) with blanks and name keys with the right key; returns its id."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    for _, name, kind, notnull, default, pk in conn.execute(f"PRAGMA table_info({table})"):
        if name in values or pk or not notnull or default is not None:
            continue
        source = {"title_key": "title", "name_key": "name"}.get(name)
        if source in values:
            values[name] = name_key(str(values[source]))
        else:
            values[name] = 0 if kind.upper() in ("INTEGER", "BOOLEAN") else ""
    cols = ", ".join(values)
    marks = ", ".join("?" * len(values))
    row = conn.execute(
        f"INSERT INTO {table} ({cols}) VALUES ({marks}) RETURNING id", list(values.values())
    ).fetchone()
    conn.close()
    return row[0]


def second_event(db: Path) -> None:
    """Another event (on another scheme) with a group and a topic of its own."""
    conn = sqlite3.connect(db)
    scheme = conn.execute("SELECT max(id) FROM scheme").fetchone()[0]
    conn.close()
    now = "2026-01-01 00:00:00"
    event = insert(
        db,
        "event",
        uuid="e2",
        title="Second event",
        scheme_id=scheme,
        created_at=now,
        updated_at=now,
    )
    group = insert(db, "discussion_group", uuid="g2", event_id=event, name="Other group")
    insert(db, "topic", uuid="t2", group_id=group, title="Other topic")
    insert(
        db,
        "point",
        uuid="p2",
        event_id=event,
        group_id=group,
        kind="point",
        text="elsewhere",
        created_at=now,
        updated_at=now,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def areas(problems: list[Problem]) -> list[str]:
    return [p.area for p in problems]


def test_a_healthy_store_has_no_problems_and_is_not_changed(db: Path) -> None:
    before = digest(db)
    assert check(db) == []
    assert digest(db) == before


BROKEN: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "point in another event's group": (
        lambda db: (
            second_event(db),
            edit(
                db,
                "UPDATE point SET group_id = (SELECT id FROM discussion_group WHERE uuid = 'g2'),"
                " topic_id = NULL WHERE id = 7",
            ),
        ),
        "groups",
        "1 point is in a group of another event (id 7)",
    ),
    "point under another group's topic": (
        lambda db: edit(
            db,
            "UPDATE point SET topic_id = (SELECT t.id FROM topic t JOIN point p "
            "ON p.id = 3 WHERE t.group_id <> p.group_id LIMIT 1) WHERE id = 3",
        ),
        "topics",
        "1 point is under a topic of another group (id 3)",
    ),
    "sub-point of another event's point": (
        lambda db: (
            second_event(db),
            edit(
                db,
                "UPDATE point SET parent_id = (SELECT id FROM point WHERE uuid = 'p2') "
                "WHERE id IN (4, 5)",
            ),
        ),
        "sub-points",
        "2 sub-points are under a point of another event (ids 4, 5)",
    ),
    "points whose parents loop": (
        lambda db: edit(
            db,
            "UPDATE point SET parent_id = 11 WHERE id = 10",
            "UPDATE point SET parent_id = 12 WHERE id = 11",
            "UPDATE point SET parent_id = 10 WHERE id = 12",
        ),
        "sub-points",
        "3 points are its own sub-point, directly or through others (ids 10, 11, 12)",
    ),
    "chapter of another scheme": (
        lambda db: edit(
            db,
            "DELETE FROM point_chapter WHERE point_id = 2",
            "INSERT INTO point_chapter (point_id, chapter_id) SELECT 2, c.id FROM chapter c "
            "WHERE c.scheme_id <> (SELECT scheme_id FROM event WHERE id = 1) LIMIT 1",
        ),
        "tags",
        "1 point is tagged with a chapter from another scheme than its event's (id 2)",
    ),
    "position stored as text": (
        lambda db: edit(db, "UPDATE point SET position = 'third' WHERE id = 6"),
        "positions",
        "1 point has a position that is not a whole number in the usual range (id 6)",
    ),
    "position beyond 2^53": (
        lambda db: edit(db, "UPDATE topic SET position = 9007199254740993 WHERE id = 1"),
        "positions",
        "1 topic has a position",
    ),
    "unknown kind": (
        lambda db: edit(db, "UPDATE point SET kind = 'rant' WHERE id IN (8, 9)"),
        "kinds",
        "2 points have a kind sendtui does not know (ids 8, 9)",
    ),
    "missing group": (
        lambda db: edit(db, "UPDATE point SET group_id = 999 WHERE id = 1"),
        "foreign keys",
        "1 point refers to a group that does not exist (rows 1)",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_each_broken_rule_is_found_in_plain_words(db: Path, case: str) -> None:
    make, area, words = BROKEN[case]
    make(db)
    before = digest(db)
    problems = check(db)
    assert area in areas(problems), problems
    messages = [p.message for p in problems if p.area == area]
    assert any(words in m for m in messages), messages
    assert digest(db) == before  # checking changes nothing


def test_many_problems_name_a_few_ids_and_count_the_rest(db: Path) -> None:
    edit(db, "UPDATE point SET kind = 'rant' WHERE id <= 40")
    (problem,) = check(db)
    assert problem.message.startswith("40 points have a kind")
    assert "(ids 1, 2, 3, 4, 5 and 35 more)" in problem.message


def test_money_not_in_whole_pence(db: Path) -> None:
    now = "2026-01-01 00:00:00"
    member = insert(db, "member", uuid="m1", name="A Parent", created_at=now, updated_at=now)
    claim = insert(
        db,
        "claim",
        uuid="c1",
        member_id=member,
        claim_date="2026-01-01",
        status="draft",
        created_at=now,
        updated_at=now,
    )
    insert(db, "claim_item", claim_id=claim, category="expense", amount_pence=250)
    item = insert(db, "claim_item", claim_id=claim, category="expense", amount_pence=250.5)
    problems = check(db)
    assert [str(p) for p in problems if p.area == "money"] == [
        f"money: 1 claim item holds an amount that is not a whole number of pence (id {item})."
    ]


def test_name_keys_out_of_step(db: Path) -> None:
    conn = sqlite3.connect(db)
    cols = {row[1] for row in conn.execute("PRAGMA table_info(discussion_group)")}
    conn.close()
    if "name_key" not in cols:
        pytest.skip("name keys arrive with migration 0003")
    edit(db, "UPDATE discussion_group SET name = 'Renamed by hand' WHERE id = 1")
    problems = check(db)
    assert "names" in areas(problems)
    assert any("name key does not match the name of 1 group (id 1)" in p.message for p in problems)


def test_unreadable_field_times(db: Path) -> None:
    conn = sqlite3.connect(db)
    cols = {row[1] for row in conn.execute("PRAGMA table_info(point)")}
    conn.close()
    if "field_times" not in cols:
        pytest.skip("field times arrive with migration 0003")
    edit(db, "UPDATE point SET field_times = '{not json' WHERE id = 2")
    problems = check(db)
    assert [p.area for p in problems] == ["field times"]
    assert "(id 2)" in problems[0].message


def test_a_truncated_file_is_reported_as_damage(db: Path) -> None:
    size = db.stat().st_size
    db.write_bytes(db.read_bytes()[: size // 2])
    problems = check(db)
    assert problems and all(p.damage for p in problems)
    assert problems[0].area == "integrity"


def test_a_file_that_is_not_a_store_cannot_be_checked(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store file"):
        check(tmp_path / "missing.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(StoreError, match="cannot be read as a database"):
        check(junk)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="not a sendtui store"):
        check(other)


def test_loops_are_found_without_walking_forever() -> None:
    chain = {n: n - 1 for n in range(1, 50_000)}  # a long, healthy chain
    assert _in_loops(chain) == set()
    assert _in_loops({1: 1}) == {1}
    assert _in_loops({1: 2, 2: 3, 3: 2, 4: 1}) == {2, 3}
