"""Counting points: by chapter (seed 000's table), and the other breakdowns coordinators use.

Counts come from SQL GROUP BY on the stdlib reader, so any report over 100,000 points is a few
milliseconds of SQLite. Percentages are exact Decimals rounded half-up to two places.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

UNTAGGED = "Untagged"
HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class CountRow:
    """One line of a breakdown: a code ("4", "M3", "" for untagged), its label and count."""

    code: str
    label: str
    count: int
    percent: Decimal  # of the breakdown's total, two decimal places

    @property
    def percent_text(self) -> str:
        return f"{self.percent:.2f}%"


@dataclass(frozen=True)
class Breakdown:
    """A table of counts with a Total row, in the layout of seed 000's breakdown of concerns."""

    title: str
    rows: tuple[CountRow, ...]
    total: int
    notes: tuple[str, ...] = field(default_factory=tuple)  # e.g. "3 points count in two chapters"

    @property
    def total_percent_text(self) -> str:
        return "100.00%" if self.total else "0.00%"


def percent(count: int, total: int) -> Decimal:
    """count/total as a percentage, rounded half-up to two places (0 when total is 0)."""
    if not total:
        return Decimal("0.00")
    return (Decimal(count) * HUNDRED / Decimal(total)).quantize(TWO_PLACES, ROUND_HALF_UP)


def _filters(kind: str | None, include_private: bool) -> tuple[str, list[object]]:
    where, args = "", []
    if kind:
        where += " AND p.kind = ?"
        args.append(kind)
    if not include_private:
        where += " AND p.private = 0"
    return where, args


def chapter_breakdown(
    conn: sqlite3.Connection,
    event_id: int,
    *,
    kind: str | None = None,
    include_private: bool = True,
) -> Breakdown:
    """Points per chapter of the event's scheme: every chapter (zero counts too), then an
    "Untagged" row if any point has no chapter. A point tagged to two chapters counts in
    both, so the Total is the number of tag placements and the notes say how many points
    that involves; percentages are of that Total, so they add to 100 as in seed 000."""
    where, args = _filters(kind, include_private)
    chapters = conn.execute(
        "SELECT c.id, c.code, c.title FROM chapter c JOIN event e ON e.scheme_id = c.scheme_id "
        "WHERE e.id = ? ORDER BY c.position",
        (event_id,),
    ).fetchall()
    counts = dict(
        conn.execute(
            "SELECT pc.chapter_id, count(*) FROM point p "
            "JOIN point_chapter pc ON pc.point_id = p.id "
            f"WHERE p.event_id = ? AND p.deleted_at IS NULL{where} GROUP BY pc.chapter_id",
            [event_id, *args],
        ).fetchall()
    )
    untagged, multi = conn.execute(
        "SELECT sum(n = 0), sum(n > 1) FROM (SELECT (SELECT count(*) FROM point_chapter pc "
        "WHERE pc.point_id = p.id) AS n FROM point p "
        f"WHERE p.event_id = ? AND p.deleted_at IS NULL{where})",
        [event_id, *args],
    ).fetchone()
    untagged, multi = untagged or 0, multi or 0
    total = sum(counts.values()) + untagged
    rows = [
        CountRow(code, title, counts.get(cid, 0), percent(counts.get(cid, 0), total))
        for cid, code, title in chapters
    ]
    if untagged:
        rows.append(CountRow("", UNTAGGED, untagged, percent(untagged, total)))
    notes = []
    if multi:
        noun = "point is" if multi == 1 else "points are"
        notes.append(f"{multi} {noun} tagged to more than one chapter and counted in each.")
    title = "Points by chapter" if not kind else f"{kind.capitalize()}s by chapter"
    return Breakdown(title, tuple(rows), total, tuple(notes))
