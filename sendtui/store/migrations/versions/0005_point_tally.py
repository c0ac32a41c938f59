"""The point tally: counts of live points per event, chapter or marker, kind and private
flag, kept by triggers on `point`, `point_chapter` and `point_marker` (see
sendtui.store.tally), so a report over 100,000 points reads a few rows. Filled from the
points already there. `tally_pause` lets a bulk write switch the triggers off inside its own
transaction and recount the events it wrote instead (sendtui.store.tally.paused).

Runs on SQLite and PostgreSQL. The triggers are sendtui.store.tally's: a later change to
them comes with its own migration (drop_triggers, create_triggers, rebuild).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


class _Raw:
    """The migration's connection as sendtui.store.tally's `Db` (plain SQL, no parameters)."""

    def __init__(self, connection: sa.Connection) -> None:
        self._connection = connection
        self.dialect = connection.dialect.name

    def execute(self, sql: str) -> sa.CursorResult:
        return self._connection.exec_driver_sql(sql)


def upgrade() -> None:
    from sendtui.store import tally

    op.create_table(
        "point_tally",
        sa.Column("event_id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("dim", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("key", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "dim", "key", "kind", "private"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "tally_pause",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=False),
        sa.PrimaryKeyConstraint("id"),
    )
    conn = _Raw(op.get_bind())
    tally.create_triggers(conn)
    tally.rebuild(conn)


def downgrade() -> None:
    from sendtui.store import tally

    tally.drop_triggers(_Raw(op.get_bind()))
    op.drop_table("point_tally")
    op.drop_table("tally_pause")
