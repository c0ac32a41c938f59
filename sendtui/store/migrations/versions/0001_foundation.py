"""Foundation: events, groups, topics, points, tags, reference data, UI state.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "marker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("level", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("keywords", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("marker", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_marker_code"), ["code"], unique=True)

    op.create_table(
        "scheme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("scheme", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scheme_code"), ["code"], unique=True)

    op.create_table(
        "ui_state",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "chapter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("keywords", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["scheme_id"], ["scheme.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("scheme_id", "code"),
    )
    with op.batch_alter_table("chapter", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chapter_scheme_id"), ["scheme_id"], unique=False)

    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("venue", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("attendance", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["scheme_id"], ["scheme.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_uuid"), ["uuid"], unique=True)

    op.create_table(
        "discussion_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("facilitator", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("note_taker", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "name"),
    )
    with op.batch_alter_table("discussion_group", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_discussion_group_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_discussion_group_uuid"), ["uuid"], unique=True)

    op.create_table(
        "topic",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["discussion_group.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("group_id", "title"),
    )
    with op.batch_alter_table("topic", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_topic_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_topic_uuid"), ["uuid"], unique=True)

    op.create_table(
        "point",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("heading", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("section_ref", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("note_taker", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("deleted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["group_id"], ["discussion_group.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["parent_id"], ["point.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["topic_id"], ["topic.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("point", schema=None) as batch_op:
        batch_op.create_index("ix_point_event_position", ["event_id", "position"], unique=False)
        batch_op.create_index("ix_point_group_position", ["group_id", "position"], unique=False)
        batch_op.create_index(batch_op.f("ix_point_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index("ix_point_topic_position", ["topic_id", "position"], unique=False)
        batch_op.create_index(
            "ix_point_live",
            ["event_id", "group_id", "topic_id"],
            unique=False,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.create_index(batch_op.f("ix_point_uuid"), ["uuid"], unique=True)

    op.create_table(
        "point_chapter",
        sa.Column("point_id", sa.Integer(), nullable=False),
        sa.Column("chapter_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["chapter_id"], ["chapter.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["point_id"], ["point.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("point_id", "chapter_id"),
    )
    with op.batch_alter_table("point_chapter", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_point_chapter_chapter_id"), ["chapter_id"], unique=False
        )

    op.create_table(
        "point_marker",
        sa.Column("point_id", sa.Integer(), nullable=False),
        sa.Column("marker_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["marker_id"], ["marker.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["point_id"], ["point.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("point_id", "marker_id"),
    )
    with op.batch_alter_table("point_marker", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_point_marker_marker_id"), ["marker_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("point_marker", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_point_marker_marker_id"))

    op.drop_table("point_marker")
    with op.batch_alter_table("point_chapter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_point_chapter_chapter_id"))

    op.drop_table("point_chapter")
    with op.batch_alter_table("point", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_point_uuid"))
        batch_op.drop_index("ix_point_topic_position")
        batch_op.drop_index("ix_point_live")
        batch_op.drop_index(batch_op.f("ix_point_parent_id"))
        batch_op.drop_index("ix_point_group_position")
        batch_op.drop_index("ix_point_event_position")

    op.drop_table("point")
    with op.batch_alter_table("topic", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_topic_uuid"))
        batch_op.drop_index(batch_op.f("ix_topic_group_id"))

    op.drop_table("topic")
    with op.batch_alter_table("discussion_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discussion_group_uuid"))
        batch_op.drop_index(batch_op.f("ix_discussion_group_event_id"))

    op.drop_table("discussion_group")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_uuid"))

    op.drop_table("event")
    with op.batch_alter_table("chapter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chapter_scheme_id"))

    op.drop_table("chapter")
    op.drop_table("ui_state")
    with op.batch_alter_table("scheme", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scheme_code"))

    op.drop_table("scheme")
    with op.batch_alter_table("marker", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_marker_code"))

    op.drop_table("marker")
