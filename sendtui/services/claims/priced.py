"""How ClaimService works items out: the claim form's live figures (`price`, `price_next`)
and saving (`_price`) use the same rule, and `_reprice` re-prices the member's tax years a
change touches (see pricing.py). A base class of ClaimService."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlmodel import Session

from sendtui.models import Member
from sendtui.services.claims.detail import ClaimHeader, ClaimProblems
from sendtui.services.claims.items import ItemInput, ItemProblems, PricedItem, price_item
from sendtui.services.claims.pricing import Repriced, prior_car_miles, reprice_year
from sendtui.services.claims.rules import ClaimRules
from sendtui.services.mileage import tax_year_start
from sendtui.store.store import Store


class ClaimPricing:
    """Pricing for ClaimService (which sets these attributes)."""

    store: Store
    rules: ClaimRules
    who: str
    repriced: list[Repriced]

    @staticmethod
    def _member(s: Session, member_id: int) -> Member:
        member = s.get(Member, member_id)
        if member is None:
            raise ClaimProblems({"member": "Choose the member who is claiming."})
        return member

    def price(
        self,
        header: ClaimHeader,
        items: Sequence[ItemInput],
        *,
        claim_id: int | None = None,
        correction: bool = False,
    ) -> list[PricedItem]:
        """Work the items out as they would be saved (the form's running figures)."""
        with self.store.session() as s:
            member = self._member(s, header.member_id)
            return self._price(s, header, member, items, claim_id, correction)

    def price_next(
        self,
        header: ClaimHeader,
        items: Sequence[ItemInput],
        item: ItemInput,
        *,
        claim_id: int | None = None,
        correction: bool = False,
    ) -> PricedItem:
        """Work out `item` as if it came after `items` on this claim (the form's live sum):
        the same rule as saving, so the preview and the saved amount always agree. Raises
        ItemProblems for `item`'s own fields."""
        with self.store.session() as s:
            # No member chosen yet (0): no grade and no miles before, as for a new member.
            member = s.get(Member, header.member_id) or Member(name="", grade="")
            prior = 0
            if member.id is not None:
                prior = prior_car_miles(s, member.id, header.claim_date, claim_id)
            for earlier in items:
                try:
                    done = self._price_one(earlier, header, member, prior, correction)
                except ItemProblems:
                    continue
                if done.kind == "car":
                    prior += done.miles_tenths
            return self._price_one(item, header, member, prior, correction)

    def _price_one(
        self, item: ItemInput, header: ClaimHeader, member: Member, prior: int, correction: bool
    ) -> PricedItem:
        return price_item(
            item,
            rules=self.rules,
            on=header.claim_date,
            grade=member.grade,
            prior_car_miles_tenths=prior,
            allow_negative=correction,
        )

    def _reprice(self, s: Session, *places: tuple[int, dt.date], skip: int | None = None) -> None:
        """Re-price the members' tax years touched by a change (the claim changed itself,
        `skip`, is not reported as re-priced)."""
        seen: set[tuple[int, dt.date]] = set()
        for member_id, on in places:
            key = (member_id, tax_year_start(on))
            if key in seen:
                continue
            seen.add(key)
            changes = reprice_year(s, self.rules, member_id, on, who=self.who)
            self.repriced += [c for c in changes if c.claim_id != skip]

    def _price(
        self,
        s: Session,
        header: ClaimHeader,
        member: Member,
        items: Sequence[ItemInput],
        claim_id: int | None,
        correction: bool,
    ) -> list[PricedItem]:
        prior = prior_car_miles(s, member.id or 0, header.claim_date, claim_id)
        priced: list[PricedItem] = []
        problems: dict[int, dict[str, str]] = {}
        for index, item in enumerate(items):
            try:
                done = self._price_one(item, header, member, prior, correction)
            except ItemProblems as exc:
                problems[index] = exc.problems
                continue
            if done.kind == "car":
                prior += done.miles_tenths
            priced.append(done)
        if problems:
            raise ClaimProblems({}, problems)
        return priced
