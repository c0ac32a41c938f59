"""Reference data from TOML: chapter schemes, markers of good practice, the glossary.

A forum adds its own scheme by dropping `schemes/<code>.toml` into data/ or a folder that
config.toml names; no code changes. Files are checked and a broken one is reported by name
and skipped, so one bad file never stops a note-taker from working.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sendtui.errors import ConfigError, ReferenceDataError
from sendtui.store.db import Db
from sendtui.text import ascii_number

if TYPE_CHECKING:
    from sendtui.store.store import Store


@dataclass(frozen=True)
class ChapterDef:
    code: str
    title: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class SchemeDef:
    code: str
    title: str
    chapters: tuple[ChapterDef, ...]
    source: str = ""
    path: Path | None = None

    def chapter(self, code: str) -> ChapterDef | None:
        return next((c for c in self.chapters if c.code == code), None)


@dataclass(frozen=True)
class MarkerDef:
    code: str
    level: str
    title: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    meaning: str
    aliases: tuple[str, ...] = ()


@dataclass
class ReferenceData:
    """Everything loaded, plus the problems found in files that were skipped."""

    schemes: dict[str, SchemeDef]
    markers: list[MarkerDef]
    problems: list[str]


_CODE = re.compile(r"[a-z0-9][a-z0-9\-_.]*")


def _read(path: Path) -> dict[str, Any]:
    """A scheme, marker or glossary file, read by the same rules as config.toml (no hang on
    a pipe, a BOM accepted, deep nesting or huge numbers one message)."""
    from sendtui.config.toml_file import read_toml

    try:
        return read_toml(path)[0]
    except ConfigError as exc:
        message = exc.message.replace("no such config file", "no such file")
        raise ReferenceDataError(message) from None


def _text(data: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ReferenceDataError(f"{where}: '{key}' must be a non-empty string")
    return value.strip()


def _keywords(data: dict[str, Any], where: str) -> tuple[str, ...]:
    value = data.get("keywords", [])
    if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
        raise ReferenceDataError(f"{where}: 'keywords' must be a list of strings")
    return tuple(dict.fromkeys(k.strip().lower() for k in value if k.strip()))


def load_scheme(path: Path) -> SchemeDef:
    """One scheme file; raises ReferenceDataError naming the file and the fault."""
    data = _read(path)
    code = _text(data, "code", str(path))
    if code != path.stem:
        raise ReferenceDataError(f"{path}: code '{code}' must match the file name '{path.stem}'")
    if not _CODE.fullmatch(code):
        raise ReferenceDataError(f"{path}: code '{code}' may use only a-z, 0-9, - _ .")
    raw = data.get("chapters")
    if not isinstance(raw, list) or not raw:
        raise ReferenceDataError(f"{path}: needs at least one [[chapters]] table")
    chapters: list[ChapterDef] = []
    for number, item in enumerate(raw, start=1):
        where = f"{path}: chapter {number}"
        if not isinstance(item, dict):
            raise ReferenceDataError(f"{where}: must be a table with code and title")
        chapter_code = item.get("code")
        if not isinstance(chapter_code, str) or ascii_number(chapter_code, 6) is None:
            raise ReferenceDataError(f"{where}: 'code' must be digits in quotes, such as \"4\"")
        chapter_code = chapter_code.lstrip("0") or "0"
        if any(c.code == chapter_code for c in chapters):
            raise ReferenceDataError(f"{where}: code {chapter_code} is used twice")
        chapters.append(
            ChapterDef(chapter_code, _text(item, "title", where), _keywords(item, where))
        )
    if chapters[0].code != "0":
        chapters.insert(0, ChapterDef("0", "General"))  # every scheme has a "0 General"
    return SchemeDef(
        code=code,
        title=_text(data, "title", str(path)),
        source=_text(data, "source", str(path), required=False),
        chapters=tuple(chapters),
        path=path,
    )


def load_schemes(folders: Iterable[Path]) -> tuple[dict[str, SchemeDef], list[str]]:
    """All `schemes/*.toml` in `folders` (later folders override earlier ones by code)."""
    schemes: dict[str, SchemeDef] = {}
    problems: list[str] = []
    for folder in folders:
        for path in sorted((folder / "schemes").glob("*.toml")):
            try:
                scheme = load_scheme(path)
            except ReferenceDataError as exc:
                problems.append(exc.message)
                continue
            schemes[scheme.code] = scheme
    return schemes, problems


def load_markers(folder: Path) -> list[MarkerDef]:
    path = folder / "markers.toml"
    data = _read(path)
    markers: list[MarkerDef] = []
    for number, item in enumerate(data.get("markers", []), start=1):
        where = f"{path}: marker {number}"
        code = _text(item, "code", where).upper()
        if not re.fullmatch(r"[A-Z]\d+", code):
            raise ReferenceDataError(f"{where}: code '{code}' must be a letter and a number")
        level = _text(item, "level", where)
        if level not in ("minimum", "development"):
            raise ReferenceDataError(f"{where}: level must be 'minimum' or 'development'")
        markers.append(MarkerDef(code, level, _text(item, "title", where), _keywords(item, where)))
    return markers


def load_glossary(folder: Path) -> list[GlossaryTerm]:
    path = folder / "glossary.toml"
    if not path.exists():
        return []
    data = _read(path)
    terms = []
    for number, item in enumerate(data.get("terms", []), start=1):
        where = f"{path}: term {number}"
        aliases = item.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ReferenceDataError(f"{where}: 'aliases' must be a list of strings")
        terms.append(
            GlossaryTerm(_text(item, "term", where), _text(item, "meaning", where), tuple(aliases))
        )
    return terms


def load_reference(builtin: Path, extra: Iterable[Path] = ()) -> ReferenceData:
    """Schemes from the built-in folder then the forum's own; markers from the built-in one."""
    schemes, problems = load_schemes([builtin, *extra])
    try:
        markers = load_markers(builtin)
    except ReferenceDataError as exc:
        problems.append(exc.message)
        markers = []
    return ReferenceData(schemes, markers, problems)


