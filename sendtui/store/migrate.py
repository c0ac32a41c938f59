"""Schema migrations with Alembic, run on start-up when the file is behind."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sendtui.errors import StoreError
from sendtui.store.schema import HEAD

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def current_revision(conn: sqlite3.Connection) -> str | None:
    """The file's schema revision, or None for a new (empty) file."""
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
    ).fetchone()
    if not has_table:
        other = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()
        if other[0]:
            raise StoreError(
                "this SQLite file has tables but is not a sendtui database; "
                "sendtui has not changed it. Use another file (--db)."
            )
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def needs_upgrade(conn: sqlite3.Connection) -> bool:
    return current_revision(conn) != HEAD


def alembic_config(engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine) -> None:
    """Bring the file up to HEAD. A file from a newer sendtui is refused, not touched.

    On SQLite, foreign keys are off while migrating: batch mode copies a table and drops the
    old one, and a DROP TABLE with foreign keys on would cascade-delete the rows that refer
    to it (points!). They are checked before the migration commits."""
    from alembic.script import ScriptDirectory

    cfg = alembic_config(engine)
    known = {rev.revision for rev in ScriptDirectory.from_config(cfg).walk_revisions()}
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        # On the driver's connection, outside any transaction (where the pragma is a no-op).
        raw = connection.connection.driver_connection if sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            _upgrade_on(connection, cfg, known, sqlite)
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")


def _upgrade_on(connection, cfg, known: set[str], sqlite: bool) -> None:
    from alembic import command

    with connection.begin():
        row = None
        if connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone():
            row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").fetchone()
        if row and row[0] not in known:
            raise StoreError(
                f"this database was written by a newer sendtui (schema {row[0]}); "
                "upgrade sendtui to open it. Nothing was changed."
            )
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
        if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").fetchone():
            raise StoreError(
                "migrating this database would break links between its records; "
                "nothing was changed. Run `sendtui check` and report it."
            )
