"""This laptop's identity for merges, and `sendtui sync FOLDER`.

Each store has a laptop id (a UUID in `store_meta`, made on first use) that its dumps carry,
so a merge can say where a value came from and tell this laptop's own values from others'.
"""

from __future__ import annotations

from sendtui.models.base import new_uuid
from sendtui.store.store import Store

LAPTOP_KEY = "laptop_id"
NOTE_TAKER_KEY = "note_taker"


def _meta(store: Store, key: str) -> str | None:
    row = store.reader.execute("SELECT value FROM store_meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


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
