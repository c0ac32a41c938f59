"""The export modal collects a format and a path; the headless exporter writes the file."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from textual.widgets import Input, Select

from sendtui.config import Config
from sendtui.tui.screens.export import ExportScreen
from sendtui.tui.screens.message import MessageScreen
from tests.tui.helpers import SIZE, app_for, screen_text, settle


async def open_export(pilot) -> ExportScreen:
    await settle(pilot)
    await pilot.press("x")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ExportScreen)
    return screen


async def test_export_word_minutes(config: Config, demo_event: int, tmp_path: Path) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_export(pilot)
        path_box = screen.query_one("#export-path", Input)
        assert path_box.value.endswith(".docx")  # a suggested name for the chosen format
        target = tmp_path / "minutes.docx"
        path_box.value = str(target)
        await pilot.click("#save")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
        assert target.exists()
        headings = [
            p.text for p in Document(str(target)).paragraphs if p.style.name.startswith("Heading")
        ]
        assert any("Green Group" in h for h in headings)


async def test_format_choice_changes_the_suggested_name(config: Config, demo_event: int) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        screen.query_one("#export-format", Select).value = "xlsx"
        await pilot.pause()
        assert screen.query_one("#export-path", Input).value.endswith(".xlsx")


async def test_a_bad_path_is_one_clear_error(
    config: Config, demo_event: int, tmp_path: Path
) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        screen.query_one("#export-path", Input).value = str(tmp_path / "no" / "such" / "x.docx")
        await pilot.click("#save")
        await settle(pilot)
        assert isinstance(app.screen, MessageScreen)
        assert "does not exist" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)  # back to the form, nothing lost


async def test_word_minutes_use_the_forums_template_from_config(
    config: Config, demo_event: int, tmp_path: Path
) -> None:
    from sendtui.config import load_config
    from tests.unit.test_export_minutes_word import make_template

    make_template(tmp_path / "letterhead.docx")
    toml = tmp_path / "config.toml"
    toml.write_text('[minutes]\ntemplate = "letterhead.docx"\n', encoding="utf-8")
    config = load_config(toml, database=config.database_path)
    assert config.minutes_template == tmp_path / "letterhead.docx"
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        target = tmp_path / "minutes.docx"
        screen.query_one("#export-path", Input).value = str(target)
        screen.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
    document = Document(str(target))
    header = document.sections[0].header.paragraphs[0].text
    assert header == "Anytown Parent Carer Forum letterhead"
    assert document.styles["Normal"].font.name == "Arial"
    assert not any("DELETE THIS" in p.text for p in document.paragraphs)


async def test_a_dump_says_it_always_includes_private_points(
    config: Config, demo_event: int
) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        private = screen.query_one("#export-private", Select)
        assert not private.disabled and "always includes private" not in screen_text(app)
        await pilot.press("space")  # open the format list; json is the last
        await pilot.press("end", "enter")
        await pilot.pause()
        assert screen.query_one("#export-format", Select).value == "json"
        assert private.disabled
        assert "A JSON dump is complete and lossless: it always includes private" in (
            screen_text(app)
        )
