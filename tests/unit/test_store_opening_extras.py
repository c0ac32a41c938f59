"""More opening rules: a backup before a migration, two first openings of an empty
PostgreSQL database at once, and this laptop's UI state kept off a shared server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sendtui.store.store import Store


def test_a_migration_is_preceded_by_a_backup(tmp_path: Path) -> None:
    backup = pytest.importorskip("sendtui.store.backup")
    from tests.unit.test_migrations_0003 import fill_with_duplicates, make_0002_store

    path = tmp_path / "old.db"
    make_0002_store(path)
    fill_with_duplicates(path)
    Store(path).close()
    made = backup.backups(path)
    assert len(made) == 1
    import sqlite3

    with sqlite3.connect(made[0]) as conn:  # the copy is of the store before migrating
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0002",)
        assert conn.execute("SELECT count(*) FROM point").fetchone() == (3,)


def test_two_first_openings_of_an_empty_postgres_database(pg_location: str) -> None:
    script = (
        "import sys\nfrom sendtui.store.store import Store\n"
        "Store(sys.argv[1]).close()\nprint('ok')\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, pg_location],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err for _, err in outs]
    store = Store(pg_location)
    try:
        rows = store.reader.execute("SELECT count(*) FROM alembic_version").fetchone()
        assert rows == (1,)
    finally:
        store.close()


def test_ui_state_of_a_server_store_stays_on_this_laptop(
    pg_location: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sendtui.services.state import StateStore

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home"))
    Store(pg_location).close()
    state = StateStore(pg_location)
    try:
        assert state.put("capture:1", {"draft": "half a thought"})
        assert state.get("capture:1") == {"draft": "half a thought"}
        assert state.path.is_relative_to(tmp_path / "home")
        assert oct(state.path.stat().st_mode & 0o777) == "0o600"
    finally:
        state.close()
    store = Store(pg_location)
    try:
        assert store.reader.execute("SELECT count(*) FROM ui_state").fetchone() == (0,)
    finally:
        store.close()


def test_ui_state_never_opens_another_programs_file(tmp_path: Path) -> None:
    import hashlib
    import sqlite3

    from sendtui.services.state import StateStore

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    state = StateStore(path)
    assert state.get("last") == {}
    assert state.put("last", {"event_id": 1}) is False
    state.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
