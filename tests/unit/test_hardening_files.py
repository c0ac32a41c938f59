"""Export files: one rule for modes (0600 for files naming people, never wider than the file
replaced, never more than the umask allows), atomic replacement, leftovers cleaned up."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sendtui.exporters.files import ExportError, atomic_write, remove_stale_parts, write_text


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_people_files_are_private_by_default(tmp_path: Path, umask: None) -> None:
    assert mode(write_text(tmp_path / "claims.csv", "x")) == 0o600
    assert mode(write_text(tmp_path / "tallies.md", "x", private=False)) == 0o644


def test_a_stricter_umask_is_respected(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        assert mode(write_text(tmp_path / "minutes.md", "x", private=False)) == 0o600
    finally:
        os.umask(old)
    old = os.umask(0o027)
    try:
        assert mode(write_text(tmp_path / "minutes2.md", "x", private=False)) == 0o640
    finally:
        os.umask(old)


def test_an_existing_files_mode_is_never_widened(tmp_path: Path, umask: None) -> None:
    target = tmp_path / "minutes.md"
    target.write_text("old")
    target.chmod(0o600)
    write_text(target, "new", private=False)
    assert target.read_text() == "new" and mode(target) == 0o600
    target.chmod(0o640)
    write_text(target, "newer", private=False)
    assert mode(target) == 0o640
    write_text(target, "private now", private=True)
    assert mode(target) == 0o600  # narrowing is fine


def test_a_writer_that_recreates_the_file_still_gets_the_mode(tmp_path: Path, umask: None) -> None:
    def recreate(temp: Path) -> None:
        temp.unlink()
        temp.write_text("made again")
        temp.chmod(0o666)

    target = atomic_write(tmp_path / "x.docx", recreate)
    assert target.read_text() == "made again" and mode(target) == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "minutes.md"
    target.write_text("old")

    def fail(temp: Path) -> None:
        temp.write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(ExportError, match="No space left on device"):
        atomic_write(target, fail)
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minutes.md"]


def test_leftovers_of_a_killed_export_are_cleaned_up(tmp_path: Path) -> None:
    # A real process that dies with its temporary in place (as kill -9 would leave it).
    script = (
        "import os, sys; from pathlib import Path; from sendtui.exporters.files import "
        "atomic_write; atomic_write(Path(sys.argv[1]), lambda t: os._exit(9))"
    )
    target = tmp_path / "minutes.docx"
    subprocess.run([sys.executable, "-c", script, str(target)], check=False)
    leftovers = [p.name for p in tmp_path.iterdir()]
    assert len(leftovers) == 1 and leftovers[0].endswith(".part")
    alive = tmp_path / f".other.docx.{os.getpid()}.abcdef12.part"  # an export still running
    alive.write_text("in progress")
    old = tmp_path / ".ancient.md.junk.part"  # not ours by name, but a day old
    old.write_text("x")
    os.utime(old, (time.time() - 90_000, time.time() - 90_000))
    mine = tmp_path / ".notes.part"  # a user's own file, recent: left alone
    mine.write_text("x")
    write_text(target, "done")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [".notes.part", alive.name, "minutes.docx"]
    assert remove_stale_parts(tmp_path) == []


def test_missing_folder_and_hostile_names(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        write_text(tmp_path / "absent" / "x.md", "x")
    with pytest.raises(ExportError) as caught:
        write_text(tmp_path / "\x1b[2J" / "x.md", "x")
    assert "\x1b" not in caught.value.message
    with pytest.raises(ExportError, match="Could not write"):
        write_text(tmp_path / ("x" * 300), "x")
