"""Name keys, point field times, merge conflicts, store marker, attendance.

- `event.title_key`, `discussion_group.name_key`, `topic.title_key`, `member.name_key`:
  `sendtui.text.name_key` of the name, unique (per title and date, per event, per group,
  everywhere). Names that are already duplicates under the new rule keep their data: the
  later rows get " (2)", " (3)"… added to their name.
- `point.field_times`: when each field last changed (all of them: when the point was made).
- `point_conflict`, `store_meta` (with the `application` = `sendtui` marker), `attendee`,
  `apology`, `action_item`.

Runs on SQLite and PostgreSQL. On SQLite the two tables whose unnamed unique constraints go
are copied (batch mode); sendtui runs migrations with foreign keys off for that, and checks
them afterwards.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

import sqlalchemy as sa
import sqlmodel
from alembic import op

from sendtui.models.base import sql_time
from sendtui.store.schema import APPLICATION, APPLICATION_ID
from sendtui.text import name_key

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

STR = sqlmodel.sql.sqltypes.AutoString
UTC_TIME = sqlmodel.sql.sqltypes.UTCDateTime
SQLITE_UQ = {"uq": "uq_%(table_name)s_%(column_0_name)s"}

# The point fields as sendtui.services.field_times names them at this revision (a migration
# keeps its own copy: it must give the same result whatever later code does).
FIELDS = ("text", "kind", "section_ref", "chapters", "markers", "private", "place", "position",
          "deleted")  # fmt: skip


def all_fields(at: str) -> str:
    """`field_times.all_fields(at)`: every field of a point made `at`."""
    return json.dumps(dict.fromkeys(FIELDS, at), separators=(",", ":"))


def _unique_names(rows: Iterable[tuple], table: str, column: str) -> list[tuple[str, str, int]]:
    """(new name, key, id) for rows (id, name, scope…): the first of each key in its scope
    keeps its name; later ones get a numbered suffix until their key is free."""
    taken: set[tuple] = set()
    out: list[tuple[str, str, int]] = []
    for row_id, name, *scope in rows:
        name = name or ""
        key = name_key(name)
        candidate, n = name, 1
        while (key, *scope) in taken:
            n += 1
            candidate = f"{name} ({n})"
            key = name_key(candidate)
        taken.add((key, *scope))
        out.append((candidate, key, row_id))
    return out


def _backfill(conn, table: str, column: str, key_column: str, scope: str | None) -> None:
    scope_sql = f", {scope}" if scope else ""
    rows = conn.execute(
        sa.text(f"SELECT id, {column}{scope_sql} FROM {table} ORDER BY id")
    ).fetchall()
    updates = [
        {"name": new, "key": key, "id": row_id}
        for new, key, row_id in _unique_names(rows, table, column)
    ]
    if updates:
        conn.execute(
            sa.text(f"UPDATE {table} SET {column} = :name, {key_column} = :key WHERE id = :id"),
            updates,
        )


def _stamp(value: object) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return sql_time(value)
    return str(value)


def upgrade() -> None:
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"

    for table, column in (
        ("event", "title_key"),
        ("discussion_group", "name_key"),
        ("topic", "title_key"),
        ("member", "name_key"),
    ):
        op.add_column(table, sa.Column(column, STR(), nullable=True))
    op.add_column(
        "point", sa.Column("field_times", STR(), nullable=False, server_default=sa.text("''"))
    )

    _backfill(conn, "event", "title", "title_key", "date")
    _backfill(conn, "discussion_group", "name", "name_key", "event_id")
    _backfill(conn, "topic", "title", "title_key", "group_id")
    _backfill(conn, "member", "name", "name_key", None)
    rows = conn.execute(sa.text("SELECT id, created_at FROM point")).fetchall()
    if rows:
        conn.execute(
            sa.text("UPDATE point SET field_times = :t WHERE id = :id"),
            [{"t": all_fields(_stamp(created)), "id": row_id} for row_id, created in rows],
        )

    with op.batch_alter_table("event") as batch:
        batch.alter_column("title_key", existing_type=STR(), nullable=False)
        batch.create_index("ix_event_title_key_date", ["title_key", "date"], unique=True)
    with op.batch_alter_table(
        "discussion_group", naming_convention=SQLITE_UQ if sqlite else None
    ) as batch:
        batch.alter_column("name_key", existing_type=STR(), nullable=False)
        batch.drop_constraint(
            "uq_discussion_group_event_id" if sqlite else "discussion_group_event_id_name_key",
            type_="unique",
        )
        batch.create_index(
            "ix_discussion_group_event_name_key", ["event_id", "name_key"], unique=True
        )
    with op.batch_alter_table("topic", naming_convention=SQLITE_UQ if sqlite else None) as batch:
        batch.alter_column("title_key", existing_type=STR(), nullable=False)
        batch.drop_constraint(
            "uq_topic_group_id" if sqlite else "topic_group_id_title_key", type_="unique"
        )
        batch.create_index("ix_topic_group_title_key", ["group_id", "title_key"], unique=True)
    with op.batch_alter_table("member") as batch:
        batch.alter_column("name_key", existing_type=STR(), nullable=False)
        batch.drop_index("ix_member_name")
        batch.create_index("ix_member_name", ["name"], unique=False)
        batch.create_index("ix_member_name_key", ["name_key"], unique=True)

    op.create_table(
        "point_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("point_id", sa.Integer(), nullable=False),
        sa.Column("field", STR(), nullable=False),
        sa.Column("kept_value", STR(), nullable=False),
        sa.Column("other_value", STR(), nullable=False),
        sa.Column("other_time", STR(), nullable=False),
        sa.Column("source", STR(), nullable=False),
        sa.Column("created_at", UTC_TIME(), nullable=False),
        sa.Column("resolved_at", UTC_TIME(), nullable=True),
        sa.ForeignKeyConstraint(["point_id"], ["point.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_point_conflict_point_id", "point_conflict", ["point_id"])

    op.create_table(
        "store_meta",
        sa.Column("key", STR(length=100), nullable=False),
        sa.Column("value", STR(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    conn.execute(
        sa.text("INSERT INTO store_meta (key, value) VALUES ('application', :app)"),
        {"app": APPLICATION},
    )

    op.create_table(
        "attendee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", STR(length=36), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("name", STR(), nullable=False),
        sa.Column("organisation", STR(), nullable=False),
        sa.Column("role", STR(), nullable=False),
        sa.Column("level", STR(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_attendee_event_id", "attendee", ["event_id"])
    op.create_index("ix_attendee_uuid", "attendee", ["uuid"], unique=True)

    op.create_table(
        "apology",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", STR(length=36), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("name", STR(), nullable=False),
        sa.Column("organisation", STR(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_apology_event_id", "apology", ["event_id"])
    op.create_index("ix_apology_uuid", "apology", ["uuid"], unique=True)

    op.create_table(
        "action_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", STR(length=36), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("point_id", sa.Integer(), nullable=True),
        sa.Column("what", STR(), nullable=False),
        sa.Column("who", STR(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["point_id"], ["point.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_action_item_event_id", "action_item", ["event_id"])
    op.create_index("ix_action_item_point_id", "action_item", ["point_id"])
    op.create_index("ix_action_item_uuid", "action_item", ["uuid"], unique=True)

    if sqlite:
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in ("action_item", "apology", "attendee", "store_meta", "point_conflict"):
        op.drop_table(table)
    with op.batch_alter_table("member") as batch:
        batch.drop_index("ix_member_name_key")
        batch.drop_index("ix_member_name")
        batch.create_index("ix_member_name", ["name"], unique=True)
        batch.drop_column("name_key")
    with op.batch_alter_table("topic") as batch:
        batch.drop_index("ix_topic_group_title_key")
        batch.create_unique_constraint(None if sqlite else "topic_group_id_title_key",
                                       ["group_id", "title"])  # fmt: skip
        batch.drop_column("title_key")
    with op.batch_alter_table("discussion_group") as batch:
        batch.drop_index("ix_discussion_group_event_name_key")
        batch.create_unique_constraint(
            None if sqlite else "discussion_group_event_id_name_key", ["event_id", "name"]
        )
        batch.drop_column("name_key")
    with op.batch_alter_table("event") as batch:
        batch.drop_index("ix_event_title_key_date")
        batch.drop_column("title_key")
    with op.batch_alter_table("point") as batch:
        batch.drop_column("field_times")
