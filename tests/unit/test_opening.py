"""Opening rules on SQLite: another program's file is never written, a read-only store can
be read, a damaged one is one clear message (issue 8, items 6 and 7)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sendtui.cli import main
from sendtui.errors import StoreError
from sendtui.store.schema import APPLICATION_ID
from sendtui.store.store import Store
from tests.conftest import DEMO_NOTES

ROOT = os.geteuid() == 0


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def other_programs_file(path: Path, *, tables: bool = True) -> None:
    with sqlite3.connect(path) as conn:  # rollback journal, as most programs leave it
        if tables:
            conn.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT)")
            conn.execute("INSERT INTO accounts (owner) VALUES ('someone')")
        else:
            conn.execute("PRAGMA user_version = 7")  # a valid header, no tables


def test_another_programs_file_stays_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    other_programs_file(path)
    before = digest(path)
    with pytest.raises(StoreError, match="not a sendtui database"):
        Store(path)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_cli_events_on_another_programs_file_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    other_programs_file(path)
    before = digest(path)
    done = subprocess.run(
        [sys.executable, "-m", "sendtui", "--db", str(path), "events"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "not a sendtui database" in done.stderr and "Traceback" not in done.stderr
    assert digest(path) == before


def test_an_empty_file_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    Store(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_a_file_with_a_header_but_no_tables_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "blank.db"
    other_programs_file(path, tables=False)
    Store(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def _demo_store(tmp_path: Path) -> Path:
    path = tmp_path / "store" / "sendtui.db"
    path.parent.mkdir()
    assert main(["--db", str(path), "import", str(DEMO_NOTES)]) == 0
    return path


def _read_commands(path: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(path), "events"]) == 0
    assert "2013-07-08" in capsys.readouterr().out
    assert main(["--db", str(path), "report", "1"]) == 0
    assert capsys.readouterr().out.strip()
    target = out / "points.csv"
    assert main(["--db", str(path), "export", "1", "--format", "csv", "-o", str(target)]) == 0
    assert target.stat().st_size > 1000


def test_a_read_only_store_can_be_read_as_any_user(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root may write anything: make sendtui believe the file cannot be written, so it uses
    SQLite's read-only mode, as it would for a 0444 file in a 0555 folder."""
    path = _demo_store(tmp_path)
    capsys.readouterr()
    monkeypatch.setattr("sendtui.store.store._can_write", lambda _path: False)
    before = digest(path)
    _read_commands(path, tmp_path, capsys)
    assert digest(path) == before
    assert main(["--db", str(path), "import", str(DEMO_NOTES)]) == 2
    assert "read-only" in capsys.readouterr().err


@pytest.mark.skipif(ROOT, reason="root can write read-only files and folders")
def test_a_0444_file_in_a_0555_folder_can_be_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _demo_store(tmp_path)
    capsys.readouterr()
    for leftover in path.parent.glob("*"):
        if leftover != path and leftover.is_file():
            leftover.unlink()  # -wal/-shm from the import, as after a clean close
    path.chmod(0o444)
    path.parent.chmod(0o555)
    try:
        before = digest(path)
        _read_commands(path, tmp_path, capsys)
        assert digest(path) == before
    finally:
        path.parent.chmod(0o755)


def test_read_only_flag_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store(path).close()
    store = Store(path, read_only=True)
    try:
        assert store.read_only
        with pytest.raises(StoreError, match="read-only"), store.write_raw():
            pass
        with pytest.raises(StoreError, match="read-only"):
            store.new_writer()
    finally:
        store.close()


def test_a_behind_store_that_is_read_only_is_refused_clearly(tmp_path: Path) -> None:
    from tests.unit.test_migrations_0003 import make_0002_store

    path = tmp_path / "old.db"
    make_0002_store(path)
    with pytest.raises(StoreError, match="needs upgrading"):
        Store(path, read_only=True)


def test_a_truncated_store_is_one_message(tmp_path: Path) -> None:
    path = _demo_store(tmp_path)
    Store(path).close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    for leftover in path.parent.glob("sendtui.db-*"):
        leftover.unlink()
    with pytest.raises(StoreError, match="damaged"):
        Store(path)


def test_damage_under_an_open_reader_is_one_message(tmp_path: Path) -> None:
    """The fast reader (report, export) translates driver errors too."""
    from sendtui.store import reads

    path = _demo_store(tmp_path)
    store = Store(path, read_only=True)
    try:
        reader = store.reader
        with path.open("r+b") as f:  # scribble over every page after the first
            f.seek(4096)
            f.write(b"\xff" * (path.stat().st_size - 4096))
        with pytest.raises(StoreError, match="damaged"):
            reads.points(reader, 1)
    finally:
        store.close()


def test_damaged_store_names_the_latest_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = pytest.importorskip("sendtui.store.backup")
    path = _demo_store(tmp_path)
    made = backup.backup_now(path)
    capsys.readouterr()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    for leftover in path.parent.glob("sendtui.db-*"):
        leftover.unlink()
    assert main(["--db", str(path), "report", "1"]) == 2
    err = capsys.readouterr().err
    assert "damaged" in err and made.name in err and "restore" in err
    assert "Traceback" not in err


def _as_nobody() -> list[str]:
    """A command prefix that runs as an unprivileged user (root bypasses permissions)."""
    import shutil

    if not ROOT:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot drop privileges")
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


def test_real_permissions_0444_file_in_0555_folder(tmp_path: Path) -> None:
    """The real chmod path, as an ordinary user even when the tests run as root."""
    import tempfile

    prefix = _as_nobody()
    top = Path(tempfile.mkdtemp(prefix="sendtui-ro-"))
    try:
        top.chmod(0o755)
        folder = top / "store"
        folder.mkdir()
        path = folder / "sendtui.db"
        assert main(["--db", str(path), "import", str(DEMO_NOTES)]) == 0
        for leftover in folder.iterdir():
            if leftover != path and leftover.is_file():
                leftover.unlink()
        path.chmod(0o444)
        folder.chmod(0o555)
        before = digest(path)
        listing = sorted(p.name for p in folder.iterdir())
        out = top / "out.csv"
        top.chmod(0o777)  # the export goes beside, not into, the read-only folder
        for args in (
            ["events"],
            ["report", "1"],
            ["export", "1", "--format", "csv", "-o", str(out)],
        ):
            done = subprocess.run(
                [*prefix, sys.executable, "-m", "sendtui", "--db", str(path), *args],
                capture_output=True,
                text=True,
                timeout=120,
                cwd=top,
            )
            assert done.returncode == 0, (args, done.stderr)
        assert out.stat().st_size > 1000
        assert digest(path) == before
        assert sorted(p.name for p in folder.iterdir()) == listing
    finally:
        for folder_or_file in (top / "store",):
            if folder_or_file.exists():
                folder_or_file.chmod(0o755)
        import shutil

        shutil.rmtree(top, ignore_errors=True)
