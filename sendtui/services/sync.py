"""This laptop's identity for merges, and `sendtui sync FOLDER`.

Each store has a laptop id (a UUID in `store_meta`, made on first use) that its dumps carry,
so a merge can say where a value came from and tell this laptop's own values from others'.

Syncing through a shared folder (a USB stick, a synced cloud folder): every other laptop's
dump found there (`sendtui-<laptop id>-<event uuid>.json`) is merged, field by field, then
this laptop's dump of each event is written there, atomically and readable by its owner only
(dumps name note-takers). A dump is rewritten only when its content changed, so syncing
again changes nothing, here or in the folder.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sendtui.errors import InputError, SendtuiError
from sendtui.models.base import new_uuid
from sendtui.store.store import Store
from sendtui.text import printable

if TYPE_CHECKING:
    from sendtui.services.merge import MergeResult

LAPTOP_KEY = "laptop_id"
NOTE_TAKER_KEY = "note_taker"
DUMP_NAME = re.compile(r"^sendtui-([0-9a-f-]{36})-([0-9a-f-]{36})\.json$")
PRIVATE = 0o600


def _meta(store: Store, key: str) -> str | None:
    row = store.reader.execute("SELECT value FROM store_meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _put_meta(store: Store, key: str, value: str) -> None:
    with store.write_raw() as conn:
        conn.execute(
            "INSERT INTO store_meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


def laptop_id(store: Store) -> str:
    """This store's laptop id, made and saved the first time it is asked for."""
    found = _meta(store, LAPTOP_KEY)
    if found:
        return found
    with store.write_raw() as conn:
        conn.execute(
            "INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            (LAPTOP_KEY, new_uuid()),
        )
    return _meta(store, LAPTOP_KEY) or ""


def store_note_taker(store: Store) -> str:
    """The note-taker recorded for this store by the last sync ("" if none)."""
    return _meta(store, NOTE_TAKER_KEY) or ""


@dataclass
class SyncResult:
    folder: Path
    laptop: str
    merged: list[tuple[Path, MergeResult]] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"Synced with {printable(str(self.folder))} as laptop {self.laptop[:8]}:"]
        for path, result in self.merged:
            lines.append(f"  {printable(path.name)}: {result.summary()}")
        for path, message in self.failed:
            lines.append(f"  {printable(path.name)}: not merged: {message}")
        lines.append(
            f"  {len(self.written)} dump{'s' if len(self.written) != 1 else ''} of this "
            f"laptop written, {len(self.unchanged)} unchanged."
        )
        return "\n".join(lines)


def _comparable(text: str) -> str:
    """A dump's text without its `exported_at` line: two dumps of unchanged notes compare
    equal. (Text, not parsed JSON: parsing a 100,000-point dump twice per event per sync took
    seconds; the writer's output is deterministic, and a newline inside a value is written
    as `\\n`, so the first such line is the top-level key.)"""
    head, found, rest = text.partition('\n  "exported_at": ')
    return head + "\n" + rest.partition("\n")[2] if found else text


def write_private(path: Path, text: str) -> None:
    """Write `path` atomically: a private temporary file beside it, synced, renamed over."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.part")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def sync_folder(store: Store, folder: Path, *, note_taker: str = "") -> SyncResult:
    """Merge every other laptop's dump in `folder`, then write this laptop's dumps there."""
    from sendtui.services.dump_build import dump_event, to_json
    from sendtui.services.merge import merge_file

    folder = folder.expanduser()
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist; create it first"
        raise InputError(f"{printable(str(folder))} {what} (the shared sync folder).")
    me = laptop_id(store)
    if note_taker and note_taker != store_note_taker(store):
        _put_meta(store, NOTE_TAKER_KEY, note_taker)
    result = SyncResult(folder, me)
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        raise InputError(f"{printable(str(folder))} cannot be read ({exc.strerror}).") from None
    for name in names:
        if name.startswith(f".sendtui-{me}-") and name.endswith(".part"):
            (folder / name).unlink(missing_ok=True)  # left by a sync that was killed
        found = DUMP_NAME.match(name)
        if not found or found.group(1) == me:
            continue
        try:
            result.merged.append((folder / name, merge_file(store, folder / name)))
        except SendtuiError as exc:  # one bad or half-copied dump does not stop the others
            result.failed.append((folder / name, exc.message))
    events = [row[0] for row in store.reader.execute("SELECT uuid FROM event ORDER BY id")]
    for uuid in events:
        row = store.reader.execute("SELECT id FROM event WHERE uuid = ?", (uuid,)).fetchone()
        text = to_json(dump_event(store, row[0], note_taker=note_taker or None))
        target = folder / f"sendtui-{me}-{uuid}.json"
        try:
            old = target.read_text(encoding="utf-8") if target.is_file() else None
        except (OSError, UnicodeDecodeError):
            old = None
        if old is not None and _comparable(old) == _comparable(text):
            result.unchanged.append(target)
            continue
        try:
            write_private(target, text)
        except OSError as exc:
            raise InputError(
                f"{printable(str(target))} cannot be written ({exc.strerror}); "
                "what was merged is saved."
            ) from None
        result.written.append(target)
    return result
