"""Alembic environment: runs on the connection sendtui hands it (no alembic.ini needed)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from sendtui.models import load_all

load_all()

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
