"""Claims and their workflow: draft → submitted → approved → paid, or rejected.

Every change is one transaction with its audit entry. A paid claim is locked: mistakes are put
right with a correcting claim (which may hold negative amounts), never by editing. Items are
worked out when saved, with the rates in force on the claim's date, and keep those rates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlmodel import Session, select

from sendtui.errors import InputError, NotFoundError
from sendtui.models import Claim, ClaimItem, ClaimStatus, Event, Member, PayTo
from sendtui.models.base import utcnow
from sendtui.services.allowances import format_day
from sendtui.services.claims import audit
from sendtui.services.claims.detail import (
    MAX_ID,
    ClaimDetail,
    ClaimHeader,
    ClaimProblems,
    load_detail,
)
from sendtui.services.claims.items import (
    ItemInput,
    PricedItem,
    clean_text,
)
from sendtui.services.claims.payees import split
from sendtui.services.claims.priced import ClaimPricing
from sendtui.services.claims.pricing import (
    ADJUSTMENT_CATEGORY,
    Repriced,
)
from sendtui.services.claims.rules import ClaimRules
from sendtui.store.store import Store

OPEN = (ClaimStatus.DRAFT, ClaimStatus.SUBMITTED, ClaimStatus.APPROVED)


def _status(claim: Claim) -> ClaimStatus:
    return ClaimStatus(claim.status)


class ClaimService(ClaimPricing):
    """Every change to claims, recorded in the audit trail as made by `who`."""

    def __init__(self, store: Store, rules: ClaimRules, *, who: str) -> None:
        self.store = store
        self.rules = rules
        self.who = audit.clean_who(who)
        # Other claims re-priced by the last change (the 10,000-mile line follows journey
        # dates): the caller tells the treasurer (see pricing.describe_changes).
        self.repriced: list[Repriced] = []

    # -- reading ---------------------------------------------------------------------------

    def get(self, claim_id: int) -> ClaimDetail:
        with self.store.session() as s:
            return load_detail(s, claim_id)

    # -- changes ---------------------------------------------------------------------------

    def create(
        self,
        header: ClaimHeader,
        items: Sequence[ItemInput],
        *,
        submit: bool = False,
        corrects_id: int | None = None,
    ) -> int:
        """Save a new claim (a draft, or submitted); returns its id."""
        with self.store.write() as s:
            return self.create_in(s, header, items, submit=submit, corrects_id=corrects_id)

    def create_in(
        self,
        s: Session,
        header: ClaimHeader,
        items: Sequence[ItemInput],
        *,
        submit: bool = False,
        corrects_id: int | None = None,
    ) -> int:
        """`create` inside the caller's transaction (the spreadsheet import uses it)."""
        self.repriced = []
        member = self._member(s, header.member_id)
        if member.forgotten_at is not None:
            raise InputError("This member's details were removed; they cannot make new claims.")
        if corrects_id is not None:
            original = self._claim(s, corrects_id)
            if _status(original) is not ClaimStatus.PAID:
                raise InputError("Only a paid claim needs a correcting claim; edit this one.")
            if original.member_id != member.id:
                raise InputError("A correcting claim must be for the same member as the original.")
        values = self._header_values(s, header, member)
        priced = self._price(s, header, member, items, None, corrects_id is not None)
        if submit and not priced:
            raise ClaimProblems({"items": "Add at least one item before submitting."})
        now = utcnow()
        claim = Claim(
            **values,
            status=(ClaimStatus.SUBMITTED if submit else ClaimStatus.DRAFT).value,
            corrects_id=corrects_id,
            created_by=self.who,
            submitted_at=now if submit else None,
        )
        s.add(claim)
        s.flush()
        assert claim.id is not None
        self._put_items(s, claim.id, priced)
        action = "correct claim" if corrects_id is not None else "create claim"
        audit.record(
            s,
            who=self.who,
            action=action,
            entity="claim",
            entity_id=claim.id,
            before=None,
            after=audit.claim_snapshot(s, claim),
        )
        self._reprice(s, (member.id or 0, header.claim_date), skip=claim.id)
        return claim.id

    def update(self, claim_id: int, header: ClaimHeader, items: Sequence[ItemInput]) -> None:
        """Change a claim's details and items. An approved claim goes back to submitted (it
        must be approved again); a rejected one becomes a draft; a paid one is locked."""
        self.repriced = []
        items = [i for i in items if i.category != ADJUSTMENT_CATEGORY]  # worked out below
        with self.store.write() as s:
            claim = self._claim(s, claim_id)
            self._not_paid(claim)
            member = self._member(s, header.member_id)
            was = (claim.member_id, claim.claim_date)
            before = audit.claim_snapshot(s, claim)
            values = self._header_values(s, header, member)
            priced = self._price(s, header, member, items, claim_id, claim.corrects_id is not None)
            status = _status(claim)
            if status is ClaimStatus.SUBMITTED and not priced:
                raise ClaimProblems({"items": "A submitted claim needs at least one item."})
            for key, value in values.items():
                setattr(claim, key, value)
            action = "change claim"
            if status is ClaimStatus.APPROVED:
                claim.status, claim.approved_by, claim.approved_at = "submitted", "", None
                action = "change claim (approval withdrawn)"
            elif status is ClaimStatus.REJECTED:
                claim.status = ClaimStatus.DRAFT.value
                claim.rejected_by, claim.rejected_at, claim.rejected_reason = "", None, ""
                action = "change claim (reopened as a draft)"
            claim.updated_at = utcnow()
            s.add(claim)
            for old in s.exec(select(ClaimItem).where(ClaimItem.claim_id == claim_id)):
                s.delete(old)
            s.flush()
            self._put_items(s, claim_id, priced)
            self._audit(s, claim, action, before)
            self._reprice(s, was, (member.id or 0, header.claim_date), skip=claim_id)

    def submit(self, claim_id: int) -> None:
        self.repriced = []
        with self.store.write() as s:
            claim = self._claim(s, claim_id)
            before = audit.claim_snapshot(s, claim)
            if _status(claim) not in (ClaimStatus.DRAFT, ClaimStatus.REJECTED):
                raise InputError(f"Claim {claim_id} is {claim.status}; only a draft is submitted.")
            if not before["items"]:
                raise InputError("Add at least one item before submitting.")
            was_rejected = _status(claim) is ClaimStatus.REJECTED
            claim.status = ClaimStatus.SUBMITTED.value
            claim.submitted_at = utcnow()
            claim.rejected_by, claim.rejected_at, claim.rejected_reason = "", None, ""
            self._audit(s, claim, "submit claim", before)
            if was_rejected:  # its miles count again
                self._reprice(s, (claim.member_id, claim.claim_date), skip=claim_id)

    def approve(
        self, claim_id: int, *, approver: str | None = None, pay_to: str | None = None
    ) -> None:
        """Approve a draft or submitted claim; `pay_to` "forum" pays the forum instead."""
        who = audit.clean_who(approver or self.who)
        with self.store.write() as s:
            claim = self._claim(s, claim_id)
            member = self._member(s, claim.member_id)
            before = audit.claim_snapshot(s, claim)
            status = _status(claim)
            if status not in (ClaimStatus.DRAFT, ClaimStatus.SUBMITTED):
                raise InputError(f"Claim {claim_id} is {claim.status}; it cannot be approved.")
            if not before["items"]:
                raise InputError("This claim has no items to approve.")
            if who.casefold() == member.name.casefold() and not self.rules.allow_self_approval:
                raise InputError(
                    f"{who} cannot approve their own claim; another officer must "
                    "(config.toml [claims] allow_self_approval)."
                )
            now = utcnow()
            if pay_to is not None:
                claim.pay_to = PayTo(pay_to).value
            claim.status = ClaimStatus.APPROVED.value
            claim.submitted_at = claim.submitted_at or now
            claim.approved_by, claim.approved_at = who, now
            self._audit(s, claim, "approve claim", before, who=who)

    def reject(self, claim_id: int, reason: str) -> None:
        reason = clean_text(reason, "reason", limit=500)
        if not reason:
            raise InputError("Give the reason for rejecting the claim (the member is told it).")
        self.repriced = []
        with self.store.write() as s:
            claim = self._claim(s, claim_id)
            before = audit.claim_snapshot(s, claim)
            if _status(claim) not in OPEN:
                raise InputError(f"Claim {claim_id} is {claim.status}; it cannot be rejected.")
            claim.status = ClaimStatus.REJECTED.value
            claim.rejected_by, claim.rejected_at, claim.rejected_reason = (
                self.who,
                utcnow(),
                reason,
            )
            claim.approved_by, claim.approved_at = "", None
            self._audit(s, claim, "reject claim", before)
            self._reprice(s, (claim.member_id, claim.claim_date), skip=claim_id)

    def pay(self, claim_id: int, *, paid_on: dt.date, method: str, reference: str = "") -> None:
        """Mark an approved claim paid: the day, how, and the bank's or cheque's reference."""
        method_name = self._method(method)
        reference = clean_text(reference, "payment reference", limit=60)
        with self.store.write() as s:
            claim = self._claim(s, claim_id)
            self.check_payment_date(claim.claim_date, paid_on)
            before = audit.claim_snapshot(s, claim)
            if _status(claim) is not ClaimStatus.APPROVED:
                raise InputError(
                    f"Claim {claim_id} is {claim.status}; only an approved claim is paid."
                )
            shares = split(claim.pay_to, [(i["kind"], i["amount_pence"]) for i in before["items"]])
            if claim.pay_to == PayTo.DECLINED.value and not shares.to_member:
                raise InputError(
                    "The member declines payment for this claim (it is all remuneration); "
                    "change who it is paid to before recording a payment."
                )
            claim.status = ClaimStatus.PAID.value
            claim.paid_on, claim.paid_by = paid_on, self.who
            claim.payment_method, claim.payment_reference = method_name, reference
            self._audit(s, claim, "pay claim", before)

    @staticmethod
    def check_payment_date(claim_date: dt.date, paid_on: dt.date) -> None:
        """A payment is made on or after the claim's date, and not in the future."""
        if paid_on > dt.date.today():
            raise InputError(f"The payment date {format_day(paid_on)} is in the future.")
        if paid_on < claim_date:
            raise InputError(
                f"The payment date {format_day(paid_on)} is before the claim's date, "
                f"{format_day(claim_date)}."
            )

    def delete(self, claim_id: int) -> None:
        """Delete a draft (anything further along is kept: reject it instead)."""
        self.repriced = []
        with self.store.write() as s:
            claim = self._claim(s, claim_id)
            if _status(claim) is not ClaimStatus.DRAFT:
                raise InputError(
                    f"Claim {claim_id} is {claim.status}; only a draft can be deleted "
                    "(reject it instead, so the record is kept)."
                )
            before = audit.claim_snapshot(s, claim)
            for item in s.exec(select(ClaimItem).where(ClaimItem.claim_id == claim_id)):
                s.delete(item)
            s.flush()  # items first: the claim's own delete would cascade to them
            s.delete(claim)
            audit.record(
                s,
                who=self.who,
                action="delete draft",
                entity="claim",
                entity_id=claim_id,
                before=before,
                after=None,
            )
            s.flush()
            self._reprice(s, (claim.member_id, claim.claim_date))

    # -- machinery -------------------------------------------------------------------------

    def _audit(
        self, s: Session, claim: Claim, action: str, before: dict, who: str | None = None
    ) -> None:
        claim.updated_at = utcnow()
        s.add(claim)
        s.flush()
        assert claim.id is not None
        audit.record(
            s,
            who=who or self.who,
            action=action,
            entity="claim",
            entity_id=claim.id,
            before=before,
            after=audit.claim_snapshot(s, claim),
        )

    def _method(self, method: str) -> str:
        key = " ".join(method.split()).casefold()
        for known in self.rules.payment_methods:
            if known.casefold() == key:
                return known
        listed = ", ".join(self.rules.payment_methods)
        raise InputError(
            f"Choose how it was paid: {listed} (config.toml [claims] payment_methods)."
        )

    def _header_values(self, s: Session, header: ClaimHeader, member: Member) -> dict[str, object]:
        problems: dict[str, str] = {}
        meeting = ""
        try:
            meeting = clean_text(header.meeting, "meeting description")
        except InputError as exc:
            problems["meeting"] = exc.message
        if header.event_id is not None and s.get(Event, header.event_id) is None:
            problems["event"] = f"There is no event {header.event_id}."
        if header.event_id is None and not meeting and "meeting" not in problems:
            problems["meeting"] = "Choose the event, or describe the meeting."
        pay_to = header.pay_to or member.payment_preference
        if pay_to not in {p.value for p in PayTo}:
            problems["pay_to"] = "Pay to must be the member, the forum, or declined."
        if problems:
            raise ClaimProblems(problems)
        return {
            "member_id": member.id,
            "claim_date": header.claim_date,
            "event_id": header.event_id,
            "meeting": meeting,
            "pay_to": pay_to,
        }

    @staticmethod
    def _put_items(s: Session, claim_id: int, priced: Sequence[PricedItem]) -> None:
        for position, item in enumerate(priced):
            s.add(ClaimItem(claim_id=claim_id, position=position, **item.row()))
        s.flush()

    @staticmethod
    def _not_paid(claim: Claim) -> None:
        if _status(claim) is ClaimStatus.PAID:
            paid = format_day(claim.paid_on) if claim.paid_on else "already"
            raise InputError(
                f"Claim {claim.id} was paid on {paid} and is locked; make a correcting claim "
                "instead."
            )

    @staticmethod
    def _claim(s: Session, claim_id: int) -> Claim:
        claim = s.get(Claim, claim_id) if 0 < claim_id <= MAX_ID else None
        if claim is None:
            raise NotFoundError(f"There is no claim {claim_id}.")
        return claim
