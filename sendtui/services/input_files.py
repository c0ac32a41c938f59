"""Reading a file the user names (notes, config.toml, a claims CSV, a dump): one function, so
every entry point refuses the same things the same way.

A FIFO, folder or device is refused without opening it for a blocking read (a named pipe
would otherwise wait forever for a writer); a file too large, empty or binary is refused
with a message naming it; text is UTF-8 with or without a byte-order mark (Windows Notepad
writes one), UTF-16 with a mark (Notepad's "Unicode"), and optionally Windows-1252 for CSV
files saved by Excel.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from sendtui.errors import InputError
from sendtui.text import printable

MB = 2**20
DEFAULT_MAX_BYTES = 64 * MB


class InputFileError(InputError):
    """A file the user named cannot be used; `path` is the file, `line` where (1 if none)."""

    def __init__(self, path: Path | str, problem: str, *, line: int | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line or 1
        where = printable(self.path) + (f", line {line}" if line else "")
        super().__init__(f"{where}: {problem}")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file"
    return "not a regular file"


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n:,} bytes"


def read_file_bytes(
    path: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES, allow_empty: bool = False
) -> bytes:
    """The whole of a regular file, at most `max_bytes`; InputFileError otherwise.

    Never blocks: the path is checked with stat, then opened with O_NONBLOCK and checked
    again with fstat (it could have been swapped in between) before anything is read."""
    name = str(path)
    try:
        path = Path(path).expanduser()
    except RuntimeError:  # "~someone" who does not exist
        raise InputFileError(name, "names a user that does not exist") from None
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise InputFileError(name, f"is {_kind(os.stat(path).st_mode)}")
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except InputFileError:
        raise
    except FileNotFoundError:
        raise InputFileError(name, "no such file") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        raise InputFileError(name, f"cannot be read ({_reason(exc)})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(name, f"is {_kind(info.st_mode)}")
        if info.st_size > max_bytes:
            raise InputFileError(
                name, f"is too large ({_size(info.st_size)}; the limit is {_size(max_bytes)})"
            )
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(max_bytes + 1)
    except InputFileError:
        raise
    except OSError as exc:
        raise InputFileError(name, f"cannot be read ({_reason(exc)})") from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:  # it grew while being read
        raise InputFileError(name, f"is too large (the limit is {_size(max_bytes)})")
    if not data and not allow_empty:
        raise InputFileError(name, "is empty")
    return data


def read_text_file(
    path: Path | str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_empty: bool = False,
    windows_fallback: bool = False,
) -> str:
    """A user's text file as str (see `read_file_bytes` for what is refused).

    `windows_fallback`: bytes that are not UTF-8 are read as Windows-1252 (Excel's "CSV"
    on Windows) instead of being refused."""
    data = read_file_bytes(path, max_bytes=max_bytes, allow_empty=allow_empty)
    return decode_text(data, path, windows_fallback=windows_fallback)


def decode_text(data: bytes, path: Path | str, *, windows_fallback: bool = False) -> str:
    """Bytes from the file at `path` as text, or InputFileError naming the line at fault."""
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom) and not data.startswith(codecs.BOM_UTF8):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                raise InputFileError(path, "is damaged UTF-16 text; save it as UTF-8") from None
            return _no_nul(text, path)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputFileError(
            path, "contains NUL bytes: this is not a text file (or not UTF-8 text)", line=line
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if windows_fallback:
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                pass
        line = data[: exc.start].count(b"\n") + 1
        raise InputFileError(
            path, f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8", line=line
        ) from None


def _no_nul(text: str, path: Path | str) -> str:
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputFileError(path, "contains NUL characters: this is not a text file", line=line)
    return text


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ValueError):
        return "the name contains a NUL character"
    return getattr(exc, "strerror", None) or exc.__class__.__name__
