"""The review screen keeping up with other writers, and settling merge conflicts.

Live: every half second the store's watcher says whether anything was committed (another
note-taker, a CLI import, a merge). If so, a worker reads just the points changed since the
last look, and the table takes them in without losing the user's place: the highlighted
point, the marks, the filter text and the sort stay as they were.

Conflicts: the filter word `conflicts` shows points a merge found changed differently on
two laptops; the detail pane names both values, ctrl+r restores the other laptop's value and
ctrl+k keeps this one.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import work

from sendtui.errors import SendtuiError
from sendtui.services.point_index import Matcher
from sendtui.services.point_query import ReviewRow, changed_rows
from sendtui.tui.widgets.point_table import PointTable

if TYPE_CHECKING:
    from textual.timer import Timer

POLL_SECONDS = 0.5


class ReviewLive:
    """Live updates and conflict keys for ReviewScreen (which provides what is used)."""

    event_id: int
    matcher: Matcher | None
    suggester: Any
    app: Any

    if TYPE_CHECKING:

        def query_one(self, *args: Any, **kwargs: Any) -> Any: ...
        def set_interval(self, *args: Any, **kwargs: Any) -> Timer: ...
        def apply_filter(self) -> None: ...
        def on_point_table_moved(self) -> None: ...
        def _say(self, message: str, *, error: bool = False) -> None: ...
        def _patch(self, change: Any) -> None: ...

    _watcher: Any = None
    _since: str | None = None
    _catching_up = False

    def start_watching(self, since: str | None) -> None:
        """Called once the rows are loaded: `since` is the watermark they were read at."""
        self._since = since
        try:
            self._watcher = self.app.context.store.watcher()
        except SendtuiError:
            return  # no live updates (a read-only copy, say): the screen still works
        self.set_interval(POLL_SECONDS, self._poll, name="review-live")

    def stop_watching(self) -> None:
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None

    def _poll(self) -> None:
        watcher = self._watcher
        if watcher is None or self._catching_up or not watcher.changed():
            return
        if watcher.events and self.event_id not in watcher.events:
            return  # another event changed
        self._catching_up = True
        self._catch_up(self._since)

    @work(thread=True, exclusive=True, group="review-live")
    def _catch_up(self, since: str | None) -> None:
        store = self.app.context.store
        conn = store.new_reader()  # this thread's own: the shared reader is the UI thread's
        try:
            changed, mark = changed_rows(conn, self.event_id, since)
        except SendtuiError:
            changed, mark = {}, since  # the next poll tries again
        finally:
            conn.close()
        if self.suggester is not None:
            changed = {
                pid: self._suggested(row) if row is not None else None
                for pid, row in changed.items()
            }
        self.app.call_from_thread(self._take_in, changed, mark)

    def _suggested(self, row: ReviewRow) -> ReviewRow:
        if row.chapters or (found := self.suggester.suggest(row.text)) is None:
            return row
        return replace(row, suggestion=found.code)

    def _take_in(self, changed: dict[int, ReviewRow | None], mark: str | None) -> None:
        """Swap in what changed elsewhere, keeping the user's place."""
        self._catching_up = False
        self._since = mark
        table = self.query_one(PointTable)
        if self.matcher is None:
            return
        here = {row.id: row for row in table.rows_of(changed)}
        news = {
            pid: row
            for pid, row in changed.items()
            if (row is None and pid in here) or (row is not None and here.get(pid) != row)
        }
        if not news:
            return  # our own writes, already shown
        current = table.current
        offset = table.cursor - table.scroll_offset.y
        table.replace_rows(news)
        if any(row is None for row in news.values()):
            self.matcher = Matcher(table.rows)  # rows were removed: indexes moved
        else:
            self.matcher.refresh(table.index_of_ids(news))
        self.apply_filter()
        if current is not None:
            at = table.index_of_ids([current.id])
            if at and (position := table.view_position(at[0])) is not None:
                table.cursor = position
                table.scroll_to(y=max(0, position - offset), animate=False)
        self.on_point_table_moved()

    # -- conflicts -------------------------------------------------------------------------

    def current_conflicts(self) -> list[Any]:
        from sendtui.services import conflicts

        row = self.query_one(PointTable).current
        if row is None or not row.conflicts:
            return []
        return conflicts.for_point(self.app.context.store.reader, row.id)

    def action_restore_other(self) -> None:
        self._settle(restore=True)

    def action_keep_ours(self) -> None:
        self._settle(restore=False)

    def _settle(self, *, restore: bool) -> None:
        """Settle the highlighted point's oldest conflict."""
        from sendtui.services import conflicts

        found = self.current_conflicts()
        if not found:
            self._say("This point has no merge conflict (the filter word: conflicts).")
            return
        store, first = self.app.context.store, found[0]
        try:
            (conflicts.restore if restore else conflicts.dismiss)(store, first.id)
        except SendtuiError as exc:
            self._say(exc.message, error=True)
            return
        self._refresh_point(first.point_id)
        left = len(found) - 1
        done = "Restored the other laptop's" if restore else "Kept this"
        more = f" ({left} more conflict{'s' if left != 1 else ''} on this point)" if left else ""
        self._say(f"{done} {conflicts.FIELD_NAMES.get(first.field, first.field)}{more}.")

    def _refresh_point(self, point_id: int) -> None:
        """Re-read one point (its value and conflict count) into the table."""
        from sendtui.services.point_query import rows_by_id

        row = rows_by_id(self.app.context.store.reader, self.event_id, [point_id])[point_id]
        table = self.query_one(PointTable)
        old = table.rows_of([point_id])
        if row is not None and old:
            row = replace(row, suggestion=old[0].suggestion)
        table.replace_rows({point_id: row})
        if row is None:
            self.matcher = Matcher(table.rows)
        elif self.matcher is not None:
            self.matcher.refresh(table.index_of_ids([point_id]))
        self.apply_filter()
        self.on_point_table_moved()
