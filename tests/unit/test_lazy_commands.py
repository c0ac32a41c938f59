"""`sendtui COMMAND` loads only that command's module (issue 12): the map in sendtui.cli
names the module of every command, and agrees with what the modules register; everything
the whole parser does (help, errors, options before or after the command) is unchanged."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import sendtui.cli as cli
from sendtui.cli import COMMANDS, build_parser, main, parse_arguments, whole_number
from tests.conftest import DEMO_NOTES


def _registered(module_name: str) -> list[str]:
    """The commands `sendtui.cli.MODULE` registers, in order."""
    module = importlib.import_module(f"sendtui.cli.{module_name}")
    commands = argparse.ArgumentParser().add_subparsers()
    module.register(commands, argparse.ArgumentParser(add_help=False))
    return list(commands.choices)


def _command_modules() -> list[str]:
    names = [info.name for info in pkgutil.iter_modules(cli.__path__)]
    modules = {name: importlib.import_module(f"sendtui.cli.{name}") for name in names}
    return [name for name, module in modules.items() if callable(getattr(module, "register", None))]


def test_the_map_names_exactly_the_commands_each_module_registers() -> None:
    modules = _command_modules()
    assert sorted(set(COMMANDS.values())) == sorted(modules)
    for module in modules:
        mapped = [name for name, owner in COMMANDS.items() if owner == module]
        assert sorted(_registered(module)) == sorted(mapped), module


def test_help_lists_every_command_in_the_maps_order(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    lines = capsys.readouterr().out.splitlines()
    listed = [line.split()[0] for line in lines if line[:4] == "    " and line[4:5] != " "]
    assert listed == list(COMMANDS)


def test_an_unknown_command_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["evnts"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'evnts'" in err
    assert all(repr(name) in err for name in COMMANDS)


def test_every_command_reads_whole_numbers_when_loaded_alone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """_checked_ints applies to the one module loaded, as to the whole parser."""

    def types(parser: argparse.ArgumentParser) -> list[object]:
        found = [action.type for action in parser._actions]
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    found += types(sub)
        return found

    seen: list[object] = []
    for module in sorted(set(COMMANDS.values())):
        parser = build_parser([importlib.import_module(f"sendtui.cli.{module}")])
        assert int not in types(parser), module
        seen += types(parser)
    assert whole_number in seen
    assert parse_arguments(["claims", "show", "7"]).claim == 7
    with pytest.raises(SystemExit):
        parse_arguments(["claims", "show", "٣"])
    assert "'٣' is not a whole number" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["events", "--db", "DB"],
        ["--db", "DB", "--con", "CONFIG", "events"],  # an abbreviation the quick look misses
        ["events", "--config=CONFIG", "--db", "DB"],
    ],
)
def test_options_anywhere_give_the_same_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    store = tmp_path / "s.db"
    config = tmp_path / "config.toml"
    config.write_text('[forum]\nname = "Anytown"\n', encoding="utf-8")
    assert main(["--db", str(store), "import", str(DEMO_NOTES)]) == 0
    capsys.readouterr()
    assert main(["--config", str(config), "--db", str(store), "events"]) == 0
    expected = capsys.readouterr().out
    assert "SEN Code of Practice" in expected
    words = {"DB": str(store), "CONFIG": str(config)}
    assert main([words.get(word, word).replace("=CONFIG", f"={config}") for word in argv]) == 0
    assert capsys.readouterr().out == expected


def _loaded_after(code: str, *args: str) -> list[str]:
    """The modules a fresh interpreter holds after running `code`."""
    probe = "import sys\n" + code + "\nprint('\\n'.join(sorted(sys.modules)))\n"
    run = subprocess.run(
        [sys.executable, "-c", probe, *args], check=True, capture_output=True, text=True
    )
    return run.stdout.split()


OTHER_COMMANDS = [f"sendtui.cli.{m}" for m in sorted(set(COMMANDS.values())) if m != "export"]


@pytest.mark.parametrize("fmt", ["csv", "md", "json"])
def test_export_loads_no_other_command(tmp_path: Path, fmt: str) -> None:
    store = tmp_path / "s.db"
    assert main(["--db", str(store), "import", str(DEMO_NOTES)]) == 0
    out = tmp_path / f"out.{fmt}"
    loaded = _loaded_after(
        "from sendtui.cli import main\n"
        "argv = ['--db', sys.argv[1], 'export', '1', '--format', sys.argv[2], '-o', sys.argv[3]]\n"
        "assert main(argv) == 0",
        str(store),
        fmt,
        str(out),
    )
    assert out.stat().st_size > 1000
    assert "sendtui.cli.export" in loaded
    assert not [m for m in loaded if m in OTHER_COMMANDS or m.split(".")[0] == "textual"]
    assert "rich.console" not in loaded and "rich.table" not in loaded
    if fmt != "md":  # only the minutes need the minutes module (and the reports it loads)
        assert "sendtui.exporters.minutes" not in loaded


def test_version_loads_no_command_config_or_rich() -> None:
    loaded = _loaded_after(
        "from sendtui.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit as stop:\n    assert stop.code == 0"
    )
    unwanted = ("sendtui.cli.", "sendtui.config", "sendtui.paths", "rich", "msgspec")
    assert "sendtui.cli" in loaded
    assert not [m for m in loaded if m.startswith(unwanted)]


def test_events_loads_its_own_module_only(tmp_path: Path) -> None:
    store = tmp_path / "s.db"
    loaded = _loaded_after(
        "from sendtui.cli import main\nassert main(['--db', sys.argv[1], 'events']) == 0",
        str(store),
    )
    commands = [m for m in loaded if m.startswith("sendtui.cli.")]
    assert commands == ["sendtui.cli.points"]


def test_import_of_notes_loads_no_rich(tmp_path: Path) -> None:
    """`sendtui import` prints one line: rich (a twentieth of a second) is for listings."""
    store = tmp_path / "s.db"
    loaded = _loaded_after(
        "from sendtui.cli import main\n"
        "assert main(['--db', sys.argv[1], 'import', sys.argv[2]]) == 0",
        str(store),
        str(DEMO_NOTES),
    )
    assert "sendtui.cli.points" in loaded
    assert "rich.console" not in loaded and "rich.table" not in loaded
