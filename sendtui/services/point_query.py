"""Finding points: the review screen's filter line, and the rows it filters.

The filter line speaks the capture syntax where it can, so there is one language to learn:

    tribunal            words: the point's text or heading contains each of them
    #7  #0              tagged to chapter 7 / General (several: any of them)
    @M3                 tagged to marker M3
    ?  +  -  !  >       questions, positives, negatives, concerns, solutions (kind:point too)
    group:red  g:red    the group's name contains "red" (topic: / t: and heading: / h: alike)
    untagged            no chapter yet;  unmarked: no marker;  private;  suggested
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sendtui.models.kinds import Kind
from sendtui.services.syntax import DEFAULT_MARKS
from sendtui.store.db import Db


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


FLAGS = {"untagged", "unmarked", "private", "suggested", "tagged"}
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
        elif lower.startswith("#") and lower[1:].isdigit():
            chapters.add(str(int(lower[1:])))
        elif (
            lower.startswith("@") and len(lower) > 2 and lower[1].isalpha() and lower[2:].isdigit()
        ):
            markers.add(lower[1].upper() + str(int(lower[2:])))
        elif lower.startswith("kind:") and lower[5:] in {k.value for k in Kind}:
            kinds.add(lower[5:])
        elif lower in FLAGS:
            flags.add(lower)
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


RECENT_QUERIES = 64


class Matcher:
    """Applies a Query to rows quickly: each row's searchable text is folded once."""

    def __init__(self, rows: list[ReviewRow]) -> None:
        self.rows = rows
        self._folded = [f"{r.text}\n{r.heading}".casefold() for r in rows]
        self._places = [
            (r.group.casefold(), r.topic.casefold(), r.heading.casefold()) for r in rows
        ]
        # Results of recent queries: deleting letters goes back through filters just typed,
        # which would otherwise each search every row again.
        self._recent: dict[Query, list[int]] = {}
        self._untagged = bytearray(not r.chapters for r in rows)
        self._suggested = bytearray(bool(r.suggestion and not r.chapters) for r in rows)
        self._counts: dict[int, tuple[list[int], int, int]] = {}  # id(result) → counts

    def untagged_in(self, indexes: list[int]) -> tuple[int, int]:
        """(untagged, untagged with a suggestion) among the rows at `indexes`: counted
        once per result list, in C (bytes lookups), not by walking rows in Python."""
        known = self._counts.get(id(indexes))
        if known is not None and known[0] is indexes:
            return known[1], known[2]
        if len(indexes) == len(self.rows):
            untagged, suggested = sum(self._untagged), sum(self._suggested)
        else:
            get_u, get_s = self._untagged.__getitem__, self._suggested.__getitem__
            untagged, suggested = sum(map(get_u, indexes)), sum(map(get_s, indexes))
        if len(self._counts) >= RECENT_QUERIES:
            del self._counts[next(iter(self._counts))]
        self._counts[id(indexes)] = (indexes, untagged, suggested)
        return untagged, suggested

    def refresh(self, indexes: Iterable[int]) -> None:
        """Re-fold rows that changed."""
        self._recent.clear()
        self._counts.clear()
        for i in indexes:
            r = self.rows[i]
            self._folded[i] = f"{r.text}\n{r.heading}".casefold()
            self._places[i] = (r.group.casefold(), r.topic.casefold(), r.heading.casefold())
            self._untagged[i] = not r.chapters
            self._suggested[i] = bool(r.suggestion and not r.chapters)

    def select(self, query: Query, within: list[int] | None = None) -> list[int]:
        """Indexes of the rows that match, in row order; `within` narrows the search to an
        earlier result that this query refines (typing more of a filter)."""
        if (known := self._recent.get(query)) is not None:
            return known
        rows, folded, places = self.rows, self._folded, self._places
        found = list(range(len(rows))) if within is None else within
        # One cheap pass per constraint, most selective kinds of test first.
        for word in query.words:
            found = [i for i in found if word in folded[i]]
        if query.kinds:
            found = [i for i in found if rows[i].kind in query.kinds]
        if query.chapters:
            found = [i for i in found if query.chapters.intersection(rows[i].chapters)]
        if query.markers:
            found = [i for i in found if query.markers.intersection(rows[i].markers)]
        if query.flags:
            found = [i for i in found if _flags_match(rows[i], query.flags)]
        for field_index, value in enumerate((query.group, query.topic, query.heading)):
            if value:
                found = [i for i in found if value in places[i][field_index]]
        if len(self._recent) >= RECENT_QUERIES:
            del self._recent[next(iter(self._recent))]  # the oldest
        self._recent[query] = found
        return found


def refines(old: Query, new: Query) -> bool:
    """True when every row matching `new` also matches `old` (so `new` may search within
    `old`'s result): the same tags, kinds and at least the same flags, and each old word or
    place filter still contained in the new one."""
    if (old.chapters, old.markers, old.kinds) != (new.chapters, new.markers, new.kinds):
        return False
    if not old.flags <= new.flags:
        return False
    if any(
        a not in b
        for a, b in ((old.group, new.group), (old.topic, new.topic), (old.heading, new.heading))
    ):
        return False
    return all(any(w in v for v in new.words) for w in old.words)


def _flags_match(row: ReviewRow, flags: frozenset[str]) -> bool:
    return not (
        ("untagged" in flags and row.chapters)
        or ("tagged" in flags and not row.chapters)
        or ("unmarked" in flags and row.markers)
        or ("private" in flags and not row.private)
        or ("suggested" in flags and not (row.suggestion and not row.chapters))
    )


def review_rows(conn: Db, event_id: int) -> list[ReviewRow]:
    """Every live point of the event with its group and topic names, in the order made."""
    from sendtui.store import reads

    groups = {g.id: g.name for g in reads.groups(conn, event_id)}
    topics = {t.id: t.title for t in reads.topics(conn, event_id)}
    return [to_review_row(p, groups, topics) for p in reads.points(conn, event_id)]


def to_review_row(point, groups: Mapping[int, str], topics: Mapping[int, str]) -> ReviewRow:
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
    )
