"""Names and titles as people type them: the one rule for cleaning a title or a name.

A module of its own (no ORM) so that `sendtui import` and other plain-driver paths can use
the rule without loading SQLModel with `sendtui.services.events`.
"""

from __future__ import annotations

from sendtui.errors import InputError

MAX_NAME = 300


def clean_name(value: str, what: str) -> str:
    """A title or name: trimmed, one line, not empty, not absurdly long."""
    text = " ".join(value.split())
    if not text:
        raise InputError(f"The {what} cannot be empty.")
    if len(text) > MAX_NAME:
        raise InputError(f"The {what} is {len(text)} characters; keep it under {MAX_NAME}.")
    return text
