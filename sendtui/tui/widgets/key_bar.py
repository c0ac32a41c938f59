"""The key bar at the foot of every screen: the screen's keys in one line.

Textual's Footer is a container of one widget per key, recomposed whenever the bindings
change (each change of focus): on opening a screen it cost hundreds of milliseconds of
styling, felt as a slow start (issue 12). This is one widget that draws one line of text,
redrawn only when the keys it shows change. The keys are in the screen's BINDINGS order, so a
screen puts the essential ones (F1, Esc) first and they stay visible at 80 columns; a key is
clicked as on Textual's footer (the key is pressed).
"""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget


class Shown(NamedTuple):
    """One key as drawn: what to press when it is clicked, and where it is on the line."""

    key: str
    start: int
    end: int
    enabled: bool


class KeyBar(Widget):
    """One line of key hints from the screen's active bindings."""

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--disabled"}

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyBar > .key-bar--disabled {
        color: $text-disabled;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._shown: list[Shown] = []
        self._signature: tuple[object, ...] = ()

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        # Focus moves often; only a change in what the line shows is worth a redraw.
        if screen is self.screen and self._keys() != self._signature:
            self.refresh()

    def _keys(self) -> tuple[tuple[Binding, bool], ...]:
        """The keys to show, one per action, in the order the bindings were declared."""
        seen: set[str] = set()
        keys: list[tuple[Binding, bool]] = []
        palette = self.app.COMMAND_PALETTE_BINDING if self.app.ENABLE_COMMAND_PALETTE else None
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen or binding.key == palette:
                continue
            seen.add(binding.action)
            keys.append((binding, enabled))
        return tuple(keys)

    def render(self) -> Text:
        keys = self._keys()
        self._signature = keys
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        disabled = self.get_component_rich_style("key-bar--disabled")
        line = Text(no_wrap=True, overflow="crop", end="")
        self._shown = []

        def add(binding: Binding, enabled: bool) -> None:
            start = len(line)
            extra = Style() if enabled else disabled
            line.append(f" {self.app.get_key_display(binding)} ", key_style + extra)
            if binding.description:
                line.append(f"{binding.description} ", description_style + extra)
            self._shown.append(Shown(binding.key, start, len(line), enabled))

        for binding, enabled in keys:
            add(binding, enabled)
        palette = self._palette()
        if palette is not None:  # on the right, as Textual's footer has it, when there is room
            label = len(self.app.get_key_display(palette)) + len(palette.description) + 3
            room = self.size.width - len(line) - label
            if room >= 1:
                line.append(" " * room)
                add(palette, True)
        return line

    def _palette(self) -> Binding | None:
        if not self.app.ENABLE_COMMAND_PALETTE:
            return None
        found = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        return found[1] if found is not None else None

    def on_click(self, event: events.Click) -> None:
        for shown in self._shown:
            if shown.start <= event.x < shown.end:
                event.stop()
                if shown.enabled:
                    self.app.simulate_key(shown.key)
                else:
                    self.app.bell()
                return
