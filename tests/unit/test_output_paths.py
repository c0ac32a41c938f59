"""An export never overwrites the store, its journals, backups, outbox or config.toml."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sendtui.cli import main
from sendtui.config import Config, load_config
from sendtui.services.output_paths import OutputPathError, check_output_path
from tests.conftest import DEMO_NOTES


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Config, Path]:
    config_file = tmp_path / "config.toml"
    config_file.write_text('[store]\ndatabase = "data/sendtui.db"\n', encoding="utf-8")
    config = load_config(config_file)
    return config, config.database_path


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("data/sendtui.db", "the sendtui database"),
        ("data/sendtui.db-wal", "its wal file"),
        ("data/sendtui.db-shm", "its shm file"),
        ("data/sendtui.db-journal", "its journal file"),
        ("data/sendtui.db.outbox", "points waiting to be saved"),
        ("data/sendtui.db.outbox-wal", "points waiting to be saved"),
        ("config.toml", "the configuration file"),
        ("data/../data/./sendtui.db", "the sendtui database"),
        ("data/backups/sendtui-2026-01-01.db", "backups folder"),
        ("data/backups/new-name.csv", "backups folder"),
    ],
)
def test_protected_files_are_refused(setup: tuple[Config, Path], name: str, what: str) -> None:
    config, store = setup
    base = Path(config.base_dir)
    with pytest.raises(OutputPathError, match=r"sendtui|configuration|backups|waiting") as caught:
        check_output_path(base / name, config=config, store_location=store)
    assert what in caught.value.message


def test_links_to_the_store_are_refused(setup: tuple[Config, Path], tmp_path: Path) -> None:
    config, store = setup
    store.parent.mkdir(parents=True)
    store.write_bytes(b"SQLite format 3\x00")
    (tmp_path / "soft.csv").symlink_to(store)
    os.link(store, tmp_path / "hard.csv")
    for name in ("soft.csv", "hard.csv"):
        with pytest.raises(OutputPathError, match="the sendtui database"):
            check_output_path(tmp_path / name, config=config, store_location=store)
    assert check_output_path(tmp_path / "fine.csv", config=config, store_location=store)


def test_folders_devices_and_pipes_are_refused(setup: tuple[Config, Path], tmp_path: Path) -> None:
    config, store = setup
    os.mkfifo(tmp_path / "pipe")
    for target, message in (
        (tmp_path, "is a folder"),
        (Path("/dev/null"), "not a regular file"),
        (tmp_path / "pipe", "not a regular file"),
        (tmp_path / "a\x00b", "NUL"),
    ):
        with pytest.raises(OutputPathError, match=message):
            check_output_path(target, config=config, store_location=store)


def test_a_postgres_store_still_protects_config_and_outbox(setup: tuple[Config, Path]) -> None:
    config, _ = setup
    url = "postgresql://forum@db.example/sendtui"
    assert check_output_path(Path("sendtui.db"), config=config, store_location=url)
    with pytest.raises(OutputPathError, match="configuration"):
        check_output_path(Path(config.source), config=config, store_location=url)


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_export_over_the_store_is_refused_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    db = tmp_path / "sendtui.db"
    assert main(["--db", str(db), "import", str(DEMO_NOTES)]) == 0
    before = db.read_bytes()
    code = main(["--db", str(db), "export", "1", "--format", "csv", "-o", f"{db}{suffix}"])
    assert code == 2
    err = capsys.readouterr().err
    assert "an export cannot be written over it" in err and "Traceback" not in err
    assert db.read_bytes() == before
