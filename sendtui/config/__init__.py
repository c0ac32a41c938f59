"""config.toml: validated at start, with errors that name the file, line and key.

Each table is a `Section` (a strict msgspec Struct, see sendtui/config/base.py); every field's
docstring is its documentation, and README lists them. Unknown keys are errors, so a typo never
silently falls back to a default.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any

import msgspec
from msgspec import Meta, field

from sendtui.config.base import Section, field_docs
from sendtui.config.claims import ClaimsSection
from sendtui.config.toml_file import find_key_line, read_toml
from sendtui.errors import ConfigError
from sendtui.models.kinds import Kind
from sendtui.text import printable

__all__ = [
    "Config",
    "ConfigError",
    "field_docs",
    "find_key_line",
    "hide_password",
    "is_postgres_location",
    "load_config",
]

# libpq's connection keywords: "host=db.example dbname=forum" is a PostgreSQL location.
_LIBPQ_KEYS = frozenset(
    [
        "host",
        "hostaddr",
        "port",
        "dbname",
        "user",
        "password",
        "passfile",
        "service",
        "sslmode",
        "sslrootcert",
        "sslcert",
        "sslkey",
        "connect_timeout",
        "options",
        "application_name",
        "target_session_attrs",
    ]
)
# Longest path the operating system takes (PATH_MAX on Linux); one name is at most 255 bytes.
_PATH_MAX = 4096
_NAME_MAX = 255


def is_postgres_location(location: str) -> bool:
    """True for a PostgreSQL URL (`postgresql://…`, `postgres://…`) or libpq key=value
    settings whose first key is a libpq keyword (`host=… dbname=…`); False for a file path.

    A file really called "dbname=x" can still be named as "./dbname=x"."""
    text = location.strip()
    lower = text[:14].lower()
    if lower.startswith(("postgresql://", "postgres://")):
        return True
    key, equals, _ = text.partition("=")
    return bool(equals) and key.strip().lower() in _LIBPQ_KEYS


class ForumSection(Section):
    name: str = "Parent Carer Forum"
    """The forum's name, printed at the top of minutes and claim forms."""


class StoreSection(Section):
    database: str = "data/sendtui.db"
    """Where events, points and claims are kept: a SQLite file, or a shared PostgreSQL
    database given as a URL (`postgresql://user@host/dbname`) or as libpq settings
    (`host=... dbname=...`). A relative file path is taken from the folder config.toml is in;
    a new file is created private (mode 0600). `--db` and the SENDTUI_DB environment variable
    override it."""

    busy_timeout_ms: Annotated[int, Meta(ge=0, le=600_000)] = 5000
    """How long to wait, in milliseconds, when another sendtui is writing to the same file
    before saying the database is busy."""

    backups_kept: Annotated[int, Meta(ge=0, le=1000)] = 10
    """How many automatic backups of a SQLite store to keep in the `backups/` folder beside
    it (the newest; 0 turns automatic backups off)."""


class ReferenceSection(Section):
    folders: list[str] = field(default_factory=list)
    """Extra folders searched for a forum's own `schemes/*.toml` chapter schemes, after the
    built-in data/ folder. A relative path is taken from config.toml's folder."""


class KindMarks(Section):
    question: str = "?"
    """Typed first, then a space, marks a point as a question."""
    positive: str = "+"
    """Marks a point as a positive."""
    negative: str = "-"
    """Marks a point as a negative."""
    concern: str = "!"
    """Marks a point as a concern."""
    solution: str = ">"
    """Marks a point as a solution."""
    action: str = "*"
    """Marks a point as an action agreed (listed under Actions in the minutes)."""

    def __post_init__(self) -> None:
        marks = self.as_dict()
        for kind, mark in marks.items():
            if not mark or any(ch.isspace() for ch in mark):
                raise ValueError(f"the mark for {kind} must be one or more characters, no spaces")
            if mark[0] in "#@\\":
                raise ValueError(f"the mark for {kind} cannot start with # @ or \\ (used by tags)")
        if len(set(marks.values())) != len(marks):
            raise ValueError("each kind needs a different mark")

    def as_dict(self) -> dict[Kind, str]:
        return {
            Kind.QUESTION: self.question,
            Kind.POSITIVE: self.positive,
            Kind.NEGATIVE: self.negative,
            Kind.CONCERN: self.concern,
            Kind.SOLUTION: self.solution,
            Kind.ACTION: self.action,
        }


