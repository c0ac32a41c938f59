"""Start-up without the ORM (issue 12): an up-to-date store is opened, read and written on
the plain driver; SQLModel, SQLAlchemy and pydantic load only for migrations and the
services that use them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sendtui.cli import main
from tests.conftest import DEMO_NOTES

HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "alembic")


def _check(code: str, *args: str) -> None:
    check = (
        f"\nheavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})"
        "\nassert not heavy, heavy[:5]\n"
    )
    subprocess.run([sys.executable, "-c", "import sys\n" + code + check, *args], check=True)


def _store(tmp_path: Path) -> Path:
    path = tmp_path / "s.db"
    assert main(["--db", str(path), "import", str(DEMO_NOTES)]) == 0
    return path


def test_cli_events_runs_without_the_orm(tmp_path: Path) -> None:
    path = _store(tmp_path)
    _check(
        "from sendtui.cli import main\nassert main(['--db', sys.argv[1], 'events']) == 0", str(path)
    )


def test_opening_reading_and_raw_writing_run_without_the_orm(tmp_path: Path) -> None:
    path = _store(tmp_path)
    code = (
        "from sendtui.config import load_config\n"
        "from sendtui.services.bootstrap import open_store\n"
        "from sendtui.store import reads\n"
        "opened = open_store(load_config(None, database=sys.argv[1]))\n"
        "store = opened.store\n"
        "assert len(reads.points(store.reader, 1)) > 300\n"
        "with store.write_raw() as conn:\n"
        "    conn.execute(\"UPDATE point SET text = text || '!' WHERE id = 1\")\n"
        "watcher = store.watcher()\nwatcher.changed()\nwatcher.close()\n"
        "store.close()\n"
    )
    _check(code, str(path))


def test_a_store_that_needs_migrating_still_migrates(tmp_path: Path) -> None:
    from tests.unit.test_migrations_0003 import make_0002_store

    path = tmp_path / "old.db"
    make_0002_store(path)
    assert main(["--db", str(path), "events"]) == 0


def test_importing_notes_runs_without_the_orm(tmp_path: Path) -> None:
    """`sendtui import NOTES` (a new event, then into a named one) on the plain driver."""
    path = tmp_path / "s.db"
    assert main(["--db", str(path), "events"]) == 0  # an empty store at the current schema
    notes = tmp_path / "more.md"
    notes.write_text("## Blue Group\n- one more point #3\n", encoding="utf-8")
    _check(
        "from sendtui.cli import main\n"
        "assert main(['--db', sys.argv[1], 'import', sys.argv[2]]) == 0\n"
        "assert main(['--db', sys.argv[1], 'import', sys.argv[3], '--event', '1']) == 0",
        str(path),
        str(DEMO_NOTES),
        str(notes),
    )


def test_reports_and_data_exports_run_without_the_orm(tmp_path: Path) -> None:
    path = _store(tmp_path)
    out = tmp_path / "out"
    _check(
        "from sendtui.cli import main\n"
        "for by in ('chapter', 'marker', 'group-chapter', 'chapter-kind'):\n"
        "    assert main(['--db', sys.argv[1], 'report', '1', '--by', by]) == 0\n"
        "for fmt in ('csv', 'md', 'json'):\n"
        "    assert main(['--db', sys.argv[1], 'export', '1', '--format', fmt,\n"
        "                 '-o', sys.argv[2] + '.' + fmt]) == 0\n",
        str(path),
        str(out),
    )


def test_a_command_loads_only_what_it_uses(tmp_path: Path) -> None:
    """`sendtui import` loads neither the report counting nor the export writers;
    `sendtui report` loads no export writer."""
    path = tmp_path / "s.db"
    assert main(["--db", str(path), "events"]) == 0  # an empty store at the current schema
    code = (
        "from sendtui.cli import main\n"
        "assert main(['--db', sys.argv[1], 'import', sys.argv[2]]) == 0\n"
        "loaded = [m for m in sys.modules if m.startswith(('sendtui.exporters.',\n"
        "          'sendtui.services.reports', 'sendtui.services.crosstabs'))]\n"
        "assert not loaded, loaded\n"
        "assert main(['--db', sys.argv[1], 'report', '1', '--format', 'csv']) == 0\n"
        "loaded = [m for m in sys.modules if m.startswith('sendtui.exporters.')]\n"
        "assert sorted(loaded) == ['sendtui.exporters.tables'], loaded\n"
    )
    _check(code, str(path), str(DEMO_NOTES))
