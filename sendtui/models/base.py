"""Helpers shared by the table models."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time, in UTC with its time zone (SQLModel stores times as UTC)."""
    return datetime.now(UTC)


def new_uuid() -> str:
    return str(uuid.uuid4())


def sql_time(moment: datetime) -> str:
    """A time as SQLAlchemy's SQLite DateTime stores it, for writes on the stdlib driver."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")
