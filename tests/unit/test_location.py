"""Where the store is: file paths refused with one clear message each, PostgreSQL locations
in every libpq form, and a password that is never shown."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendtui.errors import StoreError
from sendtui.store.location import hide_password, parse_location
from sendtui.store.store import Store


@pytest.mark.parametrize("as_text", [False, True])
def test_a_file_path_as_path_or_text(tmp_path: Path, as_text: bool) -> None:
    target = tmp_path / "s.db"
    found = parse_location(str(target) if as_text else target)
    assert found.path == target and found.conninfo is None and found.dialect == "sqlite"


def _refused(value: Path | str, fragment: str) -> str:
    with pytest.raises(StoreError) as caught:
        Store(value)
    assert fragment in caught.value.message
    return caught.value.message


def test_bad_paths_each_get_one_clear_message(tmp_path: Path) -> None:
    _refused(tmp_path, "is a folder")
    _refused("", "No database was given")
    _refused("   ", "No database was given")
    _refused(tmp_path / "missing" / "s.db", "does not exist; create it first")
    (tmp_path / "plain").write_text("x")
    _refused(tmp_path / "plain" / "s.db", "is a file, not a folder")
    _refused(tmp_path / "plain" / "deeper" / "s.db", "is a file, not a folder")
    _refused(str(tmp_path / ("x" * 300)), "too long")
    _refused(str(tmp_path / ("a/" * 2100)) + "s.db", "too long")
    _refused(f"{tmp_path}/s\x00.db", "NUL")
    _refused("~no_such_user_sendtui/s.db", "no such user")
    assert not list(tmp_path.glob("*.db"))


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    _refused(fifo, "not a regular file")


@pytest.mark.parametrize(
    ("text", "host", "port", "dbname"),
    [
        ("postgresql://user@db.example.org/sendtui", "db.example.org", "", "sendtui"),
        ("postgres://user@db.example.org:6543/forum", "db.example.org", "6543", "forum"),
        ("postgresql://postgres@/sendtui?host=/run/sock&port=5433", "/run/sock", "5433", "sendtui"),
        ("host=/run/sock port=5433 dbname=sendtui user=postgres", "/run/sock", "5433", "sendtui"),
        ("postgresql://u@h/db?sslmode=verify-full&sslrootcert=/etc/ca.pem", "h", "", "db"),
    ],
)
def test_postgres_locations_in_every_libpq_form(
    text: str, host: str, port: str, dbname: str
) -> None:
    found = parse_location(text)
    assert found.dialect == "postgresql" and found.path is None
    assert (found.host, found.port, found.dbname) == (host, port, dbname)
    assert found.conninfo == text  # TLS and other options pass through to libpq unchanged


@pytest.mark.parametrize(
    "text",
    [
        "postgresql://ann:s3cr%t@host:99999/db",
        "postgresql://ann:s3cr%t@host:port/db",
        "host=h password=s3cr%t bogus",
        "postgresql://ann@host/db?password=s3cr%t&port=abc",
    ],
)
def test_malformed_locations_never_echo_the_password(text: str) -> None:
    with pytest.raises(StoreError) as caught:
        Store(text)
    assert "s3cr" not in caught.value.message
    assert "not valid" in caught.value.message


def test_unreachable_server_names_host_and_port_not_the_password() -> None:
    with pytest.raises(StoreError) as caught:
        Store("postgresql://ann:s3cret@127.0.0.1:9/sendtui?connect_timeout=3")
    message = caught.value.message
    assert "127.0.0.1 port 9" in message and "Cannot reach" in message
    assert "s3cret" not in message


def test_refused_login_never_echoes_the_password(pg_location: str) -> None:
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    settings = conninfo_to_dict(pg_location)
    wrong = make_conninfo(pg_location, user="no_such_role_sendtui", password="s3cret-pw")
    with pytest.raises(StoreError) as caught:
        Store(wrong)
    message = caught.value.message
    assert "refused the login" in message and "s3cret-pw" not in message
    assert str(settings.get("port", "")) in message


def test_a_database_that_does_not_exist_is_named(pg_location: str) -> None:
    from psycopg.conninfo import make_conninfo

    with pytest.raises(StoreError, match="no database “sendtui_absent_db”"):
        Store(make_conninfo(pg_location, dbname="sendtui_absent_db"))


_secret = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=0x2FF, exclude_characters="'\\"),
    min_size=4,
    max_size=30,
)


@given(_secret)
def test_hide_password_hides_any_password(password: str) -> None:
    url = f"postgresql://ann:{quote(password, safe='')}@host/db"
    shown = hide_password(url)
    assert quote(password, safe="") not in shown
    kv = f"host=h password='{password}' dbname=d"
    assert password not in hide_password(kv)
