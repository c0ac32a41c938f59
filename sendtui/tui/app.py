"""The Textual app: one `make_app()` used by the CLI and the tests.

Start-up draws the events screen from the fast stdlib reader first, then opens the store
(migrations if needed, reference data) in a worker thread, so a 100,000-point file opens as
fast as an empty one. A store that cannot be written opens read-only, with a banner on every
screen; saving then says so.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.binding import Binding

from sendtui.config import Config
from sendtui.errors import SendtuiError, UnreachableError
from sendtui.paths import builtin_data_dir
from sendtui.services.state import LAST, StateStore
from sendtui.store import reads
from sendtui.store.connection import connect_read_only, inspect_file, store_error
from sendtui.store.schema import HEAD

if TYPE_CHECKING:
    from textual.screen import Screen

    from sendtui.services.reference import ReferenceData
    from sendtui.store.store import Store

DEMO_NOTES = "demo/nnpcf-2013-07-08.md"
# Where a note-taker works when the shared server cannot be reached (beside config.toml).
OFFLINE_FILE = "data/sendtui-offline.db"


@dataclass
class AppContext:
    """What every screen needs: the configuration and, once open, the store."""

    config: Config
    db_path: Path | str  # the store's location: a file, or a PostgreSQL database
    demo_dir: Path | None = None
    store: Store | None = None
    reference: ReferenceData | None = None
    state: StateStore = field(init=False)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.state = StateStore(self.db_path)

    @property
    def read_only(self) -> bool:
        return self.store is not None and self.store.read_only

    def quick_reader(self) -> sqlite3.Connection | None:
        """A read-only stdlib connection when the file is a sendtui store already at the
        current schema, else None (a server store is opened in the worker: reaching it may
        take a while)."""
        path = self.db_path
        if not isinstance(path, Path) or not path.is_file():
            return None
        try:
            info = inspect_file(path, busy_timeout_ms=self.config.store.busy_timeout_ms)
            if info.kind != "sendtui" or info.revision != HEAD:
                return None
            return connect_read_only(path, busy_timeout_ms=self.config.store.busy_timeout_ms)
        except (sqlite3.Error, SendtuiError):
            return None


class SendtuiApp(App[None]):
    """sendtui: capture, tag and count consultation notes."""

    TITLE = "sendtui"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("f1", "help", "Help", id="app.help"),
    ]

    def __init__(self, context: AppContext, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.context = context
        self.sub_title = context.config.forum.name
        self.store_error: str | None = None

    def get_default_screen(self) -> Screen[Any]:
        # The events list is the base screen itself, not pushed over Textual's blank default
        # one: composing and styling one screen fewer shortens start-up noticeably.
        from sendtui.tui.screens.events import EventsScreen

        return EventsScreen()

    def on_mount(self) -> None:
        self._apply_theme()
        if self.context.config.keys:
            self.set_keymap(self.context.config.keys)
            self.call_after_refresh(self._check_keymap)
        # After the first frame: the import of SQLModel in the worker would otherwise compete
        # with drawing the first screen for the interpreter lock.
        self.call_after_refresh(self.open_store)

    def _apply_theme(self) -> None:
        theme = self.context.config.ui.theme
        if theme in self.available_themes:
            self.theme = theme
        else:
            names = ", ".join(sorted(self.available_themes))
            self.say(
                f"config.toml [ui] theme: there is no theme “{theme}”; using "
                f"{self.theme}. Themes: {names}.",
                severity="warning",
            )

    def _check_keymap(self) -> None:
        """Name any [keys] entry that matches no binding (a typo would otherwise do nothing)."""
        known = known_binding_ids()
        unknown = sorted(set(self.context.config.keys) - known)
        if unknown:
            self.say(
                f"config.toml [keys]: no binding is called {', '.join(unknown)}. "
                "F1 lists the binding ids.",
                severity="warning",
                timeout=15,
            )

    @work(thread=True, exclusive=True, group="store")
    def open_store(self) -> None:
        """Open (and if needed migrate) the store and load reference data, off the UI."""
        try:
            store, reference = self._open()
        except UnreachableError as exc:
            self.call_from_thread(self._offer_local_file, exc.message)
            return
        except SendtuiError as exc:
            self.call_from_thread(self._store_failed, exc.message)
            return
        except Exception as exc:
            self.call_from_thread(
                self._store_failed, store_error(exc, self.context.db_path).message
            )
            return
        self._drain_leftover_outbox(store)
        self.call_from_thread(self._store_opened, store, reference)
        # The screen Enter opens, loaded here while the first screen waits for a key: its
        # code is a twentieth of a second to import, which Enter no longer waits for.
        import sendtui.tui.screens.capture  # noqa: F401

    def _drain_leftover_outbox(self, store: Store) -> None:
        """Points typed before a crash and still in the outbox are saved now, whichever screen
        is opened first (the capture screen joins the same queue)."""
        if store.read_only:
            return
        from sendtui.services.capture_queue import has_leftovers, shared_queue

        if has_leftovers(store):
            shared_queue(store).start()

    def _open(self) -> tuple[Store, ReferenceData]:
        from sendtui.services.bootstrap import open_store

        ctx = self.context
        opened = open_store(ctx.config, ctx.db_path)
        if ctx.demo_dir is not None:
            self._load_demo(opened.store, opened.reference)
        return opened.store, opened.reference

    def _load_demo(self, store: Store, reference: ReferenceData) -> None:
        from sendtui.services.importer import import_notes

        capture = self.context.config.capture
        result = import_notes(
            store,
            reference,
            builtin_data_dir() / DEMO_NOTES,
            kind_words=capture.kind_words.as_dict(),
            marks=capture.kind_marks.as_dict(),
        )
        self.context.state.put(LAST, {"event_id": result.event_id, "screen": "capture"})

    def _store_opened(self, store: Store, reference: ReferenceData) -> None:
        self.context.store = store
        self.context.reference = reference
        if store.read_only:
            self._read_only_mode()
        self.context.ready.set()
        for problem in reference.problems:
            self.say(problem, severity="warning", timeout=15)
        self._resume()

    def _read_only_mode(self) -> None:
        """Say so in every screen's header and with a banner on each screen shown."""
        self.title = f"{self.TITLE} · read-only"
        self.screen_change_signal.subscribe(self, self._add_banner)
        self._add_banner(self.screen)

    def _add_banner(self, screen: Screen[Any]) -> None:
        from rich.text import Text
        from textual.screen import ModalScreen
        from textual.widgets import Static

        if isinstance(screen, ModalScreen) or screen.query("#read-only-banner"):
            return
        store = self.context.store
        where = store.location.display if store is not None else "this store"
        banner = Static(
            Text(f"Read-only: {where} cannot be written here, so nothing can be saved."),
            id="read-only-banner",
        )
        screen.mount(banner, before=0)

    def _offer_local_file(self, message: str) -> None:
        """The server cannot be reached: offer a local file now and a sync later, rather than
        leaving the note-taker with nothing to type into."""
        from sendtui.tui.screens.confirm import ConfirmScreen

        local = self.context.config.resolve(OFFLINE_FILE)
        question = (
            f"{message}\n\nWork on a local file instead? Points go into {local}. When the "
            f"server is back, run `sendtui --db {local} sync FOLDER`, then `sendtui sync "
            "FOLDER` with the server, to merge them (see README: Several note-takers)."
        )

        def answered(yes: bool | None) -> None:
            if not yes:
                self.exit(return_code=2)
                return
            try:
                local.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                self._store_failed(f"{local.parent} cannot be made: {exc.strerror}.")
                return
            self.context.db_path = local
            self.say(f"Working on {local}; sync it with the server later.", timeout=10)
            self.open_store()

        self.push_screen(ConfirmScreen(question, yes="Work on a local file", no="Quit"), answered)

    def _store_failed(self, message: str) -> None:
        self.store_error = message
        from sendtui.tui.screens.message import MessageScreen

        self.push_screen(
            MessageScreen("The database could not be opened", message, quit_on_close=True)
        )

    def _resume(self) -> None:
        """Go back to where the note-taker was: the same event, group, topic and draft."""
        last = self.context.state.get(LAST)
        event_id = last.get("event_id")
        if last.get("screen") != "capture" or not isinstance(event_id, int):
            return
        store = self.context.store
        assert store is not None
        if any(e.id == event_id for e in reads.event_summaries(store.reader)):
            self.open_event(event_id)

    def open_event(self, event_id: int) -> None:
        from sendtui.tui.screens.capture import CaptureScreen

        self.push_screen(CaptureScreen(event_id))

    def say(self, message: str, *, severity: str = "information", timeout: float = 5) -> None:
        """A notification whose text is never read as markup (it may quote user text)."""
        self.notify(message, severity=severity, timeout=timeout, markup=False)  # type: ignore[arg-type]

    def action_help(self) -> None:
        from sendtui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def on_unmount(self) -> None:
        self.context.state.close()
        if self.context.store is not None:
            self.context.store.close()
        if self.context.demo_dir is not None:
            shutil.rmtree(self.context.demo_dir, ignore_errors=True)


