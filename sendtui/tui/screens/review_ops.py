"""What the review screen does to points: tag, kind, markers, suggestions, edit, rename.

A mixin, so the screen module keeps to layout, filtering and keys. Every change goes through
the headless PointEditor (so it can be undone); the table is then patched row by row.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sendtui.errors import SendtuiError
from sendtui.models.kinds import Kind
from sendtui.services.point_query import ReviewRow, to_review_row
from sendtui.store import reads
from sendtui.tui.screens.form import Field, FormScreen
from sendtui.tui.widgets.point_table import SORTS, PointTable

if TYPE_CHECKING:
    from sendtui.services.points import Change, PointEditor
    from sendtui.services.syntax import CaptureSyntax


class ReviewOps:
    """Point operations for ReviewScreen (which provides the attributes used here)."""

    event_id: int
    editor: PointEditor | None
    syntax: CaptureSyntax | None
    suggester: Any
    matcher: Any
    app: Any

    if TYPE_CHECKING:  # provided by ReviewScreen / Screen

        def query_one(self, *args: Any, **kwargs: Any) -> Any: ...
        def apply_filter(self, *, force: bool = False) -> None: ...
        def update_counts(self) -> None: ...
        def on_point_table_moved(self) -> None: ...
        def _load(self) -> None: ...

    # -- suggestions -----------------------------------------------------------------------

    def make_suggester(self, conn: sqlite3.Connection) -> Any:
        from sendtui.services.suggestions import Suggester

        return Suggester.for_event(conn, self.event_id)

    @staticmethod
    def with_suggestions(rows: list[ReviewRow], suggester: Any) -> list[ReviewRow]:
        """Rows with a suggested chapter filled in where the point has none."""
        result = []
        for row in rows:
            if not row.chapters and (found := suggester.suggest(row.text)) is not None:
                row = replace(row, suggestion=found.code)
            result.append(row)
        return result

    def suggestion_reason(self, row: ReviewRow) -> str:
        if self.suggester is None:
            return ""
        found = self.suggester.suggest(row.text)
        return f"{found.title} (mentions “{found.keyword}”)" if found else ""

    # -- applying changes ------------------------------------------------------------------

    def _say(self, message: str, *, error: bool = False) -> None:
        self.app.say(message, severity="error" if error else "information", timeout=3)

    def _run(self, operation: Any, *args: Any) -> None:
        if self.editor is None:
            return
        try:
            change = operation(*args)
        except SendtuiError as exc:
            self._say(exc.message, error=True)
            return
        if change is not None:
            self._patch(change)
            self._say(change.label.capitalize() + f" ({len(change.point_ids)}).")

    def _patch(self, change: Change) -> None:
        """Reload the changed points into the table and filter again (a row that no longer
        matches, say an "untagged" one just tagged, leaves the view)."""
        store = self.app.context.store
        table = self.query_one(PointTable)
        groups = {g.id: g.name for g in reads.groups(store.reader, self.event_id)}
        topics = {t.id: t.title for t in reads.topics(store.reader, self.event_id)}
        old = {row.id: row for row in table.rows if row.id in set(change.point_ids)}
        changed: dict[int, ReviewRow | None] = {}
        for point_id, point in reads.points_by_id(store.reader, change.point_ids).items():
            if point is None:
                changed[point_id] = None
                continue
            row = to_review_row(point, groups, topics)
            previous = old.get(point_id)
            changed[point_id] = replace(row, suggestion=previous.suggestion if previous else "")
        table.replace_rows(changed)
        if any(row is None for row in changed.values()):
            from sendtui.services.point_query import Matcher

            self.matcher = Matcher(table.rows)
        else:
            ids = set(changed)
            self.matcher.refresh(i for i, row in enumerate(table.rows) if row.id in ids)
        self.apply_filter(force=True)
        self.on_point_table_moved()

    def toggle_chapter(self, code: str) -> None:
        table = self.query_one(PointTable)
        if self.editor is None or not (ids := table.selection()):
            return
        if code not in self.editor.chapter_ids:
            codes = ", ".join(sorted(self.editor.chapter_ids, key=int))
            self._say(f"There is no chapter {code} in this scheme ({codes}).", error=True)
            return
        rows = [r for r in table.rows if r.id in set(ids)]
        on = not all(code in r.chapters for r in rows)
        self._run(self.editor.tag_chapter, ids, code, on)

    def action_kind(self, kind: str) -> None:
        table = self.query_one(PointTable)
        if self.editor is not None and (ids := table.selection()):
            self._run(self.editor.set_kind, ids, Kind(kind))

    def action_private(self) -> None:
        table = self.query_one(PointTable)
        if self.editor is None or not (ids := table.selection()):
            return
        rows = [r for r in table.rows if r.id in set(ids)]
        self._run(self.editor.set_private, ids, not all(r.private for r in rows))

    def action_undo(self) -> None:
        if self.editor is not None:
            self._undo_redo(self.editor.undo, "Undid")

    def action_redo(self) -> None:
        if self.editor is not None:
            self._undo_redo(self.editor.redo, "Redid")

    def _undo_redo(self, operation: Any, verb: str) -> None:
        try:
            change = operation()
        except SendtuiError as exc:
            self._say(exc.message, error=True)
            return
        if change is None:
            self._say(f"Nothing to {verb.lower()[:-1]}.")
            return
        self._patch(change)
        self._say(f"{verb}: {change.label}.")

    # -- suggestions, markers, edit, rename, sort ----------------------------------------

    def action_accept(self) -> None:
        table = self.query_one(PointTable)
        wanted = set(table.selection())
        self._accept([r for r in table.rows if r.id in wanted])

    def action_accept_all(self) -> None:
        from sendtui.tui.screens.confirm import ConfirmScreen

        table = self.query_one(PointTable)
        rows = [table.rows[i] for i in table.view]
        ready = [r for r in rows if not r.chapters and r.suggestion]
        if not ready:
            self._say("No point shown has a suggestion to accept.")
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._accept(ready)

        self.app.push_screen(
            ConfirmScreen(
                f"Tag {len(ready):,} shown points with their suggested chapters?",
                yes="Tag them",
                no="Cancel",
            ),
            answer,
        )

    def _accept(self, rows: list[ReviewRow]) -> None:
        if self.editor is None:
            return
        by_code: dict[str, list[int]] = {}
        for row in rows:
            if not row.chapters and row.suggestion:
                by_code.setdefault(row.suggestion, []).append(row.id)
        if not by_code:
            self._say("Nothing to accept: the point is tagged already or has no suggestion.")
            return
        for code, ids in by_code.items():
            self._run(self.editor.tag_chapter, ids, code, True)

    def action_markers(self) -> None:
        from sendtui.tui.screens.marker_picker import MarkerPickerScreen

        table = self.query_one(PointTable)
        if self.editor is None or not (ids := table.selection()):
            return
        rows = [r for r in table.rows if r.id in set(ids)]
        store = self.app.context.store
        markers = [
            (code, title)
            for code, title in store.reader.execute(
                "SELECT code, title FROM marker ORDER BY position"
            )
        ]
        on = {code for code, _ in markers if all(code in r.markers for r in rows)}

        def chosen(result: set[str] | None) -> None:
            if result is None or self.editor is None:
                return
            for code, _ in markers:
                if (code in result) != (code in on):
                    self._run(self.editor.tag_marker, ids, code, code in result)

        self.app.push_screen(MarkerPickerScreen(markers, on, len(ids)), chosen)

    def action_edit(self) -> None:
        from sendtui.services.syntax import ParsedPoint

        row = self.query_one(PointTable).current
        if row is None or self.syntax is None or self.editor is None:
            return
        syntax, editor = self.syntax, self.editor
        refs = tuple(r.strip() for r in row.section_ref.split(",") if r.strip())
        line = syntax.format_point(
            ParsedPoint(row.text, Kind(row.kind), row.chapters, refs, row.markers)
        )

        def check(values: dict[str, str]) -> None:
            parsed = syntax.parse(values["line"])
            if not isinstance(parsed, ParsedPoint):
                raise SendtuiError("A point cannot become a heading.")

        def saved(values: dict[str, str] | None) -> None:
            if values is not None:
                parsed = syntax.parse(values["line"])
                assert isinstance(parsed, ParsedPoint)
                self._run(editor.edit, row.id, parsed)

        self.app.push_screen(
            FormScreen(
                "Edit the point (capture syntax: ? ! #7 @M3 …)",
                [Field("line", "Point", line)],
                check=check,
            ),
            saved,
        )

    def action_rename(self) -> None:
        from sendtui.services import organise

        row = self.query_one(PointTable).current
        if row is None:
            return
        point = reads.points_by_id(self.app.context.store.reader, [row.id])[row.id]
        if point is None:
            return
        choices = [(f"Group: {row.group}", "group")]
        if point.topic_id is not None:
            choices.append((f"Topic: {row.topic}", "topic"))
        if row.heading:
            choices.append((f"Heading: {row.heading}", "heading"))
        fields = [
            Field("what", "Rename", choices[0][1], choices=choices),
            Field("name", "New name (an existing name merges the two)"),
        ]

        def check(values: dict[str, str]) -> None:
            from sendtui.services.events import clean_name

            clean_name(values["name"], "new name")

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            into = self._merge_target(values["what"], values["name"].strip(), point)
            if into is None:
                rename(values)
                return
            from sendtui.tui.screens.confirm import ConfirmScreen

            self.app.push_screen(
                ConfirmScreen(
                    f"“{into}” already exists: merge into it? Its points and this one's are "
                    "then one list, and the merge cannot be undone.",
                    yes="Merge",
                    no="Cancel",
                ),
                lambda yes: rename(values) if yes else None,
            )

        def rename(values: dict[str, str]) -> None:
            store, name = self.app.context.store, values["name"].strip()
            try:
                if values["what"] == "group":
                    organise.rename_group(store, self.event_id, point.group_id, name)
                elif values["what"] == "topic" and point.topic_id is not None:
                    organise.rename_topic(store, self.event_id, point.topic_id, name)
                else:
                    organise.rename_heading(
                        store,
                        self.event_id,
                        row.heading,
                        name,
                        group_id=point.group_id,
                        topic_id=point.topic_id,
                    )
            except SendtuiError as exc:
                self._say(exc.message, error=True)
                return
            self._say("Renamed.")
            self._load()

        self.app.push_screen(FormScreen("Rename or merge", fields, check=check), done)

    def _merge_target(self, what: str, name: str, point: Any) -> str | None:
        """The existing group or topic that renaming to `name` would merge into, if any."""
        conn = self.app.context.store.reader
        wanted = name.casefold()
        if what == "group":
            groups = reads.groups(conn, self.event_id)
            return next(
                (g.name for g in groups if g.name.casefold() == wanted and g.id != point.group_id),
                None,
            )
        if what == "topic":
            topics = reads.topics(conn, self.event_id)
            return next(
                (
                    t.title
                    for t in topics
                    if t.group_id == point.group_id
                    and t.title.casefold() == wanted
                    and t.id != point.topic_id
                ),
                None,
            )
        return None  # headings are labels: renaming one onto another loses nothing

    def action_sort(self) -> None:
        table = self.query_one(PointTable)
        fields = [
            Field(
                "key",
                "Sort by",
                table.sort_key,
                choices=[
                    (key.capitalize() if key != "made" else "Order made", key) for key in SORTS
                ],
            ),
            Field(
                "order",
                "Order",
                "desc" if table.descending else "asc",
                choices=[("Ascending", "asc"), ("Descending", "desc")],
            ),
        ]

        def chosen(values: dict[str, str] | None) -> None:
            if values is not None:
                table.sort_key, table.descending = values["key"], values["order"] == "desc"
                self.apply_filter(force=True)

        self.app.push_screen(FormScreen("Sort the table", fields, save_label="Sort"), chosen)
