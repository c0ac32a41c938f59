"""The point tally: counts of live points that the store's triggers keep (see
sendtui.store.tally), so a report reads a few rows rather than every point."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class PointTally(SQLModel, table=True):
    """How many live points of an event, kind and private flag fall in a `dim` ("point",
    "chapter", "chapter_any", "chapter_multi", the same for "marker") and `key` (a chapter
    or marker id; 0 for the others). No foreign keys: a deleted event's rows are
    brought to 0 by the triggers as its points go, in whatever order the cascade runs."""

    __tablename__ = "point_tally"
    # One b-tree on SQLite (no rowid beside the key): each trigger's upsert touches one.
    __table_args__ = {"sqlite_with_rowid": False}

    event_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    dim: str = Field(primary_key=True)
    key: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    kind: str = Field(primary_key=True)
    private: bool = Field(primary_key=True)
    n: int = 0


class TallyPause(SQLModel, table=True):
    """A row here turns the tally's triggers off: only inside a bulk write's own
    transaction, which recounts the events it wrote before it commits (see
    sendtui.store.tally.paused), so no committed store ever holds one."""

    __tablename__ = "tally_pause"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
