"""The audit trail: who changed a claim or a member, when, and the record before and after.

Every change made through the claims services writes one `AuditEntry` in the same
transaction as the change itself, so the trail can never miss a change or record one that
was not saved. Entries are only ever added (forgetting a member blanks their personal
details inside old entries too, see members.py).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from sendtui.errors import InputError
from sendtui.models import AuditEntry, Claim, ClaimItem, Member
from sendtui.store.db import Db

MAX_WHO = 120
_NOT_AUDITED = {"uuid", "created_at", "updated_at"}
_ITEM_NOT_AUDITED = {"id", "claim_id"}


def clean_who(who: str) -> str:
    """The name a change is recorded under: required, one line."""
    name = " ".join(who.split())
    if not name:
        raise InputError("Say who is making this change (your name is kept in the audit trail).")
    if len(name) > MAX_WHO:
        raise InputError(f"The name is {len(name)} characters; keep it under {MAX_WHO}.")
    return name


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def member_snapshot(member: Member) -> dict[str, Any]:
    return {k: _plain(v) for k, v in member.model_dump().items() if k not in _NOT_AUDITED}


def claim_snapshot(s: Session, claim: Claim) -> dict[str, Any]:
    """The claim's fields and its items, as plain JSON-ready data."""
    data = {k: _plain(v) for k, v in claim.model_dump().items() if k not in _NOT_AUDITED}
    items = s.exec(
        select(ClaimItem).where(ClaimItem.claim_id == claim.id).order_by(col(ClaimItem.position))
    )
    data["items"] = [
        {k: v for k, v in item.model_dump().items() if k not in _ITEM_NOT_AUDITED} for item in items
    ]
    data["total_pence"] = sum(item["amount_pence"] for item in data["items"])
    return data


def record(
    s: Session,
    *,
    who: str,
    action: str,
    entity: str,
    entity_id: int,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Add an entry to the trail, in the caller's transaction."""
    s.add(
        AuditEntry(
            who=clean_who(who),
            action=action,
            entity=entity,
            entity_id=entity_id,
            before="" if before is None else json.dumps(before, sort_keys=True),
            after="" if after is None else json.dumps(after, sort_keys=True),
        )
    )


@dataclass(frozen=True)
class AuditRow:
    """One entry as screens and reports show it."""

    id: int
    at: dt.datetime
    who: str
    action: str
    entity: str
    entity_id: int
    before: dict[str, Any]
    after: dict[str, Any]

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for every field that differs (items compared as a whole)."""
        keys = sorted(set(self.before) | set(self.after))
        return [
            (k, self.before.get(k), self.after.get(k))
            for k in keys
            if self.before.get(k) != self.after.get(k)
        ]

    def summary(self) -> str:
        """E.g. "status: submitted → approved; approved_by: → Ann"; fields in full for adds."""
        if not self.before or not self.after:
            return "created" if self.after else "deleted"
        parts = []
        for key, old, new in self.changes():
            if key == "items":
                parts.append("items changed")
            else:
                parts.append(f"{key}: {_shown(old)} → {_shown(new)}")
        return "; ".join(parts) or "no change"


def _shown(value: Any) -> str:
    return "" if value is None or value == "" else str(value)


def _load(text: str) -> dict[str, Any]:
    return json.loads(text) if text else {}


def history(conn: Db, entity: str, entity_id: int) -> list[AuditRow]:
    """Every entry about one claim or member, oldest first."""
    rows = conn.execute(
        "SELECT id, at, who, action, entity, entity_id, before, after FROM audit_entry "
        "WHERE entity = ? AND entity_id = ? ORDER BY at, id",
        (entity, entity_id),
    ).fetchall()
    return [
        AuditRow(r[0], _time(r[1]), r[2], r[3], r[4], r[5], _load(r[6]), _load(r[7])) for r in rows
    ]


def _time(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
