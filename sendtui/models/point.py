"""Points made at an event, and their chapter and marker tags."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text
from sqlmodel import Field, Index, SQLModel

from sendtui.models.base import new_uuid, utcnow
from sendtui.models.kinds import Kind


class Point(SQLModel, table=True):
    """One flipchart point, in the order it was made (`position` is event-wide)."""

    __table_args__ = (
        Index("ix_point_event_position", "event_id", "position"),
        Index("ix_point_group_position", "group_id", "position"),
        Index("ix_point_topic_position", "topic_id", "position"),
        # Live points only: counts per event, group and topic straight from the index.
        Index(
            "ix_point_live",
            "event_id",
            "group_id",
            "topic_id",
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, unique=True, index=True, max_length=36)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE")
    group_id: int = Field(foreign_key="discussion_group.id", ondelete="CASCADE")
    topic_id: int | None = Field(default=None, foreign_key="topic.id", ondelete="RESTRICT")
    parent_id: int | None = Field(
        default=None, foreign_key="point.id", ondelete="SET NULL", index=True
    )
    heading: str = ""
    kind: str = Kind.POINT.value
    text: str
    section_ref: str = ""  # "7.3" from a `#7.3` tag; several are joined with ", "
    position: int = 0
    note_taker: str = ""
    private: bool = False  # said about a named child or school: left out of minutes
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = None  # soft delete, so undo can bring a point back
    # JSON {field: ISO UTC time} of each field's last change (sendtui.services.field_times),
    # what a field-by-field merge compares.
    field_times: str = Field(default="", sa_column_kwargs={"server_default": ""})


class PointChapter(SQLModel, table=True):
    """A point tagged to a chapter of its event's scheme."""

    __tablename__ = "point_chapter"

    point_id: int = Field(foreign_key="point.id", ondelete="CASCADE", primary_key=True)
    chapter_id: int = Field(
        foreign_key="chapter.id", ondelete="RESTRICT", primary_key=True, index=True
    )


class PointMarker(SQLModel, table=True):
    """A point tagged to a marker of good practice."""

    __tablename__ = "point_marker"

    point_id: int = Field(foreign_key="point.id", ondelete="CASCADE", primary_key=True)
    marker_id: int = Field(
        foreign_key="marker.id", ondelete="RESTRICT", primary_key=True, index=True
    )


class PointConflict(SQLModel, table=True):
    """A true merge conflict: the same field changed differently on two laptops. The newer
    value was kept; the other is here (JSON) so one key can restore it."""

    __tablename__ = "point_conflict"

    id: int | None = Field(default=None, primary_key=True)
    point_id: int = Field(foreign_key="point.id", ondelete="CASCADE", index=True)
    field: str  # one of sendtui.services.field_times.FIELDS
    kept_value: str = ""  # JSON
    other_value: str = ""  # JSON
    other_time: str = ""  # the other side's change time, ISO UTC
    source: str = ""  # where the other value came from (laptop, note-taker, file)
    created_at: datetime = Field(default_factory=utcnow)
    resolved_at: datetime | None = None