class KindWords(Section):
    question: list[str] = field(
        default_factory=lambda: ["Questions", "Question", "Queries", "Query"]
    )
    """A notes heading starting with one of these makes its points questions."""
    positive: list[str] = field(
        default_factory=lambda: ["Positives", "Positive", "Strengths", "What works"]
    )
    """A notes heading starting with one of these makes its points positives."""
    negative: list[str] = field(default_factory=lambda: ["Negatives", "Negative"])
    """A notes heading starting with one of these makes its points negatives."""
    concern: list[str] = field(default_factory=lambda: ["Concerns", "Concern", "Worries"])
    """A notes heading starting with one of these makes its points concerns."""
    solution: list[str] = field(default_factory=lambda: ["Solutions", "Solution"])
    """A notes heading starting with one of these makes its points solutions."""
    action: list[str] = field(default_factory=lambda: ["Actions", "Action", "Next steps"])
    """A notes heading starting with one of these makes its points actions."""

    def as_dict(self) -> dict[Kind, list[str]]:
        return {
            Kind.QUESTION: self.question,
            Kind.POSITIVE: self.positive,
            Kind.NEGATIVE: self.negative,
            Kind.CONCERN: self.concern,
            Kind.SOLUTION: self.solution,
            Kind.ACTION: self.action,
        }


class CaptureSection(Section):
    default_scheme: str = "cop-2015"
    """The chapter scheme a new event uses unless another is chosen (a scheme code, such as
    indicative-2013-03, draft-2013-10 or cop-2015)."""

    note_taker: str = ""
    """Your name, recorded on each point you capture. Blank: the group's note-taker."""

    kind_marks: KindMarks = field(default_factory=KindMarks)
    """The marks that set a point's kind at the start of the capture line."""

    kind_words: KindWords = field(default_factory=KindWords)
    """Heading words in imported notes that set the kind of the points under them."""


class UiSection(Section):
    theme: str = "textual-dark"
    """The colour theme (any Textual theme name, e.g. textual-dark, textual-light, nord)."""


class MinutesSection(Section):
    template: str = ""
    """A Word file (.docx) whose styles, fonts, header and logo the Word minutes start from
    (its body text is dropped). Relative to config.toml's folder; empty: built-in styles."""


class Config(Section):
    """The whole of config.toml."""

    forum: ForumSection = field(default_factory=ForumSection)
    """About the forum."""
    store: StoreSection = field(default_factory=StoreSection)
    """Where data is kept."""
    reference: ReferenceSection = field(default_factory=ReferenceSection)
    """Where extra chapter schemes are found."""
    capture: CaptureSection = field(default_factory=CaptureSection)
    """How points are captured."""
    ui: UiSection = field(default_factory=UiSection)
    """How the app looks."""
    claims: ClaimsSection = field(default_factory=ClaimsSection)
    """The treasurer's rates, limits and rules for expenses and remuneration."""
    minutes: MinutesSection = field(default_factory=MinutesSection)
    """How the minutes look."""
    keys: dict[str, str] = field(default_factory=dict)
    """Key remapping: binding id = "keys", e.g. "capture.undo" = "ctrl+z,f9". The help screen
    (F1) lists every binding id."""

    base_dir: str = "."
    """The folder relative paths are taken from (set by sendtui, not in the file)."""
    source: str = ""
    """The file this was read from, if any (set by sendtui, not in the file)."""

    def resolve(self, path: str | Path) -> Path:
        """A path from the file, made absolute against config.toml's folder."""
        try:
            path = Path(path).expanduser()
            return path if path.is_absolute() else (Path(self.base_dir) / path).resolve()
        except RuntimeError:  # "~someone" unknown (or a symlink loop on Python < 3.13)
            where = printable(self.source or "configuration")
            raise ConfigError(f"{where}: {printable(str(path))}: no such user or folder") from None

    @property
    def database(self) -> Path | str:
        """The store: a PostgreSQL location exactly as written, or the file's absolute path."""
        if is_postgres_location(self.store.database):
            return self.store.database
        return self.resolve(self.store.database)

    @property
    def database_path(self) -> Path:
        """The store's file; a ConfigError if the store is a PostgreSQL database."""
        location = self.database
        if isinstance(location, str):
            raise ConfigError(
                "This needs a SQLite file, but the store is a PostgreSQL database "
                f"({hide_password(location)})."
            )
        return location

    @property
    def minutes_template(self) -> Path | None:
        return self.resolve(self.minutes.template) if self.minutes.template else None

    @property
    def reference_folders(self) -> list[Path]:
        return [self.resolve(p) for p in self.reference.folders]


