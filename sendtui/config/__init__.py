"""config.toml: validated at start, with errors that name the file, line and key.

Each table is a `Section` (a strict msgspec Struct, see sendtui/config/base.py); every field's
docstring is its documentation, and README lists them. Unknown keys are errors, so a typo never
silently falls back to a default.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Annotated, Any

import msgspec
from msgspec import Meta, field

from sendtui.config.base import Section, field_docs
from sendtui.config.claims import ClaimsSection
from sendtui.errors import ConfigError
from sendtui.models.kinds import Kind

__all__ = ["Config", "ConfigError", "field_docs", "find_key_line", "load_config"]


class ForumSection(Section):
    name: str = "Parent Carer Forum"
    """The forum's name, printed at the top of minutes and claim forms."""


class StoreSection(Section):
    database: str = "data/sendtui.db"
    """The SQLite file that holds events, points and claims. A relative path is taken from the
    folder config.toml is in. Created private (mode 0600) if it does not exist."""

    busy_timeout_ms: Annotated[int, Meta(ge=0, le=600_000)] = 5000
    """How long to wait, in milliseconds, when another sendtui is writing to the same file
    before saying the database is busy."""


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
        path = Path(path).expanduser()
        return path if path.is_absolute() else (Path(self.base_dir) / path).resolve()

    @property
    def database_path(self) -> Path:
        return self.resolve(self.store.database)

    @property
    def minutes_template(self) -> Path | None:
        return self.resolve(self.minutes.template) if self.minutes.template else None

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
    where = str(path) if path else "configuration"
    for reserved in ("base_dir", "source"):
        if reserved in data:
            line = find_key_line(text, (reserved,))
            at = f"{where}, line {line}" if line else where
            raise ConfigError(f"{at}: {reserved}: unknown key (check the spelling; see README)")
    try:
        config = msgspec.convert(data, Config)
    except msgspec.ValidationError as exc:
        raise ConfigError(_describe(str(exc), where, text)) from None
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
        store = msgspec.structs.replace(
            config.store, database=str(database.expanduser().absolute())
        )
        config = msgspec.structs.replace(config, store=store)
    return config


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or exc.__class__.__name__


_AT = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_UNKNOWN = re.compile(r"Object contains unknown field `(?P<key>[^`]+)`")


def _describe(error: str, where: str, text: str) -> str:
    """msgspec's "Expected `int`, got `str` - at `$.store.busy_timeout_ms`" as
    "config.toml, line 3: store.busy_timeout_ms: expected int, got str"."""
    match = _AT.match(error)
    message, raw_path = (
        (match.group("message"), match.group("path") or "") if match else (error, "")
    )
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
    """A dotted TOML key into its parts; dots inside quotes belong to the part."""
    parts = re.findall(r"""\s*("[^"]*"|'[^']*'|[^."']+)\s*(?:\.|$)""", key)
    return tuple(part.strip().strip("\"'") for part in parts)


def _common(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
