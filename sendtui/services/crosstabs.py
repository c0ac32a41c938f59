"""The counting engine behind every report: dimensions (chapter, marker, group, topic, kind)
and one SQL GROUP BY over any one or two of them, plus cross-tabs with their totals.

A point tagged to two chapters counts once in each (seed 000 counts concerns per section that
way); a second, cheap query over the tag table alone says how many points that involves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from sendtui.errors import InputError
from sendtui.models.kinds import Kind
from sendtui.store.db import Db

UNTAGGED = "Untagged"
_KINDS = tuple(Kind)
_UNKNOWN = object()  # a kind that Kind does not list: counted by the kinds' own text instead
_CODE_LIMIT = 2**62  # two keys' codes combined must stay a 64-bit integer


@dataclass(frozen=True)
class AxisItem:
    """One row or column of a report: `key` is what SQL returns (an id, a kind; None for
    the "none" bucket), `code` what the table prints before the label ("4", "M3" or "")."""

    key: object
    code: str
    label: str


@dataclass(frozen=True)
class Dimension:
    """Something points are counted by. Tag dimensions name their `link` table and `join`
    it, so a point counts once per tag (and once in the "none" bucket with no tag)."""

    name: str
    title: str
    key: str
    items: Callable[[Db, int], list[AxisItem]]
    none_label: str = ""
    join: str = ""
    link: str = ""  # the tag table, for counting multi-tagged points
    noun: str = ""  # "chapter", for "tagged to more than one chapter"
    table: str = ""  # the table `key` holds ids of (none: the key is a kind)

    @property
    def code(self) -> str:
        """The key as a whole number, 0 for the "none" bucket (ids start at 1); kinds by
        their place in Kind, 0 for a kind that is not there."""
        if self.table:
            return f"coalesce({self.key}, 0)"
        whens = " ".join(f"WHEN '{k.value}' THEN {n}" for n, k in enumerate(Kind, start=1))
        return f"CASE {self.key} {whens} ELSE 0 END"

    def codes(self, conn: Db) -> range | None:
        """Every code `code` can give, or None when an id is not a whole number ≥ 1."""
        if not self.table:
            return range(len(Kind) + 1)
        low, high = conn.execute(
            f"SELECT (SELECT min(id) FROM {self.table}), (SELECT max(id) FROM {self.table})"
        ).fetchone()
        if low is None:
            return range(1)
        if not (isinstance(low, int) and isinstance(high, int) and low >= 1):
            return None
        return range(high + 1)

    def decode(self, code: int) -> object:
        if self.table:
            return code or None
        return _KINDS[code - 1].value if code else _UNKNOWN


def _chapters(conn: Db, event_id: int) -> list[AxisItem]:
    rows = conn.execute(
        "SELECT c.id, c.code, c.title FROM chapter c JOIN event e ON e.scheme_id = c.scheme_id "
        "WHERE e.id = ? ORDER BY c.position",
        (event_id,),
    )
    return [AxisItem(*r) for r in rows]


def _markers(conn: Db, event_id: int) -> list[AxisItem]:
    return [
        AxisItem(*r) for r in conn.execute("SELECT id, code, title FROM marker ORDER BY position")
    ]


def _groups(conn: Db, event_id: int) -> list[AxisItem]:
    rows = conn.execute(
        "SELECT id, name FROM discussion_group WHERE event_id = ? ORDER BY position, id",
        (event_id,),
    )
    return [AxisItem(gid, "", name) for gid, name in rows]


def _topics(conn: Db, event_id: int) -> list[AxisItem]:
    # Topic titles repeat across groups ("Exercise 1"), so the label names the group too.
    rows = conn.execute(
        "SELECT t.id, g.name, t.title FROM topic t JOIN discussion_group g ON g.id = t.group_id "
        "WHERE g.event_id = ? ORDER BY g.position, g.id, t.position, t.id",
        (event_id,),
    )
    return [AxisItem(tid, "", f"{group}: {title}") for tid, group, title in rows]


def _kinds(conn: Db, event_id: int) -> list[AxisItem]:
    return [AxisItem(k.value, "", k.plural) for k in Kind]


DIMENSIONS: dict[str, Dimension] = {
    d.name: d
    for d in (
        Dimension(
            "chapter",
            "Chapter",
            "pc.chapter_id",
            _chapters,
            none_label=UNTAGGED,
            join="LEFT JOIN point_chapter pc ON pc.point_id = p.id",
            link="point_chapter",
            noun="chapter",
            table="chapter",
        ),
        Dimension(
            "marker",
            "Marker",
            "pm.marker_id",
            _markers,
            none_label="No marker",
            join="LEFT JOIN point_marker pm ON pm.point_id = p.id",
            link="point_marker",
            noun="marker",
            table="marker",
        ),
        Dimension("group", "Group", "p.group_id", _groups, table="discussion_group"),
        Dimension("topic", "Topic", "p.topic_id", _topics, none_label="No topic", table="topic"),
        Dimension("kind", "Kind", "p.kind", _kinds),
    )
}


def dimension(name: str) -> Dimension:
    """The dimension called `name`, or an InputError listing the ones there are."""
    found = DIMENSIONS.get(name)
    if found is None:
        raise InputError(
            f"Points cannot be counted by “{name}”; choose one of: {', '.join(DIMENSIONS)}."
        )
    return found


def point_filter(kind: str | None, include_private: bool) -> tuple[str, list[object]]:
    """Extra WHERE terms (each starting " AND") for the kind and private filters."""
    where, args = "", []
    if kind:
        where += " AND p.kind = ?"
        args.append(kind)
    if not include_private:
        where += " AND NOT p.private"  # portable: never compare a boolean with 0
    return where, args


@dataclass(frozen=True)
class Tally:
    """Counts by one or two dimensions' keys, and how many points carry several tags."""

    counts: dict[tuple[object, ...], int]
    multi: dict[str, int]  # dimension name → points with more than one of its tags

    def notes(self, dims: Sequence[Dimension]) -> tuple[str, ...]:
        notes = []
        for dim in dims:
            n = self.multi.get(dim.name, 0)
            if n:
                noun = "point is" if n == 1 else "points are"
                notes.append(f"{n} {noun} tagged to more than one {dim.noun} and counted in each.")
        return tuple(notes)


