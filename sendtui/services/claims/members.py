"""Members: the parent carers who claim. Adding, changing, finding and forgetting them.

No bank details are kept: only a payment reference (how the forum's bank payee list knows
them), and a reference that looks like a sort code, account number or IBAN is refused.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from sendtui.errors import InputError, NotFoundError
from sendtui.models import AuditEntry, Claim, ClaimItem, Member, PayTo
from sendtui.models.base import utcnow
from sendtui.services.allowances import format_day
from sendtui.services.claims import audit
from sendtui.services.claims.items import clean_text, route_text
from sendtui.services.claims.retention import retention_ends
from sendtui.services.claims.rules import ClaimRules
from sendtui.store.store import Store
from sendtui.text import ascii_number, name_key

MAX_NAME = 120
PERSONAL_FIELDS = ("email", "phone", "address", "payment_reference", "notes")
_SORT_CODE = re.compile(r"\b\d{2}[- ]\d{2}[- ]\d{2}\b|\b\d{6}\b")
_ACCOUNT = re.compile(r"\d{8,}")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{4}\s?\d{4}", re.IGNORECASE)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class MemberInput:
    """A member's details as typed."""

    name: str
    email: str = ""
    phone: str = ""
    address: str = ""
    grade: str = ""
    payment_preference: str = PayTo.MEMBER.value
    payment_reference: str = ""
    notes: str = ""