# The store_meta row holding the fingerprint of the reference files last synced into it.
FINGERPRINT_KEY = "reference_fingerprint"
_FILE_LIMIT = 1024 * 1024  # read_toml refuses bigger files; hashing stops there too


def fingerprint(builtin: Path, extra: Iterable[Path] = ()) -> str:
    """A hash of every file `load_reference` reads, in its order, and of this module (whose
    rules turn them into rows): the same fingerprint, the same reference data. Reading a
    few small files costs far less than parsing their TOML on every start."""
    digest = hashlib.sha256(_bytes(Path(__file__)))
    for folder in [builtin, *extra]:
        digest.update(b"\0folder\0" + str(folder).encode("utf-8", "surrogateescape"))
        for path in sorted((folder / "schemes").glob("*.toml")):
            digest.update(b"\0file\0" + path.name.encode("utf-8", "surrogateescape") + b"\0")
            digest.update(_bytes(path))
    digest.update(b"\0markers\0" + _bytes(builtin / "markers.toml"))
    return digest.hexdigest()


def _bytes(path: Path) -> bytes:
    """A file's bytes; for anything read_toml would refuse (a pipe, a device, a huge or
    unreadable file) a stand-in, so the fingerprint never hangs and such a file is parsed
    (and reported) as before."""
    try:
        if path.is_file() and path.stat().st_size <= _FILE_LIMIT:
            return b"\1" + path.read_bytes()
    except OSError:
        pass
    return b"\2not read"


def sync_if_changed(
    store: Store, builtin: Path, extra: Iterable[Path] = ()
) -> ReferenceData | None:
    """Load and sync the reference files unless the store says it last synced these very
    files (its fingerprint); then remember them. None when nothing needed loading."""
    folders = list(extra)
    found = fingerprint(builtin, folders)
    row = store.reader.execute(
        "SELECT value FROM store_meta WHERE key = ?", (FINGERPRINT_KEY,)
    ).fetchone()
    if row is not None and row[0] == found:
        return None
    reference = load_reference(builtin, folders)
    sync_reference(store, reference)
    if not store.read_only:
        with store.write_raw() as conn:
            conn.execute(
                "INSERT INTO store_meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (FINGERPRINT_KEY, found),
            )
    return reference


def sync_reference(store: Store, reference: ReferenceData) -> bool:
    """Insert or update schemes, chapters and markers from the files; True if anything was
    written. Chapters and markers that disappeared from a file are kept, because points may
    be tagged with them. A store already in step is only read (so a read-only store opens),
    on the plain driver (so no ORM is loaded)."""
    schemes, chapters, markers = _wanted(reference)
    if _in_step(store.reader, schemes, chapters, markers) or store.read_only:
        return False
    with store.write_raw() as conn:
        conn.executemany(
            "INSERT INTO scheme (code, title, source) VALUES (?, ?, ?) ON CONFLICT (code) "
            "DO UPDATE SET title = excluded.title, source = excluded.source",
            [(code, *values) for code, values in schemes.items()],
        )
        ids = dict(conn.execute("SELECT code, id FROM scheme").fetchall())
        conn.executemany(
            "INSERT INTO chapter (scheme_id, code, title, keywords, position) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (scheme_id, code) DO UPDATE SET "
            "title = excluded.title, keywords = excluded.keywords, position = excluded.position",
            [(ids[scheme], code, *values) for (scheme, code), values in chapters.items()],
        )
        conn.executemany(
            "INSERT INTO marker (code, level, title, keywords, position) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (code) DO UPDATE SET level = excluded.level, title = excluded.title, "
            "keywords = excluded.keywords, position = excluded.position",
            [(code, *values) for code, values in markers.items()],
        )
    return True


def _wanted(reference: ReferenceData) -> tuple[dict, dict, dict]:
    schemes = {d.code: (d.title, d.source) for d in reference.schemes.values()}
    chapters = {
        (d.code, c.code): (c.title, "\n".join(c.keywords), order)
        for d in reference.schemes.values()
        for order, c in enumerate(d.chapters)
    }
    markers = {
        m.code: (m.level, m.title, "\n".join(m.keywords), order)
        for order, m in enumerate(reference.markers)
    }
    return schemes, chapters, markers


def _in_step(conn: Db, schemes: dict, chapters: dict, markers: dict) -> bool:
    """Whether the store already holds exactly these values (other rows may exist)."""
    have_schemes = {
        r[0]: (r[1], r[2]) for r in conn.execute("SELECT code, title, source FROM scheme")
    }
    if any(have_schemes.get(code) != values for code, values in schemes.items()):
        return False
    have_chapters = {
        (r[0], r[1]): (r[2], r[3], r[4])
        for r in conn.execute(
            "SELECT s.code, c.code, c.title, c.keywords, c.position "
            "FROM chapter c JOIN scheme s ON s.id = c.scheme_id"
        )
    }
    if any(have_chapters.get(key) != values for key, values in chapters.items()):
        return False
    have_markers = {
        r[0]: (r[1], r[2], r[3], r[4])
        for r in conn.execute("SELECT code, level, title, keywords, position FROM marker")
    }
    return all(have_markers.get(code) == values for code, values in markers.items())
