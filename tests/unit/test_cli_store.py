"""`sendtui check`, `sendtui backup`, `sendtui restore`: exit codes and what they say."""

from __future__ import annotations

import io
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sendtui.cli import main
from sendtui.store import backup


@pytest.fixture
def config(tmp_path: Path):
    """A SQLite store whatever SENDTUI_TEST_BACKEND says: these tests are about the file."""
    from sendtui.config import load_config

    return load_config(None, database=tmp_path / "sendtui.db")


@pytest.fixture
def db(config, demo_event, store) -> Path:
    store.close()
    shutil.rmtree(config.database_path.parent / "backups", ignore_errors=True)
    return config.database_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_a_healthy_store_exits_0(db: Path, capsys) -> None:
    code, out, _ = run(capsys, "--db", str(db), "check")
    assert code == 0 and "healthy" in out


def test_check_a_broken_rule_exits_1_in_plain_words(db: Path, capsys) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE point SET kind = 'rant' WHERE id = 3")
    conn.commit()
    conn.close()
    code, out, _ = run(capsys, "--db", str(db), "check")
    assert code == 1
    assert "1 problem found" in out
    assert "- kinds: 1 point has a kind sendtui does not know (id 3)" in out
    assert "The file itself is sound" in out


def test_check_a_truncated_store_names_the_latest_good_backup(db: Path, capsys) -> None:
    run(capsys, "--db", str(db), "backup")
    good = backup.latest_backup(db)
    assert good is not None
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])
    code, out, _ = run(capsys, "--db", str(db), "check")
    assert code == 1
    assert "integrity: the file is damaged" in out
    assert f"The latest good backup is {good}" in out
    assert f'sendtui --db "{db}" restore "{good}"' in out


def test_check_cannot_open_exits_2(tmp_path: Path, capsys) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00garbage" * 1000)
    code, _, err = run(capsys, "--db", str(junk), "check")
    assert code == 2 and "cannot be read as a database" in err
    assert "No good backup" in err
    code, _, err = run(capsys, "--db", str(tmp_path / "none.db"), "check")
    assert code == 2 and "no store file" in err


def test_check_escapes_control_characters_in_paths(tmp_path: Path, capsys) -> None:
    evil = tmp_path / "evil\x1b]0;PWNED\x07.db"
    code, _, err = run(capsys, "--db", str(evil), "check")
    assert code == 2 and "\x1b" not in err and "\\x1b" in err


def test_backup_then_restore_with_yes(db: Path, capsys) -> None:
    code, out, _ = run(capsys, "--db", str(db), "backup")
    assert code == 0 and "Backed up to" in out
    (made,) = backup.backups(db)
    assert str(made) in out
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM point WHERE id > 10")
    conn.commit()
    conn.close()
    code, out, _ = run(capsys, "--db", str(db), "restore", str(made), "--yes")
    assert code == 0
    kept = [line for line in out.splitlines() if line.startswith("The file it replaced")]
    assert len(kept) == 1
    aside = Path(kept[0].removeprefix("The file it replaced was kept as ").rstrip("."))
    assert aside.exists()
    with sqlite3.connect(aside) as old, sqlite3.connect(db) as new:
        assert old.execute("SELECT count(*) FROM point").fetchone()[0] == 10
        assert new.execute("SELECT count(*) FROM point").fetchone()[0] > 10


def test_restore_asks_first(db: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    made = backup.backup_now(db)
    before = db.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.StringIO("n\n"))
    code, out, _ = run(capsys, "--db", str(db), "restore", str(made))
    assert code == 1 and "[y/N]" in out and "Nothing was changed." in out
    assert db.read_bytes() == before
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    code, out, _ = run(capsys, "--db", str(db), "restore", str(made))
    assert code == 0 and "was kept as" in out


def test_restore_of_a_bad_backup_is_one_message(db: Path, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not sqlite" * 100)
    code, _, err = run(capsys, "--db", str(db), "restore", str(bad), "--yes")
    assert code == 2 and "failed a quick integrity check" in err and "Traceback" not in err


def test_backup_and_restore_refuse_a_postgresql_store(capsys) -> None:
    url = "postgresql://forum@db.example/sendtui"
    for command in (["backup"], ["restore", "x.db", "--yes"]):
        code, _, err = run(capsys, "--db", url, *command)
        assert code == 2 and "pg_dump" in err


def test_check_runs_as_a_whole_process_without_a_traceback(db: Path) -> None:
    db.write_bytes(db.read_bytes()[:3000])
    done = subprocess.run(
        [sys.executable, "-m", "sendtui", "--db", str(db), "check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode in (1, 2), done
    assert "Traceback" not in done.stderr + done.stdout
    assert "damaged" in done.stdout + done.stderr or "cannot be read" in done.stderr


def test_check_on_postgresql_runs_sendtuis_rules(pg_store_location: str, capsys) -> None:
    import psycopg

    from sendtui.paths import builtin_data_dir

    demo = builtin_data_dir() / "demo" / "nnpcf-2013-07-08.md"
    assert run(capsys, "--db", pg_store_location, "import", str(demo))[0] == 0
    code, out, _ = run(capsys, "--db", pg_store_location, "check")
    assert code == 0 and "healthy" in out
    with psycopg.connect(pg_store_location, autocommit=True) as conn:
        conn.execute("UPDATE point SET kind = 'rant' WHERE id IN (SELECT min(id) FROM point)")
    code, out, _ = run(capsys, "--db", pg_store_location, "check")
    assert code == 1
    assert "kinds: 1 point has a kind sendtui does not know" in out


def test_check_finds_wrong_report_counts_and_rebuild_counts_mends_them(db: Path, capsys) -> None:
    """Report counts the store keeps, broken behind its back (a trigger dropped, a count
    changed): `check` names them and says how to mend them; --rebuild-counts does, and the
    report then counts the points again."""
    conn = sqlite3.connect(db)
    name = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'point_chapter' "
        "ORDER BY name LIMIT 1"
    ).fetchone()[0]
    conn.execute(f"DROP TRIGGER {name}")
    conn.execute("UPDATE point_tally SET n = n + 5 WHERE dim = 'point'")
    conn.commit()
    conn.close()
    code, out, _ = run(capsys, "--db", str(db), "check")
    assert code == 1
    assert name in out and "differ from" in out
    assert "sendtui check --rebuild-counts" in out
    code, out, _ = run(capsys, "--db", str(db), "check", "--rebuild-counts")
    assert code == 0, out
    assert "Rebuilt the report counts" in out and "healthy" in out
    conn = sqlite3.connect(db)
    assert conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
    ).fetchone() == (1,)
    conn.close()
