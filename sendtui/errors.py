"""Errors the user sees as a message, never as a traceback.

Every error raised for bad input or an unusable file derives from `SendtuiError`; the CLI
prints `.message` and exits 2, the app shows it in a notification or dialog.
"""

from __future__ import annotations


class SendtuiError(Exception):
    """A problem the user can act on; `message` says what and, where it can, how to fix it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(SendtuiError, ValueError):
    """Typed input that cannot be accepted (a point, an amount, a date)."""


class ConfigError(SendtuiError):
    """config.toml cannot be read or has a wrong value."""


class ReferenceDataError(SendtuiError):
    """A chapter scheme, marker or glossary file in data/ is malformed."""


class StoreError(SendtuiError):
    """The database cannot be opened or written (locked, read-only, not a sendtui file)."""


class UnreachableError(StoreError):
    """A database server that cannot be reached (offline, no network): the app offers to
    work on a local file and sync later."""


class NotFoundError(SendtuiError):
    """An event, group, topic, point or claim named by the user does not exist."""


class NotesError(SendtuiError):
    """A notes file has errors; `problems` lists (line number, message) pairs."""

    def __init__(self, path: str, problems: list[tuple[int, str]]) -> None:
        self.path = path
        self.problems = problems
        lines = [f"{path}:{line}: {text}" for line, text in problems[:20]]
        if len(problems) > 20:
            lines.append(f"… and {len(problems) - 20} more problems")
        head = f"{path} has {len(problems)} problem{'s' if len(problems) != 1 else ''}; "
        super().__init__(head + "nothing was imported.\n" + "\n".join(lines))
