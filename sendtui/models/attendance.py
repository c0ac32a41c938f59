"""Who came to an event, who sent apologies, and the actions agreed (for the minutes).

Roles and levels are plain strings in the database (a forum may add its own later); the
values sendtui offers are listed here, in the order forms show them.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel

from sendtui.models.base import new_uuid

# Every record also has `field_times` (when each field last changed, JSON, see
# sendtui.services.record_times) and `deleted_at` (removed: a marker a dump carries to other
# laptops, not a DELETE; every read leaves such records out).

ROLES = (
    "parent carer",
    "council",
    "health",
    "school",
    "voluntary sector",
    "other",
)

# How far the forum was involved: the ladder of participation used in co-production guidance.
LEVELS = ("information", "consultation", "participation", "co-production")


class Attendee(SQLModel, table=True):
    """One person (or a number of people, `count`) at an event."""

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, unique=True, index=True, max_length=36)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", index=True)
    name: str = ""
    organisation: str = ""
    role: str = "parent carer"  # one of ROLES
    level: str = "consultation"  # one of LEVELS
    count: int = 1
    position: int = 0
    field_times: str = Field(default="", sa_column_kwargs={"server_default": ""})
    deleted_at: dt.datetime | None = None


class Apology(SQLModel, table=True):
    """Someone who sent apologies for an event."""

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, unique=True, index=True, max_length=36)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", index=True)
    name: str
    organisation: str = ""
    position: int = 0
    field_times: str = Field(default="", sa_column_kwargs={"server_default": ""})
    deleted_at: dt.datetime | None = None


class ActionItem(SQLModel, table=True):
    """Something agreed at an event: what, who, by when; optionally from a point."""

    __tablename__ = "action_item"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, unique=True, index=True, max_length=36)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", index=True)
    point_id: int | None = Field(
        default=None, foreign_key="point.id", ondelete="SET NULL", index=True
    )
    what: str
    who: str = ""
    due: dt.date | None = None
    done: bool = False
    position: int = 0
    field_times: str = Field(default="", sa_column_kwargs={"server_default": ""})
    deleted_at: dt.datetime | None = None
