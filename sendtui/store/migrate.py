"""Schema migrations with Alembic, run on start-up when the store is behind.

Checking the revision needs only the raw connection (no Alembic, no SQLAlchemy), so opening
an up-to-date store stays light; `upgrade()` imports Alembic when there is work to do.
"""

from __future__ import annotations

from pathlib import Path

from sendtui.errors import StoreError
from sendtui.store.db import Db
from sendtui.store.schema import APPLICATION, HEAD

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def known_revisions() -> set[str]:
    """The revisions this sendtui knows, from the migration files' names (`0003_….py`)."""
    return {
        path.name.split("_", 1)[0] for path in (MIGRATIONS / "versions").glob("[0-9]*_*.py")
    } | {HEAD}


def tables(conn: Db) -> set[str]:
    if getattr(conn, "dialect", "sqlite") == "postgresql":
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
    else:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
    return {r[0] for r in rows}


def current_revision(conn: Db) -> str | None:
    """The store's schema revision, or None for a new (empty) one. A database with tables
    that is not sendtui's is refused."""
    found = tables(conn)
    if "alembic_version" not in found:
        if found:
            raise StoreError(
                "this database has tables but is not a sendtui database; "
                "sendtui has not changed it. Use another one (--db)."
            )
        return None
    if getattr(conn, "dialect", "sqlite") == "postgresql":
        marked = (
            "store_meta" in found
            and conn.execute(
                "SELECT 1 FROM store_meta WHERE key = 'application' AND value = ?", (APPLICATION,)
            ).fetchone()
        )
        if not marked:
            raise StoreError(
                "this PostgreSQL database is not marked as a sendtui database; "
                "sendtui has not changed it. Use an empty database or another one."
            )
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def check_known(revision: str | None) -> None:
    if revision is not None and revision not in known_revisions():
        raise StoreError(
            f"this database was written by a newer sendtui (schema {revision}); "
            "upgrade sendtui to open it. Nothing was changed."
        )


def needs_upgrade(conn: Db) -> bool:
    revision = current_revision(conn)
    check_known(revision)
    return revision != HEAD


def alembic_config(engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine) -> None:
    """Bring the store up to HEAD. A store from a newer sendtui is refused, not touched.

    On SQLite, foreign keys are off while migrating: batch mode copies a table and drops the
    old one, and a DROP TABLE with foreign keys on would cascade-delete the rows that refer
    to it (points!). They are checked before the migration commits. On PostgreSQL the
    migration holds sendtui's write lock, so two first openings of an empty database do
    not both create the schema."""
    cfg = alembic_config(engine)
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        # On the driver's connection, outside any transaction (where the pragma is a no-op).
        raw = connection.connection.driver_connection if sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            _upgrade_on(connection, cfg, sqlite)
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")


def _upgrade_on(connection, cfg, sqlite: bool) -> None:
    from alembic import command

    with connection.begin():
        if not sqlite:
            from sendtui.store.pg import WRITE_LOCK

            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
        present = connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            if sqlite
            else "SELECT to_regclass('alembic_version')"
        ).fetchone()
        row = None
        if present and present[0]:
            row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").fetchone()
        check_known(row[0] if row else None)
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
        if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").fetchone():
            raise StoreError(
                "migrating this database would break links between its records; "
                "nothing was changed. Run `sendtui check` and report it."
            )
