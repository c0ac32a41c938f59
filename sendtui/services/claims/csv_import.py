"""Importing claims from the spreadsheet a forum already keeps (.csv or .xlsx).

One row per item. Columns, in any order and any case (line 1 names them): member, date and
category are needed; amount, miles, passengers, hours, sessions, rate (care: per hour
charged), description, event, meeting, from, to, receipt and grade (for a new member) are
optional, and a few other headings people use are understood ("name", "type", "cost"…).

- Categories as people write them: a category's name or one of its aliases in config.toml
  ("train", "lunch", "childcare"), or a word it starts with; otherwise "did you mean …?",
  with the list of categories given once at the end.
- No event or meeting column, or an empty cell: the rows of one member on one date make one
  claim, described by its first description.
- Care given as hours and an amount, without a rate: the rate follows (amount ÷ hours), and
  the cap is applied as in the app.
- EVERY problem in EVERY row is reported in one run, and a file with any problem imports
  nothing. Identical rows (same member, date, category and amount) are listed as possible
  duplicates, but imported (the D flag stays on them for the approver).
- Claims are saved as submitted (`draft=True`: as drafts); members are created by name as
  needed (compared by name_key); amounts are worked out by the same rules as the app, and a
  given amount must agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, col, select

from sendtui.errors import InputError, SendtuiError
from sendtui.models import ClaimItem, Event
from sendtui.services.allowances import format_minutes, parse_hours
from sendtui.services.claims.detail import ClaimHeader, ClaimProblems
from sendtui.services.claims.items import ItemInput, clean_text, parse_claim_date
from sendtui.services.claims.members import MemberService, clean_member_name, member_by_name
from sendtui.services.claims.pricing import Repriced
from sendtui.services.claims.rules import ClaimRules
from sendtui.services.claims.spreadsheet import read_rows
from sendtui.services.claims.workflow import ClaimService
from sendtui.services.money import format_pence, parse_amount, round_half_up_div
from sendtui.store.store import Store
from sendtui.text import ascii_number, name_key

REQUIRED = ("member", "date", "category")
OPTIONAL = (
    "amount",
    "miles",
    "passengers",
    "hours",
    "description",
    "event",
    "receipt",
    "sessions",
    "rate",
    "from",
    "to",
    "meeting",
    "grade",
)
# Other headings treasurers use, and the column each means.
HEADINGS = {
    "name": "member",
    "claimant": "member",
    "member name": "member",
    "day": "date",
    "date of claim": "date",
    "type": "category",
    "expense": "category",
    "item": "category",
    "cost": "amount",
    "amount (£)": "amount",
    "£": "amount",
    "total": "amount",
    "details": "description",
    "notes": "description",
    "purpose": "description",
    "mileage": "miles",
    "meeting or event": "event",
    "receipt?": "receipt",
    "receipts": "receipt",
    "rate per hour": "rate",
}
YES = {"yes", "y", "true", "1", "x", "✓", "✔"}
NO = {"no", "n", "false", "0", "", "-", "—"}
MAX_PROBLEMS_SHOWN = 60


class ClaimsImportError(SendtuiError):
    """A spreadsheet with problems; `problems` lists (line, message). Nothing was imported."""

    def __init__(self, path: Path, problems: list[tuple[int, str]], footer: str = "") -> None:
        self.path = path
        self.problems = sorted(problems)
        shown = [
            f"line {line}: {text}" if line else text
            for line, text in self.problems[:MAX_PROBLEMS_SHOWN]
        ]
        if len(self.problems) > MAX_PROBLEMS_SHOWN:
            shown.append(f"… and {len(self.problems) - MAX_PROBLEMS_SHOWN} more problems")
        n = len(self.problems)
        head = f"{path} has {n} problem{'s' if n != 1 else ''}; nothing was imported."
        super().__init__("\n".join([head, *shown, *([footer] if footer else [])]))


@dataclass
class _Row:
    line: int
    member: str
    grade: str
    claim_date: dt.date
    event_id: int | None
    meeting: str
    item: ItemInput
    amount_given: str
    category: str


@dataclass
class _Claim:
    rows: list[_Row] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    claims: int
    items: int
    members_created: int
    total_pence: int
    draft: bool = False
    warnings: tuple[str, ...] = ()
    repriced: tuple[Repriced, ...] = ()  # claims already in the store, re-priced

    def summary(self) -> str:
        return (
            f"Imported {self.claims} claim{'s' if self.claims != 1 else ''} "
            f"({self.items} item{'s' if self.items != 1 else ''}, "
            f"{format_pence(self.total_pence)}), as {'drafts' if self.draft else 'submitted'}; "
            f"{self.members_created} new member{'s' if self.members_created != 1 else ''}."
        )


def _columns(path: Path, header: list[str]) -> list[str]:
    names = [HEADINGS.get(" ".join(h.lower().split()), " ".join(h.lower().split())) for h in header]
    known = REQUIRED + OPTIONAL
    problems = [
        (1, f"unknown column “{n[:30]}” (columns: {', '.join(known)})")
        for n in names
        if n and n not in known
    ]
    problems += [(1, f"the column “{n}” is missing") for n in REQUIRED if n not in names]
    problems += [
        (1, f"the column “{n}” appears twice") for n in set(names) if n and names.count(n) > 1
    ]
    if problems:
        raise ClaimsImportError(path, problems)
    return names


def _receipt(text: str) -> bool:
    key = text.strip().lower()
    if key in YES:
        return True
    if key in NO:
        return False
    raise InputError(f"receipt must be yes or no, not “{text.strip()[:20]}”")


def _event(s: Session, text: str) -> tuple[int | None, str]:
    """An event id when the text is one's number or exact title; otherwise a meeting."""
    key = " ".join(text.split())
    event_id = ascii_number(key)
    if event_id is not None and s.get(Event, event_id) is not None:
        return event_id, ""
    found = [e.id for e in s.exec(select(Event)) if name_key(e.title) == name_key(key)]
    if len(found) == 1:
        return found[0], ""
    return None, key


