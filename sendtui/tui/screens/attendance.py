"""Attendance, apologies and actions of one event, for the minutes (`a` on the events list).

Three tabs, one table each: who came (name or organisation, role, level of involvement,
number), who sent apologies, and the actions agreed (what, who, by when, done; action
points captured with `* ` are listed too, and `e` on one records it as an action with a who
and a date). `n` adds to the tab shown, `e` or Enter edits, Delete removes (after asking).
Row keys are ids; an action point not yet recorded has the key "p<point id>".
The line under the tabs counts the people by role and by level, as the minutes' table does.
Every rule is the attendance service's: this screen only asks and shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from sendtui.errors import SendtuiError
from sendtui.models.attendance import LEVELS, ROLES
from sendtui.services import attendance as service
from sendtui.tui.screens.form import Field, FormScreen
from sendtui.tui.widgets.key_bar import KeyBar


@dataclass(frozen=True)
class _Tab:
    id: str
    title: str
    columns: tuple[str, ...]
    empty: str  # shown in the table's place when there is nothing yet


TABS = (
    _Tab("attendees", "Attendance", ("Name", "Organisation", "Role", "Level", "No."),
         "No one recorded yet: n adds a person, an organisation or a number of people."),
    _Tab("apologies", "Apologies", ("Name", "Organisation"),
         "No apologies recorded: n adds one."),
    _Tab("actions", "Actions", ("Action", "Who", "By when", "Done"),
         "No actions yet: n adds one (points typed with * are listed here too)."),
)  # fmt: skip


class AttendanceScreen(Screen[None]):
    """Who came, apologies and actions for event `event_id`."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="attendance.back"),
        Binding("n", "add", "Add", id="attendance.add"),
        Binding("e", "edit", "Edit", id="attendance.edit"),
        Binding("delete", "remove", "Remove", id="attendance.remove"),
        Binding("1", "tab('attendees')", "Attendance", id="attendance.tab1", show=False),
        Binding("2", "tab('apologies')", "Apologies", id="attendance.tab2", show=False),
        Binding("3", "tab('actions')", "Actions", id="attendance.tab3", show=False),
    ]
    DEFAULT_CSS = """
    AttendanceScreen #attendance-summary { height: auto; padding: 0 1; background: $panel; }
    AttendanceScreen #attendance-tabs, AttendanceScreen ContentSwitcher { height: 1fr; }
    AttendanceScreen TabPane { height: 1fr; padding: 0; }
    AttendanceScreen DataTable { height: 1fr; }
    AttendanceScreen .attendance-empty { padding: 1 2; color: $text-muted; }
    """

    def __init__(self, event_id: int, title: str = "") -> None:
        super().__init__()
        self.event_id = event_id
        self.event_title = title

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="attendance-summary")
        with TabbedContent(id="attendance-tabs"):
            for tab in TABS:
                with TabPane(f"{tab.title}", id=f"tab-{tab.id}"):
                    yield Static(Text(tab.empty), classes="attendance-empty", id=f"{tab.id}-empty")
                    yield DataTable(id=tab.id, cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.store = self.app.context.store  # type: ignore[attr-defined]
        self.service = service.AttendanceService(self.store)
        self.sub_title = f"{self.event_title} · attendance" if self.event_title else "Attendance"
        for tab in TABS:
            table = self.query_one(f"#{tab.id}", DataTable)
            for title in tab.columns:
                table.add_column(Text(title), key=title)
        self.refresh_all()
        self.query_one("#attendees", DataTable).focus()

    # -- showing ----------------------------------------------------------------------------

    def refresh_all(self, select: str | None = None) -> None:
        reader = self.store.reader
        attendees = service.read_attendees(reader, self.event_id)
        self._fill("attendees", [
            (str(a.id), (a.name, a.organisation, a.role, a.level, a.count)) for a in attendees
        ], select)  # fmt: skip
        self._fill("apologies", [
            (str(a.id), (a.name, a.organisation))
            for a in service.read_apologies(reader, self.event_id)
        ], select)  # fmt: skip
        self.actions = service.read_actions(reader, self.event_id, include_private=True)
        self._fill("actions", [
            (str(a.id) if a.id is not None else f"p{a.point_id}",
             (a.what + (" (private)" if a.private else ""), a.who,
              a.due.isoformat() if a.due else "", "done" if a.done else ""))
            for a in self.actions
        ], select)  # fmt: skip
        self._summary(service.tally(attendees))

    def _fill(self, tab: str, rows: list[tuple[str, tuple]], select: str | None) -> None:
        table = self.query_one(f"#{tab}", DataTable)
        keep = table.cursor_row
        table.clear()
        for key, cells in rows:
            table.add_row(*(Text(str(c), justify="right" if isinstance(c, int) else "left")
                            for c in cells), key=key)  # fmt: skip
        table.display = bool(rows)
        self.query_one(f"#{tab}-empty").display = not rows
        if select is not None and select in {key for key, _ in rows}:
            table.move_cursor(row=table.get_row_index(select))
        elif rows:
            table.move_cursor(row=min(keep, len(rows) - 1))

    def _summary(self, counted: service.Tally) -> None:
        if not counted.total:
            text = "No attendance recorded yet."
        else:
            roles = ", ".join(f"{counted.role_total(r)} {r}" for r in counted.roles)
            levels = ", ".join(f"{lv} {counted.level_total(lv)}" for lv in counted.levels)
            text = f"{counted.total} people: {roles} · by level: {levels}"
        self.query_one("#attendance-summary", Static).update(Text(text))

    # -- acting -----------------------------------------------------------------------------

    @property
    def tab(self) -> str:
        return str(self.query_one(TabbedContent).active).removeprefix("tab-")

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = f"tab-{tab}"
        self.query_one(f"#{tab}", DataTable).focus()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.query_one(f"#{self.tab}", DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def _selected(self) -> str | None:
        table = self.query_one(f"#{self.tab}", DataTable)
        if not table.row_count or not table.display:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_add(self) -> None:
        self._form(None)

    def action_edit(self) -> None:
        key = self._selected()
        if key is not None:
            self._form(key)

    def _form(self, key: str | None) -> None:
        """The add or edit form for the tab shown; the service saves when Save is pressed
        (a refusal shows in the form, with everything typed kept)."""
        tab, eid, svc = self.tab, self.event_id, self.service
        saved: list[int] = []
        save: Callable[[dict[str, str]], object]
        if tab == "attendees":
            row = next((a for a in service.read_attendees(self.store.reader, eid)
                        if str(a.id) == key), None)  # fmt: skip
            fields = [
                Field("name", "Name", row.name if row else "", "blank for a number of people"),
                Field("organisation", "Organisation", row.organisation if row else ""),
                Field("role", "Role", row.role if row else ROLES[0],
                      choices=[(r, r) for r in ROLES]),
                Field("level", "Level of involvement", row.level if row else "consultation",
                      choices=[(lv, lv) for lv in LEVELS]),
                Field("count", "Number of people", str(row.count) if row else "1"),
            ]  # fmt: skip

            def save(v: dict[str, str]) -> object:
                if row is None:
                    return saved.append(svc.add_attendee(eid, **v))
                return svc.edit_attendee(row.id, **v)

            title = "Attendee"
        elif tab == "apologies":
            found = next((a for a in service.read_apologies(self.store.reader, eid)
                          if str(a.id) == key), None)  # fmt: skip
            fields = [
                Field("name", "Name", found.name if found else ""),
                Field("organisation", "Organisation", found.organisation if found else ""),
            ]

            def save(v: dict[str, str]) -> object:
                if found is None:
                    return saved.append(svc.add_apology(eid, **v))
                return svc.edit_apology(found.id, **v)

            title = "Apologies from"
        else:
            action = next((a for a in self.actions
                           if (str(a.id) if a.id is not None else f"p{a.point_id}") == key),
                          None)  # fmt: skip
            fields = [
                Field("what", "Action", action.what if action else ""),
                Field("who", "Who", action.who if action else "", "a person or organisation"),
                Field("due", "By when (YYYY-MM-DD)",
                      action.due.isoformat() if action and action.due else "", "blank: no date"),
                Field("done", "Done", "yes" if action and action.done else "no",
                      choices=[("not yet", "no"), ("done", "yes")]),
            ]  # fmt: skip

            def save(v: dict[str, str]) -> object:
                values = {**v, "done": v["done"] == "yes"}
                if action is None or action.id is None:  # new, or an action point recorded
                    point = action.point_id if action else None
                    return saved.append(svc.add_action(eid, point_id=point, **values))
                return svc.edit_action(action.id, **values)

            title = "Action"

        def closed(values: dict[str, str] | None) -> None:
            if values is not None:
                self.refresh_all(select=str(saved[0]) if saved else key)
                self.app.say("Saved.")  # type: ignore[attr-defined]

        verb = "Add" if key is None or key.startswith("p") else "Edit"
        self.app.push_screen(FormScreen(f"{verb}: {title.lower()}", fields, check=save), closed)

    def action_remove(self) -> None:
        key = self._selected()
        if key is None:
            return
        if key.startswith("p"):
            self.app.say(  # type: ignore[attr-defined]
                "That is an action point: change its kind on the capture or review screen."
            )
            return
        from sendtui.tui.screens.confirm import ConfirmScreen

        tab = self.tab
        label = str(self.query_one(f"#{tab}", DataTable).get_row(key)[0]) or "this entry"
        remove = {"attendees": self.service.remove_attendee,
                  "apologies": self.service.remove_apology,
                  "actions": self.service.remove_action}[tab]  # fmt: skip

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                remove(int(key))
            except SendtuiError as exc:
                self.app.say(exc.message, severity="error")  # type: ignore[attr-defined]
            else:
                self.app.say(f"Removed “{label}”.")  # type: ignore[attr-defined]
            self.refresh_all()

        self.app.push_screen(ConfirmScreen(f"Remove “{label}”?", yes="Remove"), answered)

    def action_back(self) -> None:
        self.dismiss(None)