def tally(
    conn: Db,
    event_id: int,
    dims: Sequence[Dimension],
    *,
    kind: str | None = None,
    include_private: bool = True,
) -> Tally:
    """Counts of the event's live points by the dimensions' keys: read from the point
    tally the store keeps (sendtui.store.tally) for chapter, marker and kind and their
    cross-tabs with kind, counted from the points for the others (`live_tally`)."""
    kept = kept_tally(conn, event_id, dims, kind=kind, include_private=include_private)
    if kept is not None:
        return kept
    return live_tally(conn, event_id, dims, kind=kind, include_private=include_private)


# What the point tally can count by: each tag dimension, kind, and a tag by kind.
_KEPT = {("chapter",), ("marker",), ("kind",), ("chapter", "kind"), ("kind", "chapter"),
         ("marker", "kind"), ("kind", "marker")}  # fmt: skip


def kept_tally(
    conn: Db,
    event_id: int,
    dims: Sequence[Dimension],
    *,
    kind: str | None = None,
    include_private: bool = True,
) -> Tally | None:
    """`tally` from the point tally: a few rows per chapter or marker rather than a look-up
    per point. None for dimensions it does not keep (group, topic)."""
    names = tuple(d.name for d in dims)
    if names not in _KEPT:
        return None
    tag = next((n for n in names if n != "kind"), None)
    wanted = ["point", tag, f"{tag}_any", f"{tag}_multi"] if tag else ["point"]
    where, args = _tally_filter(kind, include_private)
    rows = conn.execute(
        f"SELECT dim, key, kind, sum(n) FROM point_tally WHERE event_id = ? "
        f"AND dim IN ({', '.join('?' * len(wanted))}){where} GROUP BY dim, key, kind",
        [event_id, *wanted, *args],
    )
    counts: dict[tuple[object, ...], int] = {}
    multi = 0

    def add(key: object, point_kind: str, count: int) -> None:
        found = tuple(point_kind if n == "kind" else key for n in names)
        counts[found] = counts.get(found, 0) + count

    for dim, key, point_kind, count in rows:
        if dim == "point":  # by kind, the count; by a tag, the untagged are those less "any"
            add(None, point_kind, count)
        elif dim == f"{tag}_any":
            add(None, point_kind, -count)
        elif dim == f"{tag}_multi":
            multi += count
        else:
            add(key, point_kind, count)
    counts = {key: n for key, n in counts.items() if n}
    return Tally(counts, {tag: multi} if tag else {})


