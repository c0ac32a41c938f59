"""Counting points: by chapter (seed 000's table), and the other breakdowns coordinators use,
plus the lists the minutes need (questions raised; points by chapter and kind).

Counts by chapter, marker and kind come from the point tally the store's triggers keep
(sendtui.store.tally: a few rows, a millisecond over 100,000 points); by group and topic
from one SQL GROUP BY on the stdlib reader (see `crosstabs`), well under 200 ms.
Percentages are exact Decimals rounded half-up to two places.

    chapter_breakdown(conn, event_id, kind="concern")  # seed 000's table
    marker_breakdown(conn, event_id)                    # marker coverage, zero rows included
    crosstab(conn, event_id, rows="group", cols="chapter")
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from sendtui.errors import InputError
from sendtui.models.kinds import Kind
from sendtui.services.crosstabs import (
    UNTAGGED,
    AxisItem,
    CrossTab,
    Dimension,
    axis,
    crosstab,
    dimension,
    noun_for,
    point_filter,
    private_count,
    tally,
)
from sendtui.services.report_names import BY
from sendtui.store.db import Db

__all__ = [
    "BY", "BY_CHAPTER_KINDS", "COUNT_PRIVATE", "PRIVATE_RULE", "UNTAGGED", "AxisItem",
    "Breakdown", "ChapterPoints", "CountRow", "CrossTab", "ListedPoint", "chapter_breakdown",
    "crosstab", "group_breakdown", "kind_breakdown", "marker_breakdown", "percent",
    "points_by_chapter_and_kind", "questions", "report",
]  # fmt: skip

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


def _breakdown(
    conn: Db,
    event_id: int,
    dim: Dimension,
    *,
    kind: str | None,
    include_private: bool,
) -> tuple[list[CountRow], int, tuple[str, ...], list[AxisItem]]:
    found = tally(conn, event_id, [dim], kind=kind, include_private=include_private)
    counts = {key[0]: n for key, n in found.counts.items()}
    items = axis(conn, event_id, dim, set(counts))
    total = sum(counts.values())
    rows = [
        CountRow(
            item.code, item.label, counts.get(item.key, 0), percent(counts.get(item.key, 0), total)
        )
        for item in items
    ]
    return rows, total, found.notes([dim]), items


def chapter_breakdown(
    conn: Db,
    event_id: int,
    *,
    kind: str | None = None,
    include_private: bool = True,
) -> Breakdown:
    """Points per chapter of the event's scheme: every chapter (zero counts too), then an
    "Untagged" row if any point has no chapter. A point tagged to two chapters counts in
    both, so the Total is the number of tag placements and the notes say how many points
    that involves; percentages are of that Total, so they add to 100 as in seed 000."""
    rows, total, notes, _ = _breakdown(
        conn, event_id, dimension("chapter"), kind=kind, include_private=include_private
    )
    return Breakdown(f"{noun_for(kind)} by chapter", tuple(rows), total, notes)


def marker_breakdown(
    conn: Db,
    event_id: int,
    *,
    kind: str | None = None,
    include_private: bool = True,
) -> Breakdown:
    """Marker coverage: every marker of good practice in order (M1-M7, D1-D5), zero counts
    included, then "No marker" for points without one; a note names the markers no point
    speaks to. Multi-marker points count under each marker, as chapters do."""
    rows, total, notes, items = _breakdown(
        conn, event_id, dimension("marker"), kind=kind, include_private=include_private
    )
    missing = [r.code for r, item in zip(rows, items, strict=True) if item.key and not r.count]
    if missing:
        notes += (f"No points for {len(missing)} marker{'s' if len(missing) != 1 else ''}: "
                  f"{', '.join(missing)}.",)  # fmt: skip
    elif any(item.key for item in items):
        notes += ("Every marker has at least one point.",)
    return Breakdown(f"{noun_for(kind)} by marker", tuple(rows), total, notes)


def group_breakdown(
    conn: Db,
    event_id: int,
    *,
    kind: str | None = None,
    include_private: bool = True,
) -> Breakdown:
    """Points per discussion group, every group listed (in the event's order)."""
    rows, total, notes, _ = _breakdown(
        conn, event_id, dimension("group"), kind=kind, include_private=include_private
    )
    return Breakdown(f"{noun_for(kind)} by group", tuple(rows), total, notes)


def kind_breakdown(
    conn: Db,
    event_id: int,
    *,
    kind: str | None = None,
    include_private: bool = True,
) -> Breakdown:
    """Points per kind (points, questions, positives, …), every kind listed. `kind` narrows
    it to one kind, like the other reports (so the others read zero)."""
    rows, total, notes, _ = _breakdown(
        conn, event_id, dimension("kind"), kind=kind, include_private=include_private
    )
    return Breakdown(f"{noun_for(kind)} by kind", tuple(rows), total, notes)


# -- the reports a person asks for: one dispatch for the tallies screen and `sendtui report` --

# What points can be counted by: in services/report_names.py, which loads nothing, so the
# command line knows the names without loading the counting.

# Private points (said about a named child or school) are left out of every count and of
# the minutes unless the person asks for them: the tallies screen (p) and `sendtui report`
# (--include-private) start from this, and the report says how many it left out.
COUNT_PRIVATE = False
PRIVATE_RULE = "Private points are left out of counts and minutes unless you ask for them."

_SIMPLE = {
    "chapter": chapter_breakdown,
    "marker": marker_breakdown,
    "group": group_breakdown,
    "kind": kind_breakdown,
}


def report(
    conn: Db,
    event_id: int,
    by: str = "chapter",
    *,
    kind: str | None = None,
    include_private: bool = COUNT_PRIVATE,
) -> Breakdown | CrossTab:
    """The report called `by` (a key of BY): a Breakdown, or a CrossTab for "rows-cols".
    When private points are left out, a note says how many (so a count never shrinks
    without a word)."""
    if by not in BY:
        raise InputError(f"There is no “{by}” report; choose one of: {', '.join(BY)}.")
    if by in _SIMPLE:
        found: Breakdown | CrossTab = _SIMPLE[by](
            conn, event_id, kind=kind, include_private=include_private
        )
    else:
        rows, cols = by.split("-")
        found = crosstab(
            conn, event_id, rows=rows, cols=cols, kind=kind, include_private=include_private
        )
    if not include_private:
        hidden = private_count(conn, event_id, kind)
        if hidden:
            noun = "private point is" if hidden == 1 else "private points are"
            found = replace(found, notes=(*found.notes, f"{hidden:,} {noun} left out."))
    return found


# -- lists for the minutes ------------------------------------------------------------------

# The order the minutes' "by chapter" part gives each chapter's points in (issue 3).
BY_CHAPTER_KINDS: tuple[str, ...] = (
    Kind.POSITIVE.value,
    Kind.NEGATIVE.value,
    Kind.CONCERN.value,
    Kind.QUESTION.value,
    Kind.SOLUTION.value,
)


class ListedPoint(NamedTuple):
    """A point as the minutes list it: its words and where it was said (never who said it).
    A named tuple, because the minutes' lists build tens of thousands of them."""

    id: int
    position: int
    kind: str
    text: str
    group: str
    topic: str  # "" when the point has no topic
    heading: str


@dataclass(frozen=True)
class ChapterPoints:
    """One chapter's points for the minutes, by kind in BY_CHAPTER_KINDS order (every kind
    asked for is a key, possibly with no points). `code` is "" for the untagged bucket."""

    code: str
    title: str
    by_kind: dict[str, tuple[ListedPoint, ...]]

    @property
    def count(self) -> int:
        return sum(len(points) for points in self.by_kind.values())


_LISTED = (
    "SELECT p.id, p.position, p.kind, p.text, g.name, coalesce(t.title, ''), p.heading "
    "FROM point p JOIN discussion_group g ON g.id = p.group_id "
    "LEFT JOIN topic t ON t.id = p.topic_id "
)


def questions(conn: Db, event_id: int, include_private: bool = True) -> list[ListedPoint]:
    """Every question raised at the event, with its group and topic, in the order made
    (seed 000's "List of specific questions raised")."""
    where, args = point_filter(Kind.QUESTION.value, include_private)
    rows = conn.execute(
        f"{_LISTED}WHERE p.event_id = ? AND p.deleted_at IS NULL{where} ORDER BY p.position, p.id",
        [event_id, *args],
    )
    return list(map(ListedPoint._make, rows))


def points_by_chapter_and_kind(
    conn: Db,
    event_id: int,
    *,
    include_private: bool = True,
    kinds: Sequence[str] = BY_CHAPTER_KINDS,
) -> list[ChapterPoints]:
    """For each chapter of the scheme in order (every chapter, even one with no points),
    its points of each of `kinds` in the order made; then an "Untagged" bucket if any of
    those points has no chapter. A point in two chapters is listed under both. Pass
    `kinds=(*BY_CHAPTER_KINDS, "point")` to list plain points too."""
    wanted = tuple(dict.fromkeys(kinds))
    if not wanted:
        return []
    where, args = point_filter(None, include_private)
    marks = ",".join("?" * len(wanted))
    rows = conn.execute(
        f"{_LISTED}WHERE p.event_id = ? AND p.deleted_at IS NULL AND p.kind IN ({marks}){where} "
        "ORDER BY p.position, p.id",
        [event_id, *wanted, *args],
    )
    # Tags in a second flat query: cheaper than joining them into the text rows.
    tags: dict[int, list[int]] = {}
    for point_id, chapter_id in conn.execute(
        "SELECT pc.point_id, pc.chapter_id FROM point_chapter pc "
        "JOIN point p ON p.id = pc.point_id WHERE p.event_id = ?",
        (event_id,),
    ):
        tags.setdefault(point_id, []).append(chapter_id)
    found: dict[object, dict[str, list[ListedPoint]]] = {}
    untagged: list[object] = [None]
    for point in map(ListedPoint._make, rows):
        for chapter_id in tags.get(point.id, untagged):
            found.setdefault(chapter_id, {}).setdefault(point.kind, []).append(point)
    chapters = axis(conn, event_id, dimension("chapter"), set(found))
    return [
        ChapterPoints(
            item.code,
            item.label,
            {k: tuple(found.get(item.key, {}).get(k, ())) for k in wanted},
        )
        for item in chapters
    ]
