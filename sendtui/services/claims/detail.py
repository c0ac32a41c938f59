"""A claim as read back: its member, event and items (ClaimDetail), and the few queries the
workflow and the screens share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from sendtui.errors import InputError, NotFoundError
from sendtui.models import Claim, ClaimItem, Event, Member
from sendtui.services.claims.items import PricedItem
from sendtui.services.money import format_pence

_ITEM_FIELDS = tuple(PricedItem.__dataclass_fields__)


@dataclass(frozen=True)
class ClaimHeader:
    """Who claims, for which day, and what for: an event from the store or a meeting."""

    member_id: int
    claim_date: dt.date
    event_id: int | None = None
    meeting: str = ""
    pay_to: str | None = None  # None: the member's payment preference


class ClaimProblems(InputError):
    """A claim that cannot be saved: problems by header field, and by item (index → field)."""

    def __init__(
        self, problems: dict[str, str], item_problems: dict[int, dict[str, str]] | None = None
    ) -> None:
        self.problems = dict(problems)
        self.item_problems = dict(item_problems or {})
        parts = list(self.problems.values())
        for index, found in sorted(self.item_problems.items()):
            parts += [f"item {index + 1}: {message}" for message in found.values()]
        super().__init__("; ".join(parts))


@dataclass(frozen=True)
class ClaimDetail:
    """A claim with its member, event and items, as forms and exports show it."""

    id: int
    uuid: str
    member_id: int
    member_name: str
    member_grade: str
    member_reference: str
    claim_date: dt.date
    event_id: int | None
    event_title: str
    meeting: str
    status: str
    pay_to: str
    corrects_id: int | None
    created_by: str
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    approved_by: str
    approved_at: dt.datetime | None
    rejected_by: str
    rejected_at: dt.datetime | None
    rejected_reason: str
    paid_on: dt.date | None
    paid_by: str
    payment_method: str
    payment_reference: str
    items: tuple[PricedItem, ...]

    @property
    def total_pence(self) -> int:
        return sum(item.amount_pence for item in self.items)

    @property
    def where(self) -> str:
        """The event's title, or the meeting described."""
        return self.event_title or self.meeting

    @property
    def header(self) -> ClaimHeader:
        return ClaimHeader(
            self.member_id, self.claim_date, self.event_id, self.meeting, self.pay_to
        )


MAX_ID = 2**63 - 1  # the largest id a database column holds; larger cannot name a claim


def load_detail(s: Session, claim_id: int) -> ClaimDetail:
    claim = s.get(Claim, claim_id) if 0 < claim_id <= MAX_ID else None
    if claim is None:
        raise NotFoundError(f"There is no claim {claim_id}.")
    member = s.get(Member, claim.member_id)
    assert member is not None and claim.id is not None
    event = s.get(Event, claim.event_id) if claim.event_id is not None else None
    items = s.exec(
        select(ClaimItem).where(ClaimItem.claim_id == claim_id).order_by(col(ClaimItem.position))
    )
    priced = tuple(PricedItem(**{k: getattr(i, k) for k in _ITEM_FIELDS}) for i in items)
    return ClaimDetail(
        id=claim.id,
        uuid=claim.uuid,
        member_id=claim.member_id,
        member_name=member.name,
        member_grade=member.grade,
        member_reference=member.payment_reference,
        claim_date=claim.claim_date,
        event_id=claim.event_id,
        event_title=event.title if event else "",
        meeting=claim.meeting,
        status=claim.status,
        pay_to=claim.pay_to,
        corrects_id=claim.corrects_id,
        created_by=claim.created_by,
        created_at=claim.created_at,
        submitted_at=claim.submitted_at,
        approved_by=claim.approved_by,
        approved_at=claim.approved_at,
        rejected_by=claim.rejected_by,
        rejected_at=claim.rejected_at,
        rejected_reason=claim.rejected_reason,
        paid_on=claim.paid_on,
        paid_by=claim.paid_by,
        payment_method=claim.payment_method,
        payment_reference=claim.payment_reference,
        items=priced,
    )


def describe_total(detail: ClaimDetail) -> str:
    """E.g. "Claim 12: £45.60, 3 items"."""
    n = len(detail.items)
    return f"Claim {detail.id}: {format_pence(detail.total_pence)}, {n} item{'s' if n != 1 else ''}"
