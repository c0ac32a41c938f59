"""A consultation event, its discussion groups and their topics."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event as sa_event
from sqlmodel import Field, Index, SQLModel

from sendtui.models.base import new_uuid, utcnow
from sendtui.text import name_key


class Event(SQLModel, table=True):
    """A consultation event: a title, a date, a venue and the chapter scheme its points use.

    `title_key` is `name_key(title)`, kept by the ORM hooks below: one event per title and
    date, however the title's case or spacing differs."""

    __table_args__ = (Index("ix_event_title_key_date", "title_key", "date", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, unique=True, index=True, max_length=36)
    title: str
    title_key: str = ""
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
    __table_args__ = (
        Index("ix_discussion_group_event_name_key", "event_id", "name_key", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, unique=True, index=True, max_length=36)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", index=True)
    name: str
    name_key: str = ""
    facilitator: str = ""
    note_taker: str = ""
    position: int = 0


class Topic(SQLModel, table=True):
    """A question, exercise or theme a group works through ("Q. Parental support", "Exercise 1")."""

    __table_args__ = (Index("ix_topic_group_title_key", "group_id", "title_key", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, unique=True, index=True, max_length=36)
    group_id: int = Field(foreign_key="discussion_group.id", ondelete="CASCADE", index=True)
    title: str
    title_key: str = ""
    position: int = 0


# The key columns follow their names on every ORM insert and update, so no service can
# forget them; raw SQL writers pass `name_key(...)` themselves.
def _keep_keys(source: str, key: str):
    def hook(_mapper, _connection, target) -> None:
        setattr(target, key, name_key(getattr(target, source) or ""))

    return hook


for _model, _source, _key in (
    (Event, "title", "title_key"),
    (Group, "name", "name_key"),
    (Topic, "title", "title_key"),
):
    sa_event.listen(_model, "before_insert", _keep_keys(_source, _key))
    sa_event.listen(_model, "before_update", _keep_keys(_source, _key))