def _tally_filter(kind: str | None, include_private: bool) -> tuple[str, list[object]]:
    where, args = "", []
    if kind:
        where += " AND kind = ?"
        args.append(kind)
    if not include_private:
        where += " AND NOT private"
    return where, args


def private_count(conn: Db, event_id: int, kind: str | None = None) -> int:
    """How many of the event's live points (of `kind`, if given) are private."""
    (count,) = conn.execute(
        "SELECT coalesce(sum(n), 0) FROM point_tally WHERE event_id = ? AND dim = 'point' "
        "AND private" + (" AND kind = ?" if kind else ""),
        [event_id, *([kind] if kind else [])],
    ).fetchone()
    return count


def live_tally(
    conn: Db,
    event_id: int,
    dims: Sequence[Dimension],
    *,
    kind: str | None = None,
    include_private: bool = True,
) -> Tally:
    """One GROUP BY query over the event's live points by the dimensions' keys."""
    where, args = point_filter(kind, include_private)
    joins = " ".join(d.join for d in dims if d.join)
    live = f"FROM point p {joins} WHERE p.event_id = ? AND p.deleted_at IS NULL{where}"
    counts = _counts_by_code(conn, dims, live, [event_id, *args])
    if counts is None:
        keys = [d.key for d in dims]
        sql = f"SELECT {', '.join(keys)}, count(*) {live} GROUP BY {', '.join(keys)}"
        counts = {tuple(row[:-1]): row[-1] for row in conn.execute(sql, [event_id, *args])}
    multi = {d.name: _multi(conn, event_id, d, where, args) for d in dims if d.link}
    return Tally(counts, multi)


def _counts_by_code(
    conn: Db, dims: Sequence[Dimension], live: str, args: list[object]
) -> dict[tuple[object, ...], int] | None:
    """The counts grouped by one whole number made of the keys' codes: SQLite sorts whole
    numbers far faster than NULLs, text or pairs (a third of a cross-tab's time over
    100,000 points). None when that cannot be done (a kind Kind does not list, ids that
    are not whole numbers): the caller groups by the keys themselves."""
    ranges = [d.codes(conn) for d in dims]
    if any(r is None for r in ranges):
        return None
    width = len(ranges[-1]) if len(dims) == 2 else 1  # type: ignore[arg-type]
    if len(ranges[0]) * width >= _CODE_LIMIT:  # type: ignore[arg-type]
        return None
    code = dims[0].code
    if len(dims) == 2:
        code = f"CAST({code} AS BIGINT) * {width} + {dims[1].code}"
    counts: dict[tuple[object, ...], int] = {}
    for number, count in conn.execute(f"SELECT {code}, count(*) {live} GROUP BY 1", args):
        parts = divmod(number, width) if len(dims) == 2 else (number,)
        key = tuple(d.decode(part) for d, part in zip(dims, parts, strict=True))
        if _UNKNOWN in key:
            return None
        counts[key] = count
    return counts


