"""Who changes are recorded as: the treasurer named in config.toml, else the name they gave
the first time (remembered in the store's ui_state table), never the computer's login name.

A login name ("jbloggs", "user") means nothing to the committee or an auditor; sendtui asks
once ("Your name, for the audit trail") and remembers the answer per database, so every
later change is recorded under it. config.toml's [claims] treasurer, when set, wins (and is
the way to change it for good); `--as NAME` names someone else for one command.
"""

from __future__ import annotations

from pathlib import Path

from sendtui.config.claims import ClaimsSection
from sendtui.services.claims.audit import clean_who

KEY = "claims:treasurer"


def acting_name(section: ClaimsSection, remembered: str = "") -> str:
    """config.toml's treasurer, else the remembered name, else "" (ask)."""
    return " ".join(section.treasurer.split()) or " ".join(remembered.split())


def remembered_name(path: Path) -> str:
    """The name given before in this database ("" if none, or the file cannot be read)."""
    from sendtui.services.state import StateStore

    state = StateStore(path)
    try:
        value = state.get(KEY).get("name", "")
    finally:
        state.close()
    return value if isinstance(value, str) else ""


def remember_name(path: Path, name: str) -> str:
    """Keep `name` (checked as the audit trail checks it) for the next time; returns it."""
    from sendtui.services.state import StateStore

    name = clean_who(name)
    state = StateStore(path)
    try:
        state.put(KEY, {"name": name})
    finally:
        state.close()
    return name
