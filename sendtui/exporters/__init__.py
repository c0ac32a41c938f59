"""Writers that turn an event (or claims) into files: JSON, Markdown, DOCX, HTML, CSV, XLSX.

One entry point writes any of them, headless (the CLI and the TUI's export modal call it):

    write_file(store, event_id, Path("minutes.docx"), "docx", forum_name="Anytown PCF",
               progress=lambda done: ...)   # done goes from 0.0 to 1.0

Minutes (md, docx, html) and data (csv, xlsx) leave private points out unless
`include_private`; json is the complete, lossless dump (everything, private points too).
Every file is written to a temporary file beside the target and renamed into place, so a
crash, an error or a progress callback that raises (to cancel) never leaves half a file
under the target's name. Every export is 0600: any of them may name people (facilitators,
note-takers, attendees, action owners) or hold private points.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sendtui.store.store import Store

# The writers (and sendtui.exporters.files) load when a file is written: `sendtui export`'s
# arguments need only the names below, and every other command loads nothing from here.

__all__ = [
    "FORMATS", "MINUTES_FORMATS", "ORDERS", "ExportError", "Progress", "Steps",
    "default_filename", "write_file",
]  # fmt: skip

FORMATS = ("md", "docx", "html", "csv", "xlsx", "json")
MINUTES_FORMATS = ("md", "docx", "html")
ORDERS = ("group", "chapter")
Progress = Callable[[float], None]


class Steps:
    """Reports progress through `total` steps as a fraction in [start, end], at most about
    a hundred times, so a writer can call `advance()` once per point for free."""

    def __init__(
        self, progress: Progress | None, total: int, start: float = 0.0, end: float = 1.0
    ) -> None:
        self.progress, self.total, self.start, self.end = progress, max(total, 1), start, end
        self.done, self.every, self.next = 0, max(self.total // 100, 1), 0

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.progress is not None and self.done >= self.next:
            self.next = self.done + self.every
            share = min(self.done / self.total, 1.0)
            self.progress(self.start + (self.end - self.start) * share)


def __getattr__(name: str) -> object:
    """`sendtui.exporters.ExportError`, loaded on first use."""
    if name == "ExportError":
        from sendtui.exporters.files import ExportError

        return ExportError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Dated(Protocol):
    """An event as the caller has it: the Event model, or a row from store.reads."""

    title: str
    date: dt.date | None


def default_filename(event: Dated, fmt: str) -> str:
    """ "2013-07-08-sen-code-of-practice-nnpcf-consultation-event.docx": the event's date
    and title in plain lower-case ASCII, safe on every file system."""
    _check_format(fmt)
    ascii_title = unicodedata.normalize("NFKD", event.title).encode("ascii", "ignore").decode()
    slug = "-".join(re.findall(r"[a-z0-9]+", ascii_title.lower()))[:80].rstrip("-") or "event"
    return f"{event.date.isoformat()}-{slug}.{fmt}" if event.date else f"{slug}.{fmt}"


def write_file(
    store: Store,
    event_id: int,
    path: Path | str,
    fmt: str,
    *,
    by: str = "group",
    include_private: bool = False,
    forum_name: str = "",
    progress: Progress | None = None,
    template: Path | None = None,
) -> Path:
    """Export event `event_id` to `path` as `fmt` (one of FORMATS), collated `by` group or
    chapter; returns the path written. Word minutes start from `template` (a forum's .docx
    or .dotx: config.minutes_template) when given. Raises ExportError for an unknown format
    or order, a missing folder, a file that cannot be written or a template that cannot be
    used, NotFoundError for an unknown event."""
    from sendtui.exporters.files import ExportError, atomic_write

    _check_format(fmt)
    if by not in ORDERS:
        raise ExportError(f"Exports are collated by group or by chapter, not “{by}”.")
    target = Path(path).expanduser()
    if target.is_dir():
        raise ExportError(f"{target} is a folder: give the name of the file to write.")
    from sendtui.exporters.records import event_details

    with _Snapshot(store) as view, _paused_gc():
        event_details(view.reader, event_id)  # NotFoundError now, before any work
        report = progress or (lambda _done: None)
        report(0.0)
        try:
            write = _writer(
                view, event_id, fmt, by, include_private, forum_name, progress, template
            )
            atomic_write(target, write, private=True)  # it may name people
        except OSError as exc:  # the folder cannot be written (atomic_write reports the rest)
            raise ExportError(f"Could not write {target}: {exc.strerror or exc}") from None
    report(1.0)
    return target


class _Snapshot:
    """The store as one export reads it: a connection of its own (so a worker thread shares
    nothing with the app), in one read transaction, so every query sees the same moment even
    while points are being captured in another window. `store` is the store itself."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.reader = store.new_reader()
        self.reader.execute("BEGIN")  # on SQLite, the snapshot starts at the first read

    def __enter__(self) -> _Snapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(Exception):  # either driver's error: it only read
            self.reader.execute("ROLLBACK")
        self.reader.close()


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        from sendtui.exporters.files import ExportError

        raise ExportError(f"Unknown export format “{fmt}”: choose one of {', '.join(FORMATS)}.")


