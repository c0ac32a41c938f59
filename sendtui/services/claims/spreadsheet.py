"""Reading a treasurer's spreadsheet as rows of text: .xlsx (openpyxl) or CSV saved any way
Excel saves it: UTF-8 with or without a byte-order mark, or Windows-1252 ("£" as byte 0xA3).

Only regular files are read (a FIFO or a device would block or never end); every cell comes
back as trimmed text with its 1-based line number, the header first.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import stat
from decimal import Decimal
from pathlib import Path

from sendtui.errors import InputError

MAX_BYTES = 20_000_000  # far more than any forum's year of claims
MAX_CELL = 2_000


def _check_file(path: Path) -> Path:
    try:
        path = path.expanduser()
    except RuntimeError:  # "~nobody-here/x": no such user
        raise InputError(f"{path}: there is no such user's home folder") from None
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise InputError(f"{path} cannot be read ({reason})") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path} is not a regular file (a folder, pipe or device); give a file")
    if info.st_size > MAX_BYTES:
        raise InputError(f"{path} is {info.st_size:,} bytes; a claims file is far smaller")
    return path


def decode(data: bytes) -> str:
    """Text from CSV bytes: UTF-8 (a byte-order mark is dropped), else Windows-1252 (the
    five bytes it leaves unused show as U+FFFD, visibly)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_rows(path: Path) -> list[tuple[int, list[str]]]:
    """(line, cells) for every row of the file, the header first; InputError if unreadable."""
    path = _check_file(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx_rows(path)
    if path.suffix.lower() == ".xls":
        raise InputError(
            f"{path} is an old Excel file (.xls): save it as .xlsx or CSV and import that"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror or exc})") from None
    if data[:4] == b"PK\x03\x04":
        return _xlsx_rows(path)
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    try:
        line = 1
        for values in reader:
            rows.append((line, [v.strip()[:MAX_CELL] for v in values]))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"{path}, line {reader.line_num}: not valid CSV ({exc})") from None
    return rows


def _cell(value: object) -> str:
    """A spreadsheet cell as the text a person reads in it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        # Excel keeps 12.5 as a float: its shortest repr is what the cell shows.
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).strip()[:MAX_CELL]


def _xlsx_rows(path: Path) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InputError(f"{path} is not an Excel workbook that can be read ({exc})") from None
    try:
        sheet = book.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, [_cell(v) for v in values]))
        return rows
    finally:
        book.close()
