"""Small key/value state the app keeps between runs (last event, draft text)."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class UiState(SQLModel, table=True):
    """One remembered value; `value` is JSON text."""

    __tablename__ = "ui_state"

    key: str = Field(primary_key=True, max_length=100)
    value: str = ""


class StoreMeta(SQLModel, table=True):
    """Facts about the store itself. The row `application` = `sendtui` marks a database as
    sendtui's (PostgreSQL has no `PRAGMA application_id`)."""

    __tablename__ = "store_meta"

    key: str = Field(primary_key=True, max_length=100)
    value: str = ""
