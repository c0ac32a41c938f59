"""At a real event: each capture-screen fix of the "capture, review and minutes" issue,
driven with real keys through Pilot."""

from __future__ import annotations

import sqlite3

from textual import events
from textual.widgets import Input

from sendtui.config import Config
from sendtui.tui.screens.capture import CaptureScreen
from sendtui.tui.screens.confirm import ConfirmScreen
from sendtui.tui.screens.form import FormScreen
from sendtui.tui.widgets.place_tree import PlaceTree
from sendtui.tui.widgets.point_list import PointList
from tests.tui.helpers import SIZE, app_for, open_capture, screen_text, settle, type_text

TOPIC = "Q. Parental support and engagement"


def rows(config: Config, sql: str) -> list[tuple]:
    with sqlite3.connect(config.database_path) as conn:
        return conn.execute(sql).fetchall()


async def say(pilot, line: str) -> None:
    await type_text(pilot, line)
    await pilot.press("enter")
    await pilot.pause()


def flat(app) -> str:
    return " ".join(screen_text(app).split())


async def test_each_point_shows_under_its_own_heading(config: Config, event) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_capture(pilot)
        for line in ("## Money", "costs too much", "##", "not about money"):
            await say(pilot, line)
        text = screen_text(app)
        assert "── Money ──" in text and "── no heading ──" in text
        assert text.index("costs too much") < text.index("no heading")
        assert text.index("no heading") < text.index("not about money")
        assert rows(config, "SELECT text, heading FROM point ORDER BY position") == [
            ("costs too much", "Money"),
            ("not about money", ""),
        ]
        # F6 moves the headed point into the group (no topic), after a point with no heading
        await pilot.press("ctrl+l")
        await pilot.press("up")  # the group itself
        await pilot.press("enter")
        await say(pilot, "group point")
        await pilot.press("ctrl+l", "down", "enter")  # back to the topic
        await pilot.pause()
        await pilot.press("up", "up")  # highlight "costs too much"
        assert screen.point_list.highlighted.text == "costs too much"
        await pilot.press("f6")
        await pilot.pause()
        await type_text(pilot, "(no topic)")
        await pilot.press("enter")
        await pilot.pause()
        assert "Moved 1 point to Green Group." in flat(app)
        await pilot.press("ctrl+l", "up", "enter")
        await pilot.pause()
        text = screen_text(app)  # in the order made, each under its own heading
        assert text.index("── Money ──") < text.index("costs too much")
        assert text.index("costs too much") < text.index("── no heading ──")
        assert text.index("── no heading ──") < text.index("group point")


async def test_alt_down_keeps_the_highlight_on_the_moved_point(config: Config, event) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_capture(pilot)
        for line in ("first", "second", "third"):
            await say(pilot, line)
        await pilot.press("up", "up", "up")
        points = screen.query_one(PointList)
        assert points.highlighted.text == "first"
        await pilot.press("alt+down")
        await pilot.pause()
        assert [r.text for r in points.rows] == ["second", "first", "third"]
        assert points.highlighted.text == "first"
        await pilot.press("ctrl+down")
        await pilot.pause()
        assert [r.text for r in points.rows] == ["second", "third", "first"]
        assert points.highlighted.text == "first"
        assert "Moved the point down." in flat(app)


