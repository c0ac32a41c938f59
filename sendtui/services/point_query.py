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

from bisect import bisect_left, bisect_right, insort
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
        elif lower.startswith("#") and lower[1:].isdigit():
            chapters.add(str(int(lower[1:])))
        elif (
            lower.startswith("@") and len(lower) > 2 and lower[1].isalpha() and lower[2:].isdigit()
        ):
            markers.add(lower[1].upper() + str(int(lower[2:])))
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


RECENT_QUERIES = 64


class Matcher:
    """Applies a Query to rows quickly (issue 12: ≤ 50 ms a keystroke at 100,000 points).

    Built once, in the loading thread: each row's searchable text folded, and all of them
    joined into one string, so a word that few rows contain is found by `str.find` in C
    rather than by testing every row; lists of the rows of each kind, chapter, marker,
    flag and place, so those filters never walk every row either."""

    def __init__(self, rows: list[ReviewRow]) -> None:
        self.rows = rows  # the table's own list: rows appended to it are picked up
        # Results of recent queries: deleting letters goes back through filters just typed,
        # which would otherwise each search every row again.
        self._recent: dict[Query, list[int]] = {}
        self._counts: dict[int, tuple[list[int], int, int]] = {}  # id(result) → counts
        self._indexed: list[ReviewRow] = []  # the row versions the lists below describe
        self._folded: list[str] = []
        self._places: list[tuple[str, str, str]] = []
        self._untagged = bytearray()
        self._suggested = bytearray()
        self._by: dict[tuple[str, str], list[int]] = {}
        self._place_rows: list[dict[str, list[int]]] = [{}, {}, {}]
        self._blob: str | None = None  # joined when first needed after a change
        self._starts: list[int] = []
        for i in range(len(rows)):
            self._add(i, rows[i], appending=True)

    def _keys(self, row: ReviewRow) -> list[tuple[str, str]]:
        keys = [("kind", row.kind)]
        keys += [("chapter", code) for code in row.chapters]
        keys += [("marker", code) for code in row.markers]
        keys += [("flag", flag) for flag in _flags_of(row)]
        return keys

    def _add(self, i: int, row: ReviewRow, *, appending: bool = False) -> None:
        """Put row `i` into the lists (`appending`: it is the last row, so no search)."""
        places = (row.group.casefold(), row.topic.casefold(), row.heading.casefold())
        if i == len(self._indexed):
            self._indexed.append(row)
            self._folded.append(_searchable(row))
            self._places.append(places)
            self._untagged.append(not row.chapters)
            self._suggested.append(bool(row.suggestion and not row.chapters))
        else:
            self._indexed[i], self._folded[i], self._places[i] = row, _searchable(row), places
            self._untagged[i] = not row.chapters
            self._suggested[i] = bool(row.suggestion and not row.chapters)
        lists = [self._by.setdefault(key, []) for key in self._keys(row)]
        lists += [self._place_rows[f].setdefault(name, []) for f, name in enumerate(places)]
        for found in lists:
            if appending or not found or found[-1] < i:
                found.append(i)
            else:
                insort(found, i)

    def _remove(self, i: int) -> None:
        row, places = self._indexed[i], self._places[i]
        lists = [self._by[key] for key in self._keys(row)]
        lists += [self._place_rows[f][name] for f, name in enumerate(places)]
        for found in lists:
            at = bisect_left(found, i)
            if at < len(found) and found[at] == i:
                del found[at]

    def refresh(self, indexes: Iterable[int] = ()) -> None:
        """Take in rows that changed (by index) and rows appended to the list since: each
        is moved between the lists it belongs to (no full rebuild; at 100k a tag key
        stays instant); the joined text is rebuilt when next needed."""
        self._recent.clear()
        self._counts.clear()
        for i in sorted(set(indexes)):
            if i < len(self._indexed) and self.rows[i] is not self._indexed[i]:
                self._remove(i)
                self._add(i, self.rows[i])
        for i in range(len(self._indexed), len(self.rows)):
            self._add(i, self.rows[i])
        self._blob = None

    def _text(self) -> str:
        if self._blob is None:
            # "\0" never appears in a filter word, so no match runs from one row into the next.
            self._blob = "\0".join(self._folded)
            starts, at = [], 0
            for text in self._folded:
                starts.append(at)
                at += len(text) + 1
            self._starts = starts
        return self._blob

    def flagged(self, flag: str) -> int:
        """How many rows have a flag ("conflicts", "private", …)."""
        return len(self._by.get(("flag", flag), ()))

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

    def select(self, query: Query, within: list[int] | None = None) -> list[int]:
        """Indexes of the rows that match, in row order; `within` narrows the search to an
        earlier result that this query refines (typing more of a filter)."""
        if (known := self._recent.get(query)) is not None:
            return known
        found: list[int] | None = within  # None: every row, not yet listed
        # Tags, kinds and flags from their lists first (no row is looked at), then the
        # words, rarest first, so the others are tested on few rows.
        for name, values in (
            ("kind", query.kinds),
            ("chapter", query.chapters),
            ("marker", query.markers),
        ):
            if values:
                found = _narrow(found, _union([self._by.get((name, v), []) for v in values]))
        for flag in sorted(query.flags):
            if flag == "tagged":
                found = self._without(found, self._by.get(("flag", "untagged"), []))
            else:
                found = _narrow(found, self._by.get(("flag", flag), []))
        for field_index, value in enumerate((query.group, query.topic, query.heading)):
            if value:
                names = self._place_rows[field_index]
                found = _narrow(found, _union([ids for n, ids in names.items() if value in n]))
        for word in sorted(query.words, key=self._frequency):
            found = self._with_word(word, found)
        if found is None:
            found = list(range(len(self.rows)))
        if len(self._recent) >= RECENT_QUERIES:
            del self._recent[next(iter(self._recent))]  # the oldest
        self._recent[query] = found
        return found

    def _with_word(self, word: str, found: list[int] | None) -> list[int]:
        folded, n = self._folded, len(self.rows)
        if found is not None and len(found) * 4 < n:
            return [i for i in found if word in folded[i]]  # few rows left: test each
        if self._frequency(word) * 8 > n:  # common: most rows have it, test each row
            if found is None:
                return [i for i, text in enumerate(folded) if word in text]
            return [i for i in found if word in folded[i]]
        hits = self._rows_containing(word)  # rare: jump from one occurrence to the next
        return hits if found is None else _narrow(found, hits)

    def _frequency(self, word: str) -> int:
        """About how many times the word occurs: counted in a sixteenth of the text (in C,
        well under a millisecond) and scaled up."""
        blob = self._text()
        return blob.count(word, 0, len(blob) // 16 + len(word)) * 16

    def _rows_containing(self, word: str) -> list[int]:
        blob = self._text()
        starts, n = self._starts, len(self.rows)
        out: list[int] = []
        at = blob.find(word)
        while at >= 0:
            row = bisect_right(starts, at) - 1
            out.append(row)
            if row + 1 >= n:
                break
            at = blob.find(word, starts[row + 1])
        return out

    def _without(self, found: list[int] | None, rows: list[int]) -> list[int]:
        drop = set(rows)
        pool = range(len(self.rows)) if found is None else found
        return [i for i in pool if i not in drop]


def _searchable(row: ReviewRow) -> str:
    return f"{row.text}\n{row.heading}".casefold()


def _flags_of(row: ReviewRow) -> list[str]:
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


def _union(lists: list[list[int]]) -> list[int]:
    """Rows in any of the sorted lists, in row order."""
    if len(lists) == 1:
        return lists[0]
    return sorted(set().union(*lists))


def _narrow(found: list[int] | None, rows: list[int]) -> list[int]:
    """The rows of `found` (None: all) that are also in `rows`, in row order."""
    if found is None:
        return list(rows)
    if len(rows) < len(found):
        keep = set(rows)
        return [i for i in found if i in keep]
    keep = set(found)
    return [i for i in rows if i in keep]


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


def matches(row: ReviewRow, query: Query) -> bool:
    """Whether one row matches: the meaning of a filter, row by row (Matcher.select gives
    the same answer for every row at once, from its lists)."""
    text = _searchable(row)
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
