"""config.toml reaching the app: remapped keys, a theme, and mistakes in either."""

from __future__ import annotations

from pathlib import Path

from sendtui.config import Config, load_config
from sendtui.tui.screens.capture import CaptureScreen
from sendtui.tui.widgets.point_list import PointList
from tests.tui.helpers import SIZE, app_for, settle, type_text


def with_file(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, database=tmp_path / "sendtui.db")


async def test_remapped_undo_key(tmp_path: Path, event) -> None:
    config = with_file(tmp_path, '[keys]\n"capture.undo" = "f9"\n')
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaptureScreen)
        await type_text(pilot, "to be undone")
        await pilot.press("enter")
        await pilot.pause()
        points = app.screen.query_one(PointList)
        assert len(points.rows) == 1
        await pilot.press("ctrl+z")  # no longer undo
        await pilot.pause()
        assert len(points.rows) == 1
        await pilot.press("f9")
        await pilot.pause()
        assert points.rows == []


async def test_unknown_binding_id_and_theme_are_warned(tmp_path: Path) -> None:
    config = with_file(tmp_path, '[ui]\ntheme = "no-such-theme"\n[keys]\n"capture.undoo" = "f9"\n')
    app = app_for(config)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("no binding is called capture.undoo" in m for m in messages), messages
        assert any("no theme “no-such-theme”" in m for m in messages), messages
        assert app.theme == "textual-dark"


async def test_a_chosen_theme_is_used(tmp_path: Path) -> None:
    config = with_file(tmp_path, '[ui]\ntheme = "nord"\n')
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "nord"


def test_every_binding_has_an_id() -> None:
    import importlib
    import inspect

    from textual.binding import Binding
    from textual.dom import DOMNode

    from sendtui.tui.app import SCREEN_MODULES

    missing = []
    for name in SCREEN_MODULES:
        try:
            module = importlib.import_module(f"sendtui.tui.screens.{name}")
        except ImportError:
            continue
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__ == module.__name__:
                missing += [
                    f"{cls_name}:{b.key}"
                    for b in cls.BINDINGS
                    if isinstance(b, Binding) and not b.id
                ]
    assert missing == []
