"""The capture screen's sidebar: the event's groups and their topics, with point counts."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from sendtui.services.capture import place_counts
from sendtui.store import reads
from sendtui.store.db import Db

Place = tuple[int | None, int | None]  # (group id, topic id); (None, None) is the whole event


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
        self._groups: dict[int, reads.GroupRow] = {}
        self._topics: dict[int, reads.TopicRow] = {}
        self._place_nodes: dict[Place, TreeNode[Place]] = {}
        self._counts: dict[Place, int] = {}

    def load(self, conn: Db) -> None:
        """(Re)build from the store, keeping the cursor on the same place."""
        current = self.cursor_node.data if self.cursor_node else None
        self._groups = {g.id: g for g in reads.groups(conn, self.event_id)}
        self._topics = {t.id: t for t in reads.topics(conn, self.event_id)}
        self.clear()
        self.root.data = (None, None)
        self._place_nodes = {(None, None): self.root}
        for group in self._groups.values():
            node = self.root.add("", data=(group.id, None), expand=True)
            self._place_nodes[(group.id, None)] = node
            for topic in (t for t in self._topics.values() if t.group_id == group.id):
                self._place_nodes[(group.id, topic.id)] = node.add_leaf(
                    "", data=(group.id, topic.id)
                )
        self.root.expand()
        self.refresh_counts(conn)
        if current is not None:
            self.select_place(*current)

    def refresh_counts(self, conn: Db) -> None:
        """Recount points per group and topic (one query) and relabel."""
        self._counts = place_counts(conn, self.event_id)
        self._relabel()

    def bump(self, group_id: int | None, topic_id: int | None, by: int) -> None:
        """Count one more point without a query (after a save): relabel just the nodes that
        show it (the topic, its group and the whole event)."""
        key = (group_id, topic_id)
        self._counts[key] = self._counts.get(key, 0) + by
        if group_id is None:
            return
        group_total = sum(n for (g, _), n in self._counts.items() if g == group_id)
        self.root.set_label(
            _label("Whole event", sum(n for (g, _), n in self._counts.items() if g is not None))
        )
        self._place_nodes[(group_id, None)].set_label(
            _label(self.group_name(group_id), group_total)
        )
        if topic_id is not None and (node := self._place_nodes.get(key)):
            node.set_label(_label(self.topic_title(topic_id), self._counts[key]))

    def _relabel(self) -> None:
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
        group = self._groups.get(group_id)
        return group.name if group else "?"

    def topic_title(self, topic_id: int) -> str:
        topic = self._topics.get(topic_id)
        return topic.title if topic else "?"

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