def _care_rate(hours: str, amount: str) -> str:
    """The rate per hour that hours and an amount imply (to the penny, halves up)."""
    minutes = parse_hours(hours)
    pence = parse_amount(amount)
    return format_pence(round_half_up_div(pence * 60, minutes), symbol=False)


class _Parser:
    """Reads one row, collecting EVERY problem in it rather than stopping at the first."""

    def __init__(self, s: Session, rules: ClaimRules) -> None:
        self.s = s
        self.rules = rules
        self.bad_categories = False

    def row(self, line: int, cells: dict[str, str]) -> tuple[_Row | None, list[str]]:
        problems: list[str] = []

        def attempt(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
            try:
                return fn(*args, **kwargs)
            except InputError as exc:
                problems.append(exc.message)
                return None

        get = lambda name: cells.get(name, "").strip()  # noqa: E731
        member = attempt(clean_member_name, get("member"))
        claim_date = attempt(parse_claim_date, get("date"))
        category = attempt(self.rules.match_category, get("category"))
        if category is None and get("category"):
            self.bad_categories = True
        event_id, meeting = (None, "")
        if get("event"):
            event_id, meeting = _event(self.s, get("event"))
        meeting = attempt(clean_text, get("meeting") or meeting, "meeting description") or ""
        given = get("amount")
        if given:
            attempt(parse_amount, given)
        receipt = attempt(_receipt, get("receipt"))
        grade = attempt(self.rules.grade, get("grade")) if get("grade") else ""
        rate = get("rate")
        if category is not None:
            kind = category.kind
            if kind == "amount" and not given:
                problems.append(f"enter the amount for {category.name}")
            if category.is_mileage and not get("miles"):
                problems.append(f"enter the miles for {category.name}")
            if kind == "care":
                if not get("hours"):
                    problems.append("care needs the hours (and the amount, or the rate column)")
                elif not rate and not given:
                    problems.append("care needs the amount paid, or the optional rate column")
                elif not rate:
                    rate = attempt(_care_rate, get("hours"), given) or ""
            if kind == "remuneration" and not (get("hours") or get("sessions")):
                problems.append("remuneration needs the hours or the sessions column")
        if problems or member is None or claim_date is None or category is None:
            return None, problems
        item = ItemInput(
            category=category.name,
            description=get("description"),
            amount=given if category.kind == "amount" else "",
            from_place=get("from"),
            to_place=get("to"),
            miles=get("miles"),
            passengers=get("passengers"),
            hours=get("hours"),
            sessions=get("sessions"),
            rate=rate,
            receipt=bool(receipt),
        )
        if event_id is None and not meeting:
            # No event or meeting given: one claim per member and date (see _key).
            meeting = ""
        row = _Row(
            line, member, grade or "", claim_date, event_id, meeting, item, given, category.name
        )
        return row, []


def _key(row: _Row) -> tuple:
    return (name_key(row.member), row.claim_date, row.event_id, name_key(row.meeting))


def _duplicates(rows: list[_Row]) -> list[str]:
    seen: dict[tuple, list[_Row]] = {}
    for row in rows:
        amount = row.amount_given or row.item.miles or row.item.hours or row.item.sessions
        key = (name_key(row.member), row.claim_date, row.category, amount)
        seen.setdefault(key, []).append(row)
    out = []
    for same in seen.values():
        if len(same) > 1:
            first = same[0]
            lines = ", ".join(str(r.line) for r in same)
            amount = f" {first.amount_given}" if first.amount_given else ""
            out.append(
                f"Possible duplicates, lines {lines}: {first.member}, {first.claim_date}, "
                f"{first.category}{amount} (imported; check them)"
            )
    return out


def import_claims(
    store: Store, rules: ClaimRules, path: Path, *, who: str, draft: bool = False
) -> ImportResult:
    """Import every claim in the file, or nothing (ClaimsImportError lists every problem)."""
    raw = read_rows(path)
    if not raw or not any(raw[0][1]):
        raise ClaimsImportError(path, [(1, "the file is empty; line 1 must name the columns")])
    names = _columns(path, raw[0][1])
    problems: list[tuple[int, str]] = []
    rows: list[_Row] = []
    with store.session() as s:
        parser = _Parser(s, rules)
        for line, values in raw[1:]:
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(names) and any(v.strip() for v in values[len(names) :]):
                problems.append(
                    (line, f"{len(values)} cells, but the header names {len(names)} columns")
                )
                continue
            cells = dict(zip(names, values + [""] * (len(names) - len(values)), strict=False))
            row, found = parser.row(line, cells)
            problems += [(line, message) for message in found]
            if row is not None:
                rows.append(row)
    footer = ""
    if parser.bad_categories:
        known = "; ".join(c.name for c in rules.categories)
        footer = f"Categories (config.toml [claims] categories, with their aliases): {known}."
    if problems:
        raise ClaimsImportError(path, problems, footer)
    if not rows:
        raise ClaimsImportError(path, [(1, "there are no rows to import under the header")])
    claims: dict[tuple, _Claim] = {}
    for row in rows:
        claims.setdefault(_key(row), _Claim()).rows.append(row)
    members = MemberService(store, rules, who=who)
    service = ClaimService(store, rules, who=who)
    created = items = total = 0
    made: set[int] = set()
    repriced: list[Repriced] = []
    with store.write() as s:
        for claim in claims.values():
            claim_id, new_member, count, amount = _save(
                s, members, service, claim, problems, draft=draft
            )
            created += new_member
            items += count
            total += amount
            if claim_id is not None:
                made.add(claim_id)
                repriced += service.repriced
        if problems:
            raise ClaimsImportError(path, problems, footer)  # rolls the whole file back
    before = [r for r in repriced if r.claim_id not in made]
    return ImportResult(
        len(claims), items, created, total, draft, tuple(_duplicates(rows)), tuple(before)
    )


def import_claims_csv(store: Store, rules: ClaimRules, path: Path, *, who: str) -> ImportResult:
    """`import_claims` as submitted claims (kept for callers of the first version)."""
    return import_claims(store, rules, path, who=who)


def _save(
    s: Session,
    members: MemberService,
    service: ClaimService,
    claim: _Claim,
    problems: list[tuple[int, str]],
    *,
    draft: bool,
) -> tuple[int | None, int, int, int]:
    """Create one claim (and its member if new); (claim id, members created, items, pence)."""
    first = claim.rows[0]
    made = 0
    grade = next((r.grade for r in claim.rows if r.grade), "")
    member = member_by_name(s, first.member)
    if member is None:
        values = {
            "name": first.member,
            "grade": grade,
            "email": "",
            "phone": "",
            "address": "",
            "payment_preference": "member",
            "payment_reference": "",
            "notes": "",
        }
        member = members.add_in(s, values)
        made = 1
    elif grade and member.grade != grade:
        problems.append(
            (first.line, f"{member.name}'s grade is {member.grade or 'not set'}, not {grade}")
        )
        return None, 0, 0, 0
    assert member.id is not None
    meeting = first.meeting
    if first.event_id is None and not meeting:
        described = next((r.item.description for r in claim.rows if r.item.description), "")
        meeting = clean_text(described, "meeting description") or "Expenses"
    header = ClaimHeader(member.id, first.claim_date, first.event_id, meeting)
    try:
        claim_id = service.create_in(s, header, [r.item for r in claim.rows], submit=not draft)
    except ClaimProblems as exc:
        for field_name, message in exc.problems.items():
            problems.append((first.line, f"{field_name}: {message}"))
        for index, found in exc.item_problems.items():
            for message in found.values():
                problems.append((claim.rows[index].line, message))
        return None, made, 0, 0
    except InputError as exc:
        problems.append((first.line, exc.message))
        return None, made, 0, 0
    saved = list(
        s.exec(
            select(ClaimItem)
            .where(ClaimItem.claim_id == claim_id)
            .order_by(col(ClaimItem.position))
        )
    )
    for row, item in zip(claim.rows, saved, strict=False):
        if row.amount_given and parse_amount(row.amount_given) != item.amount_pence:
            hint = "leave the amount blank"
            if item.kind == "care" and item.cap_pence and item.rate_pence == item.cap_pence:
                hint = (
                    f"care is paid at most {format_pence(item.cap_pence)} an hour "
                    f"({format_minutes(item.minutes or 0)} h); check the amount"
                )
            problems.append(
                (
                    row.line,
                    f"the amount {row.amount_given} does not match the "
                    f"{format_pence(item.amount_pence)} worked out ({item.working}); {hint}",
                )
            )
    return claim_id, made, len(saved), sum(item.amount_pence for item in saved)
