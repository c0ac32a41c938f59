"""Opening a store with its reference data in step: shared by the CLI and the app.

No ORM on this path: an up-to-date store is opened, checked and its reference data compared
on the plain driver, so `sendtui events` and the first screen never load SQLModel.
"""

from __future__ import annotations

from pathlib import Path

from sendtui.config import Config
from sendtui.paths import builtin_data_dir
from sendtui.services.reference import ReferenceData, load_reference, sync_if_changed
from sendtui.store.store import Store


class Opened:
    """An open store and the reference data (schemes, markers) it was synced with. When
    the store already held these very files, they are parsed only if `reference` is read
    (a report never does)."""

    def __init__(
        self, store: Store, reference: ReferenceData | None = None, *, folders: list[Path]
    ) -> None:
        self.store = store
        self._reference = reference
        self._folders = folders

    @property
    def reference(self) -> ReferenceData:
        if self._reference is None:
            self._reference = load_reference(builtin_data_dir(), self._folders)
        return self._reference


def store_location(config: Config) -> Path | str:
    """The configured store: a file's path, or a PostgreSQL location as written."""
    location = getattr(config, "database", None)
    return location if location is not None else config.database_path


def open_store(
    config: Config, db_path: Path | str | None = None, *, read_only: bool = False
) -> Opened:
    """Open (creating or migrating) the store and sync schemes and markers into it.

    A store that cannot be written is opened read-only (its reference data is then used as
    it is); `read_only=True` asks for that even when it could be written."""
    location = db_path if db_path is not None else store_location(config)
    if isinstance(location, Path):
        _make_default_folder(config, location)
    store = Store(
        location,
        busy_timeout_ms=config.store.busy_timeout_ms,
        read_only=read_only,
        backup_keep=config.store.backups_kept,
    )
    folders = list(config.reference_folders)
    try:
        reference = sync_if_changed(store, builtin_data_dir(), folders)
    except BaseException:
        store.close()
        raise
    return Opened(store, reference, folders=folders)


def _make_default_folder(config: Config, path: Path) -> None:
    """The default store's folder is made on first use; a folder someone named must exist
    (a typo should not quietly create a new, empty store somewhere else)."""
    from sendtui.config import StoreSection

    if config.store.database == StoreSection().database and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
