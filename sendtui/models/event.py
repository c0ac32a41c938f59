"""A consultation event, its discussion groups and their topics."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel, UniqueConstraint

from sendtui.models.base import new_uuid, utcnow


class Event(SQLModel, table=True):
    """A consultation event: a title, a date, a venue and the chapter scheme its points use."""

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, unique=True, index=True, max_length=36)
    title: str
    date: dt.date | None = None
    venue: str = ""
    subject: str = ""
    attendance: str = ""
    scheme_id: int = Field(foreign_key="scheme.id", ondelete="RESTRICT")
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)


class Group(SQLModel, table=True):
    """A discussion group at an event ("Green Group"), with its facilitator and note-taker."""

    __tablename__ = "discussion_group"  # "group" is an SQL keyword
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, unique=True, index=True, max_length=36)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", index=True)
    name: str
    facilitator: str = ""
    note_taker: str = ""
    position: int = 0


class Topic(SQLModel, table=True):
    """A question, exercise or theme a group works through ("Q. Parental support", "Exercise 1")."""

    __table_args__ = (UniqueConstraint("group_id", "title"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, unique=True, index=True, max_length=36)
    group_id: int = Field(foreign_key="discussion_group.id", ondelete="CASCADE", index=True)
    title: str
    position: int = 0
