"""Members who claim, their claims and items, and the audit trail of every change.

Money is whole pence (int). Each item keeps the rates it was worked out with (its snapshot),
so a later change to config.toml never alters an existing claim. No bank details are held:
a member has a payment reference only.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import event as sa_event
from sqlmodel import Field, Index, SQLModel

from sendtui.models.base import new_uuid, utcnow
from sendtui.text import name_key


class ClaimStatus(StrEnum):
    """Where a claim is in the workflow."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PAID = "paid"
    REJECTED = "rejected"


class PayTo(StrEnum):
    """Who is paid: the member, the forum instead (benefits), or nobody (declined)."""

    MEMBER = "member"
    FORUM = "forum"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return PAY_TO_LABELS[self]


PAY_TO_LABELS: dict[PayTo, str] = {
    PayTo.MEMBER: "To the member",
    PayTo.FORUM: "To the forum instead",
    PayTo.DECLINED: "Declines payment",
}


class Member(SQLModel, table=True):
    """A parent carer who claims: contact details, graded role and payment preference."""

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, unique=True, index=True, max_length=36)
    name: str = Field(index=True)
    name_key: str = Field(default="", unique=True, index=True)  # name_key(name), kept below
    email: str = ""
    phone: str = ""
    address: str = ""
    grade: str = ""  # a grade name from config.toml [claims] grades; "" for none
    payment_preference: str = PayTo.MEMBER.value
    payment_reference: str = ""  # how the treasurer's bank knows the payee; never bank details
    notes: str = ""
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)
    forgotten_at: dt.datetime | None = None  # personal details removed after retention


class Claim(SQLModel, table=True):
    """One claim by a member for one date: an event from the store or a meeting described."""

    __table_args__ = (Index("ix_claim_member_date", "member_id", "claim_date"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, unique=True, index=True, max_length=36)
    member_id: int = Field(foreign_key="member.id", ondelete="RESTRICT")
    claim_date: dt.date = Field(index=True)
    event_id: int | None = Field(
        default=None, foreign_key="event.id", ondelete="SET NULL", index=True
    )
    meeting: str = ""
    status: str = Field(default=ClaimStatus.DRAFT.value, index=True)
    pay_to: str = PayTo.MEMBER.value
    corrects_id: int | None = Field(default=None, foreign_key="claim.id", ondelete="SET NULL")
    created_by: str = ""
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)
    submitted_at: dt.datetime | None = None
    approved_by: str = ""
    approved_at: dt.datetime | None = None
    rejected_by: str = ""
    rejected_at: dt.datetime | None = None
    rejected_reason: str = ""
    paid_on: dt.date | None = None
    paid_by: str = ""
    payment_method: str = ""
    payment_reference: str = ""


class ClaimItem(SQLModel, table=True):
    """One line of a claim, with the rates used to work it out.

    `kind` says how: "amount" (typed), "car"/"motorcycle"/"bicycle" (miles × rate, the car's
    first `miles_first_tenths` at `rate_pence` and the rest at `rate_after_pence`, plus
    passengers at `passenger_rate_pence`), "care" (minutes × `rate_pence`, the lower of
    `requested_rate_pence` and `cap_pence`) or "remuneration" (minutes or sessions ×
    `rate_pence` of `grade`). `working` is the sum written out for forms.
    """

    __tablename__ = "claim_item"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", ondelete="CASCADE", index=True)
    position: int = 0
    category: str
    kind: str = "amount"
    description: str = ""
    amount_pence: int
    receipt: bool = False
    from_place: str = ""
    to_place: str = ""
    miles_tenths: int = 0
    passengers: int = 0
    minutes: int | None = None
    sessions: int | None = None
    rate_pence: int | None = None
    rate_after_pence: int | None = None
    miles_first_tenths: int | None = None
    passenger_rate_pence: int | None = None
    requested_rate_pence: int | None = None
    cap_pence: int | None = None
    grade: str = ""
    working: str = ""


class AuditEntry(SQLModel, table=True):
    """Who changed what and when: the record's fields before and after, as JSON."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_entity", "entity", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow, index=True)
    who: str
    action: str
    entity: str  # "claim" or "member"
    entity_id: int
    before: str = ""  # JSON; "" when the record was created
    after: str = ""  # JSON; "" when the record was deleted


def _keep_member_key(_mapper, _connection, target: Member) -> None:
    target.name_key = name_key(target.name or "")


sa_event.listen(Member, "before_insert", _keep_member_key)
sa_event.listen(Member, "before_update", _keep_member_key)
