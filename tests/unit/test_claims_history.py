"""History in committee words, and the summary that comes first."""

from __future__ import annotations

import datetime as dt

from sendtui.services.claims import audit, history
from sendtui.services.claims.detail import ClaimHeader
from sendtui.services.claims.items import ItemInput
from sendtui.services.claims.members import MemberInput, MemberService
from sendtui.services.claims.rules import ClaimRules
from sendtui.services.claims.workflow import ClaimService

RULES = ClaimRules()


def test_history_reads_as_words(store) -> None:
    jane = MemberService(store, RULES, who="Tess").add(MemberInput("Jane Parent")).id
    assert jane is not None
    service = ClaimService(store, RULES, who="Tess Treasurer")
    day = dt.date(2026, 6, 1)
    claim_id = service.create(
        ClaimHeader(jane, day, meeting="Board"), [ItemInput("Taxi", amount="40")], submit=True
    )
    service.update(
        claim_id, ClaimHeader(jane, day, meeting="SEND board"), [ItemInput("Taxi", amount="42")]
    )
    service.approve(claim_id, approver="Jo Bloggs")
    service.pay(claim_id, paid_on=dt.date.today(), method="Bank transfer", reference="FPS-000123")
    lines = [history.describe(e) for e in audit.history(store.reader, "claim", claim_id)]
    today = history.long_day(dt.date.today())
    assert lines[0] == f"Created by Tess Treasurer on {today}, as submitted, £40.00"
    assert lines[1] == (
        f"Changed by Tess Treasurer on {today}: items changed (total £40.00 → £42.00); "
        "meeting: Board → SEND board"
    )
    assert lines[2] == f"Approved by Jo Bloggs on {today}"
    assert lines[3] == (
        f"Paid £42.00 by bank transfer, reference FPS-000123, on {today} "
        f"(recorded by Tess Treasurer on {today})"
    )
    summary = history.summary(service.get(claim_id))
    assert summary.startswith("Paid £42.00 by bank transfer, reference FPS-000123")
    assert f"approved by Jo Bloggs on {today}" in summary
    assert "status" not in " ".join(lines) and "_" not in " ".join(lines)


def test_long_day() -> None:
    assert history.long_day(dt.date(2026, 6, 3)) == "3 June 2026"