async def test_editing_is_unmissable_and_esc_f1_stay_visible_at_80x24(
    config: Config, event
) -> None:
    app = app_for(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_capture(pilot)
        text = screen_text(app)
        assert "esc Back" in text.replace("  ", " ") or "esc" in text.split("\n")[-1]
        assert "f1" in text.split("\n")[-1].lower()
        await say(pilot, "a point to fix")
        await pilot.press("up", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Editing a point: Enter saves · Esc cancels" in text
        footer = text.split("\n")[-1].lower()
        assert "esc" in footer and "f1" in footer
        await pilot.press("escape")
        await pilot.pause()
        assert "Editing a point" not in screen_text(app)


async def test_multi_line_paste_saves_each_line_or_keeps_all(config: Config, event) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_capture(pilot)
        screen.capture_line.post_message(events.Paste("? Who pays?\n  the council\n+ good #2\n"))
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "You pasted 3 lines" in flat(app)
        await pilot.press("y")
        await pilot.pause()
        got = rows(config, "SELECT text, kind, parent_id IS NOT NULL FROM point ORDER BY position")
        assert got == [
            ("Who pays?", "question", 0),
            ("the council", "point", 1),
            ("good", "positive", 0),
        ]
        assert "Saved 3 pasted points." in flat(app)
        screen.capture_line.post_message(events.Paste("one line\nanother line"))
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert screen.capture_line.value == "one line another line"
        assert len(rows(config, "SELECT id FROM point")) == 3


async def test_a_refused_pasted_line_saves_nothing_and_keeps_the_text(config, event) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_capture(pilot)
        screen.capture_line.post_message(events.Paste("fine\nbad #99\nalso fine"))
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert rows(config, "SELECT id FROM point") == []
        assert "Pasted line 2: There is no chapter 99" in flat(app)
        assert screen.capture_line.value == "fine bad #99 also fine"


async def test_ctrl_z_undoes_typing_first_then_the_last_saved_change(config, event) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_capture(pilot)
        await say(pilot, "keep me")
        await say(pilot, "delete me")
        await pilot.press("up")
        await pilot.press("delete")
        await pilot.pause()
        assert "Deleted 1 point (ctrl+z to undo)." in flat(app)
        await pilot.press("escape")  # back to the capture line
        await pilot.press("a", "b")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert screen.capture_line.value == "a"
        assert "Undid typing." in flat(app)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert screen.capture_line.value == ""
        await pilot.press("ctrl+z")  # the line is empty: undo the delete
        await pilot.pause()
        assert f"Undid: delete 1 point in Green Group › {TOPIC}." in flat(app)
        live = rows(config, "SELECT text FROM point WHERE deleted_at IS NULL ORDER BY position")
        assert live == [("keep me",), ("delete me",)]


async def test_typing_with_the_groups_tree_focused_goes_to_the_capture_line(config, event):
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_capture(pilot)
        await pilot.press("ctrl+l")
        assert isinstance(app.focused, PlaceTree)
        await pilot.press("h", "i")
        assert app.focused is screen.capture_line
        assert screen.capture_line.value == "hi"


async def test_a_lone_mark_is_refused(config: Config, event) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_capture(pilot)
        for mark in ("question_mark", "plus"):
            screen.capture_line.value = ""
            await pilot.press(mark, "space", "enter")
            await pilot.pause()
            assert "A point needs some text" in flat(app)
        assert rows(config, "SELECT id FROM point") == []


async def test_clicking_a_point_highlights_it(config: Config, event) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_capture(pilot)
        for line in ("alpha", "beta", "gamma"):
            await say(pilot, line)
        points = screen.query_one(PointList)
        assert points.highlighted.text == "gamma"
        await pilot.click(PointList, offset=(5, 0))
        await pilot.pause()
        assert points.highlighted.text == "alpha"
        await pilot.click(PointList, offset=(5, 1))
        await pilot.pause()
        assert points.highlighted.text == "beta"


async def test_next_and_previous_group_and_topic_keys(config: Config, event, store) -> None:
    from sendtui.services.events import EventService

    events_ = EventService(store)
    red = events_.add_group(event["event"], "Red Group")
    events_.add_topic(red.id, "Exercise 1")
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_capture(pilot)
        assert (screen.group_id, screen.topic_id) == (event["group"], event["topic"])
        await pilot.press("f9")  # next topic: Red Group (no topic) comes next in the tree
        await pilot.pause()
        assert screen.group_id == red.id
        assert "Now adding points to Red Group" in flat(app)
        await pilot.press("shift+f9")
        await pilot.pause()
        assert (screen.group_id, screen.topic_id) == (event["group"], event["topic"])
        await pilot.press("f8")  # next group, its first topic
        await pilot.pause()
        assert screen.group_id == red.id and screen.topic_id is not None
        await pilot.press("shift+f8")
        await pilot.pause()
        assert screen.group_id == event["group"]
        await pilot.press("f1")
        await pilot.pause()
        from rich.console import Console

        console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
        console.print(app.screen._keys())
        help_text = console.export_text()
        for words in ("Next group", "Previous group", "Next topic", "Previous topic"):
            assert words in help_text


async def test_filter_counts_and_a_hidden_save_says_so(config: Config, event) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_capture(pilot)
        for line in ("transport costs", "school places", "transport again"):
            await say(pilot, line)
        await pilot.press("ctrl+f")
        await type_text(pilot, "transport")
        await pilot.pause()
        assert "2 of 3 points" in flat(app)
        await pilot.press("z", "z")
        await pilot.pause()
        assert "no points match" in flat(app)
        await pilot.press("backspace", "backspace")
        screen.capture_line.focus()
        await pilot.pause()
        await say(pilot, "lunch was good")
        assert "the filter hides it" in flat(app)
        assert screen.query_one("#filter", Input).value == "transport"


async def test_rename_and_delete_a_mistyped_group_or_topic(config: Config, event, store):
    from sendtui.services.events import EventService

    EventService(store).add_group(event["event"], "Gren Grup")
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_capture(pilot)
        tree = screen.place_tree
        await pilot.press("ctrl+l")
        tree.select_place(*next(p for label, p in tree.places() if label.startswith("Gren")))
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        app.screen.query_one(Input).value = ""
        await type_text(pilot, "Blue Group")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Renamed the group to “Blue Group”" in flat(app)
        names = rows(config, "SELECT name FROM discussion_group ORDER BY id")
        assert names == [("Green Group",), ("Blue Group",)]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert rows(config, "SELECT name FROM discussion_group ORDER BY id")[1] == ("Gren Grup",)
        await pilot.press("ctrl+l")
        tree.select_place(*next(p for label, p in tree.places() if label.startswith("Gren")))
        await pilot.press("delete")
        await pilot.pause()
        assert "Deleted the group Gren Grup (ctrl+z to undo)." in flat(app)
        assert rows(config, "SELECT name FROM discussion_group ORDER BY id") == [("Green Group",)]
        screen.capture_line.focus()
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert ("Gren Grup",) in rows(config, "SELECT name FROM discussion_group")
        # a group with points is not deleted: nothing typed is lost
        await pilot.press("ctrl+l")
        tree.select_place(event["group"], None)
        await pilot.pause()
        screen.capture_line.focus()
        await say(pilot, "a point")
        await pilot.press("ctrl+l")
        tree.select_place(event["group"], event["topic"])
        await pilot.press("delete")
        await pilot.pause()
        assert "has 1 point" in flat(app)


async def test_two_spaces_a_level_make_sub_and_sub_sub_points(config: Config, event) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await open_capture(pilot)
        await say(pilot, "top")
        await type_text(pilot, "  sub")
        await pilot.press("enter")
        await type_text(pilot, "    subsub")
        await pilot.press("enter")
        await pilot.pause()
        got = dict(
            (text, parent)
            for text, parent in rows(
                config,
                "SELECT p.text, q.text FROM point p LEFT JOIN point q ON q.id = p.parent_id",
            )
        )
        assert got == {"top": None, "sub": "top", "subsub": "sub"}


async def test_whole_event_view_shows_each_points_group(config: Config, event, store) -> None:
    from sendtui.services.events import EventService
    from sendtui.services.points import PointEditor
    from sendtui.services.syntax import ParsedPoint

    red = EventService(store).add_group(event["event"], "Red Group")
    editor = PointEditor(store, event["event"])
    editor.add(ParsedPoint("green says"), group_id=event["group"], topic_id=event["topic"])
    editor.add(ParsedPoint("red says"), group_id=red.id, topic_id=None)
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_capture(pilot)
        screen.place_tree.select_place(None, None)
        await pilot.press("ctrl+l", "enter")
        await pilot.pause()
        assert screen.group_id is None
        text = screen_text(app)
        assert "Green Group · • green says" in text
        assert "Red Group · • red says" in text


async def test_messages_are_past_tense_and_clear_when_stale(config: Config, event, store):
    from sendtui.services.events import EventService

    red = EventService(store).add_group(event["event"], "Red Group")
    EventService(store).add_topic(red.id, "Preparing for adulthood")
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_capture(pilot)
        await say(pilot, "one")
        await say(pilot, "two")
        await pilot.press("up")
        await pilot.press("f7")
        await pilot.pause()
        assert "Marked private." in flat(app)
        await pilot.press("f6")
        await pilot.pause()
        await type_text(pilot, "Preparing")
        await pilot.press("enter")
        await pilot.pause()
        assert "Moved 1 point to Red Group › Preparing for adulthood." in flat(app)
        screen.capture_line.focus()
        await pilot.pause()
        await say(pilot, "three #99")
        assert "There is no chapter 99" in flat(app)
        await pilot.press("backspace")  # fixing the line: the old refusal no longer applies
        await pilot.pause()
        assert "There is no chapter 99" not in flat(app)


async def test_an_action_point_is_captured(config: Config, event) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await open_capture(pilot)
        await say(pilot, "* Send the minutes to the council #2")
        assert rows(config, "SELECT text, kind FROM point") == [
            ("Send the minutes to the council", "action")
        ]
        assert "Saved a action" not in flat(app)


EDITOR = """
import asyncio, os, signal, sys
from pathlib import Path
from sendtui.config import load_config
from tests.tui.helpers import app_for, settle, type_text

async def main():
    app = app_for(load_config(None, database=Path(sys.argv[1])))
    async with app.run_test(size=(110, 32)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await type_text(pilot, "the original text")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("up", "enter")  # edit it
        await pilot.pause()
        await pilot.press("end")
        await type_text(pilot, " and half an edit")
        await pilot.pause()
        app.screen.drafts.flush()  # what every keystroke hands to the draft writer
        print("editing", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

asyncio.run(main())
"""


async def test_a_half_edited_point_survives_kill_9(config: Config, event, tmp_path) -> None:
    import os
    import signal
    import subprocess
    import sys

    from sendtui.paths import REPO_DIR

    script = tmp_path / "editor.py"
    script.write_text(EDITOR)
    result = subprocess.run(
        [sys.executable, str(script), str(config.database_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO_DIR)},
    )
    assert result.returncode == -signal.SIGKILL, result.stderr[-2000:]
    assert "editing" in result.stdout
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)  # the app resumes on the capture screen it was showing
        screen = app.screen
        assert isinstance(screen, CaptureScreen)
        assert screen.capture_line.value == "the original text and half an edit"
        assert screen.editing is not None
        assert "Editing a point" in screen_text(app)
        assert "Restored the edit you were making" in flat(app)
        await pilot.press("enter")
        await pilot.pause()
        assert rows(config, "SELECT text FROM point") == [("the original text and half an edit",)]
