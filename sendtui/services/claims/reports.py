"""Claims reports: totals by member, event, category, month or financial year.

Every report is built from the same item rows, so its Total is the sum of its rows and equals
the sum of every item of the claims it covers, to the penny, whichever way it is grouped.
Each row is also split by where the money goes (payees.py): to members, to the forum instead
(remuneration only), or declined. Rejected claims are left out unless asked for, and every
report says which statuses it counts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from sendtui.errors import InputError
from sendtui.models import ClaimStatus
from sendtui.services.claims.payees import Split, split_item
from sendtui.services.claims.rules import ClaimRules
from sendtui.services.money import format_pence
from sendtui.store.db import Db
from sendtui.text import neutralise_cell

BY_CHOICES = ("member", "event", "category", "month", "year")
ALL_STATUSES = tuple(s.value for s in ClaimStatus)
DEFAULT_STATUSES = ("submitted", "approved", "paid")
"""What a report covers unless told otherwise: claims made, whatever their payment stage."""
BY_TITLES = {
    "member": "Member",
    "event": "Event or meeting",
    "category": "Category",
    "month": "Month",
    "year": "Financial year",
}
NO_ITEMS = "(no items)"


@dataclass(frozen=True)
class ReportRow:
    label: str
    claims: int
    items: int
    total_pence: int
    split: Split = field(default_factory=Split)

    @property
    def to_member_pence(self) -> int:
        return self.split.to_member

    @property
    def to_forum_pence(self) -> int:
        return self.split.to_forum


@dataclass(frozen=True)
class ClaimsReport:
    """Rows in order and the Total row's figures."""

    by: str
    statuses: tuple[str, ...]
    rows: tuple[ReportRow, ...]
    claims: int
    items: int
    total_pence: int
    split: Split = field(default_factory=Split)

    @property
    def title(self) -> str:
        return f"Claims by {BY_TITLES[self.by].lower()} ({counted(self.statuses)})"

    @property
    def has_declined(self) -> bool:
        return bool(self.split.declined)


def counted(statuses: Sequence[str]) -> str:
    """Which claims a total counts, in words: "submitted, approved and paid claims; rejected
    claims not counted"."""
    if set(statuses) == set(ALL_STATUSES):
        return "all claims, rejected ones included"
    shown = [s for s in ALL_STATUSES if s in statuses]
    words = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    left = [s for s in ALL_STATUSES if s not in statuses]
    note = "rejected claims not counted" if "rejected" in left else ""
    return f"{words} claims" + (f"; {note}" if note else "")


def parse_statuses(text: str | None) -> tuple[str, ...]:
    """ "paid", "submitted,approved" or "all" (None: the default statuses)."""
    if text is None or not text.strip():
        return DEFAULT_STATUSES
    words = [w.strip().lower() for w in text.split(",") if w.strip()]
    if words == ["all"]:
        return ALL_STATUSES
    bad = [w for w in words if w not in ALL_STATUSES]
    if bad:
        raise InputError(
            f"There is no status “{bad[0][:20]}”: use {', '.join(ALL_STATUSES)} or all."
        )
    return tuple(dict.fromkeys(words))


def check_by(by: str) -> str:
    if by not in BY_CHOICES:
        raise InputError(f"Report by {', '.join(BY_CHOICES)}, not “{by[:20]}”.")
    return by


@dataclass(frozen=True)
class _Line:
    claim_id: int
    member: str
    event_id: int | None
    event: str
    event_date: str
    meeting: str
    claim_date: dt.date
    category: str | None
    amount: int
    pay_to: str = "member"
    kind: str = "amount"


