"""What an Enter on the capture screen costs, counted rather than timed (issue 12): no layout
of the screen, the groups tree's counts in a later frame of their own, and a screen that opens
without loading the ORM on the UI thread."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from sendtui.config import Config
from sendtui.tui.screens.capture import CaptureScreen
from sendtui.tui.screens.capture_ops import STILL_OPENING, CaptureOps
from sendtui.tui.widgets.place_tree import RELABEL_DELAY_S
from tests.tui.helpers import SIZE, app_for, open_capture, settle, type_text

ROOT = Path(__file__).resolve().parents[2]


def _count_layouts(screen: CaptureScreen) -> list[int]:
    """A list that grows by one each time the screen is laid out again."""
    calls: list[int] = []
    layout = screen._refresh_layout

    def counted(*args: object, **kwargs: object) -> None:
        calls.append(1)
        layout(*args, **kwargs)  # type: ignore[arg-type]

    screen._refresh_layout = counted  # type: ignore[method-assign]
    return calls


async def test_enter_and_typing_on_lay_nothing_out(config: Config, event) -> None:
    """Saving a point changes the list, the message, the preview and the line, none of which
    changes size: before, each Enter laid the whole screen out twice (the list's scroll range,
    the message appearing, the cleared line) and repainted every widget."""
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_capture(pilot)
        await type_text(pilot, "first point, so the preview is showing")
        await pilot.press("enter")
        await settle(pilot)
        layouts = _count_layouts(screen)
        await type_text(pilot, "? who pays for transport #2")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.point_list.rows[-1].text == "who pays for transport"
        assert screen.message_shown == "Saved a question."
        assert screen.capture_line.value == ""
        await pilot.press("a", "b")  # typing on clears the message: still no layout
        await settle(pilot)
        assert screen.message_shown == ""
        assert screen.capture_line.value == "ab"
        assert layouts == []


async def test_the_message_line_keeps_its_row_when_cleared(config: Config, event) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_capture(pilot)
        list_height = screen.point_list.size.height
        await type_text(pilot, "a point")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.message_line.size.height == 1
        await pilot.press("x")
        await settle(pilot)
        assert screen.message_shown == ""
        assert screen.message_line.size.height == 1
        assert screen.point_list.size.height == list_height


async def test_long_text_still_scrolls_in_the_capture_line(config: Config, event) -> None:
    """The line no longer lays out when its text grows: the cursor must still be in view."""
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_capture(pilot)
        line = screen.capture_line
        await type_text(pilot, "word " * 40)
        await pilot.press("e", "n", "d")
        await settle(pilot)
        assert line.scroll_offset.x > 0
        assert line.value.endswith("end")
        assert line.cursor_screen_offset.x < line.region.right


async def test_the_tree_counts_follow_in_a_later_frame(config: Config, event) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_capture(pilot)
        tree = screen.place_tree
        root = tree.root
        assert str(root.label).endswith("  0")
        await type_text(pilot, "one point")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.point_list.rows[-1].text == "one point"
        await pilot.pause(RELABEL_DELAY_S * 4)
        await settle(pilot)
        assert str(root.label).endswith("  1")
        topic = tree._place_nodes[(event["group"], event["topic"])]
        assert str(topic.label).endswith("  1")
        group = tree._place_nodes[(event["group"], None)]
        assert str(group.label).endswith("  1")


async def test_points_saved_before_the_editor_is_ready_can_be_undone(
    config: Config, event, monkeypatch
) -> None:
    """The editor (ORM) opens in a thread after the screen: until then saving works, edits
    and undo say to try again, and the points saved meanwhile are on the undo stack once it
    is ready."""
    warm = CaptureOps.warm_editor
    monkeypatch.setattr(CaptureOps, "warm_editor", lambda self: None)
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_capture(pilot)
        assert screen.editor is None
        await type_text(pilot, "saved while the editor opens")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.message_shown == "Saved a point."
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert screen.message_shown == STILL_OPENING
        assert [r.text for r in screen.point_list.rows] == ["saved while the editor opens"]
        warm(screen)  # the real worker, late
        await settle(pilot)
        assert screen.editor is not None
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert screen.point_list.rows == []
        assert screen.message_shown.startswith("Undid: add point")


OPENING = textwrap.dedent(
    """
    import asyncio, sys, threading
    sys.path.insert(0, sys.argv[2])
    loaded_on = []

    class Spy:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("sqlmodel", "sqlalchemy", "pydantic"):
                loaded_on.append(threading.current_thread() is threading.main_thread())
            return None

    sys.meta_path.insert(0, Spy())
    from pathlib import Path
    from sendtui.config import load_config
    from sendtui.tui.app import make_app
    from tests.tui.helpers import settle

    async def main():
        app = make_app(load_config(None, database=Path(sys.argv[1])))
        async with app.run_test(size=(110, 32)) as pilot:
            await settle(pilot)
            assert "sqlmodel" not in sys.modules, "loaded before the capture screen"
            await pilot.press("enter")
            await settle(pilot)
            screen = app.screen
            assert type(screen).__name__ == "CaptureScreen", screen
            assert screen.editor is not None, "the editor never opened"
            print("on the UI thread:", any(loaded_on), "loaded:", bool(loaded_on))

    asyncio.run(main())
    """
)


def test_opening_the_capture_screen_loads_no_orm_on_the_ui_thread(config: Config, event) -> None:
    """SQLModel, SQLAlchemy and pydantic take most of a second to import: the capture screen
    opens on the plain driver and the point editor loads them in a thread."""
    done = subprocess.run(
        [sys.executable, "-c", OPENING, str(config.database_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "on the UI thread: False loaded: True" in done.stdout, done.stdout
