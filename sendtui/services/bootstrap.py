"""Opening a store with its reference data in step: shared by the CLI and the app."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sendtui.config import Config
from sendtui.paths import builtin_data_dir
from sendtui.services.events import sync_reference
from sendtui.services.reference import ReferenceData, load_reference
from sendtui.store.store import Store


@dataclass
class Opened:
    store: Store
    reference: ReferenceData


def open_store(config: Config, db_path: Path | None = None) -> Opened:
    """Open (creating or migrating) the database and sync schemes and markers into it."""
    store = Store(db_path or config.database_path, busy_timeout_ms=config.store.busy_timeout_ms)
    try:
        reference = load_reference(builtin_data_dir(), config.reference_folders)
        sync_reference(store, reference)
    except BaseException:
        store.close()
        raise
    return Opened(store, reference)