def clean_member_name(value: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise InputError("Enter the member's name.")
    if len(name) > MAX_NAME:
        raise InputError(f"The name is {len(name)} characters; keep it under {MAX_NAME}.")
    return name


def check_payment_reference(value: str) -> str:
    """A payee reference, refused if it looks like bank details (sendtui never stores them)."""
    text = clean_text(value, "payment reference", limit=60)
    squashed = text.replace(" ", "")
    if _SORT_CODE.search(text) or _ACCOUNT.search(squashed) or _IBAN.search(text):
        raise InputError(
            "That looks like bank details (a sort code, account number or IBAN). sendtui does "
            "not store bank details: enter the reference your bank's payee list uses instead."
        )
    return text


def preference(value: str) -> str:
    key = value.strip().lower()
    aliases = {
        "self": "member",
        "themselves": "member",
        "forum instead": "forum",
        "decline": "declined",
        "declines": "declined",
        "none": "declined",
    }
    key = aliases.get(key, key)
    if key not in {p.value for p in PayTo}:
        raise InputError(
            f"Payment preference must be member, forum or declined, not “{value.strip()[:30]}”."
        )
    return key


def clean_member(data: MemberInput, rules: ClaimRules) -> dict[str, str]:
    """The stored values for a member, or an InputError naming the first problem."""
    email = clean_text(data.email, "email address", limit=200)
    if email and not _EMAIL.fullmatch(email):
        raise InputError(f"“{email[:60]}” is not an email address (name@example.org).")
    return {
        "name": clean_member_name(data.name),
        "email": email,
        "phone": clean_text(data.phone, "phone number", limit=40),
        "address": clean_text(data.address, "address", limit=300),
        "grade": rules.grade(data.grade),
        "payment_preference": preference(data.payment_preference),
        "payment_reference": check_payment_reference(data.payment_reference),
        "notes": clean_text(data.notes, "notes", limit=500),
    }


class MemberService:
    """Changes to members, each recorded in the audit trail as made by `who`."""

    def __init__(self, store: Store, rules: ClaimRules, *, who: str) -> None:
        self.store = store
        self.rules = rules
        self.who = who

    def add(self, data: MemberInput) -> Member:
        values = clean_member(data, self.rules)
        with self.store.write() as s:
            return self.add_in(s, values)

    def add_in(self, s: Session, values: dict[str, str]) -> Member:
        """Add a member in the caller's transaction (values already cleaned)."""
        self._check_unique(s, values["name"], None)
        member = Member(**values)
        s.add(member)
        s.flush()
        assert member.id is not None
        audit.record(
            s,
            who=self.who,
            action="add member",
            entity="member",
            entity_id=member.id,
            before=None,
            after=audit.member_snapshot(member),
        )
        return member

    def update(self, member_id: int, data: MemberInput) -> Member:
        values = clean_member(data, self.rules)
        with self.store.write() as s:
            member = self._get(s, member_id)
            if member.forgotten_at is not None:
                raise InputError("This member's details were removed; they cannot be changed.")
            self._check_unique(s, values["name"], member_id)
            before = audit.member_snapshot(member)
            for key, value in values.items():
                setattr(member, key, value)
            member.updated_at = utcnow()
            s.add(member)
            after = audit.member_snapshot(member)
            if after != before:
                audit.record(
                    s,
                    who=self.who,
                    action="change member",
                    entity="member",
                    entity_id=member_id,
                    before=before,
                    after=after,
                )
            return member

    def get(self, member_id: int) -> Member:
        with self.store.session() as s:
            return self._get(s, member_id)

    def list(self) -> list[Member]:
        with self.store.session() as s:
            return list(s.exec(select(Member).order_by(col(Member.name_key), col(Member.id))))

    def find(self, name: str, *, exact: bool = False) -> Member:
        with self.store.session() as s:
            return find_member(s, name, exact=exact)

    def check_forget(self, name: str, *, today: dt.date | None = None) -> str:
        """Say what forgetting the member would remove and keep; an InputError saying why
        not while any claim is unpaid or their records are inside the retention period."""
        with self.store.session() as s:
            member = find_member(s, name, exact=True)
            self._may_forget(s, member, today or dt.date.today())
            return forget_message(member.name)

    def _may_forget(self, s: Session, member: Member, today: dt.date) -> None:
        assert member.id is not None
        if member.forgotten_at is not None:
            raise InputError("This member's details were already removed.")
        unpaid = list(
            s.exec(
                select(Claim.id, Claim.status)
                .where(Claim.member_id == member.id, col(Claim.status).in_(UNPAID))
                .order_by(col(Claim.id))
            )
        )
        if unpaid:
            listed = ", ".join(f"{claim_id} ({status})" for claim_id, status in unpaid[:10])
            raise InputError(
                f"{member.name} has claims not paid yet: {listed}. Pay, reject or delete them "
                "first; their details are needed until then."
            )
        last_date = s.exec(
            select(func.max(Claim.claim_date)).where(Claim.member_id == member.id)
        ).one()
        if last_date is not None:
            keep_until = retention_ends(
                last_date, self.rules.retention_years, self.rules.year_start
            )
            if today <= keep_until:
                raise InputError(
                    f"Records for {member.name}'s claims must be kept until "
                    f"{format_day(keep_until)} ({self.rules.retention_years} years after "
                    f"the end of the financial year of their last claim, "
                    f"{format_day(last_date)}); their details can be removed after that."
                )

    def forget(self, name: str, *, today: dt.date | None = None) -> Member:
        """Remove a member's personal details once nothing is unpaid and their records are
        past the retention period (`check_forget` says what is removed and kept).

        The name becomes "Former member N"; contact details, payment reference and notes are
        blanked, and so are the places travelled (often a home address) on their items and
        the same details inside old audit entries. Amounts, dates and categories stay.
        """
        today = today or dt.date.today()
        with self.store.write() as s:
            member = find_member(s, name, exact=True)
            assert member.id is not None
            self._may_forget(s, member, today)
            before = audit.member_snapshot(member)
            member.name = f"Former member {member.id}"
            for key in PERSONAL_FIELDS:
                setattr(member, key, "")
            member.forgotten_at = utcnow()
            member.updated_at = member.forgotten_at
            s.add(member)
            claim_ids = list(s.exec(select(Claim.id).where(Claim.member_id == member.id)))
            for item in s.exec(select(ClaimItem).where(ClaimItem.claim_id.in_(claim_ids))):  # type: ignore[union-attr]
                item.working = _without_route(item.working, item.from_place, item.to_place)
                item.from_place = item.to_place = ""
                s.add(item)
            self._scrub_trail(s, member.id, claim_ids)
            audit.record(
                s,
                who=self.who,
                action="forget member",
                entity="member",
                entity_id=member.id,
                before=_redacted(before, member.name),
                after=audit.member_snapshot(member),
            )
            return member

    @staticmethod
    def _scrub_trail(s: Session, member_id: int, claim_ids: list[int | None]) -> None:
        """Blank personal details inside earlier audit entries about the member and claims."""
        new_name = f"Former member {member_id}"
        entries = s.exec(
            select(AuditEntry).where(
                ((AuditEntry.entity == "member") & (AuditEntry.entity_id == member_id))
                | ((AuditEntry.entity == "claim") & AuditEntry.entity_id.in_(claim_ids))  # type: ignore[attr-defined]
            )
        )
        for entry in entries:
            for attr in ("before", "after"):
                text = getattr(entry, attr)
                if not text:
                    continue
                data = json.loads(text)
                if entry.entity == "member":
                    data = _redacted(data, new_name)
                else:
                    for item in data.get("items", []):
                        item["working"] = _without_route(
                            item.get("working", ""),
                            item.get("from_place", ""),
                            item.get("to_place", ""),
                        )
                        item["from_place"] = item["to_place"] = ""
                setattr(entry, attr, json.dumps(data, sort_keys=True))
            s.add(entry)

    @staticmethod
    def _check_unique(s: Session, name: str, member_id: int | None) -> None:
        # One comparison everywhere: name_key (NFKC, case-folded), as the unique index has it.
        clash = s.exec(select(Member).where(Member.name_key == name_key(name))).first()
        if clash is not None and clash.id != member_id:
            raise InputError(
                f"There is already a member called {clash.name}; add something to tell them "
                "apart (e.g. the area they live in)."
            )

    @staticmethod
    def _get(s: Session, member_id: int) -> Member:
        member = s.get(Member, member_id) if 0 < member_id < 2**63 else None
        if member is None:
            raise NotFoundError(f"There is no member {member_id}.")
        return member


UNPAID = ("draft", "submitted", "approved")


def forget_message(name: str) -> str:
    """What `forget` removes and what it keeps, in words, for the confirmation."""
    return (
        f"This removes {name}'s name (they become “Former member N”), email, phone, address, "
        "payee reference and notes, and the places on their mileage items, here and in the "
        "history. Kept, as the accounts need them: every claim's date, event or meeting, "
        "categories, amounts, who approved and paid it and when, and the audit trail."
    )


def _redacted(data: dict, name: str) -> dict:
    out = dict(data)
    out["name"] = name
    if "name_key" in out:
        out["name_key"] = name_key(name)
    for key in PERSONAL_FIELDS:
        if key in out:
            out[key] = ""
    return out


def _without_route(working: str, from_place: str, to_place: str) -> str:
    """An item's working without the "from → to: " it starts with (places may be a home)."""
    route = route_text(from_place, to_place)
    return working[len(route) :] if route and working.startswith(route) else working


def member_by_name(s: Session, name: str) -> Member | None:
    """The member with exactly this name (any case, spaces tidied: name_key), or None."""
    return s.exec(select(Member).where(Member.name_key == name_key(name))).first()


def find_member(s: Session, name: str, *, exact: bool = False) -> Member:
    """A member by id, exact name (any case), or (unless `exact`) a part of the name only one
    member has."""
    key = " ".join(name.split())
    if not key:
        raise InputError("Enter the member's name.")
    member_id = ascii_number(key)
    if member_id is not None and (member := s.get(Member, member_id)):
        return member
    found = member_by_name(s, key)
    if found is not None:
        return found
    if exact:
        raise NotFoundError(
            f"There is no member called exactly “{key[:40]}”. `sendtui members list` lists them."
        )
    pattern = "%" + re.sub(r"([\\%_])", r"\\\1", name_key(key)) + "%"
    near = list(s.exec(select(Member).where(col(Member.name_key).like(pattern, escape="\\"))))
    if len(near) == 1:
        return near[0]
    if near:
        names = "; ".join(m.name for m in near[:10])
        raise NotFoundError(f"“{key[:40]}” matches several members ({names}); be more exact.")
    raise NotFoundError(f"There is no member “{key[:40]}”. `sendtui members list` lists them.")
