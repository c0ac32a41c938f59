"""config.toml: validated at start, with errors that name the file, line and key.

Each section is a pydantic model; every field's docstring is its documentation (README lists
them). Unknown keys are errors, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sendtui.config.claims import ClaimsSection
from sendtui.errors import ConfigError
from sendtui.models.kinds import Kind

_STRICT = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)


class ForumSection(BaseModel):
    model_config = _STRICT

    name: str = "Parent Carer Forum"
    """The forum's name, printed at the top of minutes and claim forms."""


class StoreSection(BaseModel):
    model_config = _STRICT

    database: Path = Path("data/sendtui.db")
    """The SQLite file that holds events, points and claims. A relative path is taken from the
    folder config.toml is in. Created private (mode 0600) if it does not exist."""

    busy_timeout_ms: int = Field(default=5000, ge=0, le=600_000)
    """How long to wait, in milliseconds, when another sendtui is writing to the same file
    before saying the database is busy."""


class ReferenceSection(BaseModel):
    model_config = _STRICT

    folders: list[Path] = []
    """Extra folders searched for a forum's own `schemes/*.toml` chapter schemes, after the
    built-in data/ folder. A relative path is taken from config.toml's folder."""


class KindMarks(BaseModel):
    model_config = _STRICT

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

    @model_validator(mode="after")
    def _distinct(self) -> KindMarks:
        marks = self.as_dict()
        for kind, mark in marks.items():
            if not mark or any(ch.isspace() for ch in mark):
                raise ValueError(f"the mark for {kind} must be one or more characters, no spaces")
            if mark[0] in "#@\\":
                raise ValueError(f"the mark for {kind} cannot start with # @ or \\ (used by tags)")
        if len(set(marks.values())) != len(marks):
            raise ValueError("each kind needs a different mark")
        return self

    def as_dict(self) -> dict[Kind, str]:
        return {
            Kind.QUESTION: self.question,
            Kind.POSITIVE: self.positive,
            Kind.NEGATIVE: self.negative,
            Kind.CONCERN: self.concern,
            Kind.SOLUTION: self.solution,
        }


class KindWords(BaseModel):
    model_config = _STRICT

    question: list[str] = ["Questions", "Question", "Queries", "Query"]
    """A notes heading starting with one of these makes its points questions."""
    positive: list[str] = ["Positives", "Positive", "Strengths", "What works"]
    """A notes heading starting with one of these makes its points positives."""
    negative: list[str] = ["Negatives", "Negative"]
    """A notes heading starting with one of these makes its points negatives."""
    concern: list[str] = ["Concerns", "Concern", "Worries"]
    """A notes heading starting with one of these makes its points concerns."""
    solution: list[str] = ["Solutions", "Solution"]
    """A notes heading starting with one of these makes its points solutions."""

    def as_dict(self) -> dict[Kind, list[str]]:
        return {
            Kind.QUESTION: self.question,
            Kind.POSITIVE: self.positive,
            Kind.NEGATIVE: self.negative,
            Kind.CONCERN: self.concern,
            Kind.SOLUTION: self.solution,
        }


class CaptureSection(BaseModel):
    model_config = _STRICT

    default_scheme: str = "cop-2015"
    """The chapter scheme a new event uses unless another is chosen (a scheme code, such as
    indicative-2013-03, draft-2013-10 or cop-2015)."""

    note_taker: str = ""
    """Your name, recorded on each point you capture. Blank: the group's note-taker."""

    kind_marks: KindMarks = KindMarks()
    """The marks that set a point's kind at the start of the capture line."""

    kind_words: KindWords = KindWords()
    """Heading words in imported notes that set the kind of the points under them."""


class UiSection(BaseModel):
    model_config = _STRICT

    theme: str = "textual-dark"
    """The colour theme (any Textual theme name, e.g. textual-dark, textual-light, nord)."""


