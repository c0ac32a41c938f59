"""The capture list draws each Enter cheaply and never shows a stale line (issue 12).

Adding a point scrolls the list by one line. The list keeps its finished lines by what they
show (FinalLines), and its scrollbar repaints only when the thumb moves (QuietScrollBar): both
must draw exactly what Textual draws from scratch.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from textual.scrollbar import ScrollBarRender

from sendtui.config import Config
from sendtui.tui.screens.capture import CaptureScreen
from sendtui.tui.widgets.quiet_scrollbar import QuietScrollBar, thumb_cells
from tests.tui.helpers import SIZE, app_for, open_capture, settle, type_text

POINTS = 600  # a thumb of one cell, whose place one more point does not change


def _bar(size: int, virtual: int, window: int, position: float) -> list:
    # As ScrollBar._render_bar calls it: no thumb when the window holds everything.
    shown = window if window < virtual else 0
    bar = ScrollBarRender.render_bar(
        size=size, virtual_size=virtual, window_size=shown, position=position
    )
    return list(bar.segments)


@settings(max_examples=400, deadline=None)
@given(
    size=st.integers(1, 60),
    virtual=st.integers(1, 200_000),
    window_share=st.floats(0, 1),
    at=st.floats(0, 1),
    grow=st.integers(0, 3),
    nudge=st.floats(-0.02, 0.02),
)
def test_the_same_thumb_is_the_same_bar(
    size: int, virtual: int, window_share: float, at: float, grow: int, nudge: float
) -> None:
    """The bar's repaint rule: two states whose thumbs sit in the same eighths of a cell draw
    the same bar, so skipping the repaint never leaves a wrong bar on screen. The second state
    is the first after adding points and scrolling a little, as an Enter does."""
    window = round(window_share * size)
    spare = max(virtual - window, 1)
    first = (size, virtual, window, round(at * spare, 3))
    virtual2 = virtual + grow
    spare2 = max(virtual2 - window, 1)
    second = (size, virtual2, window, min(max(first[3] + nudge * spare2, 0), spare2))
    if thumb_cells(*first) == thumb_cells(*second):
        assert _bar(*first) == _bar(*second)


def _long_list(config: Config, tmp_path: Path) -> None:
    """An event whose one topic has POINTS points."""
    from sendtui.services.bootstrap import open_store
    from sendtui.services.importer import import_notes

    lines = ["# Long list", "Date: 2013-07-08", "Scheme: indicative-2013-03", ""]
    lines += ["## Green Group", "### Exercise 1"]
    lines += [f"- point number {n} about the local offer" for n in range(POINTS)]
    notes = tmp_path / "long.md"
    notes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    opened = open_store(config)
    try:
        import_notes(
            opened.store, opened.reference, notes, kind_words=config.capture.kind_words.as_dict()
        )
    finally:
        opened.store.close()


async def _capture_on_long_list(pilot) -> CaptureScreen:
    screen = await open_capture(pilot)
    assert len(screen.point_list.rows) == POINTS
    return screen


def _screen_lines(screen: CaptureScreen) -> list[list]:
    """The list's part of the screen, scrollbar included (not the capture line, whose cursor
    blinks)."""
    box = screen.point_list.region
    strips = screen._compositor.render_strips()[box.y : box.bottom]
    return [list(strip.crop(box.x, box.right)) for strip in strips]


async def _drawn_afresh(pilot, screen: CaptureScreen) -> list[list]:
    """The screen as Textual draws it with the list's and bar's kept lines thrown away."""
    points = screen.point_list
    points._finals.clear()
    points._strips.clear()
    points._styles_cache.clear()
    bar = points.vertical_scrollbar
    bar._styles_cache.clear()
    bar._drawn = ("never",)
    super(QuietScrollBar, bar).refresh()
    points.refresh()
    await pilot.pause()
    return _screen_lines(screen)


async def test_enter_repaints_the_bar_only_when_its_thumb_moves(
    config: Config, tmp_path: Path
) -> None:
    _long_list(config, tmp_path)
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _capture_on_long_list(pilot)
        bar = screen.point_list.vertical_scrollbar
        assert isinstance(bar, QuietScrollBar) and bar.display
        painted: list[tuple] = []
        render = bar.render

        def counted():
            painted.append(bar._thumb())
            return render()

        bar.render = counted  # type: ignore[method-assign]
        screen.capture_line.focus()
        for n in range(12):
            await type_text(pilot, f"new point {n}")
            await pilot.press("enter")
            await settle(pilot)
            assert screen.point_list.rows[-1].text == f"new point {n}"
            assert bar._drawn == bar._thumb()  # what is on screen is where the thumb is
        # Following the newest point, the thumb stays at the bottom: never repainted.
        assert painted == []
        # Scrolling up a page moves the thumb: repainted, and where it now is.
        screen.point_list.focus()
        await settle(pilot)
        at_bottom = bar._thumb()
        await pilot.press("pageup", "pageup")
        await settle(pilot)
        assert bar._thumb() != at_bottom
        assert painted[-1] == bar._thumb() == bar._drawn
        await pilot.press("end")
        await settle(pilot)
        assert painted[-1] == bar._thumb() == bar._drawn == at_bottom


async def test_kept_lines_match_a_fresh_drawing(config: Config, tmp_path: Path) -> None:
    """After Enters, moving the highlight, leaving the list and a theme change, the screen is
    exactly what Textual draws with nothing kept."""
    _long_list(config, tmp_path)
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _capture_on_long_list(pilot)
        screen.capture_line.focus()
        for n in range(5):
            await type_text(pilot, f"? question {n} #4")
            await pilot.press("enter")
            await settle(pilot)
        assert _screen_lines(screen) == await _drawn_afresh(pilot, screen)
        screen.point_list.focus()
        await pilot.press("up", "up", "pageup", "down")
        await settle(pilot)
        assert _screen_lines(screen) == await _drawn_afresh(pilot, screen)
        screen.capture_line.focus()  # the highlight is drawn dimmer without focus
        await settle(pilot)
        assert _screen_lines(screen) == await _drawn_afresh(pilot, screen)
        before = _screen_lines(screen)
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await settle(pilot)
        after = _screen_lines(screen)
        assert after != before
        assert after == await _drawn_afresh(pilot, screen)


def _widget_lines(screen: CaptureScreen, widget) -> list[list]:
    box = widget.region
    strips = screen._compositor.render_strips()[box.y : box.bottom]
    return [list(strip.crop(box.x, box.right)) for strip in strips]


async def test_kept_capture_line_matches_a_fresh_drawing(config: Config, tmp_path: Path) -> None:
    """The capture line keeps its border rows and its empty state: after typing, moving the
    cursor, selecting, the cursor blinking, an Enter, editing a point (a border label) and
    losing focus, it is exactly what Textual draws with nothing kept."""
    _long_list(config, tmp_path)
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _capture_on_long_list(pilot)
        line = screen.capture_line
        line.cursor_blink = False  # blinking is driven by hand below
        line.focus()
        await settle(pilot)
        shown: set[str] = set()

        async def same_as_fresh() -> None:
            await settle(pilot)
            kept = _widget_lines(screen, line)
            line._finals.clear()
            line._styles_cache.clear()
            line.refresh()
            await pilot.pause()
            assert kept == _widget_lines(screen, line)
            shown.add(repr(kept))

        for key in ["a", "b", "left", "shift+left", "x", "end", "home", "space"]:
            await pilot.press(key)
            await same_as_fresh()
        line._cursor_visible = False
        await same_as_fresh()
        line._cursor_visible = True
        await same_as_fresh()
        line.border_title = "a label"  # as "saving… 2 waiting" or editing set one
        await same_as_fresh()
        line.border_title = ""
        await same_as_fresh()
        await pilot.press("enter")  # saved: the line is empty again
        await same_as_fresh()
        await pilot.press("up", "enter")  # edit the highlighted point: a border label
        await same_as_fresh()
        assert line.border_subtitle or line.border_title
        await pilot.press("escape")
        await same_as_fresh()
        screen.point_list.focus()
        await same_as_fresh()
        assert len(shown) >= 8  # the states really differed
