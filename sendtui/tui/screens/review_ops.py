"""What the review screen does to points: tag, kind, markers, suggestions, edit, rename.

A mixin, so the screen module keeps to layout, filtering and keys. Every change goes through
the headless PointEditor (so it can be undone); the table is then patched row by row.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sendtui.errors import SendtuiError
from sendtui.models.kinds import Kind
from sendtui.services.point_query import ReviewRow
from sendtui.store import reads
from sendtui.store.db import Db
from sendtui.tui.screens.form import Field, FormScreen
from sendtui.tui.widgets.point_table import SORTS, PointTable

if TYPE_CHECKING:
    from sendtui.services.points import Change, PointEditor
    from sendtui.services.syntax import CaptureSyntax


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _points(items: Any) -> str:
    n = len(items)
    return f"{n:,} point{_s(n)}"


def grouped(editor: PointEditor, label: str, steps: list[tuple[Any, tuple[Any, ...]]]) -> Any:
    """Run editor steps as ONE undo step labelled `label` (accepting suggestions for six
    chapters, ticking two markers): their changes are folded into one Change, each point's
    state before the first step and after the last. If a step fails, the steps already
    done stay as one undo step too. (PointEditor has no grouping of its own yet.)"""
    from sendtui.services.point_states import Change

    depth = len(editor.undo_stack)
    try:
        for operation, args in steps:
            operation(*args)
    finally:
        done = editor.undo_stack[depth:]
        if done:
            before: dict[int, Any] = {}
            after: dict[int, Any] = {}
            for change in done:
                for state in change.before:
                    before.setdefault(state.id, state)
                for state in change.after:
                    after[state.id] = state
            folded = Change(label[:1].lower() + label[1:], tuple(before.values()),
                            tuple(after[i] for i in before if i in after))  # fmt: skip
            editor.undo_stack[depth:] = [folded]
    return editor.undo_stack[-1] if len(editor.undo_stack) > depth else None


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
        def apply_filter(self) -> None: ...
        def update_counts(self) -> None: ...
        def on_point_table_moved(self) -> None: ...
        def _load(self) -> None: ...

    # -- suggestions -----------------------------------------------------------------------

    def make_suggester(self, conn: Db) -> Any:
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

    def _targets(self) -> tuple[list[int], int] | None:
        """The points an action applies to, and how many marked points it leaves alone
        because the filter hides them: marked and shown points, or the cursor's point when
        none are marked. None (after saying why) when there is nothing to act on."""
        table = self.query_one(PointTable)
        ids = table.selection()
        _, hidden = table.marked_split()
        if not ids and hidden:
            self._say(
                f"None of the {hidden:,} marked points is shown: change the filter, "
                "or Esc clears the marks."
            )
            return None
        return (ids, hidden) if ids else None

    def _run(self, message: str, hidden: int, steps: list[tuple[Any, tuple[Any, ...]]]) -> None:
        """Run one user action (one or more editor steps) as one undo step, then say what
        it did, and how many marked points it left alone because they are hidden."""
        if self.editor is None or not steps:
            return
        try:
            change = grouped(self.editor, message, steps)
        except SendtuiError as exc:
            self._say(exc.message, error=True)
            return
        if change is not None:
            self._patch(change)
            if hidden:
                message += f" ({hidden:,} marked point{_s(hidden)} hidden by the filter left as is)"
            self._say(message + ".")

    def _patch(self, change: Change) -> None:
        """Reload the changed points into the table and filter again (a row that no longer
        matches, say an "untagged" one just tagged, leaves the view)."""
        from sendtui.services.point_query import rows_by_id

        table = self.query_one(PointTable)
        old = {row.id: row for row in table.rows_of(change.point_ids)}
        changed: dict[int, ReviewRow | None] = {}
        reader = self.app.context.store.reader
        for point_id, row in rows_by_id(reader, self.event_id, change.point_ids).items():
            previous = old.get(point_id)
            keep = previous.suggestion if previous else ""
            changed[point_id] = None if row is None else replace(row, suggestion=keep)
        table.replace_rows(changed)
        if any(row is None for row in changed.values()):
            from sendtui.services.point_index import Matcher

            self.matcher = Matcher(table.rows)
        else:
            self.matcher.refresh(table.index_of_ids(changed))
        self.apply_filter()
        self.on_point_table_moved()

    def toggle_chapter(self, code: str) -> None:
        table = self.query_one(PointTable)
        if self.editor is None or (targets := self._targets()) is None:
            return
        ids, hidden = targets
        if code not in self.editor.chapter_ids:
            codes = ", ".join(sorted(self.editor.chapter_ids, key=int))
            self._say(f"There is no chapter {code} in this scheme ({codes}).", error=True)
            return
        rows = table.rows_of(ids)
        on = not all(code in r.chapters for r in rows)
        message = (
            f"Tagged {_points(ids)} to chapter {code}"
            if on
            else f"Took chapter {code} off {_points(ids)}"
        )
        self._run(message, hidden, [(self.editor.tag_chapter, (ids, code, on))])

    def action_kind(self, kind: str) -> None:
        if self.editor is None or (targets := self._targets()) is None:
            return
        ids, hidden = targets
        label = Kind(kind).plural.lower() if len(ids) != 1 else f"a {Kind(kind).label.lower()}"
        message = f"Marked {_points(ids)} as {label}"
        if kind == Kind.POINT.value:
            message = f"Made {_points(ids)} plain point{_s(len(ids))}"
        self._run(message, hidden, [(self.editor.set_kind, (ids, Kind(kind)))])

    def action_private(self) -> None:
        table = self.query_one(PointTable)
        if self.editor is None or (targets := self._targets()) is None:
            return
        ids, hidden = targets
        private = not all(r.private for r in table.rows_of(ids))
        message = f"Marked {_points(ids)} {'private' if private else 'not private'}"
        self._run(message, hidden, [(self.editor.set_private, (ids, private))])

    def action_undo(self) -> None:
        if self.editor is not None:
            self._undo_redo(self.editor.undo, "undo", "Undid")

    def action_redo(self) -> None:
        if self.editor is not None:
            self._undo_redo(self.editor.redo, "redo", "Redid")

    def _undo_redo(self, operation: Any, what: str, verb: str) -> None:
        try:
            change = operation()
        except SendtuiError as exc:
            self._say(exc.message, error=True)
            return
        if change is None:
            self._say(f"Nothing to {what}.")
            return
        self._patch(change)
        self._say(f"{verb}: {change.label}.")

    # -- suggestions, markers, edit, rename, sort ----------------------------------------

    def action_accept(self) -> None:
        """Accept the suggested chapters of the marked (shown) points, or the cursor's;
        several points ask first. One undo step takes them all off again."""
        from sendtui.tui.screens.confirm import ConfirmScreen

        table = self.query_one(PointTable)
        if (targets := self._targets()) is None:
            return
        ids, hidden = targets
        ready = [r for r in table.rows_of(ids) if not r.chapters and r.suggestion]
        if not ready:
            self._say("Nothing to accept: no untagged point here has a suggestion.")
            return
        if len(ready) == 1:
            self._accept(ready, hidden)
            return
        chapters = len({r.suggestion for r in ready})
        self.app.push_screen(
            ConfirmScreen(
                f"Tag {_points(ready)} with their suggested chapters "
                f"({chapters} chapter{_s(chapters)})?",
                yes="Tag them",
                no="Cancel",
            ),
            lambda yes: self._accept(ready, hidden) if yes else None,
        )

    def _accept(self, rows: list[ReviewRow], hidden: int) -> None:
        if self.editor is None:
            return
        by_code: dict[str, list[int]] = {}
        for row in rows:
            by_code.setdefault(row.suggestion, []).append(row.id)
        n = len(by_code)
        message = f"Tagged {_points(rows)} to {n} chapter{_s(n)}" if n > 1 else ""
        message = message or f"Tagged {_points(rows)} to chapter {next(iter(by_code))}"
        steps = [(self.editor.tag_chapter, (ids, code, True)) for code, ids in by_code.items()]
        self._run(message, hidden, steps)

    def action_markers(self) -> None:
        from sendtui.tui.screens.marker_picker import MarkerPickerScreen

        table = self.query_one(PointTable)
        if self.editor is None or (targets := self._targets()) is None:
            return
        ids, hidden = targets
        rows = table.rows_of(ids)
        store = self.app.context.store
        markers = reads.markers(store.reader)
        on = {code for code, _ in markers if all(code in r.markers for r in rows)}

        def chosen(result: set[str] | None) -> None:
            if result is None or self.editor is None:
                return
            added = [code for code, _ in markers if code in result and code not in on]
            removed = [code for code, _ in markers if code not in result and code in on]
            if not added and not removed:
                self._say("No markers changed.")
                return
            parts = []
            if added:
                parts.append(f"tagged {_points(ids)} to {', '.join(added)}")
            if removed:
                parts.append(f"took {', '.join(removed)} off {_points(ids)}")
            steps = [(self.editor.tag_marker, (ids, code, True)) for code in added]
            steps += [(self.editor.tag_marker, (ids, code, False)) for code in removed]
            message = "; ".join(parts)
            self._run(message[:1].upper() + message[1:], hidden, steps)

        self.app.push_screen(MarkerPickerScreen(markers, on, len(ids), hidden), chosen)

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
                self._run("Saved the point", 0, [(editor.edit, (row.id, parsed))])

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
            from sendtui.services.names import clean_name

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
                    done_what = organise.rename_group(store, self.event_id, point.group_id, name)
                elif values["what"] == "topic" and point.topic_id is not None:
                    done_what = organise.rename_topic(store, self.event_id, point.topic_id, name)
                else:
                    done_what = organise.rename_heading(
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
            self._say(done_what.summary())
            self._load()

        self.app.push_screen(FormScreen("Rename or merge", fields, check=check), done)

    def _merge_target(self, what: str, name: str, point: Any) -> str | None:
        """The existing group or topic that renaming to `name` would merge into, if any
        (decided by the organise service, by the one name rule)."""
        from sendtui.services import organise

        return organise.merge_target(
            self.app.context.store.reader,
            self.event_id,
            what,
            name,
            group_id=point.group_id,
            topic_id=point.topic_id,
        )

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
                self.apply_filter()

        self.app.push_screen(FormScreen("Sort the table", fields, save_label="Sort"), chosen)