class Config(BaseModel):
    """The whole of config.toml."""

    model_config = _STRICT

    forum: ForumSection = ForumSection()
    """About the forum."""
    store: StoreSection = StoreSection()
    """Where data is kept."""
    reference: ReferenceSection = ReferenceSection()
    """Where extra chapter schemes are found."""
    capture: CaptureSection = CaptureSection()
    """How points are captured."""
    ui: UiSection = UiSection()
    """How the app looks."""
    claims: ClaimsSection = ClaimsSection()
    """The treasurer's rates, limits and rules for expenses and remuneration."""
    keys: dict[str, str] = {}
    """Key remapping: binding id = "keys", e.g. "capture.undo" = "ctrl+z,f9". The help screen
    (F1) lists every binding id."""

    base_dir: Path = Field(default=Path("."), exclude=True)
    """The folder relative paths are taken from (not set in the file)."""
    source: Path | None = Field(default=None, exclude=True)
    """The file this was read from, if any (not set in the file)."""

    @field_validator("keys")
    @classmethod
    def _keys_well_formed(cls, value: dict[str, str]) -> dict[str, str]:
        for binding_id, keys in value.items():
            if not re.fullmatch(r"[a-z_]+\.[a-z_.]+", binding_id):
                raise ValueError(f"{binding_id!r} is not a binding id such as 'capture.undo'")
            if not keys.strip():
                raise ValueError(f"no keys given for {binding_id!r}")
        return value

    def resolve(self, path: Path) -> Path:
        """A path from the file, made absolute against config.toml's folder."""
        path = path.expanduser()
        return path if path.is_absolute() else (self.base_dir / path).resolve()

    @property
    def database_path(self) -> Path:
        return self.resolve(self.store.database)

    @property
    def reference_folders(self) -> list[Path]:
        return [self.resolve(p) for p in self.reference.folders]


def load_config(path: Path | None, *, database: Path | None = None) -> Config:
    """Read and validate config.toml (or defaults when `path` is None).

    `database` (from --db) overrides the file's store.database.
    """
    data: dict[str, Any] = {}
    text = ""
    base = Path.cwd()
    if path is not None:
        path = path.expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError(f"{path}: no such config file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot be read ({_reason(exc)})") from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
        base = path.resolve().parent
    try:
        config = Config.model_validate({**data, "base_dir": base, "source": path})
    except ValidationError as exc:
        raise ConfigError(_describe(exc, path, text)) from None
    if database is not None:
        store = config.store.model_copy(update={"database": database.expanduser().absolute()})
        config = config.model_copy(update={"store": store})
    return config


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or exc.__class__.__name__


def _describe(exc: ValidationError, path: Path | None, text: str) -> str:
    where = str(path) if path else "configuration"
    lines = []
    for error in exc.errors():
        loc = tuple(str(part) for part in error["loc"])
        key = ".".join(loc) or "(top level)"
        line = find_key_line(text, loc)
        at = f"{where}, line {line}" if line else where
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown key (check the spelling; see README for the keys)"
        lines.append(f"{at}: {key}: {message}")
    return "\n".join(lines)


_TABLE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.\-" ]+?)\s*=""")


def find_key_line(text: str, loc: tuple[str, ...]) -> int | None:
    """The 1-based line where the key at `loc` (or its closest enclosing table) is set."""
    best: tuple[int, int] | None = None  # (matched depth, line)
    table: tuple[str, ...] = ()
    for number, raw in enumerate(text.splitlines(), start=1):
        if m := _TABLE.match(raw):
            table = _split_key(m.group(1))
            path = table
        elif m := _KEY.match(raw):
            path = table + _split_key(m.group(1))
        else:
            continue
        depth = _common(path, loc)
        if depth == len(path) and (best is None or depth > best[0]):
            best = (depth, number)
    return best[1] if best and best[0] > 0 else None


def _split_key(key: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in key.split("."))


def _common(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