def load_config(
    path: Path | None, *, database: Path | str | None = None, database_from: str = "--db"
) -> Config:
    """Read and validate config.toml (or defaults when `path` is None).

    `database` (from --db or SENDTUI_DB) overrides the file's store.database: a file path
    (made absolute) or a PostgreSQL location (kept as written); `database_from` names where
    it came from in messages.
    """
    data: dict[str, Any] = {}
    text = ""
    base = Path.cwd()
    if path is not None:
        try:
            path = path.expanduser()
        except RuntimeError:  # ~someone who does not exist
            raise ConfigError(f"{printable(str(path))}: names a user that does not exist") from None
        data, text = read_toml(path)
        base = path.resolve().parent
    where = printable(str(path)) if path else "configuration"
    for reserved in ("base_dir", "source"):
        if reserved in data:
            line = find_key_line(text, (reserved,))
            at = f"{where}, line {line}" if line else where
            raise ConfigError(f"{at}: {reserved}: unknown key (check the spelling; see README)")
    try:
        config = msgspec.convert(data, Config)
    except msgspec.ValidationError as exc:
        raise ConfigError(_describe(str(exc), where, text)) from None
    except (ValueError, OverflowError, RecursionError) as exc:  # a check in __post_init__
        raise ConfigError(f"{where}: {printable(str(exc))}") from None
    for binding_id, keys in config.keys.items():
        problem = None
        if not re.fullmatch(r"[a-z_]+\.[a-z_.0-9]+", binding_id):
            problem = "not a binding id such as 'capture.undo' (F1 lists them)"
        elif not keys.strip():
            problem = "no keys given"
        if problem:
            line = find_key_line(text, ("keys", binding_id))
            at = f"{where}, line {line}" if line else where
            raise ConfigError(f"{at}: keys.{binding_id}: {problem}")
    config = msgspec.structs.replace(config, base_dir=str(base), source=str(path or ""))
    if database is not None:
        location = str(database)
        _check_location(location, database_from)
        if not is_postgres_location(location):
            location = str(_expand(location, database_from).absolute())
        store = msgspec.structs.replace(config.store, database=location)
        config = msgspec.structs.replace(config, store=store)
    else:
        line = find_key_line(text, ("store", "database"))
        at = f"{where}, line {line}: store.database" if line else f"{where}: store.database"
        _check_location(config.store.database, at)
        if not is_postgres_location(config.store.database):
            _expand(config.store.database, at)
    _ = config.reference_folders, config.minutes_template  # an unusable path fails now
    return config


def _expand(location: str, at: str) -> Path:
    """`~` and `~user` expanded; an unknown user is a ConfigError, not a RuntimeError."""
    try:
        return Path(location).expanduser()
    except RuntimeError:
        user = location.split("/", 1)[0]
        raise ConfigError(f"{at}: {user}: no such user, so the path cannot be found") from None


def _check_location(location: str, at: str) -> None:
    """A database location that can never work is refused here, naming where it was set."""
    if not location.strip():
        raise ConfigError(f"{at}: no database given (a file path or a PostgreSQL URL)")
    if "\x00" in location:
        raise ConfigError(f"{at}: the database location contains a NUL character")
    if is_postgres_location(location):
        return
    try:
        encoded = os.fsencode(location)
    except UnicodeEncodeError:  # a lone surrogate that no file name can hold
        raise ConfigError(f"{at}: {printable(location)} is not a valid file name") from None
    if len(encoded) >= _PATH_MAX or any(len(n) > _NAME_MAX for n in encoded.split(b"/")):
        raise ConfigError(f"{at}: the database path is too long for this system")
    path = _expand(location, at)
    if path.is_dir():
        raise ConfigError(f"{at}: {printable(location)} is a folder; name a file inside it")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise ConfigError(f"{at}: {printable(str(parent))} is a file, not a folder")
            break


def hide_password(location: str) -> str:
    """A PostgreSQL location safe to show (in messages, `sendtui config`, logs): a password
    in the URL's user part, a `password=` query parameter or libpq setting becomes ***."""
    if "://" in location:
        scheme, _, rest = location.partition("://")
        auth, at, host = rest.partition("@")
        if at and ":" in auth:
            auth = auth.split(":", 1)[0] + ":***"
        location = f"{scheme}://{auth}{at}{host}"
        return re.sub(r"(?i)([?&]password=)[^&]*", r"\1***", location)
    return re.sub(r"(?i)(\bpassword\s*=\s*)('[^']*'|\S*)", r"\1***", location)


_UNKNOWN = re.compile(r"Object contains unknown field `(?P<key>[^`]+)`")


def _describe(error: str, where: str, text: str) -> str:
    """msgspec's "Expected `int`, got `str` - at `$.store.busy_timeout_ms`" as
    "config.toml, line 3: store.busy_timeout_ms: expected int, got str"."""
    message, marker, raw_path = error.rpartition(" - at `$")
    if marker and raw_path.endswith("`"):
        raw_path = raw_path[:-1]
    else:
        message, raw_path = error, ""
    loc = tuple(part for part in re.split(r"[.\[\]]", raw_path) if part)
    if unknown := _UNKNOWN.match(message):
        loc = (*loc, unknown.group("key"))
        message = "unknown key (check the spelling; see README for the keys)"
    else:
        message = message.replace("`", "")
        message = message[:1].lower() + message[1:]
    key = ".".join(loc) or "(top level)"
    line = find_key_line(text, loc)
    at = f"{where}, line {line}" if line else where
    return f"{at}: {key}: {message}"
