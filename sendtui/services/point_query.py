"""Finding points: the review screen's filter line, and the rows it filters.

The filter line speaks the capture syntax where it can, so there is one language to learn:

    tribunal            words: the point's text or heading contains each of them
    #7  #0              tagged to chapter 7 / General (several: any of them)
    @M3                 tagged to marker M3
    ?  +  -  !  >       questions, positives, negatives, concerns, solutions (kind:point too)
    group:red  g:red    the group's name contains "red" (topic: / t: and heading: / h: alike)
    untagged            no chapter yet;  unmarked: no marker;  private;  suggested
    conflicts           a merge found the point changed differently on two laptops
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sendtui.models.kinds import Kind
from sendtui.services.syntax import DEFAULT_MARKS
from sendtui.store.db import Db
from sendtui.text import ascii_number


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One point with the names the review table shows."""

    id: int
    position: int
    group: str
    topic: str
    heading: str
    kind: str
    chapters: tuple[str, ...]
    markers: tuple[str, ...]
    section_ref: str
    text: str
    private: bool
    suggestion: str = ""  # a suggested chapter code for an untagged point
    conflicts: int = 0  # unresolved merge conflicts (sendtui.services.conflicts)


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...] = ()
    chapters: frozenset[str] = frozenset()
    markers: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    group: str = ""
    topic: str = ""
    heading: str = ""
    flags: frozenset[str] = field(default_factory=frozenset)

    @property
    def empty(self) -> bool:
        return not (
            self.words
            or self.chapters
            or self.markers
            or self.kinds
            or self.group
            or self.topic
            or self.heading
            or self.flags
        )


FLAGS = {"untagged", "unmarked", "private", "suggested", "tagged", "conflicts"}
FLAG_ALIASES = {"conflict": "conflicts"}
FIELDS = {
    "group": "group",
    "g": "group",
    "topic": "topic",
    "t": "topic",
    "heading": "heading",
    "h": "heading",
}


def parse_query(line: str, marks: Mapping[Kind, str] | None = None) -> Query:
    """Read a filter line; anything not recognised is a word to look for."""
    kind_of_mark = {mark: kind.value for kind, mark in (marks or DEFAULT_MARKS).items()}
    words: list[str] = []
    chapters: set[str] = set()
    markers: set[str] = set()
    kinds: set[str] = set()
    flags: set[str] = set()
    fields = {"group": "", "topic": "", "heading": ""}
    for token in line.split():
        lower = token.casefold()
        if token in kind_of_mark:
            kinds.add(kind_of_mark[token])
        elif lower.startswith("#") and (chapter := ascii_number(lower[1:], 6)) is not None:
            chapters.add(str(chapter))
        elif (
            lower.startswith("@")
            and len(lower) > 2
            and lower[1].isascii()
            and lower[1].isalpha()
            and (number := ascii_number(lower[2:], 6)) is not None
        ):
            markers.add(lower[1].upper() + str(number))
        elif lower.startswith("kind:") and lower[5:] in {k.value for k in Kind}:
            kinds.add(lower[5:])
        elif lower in FLAGS or lower in FLAG_ALIASES:
            flags.add(FLAG_ALIASES.get(lower, lower))
        elif ":" in lower and lower.split(":", 1)[0] in FIELDS:
            name, value = lower.split(":", 1)
            fields[FIELDS[name]] = value
        else:
            words.append(lower)
    return Query(
        tuple(words),
        frozenset(chapters),
        frozenset(markers),
        frozenset(kinds),
        fields["group"],
        fields["topic"],
        fields["heading"],
        frozenset(flags),
    )


def searchable(row: ReviewRow) -> str:
    """The text a filter word is looked for in: the point's text and heading, case-folded."""
    return f"{row.text}\n{row.heading}".casefold()


