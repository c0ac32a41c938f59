"""Reference data loaded from data/*.toml: chapter schemes, chapters and markers."""

from __future__ import annotations

from sqlmodel import Field, SQLModel, UniqueConstraint


class Scheme(SQLModel, table=True):
    """A chapter scheme: the sections of one edition of the Code of Practice (or a local one)."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=80)
    title: str
    source: str = ""


class Chapter(SQLModel, table=True):
    """One chapter of a scheme; code "0" is always "General"."""

    __table_args__ = (UniqueConstraint("scheme_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    scheme_id: int = Field(foreign_key="scheme.id", ondelete="CASCADE", index=True)
    code: str = Field(max_length=10)
    title: str
    keywords: str = ""  # newline-separated lower-case phrases, for suggestions
    position: int = 0


class Marker(SQLModel, table=True):
    """An NNPCF marker of good practice (M1–M7 minimum, D1–D5 in development)."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=10)
    level: str = "minimum"
    title: str
    keywords: str = ""
    position: int = 0
