"""A claim's history and where it stands, in words a committee reads.

"Approved by Jo Bloggs on 3 June 2026", "Paid £42.00 by bank transfer, reference FPS-000123,
on 4 June 2026 (recorded by Tess Treasurer)": labels, not field names, and dates in the
local time zone. `claims show`, the claims screen and its history window all use this.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sendtui.models import PayTo
from sendtui.services.claims.audit import AuditRow
from sendtui.services.claims.detail import ClaimDetail
from sendtui.services.claims.payees import split
from sendtui.services.money import format_pence

LABELS = {
    "claim_date": "date",
    "event_id": "event",
    "meeting": "meeting",
    "pay_to": "paid to",
    "member_id": "member",
    "corrects_id": "corrects claim",
    "name": "name",
    "email": "email",
    "phone": "phone",
    "address": "address",
    "grade": "grade",
    "payment_preference": "payment",
    "payment_reference": "payee reference",
    "notes": "notes",
}
# Fields a workflow step sets, said by the step's own sentence rather than listed.
_WORKFLOW = {
    "status",
    "submitted_at",
    "approved_by",
    "approved_at",
    "rejected_by",
    "rejected_at",
    "rejected_reason",
    "paid_on",
    "paid_by",
    "payment_method",
    "payment_reference",
    "forgotten_at",
    "total_pence",
    "id",
}


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_day(d: dt.date) -> str:
    """`date(2026, 6, 3)` → "3 June 2026" (English month names whatever the locale)."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def local_day(moment: dt.datetime | None) -> str:
    """The day of a stored (UTC) time, where the reader is."""
    if moment is None:
        return ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    try:
        return long_day(aware.astimezone().date())
    except (OverflowError, ValueError):  # at the calendar's very ends
        return long_day(aware.date())


def _value(key: str, value: Any) -> str:
    if value is None or value == "":
        return "none"
    if key == "pay_to":
        try:
            return PayTo(value).label.lower()
        except ValueError:
            return str(value)
    if key == "claim_date":
        try:
            return long_day(dt.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    return str(value)


def _changes(entry: AuditRow) -> str:
    parts = []
    for key, old, new in entry.changes():
        if key in _WORKFLOW or key.endswith("_at"):
            continue
        if key == "items":
            before = entry.before.get("total_pence", 0)
            after = entry.after.get("total_pence", 0)
            money = (
                f" (total {format_pence(before)} → {format_pence(after)})"
                if before != after
                else ""
            )
            parts.append("items changed" + money)
        else:
            label = LABELS.get(key, key.replace("_", " "))
            parts.append(f"{label}: {_value(key, old)} → {_value(key, new)}")
    return "; ".join(parts)


def describe(entry: AuditRow) -> str:
    """One line of history, e.g. "Approved by Jo Bloggs on 3 June 2026"."""
    who, day = entry.who, local_day(entry.at)
    after, before = entry.after, entry.before
    action = entry.action
    total = format_pence(after.get("total_pence", 0)) if after else ""
    if action in ("create claim", "correct claim"):
        kind = "Correcting claim created" if action == "correct claim" else "Created"
        state = "submitted" if after.get("status") == "submitted" else "a draft"
        return f"{kind} by {who} on {day}, as {state}, {total}"
    if action == "submit claim":
        return f"Submitted by {who} on {day}"
    if action == "approve claim":
        text = f"Approved by {who} on {day}"
        if after.get("pay_to") != before.get("pay_to"):
            text += f"; remuneration to be paid {_value('pay_to', after.get('pay_to'))}"
        return text
    if action == "reject claim":
        return f"Rejected by {who} on {day}: {after.get('rejected_reason', '')}"
    if action == "pay claim":
        return paid_sentence(after) + f" (recorded by {who} on {day})"
    if action == "delete draft":
        return f"Draft deleted by {who} on {day}"
    if action.startswith("re-price claim"):
        old = format_pence(before.get("total_pence", 0))
        text = (
            f"Re-priced on {day}: {old} → {total}, as journeys dated earlier changed (car "
            "miles count in journey-date order)"
        )
        if "approval withdrawn" in action:
            text += "; approval withdrawn, to be approved again"
        return text
    if action.startswith("change claim"):
        text = f"Changed by {who} on {day}"
        changes = _changes(entry)
        text += f": {changes}" if changes else ""
        if "approval withdrawn" in action:
            text += "; approval withdrawn, to be approved again"
        if "reopened" in action:
            text += "; reopened as a draft"
        return text
    if action == "add member":
        return f"Added by {who} on {day}"
    if action == "change member":
        changes = _changes(entry)
        return f"Changed by {who} on {day}" + (f": {changes}" if changes else "")
    if action == "forget member":
        return f"Personal details removed by {who} on {day}; amounts kept"
    return f"{action.capitalize()} by {who} on {day}"


def paid_sentence(values: dict[str, Any]) -> str:
    """ "Paid £42.00 by bank transfer, reference FPS-000123, on 4 June 2026"."""
    items = [(i.get("kind", "amount"), i.get("amount_pence", 0)) for i in values.get("items", [])]
    shares = split(str(values.get("pay_to", "member")), items)
    text = f"Paid {format_pence(shares.to_member)}"
    method = str(values.get("payment_method", ""))
    if method:
        text += f" by {method[:1].lower() + method[1:]}"
    if values.get("payment_reference"):
        text += f", reference {values['payment_reference']}"
    if values.get("paid_on"):
        text += f", on {_value('claim_date', values['paid_on'])}"
    if shares.to_forum:
        text += f"; {format_pence(shares.to_forum)} remuneration kept by the forum"
    return text


def summary(detail: ClaimDetail) -> str:
    """Where the claim stands, first: what a committee member asks before anything else."""
    total = format_pence(detail.total_pence)
    approved = (
        f"approved by {detail.approved_by} on {local_day(detail.approved_at)}"
        if detail.approved_by
        else ""
    )
    if detail.status == "paid":
        values: dict[str, Any] = {
            "items": [{"kind": i.kind, "amount_pence": i.amount_pence} for i in detail.items],
            "pay_to": detail.pay_to,
            "payment_method": detail.payment_method,
            "payment_reference": detail.payment_reference,
            "paid_on": detail.paid_on.isoformat() if detail.paid_on else "",
        }
        return paid_sentence(values) + (f"; {approved}" if approved else "") + "."
    if detail.status == "approved":
        return (
            f"Approved by {detail.approved_by} on {local_day(detail.approved_at)}; {total} to pay."
        )
    if detail.status == "rejected":
        return (
            f"Rejected by {detail.rejected_by} on {local_day(detail.rejected_at)}: "
            f"{detail.rejected_reason}"
        )
    if detail.status == "submitted":
        return f"Submitted, {total}, waiting for approval."
    return f"Draft, not submitted yet; {total}."