def _multi(conn: Db, event_id: int, dim: Dimension, where: str, args: list[object]) -> int:
    """How many of the filtered points carry more than one of the dimension's tags. The
    tag table's primary key is ordered by point, so the inner GROUP BY streams; only the
    few multi-tagged points are then looked up."""
    (count,) = conn.execute(
        f"SELECT count(*) FROM (SELECT point_id FROM {dim.link} GROUP BY point_id "
        "HAVING count(*) > 1) m JOIN point p ON p.id = m.point_id "
        f"WHERE p.event_id = ? AND p.deleted_at IS NULL{where}",
        [event_id, *args],
    ).fetchone()
    return count


def axis(conn: Db, event_id: int, dim: Dimension, used: set[object]) -> list[AxisItem]:
    """Every item of the dimension (zero counts too), then its "none" bucket if used."""
    items = dim.items(conn, event_id)
    known = {item.key for item in items}
    # A key the reference data no longer lists (an unknown kind) still gets counted.
    items += [AxisItem(k, "", str(k)) for k in sorted(used - known - {None}, key=str)]
    if None in used:
        items.append(AxisItem(None, "", dim.none_label or "None"))
    return items


@dataclass(frozen=True)
class CrossTab:
    """Counts of points by two dimensions, with row, column and grand totals.

    Totals are sums of the cells, so they always add up; where points carry several tags
    a point counts in each of its cells, and `notes` says how many points that involves."""

    title: str
    row_title: str
    col_title: str
    rows: tuple[AxisItem, ...]
    cols: tuple[AxisItem, ...]
    cells: tuple[tuple[int, ...], ...]  # cells[row][col]
    notes: tuple[str, ...] = field(default_factory=tuple)

    @cached_property
    def row_totals(self) -> tuple[int, ...]:
        return tuple(sum(row) for row in self.cells)

    @cached_property
    def col_totals(self) -> tuple[int, ...]:
        return tuple(sum(row[c] for row in self.cells) for c in range(len(self.cols)))

    @property
    def total(self) -> int:
        return sum(self.row_totals)

    def count(self, row_key: object, col_key: object) -> int:
        """The cell for a row and column key (None for a "none" bucket)."""
        r = next(i for i, item in enumerate(self.rows) if item.key == row_key)
        c = next(i for i, item in enumerate(self.cols) if item.key == col_key)
        return self.cells[r][c]


def noun_for(kind: str | None) -> str:
    """What is counted, for titles: "Points", or the kind's plural ("Concerns")."""
    if not kind:
        return "Points"
    try:
        return Kind(kind).plural
    except ValueError:
        return f"{kind.capitalize()}s"


def crosstab(
    conn: Db,
    event_id: int,
    rows: str = "group",
    cols: str = "chapter",
    *,
    kind: str | None = None,
    include_private: bool = True,
) -> CrossTab:
    """Points counted by `rows` × `cols`, each one of "chapter", "marker", "group", "topic"
    or "kind": every item of each (zero counts too) plus a "none" row/column (Untagged,
    No marker, No topic) when any point falls there."""
    row_dim, col_dim = dimension(rows), dimension(cols)
    if row_dim is col_dim:
        raise InputError(f"A cross-tab needs two different dimensions, not {rows} twice.")
    found = tally(conn, event_id, [row_dim, col_dim], kind=kind, include_private=include_private)
    row_items = axis(conn, event_id, row_dim, {k[0] for k in found.counts})
    col_items = axis(conn, event_id, col_dim, {k[1] for k in found.counts})
    cells = tuple(tuple(found.counts.get((r.key, c.key), 0) for c in col_items) for r in row_items)
    title = f"{noun_for(kind)} by {row_dim.name} and {col_dim.name}"
    return CrossTab(
        title,
        row_dim.title,
        col_dim.title,
        tuple(row_items),
        tuple(col_items),
        cells,
        found.notes([row_dim, col_dim]),
    )
