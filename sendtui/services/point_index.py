"""Applying a review filter to 100,000 rows within a keystroke (issue 12: ≤ 50 ms a key,
until the screen shows the result, with nothing remembered from earlier keys).

Sets of rows are bit sets: a Python int whose bit i is row i, so AND, OR and counting of
whole sets run in C in microseconds. The index keeps, for every tag, kind, flag and place
name, and for every distinct whitespace-separated token of the rows' folded text, the rows
that have it: a sorted list, and for keys with many rows the bit set too.

A filter word is not always a whole token ("loc" finds "local"), but it has no whitespace
in it (the filter line is split on whitespace), so a row's text contains the word exactly
when one of the row's tokens does: the word's rows are the union of the rows of the
tokens that contain it. The meaning of a filter is `point_query.matches`; the property
tests check that this index answers exactly as it does, row by row.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate, chain, compress, filterfalse, repeat
from operator import and_, attrgetter, contains, eq, not_, truth

from sendtui.services.point_query import Query, ReviewRow, flags_of, searchable

RECENT_QUERIES = 64
# A key with at least 1/64 of the rows keeps a bit set (n/8 bytes: no more than its list of
# row numbers); rarer keys are turned into bits when a filter asks for them.
DENSE_SHARE = 64
DENSE_MIN = 64
SAMPLE = 8192  # rows looked at to tell common tokens
PLACES = ("group", "topic", "heading")

_TO_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
_FROM_DIGITS = bytes.maketrans(b"01", b"\x00\x01")


def to_bits(rows: Iterable[int], n: int) -> int:
    """The bit set of these row numbers (each below n): written as one byte per row, then
    read as a binary number, both in C."""
    if n == 0:
        return 0
    flags = bytearray(n)
    for i in rows:
        flags[i] = 1
    return int(flags.translate(_TO_DIGITS)[::-1], 2)


def to_rows(bits: int, numbers: Sequence[int]) -> list[int]:
    """The row numbers in a bit set, in order (`numbers` is [0, 1, 2, …], shared, so the
    list holds no new int objects)."""
    flags = format(bits, "b").encode("ascii").translate(_FROM_DIGITS)[::-1]
    return list(compress(numbers, flags))


class RowSets:
    """Row numbers under keys: a sorted list per key, and a bit set for keys with many
    rows (made when the index is built or first asked for after the key's rows changed,
    never from a filter's result)."""

    def __init__(self, dense_min: int = DENSE_MIN) -> None:
        self.dense_min = dense_min  # tests make it small, so small tables use bit sets too
        self.lists: dict[Hashable, list[int]] = {}
        self._bits: dict[Hashable, int] = {}
        self._keys: list | None = None  # the keys as a list, for scanning names

    def keys(self) -> list:
        if self._keys is None:
            self._keys = list(self.lists)
        return self._keys

    def add(self, key: Hashable, i: int) -> None:
        found = self.lists.get(key)
        if found is None:
            self.lists[key] = [i]
            self._keys = None
        elif not found or found[-1] < i:
            found.append(i)
        else:
            insort(found, i)
        self._bits.pop(key, None)

    def remove(self, key: Hashable, i: int) -> None:
        found = self.lists.get(key, [])
        at = bisect_left(found, i)
        if at < len(found) and found[at] == i:
            del found[at]
            self._bits.pop(key, None)

    def dense_at(self, n: int) -> int:
        return max(self.dense_min, n // DENSE_SHARE)

    def make_bits(self, n: int) -> None:
        """Make the bit set of every key with many rows (when the index is built)."""
        dense = self.dense_at(n)
        for key, rows in self.lists.items():
            if len(rows) >= dense and key not in self._bits:
                self._bits[key] = to_bits(rows, n)

    def split(self, keys: Iterable[Hashable], n: int) -> tuple[int, list[list[int]]]:
        """The union of the keys' rows as (bit set of the keys with many rows, the lists of
        the others), so a caller can choose how to add the few."""
        bits, sparse = 0, []
        dense = self.dense_at(n)
        for key in keys:
            rows = self.lists.get(key)
            if not rows:
                continue
            if len(rows) < dense:
                sparse.append(rows)
                continue
            found = self._bits.get(key)
            if found is None:
                found = self._bits[key] = to_bits(rows, n)
            bits |= found
        return bits, sparse

    def union(self, keys: Iterable[Hashable], n: int) -> int:
        bits, sparse = self.split(keys, n)
        return bits | to_bits(chain.from_iterable(sparse), n) if sparse else bits


@dataclass(frozen=True, slots=True)
class Selection:
    """The rows a filter shows (indexes into the rows, in row order) and what the counts
    line says about them, worked out together."""

    rows: list[int]
    untagged: int
    suggested: int


class Matcher:
    """Applies a Query to rows quickly. Build it where slowness does not show (the loading
    thread).

    Words: each common token (in at least 1/64 of the rows when the index was built: a few
    dozen) keeps the rows that have it, as a bit set; a word's rows are first
    those of the common tokens that contain the word, found by scanning that short list.
    The other tokens (point numbers, names, typos: the long tail, tens of thousands with a
    row or two each) make one short text per row, all joined into one string: a word
    missing from it (most are) costs one `str.count` in C; a word in few rows is found by
    `str.find` from one to the next; a word in many is tested against the short texts of
    the rows still in, in C."""

    def __init__(self, rows: list[ReviewRow], *, dense_min: int = DENSE_MIN) -> None:
        self.rows = rows  # the table's own list: rows appended to it are picked up
        # Results of recent filters: deleting letters goes back through filters just typed.
        self._recent: dict[Query, Selection] = {}
        self._indexed: list[ReviewRow] = []  # the row versions the sets below describe
        self._folded: list[str] = []
        self._places: list[tuple[str, str, str]] = []
        self._numbers: list[int] = []
        self._tags = RowSets(dense_min)  # ("kind", …), ("chapter", …), ("marker", …), …
        self._words = RowSets(dense_min)  # common token → rows
        self._common: frozenset[str] = frozenset()
        self._tails: list[str] = []  # each row's uncommon tokens, joined by spaces
        self._tail: str | None = None  # all of them joined by "\0" (made when needed)
        self._tail_starts: list[int] = []
        self._place_sets = tuple(RowSets(dense_min) for _ in PLACES)  # names → rows
        self._build(rows)

    def _build(self, rows: list[ReviewRow]) -> None:
        """Index every row at once, in C where it can be (about a second at 100,000)."""
        n = len(rows)
        self._indexed, self._numbers = list(rows), list(range(n))
        folded = self._folded = [searchable(row) for row in rows]
        # Which tokens are common, from a sample of rows (a guess is enough: a token is
        # found whichever side it is on).
        step = max(1, n // SAMPLE)
        sample = folded[::step]
        counts = Counter(chain.from_iterable(map(str.split, sample)))
        least = self._words.dense_at(len(sample))
        common = self._common = frozenset(t for t, c in counts.items() if c >= least)
        numbers = self._numbers
        words: dict[str, list[int]] = {token: [] for token in common}
        tails = self._tails
        for i, text in enumerate(folded):
            tokens = text.split()
            tails.append(" ".join(filterfalse(common.__contains__, tokens)))
            for token in set(filter(common.__contains__, tokens)):
                words[token].append(i)
        self._words.lists.update(words)
        self._tags.lists.update(_tag_lists(rows, numbers))
        columns = [list(map(str.casefold, map(attrgetter(f), rows))) for f in PLACES]
        self._places = list(zip(*columns, strict=True))
        for sets, names in zip(self._place_sets, columns, strict=True):
            sets.lists.update(_grouped(names, numbers))
        for sets in (self._tags, self._words, *self._place_sets):
            sets.make_bits(n)
        self._tail_text()

    def _add_fields(self, i: int, row: ReviewRow) -> None:
        places = (row.group.casefold(), row.topic.casefold(), row.heading.casefold())
        if i == len(self._places):
            self._places.append(places)
        else:
            self._places[i] = places
        for key in _tag_keys(row):
            self._tags.add(key, i)
        for sets, name in zip(self._place_sets, places, strict=True):
            sets.add(name, i)

    def _remove(self, i: int) -> None:
        for key in _tag_keys(self._indexed[i]):
            self._tags.remove(key, i)
        for sets, name in zip(self._place_sets, self._places[i], strict=True):
            sets.remove(name, i)
        for token in self._common.intersection(self._folded[i].split()):
            self._words.remove(token, i)

    def _add(self, i: int, row: ReviewRow) -> None:
        folded = searchable(row)
        tokens = folded.split()
        tail = " ".join(filterfalse(self._common.__contains__, tokens))
        if i == len(self._indexed):
            self._indexed.append(row)
            self._folded.append(folded)
            self._tails.append(tail)
            self._numbers.append(i)
        else:
            self._indexed[i], self._folded[i], self._tails[i] = row, folded, tail
        for token in self._common.intersection(tokens):
            self._words.add(token, i)
        self._add_fields(i, row)
        self._tail = None

    def refresh(self, indexes: Iterable[int] = ()) -> None:
        """Take in rows that changed (by index) and rows appended to the list since: each
        is moved between the sets it belongs to (no rebuild; at 100k a tag key stays
        instant)."""
        self._recent.clear()
        for i in sorted(set(indexes)):
            if i < len(self._indexed) and self.rows[i] is not self._indexed[i]:
                self._remove(i)
                self._add(i, self.rows[i])
        for i in range(len(self._indexed), len(self.rows)):
            self._add(i, self.rows[i])

    def flagged(self, flag: str) -> int:
        """How many rows have a flag ("conflicts", "private", …)."""
        return len(self._tags.lists.get(("flag", flag), ()))

    def select(self, query: Query) -> Selection:
        """The rows that match, in row order, with their counts."""
        if (known := self._recent.get(query)) is not None:
            return known
        n = len(self._indexed)
        bits = self.bits(query)
        untagged = bits & self._tags.union([("flag", "untagged")], n)
        suggested = untagged & self._tags.union([("flag", "suggested")], n)
        found = Selection(to_rows(bits, self._numbers), untagged.bit_count(), suggested.bit_count())
        if len(self._recent) >= RECENT_QUERIES:
            del self._recent[next(iter(self._recent))]  # the oldest
        self._recent[query] = found
        return found

    def bits(self, query: Query) -> int:
        """The bit set of the rows that match: tags, kinds, flags and places from their
        sets first, then each word (a test of rows' text sees only rows still in)."""
        n = len(self._indexed)
        tags = self._tags
        found = (1 << n) - 1
        for name, values in (
            ("kind", query.kinds),
            ("chapter", query.chapters),
            ("marker", query.markers),
        ):
            if values:
                found &= tags.union([(name, v) for v in values], n)
        for flag in query.flags:
            if flag == "tagged":
                found &= ~tags.union([("flag", "untagged")], n)
            else:
                found &= tags.union([("flag", flag)], n)
        places = (query.group, query.topic, query.heading)
        for sets, value in zip(self._place_sets, places, strict=True):
            if value:
                names = sets.keys()
                found &= sets.union(compress(names, map(contains, names, repeat(value))), n)
        for word in query.words:
            if not found:
                break
            found &= self._with_word(word, found)
        return found

    def _with_word(self, word: str, among: int) -> int:
        """Rows among `among` whose folded text contains `word` (and maybe others)."""
        if not word or word.split() != [word] or "\0" in word:  # not from the filter line
            return self._scan(word, among, self._folded)
        tokens = self._words.keys()
        found = self._words.union(
            compress(tokens, map(contains, tokens, repeat(word))), len(self._indexed)
        )
        left = among & ~found
        if not left:
            return found
        tail = self._tail_text()
        times = tail.count(word)
        if not times:
            return found
        if times * 8 < left.bit_count():  # few: jump from one to the next
            return found | self._tail_rows(word)
        return found | self._scan(word, left, self._tails)

    def _scan(self, word: str, among: int, texts: list[str]) -> int:
        """Rows among `among` whose text contains `word`, testing each (in C)."""
        if not among:
            return 0
        if among.bit_count() * 4 > len(texts):  # most rows: test them all, no loop at all
            tested = bytes(map(contains, texts, repeat(word)))
            return int(tested.translate(_TO_DIGITS)[::-1], 2) & among
        rows = to_rows(among, self._numbers)
        tested = map(contains, map(texts.__getitem__, rows), repeat(word))
        return to_bits(compress(rows, tested), len(self._indexed))

    def _tail_text(self) -> str:
        if self._tail is None:
            self._tail = "\0".join(self._tails)
            self._tail_starts = [0, *accumulate(len(t) + 1 for t in self._tails)]
        return self._tail

    def _tail_rows(self, word: str) -> int:
        tail, starts = self._tail_text(), self._tail_starts
        rows, n = [], len(self._tails)
        at = tail.find(word)
        while at >= 0:
            row = bisect_right(starts, at) - 1
            rows.append(row)
            if row + 1 >= n:
                break
            at = tail.find(word, starts[row + 1])
        return to_bits(rows, n)


def _grouped(values: list[str], numbers: list[int]) -> dict[str, list[int]]:
    """The rows of each value: a pass per value when there are few (in C), else one loop."""
    distinct = set(values)
    if len(distinct) <= 32:
        return {v: list(compress(numbers, map(eq, values, repeat(v)))) for v in distinct}
    found: dict[str, list[int]] = {}
    for i, value in enumerate(values):
        found.setdefault(value, []).append(i)
    return found


def _tag_lists(rows: list[ReviewRow], numbers: list[int]) -> dict[tuple[str, str], list[int]]:
    """The rows of every _tag_keys key, column by column (in C where it can be)."""
    lists: dict[tuple[str, str], list[int]] = {}
    for name in ("chapter", "marker"):
        codes = list(map(attrgetter(name + "s"), rows))
        for i in compress(numbers, codes):
            for code in codes[i]:
                lists.setdefault((name, code), []).append(i)
    kinds = list(map(attrgetter("kind"), rows))
    for kind in set(kinds):
        lists[("kind", kind)] = list(compress(numbers, map(eq, kinds, repeat(kind))))
    untagged = list(map(not_, map(attrgetter("chapters"), rows)))
    suggested = map(truth, map(attrgetter("suggestion"), rows))
    columns = {
        "untagged": untagged,
        "unmarked": map(not_, map(attrgetter("markers"), rows)),
        "private": map(truth, map(attrgetter("private"), rows)),
        "suggested": map(and_, suggested, untagged),
        "conflicts": map(truth, map(attrgetter("conflicts"), rows)),
    }
    for flag, column in columns.items():
        if found := list(compress(numbers, column)):
            lists[("flag", flag)] = found
    return lists


def _tag_keys(row: ReviewRow) -> list[tuple[str, str]]:
    keys = [("kind", row.kind)]
    keys += [("chapter", code) for code in row.chapters]
    keys += [("marker", code) for code in row.markers]
    keys += [("flag", flag) for flag in flags_of(row)]
    return keys
