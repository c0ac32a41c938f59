"""Groups and topics on the capture screen: add, rename or delete one, and step between them.

A mixin for CaptureScreen. Renames and deletes are undoable with ctrl+z like point changes
(a rename onto an existing name merges the two, which cannot be undone, so it asks first).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sendtui.errors import SendtuiError
from sendtui.tui.screens.confirm import ConfirmScreen
from sendtui.tui.screens.form import Field, FormScreen

if TYPE_CHECKING:
    from sendtui.services.points import PointEditor
    from sendtui.tui.widgets.capture_line import CaptureLine
    from sendtui.tui.widgets.place_tree import PlaceTree


class CapturePlaces:
    """Group and topic commands for CaptureScreen."""

    event_id: int
    group_id: int | None
    topic_id: int | None
    editor: PointEditor | None
    app: Any

    if TYPE_CHECKING:
        place_tree: PlaceTree
        capture_line: CaptureLine

        def show_message(self, message: str, *, error: bool = False) -> None: ...
        def no_editor(self) -> bool: ...
        def set_place(
            self, group_id: int | None, topic_id: int | None, *, remember: bool = True
        ) -> None: ...

    # -- stepping between tables -------------------------------------------------------------

    def _step(self, places: list[tuple[int, int | None]], step: int) -> None:
        if not places:
            self.show_message("There are no groups yet: ctrl+g adds one.", error=True)
            return
        here = (self.group_id, self.topic_id)
        index = places.index(here) + step if here in places else 0
        group_id, topic_id = places[index % len(places)]
        self.set_place(group_id, topic_id)
        self.show_message(f"Now adding points to {self.place_tree.place_name(group_id, topic_id)}.")

    def action_next_place(self) -> None:
        self._step([place for _, place in self.place_tree.places()], 1)

    def action_previous_place(self) -> None:
        self._step([place for _, place in self.place_tree.places()], -1)

    def _group_places(self) -> list[tuple[int, int | None]]:
        return [place for _, place in self.place_tree.places() if place[1] is None]

    def action_next_group(self) -> None:
        self._step_group(1)

    def action_previous_group(self) -> None:
        self._step_group(-1)

    def _step_group(self, step: int) -> None:
        groups = [g for g, _ in self._group_places()]
        if not groups:
            self.show_message("There are no groups yet: ctrl+g adds one.", error=True)
            return
        index = groups.index(self.group_id) + step if self.group_id in groups else 0
        group_id = groups[index % len(groups)]
        topics = [t for g, t in (p for _, p in self.place_tree.places()) if g == group_id and t]
        self.set_place(group_id, topics[0] if topics else None)
        name = self.place_tree.place_name(group_id, self.topic_id)
        self.show_message(f"Now adding points to {name}.")

    # -- adding ------------------------------------------------------------------------------

    def action_new_group(self) -> None:
        if self.app.context.store is None:
            return
        fields = [
            Field("name", "Group name", "", "e.g. Green Group"),
            Field("facilitator", "Facilitator (optional)"),
            Field("note_taker", "Note-taker (optional)"),
        ]

        def check(values: dict[str, str]) -> None:
            from sendtui.services.names import clean_name

            clean_name(values["name"], "group name")

        def made(values: dict[str, str] | None) -> None:
            if values is None:
                return
            from sendtui.services.events import EventService

            try:
                group = EventService(self.app.context.store).add_group(
                    self.event_id,
                    values["name"],
                    facilitator=values["facilitator"],
                    note_taker=values["note_taker"],
                )
            except SendtuiError as exc:
                self.show_message(exc.message, error=True)
                return
            self.place_tree.load(self.app.context.store.reader)
            self.set_place(group.id, None)
            self.show_message("Added the group. Add a topic with ctrl+t, or type points.")
            self.capture_line.focus()

        self.app.push_screen(
            FormScreen("Add a discussion group", fields, check=check, save_label="Add"), made
        )

    def action_new_topic(self) -> None:
        if self.app.context.store is None:
            return
        if self.group_id is None:
            self.show_message("Pick or add a group first (ctrl+l / ctrl+g).", error=True)
            return
        group_id = self.group_id
        tree = self.place_tree
        fields = [
            Field(
                "title",
                f"Topic in {tree.group_name(group_id)}",
                "",
                "e.g. Q. Parental support and engagement, or Exercise 1",
            )
        ]

        def check(values: dict[str, str]) -> None:
            from sendtui.services.names import clean_name

            clean_name(values["title"], "topic")

        def made(values: dict[str, str] | None) -> None:
            if values is None:
                return
            from sendtui.services.events import EventService

            try:
                topic = EventService(self.app.context.store).add_topic(group_id, values["title"])
            except SendtuiError as exc:
                self.show_message(exc.message, error=True)
                return
            tree.load(self.app.context.store.reader)
            self.set_place(group_id, topic.id)
            self.capture_line.focus()

        self.app.push_screen(FormScreen("Add a topic", fields, check=check, save_label="Add"), made)

    # -- fixing a mistyped name ----------------------------------------------------------

    def _tree_place(self) -> tuple[int, int | None] | None:
        node = self.place_tree.cursor_node
        place = node.data if node is not None else None
        if place is None or place[0] is None:
            self.show_message("Highlight a group or topic in the list of groups first.")
            return None
        return place[0], place[1]

    def action_rename_place(self) -> None:
        place = self._tree_place()
        if place is None or self.no_editor():
            return
        group_id, topic_id = place
        tree = self.place_tree
        what = "group" if topic_id is None else "topic"
        old = tree.group_name(group_id) if topic_id is None else tree.topic_title(topic_id)
        fields = [Field("name", f"New name for the {what} “{old}”", old)]

        def renamed(values: dict[str, str] | None) -> None:
            if values is None or values["name"].strip() == old:
                return
            from sendtui.services.organise import merge_target

            store = self.app.context.store
            new = values["name"]
            target = merge_target(
                store.reader, self.event_id, what, new, group_id=group_id, topic_id=topic_id
            )
            if target is None:
                self._rename(what, group_id, topic_id, old, new)
                return

            def merge(yes: bool | None) -> None:
                if yes:
                    self._rename(what, group_id, topic_id, old, new)

            self.app.push_screen(
                ConfirmScreen(
                    f"There is already a {what} “{target}”. Merge “{old}” into it? Its points "
                    "move across; a merge cannot be undone.",
                    yes="Merge",
                    no="Cancel",
                ),
                merge,
            )

        self.app.push_screen(FormScreen(f"Rename the {what}", fields, save_label="Rename"), renamed)

    def _rename(self, what: str, group_id: int, topic_id: int | None, old: str, new: str) -> None:
        from sendtui.services import organise

        store = self.app.context.store

        def to(name: str) -> Any:
            if topic_id is None:
                return organise.rename_group(store, self.event_id, group_id, name)
            return organise.rename_topic(store, self.event_id, topic_id, name)

        try:
            done = to(new)
        except SendtuiError as exc:
            self.show_message(exc.message, error=True)
            return
        if not done.merged and self.editor is not None:
            self.editor.record_place(f"rename the {what} “{old}”", lambda: to(old), lambda: to(new))
        self._places_changed(group_id, topic_id, done.merged_into, what)
        self.show_message(done.summary() + ("" if done.merged else " ctrl+z undoes it."))

    def _places_changed(
        self, group_id: int, topic_id: int | None, merged_into: int | None, what: str
    ) -> None:
        tree = self.place_tree
        tree.load(self.app.context.store.reader)
        if merged_into is not None and (self.group_id, self.topic_id) == (group_id, topic_id):
            if what == "group":
                self.set_place(merged_into, None)
            else:
                self.set_place(group_id, merged_into)
        elif not tree.has_place(self.group_id, self.topic_id):
            self.set_place(*tree.first_place())
        else:
            self.set_place(self.group_id, self.topic_id, remember=False)

    def action_delete_place(self) -> None:
        place = self._tree_place()
        if place is None or self.no_editor():
            return
        from sendtui.services import places
        from sendtui.services.events import EventService

        store = self.app.context.store
        group_id, topic_id = place
        tree = self.place_tree
        name = tree.place_name(group_id, topic_id)
        try:
            if topic_id is None:
                old = places.delete_group(store, self.event_id, group_id)

                def undo() -> None:
                    EventService(store).add_group(self.event_id, old)

                def redo() -> None:
                    found = [g for g, t in (p for _, p in tree.places()) if t is None]
                    for gid in found:
                        if tree.group_name(gid) == old:
                            places.delete_group(store, self.event_id, gid)
            else:
                gid, title = places.delete_topic(store, self.event_id, topic_id)

                def undo() -> None:
                    EventService(store).add_topic(gid, title)

                def redo() -> None:
                    for _, (g, t) in tree.places():
                        if g == gid and t is not None and tree.topic_title(t) == title:
                            places.delete_topic(store, self.event_id, t)
        except SendtuiError as exc:
            self.show_message(exc.message, error=True)
            return
        what = "group" if topic_id is None else "topic"
        self.editor.record_place(f"delete the {what} {name}", undo, redo)
        self._places_changed(group_id, topic_id, None, what)
        self.show_message(f"Deleted the {what} {name} (ctrl+z to undo).")