@contextlib.contextmanager
def _paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while 100,000 records are built: the collector would
    scan them again and again (a third of a Markdown export's time) and find nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _writer(
    view: _Snapshot,
    event_id: int,
    fmt: str,
    by: str,
    include_private: bool,
    forum_name: str,
    progress: Progress | None,
    template: Path | None = None,
) -> Callable[[Path], None]:
    """Reads everything the file needs, then returns the function that writes it."""

    def steps(total: int, start: float) -> Steps:
        return Steps(progress, total, start, 0.95)

    if fmt == "json":
        from sendtui.exporters.json_dump import dump_event, to_json

        text = to_json(dump_event(view.store, event_id))
        return lambda temp: temp.write_text(text, encoding="utf-8")
    if fmt in ("csv", "xlsx"):
        from sendtui.exporters.csv_export import point_rows, write_csv

        records, rows = point_rows(
            view.reader, event_id, by=by, include_private=include_private, quoted=fmt == "csv"
        )
        if progress:
            progress(0.3)
        if fmt == "csv":
            return lambda temp: write_csv(rows, len(records), temp, steps(len(records), 0.3))
        from sendtui.exporters.xlsx import write_xlsx
        from sendtui.services.reports import chapter_breakdown

        breakdown = chapter_breakdown(view.reader, event_id, include_private=include_private)
        return lambda temp: write_xlsx(
            view.reader, event_id, records, rows, breakdown, temp,
            steps(2 * len(records), 0.3), include_private=include_private,
        )  # fmt: skip
    from sendtui.exporters.minutes import collect_minutes

    minutes = collect_minutes(
        view, event_id, include_private=include_private, by=by, forum_name=forum_name
    )
    if progress:
        progress(0.35)
    if fmt == "md":
        from sendtui.exporters.markdown import render_markdown

        text = render_markdown(minutes, steps(minutes.work, 0.35))
        return lambda temp: temp.write_text(text, encoding="utf-8")
    from sendtui.exporters.chart import chapter_chart

    chart = chapter_chart(minutes.breakdown) if minutes.breakdown.total else None
    if progress:
        progress(0.4)
    if fmt == "html":
        from sendtui.exporters.html import render_html

        page = render_html(minutes, chart, steps(minutes.work, 0.4))
        return lambda temp: temp.write_text(page, encoding="utf-8")
    from sendtui.exporters.docx import write_docx
    from sendtui.exporters.docx_setup import new_document

    document = new_document(template)  # a template that cannot be used: ExportError, now
    return lambda temp: write_docx(
        minutes, chart, temp, steps(minutes.work, 0.4), document=document
    )
