"""Importing a file into the store: notes (Markdown or Word) or another laptop's JSON dump.

`import_file` is the one entry point the CLI and the app call; it decides by the file what
it is. Importing notes is all or nothing and adds no duplicates (each point's UUID comes
from where it sits: see `sendtui.services.import_write`).

Finding the event (by `name_key` of the title, and the date) and creating it happen in the
same write transaction as its groups, topics and points: two imports of one file at once make
one event, and a crash leaves neither points nor an empty event.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sendtui.errors import InputError, NotesError, NotFoundError
from sendtui.models.base import new_uuid, sql_time, utcnow
from sendtui.models.kinds import Kind
from sendtui.services.event_lookup import find_event
from sendtui.services.import_write import write_points
from sendtui.services.names import clean_name
from sendtui.services.notes import NotesDocument, parse_notes
from sendtui.services.reference import ReferenceData
from sendtui.services.syntax import CaptureSyntax
from sendtui.store.db import Db
from sendtui.store.store import Store
from sendtui.text import name_key, printable

if TYPE_CHECKING:
    from sendtui.services.merge import MergeResult

MAX_FILE_BYTES = 50 * 1024 * 1024
NO_EVENT = "no event: start the file with '# Event title' or use --event"


@dataclass(frozen=True)
class ImportResult:
    event_id: int
    event_title: str
    created_event: bool
    new_points: int
    existing_points: int

    def summary(self) -> str:
        made = "created" if self.created_event else "into"
        noun = "point" if self.new_points == 1 else "points"
        return (
            f"{self.new_points} new {noun} {made} event {self.event_id} "
            f"“{printable(self.event_title)}”; {self.existing_points} already there."
        )


def file_kind(path: Path) -> str:
    """ "docx", "dump" or "notes": by the content (a zip is Word, "{" starts a dump), else by
    the suffix. A path that is not a regular file is not opened here (a FIFO would block);
    the reader for its suffix says what is wrong with it."""
    suffix = path.suffix.lower()
    head = b""
    try:
        if stat.S_ISREG(os.stat(path).st_mode):
            with path.open("rb") as handle:
                head = handle.read(4096)
    except (OSError, ValueError):
        pass
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{"):
        return "dump"
    if suffix == ".json":
        return "dump"
    if suffix == ".docx" and not (head and _is_text(head)):
        return "docx"  # unreadable or binary: the Word reader says what is wrong with it
    return "notes"


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # a character cut at the end of the sample
    return True


def import_file(
    store: Store,
    reference: ReferenceData,
    path: Path,
    *,
    event: str | None = None,
    kind_words: Mapping[Kind, list[str]],
    marks: Mapping[Kind, str] | None = None,
    default_scheme: str = "cop-2015",
    note_taker: str = "",
) -> ImportResult | MergeResult:
    """Import notes (.md, .docx) or merge a JSON dump into the event named by `event` (id or
    title), or the one the file names (created if new). Raises a SendtuiError saying every
    problem; nothing is changed then."""
    kind = file_kind(path)
    if kind == "dump":
        from sendtui.services.merge import merge_file

        return merge_file(store, path, event=event)
    return import_notes(
        store,
        reference,
        path,
        event=event,
        kind_words=kind_words,
        marks=marks,
        default_scheme=default_scheme,
        note_taker=note_taker,
        word=kind == "docx",
    )


def read_notes_file(path: Path) -> str:
    """The file's text, or a NotesError that says why it cannot be read."""
    from sendtui.services.input_files import InputFileError, read_text_file

    try:
        return read_text_file(path, max_bytes=MAX_FILE_BYTES)
    except InputFileError as exc:
        problem = exc.problem
        if "folder" in problem:
            problem = "this is a folder, not a notes file"
        raise NotesError(str(path), [(exc.line, problem)]) from None


def import_notes(
    store: Store,
    reference: ReferenceData,
    path: Path,
    *,
    event: str | None = None,
    kind_words: Mapping[Kind, list[str]],
    marks: Mapping[Kind, str] | None = None,
    default_scheme: str = "cop-2015",
    note_taker: str = "",
    word: bool = False,
) -> ImportResult:
    """Import the notes at `path` (Markdown, or Word with `word`). Raises NotesError listing
    every problem, or InputError when the file's scheme is not its event's."""
    # On the plain driver: importing notes never loads the ORM (whole-process time).
    target = _target(store.reader, event) if event else None
    target_scheme = target.scheme if target else None
    marker_codes = [m.code for m in reference.markers] or [
        code for (code,) in store.reader.execute("SELECT code FROM marker ORDER BY position")
    ]

    def syntax_for(code: str | None) -> CaptureSyntax:
        code = code or target_scheme or default_scheme
        if target_scheme and code != target_scheme:
            raise InputError(f"the file's scheme {code} is not the event's ({target_scheme})")
        scheme = reference.schemes.get(code)
        if scheme is None:
            raise InputError(
                f"unknown chapter scheme '{code}' (known: {', '.join(sorted(reference.schemes))})"
            )
        return CaptureSyntax(
            marks, [c.code for c in scheme.chapters], marker_codes, scheme_name=code
        )

    parse = _parser(path, word, syntax_for, kind_words)
    doc = parse(target_scheme)
    if target is None:
        if doc.title is None:
            parse_problem(path, word, NO_EVENT)
        found = _find_event(store.reader, doc, str(path))
        scheme = doc.scheme or default_scheme
        if found is not None and found.scheme != scheme:
            if doc.scheme:
                raise _scheme_clash(path, doc.scheme, found)
            # The file names no scheme: its tags are the existing event's chapters.
            doc, scheme = parse(found.scheme), found.scheme
    else:
        scheme = target_scheme or default_scheme
    with store.write_raw() as conn:
        if target is not None:
            event_id, event_uuid, title, created = target.id, target.uuid, target.title, False
        else:
            event_id, event_uuid, title, created = _event_for(conn, doc, scheme, path)
        new, existing = write_points(conn, event_id, event_uuid, doc, note_taker)
    return ImportResult(event_id, title, created, new, existing)