SCREEN_MODULES = (
    "events",
    "capture",
    "review",
    "reports",
    "export",
    "help",
    "form",
    "confirm",
    "message",
    "place_picker",
    "marker_picker",
    "claims",
    "claim_form",
    "members",
    "claims_report",
)


def known_binding_ids() -> set[str]:
    """Every binding id of the app, its screens and their widgets."""
    import importlib
    import inspect

    from textual.binding import Binding
    from textual.dom import DOMNode

    ids = {b.id for b in SendtuiApp.BINDINGS if isinstance(b, Binding) and b.id}
    modules = [f"sendtui.tui.screens.{name}" for name in SCREEN_MODULES]
    modules += ["sendtui.tui.widgets.point_list", "sendtui.tui.widgets.point_table"]
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode):
                ids |= {b.id for b in cls.BINDINGS if isinstance(b, Binding) and b.id}
    return ids


def make_app(config: Config, *, demo: bool = False) -> SendtuiApp:
    """The app for `config`; with `demo`, on a throwaway copy of the 8 July 2013 event."""
    import tempfile

    demo_dir = None
    db_path: Path | str = config.database
    if demo:
        demo_dir = Path(tempfile.mkdtemp(prefix="sendtui-demo-"))
        db_path = demo_dir / "demo.db"
    return SendtuiApp(AppContext(config=config, db_path=db_path, demo_dir=demo_dir))
