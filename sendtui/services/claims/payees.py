"""Who is paid what from a claim: the one rule for paying the forum instead.

Paying the forum instead (or declining payment) is for REMUNERATION only: payment for a
member's time is income that can affect their benefits, so they may ask for it to go to the
forum, or decline it. Repaid expenses (travel, care, subsistence…) are not earnings: they
always go to the member, whatever the claim's "pay to" says. The batch, the reports, the
approve dialog and the claim form all split a claim with `split`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sendtui.models import PayTo
from sendtui.services.money import format_pence

REMUNERATION = "remuneration"


@dataclass(frozen=True)
class Split:
    """A claim's amount by where it goes, in pence."""

    to_member: int = 0
    to_forum: int = 0
    declined: int = 0

    @property
    def total(self) -> int:
        return self.to_member + self.to_forum + self.declined

    def __add__(self, other: Split) -> Split:
        return Split(
            self.to_member + other.to_member,
            self.to_forum + other.to_forum,
            self.declined + other.declined,
        )

    def describe(self, member: str, forum: str) -> str:
        """E.g. "£12.50 to Jane Parent (expenses); £40.00 to Parent Carer Forum"."""
        parts = []
        if self.to_member or not (self.to_forum or self.declined):
            parts.append(f"{format_pence(self.to_member)} to {member}")
        if self.to_forum:
            parts.append(f"{format_pence(self.to_forum)} (remuneration) to {forum} instead")
        if self.declined:
            parts.append(f"{format_pence(self.declined)} (remuneration) declined, not paid")
        return "; ".join(parts)


def split_item(pay_to: str, kind: str, amount: int) -> Split:
    """Where one item's amount goes."""
    if kind != REMUNERATION or pay_to == PayTo.MEMBER.value:
        return Split(to_member=amount)
    if pay_to == PayTo.FORUM.value:
        return Split(to_forum=amount)
    return Split(declined=amount)


def split(pay_to: str, items: Iterable[tuple[str, int]]) -> Split:
    """A claim's (kind, amount) items by where the money goes."""
    total = Split()
    for kind, amount in items:
        total = total + split_item(pay_to, kind, amount)
    return total
