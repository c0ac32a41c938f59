"""Reading a TOML file the user wrote (config.toml, a forum's scheme file) so that nothing in
it can crash or hang sendtui: every problem is a ConfigError naming the file, line and key.

tomllib alone raises RecursionError for arrays nested thousands deep and ValueError for an
integer of more than 4,300 digits; msgspec accepts integers far beyond what SQLite or
Python's dates can hold. `read_toml` turns each into a message.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from sendtui.errors import ConfigError, InputError
from sendtui.services.input_files import MB, read_text_file
from sendtui.text import printable

MAX_TOML_BYTES = 1 * MB
MAX_DEPTH = 32  # tables and arrays inside each other; real files use three or four
INT_LIMIT = 2**63  # what SQLite's INTEGER holds


def read_toml(path: Path, *, max_bytes: int = MAX_TOML_BYTES) -> tuple[dict[str, Any], str]:
    """(the parsed file, its text); a ConfigError for anything that is not usable TOML."""
    where = printable(str(path))
    try:
        text = read_text_file(path, max_bytes=max_bytes, allow_empty=True)
    except InputError as exc:
        message = exc.message
        if message.endswith(": no such file"):
            message = f"{where}: no such config file"
        raise ConfigError(message) from None
    return parse_toml(text, where), text


def parse_toml(text: str, where: str) -> dict[str, Any]:
    """`text` parsed, every int within ±2⁶³ and nothing nested deeper than MAX_DEPTH."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(
            f"{where}: not valid TOML: arrays or tables are nested too deeply"
        ) from None
    except ValueError as exc:  # an integer of more than 4,300 digits
        line = _long_number_line(text)
        at = f"{where}, line {line}" if line else where
        raise ConfigError(f"{at}: a number is far too long ({exc.__class__.__name__})") from None
    _check_values(data, text, where)
    return data


def _long_number_line(text: str) -> int | None:
    for number, line in enumerate(split_lines(text), start=1):
        run = 0
        for ch in line:
            run = run + 1 if ch in "0123456789_" else 0
            if run > 4000:
                return number
    return None


def _check_values(data: dict[str, Any], text: str, where: str) -> None:
    """Walk the parsed file (without recursion) for numbers and nesting sendtui cannot use."""
    todo: list[tuple[tuple[str, ...], Any, int]] = [((), data, 0)]
    while todo:
        loc, value, depth = todo.pop()
        problem = None
        if depth > MAX_DEPTH:
            problem = f"nested more than {MAX_DEPTH} deep"
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int) and not -INT_LIMIT <= value < INT_LIMIT:
            problem = "this number is far too large"
        elif isinstance(value, float) and value != value:
            problem = "nan is not a number sendtui can use"
        elif isinstance(value, dict):
            todo.extend(((*loc, str(k)), v, depth + 1) for k, v in value.items())
        elif isinstance(value, list):
            todo.extend((loc, v, depth + 1) for v in value)
        if problem:
            line = find_key_line(text, loc)
            at = f"{where}, line {line}" if line else where
            raise ConfigError(f"{at}: {'.'.join(loc) or '(top level)'}: {problem}")


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them: split on \\n, \\r\\n and \\r only (str.splitlines also
    splits on \\x0b, \\x0c, \\x1c-\\x1e, \\x85, \\u2028 and \\u2029)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def find_key_line(text: str, loc: tuple[str, ...]) -> int | None:
    """The 1-based line where the key at `loc` (or its closest enclosing table) is set.

    Scanned with string methods, not regular expressions, so a long line costs linear time."""
    best: tuple[int, int] | None = None  # (matched depth, line)
    table: tuple[str, ...] = ()
    for number, raw in enumerate(split_lines(text), start=1):
        line = raw.strip()
        if line.startswith("["):
            inside = line.lstrip("[")
            end = _outside_quotes(inside, "]")
            if end is None:
                continue
            table = split_key(inside[:end])
            path = table
        elif (equals := _outside_quotes(line, "=")) is not None and equals > 0:
            path = table + split_key(line[:equals])
        else:
            continue
        depth = _common(path, loc)
        if depth == len(path) and (best is None or depth > best[0]):
            best = (depth, number)
    return best[1] if best and best[0] > 0 else None


def _outside_quotes(text: str, target: str) -> int | None:
    """Index of the first `target` character not inside "…" or '…', or None."""
    quote = ""
    for index, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == target:
            return index
        elif ch == "#":
            return None
    return None


def split_key(key: str) -> tuple[str, ...]:
    """A dotted TOML key into its parts; dots inside quotes belong to the part."""
    parts: list[str] = []
    current: list[str] = []
    quote = ""
    for ch in key:
        if quote:
            if ch == quote:
                quote = ""
            else:
                current.append(ch)
        elif ch in "\"'":
            quote = ch
        elif ch == ".":
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    parts.append("".join(current).strip())
    return tuple(parts)


def _common(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
