"""Writing export files atomically, with one rule for their modes.

A temporary `.NAME.PID.RANDOM.part` file beside the target, written, flushed to disk, then
renamed over the target, so a crash never leaves half a file under the target's name. The
temporaries of an export that was killed are removed by the next export to that folder.

Modes, one rule: a file that names people (note-takers, facilitators, members, claimants)
is 0600, others 0644; never more than the user's umask allows; and never wider than the
file it replaces (someone who made their minutes 0600 keeps them 0600).
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path

from sendtui.errors import SendtuiError
from sendtui.text import ascii_number, printable

PRIVATE, SHARED = 0o600, 0o644
STALE_PART_SECONDS = 24 * 3600  # a temporary this old is left over whoever made it


class ExportError(SendtuiError):
    """An export could not be written."""


def atomic_write(path: Path, write: Callable[[Path], None], *, private: bool = True) -> Path:
    """Call `write(temp_path)`, fsync, then move the file to `path` (see the module for the
    mode it gets). `private` (the default) is for anything that names people."""
    path = path.expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    shown = printable(str(path))
    if not folder.is_dir():
        raise ExportError(f"The folder {printable(str(folder))} does not exist.")
    remove_stale_parts(folder)
    # The target's name, shortened so the temporary's name fits where the target's does.
    temp = folder / f".{path.name[:100]}.{os.getpid()}.{os.urandom(4).hex()}.part"
    try:
        mode = _mode_for(path, private, temp)
        write(temp)
        os.chmod(temp, mode)  # again: a writer may have replaced the file
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, path)
        _sync_folder(folder)
    except OSError as exc:
        raise ExportError(f"Could not write {shown}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    return path


def _mode_for(path: Path, private: bool, temp: Path) -> int:
    """Create `temp` empty and give it the mode the finished file will have."""
    # Created 0666 so the kernel applies the umask; what is left shows what the umask
    # allows, read without os.umask() (which would race with other threads).
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        allowed = stat.S_IMODE(os.fstat(fd).st_mode)
        os.fchmod(fd, PRIVATE & allowed)  # nothing is written yet, but stay private meanwhile
    finally:
        os.close(fd)
    mode = (PRIVATE if private else SHARED) & allowed
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        mode &= stat.S_IMODE(os.stat(path).st_mode)  # never wider than the file replaced
    return mode | stat.S_IRUSR | stat.S_IWUSR  # the owner can always read what they export


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every file system allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_stale_parts(folder: Path) -> list[Path]:
    """Delete temporaries left in `folder` by an export that was killed: its process is
    gone, or the file is a day old. Returns what was removed."""
    removed = []
    try:
        names = [n for n in os.listdir(folder) if n.startswith(".") and n.endswith(".part")]
    except OSError:
        return removed
    now = time.time()
    for name in names:
        pid = _pid_in(name)
        candidate = folder / name
        try:
            info = candidate.lstat()
            if not stat.S_ISREG(info.st_mode):
                continue
            if (pid is not None and not _alive(pid)) or now - info.st_mtime > STALE_PART_SECONDS:
                candidate.unlink()
                removed.append(candidate)
        except OSError:
            continue
    return removed


def _pid_in(name: str) -> int | None:
    """The process id in ".NAME.PID.RANDOM.part", or None for a name not made here."""
    parts = name[: -len(".part")].rsplit(".", 2)
    if len(parts) != 3 or len(parts[2]) != 8:
        return None
    return ascii_number(parts[1], 9)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def write_text(path: Path, text: str, *, private: bool = True) -> Path:
    return atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"), private=private)
