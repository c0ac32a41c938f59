"""The command line: events, import, export; every error a message and exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sendtui.cli import main
from tests.conftest import DEMO_NOTES


def cli(tmp_path: Path, *args: str) -> list[str]:
    return ["--db", str(tmp_path / "cli.db"), *args]


def test_import_events_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(cli(tmp_path, "events")) == 0
    assert "No events yet" in capsys.readouterr().out
    assert main(cli(tmp_path, "import", str(DEMO_NOTES))) == 0
    out = capsys.readouterr().out
    assert "new points created event 1" in out
    assert main(cli(tmp_path, "import", str(DEMO_NOTES))) == 0
    assert "0 new points" in capsys.readouterr().out
    assert main(cli(tmp_path, "events")) == 0
    listing = capsys.readouterr().out
    assert "2013-07-08" in listing and "indicative-2013-03" in listing
    target = tmp_path / "dump.json"
    assert main(cli(tmp_path, "export", "1", "--format", "json", "-o", str(target))) == 0
    data = json.loads(target.read_text(encoding="utf-8"))
    assert len(data["points"]) > 300
    assert main(cli(tmp_path, "export", "NNPCF")) == 0  # by (part of) the title, to stdout
    assert json.loads(capsys.readouterr().out)["event"]["uuid"] == data["event"]["uuid"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["export", "99"], "no event"),
        (["import", "missing.md"], "no such file"),
    ],
)
def test_errors_are_messages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], fragment: str
) -> None:
    assert main(cli(tmp_path, *args)) == 2
    err = capsys.readouterr().err
    assert err.startswith("sendtui: ") and fragment in err.lower() and "Traceback" not in err


def test_bad_notes_file_names_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "bad.md"
    notes.write_text("# E\n## G\n- fine\n- wrong #42\n", encoding="utf-8")
    assert main(cli(tmp_path, "import", str(notes))) == 2
    err = capsys.readouterr().err
    assert f"{notes}:4:" in err and "nothing was imported" in err


def test_broken_config_is_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[store]\ndatabase = 5\n", encoding="utf-8")
    assert main(["--config", str(config), "events"]) == 2
    err = capsys.readouterr().err
    assert str(config) in err and "line 2" in err and "store.database" in err


def test_not_a_database_is_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "x.db"
    bogus.write_text("hello" * 500)
    assert main(["--db", str(bogus), "events"]) == 2
    assert "not a sendtui database" in capsys.readouterr().err


def test_module_entry_point(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sendtui", *cli(tmp_path, "events")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and "No events yet" in result.stdout


def test_config_prints_a_file_that_reads_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sendtui.config import load_config

    source = tmp_path / "config.toml"
    source.write_text(
        '[forum]\nname = "Anytown PCF"\n[capture.kind_marks]\nquestion = "Q:"\n', encoding="utf-8"
    )
    assert main(["--config", str(source), "config"]) == 0
    written = tmp_path / "again.toml"
    written.write_text(capsys.readouterr().out, encoding="utf-8")
    first, second = load_config(source), load_config(written)
    assert second.forum.name == "Anytown PCF"
    assert second.capture == first.capture and second.claims == first.claims


def test_sendtui_db_environment_variable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SENDTUI_DB", str(tmp_path / "env.db"))
    assert main(["events"]) == 0
    assert (tmp_path / "env.db").exists()
    assert main(["--db", str(tmp_path / "flag.db"), "events"]) == 0  # --db wins
    assert (tmp_path / "flag.db").exists()
    monkeypatch.setenv("SENDTUI_DB", str(tmp_path))
    capsys.readouterr()
    assert main(["events"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sendtui: SENDTUI_DB: ") and "is a folder" in err
