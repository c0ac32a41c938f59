"""Importing claims from a spreadsheet saved as CSV, for forums moving to sendtui.

One row per item. Columns (any order, any case; the header is line 1): member, date,
category (required), amount, miles, passengers, hours, description, event, receipt, and
optionally sessions, rate (care: per hour charged), from, to, meeting, grade (used when the
member is new). Rows for the same member, date and event or meeting make one claim, saved as
submitted. Members are created by name as needed; mileage, care and remuneration are worked
out as in the app (an amount given for them must agree). Every problem is reported with its
line, and a file with any problem imports nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, col, func, select

from sendtui.errors import InputError, SendtuiError
from sendtui.models import ClaimItem, Event
from sendtui.services.claims.detail import ClaimHeader, ClaimProblems
from sendtui.services.claims.items import ItemInput, clean_text, parse_claim_date
from sendtui.services.claims.members import MemberService, clean_member_name, member_by_name
from sendtui.services.claims.rules import ClaimRules
from sendtui.services.claims.workflow import ClaimService
from sendtui.services.money import format_pence, parse_amount
from sendtui.store.store import Store

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
YES = {"yes", "y", "true", "1", "x", "✓"}
NO = {"no", "n", "false", "0", ""}
MAX_PROBLEMS_SHOWN = 30


class ClaimsImportError(SendtuiError):
    """A spreadsheet with problems; `problems` lists (line, message). Nothing was imported."""

    def __init__(self, path: Path, problems: list[tuple[int, str]]) -> None:
        self.path = path
        self.problems = sorted(problems)
        shown = [f"line {line}: {text}" for line, text in self.problems[:MAX_PROBLEMS_SHOWN]]
        if len(self.problems) > MAX_PROBLEMS_SHOWN:
            shown.append(f"… and {len(self.problems) - MAX_PROBLEMS_SHOWN} more problems")
        n = len(self.problems)
        head = f"{path} has {n} problem{'s' if n != 1 else ''}; nothing was imported."
        super().__init__("\n".join([head, *shown]))


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


@dataclass
class _Claim:
    rows: list[_Row] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    claims: int
    items: int
    members_created: int
    total_pence: int

    def summary(self) -> str:
        return (
            f"Imported {self.claims} claim{'s' if self.claims != 1 else ''} "
            f"({self.items} item{'s' if self.items != 1 else ''}, "
            f"{format_pence(self.total_pence)}), as submitted; "
            f"{self.members_created} new member{'s' if self.members_created != 1 else ''}."
        )


def _receipt(text: str) -> bool:
    key = text.strip().lower()
    if key in YES:
        return True
    if key in NO:
        return False
    raise InputError(f"receipt must be yes or no, not “{text.strip()[:20]}”")


def _read(path: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        text = path.expanduser().read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise InputError(
            f"{path} is not UTF-8 text; save it from the spreadsheet as “CSV UTF-8”."
        ) from None
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror or exc})") from None
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        header = next(reader)
    except StopIteration:
        raise ClaimsImportError(
            path, [(1, "the file is empty; line 1 must name the columns")]
        ) from None
    except csv.Error as exc:
        raise ClaimsImportError(path, [(1, f"not a CSV header ({exc})")]) from None
    names = [h.strip().lower() for h in header]
    problems = [
        (1, f"unknown column “{n[:30]}” (columns: {', '.join(REQUIRED + OPTIONAL)})")
        for n in names
        if n and n not in REQUIRED + OPTIONAL
    ]
    problems += [(1, f"the column “{n}” is missing") for n in REQUIRED if n not in names]
    problems += [
        (1, f"the column “{n}” appears twice") for n in set(names) if n and names.count(n) > 1
    ]
    if problems:
        raise ClaimsImportError(path, problems)
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(names):
                problems.append(
                    (
                        reader.line_num,
                        f"{len(values)} cells, but the header names {len(names)} columns",
                    )
                )
                continue
            padded = values + [""] * (len(names) - len(values))
            rows.append((reader.line_num, dict(zip(names, padded, strict=True))))
    except csv.Error as exc:
        problems.append((reader.line_num, f"not valid CSV ({exc})"))
    if problems:
        raise ClaimsImportError(path, problems)
    return rows


def _event(s: Session, text: str) -> tuple[int | None, str]:
    """An event id when the text is one's id or exact title; otherwise a meeting's description."""
    key = " ".join(text.split())
    if key.isdigit() and s.get(Event, int(key)) is not None:
        return int(key), ""
    found = list(s.exec(select(Event.id).where(func.lower(Event.title) == key.lower())))
    if len(found) == 1:
        return found[0], ""
    return None, key


def _parse(s: Session, rules: ClaimRules, cells: dict[str, str]) -> _Row:
    get = lambda name: cells.get(name, "").strip()  # noqa: E731
    member = clean_member_name(get("member"))
    claim_date = parse_claim_date(get("date"))
    category = rules.category(get("category"))
    event_id, meeting = _event(s, get("event")) if get("event") else (None, "")
    meeting = clean_text(get("meeting") or meeting, "meeting description")
    if event_id is None and not meeting:
        raise InputError("give the event (its number or title) or the meeting")
    given = get("amount")
    if category.kind == "amount" and not given:
        raise InputError(f"enter the amount for {category.name}")
    if given:
        parse_amount(given)  # reported with its line now; a worked-out figure is compared later
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
        rate=get("rate"),
        receipt=_receipt(get("receipt")),
    )
    grade = rules.grade(get("grade")) if get("grade") else ""
    return _Row(0, member, grade, claim_date, event_id, meeting, item, given)


def import_claims_csv(store: Store, rules: ClaimRules, path: Path, *, who: str) -> ImportResult:
    """Import every claim in the file, or nothing (ClaimsImportError lists the problems)."""
    raw = _read(path)
    problems: list[tuple[int, str]] = []
    claims: dict[tuple, _Claim] = {}
    with store.session() as s:
        for line, cells in raw:
            try:
                row = _parse(s, rules, cells)
            except InputError as exc:
                problems.append((line, exc.message))
                continue
            row.line = line
            key = (row.member.casefold(), row.claim_date, row.event_id, row.meeting.casefold())
            claims.setdefault(key, _Claim()).rows.append(row)
    if problems:
        raise ClaimsImportError(path, problems)
    if not claims:
        raise ClaimsImportError(path, [(1, "there are no rows to import under the header")])
    members = MemberService(store, rules, who=who)
    service = ClaimService(store, rules, who=who)
    created = items = total = 0
    with store.write() as s:
        for claim in claims.values():
            made, count, amount = _save(s, members, service, claim, problems)
            created += made
            items += count
            total += amount
        if problems:
            raise ClaimsImportError(path, problems)  # rolls the whole file back
    return ImportResult(len(claims), items, created, total)


def _save(
    s: Session,
    members: MemberService,
    service: ClaimService,
    claim: _Claim,
    problems: list[tuple[int, str]],
) -> tuple[int, int, int]:
    """Create one claim (and its member if new); returns (members created, items, pence)."""
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
        return 0, 0, 0
    assert member.id is not None
    header = ClaimHeader(member.id, first.claim_date, first.event_id, first.meeting)
    try:
        claim_id = service.create_in(s, header, [r.item for r in claim.rows], submit=True)
    except ClaimProblems as exc:
        for field_name, message in exc.problems.items():
            problems.append((first.line, f"{field_name}: {message}"))
        for index, found in exc.item_problems.items():
            for message in found.values():
                problems.append((claim.rows[index].line, message))
        return made, 0, 0
    except InputError as exc:
        problems.append((first.line, exc.message))
        return made, 0, 0
    saved = list(
        s.exec(
            select(ClaimItem)
            .where(ClaimItem.claim_id == claim_id)
            .order_by(col(ClaimItem.position))
        )
    )
    for row, item in zip(claim.rows, saved, strict=True):
        if row.amount_given and parse_amount(row.amount_given) != item.amount_pence:
            problems.append(
                (
                    row.line,
                    f"the amount {row.amount_given} does not match the "
                    f"{format_pence(item.amount_pence)} worked out ({item.working}); "
                    "leave the amount blank",
                )
            )
    return made, len(saved), sum(item.amount_pence for item in saved)
