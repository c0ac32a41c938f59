"""The capture screen's sidebar: the event's groups and their topics, with point counts."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from sendtui.services.capture import place_counts, place_names
from sendtui.store.db import Db

Place = tuple[int | None, int | None]  # (group id, topic id); (None, None) is the whole event
# After a save, the counts are relabelled this much later, in a frame of their own: changing
# the "Whole event" label redraws every line of the tree (about a millisecond a line), and the
# new point in the list should not wait for that. Saves in quick succession share one relabel.
RELABEL_DELAY_S = 0.05


class PlaceTree(Tree[Place]):
    """Event → groups → topics. Enter chooses where new points go."""

    class PlaceChosen(Message):
        def __init__(self, group_id: int | None, topic_id: int | None) -> None:
            super().__init__()
            self.group_id = group_id
            self.topic_id = topic_id

    def __init__(self, event_id: int, *, id: str | None = None) -> None:
        super().__init__(Text("Whole event"), data=(None, None), id=id)
        self.event_id = event_id
        self.show_root = True
        self.guide_depth = 2
        self.auto_expand = False
        self._groups: dict[int, str] = {}  # id → name
        self._topics: dict[int, tuple[int, str]] = {}  # id → (group id, title)
        self._place_nodes: dict[Place, TreeNode[Place]] = {}
        self._counts: dict[Place, int] = {}
        self._bumped: set[Place] = set()  # places whose labels wait for the relabel timer
        self._relabel_timer: Timer | None = None

    def load(self, conn: Db) -> None:
        """(Re)build from the store, keeping the cursor on the same place."""
        current = self.cursor_node.data if self.cursor_node else None
        # Names only: the counts come from one pass over the points (refresh_counts), not a
        # count per group and per topic (a third of a second at 100,000 points).
        groups, topics = place_names(conn, self.event_id)
        self._groups = dict(groups)
        self._topics = {topic_id: (group_id, title) for topic_id, group_id, title in topics}
        self.clear()
        self.root.data = (None, None)
        self._place_nodes = {(None, None): self.root}
        for group_id in self._groups:
            node = self.root.add("", data=(group_id, None), expand=True)
            self._place_nodes[(group_id, None)] = node
            for topic_id, (owner, _) in self._topics.items():
                if owner == group_id:
                    self._place_nodes[(group_id, topic_id)] = node.add_leaf(
                        "", data=(group_id, topic_id)
                    )
        self.root.expand()
        self.refresh_counts(conn)
        if current is not None:
            self.select_place(*current)

    def refresh_counts(self, conn: Db) -> None:
        """Recount points per group and topic (one query) and relabel."""
        self._counts = place_counts(conn, self.event_id)
        self._relabel()

    def bump(
        self, group_id: int | None, topic_id: int | None, by: int, *, soon: bool = False
    ) -> None:
        """Count one more point without a query (after a save): relabel just the nodes that
        show it (the topic, its group and the whole event), now or, with `soon`, a moment
        later (RELABEL_DELAY_S)."""
        key = (group_id, topic_id)
        self._counts[key] = self._counts.get(key, 0) + by
        if group_id is None:
            return
        self._bumped.add(key)
        if not soon:
            self._relabel_bumped()
        elif self._relabel_timer is None:
            self._relabel_timer = self.set_timer(RELABEL_DELAY_S, self._relabel_bumped)

    def _relabel_bumped(self) -> None:
        if self._relabel_timer is not None:
            self._relabel_timer.stop()
            self._relabel_timer = None
        bumped, self._bumped = self._bumped, set()
        if not bumped:
            return
        self.root.set_label(
            _label("Whole event", sum(n for (g, _), n in self._counts.items() if g is not None))
        )
        for group_id in {g for g, _ in bumped}:
            assert group_id is not None
            group_total = sum(n for (g, _), n in self._counts.items() if g == group_id)
            if node := self._place_nodes.get((group_id, None)):
                node.set_label(_label(self.group_name(group_id), group_total))
        for key in bumped:
            topic_id = key[1]
            if topic_id is not None and (node := self._place_nodes.get(key)):
                node.set_label(_label(self.topic_title(topic_id), self._counts[key]))

    def _relabel(self) -> None:
        self._bumped.clear()  # every label is redone here
        group_totals: dict[int, int] = {}
        for (group_id, _), count in self._counts.items():
            if group_id is not None:
                group_totals[group_id] = group_totals.get(group_id, 0) + count
        self.root.set_label(_label("Whole event", sum(group_totals.values())))
        for (group_id, topic_id), node in self._place_nodes.items():
            if group_id is None:
                continue
            if topic_id is None:
                node.set_label(_label(self.group_name(group_id), group_totals.get(group_id, 0)))
            else:
                node.set_label(
                    _label(self.topic_title(topic_id), self._counts.get((group_id, topic_id), 0))
                )

    def group_name(self, group_id: int) -> str:
        return self._groups.get(group_id, "?")

    def topic_title(self, topic_id: int) -> str:
        topic = self._topics.get(topic_id)
        return topic[1] if topic else "?"

    def place_name(self, group_id: int | None, topic_id: int | None) -> str:
        """ "Green Group › Q1", or the group alone, or "the whole event"."""
        if group_id is None:
            return "the whole event"
        name = self.group_name(group_id)
        return name if topic_id is None else f"{name} › {self.topic_title(topic_id)}"

    def has_place(self, group_id: object, topic_id: object) -> bool:
        return (group_id, topic_id) in self._place_nodes and group_id is not None

    def first_place(self) -> Place:
        """The first topic of the first group, or the first group, or nothing."""
        for key in self._place_nodes:
            if key[0] is not None:
                topics = [k for k in self._place_nodes if k[0] == key[0] and k[1] is not None]
                return topics[0] if topics else key
        return (None, None)

    def places(self) -> list[tuple[str, tuple[int, int | None]]]:
        """Every group and topic as ("Group › Topic", (group id, topic id)) for a picker."""
        result: list[tuple[str, tuple[int, int | None]]] = []
        for group_id, topic_id in self._place_nodes:
            if group_id is None:
                continue
            label = self.group_name(group_id)
            if topic_id is not None:
                label += " › " + self.topic_title(topic_id)
            else:
                label += " (no topic)"
            result.append((label, (group_id, topic_id)))
        return result

    def select_place(self, group_id: int | None, topic_id: int | None) -> None:
        node = self._place_nodes.get((group_id, topic_id))
        if node is not None:
            self.move_cursor(node)

    def on_tree_node_selected(self, event: Tree.NodeSelected[Place]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.PlaceChosen(*event.node.data))


def _label(name: str, count: int) -> Text:
    text = Text(name)
    text.append(f"  {count}", style="dim")
    return text
