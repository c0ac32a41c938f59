"""PostgreSQL errors in words (no server needed): only a failed connection reads as "cannot
reach the server"; a value the driver refuses is a plain message."""

from __future__ import annotations

import pytest

from sendtui.errors import StoreError, UnreachableError
from sendtui.store.connection import pg_error
from sendtui.store.location import parse_location

psycopg = pytest.importorskip("psycopg")
LOCATION = parse_location("postgresql://forum:s3cret@db.example.org:5432/sendtui")


def test_a_nul_in_text_is_not_an_unreachable_server() -> None:
    exc = psycopg.DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
    error = pg_error(exc, LOCATION)
    assert not isinstance(error, UnreachableError)
    assert isinstance(error, StoreError) and "NUL character" in error.message


@pytest.mark.parametrize("kind", ["DataError", "ProgrammingError", "NotSupportedError"])
def test_a_refused_value_without_sqlstate_is_a_database_error(kind: str) -> None:
    error = pg_error(getattr(psycopg, kind)("something the driver refused"), LOCATION)
    assert not isinstance(error, UnreachableError)
    assert "database error" in error.message and "s3cret" not in error.message


def test_a_failed_connection_is_unreachable_and_hides_the_password() -> None:
    exc = psycopg.OperationalError("server at db.example.org (s3cret) timeout expired")
    error = pg_error(exc, LOCATION)
    assert isinstance(error, UnreachableError)
    assert "db.example.org" in error.message and "s3cret" not in error.message
