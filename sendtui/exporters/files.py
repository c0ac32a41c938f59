"""Writing export files atomically: a temporary file beside the target, then a rename, so a
crash never leaves half a file under the target's name."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from sendtui.errors import SendtuiError


class ExportError(SendtuiError):
    """An export could not be written."""


def atomic_write(path: Path, write: Callable[[Path], None], *, private: bool = False) -> Path:
    """Call `write(temp_path)`, fsync, then move the file to `path`. `private` files are 0600."""
    path = path.expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"The folder {folder} does not exist.")
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    os.close(fd)
    temp = Path(temp_name)
    try:
        os.chmod(temp, 0o600 if private else 0o644)
        write(temp)
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        raise ExportError(f"Could not write {path}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    return path


def write_text(path: Path, text: str, *, private: bool = False) -> Path:
    return atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"), private=private)
