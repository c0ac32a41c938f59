"""Attendance change times and removal markers.

- `attendee.field_times`, `apology.field_times`, `action_item.field_times`: when each field
  last changed (existing rows: every field at the time of the migration), in the form of
  `point.field_times`; a merge keeps each field's later change.
- `attendee.deleted_at`, `apology.deleted_at`, `action_item.deleted_at`: a removal is a
  marker that travels with a dump, not a DELETE.

Runs on SQLite and PostgreSQL (plain ADD COLUMN: no table is copied).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
import sqlmodel
from alembic import op

from sendtui.models.base import sql_time

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

STR = sqlmodel.sql.sqltypes.AutoString
UTC_TIME = sqlmodel.sql.sqltypes.UTCDateTime

# The fields as sendtui.services.record_times names them at this revision (a migration keeps
# its own copy: it must give the same result whatever later code does).
FIELDS = {
    "attendee": ("name", "organisation", "role", "level", "count", "position"),
    "apology": ("name", "organisation", "position"),
    "action_item": ("point", "what", "who", "due", "done", "position"),
}


def all_fields(table: str, at: str) -> str:
    """`record_times.all_fields(table, at)`: every field of a record made `at`."""
    return json.dumps(dict.fromkeys(FIELDS[table], at), separators=(",", ":"))


def upgrade() -> None:
    conn = op.get_bind()
    now = sql_time(dt.datetime.now(dt.UTC))
    for table in FIELDS:
        op.add_column(
            table, sa.Column("field_times", STR(), nullable=False, server_default=sa.text("''"))
        )
        op.add_column(table, sa.Column("deleted_at", UTC_TIME(), nullable=True))
        conn.execute(sa.text(f"UPDATE {table} SET field_times = :t"),
                     {"t": all_fields(table, now)})  # fmt: skip


def downgrade() -> None:
    for table in FIELDS:
        # Removed records are gone for good in the older schema, as they were then.
        op.execute(sa.text(f"DELETE FROM {table} WHERE deleted_at IS NOT NULL"))
        with op.batch_alter_table(table) as batch:
            batch.drop_column("deleted_at")
            batch.drop_column("field_times")