def _lines(
    conn: Db, statuses: Sequence[str], start: dt.date | None, end: dt.date | None
) -> list[_Line]:
    where = [f"c.status IN ({','.join('?' * len(statuses))})"]
    args: list[object] = list(statuses)
    if start is not None:
        where.append("c.claim_date >= ?")
        args.append(start.isoformat())
    if end is not None:
        where.append("c.claim_date <= ?")
        args.append(end.isoformat())
    rows = conn.execute(
        f"""
        SELECT c.id, m.name, c.event_id, e.title, e.date, c.meeting, c.claim_date, i.category,
               COALESCE(i.amount_pence, 0), c.pay_to, COALESCE(i.kind, '')
        FROM claim c JOIN member m ON m.id = c.member_id
        LEFT JOIN event e ON e.id = c.event_id
        LEFT JOIN claim_item i ON i.claim_id = c.id
        WHERE {" AND ".join(where)}
        """,
        args,
    ).fetchall()
    return [
        _Line(
            r[0],
            r[1],
            r[2],
            r[3] or "",
            str(r[4] or ""),
            r[5],
            dt.date.fromisoformat(str(r[6])),
            r[7],
            r[8],
            r[9],
            r[10],
        )
        for r in rows
    ]


def claims_report(
    conn: Db,
    rules: ClaimRules,
    by: str,
    statuses: Sequence[str] = DEFAULT_STATUSES,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> ClaimsReport:
    """Claims with one of `statuses` (dated `start` to `end` if given), grouped `by`."""
    check_by(by)
    lines = _lines(conn, statuses or ALL_STATUSES, start, end)
    groups: dict[tuple, tuple[str, set[int], list[int], list[Split]]] = {}
    for line in lines:
        key, label = _group(by, line, rules)
        _, claims, amounts, splits = groups.setdefault(key, (label, set(), [], []))
        claims.add(line.claim_id)
        if line.category is not None:
            amounts.append(line.amount)
            splits.append(split_item(line.pay_to, line.kind, line.amount))
    order = _order(by, rules)
    rows = tuple(
        ReportRow(label, len(claims), len(amounts), sum(amounts), sum(splits, Split()))
        for key, (label, claims, amounts, splits) in sorted(
            groups.items(), key=lambda kv: order(kv[0])
        )
    )
    return ClaimsReport(
        by=by,
        statuses=tuple(statuses or ALL_STATUSES),
        rows=rows,
        claims=len({line.claim_id for line in lines}),
        items=sum(row.items for row in rows),
        total_pence=sum(line.amount for line in lines if line.category is not None),
        split=sum((row.split for row in rows), Split()),
    )


def _group(by: str, line: _Line, rules: ClaimRules) -> tuple[tuple, str]:
    if by == "member":
        return (line.member.casefold(), line.member), line.member
    if by == "event":
        if line.event_id is not None:
            shown = f"{line.event} ({line.event_date})" if line.event_date else line.event
            return (0, line.event_date, line.event.casefold(), line.event_id), shown
        return (1, "", line.meeting.casefold(), 0), f"Meeting: {line.meeting}"
    if by == "category":
        name = line.category if line.category is not None else NO_ITEMS
        return (name,), name
    if by == "month":
        month = line.claim_date.strftime("%Y-%m")
        return (month,), month
    start, _ = rules.financial_year(line.claim_date)
    return (start,), rules.financial_year_label(line.claim_date)


def _order(by: str, rules: ClaimRules) -> Callable[[tuple], tuple]:
    if by != "category":
        return lambda key: key
    position = {c.name: n for n, c in enumerate(rules.categories)}
    return lambda key: (key[0] == NO_ITEMS, position.get(key[0], len(position)), key[0])


def safe_cell(value: str) -> str:
    """Text for a spreadsheet cell that Excel will not run as a formula (sendtui.text's rule)."""
    return neutralise_cell(value)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def report_csv(report: ClaimsReport) -> str:
    """The report as CSV: one row per group, then Total; amounts in pounds ("1234.56"), and
    the amount split: to members, to the forum instead, declined."""

    def money(split: Split, total: int) -> list[str]:
        return [
            format_pence(value, symbol=False)
            for value in (total, split.to_member, split.to_forum, split.declined)
        ]

    rows = [
        [safe_cell(r.label), str(r.claims), str(r.items), *money(r.split, r.total_pence)]
        for r in report.rows
    ]
    rows.append(
        ["Total", str(report.claims), str(report.items), *money(report.split, report.total_pence)]
    )
    header = [report.by, "claims", "items", "amount", "to_members", "to_forum", "declined"]
    return csv_text(header, rows)