def flags_of(row: ReviewRow) -> list[str]:
    """The flag words (untagged, private, …) that a row answers to."""
    flags = []
    if not row.chapters:
        flags.append("untagged")
    if not row.markers:
        flags.append("unmarked")
    if row.private:
        flags.append("private")
    if row.suggestion and not row.chapters:
        flags.append("suggested")
    if row.conflicts:
        flags.append("conflicts")
    return flags


def matches(row: ReviewRow, query: Query) -> bool:
    """Whether one row matches: the meaning of a filter, row by row (point_index.Matcher
    gives the same answer for every row at once, from its index)."""
    text = searchable(row)
    places = (row.group.casefold(), row.topic.casefold(), row.heading.casefold())
    flags = query.flags
    return not (
        any(word not in text for word in query.words)
        or (query.kinds and row.kind not in query.kinds)
        or (query.chapters and not query.chapters.intersection(row.chapters))
        or (query.markers and not query.markers.intersection(row.markers))
        or ("untagged" in flags and row.chapters)
        or ("tagged" in flags and not row.chapters)
        or ("unmarked" in flags and row.markers)
        or ("private" in flags and not row.private)
        or ("suggested" in flags and not (row.suggestion and not row.chapters))
        or ("conflicts" in flags and not row.conflicts)
        or any(
            value and value not in place
            for value, place in zip((query.group, query.topic, query.heading), places, strict=True)
        )
    )


def review_rows(conn: Db, event_id: int) -> list[ReviewRow]:
    """Every live point of the event with its group and topic names, in the order made."""
    from sendtui.services.conflicts import unresolved_counts
    from sendtui.store import reads

    groups = {g.id: g.name for g in reads.groups(conn, event_id)}
    topics = {t.id: t.title for t in reads.topics(conn, event_id)}
    counts = unresolved_counts(conn, event_id)
    return [
        to_review_row(p, groups, topics, counts.get(p.id, 0)) for p in reads.points(conn, event_id)
    ]


def changed_rows(
    conn: Db, event_id: int, since: str | None
) -> tuple[dict[int, ReviewRow | None], str | None]:
    """The event's points changed (or added, or deleted: None) at or after `since` (an
    `updated_at` watermark), or whose conflicts changed then; and the new watermark. What a
    live review screen needs to catch up with other writers."""
    (mark,) = conn.execute(
        "SELECT max(updated_at) FROM point WHERE event_id = ?", (event_id,)
    ).fetchone()
    if since is None:
        return {}, mark
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM point WHERE event_id = ? AND updated_at >= ?", (event_id, since)
        )
    ]
    ids += [
        r[0]
        for r in conn.execute(
            "SELECT c.point_id FROM point_conflict c JOIN point p ON p.id = c.point_id "
            "WHERE p.event_id = ? AND (c.created_at >= ? OR c.resolved_at >= ?)",
            (event_id, since, since),
        )
    ]
    if not ids:
        return {}, mark or since
    return rows_by_id(conn, event_id, ids), mark or since


def rows_by_id(conn: Db, event_id: int, ids: Iterable[int]) -> dict[int, ReviewRow | None]:
    """The review rows of these points as they are now (None: deleted), conflicts counted."""
    from sendtui.services.conflicts import unresolved_counts
    from sendtui.store import reads

    groups = {g.id: g.name for g in reads.groups(conn, event_id)}
    topics = {t.id: t.title for t in reads.topics(conn, event_id)}
    counts = unresolved_counts(conn, event_id)
    return {
        point_id: None
        if point is None
        else to_review_row(point, groups, topics, counts.get(point_id, 0))
        for point_id, point in reads.points_by_id(conn, ids).items()
    }


def to_review_row(
    point, groups: Mapping[int, str], topics: Mapping[int, str], conflicts: int = 0
) -> ReviewRow:
    return ReviewRow(
        point.id,
        point.position,
        groups.get(point.group_id, "?"),
        topics.get(point.topic_id, "") if point.topic_id else "",
        point.heading,
        point.kind,
        point.chapters,
        point.markers,
        point.section_ref,
        point.text,
        point.private,
        conflicts=conflicts,
    )