def _parser(
    path: Path,
    word: bool,
    syntax_for: Callable[[str | None], CaptureSyntax],
    kind_words: Mapping[Kind, list[str]],
) -> Callable[[str | None], NotesDocument]:
    """Parse the file once read, with a given default scheme (the file may be parsed again
    with the scheme of the event it turns out to belong to)."""
    if word:
        from sendtui.services.docx_notes import parse_word_notes

        def parse_word(default: str | None) -> NotesDocument:
            return parse_word_notes(
                path, syntax_for=syntax_for, kind_words=kind_words, default_scheme=default
            )

        return parse_word
    text = read_notes_file(path)

    def parse_text(default: str | None) -> NotesDocument:
        return parse_notes(
            text, syntax_for=syntax_for, kind_words=kind_words, path=str(path),
            default_scheme=default,
        )  # fmt: skip

    return parse_text


def parse_problem(path: Path, word: bool, message: str) -> None:
    """Raise the file's kind of error for one problem at its start."""
    if word:
        from sendtui.services.docx_notes import WordNotesError, reword

        raise WordNotesError(str(path), [(1, reword(message))])
    raise NotesError(str(path), [(1, message)])


@dataclass(frozen=True)
class _Found:
    id: int
    uuid: str
    title: str
    date: str | None
    scheme: str


def _target(conn: Db, id_or_title: str) -> _Found:
    """The event `--event` names (`event_lookup.find_event`'s rule), with its scheme."""
    found = find_event(conn, id_or_title)
    row = conn.execute(
        "SELECT e.uuid, s.code FROM event e JOIN scheme s ON s.id = e.scheme_id WHERE e.id = ?",
        (found.id,),
    ).fetchone()
    if row is None:  # deleted between the two reads
        raise NotFoundError(f"There is no event {found.id}.")
    date = found.date.isoformat() if found.date else None
    return _Found(found.id, row[0], found.title, date, row[1])


def _find_event(conn: Db, doc: NotesDocument, source: str) -> _Found | None:
    """The event the file's title (and date, if it has one) names: titles compare by
    `name_key`. A file without a date matches an event of that title on any date, if only
    one has it."""
    key = name_key(clean_name(doc.title or "", "event title"))
    sql = (
        "SELECT e.id, e.uuid, e.title, e.date, s.code FROM event e "
        "JOIN scheme s ON s.id = e.scheme_id WHERE e.title_key = ?"
    )
    params: list[Any] = [key]
    if doc.date is not None:
        sql += " AND e.date = ?"
        params.append(doc.date.isoformat())
    rows = conn.execute(sql + " ORDER BY e.id", params).fetchall()
    if len(rows) > 1:
        listing = ", ".join(f"{r[0]} ({r[3] or 'no date'})" for r in rows[:10])
        raise InputError(
            f"{printable(source)}: several events are called “{printable(rows[0][2])}” "
            f"(events {listing}); add a Date: line to the file or use --event. "
            "Nothing was imported."
        )
    if not rows:
        return None
    r = rows[0]
    return _Found(r[0], r[1], r[2], str(r[3]) if r[3] else None, r[4])


def _scheme_clash(path: Path, declared: str, found: _Found) -> InputError:
    when = f" on {found.date}" if found.date else ""
    return InputError(
        f"{printable(str(path))}: the file declares the chapter scheme “{printable(declared)}”, "
        f"but the event it names, {found.id} “{printable(found.title)}”{when}, uses "
        f"“{found.scheme}”: its chapter tags would be wrong. Nothing was imported. Correct "
        "the file's Scheme: line, or give the event another title or date."
    )


def _event_for(conn: Db, doc: NotesDocument, scheme: str, path: Path) -> tuple[int, str, str, bool]:
    """(id, uuid, title, created) of the file's event, created if missing: inside the
    caller's write transaction, so no second import can create it in between."""
    found = _find_event(conn, doc, str(path))
    if found is not None:
        if found.scheme != scheme:  # created with another scheme since the file was parsed
            raise _scheme_clash(path, scheme, found)
        return found.id, found.uuid, found.title, False
    title = clean_name(doc.title or "", "event title")
    row = conn.execute("SELECT id FROM scheme WHERE code = ?", (scheme,)).fetchone()
    if row is None:
        raise InputError(f"There is no chapter scheme '{printable(scheme)}' in this store.")
    now = sql_time(utcnow())
    made = new_uuid()
    event_id = conn.execute(
        "INSERT INTO event (uuid, title, title_key, date, venue, subject, attendance, "
        "scheme_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (made, title, name_key(title), doc.date.isoformat() if doc.date else None,
         doc.venue.strip(), doc.subject.strip(), doc.attendance.strip(), row[0], now, now),
    ).fetchone()[0]  # fmt: skip
    return event_id, made, title, True
