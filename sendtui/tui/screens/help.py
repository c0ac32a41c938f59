"""F1: the capture syntax, every key (with the id to remap it in config.toml), the glossary."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

SYNTAX = """\
Capture line
  Type a point and press Enter: it is saved at once, under the group, topic and heading shown
  above the list. The line keeps the group, topic and heading for the next point. If the
  database is busy or the server cannot be reached, points are kept on this laptop in order,
  shown as "saving…", and saved as soon as it can; nothing waits and nothing is lost.

  ## Remuneration        on its own: the heading for the points that follow (## alone clears it)
  ? How do we …?         a kind mark and a space:  ? question   + positive   - negative
                         ! concern   > solution   * action   (marks are set in config.toml)
  … #7   … #7.3          tag chapter 7 of the event's scheme; 7.3 is kept as the section
  … #0                   the "General" chapter
  … @M3   … @D4          tag markers of good practice (M1–M7 minimum, D1–D5 in development)
    two spaces first     a sub-point of the point above; four spaces a sub-sub-point
  \\#1 priority           a backslash keeps # @ or a kind mark as plain text
  Pasting several lines offers to save each line as a point (or keep them as one).
  ctrl+z with text in the line takes back typing; with an empty line it undoes the last
  change (the message says where it was).

In the list (↑ from the capture line, or click a point)
  Enter edit · Delete delete · F6 move to another group or topic · alt+↑/↓ reorder
  alt+→ make a sub-point · alt+← undo that · F7 private (left out of minutes)
  Esc, or just start typing, goes back to the capture line

Groups and topics (ctrl+l)
  Enter add points there · F2 rename · Delete delete an empty one (ctrl+z undoes both)
  F8 / shift+F8 next / previous group · F9 / shift+F9 next / previous topic (from anywhere)
"""

REVIEW = """\
Review (coordinators)
  Any letter, / or ctrl+f types in the filter: letters never run commands here. The filter's
  border says whether keys go to the table or the filter; Enter or ↓ returns to the table.
  Filter words: text to find, #7, @M3, ? ! + - > (kinds), group:red, topic:offer,
  heading:pay, untagged, unmarked, private, suggested, conflicts.
  0–9 tag or untag that chapter (10, 11: both digits) · ? + - ! > . set the kind
  @ markers of good practice · = accept the suggested chapter · u untagged only
  space, shift+↑/↓ mark · ctrl+a mark every point shown · Esc clears marks
  Enter edit · F7 private · F2 rename or merge a group, topic or heading · ctrl+o sort
  ctrl+z / ctrl+y undo / redo (one action is one step)
  ctrl+r / ctrl+k on a point with a merge conflict: restore the other laptop's value / keep
  this one. Actions apply to marked points that are shown; hidden marked points are counted
  and left alone.
"""


class HelpScreen(ModalScreen[None]):
    """Help for the screen underneath."""

    BINDINGS = [Binding("escape,f1,q", "close", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            if type(self._under()).__name__ == "ReviewScreen":
                yield Static(Text(REVIEW), id="help-review")
            yield Static(Text(SYNTAX), id="help-syntax")
            yield Static(self._keys(), id="help-keys")
            yield Static(self._glossary(), id="help-glossary")

    def _under(self) -> Screen[object]:
        """The screen help was asked on (compose may run before or after this is pushed)."""
        stack = [screen for screen in self.app.screen_stack if screen is not self]
        return stack[-1] if stack else self.app.screen

    def _keys(self) -> Table:
        table = Table(
            title="Keys on this screen (remap them in config.toml [keys])",
            title_justify="left",
            expand=True,
        )
        table.add_column("Key")
        table.add_column("Does")
        table.add_column("Binding id")
        under = self._under()
        seen: set[str] = set()
        for node in (under, *under.query("*"), self.app):
            for binding in getattr(node, "BINDINGS", []):
                if not isinstance(binding, Binding) or not binding.id or binding.id in seen:
                    continue
                seen.add(binding.id)
                keys = self.app._keymap.get(binding.id, binding.key)
                table.add_row(Text(keys), Text(binding.description), Text(binding.id))
        if self.app.ENABLE_COMMAND_PALETTE:  # the key bar shows it only when there is room
            palette = self.app.COMMAND_PALETTE_BINDING
            table.add_row(Text(palette), Text("Command palette: any action by name"), Text("—"))
        return table

    def _glossary(self) -> Table | Text:
        from sendtui.errors import SendtuiError
        from sendtui.paths import builtin_data_dir
        from sendtui.services.reference import load_glossary

        try:
            terms = load_glossary(builtin_data_dir())
        except SendtuiError as exc:
            return Text(exc.message)
        table = Table(title="Glossary", title_justify="left", expand=True)
        table.add_column("Term", no_wrap=True)
        table.add_column("Meaning")
        for term in terms:
            table.add_row(Text(term.term), Text(term.meaning))
        return table

    def action_close(self) -> None:
        self.dismiss(None)
