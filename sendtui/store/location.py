"""Where the store is: a SQLite file, or a PostgreSQL database in any form libpq accepts.

`parse_location()` takes what `--db`, `SENDTUI_DB` or `store.database` gave (a `Path` or a
string) and returns a `Location`, refusing with one clear `StoreError` a location that can
never work. A PostgreSQL location is kept as libpq settings (URL or `key=value` forms, TLS
options passed through; a password from the URL or ~/.pgpass); `display` is the same with any
password replaced by `***`, and is the only form a message may show.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from sendtui.errors import StoreError
from sendtui.text import ascii_number, printable

PATH_MAX = 4096
NAME_MAX = 255


@dataclass(frozen=True)
class Location:
    """A parsed store location. Exactly one of `path` and `conninfo` is set."""

    path: Path | None = None
    conninfo: str | None = None
    display: str = ""
    host: str = ""
    port: str = ""
    dbname: str = ""

    @property
    def dialect(self) -> str:
        return "sqlite" if self.path is not None else "postgresql"

    @property
    def where(self) -> str:
        """The server as a message names it: host (or socket folder) and port."""
        host = self.host or "the local socket"
        return f"{host} port {self.port or '5432'}"


def is_postgres(value: Path | str) -> bool:
    """A PostgreSQL URL or libpq key=value settings (config.toml's rule), not a file path."""
    if isinstance(value, Path):
        return False
    from sendtui.config import is_postgres_location

    return is_postgres_location(value)


def parse_location(value: Path | str) -> Location:
    if is_postgres(value):
        return _postgres(str(value).strip())
    return Location(path=_file(value), display=printable(str(value)))


def _file(value: Path | str) -> Path:
    text = str(value)
    shown = printable(text)
    if not text.strip():
        raise StoreError("No database was given: name a file (--db PATH) or a PostgreSQL URL.")
    if "\x00" in text:
        raise StoreError(f"The database path {shown} contains a NUL character.")
    encoded = os.fsencode(text)
    if len(encoded) >= PATH_MAX or any(len(part) > NAME_MAX for part in encoded.split(b"/")):
        raise StoreError(f"The database path {shown[:80]}… is too long for this system.")
    try:
        path = Path(text).expanduser()
    except RuntimeError:  # ~someone who does not exist
        user = shown.split("/", 1)[0]
        raise StoreError(
            f"{user}: no such user, so the database {shown} cannot be found."
        ) from None
    if path.is_dir():
        raise StoreError(f"{shown} is a folder; name a database file inside it.")
    if path.exists() and not path.is_file():
        raise StoreError(f"{shown} is not a regular file (a device or pipe?); name a file.")
    folder = path.parent
    if not folder.exists():
        for parent in folder.parents:
            if parent.exists() and not parent.is_dir():
                raise StoreError(f"{printable(str(parent))} is a file, not a folder.")
            if parent.exists():
                break
        raise StoreError(
            f"The folder {printable(str(folder))} does not exist; create it first "
            f"or name a database in another folder."
        )
    if not folder.is_dir():
        raise StoreError(f"{printable(str(folder))} is a file, not a folder.")
    return path


_PASSWORD_KV = re.compile(r"(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S*)", re.IGNORECASE)


def hide_password(text: str, password: str | None = None) -> str:
    """`text` with the password of a PostgreSQL location (and `password`, wherever it is)
    replaced by `***`."""
    if "://" in text:
        scheme, _, rest = text.partition("://")
        auth, at, tail = rest.partition("@")
        if at and ":" in auth:
            text = f"{scheme}://{auth.split(':', 1)[0]}:***@{tail}"
        text = re.sub(r"([?&]password=)[^&#]*", r"\1***", text, flags=re.IGNORECASE)
    text = _PASSWORD_KV.sub(r"\1***", text)
    if password:
        text = text.replace(password, "***")
    return printable(text)


def _password_of(text: str) -> str | None:
    if "://" in text:
        try:
            parts = urlsplit(text)
            found = parts.password
            for key, value in parse_qsl(parts.query):
                if key.lower() == "password":
                    found = value
            return found
        except ValueError:
            rest = text.partition("://")[2].partition("@")
            return rest[0].partition(":")[2] or None if rest[1] else None
    match = _PASSWORD_KV.search(text)
    return match.group(2).strip("'") if match else None


def _postgres(text: str) -> Location:
    password = _password_of(text)
    display = hide_password(text, password)
    try:
        from psycopg.conninfo import conninfo_to_dict
    except ImportError:
        raise StoreError(
            f"{display} is a PostgreSQL database, but its driver is not installed: "
            'pip install "sendtui[postgres]" (psycopg).'
        ) from None
    try:
        settings = conninfo_to_dict(text)
    except Exception as exc:  # psycopg.ProgrammingError; its text may quote the password
        reason = hide_password(str(exc).split("\n", 1)[0], password)
        raise StoreError(f"The PostgreSQL location {display} is not valid: {reason}") from None
    port = str(settings.get("port") or "")
    if port and not 0 < (ascii_number(port, 5) or 0) < 65536:
        raise StoreError(
            f"The PostgreSQL location {display} is not valid: the port must be a number."
        )
    return Location(
        conninfo=text,
        display=display,
        host=printable(str(settings.get("host") or settings.get("hostaddr") or "")),
        port=port,
        dbname=printable(str(settings.get("dbname") or "")),
    )
